// Text -> .nir -> text.  Export writes one edge per operand (a nested graph's ports
// as "graph.port"), metadata and parameters with their dtypes; discardable attributes
// have no NIR equivalent and are dropped.  Import orders nodes depth-first from the
// inputs, sorts metadata keys (HDF5 order) and records the file's edge order in
// edge_ids where it differs from the block order.  A second export/import is stable.

// RUN: nir-translate --export-nir %s -o %t.nir
// RUN: nir-translate --import-nir %t.nir | filecheck %s --match-full-lines
// RUN: nir-translate --import-nir %t.nir -o %t.1.mlir
// RUN: nir-translate --export-nir %t.1.mlir -o %t.2.nir
// RUN: nir-translate --import-nir %t.2.nir -o %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir
// The edge list of the file, in order.
// RUN: python -c "import h5py, sys; [print(a.decode(), '->', b.decode()) for a, b in h5py.File(sys.argv[1])['node/edges'][()]]" %t.nir | filecheck %s --check-prefix=EDGES --match-full-lines

nir.graph <{metadata = {zeta = "last", alpha = #nir.dense<2xi32: [1, 2]>, mid = {b = "x", a = #nir.dense<f64: 0.5>}}}> {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %m:2 = nir.graph "multi"(%in, %rec) <{input_ports = ["b", "a"], metadata = {kind = "two ports"}}> : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
    %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %b = nir.input "b" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %sum = nir.scale "sum"(%a, %b) {scale = #nir.dense<2xf32: [1.0, -1.0]>} : tensor<2xf32> -> tensor<2xf32>
    nir.output "o1"(%sum) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "o2"(%a) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
  %rec = nir.lif "rec"(%m#0, %rec) {tau = #nir.dense<2xf32: [0.01, 0.02]>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, metadata = {note = "self-loop"}} attributes {dropped = "not NIR"} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%rec, %m#1) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// CHECK:      builtin.module {
// CHECK-NEXT:   nir.graph <{metadata = {alpha = #nir.dense<2xi32: [1, 2]>, mid = {a = #nir.dense<f64: 0.5>, b = "x"}, zeta = "last"}}> {
// CHECK-NEXT:     %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:     %multi_o1, %multi_o2 = nir.graph "multi"(%in, %rec) <{metadata = {kind = "two ports"}, input_ports = ["b", "a"]}> : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
// CHECK-NEXT:       %b = nir.input "b" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:       %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:       %sum = nir.scale "sum"(%a, %b) {scale = #nir.dense<2xf32: [1.0, -1.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:       nir.output "o1"(%sum) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:       nir.output "o2"(%a) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:     }
// CHECK-NEXT:     %rec = nir.lif "rec"(%multi_o1, %rec) {tau = #nir.dense<2xf32: [0.01, 0.02]>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, metadata = {note = "self-loop"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:     nir.output "out"(%rec, %multi_o2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:   }
// CHECK-NEXT: }
// CHECK-NOT: {{.}}

// EDGES:      in -> multi.b
// EDGES-NEXT: rec -> multi.a
// EDGES-NEXT: rec -> out
// EDGES-NEXT: multi.o2 -> out
// EDGES-NEXT: multi.o1 -> rec
// EDGES-NEXT: rec -> rec
// EDGES-NOT: {{.}}
