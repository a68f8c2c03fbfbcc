// #nir.dense literals accept exactly MLIR's number syntax (the fast text path and the token
// parser agree), and a repeated parameter key is an error.

// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s

nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>, metadata = {v = #nir.dense<f32: inf>}} : tensor<2xf32>
}
// CHECK: line {{[0-9]+:[0-9]+}}: {{.*}} [text-syntax]
// -----
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>, metadata = {v = #nir.dense<i32: 1_000>}} : tensor<2xf32>
}
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: {{.*}} [text-syntax]
// -----
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>, shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
}
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: Duplicate key 'shape' in dictionary attribute [text-syntax]
// CHECK-NOT: {{.}}
