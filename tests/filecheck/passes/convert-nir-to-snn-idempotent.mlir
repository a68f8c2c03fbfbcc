// Regression: a second convert-nir-to-snn with the same options leaves the module
// unchanged.  It once added a second one-step snn.delay on every edge that closes a
// cycle ("rec.previous.1"), so the recurrent edge carried two steps.
//
// RUN: nir-opt %s -p 'convert-nir-to-snn{dt=1e-4},convert-nir-to-snn{dt=1e-4}' | filecheck %s
// RUN: nir-opt %s -p 'convert-nir-to-snn{dt=1e-4}' | nir-opt -p 'convert-nir-to-snn{dt=1e-4}' | filecheck %s

// CHECK:      %lif = snn.leaky "lif"(%in, %rec_previous)
// CHECK-NEXT: %rec = nir.linear "rec"(%lif)
// CHECK-NEXT: %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT: nir.output "out"(%lif)
// CHECK-NOT:  snn.delay
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = nir.lif "lif"(%in, %rec) {tau = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: 0.0>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %rec = nir.linear "rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
