// A layer with a bias (v_leak): slayer's blocks have none (see convert-snn-to-lava-dl.mlir).
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w1 = nir.linear "w1"(%in) {weight = #nir.dense<2x2xf32: [2.0, 0.0, 0.0, -2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %h1 = snn.rsynaptic "h1"(%w1) {decay = #nir.dense<2xf64: 0.75>, gain = #nir.dense<2xf64: 0.25>, bias = #nir.dense<2xf64: 0.125>, syn_decay = #nir.dense<2xf64: 0.5>, syn_gain = #nir.dense<2xf64: 0.5>, threshold = #nir.dense<2xf64: [1.0, 0.5]>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 4.0, 4.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %wo = nir.linear "wo"(%h1) {weight = #nir.dense<1x2xf32: 1.0>} : tensor<2xf32> -> tensor<1xf32>
  %r = snn.leaky "r"(%wo) {decay = #nir.dense<1xf64: 0.5>, gain = #nir.dense<1xf64: 0.25>, bias = #nir.dense<1xf64: 0.0>, threshold = #nir.dense<1xf64: 2.0>, v_reset = #nir.dense<1xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}
