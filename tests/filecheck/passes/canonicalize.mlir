// RUN: nir-opt %s --split-input-file -p canonicalize | filecheck %s
// RUN: nir-opt %s --split-input-file --canonicalize | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'canonicalize{fold=false}' | filecheck %s --check-prefix=NOFOLD
// The result is a fixed point here: a second run changes nothing.
// RUN: nir-opt %s --split-input-file -p canonicalize | nir-opt --split-input-file -p canonicalize | filecheck %s

// Bad options: one line on stderr, exit code 2 (bad usage).
// RUN: not nir-opt %s -p 'canonicalize{fold=maybe}' 2>&1 | filecheck %s --check-prefix=BAD-VALUE --match-full-lines
// RUN: not nir-opt %s -p 'canonicalize{folds=false}' 2>&1 | filecheck %s --check-prefix=BAD-OPT --match-full-lines
// RUN: sh -c 'nir-opt "$0" -p "canonicalize{fold=maybe}" >/dev/null 2>&1; echo "exit $?"' %s | filecheck %s --check-prefix=BAD-EXIT
// BAD-VALUE:     nir-opt: error: bad options for pass 'canonicalize': fold must be true or false, got 'maybe' (options: fold)
// BAD-VALUE-NOT: {{.}}
// BAD-OPT:       nir-opt: error: bad options for pass 'canonicalize': Provided arguments ["folds"] not found in expected arguments ["fold"] (options: fold)
// BAD-OPT-NOT:   {{.}}
// BAD-EXIT:      exit 2

// affine-zero-bias: an Affine whose bias is all zeros becomes a Linear with the same
// name, weight and metadata; an Affine with a nonzero bias stays (and, read by two
// nodes, the zero-bias one is not merged into it).  Bit-exact, so also with fold=false.
// CHECK-LABEL:  %in_zb = nir.input "in_zb"
// CHECK-NEXT:   %zb = nir.linear "zb"(%in_zb) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, metadata = {note = "zb"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %nzb = nir.affine "nzb"(%zb) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 1.0]>, bias = #nir.dense<2xf32: [0.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %lif = nir.lif "lif"(%zb, %nzb)
// CHECK-NEXT:   nir.output "out"(%lif)
// NOFOLD-LABEL: %in_zb = nir.input "in_zb"
// NOFOLD-NEXT:  %zb = nir.linear "zb"(%in_zb) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, metadata = {note = "zb"}} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  %nzb = nir.affine "nzb"(%zb) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 1.0]>, bias = #nir.dense<2xf32: [0.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
nir.graph {
  %in_zb = nir.input "in_zb" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %zb = nir.affine "zb"(%in_zb) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: 0.0>, metadata = {note = "zb"}} : tensor<2xf32> -> tensor<2xf32>
  %nzb = nir.affine "nzb"(%zb) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 1.0]>, bias = #nir.dense<2xf32: [0.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
  %lif = nir.lif "lif"(%zb, %nzb) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// identity-scale / identity-flatten: a Scale of ones and a Flatten that keeps the shape
// ([1, 2], dims 1..1) are dropped; their user reads their input.  A Scale of ones with
// two incoming edges sums them and stays; a Flatten that changes the shape stays.
// CHECK-LABEL:  %in_id = nir.input "in_id"
// CHECK-NEXT:   %in2 = nir.input "in2"
// CHECK-NEXT:   %li = nir.li "li"(%in_id) {tau = #nir.dense<1x2xf32: 0.01>, r = #nir.dense<1x2xf32: 1.0>, v_leak = #nir.dense<1x2xf32: 0.0>} : tensor<1x2xf32> -> tensor<1x2xf32>
// CHECK-NEXT:   %sum = nir.scale "sum"(%li, %in2) {scale = #nir.dense<1x2xf32: 1.0>} : tensor<1x2xf32> -> tensor<1x2xf32>
// CHECK-NEXT:   %flat = nir.flatten "flat"(%sum) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>} : tensor<1x2xf32> -> tensor<2xf32>
// CHECK-NEXT:   nir.output "out"(%flat) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NOFOLD-LABEL: %in_id = nir.input "in_id"
// NOFOLD-NEXT:  %in2 = nir.input "in2"
// NOFOLD-NEXT:  %li = nir.li "li"(%in_id)
// NOFOLD-NEXT:  %sum = nir.scale "sum"(%li, %in2)
nir.graph {
  %in_id = nir.input "in_id" {shape = #nir.dense<2xi64: [1, 2]>} : tensor<1x2xf32>
  %in2 = nir.input "in2" {shape = #nir.dense<2xi64: [1, 2]>} : tensor<1x2xf32>
  %one = nir.scale "one"(%in_id) {scale = #nir.dense<1x2xf32: 1.0>} : tensor<1x2xf32> -> tensor<1x2xf32>
  %keep = nir.flatten "keep"(%one) {start_dim = #nir.dense<i64: 1>, end_dim = #nir.dense<i64: 1>} : tensor<1x2xf32> -> tensor<1x2xf32>
  %li = nir.li "li"(%keep) {tau = #nir.dense<1x2xf32: 0.01>, r = #nir.dense<1x2xf32: 1.0>, v_leak = #nir.dense<1x2xf32: 0.0>} : tensor<1x2xf32> -> tensor<1x2xf32>
  %sum = nir.scale "sum"(%li, %in2) {scale = #nir.dense<1x2xf32: 1.0>} : tensor<1x2xf32> -> tensor<1x2xf32>
  %flat = nir.flatten "flat"(%sum) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>} : tensor<1x2xf32> -> tensor<2xf32>
  nir.output "out"(%flat) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// fold-scale, Affine ⊳ Scale: W' = diag(s) W = [[2*1, 2*2], [0.5*3, 0.5*4]],
// b' = s * b = [2*1, 0.5*-1].  The result has the Scale's name and metadata (it
// produces the final signal).  fold=false leaves both nodes.
// CHECK-LABEL:  %in_fa = nir.input "in_fa"
// CHECK-NEXT:   %s = nir.affine "s"(%in_fa) {weight = #nir.dense<2x2xf32: [2.0, 4.0, 1.5, 2.0]>, bias = #nir.dense<2xf32: [2.0, -0.5]>, metadata = {note = "s"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   nir.output "out"(%s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NOFOLD-LABEL: %in_fa = nir.input "in_fa"
// NOFOLD-NEXT:  %fc = nir.affine "fc"(%in_fa) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [1.0, -1.0]>, metadata = {note = "fc"}} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  %s = nir.scale "s"(%fc) {scale = #nir.dense<2xf32: [2.0, 0.5]>, metadata = {note = "s"}} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  nir.output "out"(%s)
nir.graph {
  %in_fa = nir.input "in_fa" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.affine "fc"(%in_fa) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [1.0, -1.0]>, metadata = {note = "fc"}} : tensor<2xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%fc) {scale = #nir.dense<2xf32: [2.0, 0.5]>, metadata = {note = "s"}} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%s) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// fold-scale, Scale ⊳ Linear: W' = W diag(s), columns scaled by [2, 0.5]:
// [[1*2, 2*0.5], [3*2, 4*0.5], [5*2, 6*0.5]].  The Linear keeps its name and metadata
// and takes the Scale's incoming edge (with its edge_ids).
// CHECK-LABEL:  %in_fb = nir.input "in_fb"
// CHECK-NEXT:   %fc = nir.linear "fc"(%in_fb) {weight = #nir.dense<3x2xf32: [2.0, 1.0, 6.0, 2.0, 10.0, 3.0]>, metadata = {note = "fc"}, edge_ids = #nir.dense<1xi64: [0]>} : tensor<2xf32> -> tensor<3xf32>
// CHECK-NEXT:   nir.output "out"(%fc) {shape = #nir.dense<1xi64: [3]>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<3xf32>
// NOFOLD-LABEL: %in_fb = nir.input "in_fb"
// NOFOLD-NEXT:  %s = nir.scale "s"(%in_fb)
// NOFOLD-NEXT:  %fc = nir.linear "fc"(%s) {weight = #nir.dense<3x2xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>
nir.graph {
  %in_fb = nir.input "in_fb" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %s = nir.scale "s"(%in_fb) {scale = #nir.dense<2xf32: [2.0, 0.5]>, edge_ids = #nir.dense<1xi64: [0]>} : tensor<2xf32> -> tensor<2xf32>
  %fc = nir.linear "fc"(%s) {weight = #nir.dense<3x2xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>, metadata = {note = "fc"}, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32> -> tensor<3xf32>
  nir.output "out"(%fc) {shape = #nir.dense<1xi64: [3]>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<3xf32>
}

// -----
// fold-scale, Conv ⊳ Scale constant over each channel: channel factors [3, 0.5] scale
// the kernels [1, 2] -> [3, 1] and the bias [0.5, -0.5] -> [1.5, -0.25].  A Scale that
// varies over space (sv) is not a per-channel factor and stays.
// CHECK-LABEL:  %in_fc = nir.input "in_fc"
// CHECK-NEXT:   %s = nir.conv2d "s"(%in_fc) {weight = #nir.dense<2x1x1x1xf32: [3.0, 1.0]>, bias = #nir.dense<2xf32: [1.5, -0.25]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x2x2xf32> -> tensor<2x2x2xf32>
// CHECK-NEXT:   %c2 = nir.conv2d "c2"(%s) {weight = #nir.dense<1x2x1x1xf32: [1.0, 2.0]>, bias = #nir.dense<1xf32: [0.0]>, {{.*}}} : tensor<2x2x2xf32> -> tensor<1x2x2xf32>
// CHECK-NEXT:   %sv = nir.scale "sv"(%c2) {scale = #nir.dense<1x2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<1x2x2xf32> -> tensor<1x2x2xf32>
// CHECK-NEXT:   nir.output "out"(%sv)
// NOFOLD-LABEL: %in_fc = nir.input "in_fc"
// NOFOLD-NEXT:  %c = nir.conv2d "c"(%in_fc) {weight = #nir.dense<2x1x1x1xf32: [1.0, 2.0]>, bias = #nir.dense<2xf32: [0.5, -0.5]>
// NOFOLD-NEXT:  %s = nir.scale "s"(%c)
nir.graph {
  %in_fc = nir.input "in_fc" {shape = #nir.dense<3xi64: [1, 2, 2]>} : tensor<1x2x2xf32>
  %c = nir.conv2d "c"(%in_fc) {weight = #nir.dense<2x1x1x1xf32: [1.0, 2.0]>, bias = #nir.dense<2xf32: [0.5, -0.5]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x2x2xf32> -> tensor<2x2x2xf32>
  %s = nir.scale "s"(%c) {scale = #nir.dense<2x2x2xf32: [3.0, 3.0, 3.0, 3.0, 0.5, 0.5, 0.5, 0.5]>} : tensor<2x2x2xf32> -> tensor<2x2x2xf32>
  %c2 = nir.conv2d "c2"(%s) {weight = #nir.dense<1x2x1x1xf32: [1.0, 2.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<2x2x2xf32> -> tensor<1x2x2xf32>
  %sv = nir.scale "sv"(%c2) {scale = #nir.dense<1x2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<1x2x2xf32> -> tensor<1x2x2xf32>
  nir.output "out"(%sv) {shape = #nir.dense<3xi64: [1, 2, 2]>} : tensor<1x2x2xf32>
}

// -----
// merge-matrix: Affine ⊳ Affine -> one Affine: W = W2 W1 = [1, 1] [[1, 2], [3, 4]]
// = [4, 6], b = W2 b1 + b2 = (1 + 2) + 0.5 = 3.5; name and metadata of the second,
// incoming edges (edge_ids) of the first.  Linear ⊳ Linear -> Linear: [[0, 1], [1, 0]]
// [[1, 2], [3, 4]] = [[3, 4], [1, 2]].  Affine ⊳ Linear whose merged bias
// W2 b1 = 1 - 1 is zero becomes a Linear (affine-zero-bias after merge-matrix).
// CHECK-LABEL:  %in_mm = nir.input "in_mm"
// CHECK-NEXT:   %a2 = nir.affine "a2"(%in_mm) {weight = #nir.dense<1x2xf32: [4.0, 6.0]>, bias = #nir.dense<1xf32: [3.5]>, metadata = {note = "a2"}, edge_ids = #nir.dense<1xi64: [0]>} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:   %l2 = nir.linear "l2"(%in_mm) {weight = #nir.dense<2x2xf32: [3.0, 4.0, 1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %c2 = nir.linear "c2"(%in_mm) {weight = #nir.dense<1x2xf32: [4.0, 6.0]>} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:   nir.output "o1"(%a2) {shape = #nir.dense<1xi64: [1]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<1xf32>
// CHECK-NEXT:   nir.output "o2"(%l2)
// CHECK-NEXT:   nir.output "o3"(%c2)
// NOFOLD-LABEL: %in_mm = nir.input "in_mm"
// NOFOLD-NEXT:  %a1 = nir.affine "a1"(%in_mm)
// NOFOLD-NEXT:  %a2 = nir.affine "a2"(%a1)
// NOFOLD-NEXT:  %l1 = nir.linear "l1"(%in_mm)
// NOFOLD-NEXT:  %l2 = nir.linear "l2"(%l1)
// NOFOLD-NEXT:  %c1 = nir.affine "c1"(%in_mm)
// NOFOLD-NEXT:  %c2 = nir.linear "c2"(%c1)
nir.graph {
  %in_mm = nir.input "in_mm" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %a1 = nir.affine "a1"(%in_mm) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [1.0, 2.0]>, metadata = {note = "a1"}, edge_ids = #nir.dense<1xi64: [0]>} : tensor<2xf32> -> tensor<2xf32>
  %a2 = nir.affine "a2"(%a1) {weight = #nir.dense<1x2xf32: [1.0, 1.0]>, bias = #nir.dense<1xf32: [0.5]>, metadata = {note = "a2"}, edge_ids = #nir.dense<1xi64: [1]>} : tensor<2xf32> -> tensor<1xf32>
  %l1 = nir.linear "l1"(%in_mm) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %l2 = nir.linear "l2"(%l1) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %c1 = nir.affine "c1"(%in_mm) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [1.0, -1.0]>} : tensor<2xf32> -> tensor<2xf32>
  %c2 = nir.linear "c2"(%c1) {weight = #nir.dense<1x2xf32: [1.0, 1.0]>} : tensor<2xf32> -> tensor<1xf32>
  nir.output "o1"(%a2) {shape = #nir.dense<1xi64: [1]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<1xf32>
  nir.output "o2"(%l2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o3"(%c2) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// cse: b repeats a (same kind, parameters and incoming edges; name and metadata do not
// count) and goes, then tb repeats ta; their users read the first.  c differs in one
// weight, tc in its input: both stay.  The neurons la and lb are never merged (state).
// Bit-exact, so the same with fold=false.
// CHECK-LABEL:  %in_cse = nir.input "in_cse"
// CHECK-NEXT:   %a = nir.linear "a"(%in_cse) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %c = nir.linear "c"(%in_cse) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 5.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %ta = nir.threshold "ta"(%a) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %tc = nir.threshold "tc"(%c) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %la = nir.li "la"(%ta)
// CHECK-NEXT:   %lb = nir.li "lb"(%ta)
// CHECK-NEXT:   nir.output "oa"(%la)
// CHECK-NEXT:   nir.output "ob"(%lb)
// CHECK-NEXT:   nir.output "oc"(%tc)
// NOFOLD-LABEL: %in_cse = nir.input "in_cse"
// NOFOLD-NEXT:  %a = nir.linear "a"(%in_cse)
// NOFOLD-NEXT:  %c = nir.linear "c"(%in_cse)
// NOFOLD-NEXT:  %ta = nir.threshold "ta"(%a)
// NOFOLD-NEXT:  %tc = nir.threshold "tc"(%c)
// NOFOLD-NEXT:  %la = nir.li "la"(%ta)
// NOFOLD-NEXT:  %lb = nir.li "lb"(%ta)
nir.graph {
  %in_cse = nir.input "in_cse" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %a = nir.linear "a"(%in_cse) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %b = nir.linear "b"(%in_cse) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, metadata = {note = "b"}} : tensor<2xf32> -> tensor<2xf32>
  %c = nir.linear "c"(%in_cse) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 5.0]>} : tensor<2xf32> -> tensor<2xf32>
  %ta = nir.threshold "ta"(%a) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %tb = nir.threshold "tb"(%b) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %tc = nir.threshold "tc"(%c) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %la = nir.li "la"(%ta) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %lb = nir.li "lb"(%tb) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "oa"(%la) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "ob"(%lb) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "oc"(%tc) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// dead-nodes: no Output is reachable from the LIF d1 and its recurrent Linear d2 (a
// cycle), nor from d3: they go, the neuron included.  Inputs stay, used or not.
// CHECK-LABEL:  %in_dead = nir.input "in_dead"
// CHECK-NEXT:   %unused = nir.input "unused" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:   %fc = nir.linear "fc"(%in_dead) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %live = nir.li "live"(%fc)
// CHECK-NEXT:   nir.output "out"(%live)
// CHECK-NEXT: }
// NOFOLD-LABEL: %in_dead = nir.input "in_dead"
// NOFOLD-NEXT:  %unused = nir.input "unused"
// NOFOLD-NEXT:  %fc = nir.linear "fc"(%in_dead)
// NOFOLD-NEXT:  %live = nir.li "live"(%fc)
// NOFOLD-NEXT:  nir.output "out"(%live)
// NOFOLD-NEXT: }
nir.graph {
  %in_dead = nir.input "in_dead" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %unused = nir.input "unused" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in_dead) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %d1 = nir.lif "d1"(%fc, %d2) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %d2 = nir.linear "d2"(%d1) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %d3 = nir.scale "d3"(%unused) {scale = #nir.dense<2xf32: 2.0>} : tensor<2xf32> -> tensor<2xf32>
  %live = nir.li "live"(%fc) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%live) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: a Linear read by two nodes is neither merged into the Linear after
// it nor folded with the Scale after it; a Scale read by two nodes is not folded into
// the Affine after it; an Affine with a nonzero bias stays an Affine; the identical
// neurons l1 and l2 reach Outputs and are neither merged nor erased.
// CHECK-LABEL:  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:   %fc = nir.linear "fc"(%in_keep) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %fc2 = nir.linear "fc2"(%fc) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %s = nir.scale "s"(%fc) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %s2 = nir.scale "s2"(%in_keep) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %aff = nir.affine "aff"(%s2) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %l1 = nir.lif "l1"(%fc2, %s) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   %l2 = nir.lif "l2"(%fc2, %s) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:   nir.output "o1"(%l1) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:   nir.output "o2"(%l2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:   nir.output "o3"(%aff) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:   nir.output "o4"(%s2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
// NOFOLD-LABEL: %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NOFOLD-NEXT:  %fc = nir.linear "fc"(%in_keep) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  %fc2 = nir.linear "fc2"(%fc) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  %s = nir.scale "s"(%fc) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  %s2 = nir.scale "s2"(%in_keep) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  %aff = nir.affine "aff"(%s2) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  %l1 = nir.lif "l1"(%fc2, %s) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  %l2 = nir.lif "l2"(%fc2, %s) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// NOFOLD-NEXT:  nir.output "o1"(%l1) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NOFOLD-NEXT:  nir.output "o2"(%l2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NOFOLD-NEXT:  nir.output "o3"(%aff) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NOFOLD-NEXT:  nir.output "o4"(%s2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// NOFOLD-NEXT: }
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in_keep) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %fc2 = nir.linear "fc2"(%fc) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%fc) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
  %s2 = nir.scale "s2"(%in_keep) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
  %aff = nir.affine "aff"(%s2) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %l1 = nir.lif "l1"(%fc2, %s) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %l2 = nir.lif "l2"(%fc2, %s) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "o1"(%l1) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o2"(%l2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o3"(%aff) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o4"(%s2) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
