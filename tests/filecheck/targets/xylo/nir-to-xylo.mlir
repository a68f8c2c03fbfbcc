// RUN: nir-opt %s -p nir-to-xylo | filecheck %s
// RUN: nir-opt %s -p 'nir-to-xylo{quantize=false}' | filecheck %s --check-prefix=FLOAT
// RUN: nir-opt %s -p 'nir-to-xylo{chip=imu dt=5e-4}' | filecheck %s --check-prefix=IMU
// RUN: nir-opt %s -p nir-to-xylo | nir-opt -p nir-to-xylo | filecheck %s
// RUN: not nir-opt %s -p 'nir-to-xylo{dt=-1}' 2>&1 | filecheck %s --check-prefix=BAD-DT --match-full-lines

// The named pipeline on a `nir` model: a recurrent CubaLIF hidden layer (its Linear
// "rec" to itself becomes w_rec) and a LIF readout, at dt = 1 ms.
//
// convert-nir-to-snn{semantics=xylo}: decays exp(-dt/tau), tau_mem 10 ms -> 0.905
// (dash_mem 3), tau_syn 5 ms -> 0.819 (dash_syn 2); the LIF readout gets dash_syn 1.
// convert-snn-to-xylo: an input's whole charge is the model's, so the hidden weights
// are times gain * syn_gain / (1 - syn_decay) * (1 - d) / d with the chip's d = 0.75:
// 0.0952 * 0.181 / 0.181 / 3 = 0.0317 (w1's 8 -> 0.254); the readout (no synaptic
// current: the chip's fastest is added) keeps the gain, 0.0952.
// xylo-weight-shift: neuron 0's largest weight 0.254 and threshold 1 give 1 * 127 / 0.254
// = 500 per unit, neuron 2's 1000: 1000 * 2^2 <= 2^12, shift 2 (weights / 4); the
// readout's 1.
// quantize (int8 weights, int16 thresholds, one scale per neuron, half to even): each
// neuron's largest weight becomes 127, its scale 127 / max|w| (neuron 0: 127 / 0.0634 =
// 2001.84, threshold 1 -> 2002), w_rec 0.0159 -> 31.75 -> 32 and -63.5 -> -64.
// Running the pipeline on its own output changes nothing (fourth RUN line).
// CHECK:       %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %hidden = xylo.hidden "hidden"(%in) {w_in = #nir.dense<3x2x1xi8: [127, 0, 0, 127, 127, -127]>, w_rec = #nir.dense<3x3x1xi8: [0, 32, 0, 0, 0, 32, -64, 0, 0]>, threshold = #nir.dense<3xi16: [2002, 2002, 4004]>, bias = #nir.dense<3xi16: 0>, dash_mem = #nir.dense<3xi64: 3>, dash_syn = #nir.dense<3x1xi64: 2>, weight_shift_in = 2 : i64, weight_shift_rec = 2 : i64, scale = #nir.dense<3xf64: [2001.83{{[0-9]*}}, 2001.83{{[0-9]*}}, 4003.67{{[0-9]*}}]>, populations = ["h"], population_sizes = #nir.dense<1xi64: [3]>} : tensor<2xf32> -> tensor<3xf32>
// CHECK-NEXT:  %readout = xylo.readout "readout"(%hidden) {w_out = #nir.dense<2x3xi8: [127, 127, 0, 0, 127, 127]>, threshold = #nir.dense<2xi16: 2669>, bias = #nir.dense<2xi16: 0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2xi64: 1>, weight_shift_out = 1 : i64, scale = #nir.dense<2xf64: 2669.11{{[0-9]*}}>, populations = ["r"], population_sizes = #nir.dense<1xi64: [2]>} : tensor<3xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%readout) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
// CHECK-NOT:   {{snn\.|nir\.linear|nir\.cuba_lif|nir\.lif}}

// quantize=false stops at the float populations, shifted already.
// FLOAT:       %hidden = xylo.hidden "hidden"(%in) {w_in = #nir.dense<3x2x1xf32: [0.0634{{[0-9]*}}, 0.0, 0.0, 0.0634{{[0-9]*}}, 0.0317{{[0-9]*}}, -0.0317{{[0-9]*}}]>, w_rec = #nir.dense<3x3x1xf32: [0.0, 0.0158{{[0-9]*}}, 0.0, 0.0, 0.0, 0.0158{{[0-9]*}}, -0.0158{{[0-9]*}}, 0.0, 0.0]>, threshold = #nir.dense<3xf32: 1.0>, bias = #nir.dense<3xf32: 0.0>, dash_mem = #nir.dense<3xi64: 3>, dash_syn = #nir.dense<3x1xi64: 2>, weight_shift_in = 2 : i64, weight_shift_rec = 2 : i64, populations = ["h"], population_sizes = #nir.dense<1xi64: [3]>}
// FLOAT-NEXT:  %readout = xylo.readout "readout"(%hidden) {w_out = #nir.dense<2x3xf32: [0.0475{{[0-9]*}}, 0.0475{{[0-9]*}}, 0.0, 0.0, 0.0475{{[0-9]*}}, 0.0475{{[0-9]*}}]>, threshold = #nir.dense<2xf32: 1.0>, {{.*}}, weight_shift_out = 1 : i64, populations = ["r"], population_sizes = #nir.dense<1xi64: [2]>}
// FLOAT-NOT:   scale =

// On IMU at dt = 0.5 ms: decays 0.951 (dash_mem 4) and 0.905 (dash_syn 3); the hidden
// weights are smaller beside the thresholds (neuron 2: 127 / max|w| = 4557 > 2^12), no
// room for a shift.
// IMU:         %hidden = xylo.hidden "hidden"(%in) {w_in = #nir.dense<3x2x1xi8: [127, 0, 0, 127, 127, -127]>, w_rec = #nir.dense<3x3x1xi8: [0, 32, 0, 0, 0, 32, -64, 0, 0]>, threshold = #nir.dense<3xi16: [2279, 2279, 4557]>, bias = #nir.dense<3xi16: 0>, dash_mem = #nir.dense<3xi64: 4>, dash_syn = #nir.dense<3x1xi64: 3>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, {{.*}}}
// IMU-NEXT:    %readout = xylo.readout "readout"(%hidden) {{{.*}} dash_mem = #nir.dense<2xi64: 4>, dash_syn = #nir.dense<2xi64: 1>, weight_shift_out = 0 : i64,

// BAD-DT:      nir-opt: error: bad options for pass 'nir-to-xylo': dt must be a positive number of seconds, got -1.0 (options: chip, dt, quantize)
// BAD-DT-NOT:  {{.}}
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w1 = nir.linear "w1"(%in) {weight = #nir.dense<3x2xf32: [8.0, 0.0, 0.0, 8.0, 4.0, -4.0]>} : tensor<2xf32> -> tensor<3xf32>
  %h = nir.cuba_lif "h"(%w1, %rec) {tau_syn = #nir.dense<3xf32: 0.005>, tau_mem = #nir.dense<3xf32: 0.01>, r = #nir.dense<3xf32: 1.0>, v_leak = #nir.dense<3xf32: 0.0>, v_threshold = #nir.dense<3xf32: 1.0>, v_reset = #nir.dense<3xf32: 0.0>, w_in = #nir.dense<3xf32: 1.0>} : tensor<3xf32> -> tensor<3xf32>
  %rec = nir.linear "rec"(%h) {weight = #nir.dense<3x3xf32: [0.0, 2.0, 0.0, 0.0, 0.0, 2.0, -2.0, 0.0, 0.0]>} : tensor<3xf32> -> tensor<3xf32>
  %w2 = nir.linear "w2"(%h) {weight = #nir.dense<2x3xf32: [1.0, 1.0, 0.0, 0.0, 1.0, 1.0]>} : tensor<3xf32> -> tensor<2xf32>
  %r = nir.lif "r"(%w2) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
