// Node names are kept verbatim, whatever characters they hold: printed as MLIR
// string literals (non-printable and non-ASCII bytes as \XX escapes), written to and
// read from .nir unchanged.  SSA names are derived from them (other characters -> _).
// (Re-parsing printed non-ASCII text is a known bug: see known-bugs/unicode-names.mlir;
// printed ASCII escapes round-trip, see graph.mlir.)

// RUN: nir-opt %s | filecheck %s --match-full-lines
// RUN: nir-translate --export-nir %s -o %t.nir
// RUN: nir-translate --import-nir %t.nir | filecheck %s --check-prefix=NIR --match-full-lines

nir.graph {
  %a = nir.input "é 🧠" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = nir.scale "tab\there new\nline"(%a) {scale = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %c = nir.scale "q\"uote back\\slash"(%b) {scale = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %d = nir.scale "a.b c-d:e"(%c) {scale = #nir.dense<2xf32: [1.0, 2.0]>, metadata = {"key with space" = "ünï", "x.y" = "v"}} : tensor<2xf32> -> tensor<2xf32>
  nir.output "9out"(%d) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// CHECK:      builtin.module {
// CHECK-NEXT:   nir.graph {
// CHECK-NEXT:     %a = nir.input "é 🧠" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:     %b = nir.scale "tab\09here new\0Aline"(%a) {scale = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:     %c = nir.scale "q\22uote back\\slash"(%b) {scale = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:     %d = nir.scale "a.b c-d:e"(%c) {scale = #nir.dense<2xf32: [1.0, 2.0]>, metadata = {"key with space" = "ünï", x.y = "v"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:     nir.output "9out"(%d) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:   }
// CHECK-NEXT: }
// CHECK-NOT: {{.}}

// NIR:      builtin.module {
// NIR-NEXT:   nir.graph {
// NIR-NEXT:     %n = nir.input "é 🧠" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NIR-NEXT:     %tab_here_new_line = nir.scale "tab\09here new\0Aline"(%n) {scale = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
// NIR-NEXT:     %q_uote_back_slash = nir.scale "q\22uote back\\slash"(%tab_here_new_line) {scale = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
// NIR-NEXT:     %a_b_c_d_e = nir.scale "a.b c-d:e"(%q_uote_back_slash) {scale = #nir.dense<2xf32: [1.0, 2.0]>, metadata = {"key with space" = "ünï", x.y = "v"}} : tensor<2xf32> -> tensor<2xf32>
// NIR-NEXT:     nir.output "9out"(%a_b_c_d_e) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NIR-NEXT:   }
// NIR-NEXT: }
// NIR-NOT: {{.}}
