// RUN: nir-opt %s -p 'quantize{weight-bits=8}' | filecheck %s --check-prefix=PLAIN
// RUN: nir-opt %s -p 'quantize{weight-bits=8 symmetric=true float-roles="bias,threshold"}' | filecheck %s
// RUN: nir-opt %s -p 'quantize{weight-bits=8 symmetric=true float-roles="bias,threshold"},quantize{weight-bits=8 symmetric=true float-roles="bias,threshold"}' | filecheck %s
// RUN: not nir-opt %s -p 'quantize{float-roles=weight}' 2>&1 | filecheck %s --check-prefix=BAD --match-full-lines

// The chip stores a sign and 7 bits (SpiNNaker2): with symmetric=true the weights lie in
// [-127, 127], so the largest magnitude, -1.0, binds s = 127.  With float-roles, the
// bias and the threshold are multiplied by s but not rounded, and they do not limit s:
// as a 16-bit integer (first RUN line) the threshold 1000.3 binds s = 32767 / 1000.3.
// Quantizing twice changes nothing (third RUN line).
// PLAIN:       %fc = nir.affine "fc"(%in) {weight = #nir.dense<1x2xi8: [-33, 16]>, bias = #nir.dense<1xi16: [8]>}
// PLAIN:       scale = #nir.dense<f64: 32.757
// CHECK:       %fc = nir.affine "fc"(%in) {weight = #nir.dense<1x2xi8: [-127, 64]>, bias = #nir.dense<1xf64: [31.75]>}
// CHECK-NEXT:  %n = snn.leaky "n"(%fc) {{{.*}} threshold = #nir.dense<1xf64: [127038.{{[0-9]+}}]>, {{.*}} scale = #nir.dense<f64: 127.0>}
// BAD: nir-opt: error: bad options for pass 'quantize': float-roles are 'bias' and 'threshold', got weight (options: {{.*}})
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.affine "fc"(%in) {weight = #nir.dense<1x2xf32: [-1.0, 0.5]>, bias = #nir.dense<1xf32: [0.25]>} : tensor<2xf32> -> tensor<1xf32>
  %n = snn.leaky "n"(%fc) {decay = #nir.dense<1xf64: 0.9>, gain = #nir.dense<1xf64: 1.0>, bias = #nir.dense<1xf64: 0.0>, threshold = #nir.dense<1xf64: 1000.3>, v_reset = #nir.dense<1xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%n) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}
