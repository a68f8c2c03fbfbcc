// Nine readout neurons: Audio 2 has 8, IMU 16.
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w1 = nir.linear "w1"(%in) {weight = #nir.dense<2x2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %h = snn.leaky "h"(%w1) {decay = #nir.dense<2xf64: 0.875>, gain = #nir.dense<2xf64: 0.5>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %wo = nir.linear "wo"(%h) {weight = #nir.dense<9x2xf32: 1.0>} : tensor<2xf32> -> tensor<9xf32>
  %r = snn.leaky "r"(%wo) {decay = #nir.dense<9xf64: 0.5>, gain = #nir.dense<9xf64: 0.25>, bias = #nir.dense<9xf64: 0.0>, threshold = #nir.dense<9xf64: 1.0>, v_reset = #nir.dense<9xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<9xf32> -> tensor<9xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [9]>} : tensor<9xf32>
}
