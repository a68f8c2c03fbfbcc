// RUN: nir-opt %s --split-input-file -p canonicalize | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'canonicalize{fold=false}' | filecheck %s

// The snn dialect's canonicalization (declared on snn.delay): a delay of zero steps
// goes, exactly (fold=false applies it too); a delay of one step stays; two equal
// snn.threshold nodes (Pure) are one.
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %d1 = snn.delay "d1"(%in) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %t = snn.threshold "t"(%d1) {threshold = #nir.dense<2xf32: 1.0>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%t, %t)
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %d0 = snn.delay "d0"(%in) {steps = #nir.dense<2xi64: 0>} : tensor<2xf32> -> tensor<2xf32>
  %d1 = snn.delay "d1"(%d0) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  %t = snn.threshold "t"(%d1) {threshold = #nir.dense<2xf32: 1.0>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
  %u = snn.threshold "u"(%d1) {threshold = #nir.dense<2xf32: 1.0>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%t, %u) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: a delay of zero steps in one element only.
// CHECK-LABEL: %in_keep = nir.input "in_keep"
// CHECK-NEXT:  %d = snn.delay "d"(%in_keep) {steps = #nir.dense<2xi64: [0, 2]>}
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %d = snn.delay "d"(%in_keep) {steps = #nir.dense<2xi64: [0, 2]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%d) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// A cycle closed by an snn.delay and entered at two nodes (a and b both read s) is not
// frozen: the delay closes it whatever the schedule, so the unit Scale upstream goes.
// CHECK-LABEL: %in_cycle = nir.input "in_cycle"
// CHECK-NEXT:  %a = snn.leaky "a"(%in_cycle, %d)
// CHECK-NEXT:  %b = snn.leaky "b"(%a, %in_cycle)
// CHECK-NEXT:  %d = snn.delay "d"(%b)
// CHECK-NOT:   nir.scale
nir.graph {
  %in_cycle = nir.input "in_cycle" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %s = nir.scale "s"(%in_cycle) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %a = snn.leaky "a"(%s, %d) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
  %b = snn.leaky "b"(%a, %s) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
  %d = snn.delay "d"(%b) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%b) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
