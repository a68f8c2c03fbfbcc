// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4}' | filecheck %s
// RUN: nir-opt %s --split-input-file --convert-nir-to-snn=dt=0.0001 | filecheck %s
// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=snntorch}' | filecheck %s --check-prefix=SNNTORCH
// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=exact}' | filecheck %s --check-prefix=EXACT
// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=sinabs}' | filecheck %s --check-prefix=SINABS
// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=speck}' | filecheck %s --check-prefix=SPECK
// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=snntorch reset=value order=integrate-then-leak multi-spike=true dtype=float32}' | filecheck %s --check-prefix=OVERRIDE
// RUN: nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4 semantics=lava}' | filecheck %s --check-prefix=LAVA
// RUN: nir-opt %s --split-input-file -p 'lower-composites,convert-nir-to-snn{dt=1e-4 semantics=lava}' | filecheck %s --check-prefix=LAVA-LOWERED

// Without dt: under the nir profile (input-gain=tau) the IF already depends on dt
// (it adds dt R I per step); under sinabs (input-gain=dt/tau) it does not, and the first
// node that does is the LIF.  One line on stderr, exit code 1 (bad input), no module.
// RUN: not nir-opt %s --split-input-file -p convert-nir-to-snn 2>&1 | filecheck %s --check-prefix=NO-DT-IF --match-full-lines
// RUN: not nir-opt %s --split-input-file -p 'convert-nir-to-snn{semantics=sinabs}' 2>&1 | filecheck %s --check-prefix=NO-DT-LIF --match-full-lines
// RUN: sh -c 'nir-opt "$0" --split-input-file -p "convert-nir-to-snn{semantics=sinabs}" >/dev/null 2>&1; echo "exit $?"' %s | filecheck %s --check-prefix=EXIT-1
// NO-DT-IF:      nir-opt: error: {{.*}}convert-nir-to-snn.mlir: node 'if': nir.if depends on the time step: give convert-nir-to-snn a dt (e.g. {dt=1e-4}) [needs-dt]
// NO-DT-IF-NOT:  {{.}}
// NO-DT-LIF:     nir-opt: error: {{.*}}convert-nir-to-snn.mlir: node 'lif': nir.lif depends on the time step: give convert-nir-to-snn a dt (e.g. {dt=1e-4}) [needs-dt]
// NO-DT-LIF-NOT: {{.}}
// EXIT-1:        exit 1

// A module already discretized with other choices is not discretized again (exit 1).
// RUN: not nir-opt %s --split-input-file -p 'convert-nir-to-snn{dt=1e-4},convert-nir-to-snn{dt=1e-3}' 2>&1 | filecheck %s --check-prefix=TWICE --match-full-lines
// TWICE:     nir-opt: error: {{.*}}convert-nir-to-snn.mlir: the module was already discretized with nir at dt=0.0001; cannot discretize it again with nir at dt=0.001 [already-discretized]
// TWICE-NOT: {{.}}

// Bad options: one line, exit code 2 (bad usage), nothing run.
// RUN: not nir-opt %s -p 'convert-nir-to-snn{dt=abc}' 2>&1 | filecheck %s --check-prefix=BAD-DT --match-full-lines
// RUN: not nir-opt %s -p 'convert-nir-to-snn{dt=-1.0}' 2>&1 | filecheck %s --check-prefix=BAD-DT-SIGN --match-full-lines
// RUN: not nir-opt %s -p 'convert-nir-to-snn{dt=1e-4 semantics=foo}' 2>&1 | filecheck %s --check-prefix=BAD-PROFILE --match-full-lines
// RUN: not nir-opt %s -p 'convert-nir-to-snn{dt=1e-4 reset=zero}' 2>&1 | filecheck %s --check-prefix=BAD-RESET --match-full-lines
// RUN: not nir-opt %s -p 'convert-nir-to-snn{dt=1e-4 dtype=float16}' 2>&1 | filecheck %s --check-prefix=BAD-DTYPE --match-full-lines
// RUN: not nir-opt %s -p 'convert-nir-to-snn{dt=1e-4 input-delay=-1}' 2>&1 | filecheck %s --check-prefix=BAD-DELAY --match-full-lines
// RUN: sh -c 'nir-opt "$0" -p "convert-nir-to-snn{dt=1e-4 semantics=foo}" >/dev/null 2>&1; echo "exit $?"' %s | filecheck %s --check-prefix=EXIT-2
// BAD-DT:      nir-opt: error: bad options for pass 'convert-nir-to-snn': dt must be a number, got 'abc' (options: dt, semantics, integrator, input-gain, reset, compare, spike-timing, reset-timing, order, multi-spike, input-delay, dtype)
// BAD-DT-SIGN: nir-opt: error: bad options for pass 'convert-nir-to-snn': dt must be a positive number of seconds, got -1.0 (options: {{.*}})
// BAD-PROFILE: nir-opt: error: bad options for pass 'convert-nir-to-snn': unknown semantics 'foo'; valid profiles: nir, exact, {{.*}}, lava-dl, lava, lava-fixed, {{.*}}, xylo (options: {{.*}})
// BAD-RESET:   nir-opt: error: bad options for pass 'convert-nir-to-snn': reset must be one of value, subtract, none, got 'zero' (options: {{.*}})
// BAD-DTYPE:   nir-opt: error: bad options for pass 'convert-nir-to-snn': dtype must be float32 or float64, got 'float16' (options: {{.*}})
// BAD-DELAY:   nir-opt: error: bad options for pass 'convert-nir-to-snn': input-delay must be a whole number of steps >= 0, got -1 (options: {{.*}})
// EXIT-2:      exit 2

// Every neuron kind.  Hand-checked numbers, dt = 1e-4 (parameters are f64, so the
// arithmetic is float64's, the dtype the default profiles store):
//   euler, input-gain=tau:  decay = 1 - dt/tau,   gain = (1 - decay) R,  bias = (1 - decay) v_leak
//   integrators (I, IF):     decay = 1,            gain = dt R (tau), R (dt/tau, unit)
//   synapse:                 syn_decay = 1 - dt/tau_syn, syn_gain = (1 - syn_decay) w_in
// tau = 1e-3: decay = 0.9, 1 - 0.9 = 0.09999999999999998 in float64 (not 0.1);
// tau = 2e-3: decay = 0.95, gain = 2 (1 - 0.95) = 0.10000000000000009, bias = 1 - 0.95;
// LIF r = 10, v_leak = -0.5: gain = 0.9999999999999998, bias = -0.04999999999999999;
// tau_mem = 0.02: decay = 0.995, gain = 1 - 0.995 = 0.0050000000000000044;
// tau_syn = 5e-3: syn_decay = 0.98, syn_gain = 0.02 w_in, 1 - 0.98 = 0.020000000000000018.
// The top-level graph records every choice of the profile as snn.discretization.
// CHECK:       nir.graph attributes {snn.discretization = {name = "nir", dt = 1.000000e-04 : f64, integrator = "euler", input_gain = "tau", reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike = false, input_delay = 0 : i64, dtype = "float64"}} {
// CHECK-NEXT:  %in_zoo = nir.input "in_zoo"
// CHECK-NEXT:  %if = snn.leaky "if"(%in_zoo) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [0.0001, 0.0002]>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: [1.0, 1.5]>, v_reset = #nir.dense<2xf64: [0.0, -0.5]>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %lif = snn.leaky "lif"(%if) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: [0.09999999999999998, 0.9999999999999998]>, bias = #nir.dense<2xf64: [0.0, -0.04999999999999999]>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", metadata = {note = "lif"}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %i = snn.leaky "i"(%lif) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [0.0001, 0.0002]>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %li = snn.leaky "li"(%i) {decay = #nir.dense<2xf64: [0.9, 0.95]>, gain = #nir.dense<2xf64: [0.09999999999999998, 0.10000000000000009]>, bias = #nir.dense<2xf64: [0.0, 0.050000000000000044]>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %cli = snn.synaptic "cli"(%li) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.0050000000000000044>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: [0.020000000000000018, 0.010000000000000009]>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %clif = snn.synaptic "clif"(%cli) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.0050000000000000044>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: [0.020000000000000018, 0.010000000000000009]>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %th = snn.threshold "th"(%clif) {threshold = #nir.dense<2xf32: 0.5>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%th) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// snntorch: the same factors (beta = 1 - dt/tau), reset by subtraction one step late.
// SNNTORCH:       nir.graph attributes {snn.discretization = {name = "snntorch", dt = 1.000000e-04 : f64, integrator = "euler", input_gain = "tau", reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", multi_spike = false, input_delay = 0 : i64, dtype = "float64"}} {
// SNNTORCH-NEXT:  %in_zoo = nir.input "in_zoo"
// SNNTORCH-NEXT:  %if = snn.leaky "if"(%in_zoo) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [0.0001, 0.0002]>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: [1.0, 1.5]>, v_reset = #nir.dense<2xf64: [0.0, -0.5]>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// SNNTORCH-NEXT:  %lif = snn.leaky "lif"(%if) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: [0.09999999999999998, 0.9999999999999998]>, bias = #nir.dense<2xf64: [0.0, -0.04999999999999999]>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes", metadata = {note = "lif"}} : tensor<2xf32> -> tensor<2xf32>
// SNNTORCH-NEXT:  %i = snn.leaky "i"(%lif) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [0.0001, 0.0002]>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// SNNTORCH-NEXT:  %li = snn.leaky "li"(%i) {decay = #nir.dense<2xf64: [0.9, 0.95]>, gain = #nir.dense<2xf64: [0.09999999999999998, 0.10000000000000009]>, bias = #nir.dense<2xf64: [0.0, 0.050000000000000044]>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// SNNTORCH-NEXT:  %cli = snn.synaptic "cli"(%li) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.0050000000000000044>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: [0.020000000000000018, 0.010000000000000009]>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// SNNTORCH-NEXT:  %clif = snn.synaptic "clif"(%cli) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.0050000000000000044>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: [0.020000000000000018, 0.010000000000000009]>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "subtract", compare = ">", spike_timing = "same", reset_timing = "next", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// SNNTORCH-NEXT:  %th = snn.threshold "th"(%clif) {threshold = #nir.dense<2xf32: 0.5>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
// exact (zero-order hold): decay = exp(-dt/tau), gain = (1 - decay) R: exp(-0.1) =
// 0.9048374180359595, exp(-0.05) = 0.951229424500714, exp(-0.005) = 0.9950124791926823,
// exp(-0.02) = 0.9801986733067553; integrators as under nir (dt R).
// EXACT:      snn.discretization = {name = "exact", dt = 1.000000e-04 : f64, integrator = "exact", input_gain = "tau", reset = "subtract",
// EXACT:      %if = snn.leaky "if"(%in_zoo) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [0.0001, 0.0002]>,
// EXACT-SAME: reset = "subtract", compare = ">",
// EXACT-NEXT: %lif = snn.leaky "lif"(%if) {decay = #nir.dense<2xf64: 0.9048374180359595>, gain = #nir.dense<2xf64: [0.09516258196404048, 0.9516258196404048]>, bias = #nir.dense<2xf64: [0.0, -0.04758129098202024]>,
// EXACT-NEXT: %i = snn.leaky "i"(%lif) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [0.0001, 0.0002]>,
// EXACT-NEXT: %li = snn.leaky "li"(%i) {decay = #nir.dense<2xf64: [0.9048374180359595, 0.951229424500714]>, gain = #nir.dense<2xf64: [0.09516258196404048, 0.09754115099857197]>, bias = #nir.dense<2xf64: [0.0, 0.048770575499285984]>,
// EXACT-NEXT: %cli = snn.synaptic "cli"(%li) {decay = #nir.dense<2xf64: 0.9950124791926823>, gain = #nir.dense<2xf64: 0.00498752080731768>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.9801986733067553>, syn_gain = #nir.dense<2xf64: [0.019801326693244747, 0.009900663346622374]>,
// sinabs: exact decay, input scaled by dt/tau (0.1 and 0.05 exactly: no 1 - decay),
// integrators add R I unscaled, spike at >=.
// SINABS:      snn.discretization = {name = "sinabs", dt = 1.000000e-04 : f64, integrator = "exact", input_gain = "dt/tau", reset = "subtract", compare = ">=",
// SINABS:      %if = snn.leaky "if"(%in_zoo) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [1.0, 2.0]>,
// SINABS-SAME: reset = "subtract", compare = ">=",
// SINABS-NEXT: %lif = snn.leaky "lif"(%if) {decay = #nir.dense<2xf64: 0.9048374180359595>, gain = #nir.dense<2xf64: [0.1, 1.0]>, bias = #nir.dense<2xf64: [0.0, -0.04758129098202024]>,
// SINABS-NEXT: %i = snn.leaky "i"(%lif) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [1.0, 2.0]>,
// SINABS-NEXT: %li = snn.leaky "li"(%i) {decay = #nir.dense<2xf64: [0.9048374180359595, 0.951229424500714]>, gain = #nir.dense<2xf64: 0.1>,
// SINABS-NEXT: %cli = snn.synaptic "cli"(%li) {decay = #nir.dense<2xf64: 0.9950124791926823>, gain = #nir.dense<2xf64: 0.005>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.9801986733067553>, syn_gain = #nir.dense<2xf64: [0.02, 0.01]>,
// SINABS:      %th = snn.threshold "th"(%clif) {threshold = #nir.dense<2xf32: 0.5>, compare = ">="} : tensor<2xf32> -> tensor<2xf32>
// speck: euler decay, input added unscaled (gain = R, syn_gain = w_in), multi-spike.
// SPECK:      %if = snn.leaky "if"(%in_zoo) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: [1.0, 2.0]>,
// SPECK-SAME: reset = "subtract", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", multi_spike, output = "spikes"}
// SPECK-NEXT: %lif = snn.leaky "lif"(%if) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: [1.0, 10.0]>,
// SPECK:      %cli = snn.synaptic "cli"(%li) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: [1.0, 0.5]>,
// SPECK:      %th = snn.threshold "th"(%clif) {threshold = #nir.dense<2xf32: 0.5>, compare = ">=", multi_spike}
// One choice overridden on top of a profile; dtype=float32 stores (and computes) the
// factors in float32: 1 - 0.9f = 0.100000024.
// OVERRIDE:      snn.discretization = {name = "snntorch", dt = 1.000000e-04 : f64, integrator = "euler", input_gain = "tau", reset = "value", compare = ">", spike_timing = "same", reset_timing = "next", order = "integrate-then-leak", multi_spike = true, input_delay = 0 : i64, dtype = "float32"}
// OVERRIDE:      %lif = snn.leaky "lif"(%if) {decay = #nir.dense<2xf32: 0.9>, gain = #nir.dense<2xf32: [0.100000024, 1.0000002]>, bias = #nir.dense<2xf32: [0.0, -0.050000012]>, threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "next", order = "integrate-then-leak", multi_spike, output = "spikes", metadata = {note = "lif"}} : tensor<2xf32> -> tensor<2xf32>
// OVERRIDE:      %th = snn.threshold "th"(%clif) {threshold = #nir.dense<2xf32: 0.5>, compare = ">", multi_spike} : tensor<2xf32> -> tensor<2xf32>
nir.graph {
  %in_zoo = nir.input "in_zoo" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %if = nir.if "if"(%in_zoo) {r = #nir.dense<2xf64: [1.0, 2.0]>, v_threshold = #nir.dense<2xf64: [1.0, 1.5]>, v_reset = #nir.dense<2xf64: [0.0, -0.5]>} : tensor<2xf32> -> tensor<2xf32>
  %lif = nir.lif "lif"(%if) {tau = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: [1.0, 10.0]>, v_leak = #nir.dense<2xf64: [0.0, -0.5]>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, metadata = {note = "lif"}} : tensor<2xf32> -> tensor<2xf32>
  %i = nir.i "i"(%lif) {r = #nir.dense<2xf64: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %li = nir.li "li"(%i) {tau = #nir.dense<2xf64: [0.001, 0.002]>, r = #nir.dense<2xf64: [1.0, 2.0]>, v_leak = #nir.dense<2xf64: [0.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
  %cli = nir.cuba_li "cli"(%li) {tau_syn = #nir.dense<2xf64: 0.005>, tau_mem = #nir.dense<2xf64: 0.02>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: 0.0>, w_in = #nir.dense<2xf64: [1.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
  %clif = nir.cuba_lif "clif"(%cli) {tau_syn = #nir.dense<2xf64: 0.005>, tau_mem = #nir.dense<2xf64: 0.02>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: 0.0>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, w_in = #nir.dense<2xf64: [1.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
  %th = nir.threshold "th"(%clif) {threshold = #nir.dense<2xf32: 0.5>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%th) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// nir.delay d (seconds) -> snn.delay of round(d / dt) steps, halves to even:
// [0, 0.5, 2.5, 3.5, 10] -> [0, 0, 2, 4, 10]; name and metadata kept.
// CHECK-LABEL: %in_delay = nir.input "in_delay"
// CHECK-NEXT:  %d = snn.delay "d"(%in_delay) {steps = #nir.dense<5xi64: [0, 0, 2, 4, 10]>, metadata = {note = "d"}} : tensor<5xf32> -> tensor<5xf32>
// CHECK-NEXT:  nir.output "out"(%d) {shape = #nir.dense<1xi64: [5]>} : tensor<5xf32>
nir.graph {
  %in_delay = nir.input "in_delay" {shape = #nir.dense<1xi64: [5]>} : tensor<5xf32>
  %d = nir.delay "d"(%in_delay) {delay = #nir.dense<5xf64: [0.0, 5.0e-05, 0.00025, 0.00035, 0.001]>, metadata = {note = "d"}} : tensor<5xf32> -> tensor<5xf32>
  nir.output "out"(%d) {shape = #nir.dense<1xi64: [5]>} : tensor<5xf32>
}

// -----
// Every edge that closes a cycle gets an explicit one-step snn.delay "SOURCE.previous"
// right after its source: the self-loop of a, the edge w -> b of the b -> w -> b loop.
// The other reader of w (c) reads it undelayed; a -> b is not a back edge.
// CHECK-LABEL: %in_rec = nir.input "in_rec"
// CHECK-NEXT:  %a = snn.leaky "a"(%in_rec, %a_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.09999999999999998>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, {{.*}}, output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %a_previous = snn.delay "a.previous"(%a) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %b = snn.leaky "b"(%a, %w_previous) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.09999999999999998>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %w = nir.linear "w"(%b) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %w_previous = snn.delay "w.previous"(%w) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %c = nir.scale "c"(%w) {scale = #nir.dense<2xf32: 2.0>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%b)
// CHECK-NEXT:  nir.output "out2"(%c)
nir.graph {
  %in_rec = nir.input "in_rec" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %a = nir.lif "a"(%in_rec, %a) {tau = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: 0.0>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %b = nir.li "b"(%a, %w) {tau = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %w = nir.linear "w"(%b) {weight = #nir.dense<2x2xf32: [0.0, 1.0, 1.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  %c = nir.scale "c"(%w) {scale = #nir.dense<2xf32: 2.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%b) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "out2"(%c) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: the time-invariant ops (Conv, SumPool2d, AvgPool2d, Flatten, Scale,
// Linear, Affine) stay nir ops, parameters untouched; only the graph gets its
// snn.discretization attribute.
// CHECK:       nir.graph attributes {snn.discretization = {name = "nir", {{.*}}}} {
// CHECK-NEXT:  %in_keep = nir.input "in_keep" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
// CHECK-NEXT:  %c = nir.conv2d "c"(%in_keep) {weight = #nir.dense<2x1x1x1xf32: [1.0, 2.0]>, bias = #nir.dense<2xf32: [0.5, -0.5]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<2x4x4xf32>
// CHECK-NEXT:  %p = nir.sum_pool2d "p"(%c) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<2x4x4xf32> -> tensor<2x2x2xf32>
// CHECK-NEXT:  %ap = nir.avg_pool2d "ap"(%p) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<2x2x2xf32> -> tensor<2x1x1xf32>
// CHECK-NEXT:  %f = nir.flatten "f"(%ap) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>} : tensor<2x1x1xf32> -> tensor<2xf32>
// CHECK-NEXT:  %s = nir.scale "s"(%f) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %fc = nir.linear "fc"(%s) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  %aff = nir.affine "aff"(%fc) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:  nir.output "out"(%aff) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT:  }
// CHECK-NEXT: }
nir.graph {
  %in_keep = nir.input "in_keep" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in_keep) {weight = #nir.dense<2x1x1x1xf32: [1.0, 2.0]>, bias = #nir.dense<2xf32: [0.5, -0.5]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<2x4x4xf32>
  %p = nir.sum_pool2d "p"(%c) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<2x4x4xf32> -> tensor<2x2x2xf32>
  %ap = nir.avg_pool2d "ap"(%p) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<2x2x2xf32> -> tensor<2x1x1xf32>
  %f = nir.flatten "f"(%ap) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>} : tensor<2x1x1xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%f) {scale = #nir.dense<2xf32: [2.0, 3.0]>} : tensor<2xf32> -> tensor<2xf32>
  %fc = nir.linear "fc"(%s) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>} : tensor<2xf32> -> tensor<2xf32>
  %aff = nir.affine "aff"(%fc) {weight = #nir.dense<2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<2xf32: [0.5, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%aff) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Nested graphs are converted too; only the top-level graph records the semantics.
// CHECK:       nir.graph attributes {snn.discretization = {{.*}}} {
// CHECK-NEXT:  %in_sub = nir.input "in_sub"
// CHECK-NEXT:  %sub = nir.graph "sub"(%in_sub) : (tensor<2xf32>) -> (tensor<2xf32>) {
// CHECK-NEXT:    %input = nir.input "input"
// CHECK-NEXT:    %n = snn.leaky "n"(%input) {decay = #nir.dense<2xf64: 1.0>, gain = #nir.dense<2xf64: 0.0001>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, {{.*}}} : tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT:    nir.output "output"(%n)
nir.graph {
  %in_sub = nir.input "in_sub" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %sub = nir.graph "sub"(%in_sub) : (tensor<2xf32>) -> (tensor<2xf32>) {
    %input = nir.input "input" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %n = nir.if "n"(%input) {r = #nir.dense<2xf64: 1.0>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>} : tensor<2xf32> -> tensor<2xf32>
    nir.output "output"(%n) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
  nir.output "out"(%sub) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// lava (input_delay = 1): an snn.delay "NAME.input_delay" of one step takes every
// incoming edge of each neuron (and their edge_ids); the neuron keeps its metadata.
// After lower-composites, the membrane stage of a CubaLIF is marked direct_input and
// gets no delay: the synaptic delay applies once, at "NAME.synapse".
// LAVA:       snn.discretization = {name = "lava", {{.*}}, input_delay = 1 : i64, dtype = "float64"}
// LAVA-LABEL: %in_lava = nir.input "in_lava"
// LAVA-NEXT:  %in2 = nir.input "in2"
// LAVA-NEXT:  %lif_input_delay = snn.delay "lif.input_delay"(%in_lava, %in2) {steps = #nir.dense<2xi64: 1>, edge_ids = #nir.dense<2xi64: [1, 0]>} : tensor<2xf32> -> tensor<2xf32>
// LAVA-NEXT:  %lif = snn.leaky "lif"(%lif_input_delay) {decay = #nir.dense<2xf64: 0.9>, gain = #nir.dense<2xf64: 0.09999999999999998>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes", metadata = {note = "m"}} : tensor<2xf32> -> tensor<2xf32>
// LAVA-NEXT:  %clif_input_delay = snn.delay "clif.input_delay"(%lif) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// LAVA-NEXT:  %clif = snn.synaptic "clif"(%clif_input_delay) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.0050000000000000044>, bias = #nir.dense<2xf64: 0.0>, syn_decay = #nir.dense<2xf64: 0.98>, syn_gain = #nir.dense<2xf64: 0.020000000000000018>, {{.*}}} : tensor<2xf32> -> tensor<2xf32>
// LAVA-NEXT:  nir.output "out"(%clif)
// LAVA-LOWERED-LABEL: %in_lava = nir.input "in_lava"
// LAVA-LOWERED-NEXT:  %in2 = nir.input "in2"
// LAVA-LOWERED-NEXT:  %lif_input_delay = snn.delay "lif.input_delay"(%in_lava, %in2) {steps = #nir.dense<2xi64: 1>, edge_ids = #nir.dense<2xi64: [1, 0]>} : tensor<2xf32> -> tensor<2xf32>
// LAVA-LOWERED-NEXT:  %lif = snn.leaky "lif"(%lif_input_delay) {{{.*}}, output = "membrane", metadata = {note = "m"}} : tensor<2xf32> -> tensor<2xf32>
// LAVA-LOWERED-NEXT:  %lif_threshold = snn.threshold "lif.threshold"(%lif) {threshold = #nir.dense<2xf64: 1.0>, compare = ">"} : tensor<2xf32> -> tensor<2xf32>
// LAVA-LOWERED-NEXT:  %clif_synapse_input_delay = snn.delay "clif.synapse.input_delay"(%lif_threshold) {steps = #nir.dense<2xi64: 1>} : tensor<2xf32> -> tensor<2xf32>
// LAVA-LOWERED-NEXT:  %clif_synapse = snn.leaky "clif.synapse"(%clif_synapse_input_delay) {decay = #nir.dense<2xf64: 0.98>, gain = #nir.dense<2xf64: 0.020000000000000018>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
// LAVA-LOWERED-NEXT:  %clif = snn.leaky "clif"(%clif_synapse) {decay = #nir.dense<2xf64: 0.995>, gain = #nir.dense<2xf64: 0.0050000000000000044>, {{.*}}, output = "membrane"} : tensor<2xf32> -> tensor<2xf32>
// LAVA-LOWERED-NEXT:  %clif_threshold = snn.threshold "clif.threshold"(%clif)
// LAVA-LOWERED-NEXT:  nir.output "out"(%clif_threshold)
nir.graph {
  %in_lava = nir.input "in_lava" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %in2 = nir.input "in2" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %lif = nir.lif "lif"(%in_lava, %in2) {tau = #nir.dense<2xf64: 0.001>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: 0.0>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, edge_ids = #nir.dense<2xi64: [1, 0]>, metadata = {note = "m"}} : tensor<2xf32> -> tensor<2xf32>
  %clif = nir.cuba_lif "clif"(%lif) {tau_syn = #nir.dense<2xf64: 0.005>, tau_mem = #nir.dense<2xf64: 0.02>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: 0.0>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, w_in = #nir.dense<2xf64: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%clif) {shape = #nir.dense<1xi64: [2]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
