// RUN: nir-opt %s --split-input-file -p xylo-weight-shift | filecheck %s
// RUN: nir-opt %s --split-input-file -p xylo-weight-shift,xylo-weight-shift | filecheck %s

// xylo-weight-shift moves 2^k from a float population's weights into its weight
// shifts (the op computes as before: w << k), k the largest in 0 ... 7 such that each
// neuron's largest weight, threshold and |bias| times 127 / max|w| times 2^k stay within
// 2^12.  Shifting twice changes nothing (second RUN line): an op with a shift is left
// alone.
//
// Hidden: neuron 0's largest weight is 1.0 (127 / 1.0 = 127, threshold 1 -> 127),
// neuron 1's 0.25 (w_in; 127 / 0.25 = 508, threshold 1 -> 508, |bias| 0.5 -> 254): the
// worst is 508, k = floor(log2(4096 / 508)) = 3, so every weight is divided by 8 and
// both shifts are 3.  Readout: threshold 64 with weights 0.5 -> 64 * 254 = 16256 >
// 4096: no room, k = 0, unchanged.
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: [0.125, 0.0625, 0.03125, 0.0]>, w_rec = #nir.dense<2x2x1xf32: [0.0, 0.015625, 0.0, 0.0]>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: [0.0, -0.5]>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 3 : i64, weight_shift_rec = 3 : i64} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: [64.0]>, bias = #nir.dense<1xf32: [0.0]>, dash_mem = #nir.dense<1xi64: [1]>, dash_syn = #nir.dense<1xi64: [1]>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: [1.0, 0.5, 0.25, 0.0]>, w_rec = #nir.dense<2x2x1xf32: [0.0, 0.125, 0.0, 0.0]>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: [0.0, -0.5]>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: 64.0>, bias = #nir.dense<1xf32: 0.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// The largest weight alone allows k <= 5 (127 * 2^5 = 4064): a threshold of 0.01 does
// not let the shift reach 7.  A bias counts like a threshold: |bias| 8 with weights 1.0
// -> 8 * 127 = 1016, k = 2.
// CHECK-LABEL: %in_b = nir.input "in_b"
// CHECK-NEXT:  %hb = xylo.hidden "hb"(%in_b) {w_in = #nir.dense<2x2x1xf32: 0.03125>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 0.01>, {{.*}}, weight_shift_in = 5 : i64, weight_shift_rec = 5 : i64}
// CHECK-NEXT:  %rb = xylo.readout "rb"(%hb) {w_out = #nir.dense<1x2xf32: 0.25>, threshold = #nir.dense<1xf32: [1.0]>, bias = #nir.dense<1xf32: [-8.0]>, {{.*}}, weight_shift_out = 2 : i64}
nir.graph {
  %in_b = nir.input "in_b" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %hb = xylo.hidden "hb"(%in_b) {w_in = #nir.dense<2x2x1xf32: 1.0>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 0.01>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %rb = xylo.readout "rb"(%hb) {w_out = #nir.dense<1x2xf32: 1.0>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: -8.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
  nir.output "out"(%rb) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// Must not change: quantized ops (their integers are the chip's already).
// CHECK-LABEL: %in_q = nir.input "in_q"
// CHECK-NEXT:  %hq = xylo.hidden "hq"(%in_q) {w_in = #nir.dense<2x2x1xi8: 64>, w_rec = #nir.dense<2x2x1xi8: 0>, threshold = #nir.dense<2xi16: 300>, bias = #nir.dense<2xi16: 0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, scale = #nir.dense<2xf64: 127.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rq = xylo.readout "rq"(%hq) {w_out = #nir.dense<1x2xi8: 127>, threshold = #nir.dense<1xi16: [500]>, bias = #nir.dense<1xi16: [0]>, dash_mem = #nir.dense<1xi64: [1]>, dash_syn = #nir.dense<1xi64: [1]>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
nir.graph {
  %in_q = nir.input "in_q" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %hq = xylo.hidden "hq"(%in_q) {w_in = #nir.dense<2x2x1xi8: 64>, w_rec = #nir.dense<2x2x1xi8: 0>, threshold = #nir.dense<2xi16: 300>, bias = #nir.dense<2xi16: 0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, scale = #nir.dense<2xf64: 127.0>} : tensor<2xf32> -> tensor<2xf32>
  %rq = xylo.readout "rq"(%hq) {w_out = #nir.dense<1x2xi8: 127>, threshold = #nir.dense<1xi16: 500>, bias = #nir.dense<1xi16: 0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
  nir.output "out"(%rq) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// Must not change: float ops with a shift already (set by hand, or an earlier run).
// The readout's shift of 0 is no shift: it gets its own, 2 (threshold 1, weights 1.0,
// bias -8 as above).
// CHECK-LABEL: %in_s = nir.input "in_s"
// CHECK-NEXT:  %hs = xylo.hidden "hs"(%in_s) {w_in = #nir.dense<2x2x1xf32: 1.0>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 1 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %rs = xylo.readout "rs"(%hs) {w_out = #nir.dense<1x2xf32: 0.25>, {{.*}}, weight_shift_out = 2 : i64}
nir.graph {
  %in_s = nir.input "in_s" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %hs = xylo.hidden "hs"(%in_s) {w_in = #nir.dense<2x2x1xf32: 1.0>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 1 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %rs = xylo.readout "rs"(%hs) {w_out = #nir.dense<1x2xf32: 1.0>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: -8.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
  nir.output "out"(%rs) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}
