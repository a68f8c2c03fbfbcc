// Breaks four rules of convert-snn-to-loihi2 at once (see convert-snn-to-loihi2.mlir).
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w1 = nir.linear "w1"(%in) {weight = #nir.dense<2x2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %d1 = snn.delay "a.input_delay"(%w1) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  %a = snn.leaky "a"(%d1) {decay = #nir.dense<2xf64: [0.5, 0.75]>, gain = #nir.dense<2xf64: 0.25>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.5>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %b = snn.leaky "b"(%a) {decay = #nir.dense<2xf64: 0.5>, gain = #nir.dense<2xf64: 0.25>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%b) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
