// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s
//
// One violated rule of speck.layer's verifier per chunk, printed as one line.

// weight-rank: the kernel is (C_out, C_in, ky, kx)
// CHECK: node 'l': weight must be 4-D (C_out, C_in, ky, kx), got shape [3, 2] [weight-rank]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// bias-shape: one bias per output channel
// CHECK-NEXT: node 'l': bias has shape [2], expected [3] [bias-shape]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<2xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// speck-threshold: one threshold per layer
// CHECK-NEXT: node 'l': 'threshold' is one number per layer, got shape [3] [speck-threshold]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<3xf64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// speck-threshold: the threshold is positive
// CHECK-NEXT: node 'l': threshold must be > 0, got 0.0 [speck-threshold]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 0.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// speck-threshold: the floor is not above zero
// CHECK-NEXT: node 'l': threshold_low must be <= 0, got 0.5 [speck-threshold]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract", threshold_low = #nir.dense<f64: 0.5>} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// speck-reset: subtract or zero
// CHECK-NEXT: node 'l': reset must be one of subtract, zero, got 'value' [speck-reset]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "value"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// speck-quantized: integers everywhere or nowhere
// CHECK-NEXT: node 'l': weight, bias and thresholds are all integers (quantized) or all floats [speck-quantized]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xi8: 1>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// speck-geometry: strides are at least 1
// CHECK-NEXT: node 'l': stride and pool must be >= 1, padding >= 0 [speck-geometry]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 0>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// param-dtype: pooling is a whole number
// CHECK-NEXT: node 'l': parameter 'pool' must hold integers, got float32 [param-dtype]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xf32: 2.0>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// finite-params: finite weights
// CHECK-NEXT: node 'l': parameter 'weight' has non-finite values [finite-params]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0x7FC00000>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// speck-fan-in: a core reads one source
// CHECK-NEXT: node 'l': a core reads one source, got 2 incoming edges [speck-fan-in]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v, %v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// edge-shape: the source has the kernel's input channels
// CHECK-NEXT: node 'l': incoming edge carries shape [2, 4, 4], expected (C_in=5, H, W) [edge-shape]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x5x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}

// -----
// result-type: the result is what pool, kernel and stride make of the input
// CHECK-NEXT: node 'l': result has shape [3, 2, 2], inferred [3, 4, 4] [result-type]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%v) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x2x2xf32>
}

// CHECK-NOT: {{.}}
