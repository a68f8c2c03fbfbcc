// RUN: nir-opt %s | filecheck %s --match-full-lines
// RUN: nir-opt %s | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: nir-opt %s -o %t.1.mlir && nir-opt %t.1.mlir -o %t.2.mlir && diff %t.1.mlir %t.2.mlir

// Graph structure: nested graphs (one input; several inputs chosen by input_ports,
// several outputs), metadata on graphs and nodes, fan-in (several operands, summed),
// recurrence (a forward reference and a self-loop: the block is a graph region),
// edge_ids, and node names that are not identifiers.

// CHECK:      builtin.module {
// CHECK-NEXT: nir.graph <{metadata = {author = "nirc tests", version = #nir.dense<i64: 3>, nested = {deep = {x = #nir.dense<2xf64: [1.5, 2.5]>}, tags = ["a", "b c"]}, dt = #nir.dense<f32: 1.0e-04>}}> {
nir.graph <{metadata = {author = "nirc tests", version = #nir.dense<i64: 3>, nested = {deep = {x = #nir.dense<2xf64: [1.5, 2.5]>}, tags = ["a", "b c"]}, dt = #nir.dense<f32: 1.0e-04>}}> {
  // CHECK-NEXT: %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  // A nested graph with one input: its operand feeds that input.
  // CHECK-NEXT: %sub = nir.graph "sub"(%in) <{metadata = {kind = "single"}}> : (tensor<2xf32>) -> (tensor<2xf32>) {
  %sub = nir.graph "sub"(%in) <{metadata = {kind = "single"}}> : (tensor<2xf32>) -> (tensor<2xf32>) {
    // CHECK-NEXT: %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    // CHECK-NEXT: %s = nir.scale "s"(%x) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
    %s = nir.scale "s"(%x) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
    // CHECK-NEXT: nir.output "y"(%s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "y"(%s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  // CHECK-NEXT: }
  }
  // Several inputs, named per operand by input_ports; results in block order of the outputs.
  // CHECK-NEXT: %m, %m_1 = nir.graph "multi"(%sub, %in) <{input_ports = ["b", "a"]}> : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %m:2 = nir.graph "multi"(%sub, %in) <{input_ports = ["b", "a"]}> : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
    // CHECK-NEXT: %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    // CHECK-NEXT: %b = nir.input "b" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %b = nir.input "b" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    // CHECK-NEXT: %sum = nir.scale "sum"(%a, %b) {scale = #nir.dense<2xf32: [1.0, -1.0]>} : tensor<2xf32> -> tensor<2xf32>
    %sum = nir.scale "sum"(%a, %b) {scale = #nir.dense<2xf32: [1.0, -1.0]>} : tensor<2xf32> -> tensor<2xf32>
    // CHECK-NEXT: nir.output "o1"(%sum) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "o1"(%sum) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    // CHECK-NEXT: nir.output "o2"(%a) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "o2"(%a) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  // CHECK-NEXT: }
  }
  // Fan-in of three edges: a forward reference (%w), a graph result and a self-loop.
  // CHECK-NEXT: %rec = nir.lif "rec"(%w, %m, %rec) {tau = #nir.dense<2xf32: [0.01, 0.02]>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, metadata = {note = "self-loop", gain = #nir.dense<f64: 0.5>}, edge_ids = #nir.dense<3xi64: [4, 0, 2]>} : tensor<2xf32> -> tensor<2xf32>
  %rec = nir.lif "rec"(%w, %m#0, %rec) {tau = #nir.dense<2xf32: [0.01, 0.02]>, r = #nir.dense<2xf32: [1.0, 1.0]>, v_leak = #nir.dense<2xf32: [0.0, 0.0]>, v_threshold = #nir.dense<2xf32: [1.0, 1.0]>, v_reset = #nir.dense<2xf32: [0.0, 0.0]>, edge_ids = #nir.dense<3xi64: [4, 0, 2]>, metadata = {note = "self-loop", gain = #nir.dense<f64: 0.5>}} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %w = nir.linear "w \22q\22 x.y 'z' \\ back"(%rec) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %w = nir.linear "w \"q\" x.y 'z' \\ back"(%rec) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %sp = nir.scale "with space.and.dots"(%w) {scale = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %sp = nir.scale "with space.and.dots"(%w) {scale = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  // A nested graph with a nested graph, and a graph without incoming edges.
  // CHECK-NEXT: %outer = nir.graph "outer"(%sp) : (tensor<2xf32>) -> (tensor<4xf32>) {
  %outer = nir.graph "outer"(%sp) : (tensor<2xf32>) -> (tensor<4xf32>) {
    // CHECK-NEXT: %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    // CHECK-NEXT: %inner = nir.graph "inner"(%x) : (tensor<2xf32>) -> (tensor<4xf32>) {
    %inner = nir.graph "inner"(%x) : (tensor<2xf32>) -> (tensor<4xf32>) {
      // CHECK-NEXT: %y = nir.input "y" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
      %y = nir.input "y" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
      // CHECK-NEXT: %up = nir.linear "up"(%y) {weight = #nir.dense<4x2xf32: [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0]>} : tensor<2xf32> -> tensor<4xf32>
      %up = nir.linear "up"(%y) {weight = #nir.dense<4x2xf32: [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0]>} : tensor<2xf32> -> tensor<4xf32>
      // CHECK-NEXT: nir.output "o"(%up) {shape = #nir.dense<1xi64: [4]>} : tensor<4xf32>
      nir.output "o"(%up) {shape = #nir.dense<1xi64: [4]>} : tensor<4xf32>
    // CHECK-NEXT: }
    }
    // CHECK-NEXT: nir.output "o"(%inner) {shape = #nir.dense<1xi64: [4]>} : tensor<4xf32>
    nir.output "o"(%inner) {shape = #nir.dense<1xi64: [4]>} : tensor<4xf32>
  // CHECK-NEXT: }
  }
  // CHECK-NEXT: %src = nir.graph "source" attributes {origin = "a discardable attribute"} : () -> (tensor<2xf32>) {
  %src = nir.graph "source" attributes {origin = "a discardable attribute"} : () -> (tensor<2xf32>) {
    // CHECK-NEXT: %k = nir.input "k" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %k = nir.input "k" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    // CHECK-NEXT: nir.output "o"(%k) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "o"(%k) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  // CHECK-NEXT: }
  }
  // CHECK-NEXT: nir.output "out"(%rec, %m_1, %src) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<3xi64: [1, 3, 5]>} : tensor<2xf32>
  nir.output "out"(%rec, %m#1, %src) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<3xi64: [1, 3, 5]>} : tensor<2xf32>
  // CHECK-NEXT: nir.output "out4"(%outer) {shape = #nir.dense<1xi64: [4]>} : tensor<4xf32>
  nir.output "out4"(%outer) {shape = #nir.dense<1xi64: [4]>} : tensor<4xf32>
// CHECK-NEXT: }
}
// CHECK-NEXT: }
// CHECK-NOT: {{.}}

// GENERIC:      "builtin.module"() ({
// GENERIC-NEXT:   "nir.graph"() <{metadata = {author = "nirc tests", {{.*}}}}> ({
// GENERIC:          %sub = "nir.graph"(%in) <{name = "sub", metadata = {kind = "single"}}> ({
// GENERIC:          }) : (tensor<2xf32>) -> tensor<2xf32>
// GENERIC-NEXT:     %m, %m_1 = "nir.graph"(%sub, %in) <{name = "multi", input_ports = ["b", "a"]}> ({
// GENERIC:          }) : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
// GENERIC-NEXT:     %rec = "nir.lif"(%w, %m, %rec) <{name = "rec", {{.*}}, edge_ids = #nir.dense<3xi64: [4, 0, 2]>, metadata = {note = "self-loop", gain = #nir.dense<f64: 0.5>}}> : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
// GENERIC-NEXT:     %w = "nir.linear"(%rec) <{name = "w \22q\22 x.y 'z' \\ back", weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>}> : (tensor<2xf32>) -> tensor<2xf32>
