// RUN: nir-opt %s --split-input-file -p inline-graphs | filecheck %s
// RUN: nir-opt %s --split-input-file --inline-graphs | filecheck %s
// RUN: nir-opt %corpus/braille_noDelay_bias_zero.nir -p nir-fuse-recurrent,inline-graphs | filecheck %s --check-prefix=ROUNDTRIP

// The Braille recurrence as snnTorch exports it, a nested graph "lif1": its nodes join the
// top graph as "lif1.lif" and "lif1.w_rec" (the flat Braille files' names); fc1 feeds the
// neuron directly and fc2 reads it.
// CHECK-LABEL: %in_braille = nir.input "in_braille" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %fc1 = nir.affine "fc1"(%in_braille) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %lif1_lif = nir.cuba_lif "lif1.lif"(%fc1, %lif1_w_rec) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: [1.0, 0.5]>, metadata = {note = "m"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %lif1_w_rec = nir.linear "lif1.w_rec"(%lif1_lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %fc2 = nir.linear "fc2"(%lif1_lif) {weight = #nir.dense<1x2xf32: 1.0>} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "output"(%fc2) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// CHECK-NEXT: }
// CHECK-NOT:   nir.graph "
nir.graph {
  %in_braille = nir.input "in_braille" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc1 = nir.affine "fc1"(%in_braille) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %lif1 = nir.graph "lif1"(%fc1) : (tensor<2xf32>) -> (tensor<2xf32>) {
    %input = nir.input "input" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %lif = nir.cuba_lif "lif"(%input, %w_rec) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: [1.0, 0.5]>, metadata = {note = "m"}} : tensor<2xf32> -> tensor<2xf32>
    %w_rec = nir.linear "w_rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
    nir.output "output"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
  %fc2 = nir.linear "fc2"(%lif1) {weight = #nir.dense<1x2xf32: 1.0>} : tensor<2xf32> -> tensor<1xf32>
  nir.output "output"(%fc2) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// Two levels: "h" inside "g" becomes "g.h.x"; "g.x" is taken in the top graph, so g's own
// "x" becomes "g.x.1". g's Output summed h and x: s now reads both after its own first
// edge, and loses its edge_ids (they named the old edges).
// CHECK-LABEL: %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %g_x1 = nir.scale "g.x.1"(%in) {scale = #nir.dense<2xf64: 0.5>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %g_h_x = nir.scale "g.h.x"(%in) {scale = #nir.dense<2xf64: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %g_x = nir.scale "g.x"(%in) {scale = #nir.dense<2xf64: [1.0, -1.0]>, edge_ids = #nir.dense<1xi64: [0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %s = nir.scale "s"(%g_x, %g_h_x, %g_x1) {scale = #nir.dense<2xf64: 4.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%s) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [4]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "g"(%in) <{edge_ids = #nir.dense<1xi64: [1]>}> : (tensor<2xf32>) -> (tensor<2xf32>) {
    %i = nir.input "i" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %x = nir.scale "x"(%i) {scale = #nir.dense<2xf64: 0.5>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<2xf32> -> tensor<2xf32>
    %h = nir.graph "h"(%i) <{edge_ids = #nir.dense<1xi64: [0]>}> : (tensor<2xf32>) -> (tensor<2xf32>) {
      %i_1 = nir.input "i" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
      %x_1 = nir.scale "x"(%i_1) {scale = #nir.dense<2xf64: [2.0, 3.0]>, edge_ids = #nir.dense<1xi64: [0]>} : tensor<2xf32> -> tensor<2xf32>
      nir.output "o"(%x_1) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<2xf32>
    }
    nir.output "o"(%h, %x) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<2xi64: [2, 3]>} : tensor<2xf32>
  }
  %g_x = nir.scale "g.x"(%in) {scale = #nir.dense<2xf64: [1.0, -1.0]>, edge_ids = #nir.dense<1xi64: [0]>} : tensor<2xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%g_x, %g) {scale = #nir.dense<2xf64: 4.0>, edge_ids = #nir.dense<2xi64: [2, 3]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%s) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [4]>} : tensor<2xf32>
}

// -----
// A flat graph stays as it is.
// CHECK-LABEL: %flat_in = nir.input "flat_in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %flat_s = nir.scale "flat.s"(%flat_in) {scale = #nir.dense<2xf64: 2.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "flat_out"(%flat_s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %flat_in = nir.input "flat_in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %flat_s = nir.scale "flat.s"(%flat_in) {scale = #nir.dense<2xf64: 2.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "flat_out"(%flat_s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// nir-fuse-recurrent then inline-graphs gives the flat Braille graph back under its own
// names (the recurrent edge now last, as nir-fuse-recurrent orders a neuron's edges).
// ROUNDTRIP:      %lif1_lif = nir.cuba_lif "lif1.lif"(%fc1, %lif1_w_rec)
// ROUNDTRIP-NEXT: %lif1_w_rec = nir.affine "lif1.w_rec"(%lif1_lif)
// ROUNDTRIP-NEXT: %fc2 = nir.affine "fc2"(%lif1_lif)
// ROUNDTRIP-NOT:  nir.graph "
