// RUN: nir-opt %s --split-input-file -p nir-fuse-recurrent | filecheck %s
// RUN: nir-opt %s --split-input-file --nir-fuse-recurrent | filecheck %s
// RUN: not nir-opt %s -p 'nir-fuse-recurrent{all=true}' 2>&1 | filecheck %s --check-prefix=BAD-OPT --match-full-lines
// BAD-OPT:     nir-opt: error: bad options for pass 'nir-fuse-recurrent': Provided arguments ["all"] not found in expected arguments [] (options: none)
// BAD-OPT-NOT: {{.}}

// Braille's shape: fc1 ⊳ CubaLIF "lif1.lif" ⊳ Linear "lif1.w_rec" ⊳ the CubaLIF.  The
// recurrence becomes the nested graph "lif1" (the two names' common prefix) with the
// nodes snnTorch writes for RSynaptic: "input" (the outer edge), "lif" (the neuron,
// parameters and metadata unchanged), "w_rec" (the Linear, reading lif and feeding it
// back as lif's last edge) and "output" (lif's spikes).  fc2 now reads the graph.
// CHECK-LABEL: %in_braille = nir.input "in_braille" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %fc1 = nir.affine "fc1"(%in_braille) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %lif1 = nir.graph "lif1"(%fc1) : (tensor<2xf32>) -> (tensor<2xf32>) {
// CHECK-NEXT:    %input = nir.input "input" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:    %lif = nir.cuba_lif "lif"(%input, %w_rec) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: [1.0, 0.5]>, metadata = {note = "m"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    %w_rec = nir.linear "w_rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    nir.output "output"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  %fc2 = nir.linear "fc2"(%lif1) {weight = #nir.dense<1x2xf32: 1.0>} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "output"(%fc2) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// CHECK-NEXT: }
nir.graph {
  %in_braille = nir.input "in_braille" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc1 = nir.affine "fc1"(%in_braille) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %lif1_lif = nir.cuba_lif "lif1.lif"(%fc1, %lif1_w_rec) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: [1.0, 0.5]>, metadata = {note = "m"}} : tensor<2xf32> -> tensor<2xf32>
  %lif1_w_rec = nir.linear "lif1.w_rec"(%lif1_lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %fc2 = nir.linear "fc2"(%lif1_lif) {weight = #nir.dense<1x2xf32: [1.0, 1.0]>} : tensor<2xf32> -> tensor<1xf32>
  nir.output "output"(%fc2) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// LIF ⊳ Affine "rec" ⊳ the LIF: no common prefix, so the graph is "lif.rec"; w_rec
// keeps the Affine's bias.
// CHECK-LABEL: %in_aff = nir.input "in_aff" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %lif_rec = nir.graph "lif.rec"(%in_aff) : (tensor<2xf32>) -> (tensor<2xf32>) {
// CHECK-NEXT:    %input = nir.input "input" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:    %lif = nir.lif "lif"(%input, %w_rec) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    %w_rec = nir.affine "w_rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, bias = #nir.dense<2xf32: [0.1, 0.2]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    nir.output "output"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  nir.output "output"(%lif_rec) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_aff = nir.input "in_aff" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = nir.lif "lif"(%in_aff, %rec) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %rec = nir.affine "rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, bias = #nir.dense<2xf32: [0.1, 0.2]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "output"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Two outer edges feed the one Input (which sums them in order) and keep their
// edge_ids on the graph; "lif1" is taken by another node, so the graph is
// "lif1.lif.rec".
// CHECK-LABEL: %in_two = nir.input "in_two" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %in2 = nir.input "in2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %lif1_lif_rec = nir.graph "lif1.lif.rec"(%in_two, %in2) <{edge_ids = #nir.dense<2xi64: [0, 1]>}> : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>) {
// CHECK-NEXT:    %input = nir.input "input" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:    %lif = nir.lif "lif"(%input, %w_rec) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    %w_rec = nir.linear "w_rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    nir.output "output"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  %lif1 = nir.scale "lif1"(%lif1_lif_rec) {scale = #nir.dense<2xf32: 2.0>, edge_ids = #nir.dense<1xi64: [4]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "output"(%lif1) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [5]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_two = nir.input "in_two" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %in2 = nir.input "in2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif1_lif = nir.lif "lif1.lif"(%in_two, %in2, %lif1_w_rec) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, edge_ids = #nir.dense<3xi64: [0, 1, 3]>} : tensor<2xf32> -> tensor<2xf32>
  %lif1_w_rec = nir.linear "lif1.w_rec"(%lif1_lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32> -> tensor<2xf32>
  %lif1 = nir.scale "lif1"(%lif1_lif) {scale = #nir.dense<2xf32: 2.0>, edge_ids = #nir.dense<1xi64: [4]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "output"(%lif1) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [5]>} : tensor<2xf32>
}

// -----
// Must not change: li is an LI (no spikes to feed back); r2 is also read by an Output;
// r3 has another input besides l3; l4's recurrent edge is the middle one of three; l5
// is an integrator with a reset (a lowered LIF, a nirc extension), not a LIF.
// CHECK-LABEL: %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %li = nir.li "li"(%in_keep, %r1) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r1 = nir.linear "r1"(%li) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %l2 = nir.lif "l2"(%in_keep, %r2) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r2 = nir.linear "r2"(%l2) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %l3 = nir.lif "l3"(%in_keep, %r3) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r3 = nir.linear "r3"(%l3, %in_keep) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %l4 = nir.lif "l4"(%in_keep, %r4, %li) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r4 = nir.linear "r4"(%l4) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %l5 = nir.li "l5"(%in_keep, %r5) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r5 = nir.linear "r5"(%l5) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "o1"(%li) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  nir.output "o2"(%r2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  nir.output "o3"(%l3) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  nir.output "o4"(%l4) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  nir.output "o5"(%l5) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %li = nir.li "li"(%in_keep, %r1) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %r1 = nir.linear "r1"(%li) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %l2 = nir.lif "l2"(%in_keep, %r2) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %r2 = nir.linear "r2"(%l2) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %l3 = nir.lif "l3"(%in_keep, %r3) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %r3 = nir.linear "r3"(%l3, %in_keep) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %l4 = nir.lif "l4"(%in_keep, %r4, %li) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %r4 = nir.linear "r4"(%l4) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %l5 = nir.li "l5"(%in_keep, %r5) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %r5 = nir.linear "r5"(%l5) {weight = #nir.dense<2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "o1"(%li) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o2"(%r2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o3"(%l3) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o4"(%l4) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o5"(%l5) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: a 2-D neuron layer ([1, 2], batched weight).
// CHECK-LABEL: %in_2d = nir.input "in_2d" {shape = #nir.dense<2xi64: [1, 2]>} : tensor<1x2xf32>
// CHECK-NEXT:  %l = nir.lif "l"(%in_2d, %r) {tau = #nir.dense<1x2xf32: 0.01>, r = #nir.dense<1x2xf32: 1.0>, v_leak = #nir.dense<1x2xf32: 0.0>, v_threshold = #nir.dense<1x2xf32: 1.0>, v_reset = #nir.dense<1x2xf32: 0.0>} : tensor<1x2xf32> -> tensor<1x2xf32>
// CHECK-NEXT:  %r = nir.linear "r"(%l) {weight = #nir.dense<1x2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<1x2xf32> -> tensor<1x2xf32>
// CHECK-NEXT:  nir.output "output"(%l) {shape = #nir.dense<2xi64: [1, 2]>} : tensor<1x2xf32>
// CHECK-NEXT: }
nir.graph {
  %in_2d = nir.input "in_2d" {shape = #nir.dense<2xi64: [1, 2]>} : tensor<1x2xf32>
  %l = nir.lif "l"(%in_2d, %r) {tau = #nir.dense<1x2xf32: 0.01>, r = #nir.dense<1x2xf32: 1.0>, v_leak = #nir.dense<1x2xf32: 0.0>, v_threshold = #nir.dense<1x2xf32: 1.0>, v_reset = #nir.dense<1x2xf32: 0.0>} : tensor<1x2xf32> -> tensor<1x2xf32>
  %r = nir.linear "r"(%l) {weight = #nir.dense<1x2x2xf32: [0.0, 1.0, -1.0, 0.0]>} : tensor<1x2xf32> -> tensor<1x2xf32>
  nir.output "output"(%l) {shape = #nir.dense<2xi64: [1, 2]>} : tensor<1x2xf32>
}
