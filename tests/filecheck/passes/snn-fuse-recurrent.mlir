// RUN: nir-opt %s --split-input-file -p snn-fuse-recurrent | filecheck %s
// RUN: nir-opt %s --split-input-file --snn-fuse-recurrent | filecheck %s
// RUN: not nir-opt %s -p 'snn-fuse-recurrent{all=true}' 2>&1 | filecheck %s --check-prefix=BAD-OPT --match-full-lines
// BAD-OPT:     nir-opt: error: bad options for pass 'snn-fuse-recurrent': Provided arguments ["all"] not found in expected arguments [] (options: none)
// BAD-OPT-NOT: {{.}}

// Inputs are `snn` graphs as convert-nir-to-snn leaves them (the one-step delay on
// each recurrent edge); nir-to-snn.mlir runs the whole pipeline from `nir`.

// LIF ⊳ Linear ⊳ one-step delay ⊳ the same LIF -> snn.rleaky: the neuron's name, every
// parameter and choice, its metadata and its other incoming edge; w_rec is the Linear's
// weight.  The Linear "rec" and the delay "rec.previous" are gone.
// CHECK-LABEL: %in_a = nir.input "in_a"
// CHECK-NEXT:  %lif = snn.rleaky "lif"(%in_a) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, metadata = {note = "lif"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
// CHECK-NOT:   rec
nir.graph {
  %in_a = nir.input "in_a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = snn.leaky "lif"(%in_a, %rec_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes", metadata = {note = "lif"}} : tensor<2xf32> -> tensor<2xf32>
  %rec = nir.linear "rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// CubaLIF (snn.synaptic) ⊳ Affine ⊳ delay ⊳ itself -> snn.rsynaptic with w_rec and
// b_rec = the Affine's bias.  The recurrent edge is the last of three: the two others
// stay in order, with their edge_ids ([0, 1, 4] minus the recurrent one's).
// CHECK-LABEL: %in_b = nir.input "in_b"
// CHECK-NEXT:  %in_b2 = nir.input "in_b2"
// CHECK-NEXT:  %clif = snn.rsynaptic "clif"(%in_b, %in_b2) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.02>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, b_rec = #nir.dense<2xf32: [0.25, -0.25]>, edge_ids = #nir.dense<2xi64: [0, 1]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%clif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_b = nir.input "in_b" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %in_b2 = nir.input "in_b2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %clif = snn.synaptic "clif"(%in_b, %in_b2, %w_rec_previous) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.02>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", edge_ids = #nir.dense<3xi64: [0, 1, 4]>} : tensor<2xf32> -> tensor<2xf32>
  %w_rec = nir.affine "w_rec"(%clif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, bias = #nir.dense<2xf32: [0.25, -0.25]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32> -> tensor<2xf32>
  %w_rec_previous = snn.delay "w_rec.previous"(%w_rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%clif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// The recurrent edge may also be the first of two (a sum of two is the same in either
// order); edge_ids [3, 0] keep the external edge's [0].
// CHECK-LABEL: %in_c = nir.input "in_c"
// CHECK-NEXT:  %clif = snn.rsynaptic "clif"(%in_c) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.02>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, b_rec = #nir.dense<2xf32: [0.25, -0.25]>, edge_ids = #nir.dense<1xi64: [0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%clif) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_c = nir.input "in_c" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %clif = snn.synaptic "clif"(%w_rec_previous, %in_c) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.02>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", edge_ids = #nir.dense<2xi64: [3, 0]>} : tensor<2xf32> -> tensor<2xf32>
  %w_rec = nir.affine "w_rec"(%clif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, bias = #nir.dense<2xf32: [0.25, -0.25]>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<2xf32> -> tensor<2xf32>
  %w_rec_previous = snn.delay "w_rec.previous"(%w_rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%clif) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: the Linear has another input besides the neuron (fusing would drop
// W in_other from the loop).
// CHECK-LABEL: %in_other = nir.input "in_other" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %lif = snn.leaky "lif"(%in_other, %rec_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rec = nir.linear "rec"(%lif, %in_other) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_other = nir.input "in_other" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = snn.leaky "lif"(%in_other, %rec_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %rec = nir.linear "rec"(%lif, %in_other) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: the recurrent edge sits in the middle of three incoming edges (a
// fused op adds the recurrent term last, which would reorder the float sum).
// CHECK-LABEL: %in_mid = nir.input "in_mid" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %in_mid2 = nir.input "in_mid2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %lif = snn.leaky "lif"(%in_mid, %rec_previous, %in_mid2) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rec = nir.linear "rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_mid = nir.input "in_mid" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %in_mid2 = nir.input "in_mid2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = snn.leaky "lif"(%in_mid, %rec_previous, %in_mid2) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %rec = nir.linear "rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: the recurrent edge is the first of three.
// CHECK-LABEL: %in_first = nir.input "in_first" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %in_first2 = nir.input "in_first2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %lif = snn.leaky "lif"(%rec_previous, %in_first, %in_first2) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rec = nir.linear "rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_first = nir.input "in_first" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %in_first2 = nir.input "in_first2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = snn.leaky "lif"(%rec_previous, %in_first, %in_first2) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %rec = nir.linear "rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: l1's loop has a two-step delay; l3 does not spike (no threshold: no
// spikes to feed back); the delay r4.previous is also read by an Output.  l2 fuses
// though r2 is also read by an Output: r2 stays for it, the fused op holds a copy.
// CHECK-LABEL: %in_no = nir.input "in_no" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %l1 = snn.leaky "l1"(%in_no, %r1_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r1 = nir.linear "r1"(%l1) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r1_previous = snn.delay "r1.previous"(%r1) {steps = #nir.dense<2xi64: 2>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %l2 = snn.rleaky "l2"(%in_no) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r2 = nir.linear "r2"(%l2) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %l3 = snn.leaky "l3"(%in_no, %r3_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r3 = nir.linear "r3"(%l3) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r3_previous = snn.delay "r3.previous"(%r3) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %l4 = snn.leaky "l4"(%in_no, %r4_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r4 = nir.linear "r4"(%l4) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r4_previous = snn.delay "r4.previous"(%r4) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "o1"(%l1) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  nir.output "o2"(%r2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  nir.output "o3"(%l3) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  nir.output "o4"(%l4) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  nir.output "o5"(%r4_previous) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_no = nir.input "in_no" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l1 = snn.leaky "l1"(%in_no, %r1_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %r1 = nir.linear "r1"(%l1) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %r1_previous = snn.delay "r1.previous"(%r1) {steps = #nir.dense<2xi64: 2>} : tensor<2xf32> -> tensor<2xf32>
  %l2 = snn.leaky "l2"(%in_no, %r2_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %r2 = nir.linear "r2"(%l2) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %r2_previous = snn.delay "r2.previous"(%r2) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  %l3 = snn.leaky "l3"(%in_no, %r3_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
  %r3 = nir.linear "r3"(%l3) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %r3_previous = snn.delay "r3.previous"(%r3) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  %l4 = snn.leaky "l4"(%in_no, %r4_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.1>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %r4 = nir.linear "r4"(%l4) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %r4_previous = snn.delay "r4.previous"(%r4) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "o1"(%l1) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o2"(%r2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o3"(%l3) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o4"(%l4) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o5"(%r4_previous) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// The weights feed another neuron too (canonicalize merges equal Linears): the fused op
// holds a copy as w_rec, the delay goes, and the Linear stays for n1.
// CHECK-LABEL: %in_shared = nir.input "in_shared"
// CHECK-NEXT:  %n0 = snn.rleaky "n0"(%in_shared) {{{.*}}, w_rec = #nir.dense<1x1xf64: [-0.5]>} : tensor<1xf32> -> tensor<1xf32>
// CHECK-NEXT:  %n1 = snn.leaky "n1"(%rec)
// CHECK-NEXT:  nir.output "out"(%n1)
// CHECK-NEXT:  %rec = nir.linear "rec"(%n0) {weight = #nir.dense<1x1xf64: [-0.5]>} : tensor<1xf32> -> tensor<1xf32>
// CHECK-NOT:   snn.delay
nir.graph {
  %in_shared = nir.input "in_shared" {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
  %n0 = snn.leaky "n0"(%in_shared, %rec_previous) {decay = #nir.dense<1xf64: [0.75]>, gain = #nir.dense<1xf64: [1.0]>, bias = #nir.dense<1xf64: [0.0]>, threshold = #nir.dense<1xf64: [0.5]>, v_reset = #nir.dense<1xf64: [0.0]>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<1xf32> -> tensor<1xf32>
  %n1 = snn.leaky "n1"(%rec) {decay = #nir.dense<1xf64: [0.75]>, gain = #nir.dense<1xf64: [1.0]>, bias = #nir.dense<1xf64: [0.0]>, threshold = #nir.dense<1xf64: [0.5]>, v_reset = #nir.dense<1xf64: [0.0]>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%n1) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
  %rec = nir.linear "rec"(%n0) {weight = #nir.dense<1x1xf64: [-0.5]>} : tensor<1xf32> -> tensor<1xf32>
  %rec_previous = snn.delay "rec.previous"(%rec) {steps = #nir.dense<1xi64: [1]>} : tensor<1xf32> -> tensor<1xf32>
}
