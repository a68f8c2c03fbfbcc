// Regression: lower-composites once moved a CubaLI's/CubaLIF's metadata to the new
// "NAME.synapse" node instead of the node that keeps the composite's name.  docs/passes.md: "the integrator keeps the composite's name (so
// `nir-run --record NAME` still gives its membrane), metadata and incoming edges"; for
// IF and LIF the named integrator does keep the metadata (lower-composites.mlir).
// The incoming edges (and their edge_ids) do go to the synapse: it is the node that
// receives them.
//
// RUN: nir-opt %s --split-input-file -p lower-composites | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'lower-composites{only=cubalif}' | filecheck %s --check-prefix=ONLY-CUBALIF

// CHECK-LABEL: %in_clif = nir.input "in_clif"
// CHECK-NEXT:  %in2 = nir.input "in2"
// CHECK-NEXT:  %clif_synapse = nir.li "clif.synapse"(%in_clif, %in2) {tau = #nir.dense<2xf32: 0.005>, r = #nir.dense<2xf32: [1.0, 0.5]>, v_leak = #nir.dense<2xf32: 0.0>, edge_ids = #nir.dense<2xi64: [1, 0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %clif = nir.li "clif"(%clif_synapse) {{{.*}}, direct_input, metadata = {note = "kept"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %clif_threshold = nir.threshold "clif.threshold"(%clif)
// ONLY-CUBALIF-LABEL: %in_clif = nir.input "in_clif"
// ONLY-CUBALIF-NEXT:  %in2 = nir.input "in2"
// ONLY-CUBALIF-NEXT:  %clif_synapse = nir.li "clif.synapse"(%in_clif, %in2) {tau = #nir.dense<2xf32: 0.005>, r = #nir.dense<2xf32: [1.0, 0.5]>, v_leak = #nir.dense<2xf32: 0.0>, edge_ids = #nir.dense<2xi64: [1, 0]>} : tensor<2xf32> -> tensor<2xf32>
// ONLY-CUBALIF-NEXT:  %clif = nir.lif "clif"(%clif_synapse) {{{.*}}, direct_input, metadata = {note = "kept"}} : tensor<2xf32> -> tensor<2xf32>
nir.graph {
  %in_clif = nir.input "in_clif" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %in2 = nir.input "in2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %clif = nir.cuba_lif "clif"(%in_clif, %in2) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: [1.0, 2.0]>, v_reset = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: [1.0, 0.5]>, metadata = {note = "kept"}, edge_ids = #nir.dense<2xi64: [1, 0]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%clif) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// CHECK-LABEL: %in_cli = nir.input "in_cli"
// CHECK-NEXT:  %cli_synapse = nir.li "cli.synapse"(%in_cli) {tau = #nir.dense<2xf32: 0.005>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %cli = nir.li "cli"(%cli_synapse) {tau = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, direct_input, metadata = {note = "kept"}} : tensor<2xf32> -> tensor<2xf32>
nir.graph {
  %in_cli = nir.input "in_cli" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %cli = nir.cuba_li "cli"(%in_cli) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: 1.0>, metadata = {note = "kept"}} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%cli) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
