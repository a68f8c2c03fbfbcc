// A Conv2d and a Flatten before the hidden population: Xylo has neither, and its input
// is 1-D channels.
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 2, 2]>} : tensor<1x2x2xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: 0.5>, bias = #nir.dense<1xf32: 0.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x2x2xf32> -> tensor<1x2x2xf32>
  %f = nir.flatten "f"(%c) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>} : tensor<1x2x2xf32> -> tensor<4xf32>
  %w1 = nir.linear "w1"(%f) {weight = #nir.dense<2x4xf32: 1.0>} : tensor<4xf32> -> tensor<2xf32>
  %h = snn.leaky "h"(%w1) {decay = #nir.dense<2xf64: 0.875>, gain = #nir.dense<2xf64: 0.5>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %wo = nir.linear "wo"(%h) {weight = #nir.dense<2x2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %r = snn.leaky "r"(%wo) {decay = #nir.dense<2xf64: 0.5>, gain = #nir.dense<2xf64: 0.25>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
