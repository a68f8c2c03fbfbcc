// RUN: nir-opt %s --split-input-file -p convert-snn-to-lava-dl | filecheck %s
// RUN: nir-opt %s --split-input-file -p convert-snn-to-lava-dl,convert-snn-to-lava-dl | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'convert-snn-to-lava-dl{scale=64 delay-shift=false}' | filecheck %s --check-prefix=S64
// RUN: not nir-opt %S/Inputs/biased.mlir -p convert-snn-to-lava-dl 2>&1 | filecheck %s --check-prefix=BIAS --match-full-lines
// RUN: not nir-opt %s -p 'convert-snn-to-lava-dl{scale=-1}' 2>&1 | filecheck %s --check-prefix=BAD-SCALE

// lava-dl lowers from the snn dialect discretized with the lava-dl profile: a neuron reads
// its Linear directly (slayer's synapse delivers in the same step).  Each layer becomes a
// lava_dl.dense (a slayer CUBA block) of the neuron's name, with the numbers slayer holds:
//
// * the layer's float weights as for Loihi 2 (gain * syn_gain * W, neuron 1 scaled to the
//   layer's threshold): h1 [[0.25, 0], [0, -0.5]], w_rec [[0, 0.5], [1.0, 0]]; r 0.25;
// * each block's scale the largest power of two that holds its weights in slayer's 8-bit
//   range (|w| S <= 254): h1's largest 1.0 -> 128, r's 0.25 -> 512; the weights on
//   slayer's 2/S grid (already: they stay); the threshold int(threshold S): 128, 1024;
// * the decays round(4096 d): du = 0.5 -> 2048, dv = 0.25 -> 1024; r: 4096, 2048;
// * delay_shift, slayer's default.
// Converting twice changes nothing (second RUN line); S64: a fixed scale and no shift.
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %h1 = lava_dl.dense "h1"(%in) {weight = #nir.dense<2x2xf32: [0.25, 0.0, 0.0, -0.5]>, current_decay = #nir.dense<1xi64: [2048]>, voltage_decay = #nir.dense<1xi64: [1024]>, threshold = #nir.dense<1xi64: [128]>, weight_rec = #nir.dense<2x2xf32: [0.0, 0.5, 1.0, 0.0]>, scale = 128 : i64, delay_shift} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r = lava_dl.dense "r"(%h1) {weight = #nir.dense<1x2xf32: 0.25>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [2048]>, threshold = #nir.dense<1xi64: [1024]>, scale = 512 : i64, delay_shift} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// CHECK-NOT:   snn.
// S64:         %h1 = lava_dl.dense "h1"(%in) {{{.*}} threshold = #nir.dense<1xi64: [64]>, {{.*}} scale = 64 : i64} : tensor<2xf32> -> tensor<2xf32>
// S64-NEXT:    %r = lava_dl.dense "r"(%h1) {{{.*}} threshold = #nir.dense<1xi64: [128]>, scale = 64 : i64} : tensor<2xf32> -> tensor<1xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w1 = nir.linear "w1"(%in) {weight = #nir.dense<2x2xf32: [2.0, 0.0, 0.0, -2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %h1 = snn.rsynaptic "h1"(%w1) {decay = #nir.dense<2xf64: 0.75>, gain = #nir.dense<2xf64: 0.25>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.5>, syn_gain = #nir.dense<2xf64: 0.5>, threshold = #nir.dense<2xf64: [1.0, 0.5]>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 4.0, 4.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %wo = nir.linear "wo"(%h1) {weight = #nir.dense<1x2xf32: 1.0>} : tensor<2xf32> -> tensor<1xf32>
  %r = snn.leaky "r"(%wo) {decay = #nir.dense<1xf64: 0.5>, gain = #nir.dense<1xf64: 0.25>, bias = #nir.dense<1xf64: 0.0>, threshold = #nir.dense<1xf64: 2.0>, v_reset = #nir.dense<1xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// Must not change: a graph converted already.
// CHECK-LABEL: %in_keep = nir.input "in_keep"
// CHECK-NEXT:  %k = lava_dl.dense "k"(%in_keep) {weight = #nir.dense<1x2xf32: [0.5, -0.25]>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, scale = 64 : i64} : tensor<2xf32> -> tensor<1xf32>
// S64-LABEL:   %in_keep = nir.input "in_keep"
// S64-NEXT:    %k = lava_dl.dense "k"(%in_keep) {{{.*}} scale = 64 : i64} : tensor<2xf32> -> tensor<1xf32>
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %k = lava_dl.dense "k"(%in_keep) {weight = #nir.dense<1x2xf32: [0.5, -0.25]>, current_decay = #nir.dense<1xi64: [4096]>, voltage_decay = #nir.dense<1xi64: [164]>, threshold = #nir.dense<1xi64: [6]>, scale = 64 : i64} : tensor<2xf32> -> tensor<1xf32>
  nir.output "out"(%k) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// BIAS: nir-opt: error: {{.*}}biased.mlir: node 'h1': slayer's CUBA blocks have no bias: the neuron's bias (v_leak), an Affine's bias and b_rec must be 0 [lava-dl-bias]
// BIAS-NOT: builtin.module
// BAD-SCALE: scale must be 0 (per block) or a power of two, got -1
