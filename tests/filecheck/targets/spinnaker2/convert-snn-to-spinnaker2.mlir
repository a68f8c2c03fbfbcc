// RUN: nir-opt %s --split-input-file -p convert-snn-to-spinnaker2 | filecheck %s
// RUN: nir-opt %s --split-input-file -p convert-snn-to-spinnaker2,convert-snn-to-spinnaker2 | filecheck %s
// RUN: nir-opt %s --split-input-file -p convert-snn-to-spinnaker2,spinnaker2-place | filecheck %s --check-prefix=PLACED
// RUN: not nir-opt %S/Inputs/bad.mlir -p convert-snn-to-spinnaker2 2>&1 | filecheck %s --check-prefix=BAD --match-full-lines

// SpiNNaker2 lowers from the snn dialect discretized with the spinnaker2 profile and
// quantized to the chip's ±127 weights (gains folded in, thresholds and offsets scaled
// and kept float).  Each neuron becomes one population of its name, each weight node
// into it one projection of the weight node's name:
//
// * h (rsynaptic): lif_curr_exp_no_delay, alpha_decay = decay 0.5, exc_decay =
//   inh_decay = syn_decay 0.75, threshold 508 as quantize scaled it; its recurrence
//   is the population's weight_rec;
// * r (leaky): lif_no_delay; the Affine's bias 31.75 (a constant input) joins the
//   neuron's own bias 31.75 in i_offset = 63.5; the projection keeps w2's weights.
// Converting twice changes nothing (second RUN line); spinnaker2-place gives each
// population one PE on chip 0 (the input's spike_list takes PE 0).
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %w1 = spinnaker2.projection "w1"(%in) {weight = #nir.dense<2x3xi64: [127, -64, 0, 32, 64, -127]>} : tensor<3xf32> -> tensor<2x2xf32>
// CHECK-NEXT:  %h = spinnaker2.population "h"(%w1) {neuron_model = "lif_curr_exp_no_delay", threshold = #nir.dense<2xf32: 508.0>, alpha_decay = #nir.dense<2xf32: 0.5>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_to_v_reset", exc_decay = #nir.dense<2xf32: 0.75>, inh_decay = #nir.dense<2xf32: 0.75>, weight_rec = #nir.dense<2x2xi64: [0, 64, -64, 0]>, max_atoms_per_core = 250 : i64, scale = #nir.dense<f64: 508.0>} : tensor<2x2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %w2 = spinnaker2.projection "w2"(%h) {weight = #nir.dense<1x2xi64: 127>} : tensor<2xf32> -> tensor<2x1xf32>
// CHECK-NEXT:  %r = spinnaker2.population "r"(%w2) {neuron_model = "lif_no_delay", threshold = #nir.dense<1xf32: [127.0]>, alpha_decay = #nir.dense<1xf32: [0.5]>, i_offset = #nir.dense<1xf32: [63.5]>, v_reset = #nir.dense<1xf32: [0.0]>, reset = "reset_to_v_reset", max_atoms_per_core = 250 : i64, scale = #nir.dense<f64: 127.0>} : tensor<2x1xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out"(%r)
// CHECK-NOT:   snn.
// PLACED:      %h = spinnaker2.population "h"(%w1) {{{.*}} pes = #nir.dense<1xi64: [1]>, chips = #nir.dense<1xi64: [0]>, slice_neurons = #nir.dense<1xi64: [2]>
// PLACED:      %r = spinnaker2.population "r"(%w2) {{{.*}} pes = #nir.dense<1xi64: [2]>, chips = #nir.dense<1xi64: [0]>, slice_neurons = #nir.dense<1xi64: [1]>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %w1 = nir.linear "w1"(%in) {weight = #nir.dense<2x3xi8: [127, -64, 0, 32, 64, -127]>} : tensor<3xf32> -> tensor<2xf32>
  %h = snn.rsynaptic "h"(%w1) {decay = #nir.dense<2xf32: 0.5>, gain = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf32: 0.75>, syn_gain = #nir.dense<2xf32: 1.0>, threshold = #nir.dense<2xf64: 508.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xi8: [0, 64, -64, 0]>, scale = #nir.dense<f64: 508.0>} : tensor<2xf32> -> tensor<2xf32>
  %w2 = nir.affine "w2"(%h) {weight = #nir.dense<1x2xi8: 127>, bias = #nir.dense<1xf64: [31.75]>} : tensor<2xf32> -> tensor<1xf32>
  %r = snn.leaky "r"(%w2) {decay = #nir.dense<1xf32: [0.5]>, gain = #nir.dense<1xf32: [1.0]>, bias = #nir.dense<1xf64: [31.75]>, threshold = #nir.dense<1xf64: [127.0]>, v_reset = #nir.dense<1xf64: [0.0]>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", scale = #nir.dense<f64: 127.0>} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// Must not change: a graph converted already.
// CHECK-LABEL: %in_keep = nir.input "in_keep"
// CHECK-NEXT:  %p = spinnaker2.projection "p"(%in_keep) {weight = #nir.dense<1x2xi64: [5, -7]>} : tensor<2xf32> -> tensor<2x1xf32>
// CHECK-NEXT:  %k = spinnaker2.population "k"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<1xf32: [10.0]>, alpha_decay = #nir.dense<1xf32: [0.9]>, i_offset = #nir.dense<1xf32: [0.0]>, v_reset = #nir.dense<1xf32: [0.0]>, reset = "reset_by_subtraction", max_atoms_per_core = 100 : i64} : tensor<2x1xf32> -> tensor<1xf32>
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %p = spinnaker2.projection "p"(%in_keep) {weight = #nir.dense<1x2xi64: [5, -7]>} : tensor<2xf32> -> tensor<2x1xf32>
  %k = spinnaker2.population "k"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<1xf32: [10.0]>, alpha_decay = #nir.dense<1xf32: [0.9]>, i_offset = #nir.dense<1xf32: [0.0]>, v_reset = #nir.dense<1xf32: [0.0]>, reset = "reset_by_subtraction", max_atoms_per_core = 100 : i64} : tensor<2x1xf32> -> tensor<1xf32>
  nir.output "out"(%k) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// Every violation, one line each, nothing printed of the module.
// BAD-DAG: nir-opt: error: {{.*}}bad.mlir: node 'a': SpiNNaker2's LIF has compare >, the model has >= (discretize with the spinnaker2 profile) [spinnaker2-neuron]
// BAD-DAG: nir-opt: error: {{.*}}bad.mlir: node 'a': the weights into a population are the chip's integers, {{.*}} [spinnaker2-quantize]
// BAD-DAG: nir-opt: error: {{.*}}bad.mlir: node 'b': a population's input comes through projections (Linear, Affine, Conv2d), 'b' reads snn.delay [spinnaker2-weights]
// BAD-DAG: nir-opt: error: {{.*}}bad.mlir: node 'b': SpiNNaker2's populations spike: a neuron read as a membrane has no model [spinnaker2-readout]
// BAD-DAG: nir-opt: error: {{.*}}bad.mlir: node 'd': SpiNNaker2's networks are populations and projections: snn.delay has no mapping [spinnaker2-unsupported]
// BAD-NOT: builtin.module
