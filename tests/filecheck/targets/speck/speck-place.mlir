// RUN: nir-opt %s -p speck-place | filecheck %s
// RUN: nir-opt %s -p speck-place,speck-place | filecheck %s

// Each layer gets the lowest-numbered core among the complete placements: `a` (kernel
// memory 2 * 2^(0+6) = 128) fits every core and takes core 0; `big` and `big2` need
// 64 * 2^(4+6) = 65536 kernel entries, which only cores 5 and 6 have.  The layer that
// feeds the Output is monitored.  Placing twice changes nothing (second RUN line).
// CHECK:       %a = speck.layer "a"(%in) {{.*}} core = 0 : i64} : tensor<2x4x4xf32> -> tensor<64x4x4xf32>
// CHECK-NEXT:  %big = speck.layer "big"(%a) {{.*}} core = 5 : i64} : tensor<64x4x4xf32> -> tensor<64x4x4xf32>
// CHECK-NEXT:  %big2 = speck.layer "big2"(%big) {{.*}} core = 6 : i64, monitor} : tensor<64x4x4xf32> -> tensor<64x4x4xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %a = speck.layer "a"(%in) {weight = #nir.dense<64x2x1x1xi8: 1>, bias = #nir.dense<64xi8: 0>, threshold = #nir.dense<i16: 4>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<64x4x4xf32>
  %big = speck.layer "big"(%a) {weight = #nir.dense<64x64x3x3xi8: 1>, bias = #nir.dense<64xi8: 0>, threshold = #nir.dense<i16: 4>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 1>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<64x4x4xf32> -> tensor<64x4x4xf32>
  %big2 = speck.layer "big2"(%big) {weight = #nir.dense<64x64x3x3xi8: 1>, bias = #nir.dense<64xi8: 0>, threshold = #nir.dense<i16: 4>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 1>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<64x4x4xf32> -> tensor<64x4x4xf32>
  nir.output "out"(%big2) {shape = #nir.dense<3xi64: [64, 4, 4]>} : tensor<64x4x4xf32>
}
