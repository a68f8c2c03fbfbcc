// RUN: nir-opt %s --split-input-file -p convert-snn-to-xylo | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'convert-snn-to-xylo{chip=audio2},convert-snn-to-xylo{chip=audio2}' | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'convert-snn-to-xylo{chip=imu}' | filecheck %s --check-prefix=IMU
// RUN: not nir-opt %S/Inputs/conv.mlir -p convert-snn-to-xylo 2>&1 | filecheck %s --check-prefix=CONV --match-full-lines
// RUN: not nir-opt %S/Inputs/readout9.mlir -p convert-snn-to-xylo 2>&1 | filecheck %s --check-prefix=READOUT --match-full-lines
// RUN: nir-opt %S/Inputs/readout9.mlir -p 'convert-snn-to-xylo{chip=imu}' | filecheck %s --check-prefix=READOUT-IMU
// RUN: not nir-opt %s -p 'convert-snn-to-xylo{chip=foo}' 2>&1 | filecheck %s --check-prefix=BAD-CHIP --match-full-lines

// Xylo lowers from the snn dialect (convert-nir-to-snn{semantics=xylo}: v >= threshold,
// subtractive reset).  The graph becomes one xylo.hidden and one xylo.readout; every
// population keeps its ids' block and is named in `populations`.
//
// h1 (snn.rsynaptic, reads the input through an Affine, recurrent) and h2 (snn.leaky,
// reads h1) are hidden, r (read by the Output) the readout.  On Audio 2 the hidden ids
// follow the model's order, h2 (0, 1) then h1 (2, 3); on IMU the population the input
// reaches comes first, the one the readout reads last: h1 (0, 1), h2 (2, 3).
//
// * dash = round(-log2(1 - decay)): h1's decay 0.75 -> 2, h2's 0.875 -> 3, r's 0.5 -> 1;
//   h1's syn_decay 0.5 -> dash_syn 1; h2 and r have no synaptic current and get the
//   chip's fastest, dash_syn 1;
// * weights scaled so that an input's whole charge is the model's: with a synaptic
//   current, gain * syn_gain / (1 - syn_decay) * (1 - d) / d for the chip's factor d =
//   1 - 2^-dash_syn: h1's 0.25 * 0.5 / 0.5 * 0.5 / 0.5 = 0.25 (w1 2 -> 0.5, w_rec 4 ->
//   1.0); without one, the gain: h2's 0.5 (w2 the identity, into w_rec's [h2, h1] block),
//   r's 0.25 (wo 1 -> 0.25 in w_out's h2 columns);
// * the Affine's bias 0.5 on h1's first neuron joins its membrane bias at the steady
//   state: 0.25 * 0.5 / (1 - 0.5) * 0.5 = 0.125; r's own bias 0.125 stays;
// * no weight shift yet (xylo-weight-shift), float32 weights (the model's type).
// Converting twice changes nothing (second RUN line).
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %hidden = xylo.hidden "hidden"(%in) {w_in = #nir.dense<4x2x1xf32: [0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, -0.5]>, w_rec = #nir.dense<4x4x1xf32: [0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0]>, threshold = #nir.dense<4xf32: 1.0>, bias = #nir.dense<4xf32: [0.0, 0.0, 0.125, 0.0]>, dash_mem = #nir.dense<4xi64: [3, 3, 2, 2]>, dash_syn = #nir.dense<4x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, populations = ["h2", "h1"], population_sizes = #nir.dense<2xi64: 2>} : tensor<2xf32> -> tensor<4xf32>
// CHECK-NEXT:  %readout = xylo.readout "readout"(%hidden) {w_out = #nir.dense<3x4xf32: [0.25, 0.25, 0.0, 0.0, 0.25, 0.25, 0.0, 0.0, 0.25, 0.25, 0.0, 0.0]>, threshold = #nir.dense<3xf32: 2.0>, bias = #nir.dense<3xf32: 0.125>, dash_mem = #nir.dense<3xi64: 1>, dash_syn = #nir.dense<3xi64: 1>, weight_shift_out = 0 : i64, populations = ["r"], population_sizes = #nir.dense<1xi64: [3]>} : tensor<4xf32> -> tensor<3xf32>
// CHECK-NEXT:  nir.output "out"(%readout) {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
// CHECK-NEXT: }
// CHECK-NOT:   snn.
// IMU-LABEL:   %in = nir.input "in"
// IMU-NEXT:    %hidden = xylo.hidden "hidden"(%in) {w_in = #nir.dense<4x2x1xf32: [0.5, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0]>, w_rec = #nir.dense<4x4x1xf32: [0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0]>, threshold = #nir.dense<4xf32: 1.0>, bias = #nir.dense<4xf32: [0.125, 0.0, 0.0, 0.0]>, dash_mem = #nir.dense<4xi64: [2, 2, 3, 3]>, dash_syn = #nir.dense<4x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, populations = ["h1", "h2"], population_sizes = #nir.dense<2xi64: 2>} : tensor<2xf32> -> tensor<4xf32>
// IMU-NEXT:    %readout = xylo.readout "readout"(%hidden) {w_out = #nir.dense<3x4xf32: [0.0, 0.0, 0.25, 0.25, 0.0, 0.0, 0.25, 0.25, 0.0, 0.0, 0.25, 0.25]>, {{.*}} populations = ["r"], population_sizes = #nir.dense<1xi64: [3]>} : tensor<4xf32> -> tensor<3xf32>
// IMU-NEXT:    nir.output "out"(%readout)
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w2 = nir.linear "w2"(%h1) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
  %h2 = snn.leaky "h2"(%w2) {decay = #nir.dense<2xf64: 0.875>, gain = #nir.dense<2xf64: 0.5>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %w1 = nir.affine "w1"(%in) {weight = #nir.dense<2x2xf32: [2.0, 0.0, 0.0, -2.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %h1 = snn.rsynaptic "h1"(%w1) {decay = #nir.dense<2xf64: 0.75>, gain = #nir.dense<2xf64: 0.25>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.5>, syn_gain = #nir.dense<2xf64: 0.5>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes", w_rec = #nir.dense<2x2xf32: [0.0, 4.0, 4.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %wo = nir.linear "wo"(%h2) {weight = #nir.dense<3x2xf32: 1.0>} : tensor<2xf32> -> tensor<3xf32>
  %r = snn.leaky "r"(%wo) {decay = #nir.dense<3xf64: 0.5>, gain = #nir.dense<3xf64: 0.25>, bias = #nir.dense<3xf64: 0.125>, threshold = #nir.dense<3xf64: 2.0>, v_reset = #nir.dense<3xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<3xf32> -> tensor<3xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
}

// -----
// Must not change: a graph converted already (quantized or not), on any chip.
// CHECK-LABEL: %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %hk = xylo.hidden "hk"(%in_keep) {w_in = #nir.dense<2x2x1xi8: 64>, w_rec = #nir.dense<2x2x1xi8: 0>, threshold = #nir.dense<2xi16: 300>, bias = #nir.dense<2xi16: 0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 2 : i64, weight_shift_rec = 2 : i64} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rk = xylo.readout "rk"(%hk) {w_out = #nir.dense<1x2xi8: 127>, threshold = #nir.dense<1xi16: [500]>, bias = #nir.dense<1xi16: [0]>, dash_mem = #nir.dense<1xi64: [1]>, dash_syn = #nir.dense<1xi64: [1]>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out"(%rk) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// CHECK-NEXT: }
// IMU-LABEL:   %in_keep = nir.input "in_keep"
// IMU-NEXT:    %hk = xylo.hidden "hk"(%in_keep)
// IMU-NEXT:    %rk = xylo.readout "rk"(%hk)
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %hk = xylo.hidden "hk"(%in_keep) {w_in = #nir.dense<2x2x1xi8: 64>, w_rec = #nir.dense<2x2x1xi8: 0>, threshold = #nir.dense<2xi16: 300>, bias = #nir.dense<2xi16: 0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 2 : i64, weight_shift_rec = 2 : i64} : tensor<2xf32> -> tensor<2xf32>
  %rk = xylo.readout "rk"(%hk) {w_out = #nir.dense<1x2xi8: 127>, threshold = #nir.dense<1xi16: 500>, bias = #nir.dense<1xi16: 0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
  nir.output "out"(%rk) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// Every violated rule at once, one line each, naming the node.
// CONV:      nir-opt: error: {{.*}}conv.mlir: node 'in': Xylo's input is 1-D channels, got shape [1, 2, 2] [xylo-input]
// CONV-NEXT: nir-opt: error: {{.*}}conv.mlir: node 'c': Xylo has no nir.conv2d: it runs weights and LIF neurons only [xylo-unsupported]
// CONV-NEXT: nir-opt: error: {{.*}}conv.mlir: node 'f': Xylo has no nir.flatten: it runs weights and LIF neurons only [xylo-unsupported]
// CONV-NEXT: nir-opt: error: {{.*}}conv.mlir: node 'w1': weights read the input or neurons on Xylo, 'w1' reads nir.flatten 'f' [xylo-weights]
// CONV-NOT:  {{.}}

// Nine readout neurons: Audio 2 has 8, IMU 16.
// READOUT:      nir-opt: error: {{.*}}readout9.mlir: node 'r': 9 readout neurons, Xylo Audio 2 (SYNS61201) has 8 [xylo-readout-count]
// READOUT-NOT:  {{.}}
// READOUT-IMU:  %readout = xylo.readout "readout"(%hidden) {w_out = #nir.dense<9x2xf32: 0.25>, {{.*}}} : tensor<2xf32> -> tensor<9xf32>

// BAD-CHIP:     nir-opt: error: bad options for pass 'convert-snn-to-xylo': chip must be one of audio2, audio3, imu, got 'foo' (options: chip)
// BAD-CHIP-NOT: {{.}}

// -----
// An LI readout (no threshold): read out as membranes, rockpool's output_mode="Vmem".
// Its weights keep the gain (no synaptic current: the chip's fastest, dash_syn 1, is
// added), 0.25 * 2 = 0.5, and its threshold is never reached before the chip's membrane
// saturates: 0.5 * 32767 / 127 = 129.004 (quantize makes it 32767).
// CHECK-LABEL: %in_li = nir.input "in_li"
// CHECK:       %readout = xylo.readout "readout"(%hidden) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: [129.0039{{[0-9]*}}]>, bias = #nir.dense<1xf32: [0.0]>, dash_mem = #nir.dense<1xi64: [1]>, dash_syn = #nir.dense<1xi64: [1]>, weight_shift_out = 0 : i64, output = "membrane", populations = ["li"], population_sizes = #nir.dense<1xi64: [1]>} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out_li"(%readout)
nir.graph {
  %in_li = nir.input "in_li" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %wh = nir.linear "wh"(%in_li) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
  %h = snn.leaky "h"(%wh) {decay = #nir.dense<2xf64: 0.875>, gain = #nir.dense<2xf64: 0.5>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %wl = nir.linear "wl"(%h) {weight = #nir.dense<1x2xf32: 2.0>} : tensor<2xf32> -> tensor<1xf32>
  %li = snn.leaky "li"(%wl) {decay = #nir.dense<1xf64: 0.5>, gain = #nir.dense<1xf64: 0.25>, bias = #nir.dense<1xf64: 0.0>, order = "leak-then-integrate"} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out_li"(%li) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}
