// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s
//
// One violated rule of the snn dialect's verifiers per chunk; with
// --verify-diagnostics nir-opt prints each chunk's first error as one line,
// `node 'PATH': MESSAGE [RULE]`, and no module (checked by the CHECK-NOT at the end).

// param-shapes: every parameter has the neuron's shape (that of `decay`); decay, gain
// and bias are compared together (the message of the shared elementwise check), the
// others one by one against `decay`
// CHECK: node 'l': parameters must share one shape, got decay[2], gain[3], bias[2] [param-shapes]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<3xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 's': 'syn_gain' has shape [1], the neuron [2] [param-shapes]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %s = snn.synaptic "s"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.8>, syn_gain = #nir.dense<1xf64: 0.2>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'l': 'v_reset' has shape [], the neuron [2] [param-shapes]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<f64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// reset-params: threshold without v_reset, and the converse
// CHECK-NEXT: node 'l': threshold and v_reset come together [reset-params]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'l': threshold and v_reset come together [reset-params]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, v_reset = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// snn-choice: `order` is always stated (a required property: IRDL reports it first)
// CHECK-NEXT: property 'order' expected in operation 'snn.leaky' [verifier]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// snn-choice: a resetting neuron states every reset choice
// CHECK-NEXT: node 'l': 'spike_timing' must be stated (same or next) [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 's': 'output' must be stated (spikes or membrane) [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %s = snn.synaptic "s"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.8>, syn_gain = #nir.dense<2xf64: 0.2>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// snn-choice: a choice outside its allowed values
// CHECK-NEXT: node 'l': 'reset' must be one of value, subtract, none, got "zero" [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "zero", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'l': 'order' must be one of leak-then-integrate, integrate-then-leak, got "leak" [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, order = "leak"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'th': 'compare' must be one of >, >=, got "<" [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %th = snn.threshold "th"(%v) {threshold = #nir.dense<2xf32: 1.0>, compare = "<"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// snn.threshold always states its comparison (a required property: IRDL reports it)
// CHECK-NEXT: property 'compare' expected in operation 'snn.threshold' [verifier]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %th = snn.threshold "th"(%v) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// snn-choice: reset choices on a neuron without threshold
// CHECK-NEXT: node 'l': 'reset' needs a threshold: this neuron does not reset [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, reset = "value", order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'l': 'output' needs a threshold: this neuron does not reset [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate", output = "membrane"} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// snn-choice: multi_spike without threshold
// CHECK-NEXT: node 'l': 'multi_spike' needs a threshold: this neuron does not reset [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = snn.leaky "l"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate", multi_spike} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// snn-choice: a recurrent neuron feeds back spikes, so it needs output = "spikes"
// CHECK-NEXT: node 'r': snn.rleaky feeds back its spikes: it needs a threshold and output = "spikes" [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %r = snn.rleaky "r"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "membrane", w_rec = #nir.dense<2x2xf32: 0.5>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'r': snn.rsynaptic feeds back its spikes: it needs a threshold and output = "spikes" [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %r = snn.rsynaptic "r"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.8>, syn_gain = #nir.dense<2xf64: 0.2>, order = "leak-then-integrate", w_rec = #nir.dense<2x2xf32: 0.5>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// recurrent-shape: a 1-D layer, a square w_rec, b_rec of the layer's shape
// CHECK-NEXT: node 'r': a recurrent neuron layer must be 1-D, got [2, 2] [recurrent-shape]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<2xi64: [2, 2]>} : tensor<2x2xf32>
  %r = snn.rleaky "r"(%v) {decay = #nir.dense<2x2xf64: 0.9>, gain = #nir.dense<2x2xf64: 0.1>, bias = #nir.dense<2x2xf64: 0.0>, threshold = #nir.dense<2x2xf64: 1.0>, v_reset = #nir.dense<2x2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: 0.5>} : tensor<2x2xf32> -> tensor<2x2xf32>
}
// -----
// CHECK-NEXT: node 'r': w_rec has shape [2, 3], expected [2, 2] [recurrent-shape]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %r = snn.rleaky "r"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x3xf32: 0.5>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'r': b_rec has shape [3], expected [2] [recurrent-shape]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %r = snn.rsynaptic "r"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.8>, syn_gain = #nir.dense<2xf64: 0.2>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: 0.5>, b_rec = #nir.dense<3xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// delay-sign
// CHECK-NEXT: node 'd': steps must be >= 0 [delay-sign]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %d = snn.delay "d"(%v) {steps = #nir.dense<2xi64: [1, -1]>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// steps are whole numbers (the shared param-dtype check)
// CHECK-NEXT: node 'd': parameter 'steps' must hold integers, got float32 [param-dtype]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %d = snn.delay "d"(%v) {steps = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// finite-params: every parameter is finite, the synapse's and the recurrent ones too
// (0x7FF0000000000000 is +inf, 0x7FC00000 a float32 NaN)
// CHECK-NEXT: node 'syn': parameter 'syn_decay' has non-finite values [finite-params]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %syn = snn.synaptic "syn"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0x7FF0000000000000>, syn_gain = #nir.dense<2xf64: 0.5>, order = "leak-then-integrate", output = "membrane"} : tensor<2xf32> -> tensor<2xf32>
  nir.output "o"(%syn) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// CHECK-NEXT: node 'rw': parameter 'w_rec' has non-finite values [finite-params]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %rw = snn.rleaky "rw"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.5, 0x7FC00000, 0.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "o"(%rw) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// snn-scale: one finite scale > 0, or one per neuron
// CHECK-NEXT: node 'q': scale is one finite number > 0, or one per neuron (shape [2]) [snn-scale]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %q = snn.leaky "q"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate", scale = #nir.dense<3xf64: 2.0>} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// snn-state-bits: a state of 2 to 64 bits; overflow only with a bounded state
// CHECK-NEXT: node 'q': state_bits is a whole number from 2 to 64, got 1 [snn-state-bits]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %q = snn.leaky "q"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate", state_bits = 1 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// CHECK-NEXT: node 'q': 'overflow' needs state_bits: an unbounded state does not overflow [snn-state-bits]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %q = snn.leaky "q"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate", overflow = "wrap"} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// CHECK-NEXT: node 'q': 'overflow' must be one of saturate, wrap, got "clip" [snn-choice]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %q = snn.leaky "q"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate", state_bits = 8 : i64, overflow = "clip"} : tensor<2xf32> -> tensor<2xf32>
}

// CHECK-NOT: {{.}}
