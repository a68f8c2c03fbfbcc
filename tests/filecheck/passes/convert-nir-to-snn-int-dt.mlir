// Regression: a whole-number dt ({dt=1}, which xDSL's option parser reads as an
// integer) is accepted as seconds and recorded.
//
// RUN: nir-opt %s -p 'convert-nir-to-snn{dt=1}' | filecheck %s

// tau = 10 s, dt = 1 s: decay = 1 - 1/10 = 0.9.
// CHECK: nir.graph attributes {snn.discretization = {name = "nir", dt = 1.000000e+00 : f64,
// CHECK: %lif = snn.leaky "lif"(%in) {decay = #nir.dense<1xf64: [0.9]>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
  %lif = nir.lif "lif"(%in) {tau = #nir.dense<1xf64: [10.0]>, r = #nir.dense<1xf64: [1.0]>, v_leak = #nir.dense<1xf64: [0.0]>, v_threshold = #nir.dense<1xf64: [1.0]>, v_reset = #nir.dense<1xf64: [0.0]>} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}
