// Regression: canonicalize reaches a fixed point in one run.  `cse` and `dead-nodes`
// leave nodes with a sole reader; the merge-matrix and fold-scale they enable must
// happen in the same run, not only with `-p canonicalize,canonicalize`.
//
// RUN: nir-opt %s --split-input-file -p canonicalize | filecheck %s

// After cse merges b2 into b1, a's only reader is b1: a ⊳ b1 merges into
// W = [[1, 0], [0, 2]] [[1, 2], [3, 4]] = [[1, 2], [6, 8]], named b1.
// CHECK-LABEL: %in_cse = nir.input "in_cse"
// CHECK-NEXT:  %b1 = nir.linear "b1"(%in_cse) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 6.0, 8.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "o1"(%b1)
// CHECK-NEXT:  nir.output "o2"(%b1)
nir.graph {
  %in_cse = nir.input "in_cse" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %a = nir.linear "a"(%in_cse) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %b1 = nir.linear "b1"(%a) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %b2 = nir.linear "b2"(%a) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "o1"(%b1) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o2"(%b2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// After dead-nodes removes the unobserved LI, a's only reader is the Scale s: a ⊳ s
// folds into W = diag([2, 3]) [[1, 2], [3, 4]] = [[2, 4], [9, 12]], named s.
// CHECK-LABEL: %in_dead = nir.input "in_dead"
// CHECK-NEXT:  %s = nir.linear "s"(%in_dead) {weight = #nir.dense<2x2xf32: [2.0, 4.0, 9.0, 12.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%s)
nir.graph {
  %in_dead = nir.input "in_dead" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %a = nir.linear "a"(%in_dead) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%a) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
  %d = nir.li "dead"(%a) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
