// A nested graph on a cycle of the graph around it: at the nir level the nested schedule
// decides which edge of the cycle carries the previous step's value, and the flat one
// could decide otherwise, so inline-graphs refuses; after convert-nir-to-snn the cycle's
// delay is explicit and the graph inlines.
//
// RUN: not nir-opt %s -p inline-graphs 2>&1 | filecheck %s --check-prefix=REFUSE --match-full-lines
// RUN: nir-opt %s -p 'convert-nir-to-snn{dt=1e-4},inline-graphs' | filecheck %s --check-prefix=AFTER

// REFUSE:     nir-opt: error: {{.*}}inline-graphs-cycle.mlir: node 'g': inlining the graph could change which edge of a cycle carries the previous step's value (it lies on a cycle of the graph around it); run convert-nir-to-snn first, which makes that delay explicit [inline-graphs]
// REFUSE-NOT: {{.}}

// AFTER:      %in = nir.input "in"
// AFTER-NEXT: %g_x = nir.scale "g.x"(%in, %t_previous)
// AFTER-NEXT: %t = nir.scale "t"(%g_x)
// AFTER-NEXT: %t_previous = snn.delay "t.previous"(%t) {steps = #nir.dense<2xi64: 1>}
// AFTER-NEXT: nir.output "out"(%t)
// AFTER-NOT:  nir.graph "
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "g"(%in, %t) : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>) {
    %i = nir.input "i" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %x = nir.scale "x"(%i) {scale = #nir.dense<2xf64: 0.5>} : tensor<2xf32> -> tensor<2xf32>
    nir.output "o"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
  %t = nir.scale "t"(%g) {scale = #nir.dense<2xf64: 2.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%t) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
