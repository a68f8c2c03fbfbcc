// RUN: nir-opt %s --split-input-file -p canonicalize | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'canonicalize{fold=false}' | filecheck %s

// The snn dialect's canonicalization (declared on snn.delay): a delay of zero steps
// goes, exactly (fold=false applies it too); a delay of one step stays; two equal
// snn.threshold nodes (Pure) are one.
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %d1 = snn.delay "d1"(%in) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %t = snn.threshold "t"(%d1) {threshold = #nir.dense<2xf32: 1.0>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%t, %t)
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %d0 = snn.delay "d0"(%in) {steps = #nir.dense<2xi64: 0>} : tensor<2xf32> -> tensor<2xf32>
  %d1 = snn.delay "d1"(%d0) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  %t = snn.threshold "t"(%d1) {threshold = #nir.dense<2xf32: 1.0>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
  %u = snn.threshold "u"(%d1) {threshold = #nir.dense<2xf32: 1.0>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%t, %u) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: a delay of zero steps in one element only.
// CHECK-LABEL: %in_keep = nir.input "in_keep"
// CHECK-NEXT:  %d = snn.delay "d"(%in_keep) {steps = #nir.dense<2xi64: [0, 2]>}
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %d = snn.delay "d"(%in_keep) {steps = #nir.dense<2xi64: [0, 2]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%d) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
