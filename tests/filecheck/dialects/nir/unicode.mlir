// Non-ASCII names and strings print as UTF-8 text and read back (xDSL's own printer
// escapes them into a form its lexer reads as bytes).

// RUN: nir-opt %s | nir-opt | filecheck %s
// RUN: nir-opt %s --print-op-generic | nir-opt | filecheck %s
// RUN: nir-opt %s -o %t.mlir && nir-translate --export-nir %t.mlir -o %t.nir
// RUN: nir-translate --import-nir %t.nir | filecheck %s --check-prefix=NIR

nir.graph <{metadata = {note = "ü"}}> {
  %in = nir.input "é 🧠" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
// CHECK: nir.graph <{metadata = {note = "ü"}}> {
// CHECK: %{{.*}} = nir.input "é 🧠" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NIR: nir.graph <{metadata = {note = "ü"}}> {
// NIR: %n = nir.input "é 🧠" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
