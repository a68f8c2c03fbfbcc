// RUN: nir-opt %s -p 'nir-to-snn{dt=1e-4 semantics=snntorch}' | filecheck %s --match-full-lines
// RUN: nir-opt %s --nir-to-snn='dt=1e-4 semantics=snntorch' | filecheck %s --match-full-lines
// The named pipeline is canonicalize ; convert-nir-to-snn ; snn-fuse-recurrent:
// RUN: nir-opt %s -p 'canonicalize,convert-nir-to-snn{dt=1e-4 semantics=snntorch},snn-fuse-recurrent' | filecheck %s --match-full-lines
// RUN: nir-opt %s -p 'nir-to-snn{dt=1e-4 semantics=snntorch fold=false}' | filecheck %s --check-prefix=NOFOLD --match-full-lines
// RUN: nir-opt %s -p 'nir-to-snn{dt=1e-4 semantics=lava}' | filecheck %s --check-prefix=LAVA

// The Braille model of the NIR paper (corpus): its one recurrence, CubaLIF "lif1.lif" ⊳
// Affine "lif1.w_rec", becomes exactly one snn.rsynaptic; lif2 stays snn.synaptic, and
// no delay, no recurrent Affine is left.
// RUN: nir-opt %corpus/braille_noDelay_bias_zero.nir -p 'nir-to-snn{dt=1e-4 semantics=snntorch}' | filecheck %s --check-prefix=CORPUS
// RUN: nir-opt %corpus/braille_noDelay_bias_zero.nir -p 'nir-to-snn{dt=1e-4 semantics=snntorch}' | filecheck %s --check-prefix=COUNT
// COUNT-NOT:     snn.delay
// COUNT-NOT:     "lif1.w_rec"
// COUNT-COUNT-1: snn.rsynaptic
// COUNT-NOT:     snn.rsynaptic
// COUNT-NOT:     snn.delay
// COUNT-NOT:     "lif1.w_rec"
// lif1.lif: tau_mem = 0.0009999997615814777 -> decay = 1 - 0.10000002384185791.
// CORPUS:      nir.graph attributes {snn.discretization = {name = "snntorch", {{.*}}}} {
// CORPUS-NEXT:   %input = nir.input "input" {shape = #nir.dense<1xi64: [12]>} : tensor<12xf32>
// CORPUS-NEXT:   %fc1 = nir.affine "fc1"(%input)
// CORPUS-NEXT:   %lif1_lif = snn.rsynaptic "lif1.lif"(%fc1) {decay = #nir.dense<38xf64: 0.8999999761581421>, {{.*}}, output = "spikes", w_rec = #nir.dense<38x38xf32: {{.*}}>, b_rec = #nir.dense<38xf32: {{.*}}>, {{.*}}} : tensor<38xf32> -> tensor<38xf32>
// CORPUS-NEXT:   %fc2 = nir.affine "fc2"(%lif1_lif)
// CORPUS-NEXT:   %lif2 = snn.synaptic "lif2"(%fc2)
// CORPUS-NEXT:   nir.output "output"(%lif2)
// CORPUS-NEXT: }

// Bad options: one line, exit code 2.
// RUN: not nir-opt %s -p 'nir-to-snn{dt=1e-4 fold=maybe}' 2>&1 | filecheck %s --check-prefix=BAD-FOLD --match-full-lines
// RUN: not nir-opt %s -p 'nir-to-snn{dt=abc}' 2>&1 | filecheck %s --check-prefix=BAD-DT --match-full-lines
// RUN: sh -c 'nir-opt "$0" -p "nir-to-snn{dt=abc}" >/dev/null 2>&1; echo "exit $?"' %s | filecheck %s --check-prefix=EXIT-2
// BAD-FOLD: nir-opt: error: bad options for pass 'nir-to-snn': fold must be true or false, got 'maybe' (options: {{.*}}fold)
// BAD-DT:   nir-opt: error: bad options for pass 'nir-to-snn': dt must be a number, got 'abc' (options: {{.*}})
// EXIT-2:   exit 2

// A small Braille-like graph.  canonicalize: fc1's zero bias makes it a Linear, the
// Scale of ones goes, fc2 ⊳ Scale(2) folds into the Affine "s" ([1, -1] * 2, 0.5 * 2).
// convert (snntorch, dt = 1e-4): lif1: tau_mem = 1e-3 -> decay 0.9, gain (1 - 0.9) * 10
// = 0.9999999999999998; tau_syn = 2e-4 -> syn_decay 1 - 0.5 = 0.5, syn_gain 0.5 * 2 = 1;
// lif2: tau_mem = 2e-4 -> decay 0.5, gain 0.5 * 2 = 1.  snn-fuse-recurrent: the
// recurrent Affine (its edge is lif1's first of two) becomes w_rec and b_rec.
// CHECK:      nir.graph attributes {snn.discretization = {name = "snntorch", dt = 1.000000e-04 : f64, integrator = "euler", input_gain = "tau", reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", multi_spike = false, input_delay = 0 : i64, dtype = "float64"}} {
// CHECK-NEXT:   %input = nir.input "input" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
// CHECK-NEXT:   %fc1 = nir.linear "fc1"(%input) {weight = #nir.dense<2x3xf32: [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]>} : tensor<3xf32> -> tensor<2xf32>
// CHECK-NEXT:   %lif1_lif = snn.rsynaptic "lif1.lif"(%fc1) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.9999999999999998>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.5>, syn_gain = #nir.dense<2xf64: 1.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 0.5, -0.5, 0.0]>, b_rec = #nir.dense<2xf32: [0.25, -0.25]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %s = nir.affine "s"(%lif1_lif) {weight = #nir.dense<1x2xf32: [2.0, -2.0]>, bias = #nir.dense<1xf32: [1.0]>} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:   %lif2 = snn.synaptic "lif2"(%s) {decay = #nir.dense<1xf64: [0.5]>, gain = #nir.dense<1xf64: [1.0]>, bias = #nir.dense<1xf64: [0.0]>, syn_decay = #nir.dense<1xf64: [0.5]>, syn_gain = #nir.dense<1xf64: [1.0]>, threshold = #nir.dense<1xf64: [1.0]>, v_reset = #nir.dense<1xf64: [0.0]>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<1xf32> -> tensor<1xf32>
// CHECK-NEXT:   nir.output "output"(%lif2) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// CHECK-NEXT:   }
// CHECK-NEXT: }
// fold=false: no Scale folded (fc2 and s stay), the bit-exact rewrites still apply.
// NOFOLD:      %fc1 = nir.linear "fc1"(%input) {weight = #nir.dense<2x3xf32: [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]>} : tensor<3xf32> -> tensor<2xf32>
// NOFOLD-NEXT: %lif1_lif = snn.rsynaptic "lif1.lif"(%fc1) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.9999999999999998>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.5>, syn_gain = #nir.dense<2xf64: 1.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 0.5, -0.5, 0.0]>, b_rec = #nir.dense<2xf32: [0.25, -0.25]>} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT: %fc2 = nir.affine "fc2"(%lif1_lif) {weight = #nir.dense<1x2xf32: [1.0, -1.0]>, bias = #nir.dense<1xf32: [0.5]>} : tensor<2xf32> -> tensor<1xf32>
// NOFOLD-NEXT: %s = nir.scale "s"(%fc2) {scale = #nir.dense<1xf32: [2.0]>} : tensor<1xf32> -> tensor<1xf32>
// NOFOLD-NEXT: %lif2 = snn.synaptic "lif2"(%s) {{.*}}
// Under lava every neuron input is delayed one step, except that an edge closing a
// cycle (the recurrence) already carries its step: "lif1.lif.input_delay" delays fc1
// only, and the recurrence still fuses into one snn.rsynaptic (Lava's recurrent Dense:
// one step round the loop).
// LAVA:      %fc1 = nir.linear "fc1"(%input)
// LAVA-NEXT: %lif1_lif_input_delay = snn.delay "lif1.lif.input_delay"(%fc1) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// LAVA-NEXT: %lif1_lif = snn.rsynaptic "lif1.lif"(%lif1_lif_input_delay) {decay = #nir.dense<2xf64: 0.9>, {{.*}}, reset = "value", {{.*}}, w_rec = #nir.dense<2x2xf32: [0.0, 0.5, -0.5, 0.0]>, b_rec = #nir.dense<2xf32: [0.25, -0.25]>} : tensor<2xf32> -> tensor<2xf32>
// LAVA-NEXT: %s = nir.affine "s"(%lif1_lif)
// LAVA-NEXT: %lif2_input_delay = snn.delay "lif2.input_delay"(%s) {steps = #nir.dense<1xi64: [1]>} : tensor<1xf32> -> tensor<1xf32>
// LAVA-NEXT: %lif2 = snn.synaptic "lif2"(%lif2_input_delay)
// LAVA-NOT:  lif1.w_rec
nir.graph {
  %input = nir.input "input" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %fc1 = nir.affine "fc1"(%input) {weight = #nir.dense<2x3xf32: [1.0, 0.0, 1.0, 0.0, 1.0, 0.0]>, bias = #nir.dense<2xf32: 0.0>} : tensor<3xf32> -> tensor<2xf32>
  %one = nir.scale "one"(%fc1) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %lif1_lif = nir.cuba_lif "lif1.lif"(%lif1_w_rec, %one) {tau_syn = #nir.dense<2xf64: 0.0002>, tau_mem = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: 10.0>, v_leak = #nir.dense<2xf64: 0.0>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, w_in = #nir.dense<2xf64: 2.0>} : tensor<2xf32> -> tensor<2xf32>
  %lif1_w_rec = nir.affine "lif1.w_rec"(%lif1_lif) {weight = #nir.dense<2x2xf32: [0.0, 0.5, -0.5, 0.0]>, bias = #nir.dense<2xf32: [0.25, -0.25]>} : tensor<2xf32> -> tensor<2xf32>
  %fc2 = nir.affine "fc2"(%lif1_lif) {weight = #nir.dense<1x2xf32: [1.0, -1.0]>, bias = #nir.dense<1xf32: [0.5]>} : tensor<2xf32> -> tensor<1xf32>
  %s = nir.scale "s"(%fc2) {scale = #nir.dense<1xf32: [2.0]>} : tensor<1xf32> -> tensor<1xf32>
  %lif2 = nir.cuba_lif "lif2"(%s) {tau_syn = #nir.dense<1xf64: [0.0002]>, tau_mem = #nir.dense<1xf64: [0.0002]>, r = #nir.dense<1xf64: [2.0]>, v_leak = #nir.dense<1xf64: [0.0]>, v_threshold = #nir.dense<1xf64: [1.0]>, v_reset = #nir.dense<1xf64: [0.0]>, w_in = #nir.dense<1xf64: [2.0]>} : tensor<1xf32> -> tensor<1xf32>
  nir.output "output"(%lif2) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}
