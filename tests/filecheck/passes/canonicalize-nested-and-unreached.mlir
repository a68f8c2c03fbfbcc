// Regressions.  A nested graph that no Output reads is erased by the graph around it;
// the graphs are processed inner first so that erasing it is safe.  Cycles whose entry
// no Input reaches (entered nowhere, or only from an input-less source) are scheduled
// in block order, which a rewrite could change: they, and what feeds them, stay.
//
// RUN: nir-opt %s --split-input-file -p canonicalize | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'canonicalize{fold=false}' | filecheck %s

// CHECK-LABEL:  %in_ds = nir.input "in_ds"
// CHECK-NEXT:   %lin = nir.linear "lin"(%in_ds)
// CHECK-NEXT:   nir.output "out"(%lin)
// CHECK-NEXT: }
builtin.module {
  nir.graph {
    %in_ds = nir.input "in_ds" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %lin = nir.linear "lin"(%in_ds) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
    nir.output "out"(%lin) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %sub = nir.graph "sub"(%in_ds) : (tensor<2xf32>) -> (tensor<2xf32>) {
      %i = nir.input "i" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
      %s = nir.scale "s"(%i) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
      nir.output "o"(%s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    }
  }
}

// -----
// A cycle entered nowhere: b2 reads b1, whose only reader it is, yet they stay apart.
// CHECK-LABEL:  %in_en = nir.input "in_en"
// CHECK-NEXT:   %b2 = nir.affine "b2"(%b1)
// CHECK-NEXT:   %e = nir.li "e"(%b2)
// CHECK-NEXT:   %b1 = nir.linear "b1"(%e)
// CHECK-NEXT:   nir.output "out"(%e)
nir.graph {
  %in_en = nir.input "in_en" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b2 = nir.affine "b2"(%b1) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 1.0]>, bias = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %e = nir.li "e"(%b2) {tau = #nir.dense<2xf32: 0.001>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %b1 = nir.linear "b1"(%e) {weight = #nir.dense<2x2xf32: [0.5, 0.0, 0.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%e) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Entered only from the input-less Affine x: the identity Scale s stays, and so does
// the identity Scale t that feeds x.
// CHECK-LABEL:  %in_un = nir.input "in_un"
// CHECK-NEXT:   %s = nir.scale "s"(%b)
// CHECK-NEXT:   %b = nir.affine "b"(%e)
// CHECK-NEXT:   %e = nir.li "e"(%s, %x)
// CHECK-NEXT:   %c = nir.affine "c"
// CHECK-NEXT:   %t = nir.scale "t"(%c)
// CHECK-NEXT:   %x = nir.affine "x"(%t)
// CHECK-NEXT:   nir.output "out"(%e)
nir.graph {
  %in_un = nir.input "in_un" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %s = nir.scale "s"(%b) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %b = nir.affine "b"(%e) {weight = #nir.dense<2x2xf32: [0.5, 0.0, 0.0, 0.5]>, bias = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %e = nir.li "e"(%s, %x) {tau = #nir.dense<2xf32: 0.001>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %c = nir.affine "c" {weight = #nir.dense<2x2xf32: [0.5, 0.0, 0.0, 0.5]>, bias = #nir.dense<2xf32: 3.0>} : tensor<2xf32>
  %t = nir.scale "t"(%c) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %x = nir.affine "x"(%t) {weight = #nir.dense<2x2xf32: [0.5, 0.0, 0.0, 0.5]>, bias = #nir.dense<2xf32: 3.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%e) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// The same cycle fed from the Input as well is rewritten: the identity Scale goes.
// CHECK-LABEL:  %in_re = nir.input "in_re"
// CHECK-NEXT:   %b = nir.affine "b"(%e)
// CHECK-NEXT:   %e = nir.li "e"(%b, %in_re)
// CHECK-NEXT:   nir.output "out"(%e)
nir.graph {
  %in_re = nir.input "in_re" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %s = nir.scale "s"(%b) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %b = nir.affine "b"(%e) {weight = #nir.dense<2x2xf32: [0.5, 0.0, 0.0, 0.5]>, bias = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %e = nir.li "e"(%s, %in_re) {tau = #nir.dense<2xf32: 0.001>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%e) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
