// RUN: nir-opt %s --split-input-file -p 'quantize{weight-bits=8 bias-bits=8 threshold-bits=16}' | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'quantize{weight-bits=8 bias-bits=8 threshold-bits=16},quantize{weight-bits=8 bias-bits=8 threshold-bits=16}' | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'quantize{weight-bits=8 scheme=per-channel}' | filecheck %s --check-prefix=CHANNEL
// RUN: nir-opt %s --split-input-file -p 'quantize{weight-bits=8 bias-bits=8 threshold-bits=16 state-bits=16 overflow=wrap}' | filecheck %s --check-prefix=STATE
// RUN: not nir-opt %s -p 'quantize{bias-bits=8 state-bits=8}' 2>&1 | filecheck %s --check-prefix=BAD-STATE --match-full-lines
// RUN: not nir-opt %s -p 'quantize{weight-bits=1}' 2>&1 | filecheck %s --check-prefix=BAD-BITS --match-full-lines
// RUN: not nir-opt %s -p 'quantize{scheme=per-neuron}' 2>&1 | filecheck %s --check-prefix=BAD-SCHEME --match-full-lines

// One scale per layer.  The neuron's input gain (2, 1) is folded into the Affine's rows
// first (its gain is then 1); the weights (1.0, -0.5; 0.125, 0.25) bind the scale:
// s = 127 / 1.0.  -63.5 rounds to -64 (half to even), the bias 0.5 s = 63.5 to 64, the
// threshold 1 to 127.  The LI read as a value gets a nir.scale of 1/s after it.
// Quantizing twice changes nothing (the second RUN line).
// CHECK:       %fc = nir.affine "fc"(%in) {weight = #nir.dense<2x2xi8: [127, -64, 16, 32]>, bias = #nir.dense<2xi8: [64, 0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %n = snn.leaky "n"(%fc) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xi8: 0>, threshold = #nir.dense<2xi16: 127>, v_reset = #nir.dense<2xi16: 0>, {{.*}}, scale = #nir.dense<f64: 127.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %w = nir.linear "w"(%n) {weight = #nir.dense<1x2xi8: 127>} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT:  %li = snn.leaky "li"(%w) {{{.*}}, scale = #nir.dense<f64: 254.0>} : tensor<1xf32> -> tensor<1xf32>
// CHECK-NEXT:  %li_dequantize = nir.scale "li.dequantize"(%li) {scale = #nir.dense<1xf64: [0.003937007874015748]>} : tensor<1xf32> -> tensor<1xf32>
// CHECK-NEXT:  nir.output "out"(%li_dequantize)
// One scale per output neuron: the second row binds at 0.25 (s = 508), its threshold 508.
// CHANNEL:     %fc = nir.affine "fc"(%in) {weight = #nir.dense<2x2xi8: [127, -64, 64, 127]>, bias = #nir.dense<2xi16: [64, 0]>}
// CHANNEL:     threshold = #nir.dense<2xi16: [127, 508]>, {{.*}}, scale = #nir.dense<2xf64: [127.0, 508.0]>}
// With state-bits, the quantized neurons state their state's width (the interpreter
// bounds v and i to it after every update); the neuron read from the Input is not one.
// STATE:       %n = snn.leaky "n"(%fc) {{.*}}, output = "spikes", state_bits = 16 : i64, overflow = "wrap", scale = #nir.dense<f64: 127.0>}
// STATE:       %li = snn.leaky "li"(%w) {{.*}}, order = "leak-then-integrate", state_bits = 16 : i64, overflow = "wrap", scale = #nir.dense<f64: 254.0>}
// STATE-LABEL: %in_direct = nir.input
// STATE-NOT:   state_bits
// BAD-STATE: nir-opt: error: bad options for pass 'quantize': threshold-bits=16 is wider than state-bits=8: the state could not hold it (options: {{.*}})
// BAD-BITS: nir-opt: error: bad options for pass 'quantize': weight-bits must be a whole number from 2 to 64, got 1 (options: {{.*}})
// BAD-SCHEME: nir-opt: error: bad options for pass 'quantize': scheme must be one of per-layer, per-channel, got 'per-neuron' (options: {{.*}})
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.affine "fc"(%in) {weight = #nir.dense<2x2xf32: [0.5, -0.25, 0.125, 0.25]>, bias = #nir.dense<2xf32: [0.25, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %n = snn.leaky "n"(%fc) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: [2.0, 1.0]>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %w = nir.linear "w"(%n) {weight = #nir.dense<1x2xf32: [0.5, 0.5]>} : tensor<2xf32> -> tensor<1xf32>
  %li = snn.leaky "li"(%w) {decay = #nir.dense<1xf64: 0.5>, gain = #nir.dense<1xf64: 1.0>, bias = #nir.dense<1xf64: 0.0>, order = "leak-then-integrate"} : tensor<1xf32> -> tensor<1xf32>
  nir.output "out"(%li) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}

// -----
// Must not change: a neuron fed by the Input directly (no weights of its own to scale).
// CHECK-LABEL: %in_direct = nir.input "in_direct" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  %n = snn.leaky "n"(%in_direct) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output
nir.graph {
  %in_direct = nir.input "in_direct" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %n = snn.leaky "n"(%in_direct) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%n) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
