// Literals that do not fit the element type are syntax errors, not crashes.

// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s

nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>, metadata = {v = #nir.dense<i8: 300>}} : tensor<2xf32>
}
// CHECK: line {{[0-9]+:[0-9]+}}: {{.*}} [text-syntax]
// -----
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>, metadata = {v = #nir.dense<f32: 0x1FF800000>}} : tensor<2xf32>
}
// CHECK: line {{[0-9]+:[0-9]+}}: {{.*}} [text-syntax]
