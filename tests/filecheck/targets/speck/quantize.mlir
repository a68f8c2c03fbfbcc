// RUN: nir-opt %s --split-input-file -p 'quantize{weight-bits=8 bias-bits=8 threshold-bits=16}' | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'quantize{weight-bits=8 bias-bits=8 threshold-bits=16},quantize{weight-bits=8 bias-bits=8 threshold-bits=16}' | filecheck %s

// nirc's generic quantize as nir-to-speck configures it: speck.layer declares its
// parameters' roles (the Quantizable trait).  One factor per layer: weights 0.5 -> 127 (s = 127 / 0.5 = 254, the int8 range binds),
// bias 0.25 -> round(63.5) = 64 (half to even), threshold 1 -> 254, threshold_low
// -1 -> -254; `scale` records s.  The second layer's negative weight binds at -128
// (s = 128 / 0.5 = 256): 0.25 -> 64, threshold 1.5 -> 384.  Quantizing twice changes
// nothing (the second RUN line).
// CHECK-LABEL:  %in = nir.input "in"
// CHECK-NEXT:   %a = speck.layer "a"(%in) {weight = #nir.dense<3x2x1x1xi8: 127>, bias = #nir.dense<3xi8: 64>, threshold = #nir.dense<i16: 254>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, threshold_low = #nir.dense<i16: -254>, reset = "subtract", scale = #nir.dense<f64: 254.0>} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
// CHECK-NEXT:   %b = speck.layer "b"(%a) {weight = #nir.dense<2x3x1x1xi8: [-128, 64, 64, -128, 64, 64]>, bias = #nir.dense<2xi8: 0>, threshold = #nir.dense<i16: 384>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "zero", scale = #nir.dense<f64: 256.0>} : tensor<3x4x4xf32> -> tensor<2x4x4xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %a = speck.layer "a"(%in) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.25>, threshold = #nir.dense<f64: 1.0>, threshold_low = #nir.dense<f64: -1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
  %b = speck.layer "b"(%a) {weight = #nir.dense<2x3x1x1xf32: [-0.5, 0.25, 0.25, -0.5, 0.25, 0.25]>, bias = #nir.dense<2xf32: 0.0>, threshold = #nir.dense<f64: 1.5>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "zero"} : tensor<3x4x4xf32> -> tensor<2x4x4xf32>
  nir.output "out"(%b) {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
}
