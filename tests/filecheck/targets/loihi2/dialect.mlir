// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s --match-full-lines
//
// The verifier of loihi2.dense: one broken rule per chunk, one line each; the last chunk
// is the valid layer the others change one thing of, printed as it was written.

// loihi2-shape: weight is (neurons, inputs)
// CHECK: node 'l': weight is (neurons, inputs), got shape [6] [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<6xi64: 1>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-shape: weight_rec is (neurons, neurons)
// CHECK: node 'l': weight_rec is (2, 2), got shape [3, 3] [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64, weight_rec = #nir.dense<3x3xi64: 1>} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-shape: one decay per layer
// CHECK: node 'l': 'du' is one number per layer, got shape [2] [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<2xi64: 1>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-shape: one bias per neuron
// CHECK: node 'l': bias_mant has shape [3], expected [2] [loihi2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<3xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-fixed: integers or floats, not both
// CHECK: node 'l': parameters are all integers (fixed point) or all floats [loihi2-fixed]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<f32: 0.1>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-range: du is 12 bits
// CHECK: node 'l': 'du' must lie in [0, 4095], got values in [4096, 4096] [loihi2-range]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4096>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-range: vth is 17 bits
// CHECK: node 'l': 'vth' must lie in [0, 131071], got values in [131072, 131072] [loihi2-range]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 131072>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-range: bias_mant is 13 bits
// CHECK: node 'l': 'bias_mant' must lie in [-4096, 4095], got values in [-4097, 0] [loihi2-range]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: [-4097, 0]>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-range: weights are 8 bits and a sign
// CHECK: node 'l': 'weight' must lie in [-256, 255] (8 bits and a sign) [loihi2-range]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [300, 0, 0, 0, 0, 0]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-decay: a float decay lies in [0, 1]
// CHECK: node 'l': 'dv' is a decay in [0, 1], got 1.5 [loihi2-decay]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xf32: 0.5>, du = #nir.dense<f32: 1.0>, dv = #nir.dense<f32: 1.5>, vth = #nir.dense<f32: 0.1>, bias_mant = #nir.dense<2xf32: 0.0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-weight: weight_exp -8 .. 7
// CHECK: node 'l': weight_exp is from -8 to 7, got 8 [loihi2-weight]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 8 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-weight: 1 .. 8 weight bits (9 only for weights of both signs, as netx sets it)
// CHECK: node 'l': num_weight_bits is from 1 to 8 (9 for weights of both signs, as netx sets it), got 10 [loihi2-weight]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 10 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-bias: bias_exp 0 .. 7
// CHECK: node 'l': bias_exp is from 0 to 7, got 8 [loihi2-bias]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 8 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// loihi2-weight: 9 weight bits only for weights of both signs
// CHECK: node 'l': num_weight_bits is from 1 to 8 (9 for weights of both signs, as netx sets it), got 9 [loihi2-weight]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, 20, 30, 40, 50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 9 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}

// -----

// The valid layer (the paper's LIF benchmark in Lava's fixed point).
// CHECK: %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %l = loihi2.dense "l"(%in) {weight = #nir.dense<2x3xi64: [10, -20, 30, 40, -50, 60]>, du = #nir.dense<i64: 4095>, dv = #nir.dense<i64: 163>, vth = #nir.dense<i64: 25>, bias_mant = #nir.dense<2xi64: 0>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<3xf32> -> tensor<2xf32>
}
