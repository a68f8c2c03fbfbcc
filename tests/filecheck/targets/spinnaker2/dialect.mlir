// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s --match-full-lines
//
// The verifiers of spinnaker2.projection and spinnaker2.population: one broken rule per
// chunk, one line each; the last chunk is the valid network the others change one thing
// of, printed as it was written.
// spinnaker2-weight: a sign and 7 bits
// CHECK: node 'p': 'weight' must lie in [-127, 127] (a sign and 7 bits) [spinnaker2-weight]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 128]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-weight: integers
// CHECK: node 'p': 'weight' holds the chip's integer weights, got float32 [spinnaker2-weight]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xf32: 1.0>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// edge-shape: the weight's inputs
// CHECK: node 'p': incoming edge carries [3] (3 neurons), expected 4 [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x4xi64: 1>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-model: a known neuron model
// CHECK: node 'n': neuron_model is one of lif_no_delay, lif_curr_exp_no_delay, lif_conv2d, got 'izhikevich' [spinnaker2-model]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "izhikevich", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-model: a known reset
// CHECK: node 'n': reset is one of reset_by_subtraction, reset_to_v_reset, got 'reset_to_zero' [spinnaker2-model]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_to_zero", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-model: a current-based model has its decays
// CHECK: node 'n': lif_curr_exp_no_delay has 'exc_decay' [spinnaker2-model]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_curr_exp_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-model: lif_no_delay has no current
// CHECK: node 'n': lif_no_delay has no 'exc_decay' [spinnaker2-model]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64, exc_decay = #nir.dense<2xf32: 0.5>} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-model: decays in [0, 1]
// CHECK: node 'n': 'alpha_decay' is a decay in [0, 1] [spinnaker2-model]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 1.5>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-shape: a parameter per neuron
// CHECK: node 'n': 'threshold' is a float per neuron [2], got float32 [3] [spinnaker2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<3xf32: 1.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-atoms: 8-bit index
// CHECK: node 'n': max_atoms_per_core is from 1 to 256 (8-bit index), got 300 [spinnaker2-atoms]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 300 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-place: slices of at most max_atoms_per_core
// CHECK: node 'n': pes, chips and slice_neurons list each slice (1 to 1 neurons, 2 in all) [spinnaker2-place]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 1 : i64, pes = #nir.dense<1xi64: [1]>, chips = #nir.dense<1xi64: [0]>, slice_neurons = #nir.dense<1xi64: [2]>} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-model: only a lif_conv2d reads a Conv2DProjection
// CHECK: node 'n': a lif_conv2d population reads Conv2DProjections, and only it does [spinnaker2-model]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_conv2d", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// spinnaker2-shape: padding is top, bottom, left, right
// CHECK: node 'c': 'padding' is four whole numbers >= 0 (top, bottom, left, right) [spinnaker2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = spinnaker2.conv2d "c"(%in) {weight = #nir.dense<2x1x3x3xi64: 1>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 1>} : tensor<1x4x4xf32> -> tensor<2x2x4x4xf32>
  %n = spinnaker2.population "n"(%c) {neuron_model = "lif_conv2d", threshold = #nir.dense<2x4x4xf32: 10.0>, alpha_decay = #nir.dense<2x4x4xf32: 0.9>, i_offset = #nir.dense<2x4x4xf32: 0.0>, v_reset = #nir.dense<2x4x4xf32: 0.0>, reset = "reset_to_v_reset", max_atoms_per_core = 250 : i64} : tensor<2x2x4x4xf32> -> tensor<2x4x4xf32>
}
// -----

// spinnaker2-shape: the kernel is 4-D
// CHECK: node 'c': weight is (out, in, kH, kW), got shape [2, 9] [spinnaker2-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = spinnaker2.conv2d "c"(%in) {weight = #nir.dense<2x9xi64: 1>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<4xi64: 1>} : tensor<1x4x4xf32> -> tensor<2x2x4x4xf32>
  %n = spinnaker2.population "n"(%c) {neuron_model = "lif_conv2d", threshold = #nir.dense<2x4x4xf32: 10.0>, alpha_decay = #nir.dense<2x4x4xf32: 0.9>, i_offset = #nir.dense<2x4x4xf32: 0.0>, v_reset = #nir.dense<2x4x4xf32: 0.0>, reset = "reset_to_v_reset", max_atoms_per_core = 250 : i64} : tensor<2x2x4x4xf32> -> tensor<2x4x4xf32>
}
// -----

// edge-shape: the input's channels
// CHECK: node 'c': incoming edge carries shape [2, 4, 4], expected (1, H, W) [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %c = spinnaker2.conv2d "c"(%in) {weight = #nir.dense<2x1x3x3xi64: 1>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<4xi64: 1>} : tensor<2x4x4xf32> -> tensor<2x2x4x4xf32>
  %n = spinnaker2.population "n"(%c) {neuron_model = "lif_conv2d", threshold = #nir.dense<2x4x4xf32: 10.0>, alpha_decay = #nir.dense<2x4x4xf32: 0.9>, i_offset = #nir.dense<2x4x4xf32: 0.0>, v_reset = #nir.dense<2x4x4xf32: 0.0>, reset = "reset_to_v_reset", max_atoms_per_core = 250 : i64} : tensor<2x2x4x4xf32> -> tensor<2x4x4xf32>
}
// -----

// spinnaker2-model: a Conv2DProjection targets lif_conv2d
// CHECK: node 'n': a lif_conv2d population reads Conv2DProjections, and only it does [spinnaker2-model]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = spinnaker2.conv2d "c"(%in) {weight = #nir.dense<2x1x3x3xi64: 1>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<4xi64: 1>} : tensor<1x4x4xf32> -> tensor<2x2x4x4xf32>
  %n = spinnaker2.population "n"(%c) {neuron_model = "lif_no_delay", threshold = #nir.dense<2x4x4xf32: 10.0>, alpha_decay = #nir.dense<2x4x4xf32: 0.9>, i_offset = #nir.dense<2x4x4xf32: 0.0>, v_reset = #nir.dense<2x4x4xf32: 0.0>, reset = "reset_to_v_reset", max_atoms_per_core = 250 : i64} : tensor<2x2x4x4xf32> -> tensor<2x4x4xf32>
}
// -----

// The valid network.
// CHECK: %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %p = spinnaker2.projection "p"(%in) {weight = #nir.dense<2x3xi64: [1, -2, 3, 4, -5, 127]>} : tensor<3xf32> -> tensor<2x2xf32>
  %n = spinnaker2.population "n"(%p) {neuron_model = "lif_no_delay", threshold = #nir.dense<2xf32: 10.0>, alpha_decay = #nir.dense<2xf32: 0.9>, i_offset = #nir.dense<2xf32: 0.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "reset_by_subtraction", max_atoms_per_core = 250 : i64} : tensor<2x2xf32> -> tensor<2xf32>
}

// -----

// The valid conv network.
// CHECK: %c = spinnaker2.conv2d "c"(%in) {weight = #nir.dense<2x1x3x3xi64: 1>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<4xi64: 1>} : tensor<1x4x4xf32> -> tensor<2x2x4x4xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = spinnaker2.conv2d "c"(%in) {weight = #nir.dense<2x1x3x3xi64: 1>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<4xi64: 1>} : tensor<1x4x4xf32> -> tensor<2x2x4x4xf32>
  %n = spinnaker2.population "n"(%c) {neuron_model = "lif_conv2d", threshold = #nir.dense<2x4x4xf32: 10.0>, alpha_decay = #nir.dense<2x4x4xf32: 0.9>, i_offset = #nir.dense<2x4x4xf32: 0.0>, v_reset = #nir.dense<2x4x4xf32: 0.0>, reset = "reset_to_v_reset", max_atoms_per_core = 250 : i64} : tensor<2x2x4x4xf32> -> tensor<2x4x4xf32>
}
