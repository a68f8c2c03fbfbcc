// A leaky neuron (snn.leaky with decay < 1) cannot run on a Speck core.
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
  %n = snn.leaky "n"(%c) {decay = #nir.dense<3x4x4xf64: 0.9>, gain = #nir.dense<3x4x4xf64: 1.0>, bias = #nir.dense<3x4x4xf64: 0.0>, threshold = #nir.dense<3x4x4xf64: 1.0>, v_reset = #nir.dense<3x4x4xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<3x4x4xf32> -> tensor<3x4x4xf32>
  nir.output "out"(%n) {shape = #nir.dense<3xi64: [3, 4, 4]>} : tensor<3x4x4xf32>
}
