// RUN: nir-opt %s | filecheck %s --match-full-lines
// RUN: nir-opt %s | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: nir-opt %s -o %t.1.mlir && nir-opt %t.1.mlir -o %t.2.mlir && diff %t.1.mlir %t.2.mlir

// Every op of the snn dialect in its custom form, inside a nir.graph beside nir ops.
// Parameters print in the op's canonical order (decay, gain, bias, the synapse's
// syn_decay/syn_gain, threshold, v_reset, the choices, w_rec, b_rec, metadata), whatever
// the order in the input; tensors whose elements are all equal print as splats.

// CHECK:      builtin.module {
// CHECK-NEXT: nir.graph {
nir.graph {
  // CHECK-NEXT: %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  // CHECK-NEXT: %w = nir.input "w" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w = nir.input "w" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>

  // snn.leaky without threshold: a leaky integrator (no reset, no choices but `order`).
  // CHECK-NEXT: %li = snn.leaky "li"(%v) {decay = #nir.dense<2xf64: [0.9, 0.8]>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
  %li = snn.leaky "li"(%v) {order = "leak-then-integrate", bias = #nir.dense<2xf64: [0.0, 0.0]>, gain = #nir.dense<2xf64: [0.1, 0.1]>, decay = #nir.dense<2xf64: [0.9, 0.8]>} : tensor<2xf32> -> tensor<2xf32>
  // decay = 1: a plain integrator; no incoming edge, the shape comes from the parameters.
  // CHECK-NEXT: %int = snn.leaky "int" {decay = #nir.dense<2xf32: 1.0>, gain = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: [0.5, -0.5]>, order = "integrate-then-leak"} : tensor<2xf32>
  %int = snn.leaky "int" {decay = #nir.dense<2xf32: 1.0>, gain = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: [0.5, -0.5]>, order = "integrate-then-leak"} : tensor<2xf32>

  // snn.leaky with threshold and v_reset: every reset choice stated.
  // CHECK-NEXT: %lif = snn.leaky "lif"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %lif = snn.leaky "lif"(%v) {output = "spikes", reset_timing = "same", spike_timing = "same", compare = ">", reset = "value", v_reset = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, order = "leak-then-integrate", bias = #nir.dense<2xf64: 0.0>, gain = #nir.dense<2xf64: 0.1>, decay = #nir.dense<2xf64: 0.9>} : tensor<2xf32> -> tensor<2xf32>
  // The other value of every choice, multi_spike, two incoming edges (summed).
  // CHECK-NEXT: %lif2 = snn.leaky "lif2"(%v, %w) {decay = #nir.dense<2xf64: [0.9, 0.8]>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.01>, threshold = #nir.dense<2xf64: [1.0, 2.0]>, v_reset = #nir.dense<2xf64: -0.5>, reset = "subtract", compare = ">=", spike_timing = "next", reset_timing = "next", order = "integrate-then-leak", multi_spike, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %lif2 = snn.leaky "lif2"(%v, %w) {decay = #nir.dense<2xf64: [0.9, 0.8]>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.01>, threshold = #nir.dense<2xf64: [1.0, 2.0]>, v_reset = #nir.dense<2xf64: -0.5>, reset = "subtract", compare = ">=", spike_timing = "next", reset_timing = "next", order = "integrate-then-leak", multi_spike, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  // An integrator that resets and outputs its membrane (a lowered LIF's LI), reset "none".
  // CHECK-NEXT: %mem = snn.leaky "mem"(%v) {decay = #nir.dense<2xf32: 0.9>, gain = #nir.dense<2xf32: 0.1>, bias = #nir.dense<2xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "none", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "membrane"} : tensor<2xf32> -> tensor<2xf32>
  %mem = snn.leaky "mem"(%v) {decay = #nir.dense<2xf32: 0.9>, gain = #nir.dense<2xf32: 0.1>, bias = #nir.dense<2xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "none", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "membrane"} : tensor<2xf32> -> tensor<2xf32>

  // A quantized neuron: integer parameters, the scale quantize multiplied them by, and a
  // 16-bit state that wraps (state_bits and overflow print after the choices).
  // CHECK-NEXT: %q = snn.leaky "q"(%v) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xi8: 0>, threshold = #nir.dense<2xi16: 127>, v_reset = #nir.dense<2xi16: 0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes", state_bits = 16 : i64, overflow = "wrap", scale = #nir.dense<f64: 127.0>} : tensor<2xf32> -> tensor<2xf32>
  %q = snn.leaky "q"(%v) {scale = #nir.dense<f64: 127.0>, overflow = "wrap", state_bits = 16 : i64, decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xi8: 0>, threshold = #nir.dense<2xi16: 127>, v_reset = #nir.dense<2xi16: 0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>

  // snn.synaptic, without and with a threshold; syn_decay/syn_gain follow bias.
  // CHECK-NEXT: %cli = snn.synaptic "cli"(%v) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: [0.02, 0.01]>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
  %cli = snn.synaptic "cli"(%v) {syn_gain = #nir.dense<2xf64: [0.02, 0.01]>, syn_decay = #nir.dense<2xf64: 0.98>, decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %clif = snn.synaptic "clif"(%cli) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.02>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %clif = snn.synaptic "clif"(%cli) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.02>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>

  // snn.rleaky: w_rec (and optional b_rec) after the choices.
  // CHECK-NEXT: %rl = snn.rleaky "rl"(%v) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 1.0, 2.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %rl = snn.rleaky "rl"(%v) {w_rec = #nir.dense<2x2xf32: [0.0, 1.0, 2.0, 0.0]>, decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %rlb = snn.rleaky "rlb" {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 1.0, 2.0, 0.0]>, b_rec = #nir.dense<2xf32: [0.25, -0.25]>} : tensor<2xf32>
  %rlb = snn.rleaky "rlb" {b_rec = #nir.dense<2xf32: [0.25, -0.25]>, w_rec = #nir.dense<2x2xf32: [0.0, 1.0, 2.0, 0.0]>, decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32>

  // snn.rsynaptic.
  // CHECK-NEXT: %rs = snn.rsynaptic "rs"(%v, %w) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.02>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", multi_spike, output = "spikes", w_rec = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, b_rec = #nir.dense<2xf32: 0.5>} : tensor<2xf32> -> tensor<2xf32>
  %rs = snn.rsynaptic "rs"(%v, %w) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.02>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", multi_spike, output = "spikes", w_rec = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, b_rec = #nir.dense<2xf32: [0.5, 0.5]>} : tensor<2xf32> -> tensor<2xf32>

  // snn.threshold: the comparison is always stated, multi_spike optional.
  // CHECK-NEXT: %th = snn.threshold "th"(%mem) {threshold = #nir.dense<2xf32: 1.0>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
  %th = snn.threshold "th"(%mem) {compare = ">", threshold = #nir.dense<2xf32: [1.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %thm = snn.threshold "thm"(%mem) {threshold = #nir.dense<2xf32: [1.0, 0.5]>, compare = ">=", multi_spike} : tensor<2xf32> -> tensor<2xf32>
  %thm = snn.threshold "thm"(%mem) {multi_spike, compare = ">=", threshold = #nir.dense<2xf32: [1.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>

  // snn.delay: integer steps per element; a forward reference is a recurrent edge.
  // CHECK-NEXT: %d = snn.delay "d"(%th) {steps = #nir.dense<2xi64: [0, 10]>} : tensor<2xf32> -> tensor<2xf32>
  %d = snn.delay "d"(%th) {steps = #nir.dense<2xi64: [0, 10]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %prev = snn.delay "lif3.previous"(%lif3) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  %prev = snn.delay "lif3.previous"(%lif3) {steps = #nir.dense<2xi64: [1, 1]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %lif3 = snn.leaky "lif3"(%d, %prev) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", metadata = {note = "kept"}} : tensor<2xf32> -> tensor<2xf32>
  %lif3 = snn.leaky "lif3"(%d, %prev) {metadata = {note = "kept"}, decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>

  // CHECK-NEXT: nir.output "out"(%lif3) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "out"(%lif3) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
}
// CHECK-NEXT: }
// CHECK-NOT: {{.}}

// The generic form prints every property, `name` first, then the others in the order
// they were given (here: b_rec before w_rec).
// GENERIC:      "builtin.module"() ({
// GENERIC-NEXT:   "nir.graph"() ({
// GENERIC-NEXT:     %v = "nir.input"() <{name = "v", shape = #nir.dense<1xi64: [2]>}> : () -> tensor<2xf32>
// GENERIC:          %li = "snn.leaky"(%v) <{name = "li", {{.*}}decay = #nir.dense<2xf64: [0.9, 0.8]>{{.*}}}> : (tensor<2xf32>) -> tensor<2xf32>
// GENERIC:          %int = "snn.leaky"() <{name = "int", {{.*}}}> : () -> tensor<2xf32>
// GENERIC:          %lif2 = "snn.leaky"(%v, %w) <{name = "lif2", {{.*}}multi_spike{{.*}}}> : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
// GENERIC:          %clif = "snn.synaptic"(%cli) <{name = "clif", {{.*}}syn_decay = #nir.dense<2xf64: 0.98>{{.*}}}> : (tensor<2xf32>) -> tensor<2xf32>
// GENERIC:          %rlb = "snn.rleaky"() <{name = "rlb", b_rec = #nir.dense<2xf32: [0.25, -0.25]>, w_rec = #nir.dense<2x2xf32: [0.0, 1.0, 2.0, 0.0]>, decay = {{.*}}}> : () -> tensor<2xf32>
// GENERIC:          %rs = "snn.rsynaptic"(%v, %w) <{name = "rs", {{.*}}}> : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
// GENERIC:          %thm = "snn.threshold"(%mem) <{name = "thm", {{.*}}multi_spike{{.*}}}> : (tensor<2xf32>) -> tensor<2xf32>
// GENERIC:          %d = "snn.delay"(%th) <{name = "d", steps = #nir.dense<2xi64: [0, 10]>}> : (tensor<2xf32>) -> tensor<2xf32>
// GENERIC-NEXT:     %prev = "snn.delay"(%lif3) <{name = "lif3.previous", steps = #nir.dense<2xi64: 1>}> : (tensor<2xf32>) -> tensor<2xf32>
// GENERIC:          "nir.output"(%lif3) <{name = "out", shape = #nir.dense<1xi64: [2]>}> : (tensor<2xf32>) -> ()
// GENERIC-NEXT:   }) : () -> ()
// GENERIC-NEXT: }) : () -> ()
