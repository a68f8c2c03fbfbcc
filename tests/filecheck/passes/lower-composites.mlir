// RUN: nir-opt %s --split-input-file -p lower-composites | filecheck %s
// RUN: nir-opt %s --split-input-file --lower-composites | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'lower-composites{only=lif}' | filecheck %s --check-prefix=ONLY-LIF
// RUN: nir-opt %s --split-input-file --lower-composites=only=cubalif | filecheck %s --check-prefix=ONLY-CUBALIF
// RUN: nir-opt %s --split-input-file -p 'lower-composites{only=avgpool2d,IF}' | filecheck %s --check-prefix=ONLY-IF-POOL

// Bad options: one line on stderr, exit code 2 (bad usage), no module printed.
// RUN: not nir-opt %s -p 'lower-composites{only=foo}' 2>&1 | filecheck %s --check-prefix=BAD-KIND --match-full-lines
// RUN: not nir-opt %s -p 'lower-composites{bogus=1}' 2>&1 | filecheck %s --check-prefix=BAD-OPT --match-full-lines
// RUN: sh -c 'nir-opt "$0" -p "lower-composites{only=foo}" >/dev/null 2>&1; echo "exit $?"' %s | filecheck %s --check-prefix=BAD-EXIT
// BAD-KIND:     nir-opt: error: bad options for pass 'lower-composites': unknown kind 'foo' in only=; valid kinds: if, lif, cubali, cubalif, avgpool2d (options: only)
// BAD-KIND-NOT: {{.}}
// BAD-OPT:      nir-opt: error: bad options for pass 'lower-composites': Provided arguments ["bogus"] not found in expected arguments ["only"] (options: only)
// BAD-OPT-NOT:  {{.}}
// BAD-EXIT:     exit 2

// IF = I (with reset) ; Threshold.  The I keeps the name, metadata and incoming edges;
// the Threshold is "NAME.threshold", reads the I and thresholds at v_threshold; the
// users of the IF read the Threshold.
// CHECK-LABEL: %in_if = nir.input "in_if"
// CHECK-NEXT:  %if = nir.i "if"(%in_if) {r = #nir.dense<2xf32: [1.0, 2.0]>, v_threshold = #nir.dense<2xf32: [1.0, 1.5]>, v_reset = #nir.dense<2xf32: [0.0, -1.0]>, metadata = {note = "kept"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %if_threshold = nir.threshold "if.threshold"(%if) {threshold = #nir.dense<2xf32: [1.0, 1.5]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%if_threshold) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
// only=lif leaves the IF alone.
// ONLY-LIF-LABEL: %in_if = nir.input "in_if"
// ONLY-LIF-NEXT:  %if = nir.if "if"(%in_if) {r = #nir.dense<2xf32: [1.0, 2.0]>, v_threshold = #nir.dense<2xf32: [1.0, 1.5]>, v_reset = #nir.dense<2xf32: [0.0, -1.0]>, metadata = {note = "kept"}} : tensor<2xf32> -> tensor<2xf32>
// ONLY-LIF-NEXT:  nir.output "out"(%if) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// ONLY-CUBALIF-LABEL: %in_if = nir.input "in_if"
// ONLY-CUBALIF-NEXT:  %if = nir.if "if"(%in_if)
// ONLY-CUBALIF-NEXT:  nir.output "out"(%if)
// The kind names are case-insensitive.
// ONLY-IF-POOL-LABEL: %in_if = nir.input "in_if"
// ONLY-IF-POOL-NEXT:  %if = nir.i "if"(%in_if)
// ONLY-IF-POOL-NEXT:  %if_threshold = nir.threshold "if.threshold"(%if)
// ONLY-IF-POOL-NEXT:  nir.output "out"(%if_threshold)
nir.graph {
  %in_if = nir.input "in_if" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %if = nir.if "if"(%in_if) {r = #nir.dense<2xf32: [1.0, 2.0]>, v_threshold = #nir.dense<2xf32: [1.0, 1.5]>, v_reset = #nir.dense<2xf32: [0.0, -1.0]>, metadata = {note = "kept"}} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%if) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// LIF = LI (with reset) ; Threshold, inside a recurrence: the LI keeps both incoming
// edges in order (the external one and the recurrent forward reference), the
// recurrent Linear now reads the spikes of the Threshold.  edge_ids stay on the LI.
// CHECK-LABEL: %in_lif = nir.input "in_lif"
// CHECK-NEXT:  %lif = nir.li "lif"(%in_lif, %rec) {tau = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: [0.0, -0.065]>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, edge_ids = #nir.dense<2xi64: [1, 0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %lif_threshold = nir.threshold "lif.threshold"(%lif) {threshold = #nir.dense<2xf64: 1.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rec = nir.linear "rec"(%lif_threshold) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%lif_threshold) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [3]>} : tensor<2xf32>
// CHECK-NEXT: }
// ONLY-LIF-LABEL: %in_lif = nir.input "in_lif"
// ONLY-LIF-NEXT:  %lif = nir.li "lif"(%in_lif, %rec) {tau = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: [0.0, -0.065]>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, edge_ids = #nir.dense<2xi64: [1, 0]>} : tensor<2xf32> -> tensor<2xf32>
// ONLY-LIF-NEXT:  %lif_threshold = nir.threshold "lif.threshold"(%lif)
// ONLY-LIF-NEXT:  %rec = nir.linear "rec"(%lif_threshold)
// ONLY-LIF-NEXT:  nir.output "out"(%lif_threshold)
// ONLY-CUBALIF-LABEL: %in_lif = nir.input "in_lif"
// ONLY-CUBALIF-NEXT:  %lif = nir.lif "lif"(%in_lif, %rec)
// ONLY-CUBALIF-NEXT:  %rec = nir.linear "rec"(%lif)
// ONLY-CUBALIF-NEXT:  nir.output "out"(%lif)
nir.graph {
  %in_lif = nir.input "in_lif" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = nir.lif "lif"(%in_lif, %rec) {tau = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: [0.0, -0.065]>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, edge_ids = #nir.dense<2xi64: [1, 0]>} : tensor<2xf32> -> tensor<2xf32>
  %rec = nir.linear "rec"(%lif) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%lif) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [3]>} : tensor<2xf32>
}

// -----
// New names are fresh: "x.threshold" is taken, so the LIF's Threshold is "x.threshold.1".
// CHECK-LABEL: %in_names = nir.input "in_names"
// CHECK-NEXT:  %x = nir.li "x"(%in_names) {{.*}}v_threshold = #nir.dense<1xf32: [0.5]>
// (SSA names are only hints: the NIR name is the string, so capture the SSA values.)
// CHECK-NEXT:  [[TH:%[a-z_0-9]+]] = nir.threshold "x.threshold.1"(%x) {threshold = #nir.dense<1xf32: [0.5]>} : tensor<1xf32> -> tensor<1xf32>
// CHECK-NEXT:  [[S:%[a-z_0-9]+]] = nir.scale "x.threshold"([[TH]]) {scale = #nir.dense<1xf32: [2.0]>} : tensor<1xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out"([[S]]) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
nir.graph {
  %in_names = nir.input "in_names" {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
  %x = nir.lif "x"(%in_names) {tau = #nir.dense<1xf32: [0.01]>, r = #nir.dense<1xf32: [1.0]>, v_leak = #nir.dense<1xf32: [0.0]>, v_threshold = #nir.dense<1xf32: [0.5]>, v_reset = #nir.dense<1xf32: [0.0]>} : tensor<1xf32> -> tensor<1xf32>
  %x_threshold = nir.scale "x.threshold"(%x) {scale = #nir.dense<1xf32: [2.0]>} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%x_threshold) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// CubaLI = LI (synapse: tau = tau_syn, r = w_in, v_leak = 0) ; LI (membrane, marked
// direct_input).  The membrane keeps the name; the synapse is "NAME.synapse".
// CHECK-LABEL: %in_cli = nir.input "in_cli"
// CHECK-NEXT:  %cli_synapse = nir.li "cli.synapse"(%in_cli) {tau = #nir.dense<2xf32: 0.005>, r = #nir.dense<2xf32: [1.0, 0.5]>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %cli = nir.li "cli"(%cli_synapse) {tau = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: [2.0, 3.0]>, v_leak = #nir.dense<2xf32: [0.0, 0.1]>, direct_input} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%cli) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// ONLY-LIF-LABEL: %in_cli = nir.input "in_cli"
// ONLY-LIF-NEXT:  %cli = nir.cuba_li "cli"(%in_cli)
// ONLY-LIF-NEXT:  nir.output "out"(%cli)
nir.graph {
  %in_cli = nir.input "in_cli" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %cli = nir.cuba_li "cli"(%in_cli) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: [2.0, 3.0]>, v_leak = #nir.dense<2xf32: [0.0, 0.1]>, w_in = #nir.dense<2xf32: [1.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%cli) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// CubaLIF = LI (synapse) ; LIF (direct_input), the LIF lowered in turn when lif is
// lowered too: LI (synapse) ; LI (reset, direct_input) ; Threshold.
// CHECK-LABEL: %in_clif = nir.input "in_clif"
// CHECK-NEXT:  %clif_synapse = nir.li "clif.synapse"(%in_clif) {tau = #nir.dense<2xf32: 0.005>, r = #nir.dense<2xf32: [1.0, 0.5]>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %clif = nir.li "clif"(%clif_synapse) {tau = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: [1.0, 2.0]>, v_reset = #nir.dense<2xf32: 0.0>, direct_input} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %clif_threshold = nir.threshold "clif.threshold"(%clif) {threshold = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%clif_threshold) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// only=lif: the CubaLIF is not lowered (it is not a LIF).
// ONLY-LIF-LABEL: %in_clif = nir.input "in_clif"
// ONLY-LIF-NEXT:  %clif = nir.cuba_lif "clif"(%in_clif)
// ONLY-LIF-NEXT:  nir.output "out"(%clif)
// only=cubalif: the LIF it becomes stays a nir.lif, marked direct_input, with the
// membrane parameters (tau = tau_mem).  (Where a CubaLIF's metadata goes is checked in
// lower-composites-cuba-metadata.mlir.)
// ONLY-CUBALIF-LABEL: %in_clif = nir.input "in_clif"
// ONLY-CUBALIF-NEXT:  %clif_synapse = nir.li "clif.synapse"(%in_clif) {tau = #nir.dense<2xf32: 0.005>, r = #nir.dense<2xf32: [1.0, 0.5]>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// ONLY-CUBALIF-NEXT:  %clif = nir.lif "clif"(%clif_synapse) {tau = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: [1.0, 2.0]>, v_reset = #nir.dense<2xf32: 0.0>, direct_input} : tensor<2xf32> -> tensor<2xf32>
// ONLY-CUBALIF-NEXT:  nir.output "out"(%clif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
nir.graph {
  %in_clif = nir.input "in_clif" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %clif = nir.cuba_lif "clif"(%in_clif) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: [1.0, 2.0]>, v_reset = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: [1.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%clif) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// AvgPool2d = SumPool2d ; Scale(1 / (kh kw)) over the output shape: 1/(2*2) = 0.25,
// 1/(4*4) = 0.0625 (a scalar kernel_size counts for both axes).
// CHECK-LABEL: %in_pool = nir.input "in_pool"
// CHECK-NEXT:  %ap = nir.sum_pool2d "ap"(%in_pool) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<1x4x4xf32> -> tensor<1x2x2xf32>
// CHECK-NEXT:  %ap_scale = nir.scale "ap.scale"(%ap) {scale = #nir.dense<1x2x2xf64: 0.25>} : tensor<1x2x2xf32> -> tensor<1x2x2xf32>
// CHECK-NEXT:  %ap4 = nir.sum_pool2d "ap4"(%in_pool) {kernel_size = #nir.dense<i64: 4>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>} : tensor<1x4x4xf32> -> tensor<1x1x1xf32>
// CHECK-NEXT:  %ap4_scale = nir.scale "ap4.scale"(%ap4) {scale = #nir.dense<1x1x1xf64: [0.0625]>} : tensor<1x1x1xf32> -> tensor<1x1x1xf32>
// CHECK-NEXT:  nir.output "out"(%ap_scale) {shape = #nir.dense<3xi64: [1, 2, 2]>} : tensor<1x2x2xf32>
// CHECK-NEXT:  nir.output "out4"(%ap4_scale) {shape = #nir.dense<3xi64: 1>} : tensor<1x1x1xf32>
// ONLY-LIF-LABEL: %in_pool = nir.input "in_pool"
// ONLY-LIF-NEXT:  %ap = nir.avg_pool2d "ap"(%in_pool)
// ONLY-LIF-NEXT:  %ap4 = nir.avg_pool2d "ap4"(%in_pool)
// ONLY-IF-POOL-LABEL: %in_pool = nir.input "in_pool"
// ONLY-IF-POOL-NEXT:  %ap = nir.sum_pool2d "ap"(%in_pool)
// ONLY-IF-POOL-NEXT:  %ap_scale = nir.scale "ap.scale"(%ap) {scale = #nir.dense<1x2x2xf64: 0.25>}
nir.graph {
  %in_pool = nir.input "in_pool" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %ap = nir.avg_pool2d "ap"(%in_pool) {kernel_size = #nir.dense<2xi64: [2, 2]>, stride = #nir.dense<2xi64: [2, 2]>, padding = #nir.dense<2xi64: [0, 0]>} : tensor<1x4x4xf32> -> tensor<1x2x2xf32>
  %ap4 = nir.avg_pool2d "ap4"(%in_pool) {kernel_size = #nir.dense<i64: 4>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>} : tensor<1x4x4xf32> -> tensor<1x1x1xf32>
  nir.output "out"(%ap) {shape = #nir.dense<3xi64: [1, 2, 2]>} : tensor<1x2x2xf32>
  nir.output "out4"(%ap4) {shape = #nir.dense<3xi64: [1, 1, 1]>} : tensor<1x1x1xf32>
}

// -----
// Composites inside a nested graph are lowered too; the graph's interface is unchanged.
// CHECK-LABEL: %in_outer = nir.input "in_outer"
// CHECK-NEXT:  %sub = nir.graph "sub"(%in_outer) : (tensor<2xf32>) -> (tensor<2xf32>) {
// CHECK-NEXT:    %input = nir.input "input" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:    %n = nir.i "n"(%input) {r = #nir.dense<2xf32: 1.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    %n_threshold = nir.threshold "n.threshold"(%n) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    nir.output "output"(%n_threshold) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  nir.output "out"(%sub) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
nir.graph {
  %in_outer = nir.input "in_outer" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %sub = nir.graph "sub"(%in_outer) : (tensor<2xf32>) -> (tensor<2xf32>) {
    %input = nir.input "input" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %n = nir.if "n"(%input) {r = #nir.dense<2xf32: 1.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
    nir.output "output"(%n) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
  nir.output "out"(%sub) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: base primitives (I, LI, Threshold, SumPool2d, Scale, Linear) are
// left exactly as they are, including an LI that already carries a reset.
// CHECK-LABEL: %in_base = nir.input "in_base" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %i = nir.i "i"(%in_base) {r = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %li = nir.li "li"(%i) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %th = nir.threshold "th"(%li) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %s = nir.scale "s"(%th) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %fc = nir.linear "fc"(%s) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%fc) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NOT:  {{.}}
nir.graph {
  %in_base = nir.input "in_base" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %i = nir.i "i"(%in_base) {r = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %li = nir.li "li"(%i) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %th = nir.threshold "th"(%li) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%th) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
  %fc = nir.linear "fc"(%s) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%fc) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
