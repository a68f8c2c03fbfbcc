// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s --match-full-lines
//
// The verifier of lava_dl.dense: one broken rule per chunk, one line each; the last chunk
// is the valid block the others change one thing of, printed as it was written.

// lava-dl-shape: float (neurons, inputs) weights
// CHECK: node 'b': weight is a float (neurons, inputs) matrix, got int64 [1, 2] [lava-dl-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = lava_dl.dense "b"(%in) {weight = #nir.dense<1x2xi64: [1, 2]>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, scale = 64 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----

// lava-dl-range: decays are 0 ... 4096
// CHECK: node 'b': 'voltage_decay' is one whole number per block from 0 to 4096 [lava-dl-range]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = lava_dl.dense "b"(%in) {weight = #nir.dense<1x2xf32: [0.5, -0.25]>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [5000]>, threshold = #nir.dense<1xi64: [6]>, scale = 64 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----

// lava-dl-range: a scale >= 1
// CHECK: node 'b': scale is a whole number >= 1, got 0 [lava-dl-range]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = lava_dl.dense "b"(%in) {weight = #nir.dense<1x2xf32: [0.5, -0.25]>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, scale = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----

// lava-dl-fan-in: one source
// CHECK: node 'b': a block reads one source, got 2 incoming edges [lava-dl-fan-in]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = lava_dl.dense "b"(%in, %in) {weight = #nir.dense<1x2xf32: [0.5, -0.25]>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, scale = 64 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----

// lava-dl-shape: groups divide the output channels
// CHECK: node 'c': groups (2) must divide the 3 output channels [lava-dl-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %c = lava_dl.conv "c"(%in) {weight = #nir.dense<3x1x3x3xf32: 0.5>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, groups = 2 : i64, scale = 64 : i64} : tensor<2x4x4xf32> -> tensor<3x2x2xf32>
}

// -----

// edge-shape: a conv reads (C, H, W) with C = in/groups * groups
// CHECK: node 'c': incoming edge carries shape [3, 4, 4], expected (2, H, W) [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [3, 4, 4]>} : tensor<3x4x4xf32>
  %c = lava_dl.conv "c"(%in) {weight = #nir.dense<3x2x3x3xf32: 0.5>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, groups = 1 : i64, scale = 64 : i64} : tensor<3x4x4xf32> -> tensor<3x2x2xf32>
}

// -----

// A valid conv block (stride 2, padding 1: 4x4 -> 2x2), printed as written.
// CHECK:      %c = lava_dl.conv "c"(%in) {weight = #nir.dense<3x2x3x3xf32: 0.5>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 1>, dilation = #nir.dense<2xi64: 1>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, groups = 1 : i64, scale = 64 : i64, delay_shift} : tensor<2x4x4xf32> -> tensor<3x2x2xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %c = lava_dl.conv "c"(%in) {weight = #nir.dense<3x2x3x3xf32: 0.5>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 1>, dilation = #nir.dense<2xi64: 1>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, groups = 1 : i64, scale = 64 : i64, delay_shift} : tensor<2x4x4xf32> -> tensor<3x2x2xf32>
}

// -----

// CHECK:      builtin.module {
// CHECK-NEXT:   nir.graph {
// CHECK-NEXT:     %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:     %b = lava_dl.dense "b"(%in) {weight = #nir.dense<1x2xf32: [0.5, -0.25]>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, scale = 64 : i64, delay_shift} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:   }
// CHECK-NEXT: }
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = lava_dl.dense "b"(%in) {weight = #nir.dense<1x2xf32: [0.5, -0.25]>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, scale = 64 : i64, delay_shift} : tensor<2xf32> -> tensor<1xf32>
}
