// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s
//
// Syntax errors of the nir dialect's custom forms and of #nir.dense, one per chunk:
// `line L:C: MESSAGE [text-syntax]`, L counted from the top of this file.

// A parameter the op does not have.
// CHECK: line 10:30: unknown parameter 'bogus' for nir.linear; expected one of edge_ids, metadata, weight [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bogus = #nir.dense<i64: 1>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// nir.graph properties: only metadata, input_ports, edge_ids (name is written before the operands).
// CHECK-NEXT: line 15:11: unknown property 'tau' for nir.graph [text-syntax]
nir.graph <{tau = #nir.dense<f32: 1.0>}> {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
// -----
// CHECK-NEXT: line 22:27: unknown property 'name' for nir.graph [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "g"(%in) <{name = "h"}> : (tensor<2xf32>) -> (tensor<2xf32>) {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "y"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// A nested graph lists one type per operand.
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: expected 1 input types, got 0 [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "g"(%in) : () -> (tensor<2xf32>) {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "y"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// Every node starts with its name.
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: string literal expected for the node name [text-syntax]
nir.graph {
  %in = nir.input {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
// -----
// Blobs: the key must be in the resource section, with the right number of bytes.
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: unknown blob 'nowhere': no such entry in the file's dialect_resources [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2x2xf32: blob "nowhere">} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: blob 'short' holds 12 bytes, 2x2 f32 needs 16 [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2x2xf32: blob "short">} : tensor<2xf32> -> tensor<2xf32>
}
{-#
  dialect_resources: {
    nir: {
      short: "0x040000000000803f0000004000004040"
    }
  }
#-}
// -----
// CHECK-NEXT: blob 'odd' is malformed [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2x2xf32: blob "odd">} : tensor<2xf32> -> tensor<2xf32>
}
{-#
  dialect_resources: {
    nir: {
      odd: "0x040000000000803f0"
    }
  }
#-}
// -----
// CHECK-NEXT: unterminated '{-#' resource section [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
{-#
  dialect_resources: {
    nir: {
    }
  }
// -----
// Inline elements: the count must match the shape, the element type must be supported.
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: expected 4 elements for shape [2, 2], got 3 [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: unsupported element type bf16 [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2x2xbf16: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: expected 'true' or 'false' [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>, metadata = {flag = #nir.dense<i1: 1>}} : tensor<2xf32>
}
// -----
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: Expected integer literal [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2.0]>} : tensor<2xf32>
}
// -----
// Not an op of the nir dialect.
// CHECK-NEXT: line {{[0-9]+:[0-9]+}}: Operation nir.bogus is not registered [text-syntax]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %x = nir.bogus "x"(%in) : tensor<2xf32> -> tensor<2xf32>
}

// CHECK-NOT: {{.}}
