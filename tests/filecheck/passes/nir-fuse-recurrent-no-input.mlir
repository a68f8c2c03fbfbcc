// A neuron fed by nothing but its recurrence is left unfused: a nested graph without an
// Input node is not valid NIR (the reference package's nir.read rejects it with "No input
// nodes found"), and the snnTorch form has an input node.
//
// RUN: nir-opt %s -p nir-fuse-recurrent | filecheck %s

// CHECK-NOT:  nir.graph "
// CHECK:      %self = nir.lif "self"(%srec)
// CHECK:      %srec = nir.linear "srec"(%self)
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %s = nir.scale "s"(%in) {scale = #nir.dense<2xf32: 2.0>} : tensor<2xf32> -> tensor<2xf32>
  %self = nir.lif "self"(%srec) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 1.5>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %srec = nir.linear "srec"(%self) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "o1"(%s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o2"(%self) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
