// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=speck},convert-snn-to-speck' | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=speck reset=value},convert-snn-to-speck' | filecheck %s --check-prefix=ZERO
// RUN: not nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=speck spike-timing=next},convert-snn-to-speck' 2>&1 | filecheck %s --check-prefix=CHOICES --match-full-lines
// RUN: not nir-opt %S/Inputs/leaky.mlir -p convert-snn-to-speck 2>&1 | filecheck %s --check-prefix=LEAK --match-full-lines

// Speck lowers from the snn dialect, discretized with the speck profile (IF: snn.leaky
// with decay 1, gain R).  Pooling ⊳ Conv2d ⊳ IF becomes one core with the pooling as
// `pool`; Flatten ⊳ Affine ⊳ IF a core whose kernel covers the whole 4x4 map (weight
// (3, 64) -> (3, 4, 4, 4)), and a nir.flatten gives the Output its 1-D signal back.
// R = 2 on the first IF multiplies the weights (0.5 -> 1.0), the second IF's
// per-channel thresholds (1, 2, 4) divide theirs and leave threshold 1.  The cores
// define their own step: the graph's snn.discretization record goes.
// CHOICES: nir-opt: error: {{.*}}: node 'n1': discretized with spike_timing=next: a core's neurons count several spikes per step at v >= threshold in the step they cross (convert-nir-to-snn{semantics=speck}) [speck-neuron]
// CHOICES-NEXT: nir-opt: error: {{.*}}: node 'n2': discretized with spike_timing=next: {{.*}} [speck-neuron]
// LEAK: nir-opt: error: {{.*}}leaky.mlir: node 'n': snn.leaky with a leak (decay 0.9): Speck's neurons are integrate-and-fire without leak (IF); a leaky neuron cannot run [speck-node-kind]
// CHECK:        nir.graph {
// CHECK-NEXT:   %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 8, 8]>} : tensor<2x8x8xf32>
// CHECK-NEXT:   %n1 = speck.layer "n1"(%in) {weight = #nir.dense<4x2x3x3xf32: 1.0>, bias = #nir.dense<4xf32: [0.0, 0.5, 1.0, 1.5]>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 1>, pool = #nir.dense<2xi64: 2>, reset = "subtract"} : tensor<2x8x8xf32> -> tensor<4x4x4xf32>
// CHECK-NEXT:   %n2 = speck.layer "n2"(%n1) {weight = #nir.dense<3x4x4x4xf32: blob "{{.*}}">, bias = #nir.dense<3xf32: [1.0, 0.5, 0.25]>, threshold = #nir.dense<f64: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<4x4x4xf32> -> tensor<3x1x1xf32>
// CHECK-NEXT:   %n2_flatten = nir.flatten "n2.flatten"(%n2) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>, input_type = #nir.dense<3xi64: [3, 1, 1]>} : tensor<3x1x1xf32> -> tensor<3xf32>
// CHECK-NEXT:   nir.output "out"(%n2_flatten) {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
// CHECK-NEXT: }
// ZERO-LABEL:   %in = nir.input "in"
// ZERO:         reset = "zero"
// ZERO:         reset = "zero"
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 8, 8]>} : tensor<2x8x8xf32>
  %p = nir.sum_pool2d "p"(%in) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<2x8x8xf32> -> tensor<2x4x4xf32>
  %c = nir.conv2d "c"(%p) {weight = #nir.dense<4x2x3x3xf32: 0.5>, bias = #nir.dense<4xf32: [0.0, 0.25, 0.5, 0.75]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 1>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<2x4x4xf32> -> tensor<4x4x4xf32>
  %n1 = nir.if "n1"(%c) {r = #nir.dense<4x4x4xf32: 2.0>, v_threshold = #nir.dense<4x4x4xf32: 1.0>, v_reset = #nir.dense<4x4x4xf32: 0.0>} : tensor<4x4x4xf32> -> tensor<4x4x4xf32>
  %f = nir.flatten "f"(%n1) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>} : tensor<4x4x4xf32> -> tensor<64xf32>
  %a = nir.affine "a"(%f) {weight = #nir.dense<3x64xf32: 0.25>, bias = #nir.dense<3xf32: 1.0>} : tensor<64xf32> -> tensor<3xf32>
  %n2 = nir.if "n2"(%a) {r = #nir.dense<3xf32: 1.0>, v_threshold = #nir.dense<3xf32: [1.0, 2.0, 4.0]>, v_reset = #nir.dense<3xf32: 0.0>} : tensor<3xf32> -> tensor<3xf32>
  nir.output "out"(%n2) {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
}

// -----
// Must not change: a graph converted already.
// CHECK-LABEL:  %in_keep = nir.input "in_keep" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
// CHECK-NEXT:   %l = speck.layer "l"(%in_keep) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f32: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
// CHECK-NEXT:   nir.output "out"(%l) {shape = #nir.dense<3xi64: [3, 4, 4]>} : tensor<3x4x4xf32>
// CHECK-NEXT: }
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %l = speck.layer "l"(%in_keep) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f32: 1.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, pool = #nir.dense<2xi64: 1>, reset = "subtract"} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
  nir.output "out"(%l) {shape = #nir.dense<3xi64: [3, 4, 4]>} : tensor<3x4x4xf32>
}
