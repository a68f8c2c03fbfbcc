// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s --match-full-lines
//
// The verifier of loihi2.conv (Lava's Conv feeding a LIF): one broken rule per chunk, one
// line each; the last chunk is the valid layer the others change one thing of, printed as
// it was written.
// loihi2-shape: the kernel is 4-D
// CHECK: node 'c': weight is (out, in/groups, kH, kW), got shape [2, 4] [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x4xi64: 1>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// loihi2-shape: two strides
// CHECK: node 'c': 'stride' is two whole numbers >= 1 (height, width) [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<3xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// loihi2-shape: padding >= 0
// CHECK: node 'c': 'padding' is two whole numbers >= 0 (height, width) [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: [0, -1]>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// param-dtype: strides are integers
// CHECK: node 'c': parameter 'stride' must hold integers, got float64 [param-dtype]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xf64: 1.0>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// loihi2-shape: groups divide the outputs
// CHECK: node 'c': groups (3) must divide the 2 output channels [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 3 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// loihi2-shape: one bias per neuron
// CHECK: node 'c': bias_mant has shape [2], expected [8] [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<2xi64: 0>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// loihi2-range: 8 bits and a sign
// CHECK: node 'c': 'weight' must lie in [-256, 255] (8 bits and a sign) [loihi2-range]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [300, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// loihi2-fixed: all integers or all floats
// CHECK: node 'c': parameters are all integers (fixed point) or all floats [loihi2-fixed]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xf64: [1.0]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// edge-shape: the input's channels
// CHECK: node 'c': incoming edge carries shape [2, 3, 3], expected (1, H, W) [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 3, 3]>} : tensor<2x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<2x3x3xf32> -> tensor<2x2x2xf32>
}

// -----

// edge-shape: the kernel fits the input
// CHECK: node 'c': the kernel does not fit the input [1, 1, 1]: output [2, 0, 0] [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 1, 1]>} : tensor<1x1x1xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x1x1xf32> -> tensor<2x2x2xf32>
}

// -----

// The valid layer.
// CHECK: %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = loihi2.conv "c"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
}
