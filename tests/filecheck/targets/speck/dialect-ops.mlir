// RUN: nir-opt %s | filecheck %s --match-full-lines
// RUN: nir-opt %s | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s -o %t.1.mlir && nir-opt %t.1.mlir -o %t.2.mlir && diff %t.1.mlir %t.2.mlir

// speck.layer, float (before speck-quantize) and integer (after, placed and monitored),
// inside a nir.graph; parameters print in the op's canonical order.

// CHECK:      builtin.module {
// CHECK-NEXT:   nir.graph {
// CHECK-NEXT:     %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 8, 8]>} : tensor<2x8x8xf32>
// CHECK-NEXT:     %f = speck.layer "f"(%in) {weight = #nir.dense<4x2x3x3xf32: 0.5>, bias = #nir.dense<4xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 1>, pool = #nir.dense<2xi64: 2>, reset = "subtract"} : tensor<2x8x8xf32> -> tensor<4x2x2xf32>
// CHECK-NEXT:     %q = speck.layer "q"(%f) {weight = #nir.dense<3x4x2x2xi8: -7>, bias = #nir.dense<3xi8: [1, 2, 3]>, threshold = #nir.dense<i16: 300>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, threshold_low = #nir.dense<i16: -300>, reset = "zero", scale = #nir.dense<f64: 254.0>, core = 3 : i64, monitor} : tensor<4x2x2xf32> -> tensor<3x1x1xf32>
// CHECK-NEXT:     nir.output "out"(%q) {shape = #nir.dense<3xi64: [3, 1, 1]>} : tensor<3x1x1xf32>
// CHECK-NEXT:   }
// CHECK-NEXT: }
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 8, 8]>} : tensor<2x8x8xf32>
  %f = speck.layer "f"(%in) {reset = "subtract", weight = #nir.dense<4x2x3x3xf32: 0.5>, bias = #nir.dense<4xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 1>, pool = #nir.dense<2xi64: 2>} : tensor<2x8x8xf32> -> tensor<4x2x2xf32>
  %q = speck.layer "q"(%f) {monitor, core = 3 : i64, weight = #nir.dense<3x4x2x2xi8: -7>, bias = #nir.dense<3xi8: [1, 2, 3]>, threshold = #nir.dense<i16: 300>, threshold_low = #nir.dense<i16: -300>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "zero", scale = #nir.dense<f64: 254.0>} : tensor<4x2x2xf32> -> tensor<3x1x1xf32>
  nir.output "out"(%q) {shape = #nir.dense<3xi64: [3, 1, 1]>} : tensor<3x1x1xf32>
}
