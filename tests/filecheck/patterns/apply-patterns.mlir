// RUN: nir-opt %s --split-input-file --patterns %S/Inputs/rewrites.pat | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'apply-patterns{file="%S/Inputs/rewrites.pat"}' | filecheck %s
// RUN: not nir-opt %s --split-input-file --patterns %S/Inputs/rules.pat 2>&1 | filecheck %s --check-prefix=RULES --match-full-lines
// RUN: not nir-opt %s --patterns %S/Inputs/bad.pat 2>&1 | filecheck %s --check-prefix=BAD --match-full-lines
// RUN: not nir-opt %s -p apply-patterns 2>&1 | filecheck %s --check-prefix=NO-FILE --match-full-lines

// A user's pattern file: a Scale by one goes, then the two Linears merge into one that
// keeps the second's name (W2 W1).
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %b = nir.linear "b"(%in) {weight = #nir.dense<2x2xf32: [3.0, 4.0, 1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %lif = nir.lif "lif"(%b)
// RULES: nir-opt: error: {{.*}}apply-patterns.mlir: node 'lif2': a LIF reads a Linear of the input: expects nir.linear here, found nir.lif 'lif' [lif-reads-input]
// BAD: nir-opt: error: {{.*}}bad.pat: line 2:31: unknown op kind 'nir.linaer' (no registered dialect has it) [pattern-syntax]
// NO-FILE: nir-opt: error: bad options for pass 'apply-patterns': apply-patterns needs file=PATH (a pattern file, docs/patterns.md) (options: file)
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %a = nir.linear "a"(%in) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%a) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %b = nir.linear "b"(%s) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %lif = nir.lif "lif"(%b) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %lif2 = nir.lif "lif2"(%lif) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: a Linear read twice is no chain to merge, a Scale by two stays.
// CHECK-LABEL: %in_keep = nir.input "in_keep"
// CHECK-NEXT:  %a = nir.linear "a"(%in_keep)
// CHECK-NEXT:  %s = nir.scale "s"(%a) {scale = #nir.dense<2xf32: 2.0>}
// CHECK-NEXT:  %b = nir.linear "b"(%s)
// CHECK-NEXT:  %c = nir.linear "c"(%a)
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %a = nir.linear "a"(%in_keep) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%a) {scale = #nir.dense<2xf32: 2.0>} : tensor<2xf32> -> tensor<2xf32>
  %b = nir.linear "b"(%s) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %c = nir.linear "c"(%a) {weight = #nir.dense<2x2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%b, %c) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
