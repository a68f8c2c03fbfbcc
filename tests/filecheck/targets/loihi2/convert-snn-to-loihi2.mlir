// RUN: nir-opt %s --split-input-file -p convert-snn-to-loihi2 | filecheck %s
// RUN: nir-opt %s --split-input-file -p convert-snn-to-loihi2,convert-snn-to-loihi2 | filecheck %s
// RUN: nir-opt %s --split-input-file -p convert-snn-to-loihi2,loihi2-quantize,loihi2-place | filecheck %s --check-prefix=FIXED
// RUN: not nir-opt %S/Inputs/bad-neurons.mlir -p convert-snn-to-loihi2 2>&1 | filecheck %s --check-prefix=BAD --match-full-lines

// Loihi 2 lowers from the snn dialect discretized with the lava profile: each neuron
// reads its Dense through a one-step delay.  Each layer (delay, weights, neuron) becomes
// one loihi2.dense of the neuron's name, in Lava's floating-point terms:
//
// * h1 (rsynaptic): Lava's current is gain * the synaptic current, so du = 1 - syn_decay
//   = 0.5, dv = 1 - decay = 0.25, and the weights are gain * syn_gain = 0.125 times the
//   model's; one threshold per layer: neuron 1's threshold 0.5 is half the layer's 1.0,
//   so its weights (and recurrent weights) are doubled: [[0.25, 0], [0, -0.5]], w_rec
//   [[0, 0.5], [1.0, 0]]; the Affine's bias 0.5 (a constant current) joins the bias at
//   its steady state, 0.125 * 0.5 / (1 - 0.5) = 0.125;
// * r (leaky): no current memory, du = 1; weights 0.25 * 1; its own bias 0.125.
// Converting twice changes nothing (second RUN line).
//
// In fixed point (third RUN line), loihi2-quantize scales each layer by one factor (8-bit weights, the recurrent
// ones with them: h1's largest 1.0 -> 127), rounds half to even (31.75 -> 32, 63.5 ->
// 64), then netx's weight optimisation: mixed weights shifted up one bit (64, -128,
// 128, 254) with weight_exp = -1; decays as 12-bit registers (du = 4096 * 0.5 - 1 =
// 2047, dv = 1024; r: du = 4095, dv = 2048); bias_exp = 6; loihi2-place puts each layer
// on its own core.
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %h1 = loihi2.dense "h1"(%in) {weight = #nir.dense<2x2xf64: [0.25, 0.0, 0.0, -0.5]>, du = #nir.dense<1xf64: [0.5]>, dv = #nir.dense<1xf64: [0.25]>, vth = #nir.dense<1xf64: [1.0]>, bias_mant = #nir.dense<2xf64: [0.125, 0.0]>, weight_rec = #nir.dense<2x2xf64: [0.0, 0.5, 1.0, 0.0]>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r = loihi2.dense "r"(%h1) {weight = #nir.dense<1x2xf64: 0.25>, du = #nir.dense<1xf64: [1.0]>, dv = #nir.dense<1xf64: [0.5]>, vth = #nir.dense<1xf64: [2.0]>, bias_mant = #nir.dense<1xf64: [0.125]>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// CHECK-NEXT: }
// CHECK-NOT:   snn.
// FIXED-LABEL: %in = nir.input "in"
// FIXED-NEXT:  %h1 = loihi2.dense "h1"(%in) {weight = #nir.dense<2x2xi64: [64, 0, 0, -128]>, du = #nir.dense<1xi64: [2047]>, dv = #nir.dense<1xi64: [1024]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<2xi64: [16, 0]>, weight_rec = #nir.dense<2x2xi64: [0, 128, 254, 0]>, weight_exp = -1 : i64, num_weight_bits = 8 : i64, bias_exp = 6 : i64, scale = #nir.dense<f64: 127.0>, cores = #nir.dense<1xi64: [0]>, core_neurons = #nir.dense<1xi64: [2]>} : tensor<2xf32> -> tensor<2xf32>
// FIXED-NEXT:  %r = loihi2.dense "r"(%h1) {weight = #nir.dense<1x2xi64: 254>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [1016]>, bias_mant = #nir.dense<1xi64: [64]>, weight_exp = -1 : i64, num_weight_bits = 7 : i64, bias_exp = 6 : i64, scale = #nir.dense<f64: 508.0>, cores = #nir.dense<1xi64: [1]>, core_neurons = #nir.dense<1xi64: [1]>} : tensor<2xf32> -> tensor<1xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w1 = nir.affine "w1"(%in) {weight = #nir.dense<2x2xf32: [2.0, 0.0, 0.0, -2.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %d1 = snn.delay "h1.input_delay"(%w1) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  %h1 = snn.rsynaptic "h1"(%d1) {decay = #nir.dense<2xf64: 0.75>, gain = #nir.dense<2xf64: 0.25>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.5>, syn_gain = #nir.dense<2xf64: 0.5>, threshold = #nir.dense<2xf64: [1.0, 0.5]>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 4.0, 4.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %wo = nir.linear "wo"(%h1) {weight = #nir.dense<1x2xf32: 1.0>} : tensor<2xf32> -> tensor<1xf32>
  %d2 = snn.delay "r.input_delay"(%wo) {steps = #nir.dense<1xi64: 1>} : tensor<1xf32> -> tensor<1xf32>
  %r = snn.leaky "r"(%d2) {decay = #nir.dense<1xf64: 0.5>, gain = #nir.dense<1xf64: 0.25>, bias = #nir.dense<1xf64: 0.125>, threshold = #nir.dense<1xf64: 2.0>, v_reset = #nir.dense<1xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// Must not change: a graph converted already (fixed point, placed); quantizing and
// placing it again changes nothing either.
// CHECK-LABEL: %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %k = loihi2.dense "k"(%in_keep) {weight = #nir.dense<1x2xi64: [10, -20]>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [163]>, vth = #nir.dense<1xi64: [25]>, bias_mant = #nir.dense<1xi64: [0]>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 6 : i64, scale = #nir.dense<f64: 2.0>, cores = #nir.dense<1xi64: [3]>, core_neurons = #nir.dense<1xi64: [1]>} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out"(%k)
// FIXED-LABEL: %in_keep = nir.input "in_keep"
// FIXED-NEXT:  %k = loihi2.dense "k"(%in_keep) {weight = #nir.dense<1x2xi64: [10, -20]>, {{.*}} scale = #nir.dense<f64: 2.0>, cores = #nir.dense<1xi64: [0]>, core_neurons = #nir.dense<1xi64: [1]>} : tensor<2xf32> -> tensor<1xf32>
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %k = loihi2.dense "k"(%in_keep) {weight = #nir.dense<1x2xi64: [10, -20]>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [163]>, vth = #nir.dense<1xi64: [25]>, bias_mant = #nir.dense<1xi64: [0]>, weight_exp = 0 : i64, num_weight_bits = 8 : i64, bias_exp = 6 : i64, scale = #nir.dense<f64: 2.0>, cores = #nir.dense<1xi64: [3]>, core_neurons = #nir.dense<1xi64: [1]>} : tensor<2xf32> -> tensor<1xf32>
  nir.output "out"(%k) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// A conv layer (Lava's Conv feeding a LIF) read, flattened, by a Dense layer: n1 becomes
// one loihi2.conv of the neuron's name, its kernel and geometry as they are (the gain is
// 1); the conv's bias 0.25 on channel 1 is a constant input into a neuron without
// current memory, so it joins the bias of that channel's 4 neurons (bias_mant is per
// neuron, in the (C, H, W) order of the output); the Flatten stays in front of the Dense.
// In fixed point the conv's weights are quantize's and stay (no netx shift, no
// exponent: Lava's Conv has none): 127 and 63.5 -> 64 (half to even), the bias 31.75 -> 32.
// CHECK-LABEL: %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>}
// CHECK-NEXT:  %n1 = loihi2.conv "n1"(%in) {weight = #nir.dense<2x1x2x2xf64: [1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 0.5, 0.5]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xf64: [1.0]>, dv = #nir.dense<1xf64: [0.5]>, vth = #nir.dense<1xf64: [1.0]>, bias_mant = #nir.dense<8xf64: [0.0, 0.0, 0.0, 0.0, 0.25, 0.25, 0.25, 0.25]>, groups = 1 : i64, bias_exp = 0 : i64} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
// CHECK-NEXT:  %f = nir.flatten "f"(%n1)
// CHECK-NEXT:  %n2 = loihi2.dense "n2"(%f) {weight = #nir.dense<1x8xf64: 0.5>, {{.*}}} : tensor<8xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out"(%n2)
// CHECK-NOT:   snn.
// CHECK-NOT:   nir.conv2d
// FIXED-LABEL: %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>}
// FIXED-NEXT:  %n1 = loihi2.conv "n1"(%in) {weight = #nir.dense<2x1x2x2xi64: [127, 0, 0, 127, 64, 64, 64, 64]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, du = #nir.dense<1xi64: [4095]>, dv = #nir.dense<1xi64: [2048]>, vth = #nir.dense<1xi64: [127]>, bias_mant = #nir.dense<8xi64: [0, 0, 0, 0, 32, 32, 32, 32]>, groups = 1 : i64, bias_exp = 6 : i64, scale = #nir.dense<f64: 127.0>, cores = #nir.dense<1xi64: [0]>, core_neurons = #nir.dense<1xi64: [8]>} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
// FIXED-NEXT:  %f = nir.flatten "f"(%n1)
// FIXED-NEXT:  %n2 = loihi2.dense "n2"(%f) {weight = #nir.dense<1x8xi64: 254>, {{.*}} weight_exp = -1 : i64, num_weight_bits = 7 : i64, {{.*}} cores = #nir.dense<1xi64: [1]>, core_neurons = #nir.dense<1xi64: [1]>} : tensor<8xf32> -> tensor<1xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<2x1x2x2xf64: [1.0, 0.0, 0.0, 1.0, 0.5, 0.5, 0.5, 0.5]>, bias = #nir.dense<2xf64: [0.0, 0.25]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x3x3xf32> -> tensor<2x2x2xf32>
  %d1 = snn.delay "n1.input_delay"(%c) {steps = #nir.dense<2x2x2xi64: 1>} : tensor<2x2x2xf32> -> tensor<2x2x2xf32>
  %n1 = snn.leaky "n1"(%d1) {decay = #nir.dense<2x2x2xf64: 0.5>, gain = #nir.dense<2x2x2xf64: 1.0>, bias = #nir.dense<2x2x2xf64: 0.0>, threshold = #nir.dense<2x2x2xf64: 1.0>, v_reset = #nir.dense<2x2x2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2x2x2xf32> -> tensor<2x2x2xf32>
  %f = nir.flatten "f"(%n1) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>, input_type = #nir.dense<3xi64: 2>} : tensor<2x2x2xf32> -> tensor<8xf32>
  %l = nir.linear "l"(%f) {weight = #nir.dense<1x8xf64: 0.5>} : tensor<8xf32> -> tensor<1xf32>
  %d2 = snn.delay "n2.input_delay"(%l) {steps = #nir.dense<1xi64: [1]>} : tensor<1xf32> -> tensor<1xf32>
  %n2 = snn.leaky "n2"(%d2) {decay = #nir.dense<1xf64: [0.5]>, gain = #nir.dense<1xf64: [1.0]>, bias = #nir.dense<1xf64: [0.0]>, threshold = #nir.dense<1xf64: [2.0]>, v_reset = #nir.dense<1xf64: [0.0]>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%n2) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// Every violation, one line each, nothing printed of the module: b reads a's spikes
// without a Dense and breaks Lava's spike test and reset; a resets to 0.5 and has two
// membrane decays.
// BAD-DAG: nir-opt: error: {{.*}}bad-neurons.mlir: node 'a': Lava's LIF resets the voltage to 0, the model to v_reset != 0 [lava-reset]
// BAD-DAG: nir-opt: error: {{.*}}bad-neurons.mlir: node 'a': Lava's LIF has one voltage decay per layer: 'decay' ranges over [0.5, 0.75] (tau must be uniform within a node) [lava-shared]
// BAD-DAG: nir-opt: error: {{.*}}bad-neurons.mlir: node 'b': Lava's Dense delivers its sums one step late: {{.*}} [lava-timing]
// BAD-DAG: nir-opt: error: {{.*}}bad-neurons.mlir: node 'b': Lava's LIF has compare >, the model has >= (discretize with the lava profile) [lava-neuron]
// BAD-DAG: nir-opt: error: {{.*}}bad-neurons.mlir: node 'b': Lava's LIF has reset value, the model has subtract (discretize with the lava profile) [lava-neuron]
// BAD-NOT: builtin.module
