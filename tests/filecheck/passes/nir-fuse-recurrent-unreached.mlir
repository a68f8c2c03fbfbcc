// An Affine recurrence whose neuron no Input reaches is left unfused: block order puts
// the Affine first, so its bias reaches the neuron at the first step, which the fused
// form (recurrent term zero at the first step) would not do.  The same recurrence with
// a Linear (no bias: the same either way) fuses.
//
// RUN: nir-opt %s --split-input-file -p nir-fuse-recurrent | filecheck %s

// CHECK-LABEL: %in_a = nir.input "in_a"
// CHECK-NOT:   nir.graph "
// CHECK:       %w = nir.affine "w"(%n)
// CHECK:       %n = nir.lif "n"(%c, %w)
nir.graph {
  %in_a = nir.input "in_a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w = nir.affine "w"(%n) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, bias = #nir.dense<2xf32: 0.5>} : tensor<2xf32> -> tensor<2xf32>
  %c = nir.affine "c" {weight = #nir.dense<2x2xf32: [0.5, 0.0, 0.0, 0.5]>, bias = #nir.dense<2xf32: 3.0>} : tensor<2xf32>
  %n = nir.lif "n"(%c, %w) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%n) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// CHECK-LABEL: %in_l = nir.input "in_l"
// CHECK:       nir.graph "n.rec"(%c)
// CHECK-NOT:   nir.lif "n"
nir.graph {
  %in_l = nir.input "in_l" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w = nir.linear "w"(%n) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %c = nir.affine "c" {weight = #nir.dense<2x2xf32: [0.5, 0.0, 0.0, 0.5]>, bias = #nir.dense<2xf32: 3.0>} : tensor<2xf32>
  %n = nir.lif "n"(%c, %w) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%n) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
