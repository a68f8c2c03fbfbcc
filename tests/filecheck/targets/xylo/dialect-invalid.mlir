// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s --match-full-lines
//
// One violated rule of the verifier of xylo.hidden / xylo.readout per chunk, printed as
// one line.  The last chunk is the valid pair every other chunk changes one thing of:
// it verifies, and is printed after the diagnostics.

// xylo-shape: one bias per neuron (the thresholds count the neurons)
// CHECK: node 'h': 'bias' has shape [3], expected [2] [xylo-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<3xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-shape: w_in is [post, channel, synapse]
// CHECK-NEXT: node 'h': 'w_in' has shape [2, 2]: expected 3-D, [2, ...] [xylo-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-shape: w_rec is [post, pre, synapse] over the hidden neurons
// CHECK-NEXT: node 'h': 'w_rec' has shape [2, 3, 1], expected [2, 2, 1] [xylo-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x3x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-shape: dash_syn is [neuron, synapse]
// CHECK-NEXT: node 'h': 'dash_syn' has shape [2], expected [2, 1] [xylo-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-shape: w_out is [readout, hidden]
// CHECK-NEXT: node 'r': 'w_out' has shape [2]: expected 2-D, [1, ...] [xylo-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%h) {w_out = #nir.dense<2xf32: 0.5>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: 0.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----
// xylo-shape: the readout has one synapse
// CHECK-NEXT: node 'r': 'dash_syn' has shape [1, 1], expected [1] [xylo-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: 0.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1x1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----
// xylo-synapses: one or two synaptic states
// CHECK-NEXT: node 'h': a hidden neuron has 1 or 2 synaptic states, got 3 [xylo-synapses]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x3xf32: 0.5>, w_rec = #nir.dense<2x2x3xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x3xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-dash: a 4-bit shift
// CHECK-NEXT: node 'h': 'dash_mem' must be whole numbers from 0 to 15 (4-bit shifts) [xylo-dash]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: [3, 16]>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-dash: no negative shift
// CHECK-NEXT: node 'r': 'dash_syn' must be whole numbers from 0 to 15 (4-bit shifts) [xylo-dash]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: 0.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: -1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----
// xylo-dash: whole numbers
// CHECK-NEXT: node 'h': parameter 'dash_mem' must hold integers, got float32 [param-dtype]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xf32: 3.0>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-shift: 0 to 7
// CHECK-NEXT: node 'h': 'weight_shift_rec' must be from 0 to 7, got 8 [xylo-shift]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 8 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-shift: 0 to 7 on the readout
// CHECK-NEXT: node 'r': 'weight_shift_out' must be from 0 to 7, got -1 [xylo-shift]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: 0.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = -1 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----
// xylo-threshold: positive thresholds
// CHECK-NEXT: node 'h': thresholds must be > 0, neuron 1 has 0.0 [xylo-threshold]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: [1.0, 0.0]>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-threshold: positive integer thresholds
// CHECK-NEXT: node 'r': thresholds must be > 0, neuron 0 has -3 [xylo-threshold]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x2xi8: 1>, threshold = #nir.dense<1xi16: -3>, bias = #nir.dense<1xi16: 0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----
// xylo-quantized: integer weights with float thresholds
// CHECK-NEXT: node 'h': weights, thresholds and biases are all integers (quantized) or all floats [xylo-quantized]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xi8: 64>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-quantized: int8 weights
// CHECK-NEXT: node 'h': 'w_in' must fit 8-bit integers [-128, 127], got values in [200, 200] [xylo-quantized]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xi16: 200>, w_rec = #nir.dense<2x2x1xi8: 0>, threshold = #nir.dense<2xi16: 100>, bias = #nir.dense<2xi16: 0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-quantized: int16 thresholds
// CHECK-NEXT: node 'h': 'threshold' must fit 16-bit integers [-32768, 32767], got values in [40000, 40000] [xylo-quantized]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xi8: 1>, w_rec = #nir.dense<2x2x1xi8: 0>, threshold = #nir.dense<2xi32: 40000>, bias = #nir.dense<2xi16: 0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-alias: one alias per neuron
// CHECK-NEXT: node 'h': 'aliases' is one whole number per neuron (shape [2]) [xylo-alias]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, aliases = #nir.dense<3xi64: -1>} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-alias: an alias names a hidden neuron
// CHECK-NEXT: node 'h': an alias names a hidden neuron 0..1, or -1 for none [xylo-alias]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, aliases = #nir.dense<2xi64: [-1, 2]>} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-alias: -1 is none, -2 nothing
// CHECK-NEXT: node 'h': an alias names a hidden neuron 0..1, or -1 for none [xylo-alias]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, aliases = #nir.dense<2xi64: [-2, 0]>} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-populations: names and sizes come together
// CHECK-NEXT: node 'h': populations and population_sizes come together [xylo-populations]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, populations = ["a"]} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-populations: the sizes sum to the neurons
// CHECK-NEXT: node 'h': population_sizes must give one count per population, summing to 2 neurons [xylo-populations]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, populations = ["a", "b"], population_sizes = #nir.dense<2xi64: [1, 2]>} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-fan-in: the hidden population reads the input only
// CHECK-NEXT: node 'h': the hidden population reads the input channels, got 2 edges [xylo-fan-in]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in, %in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// xylo-fan-in: the readout reads the hidden population
// CHECK-NEXT: node 'r': the readout reads the hidden population's spikes, and nothing else [xylo-fan-in]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%in) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: 0.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----
// edge-shape: the input has w_in's channels
// CHECK-NEXT: node 'h': incoming edge carries shape [2], expected [3] channels [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x3x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
}

// -----
// edge-shape: the readout reads w_out's hidden neurons
// CHECK-NEXT: node 'r': incoming edge carries shape [2], expected [3] hidden neurons [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x3xf32: 0.5>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: 0.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
}

// -----
// Valid: w_in [post, channel, synapse], w_rec [post, pre, synapse], dash_syn [neuron,
// synapse]; the readout's w_out [readout, hidden], one synapse.
// CHECK-NEXT: builtin.module {
// CHECK-NEXT: nir.graph {
// CHECK-NEXT: %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT: %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, dash_mem = #nir.dense<1xi64: [1]>, dash_syn = #nir.dense<1xi64: [1]>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
// CHECK-NEXT: nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NOT: {{.}}
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %h = xylo.hidden "h"(%in) {w_in = #nir.dense<2x2x1xf32: 0.5>, w_rec = #nir.dense<2x2x1xf32: 0.0>, threshold = #nir.dense<2xf32: 1.0>, bias = #nir.dense<2xf32: 0.0>, dash_mem = #nir.dense<2xi64: 3>, dash_syn = #nir.dense<2x1xi64: 1>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64} : tensor<2xf32> -> tensor<2xf32>
  %r = xylo.readout "r"(%h) {w_out = #nir.dense<1x2xf32: 0.5>, threshold = #nir.dense<1xf32: 1.0>, bias = #nir.dense<1xf32: 0.0>, dash_mem = #nir.dense<1xi64: 1>, dash_syn = #nir.dense<1xi64: 1>, weight_shift_out = 0 : i64} : tensor<2xf32> -> tensor<1xf32>
  nir.output "out"(%r) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
}
