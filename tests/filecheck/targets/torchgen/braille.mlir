// The Braille SRNN as snnTorch and Norse code: the fused recurrence becomes the
// framework's recurrent neuron where the framework computes the profile's step
// (RSynaptic under snnTorch's convention, LIFRecurrentCell under nir's), and nirc's own
// step where it does not (RSynaptic cannot reset to zero in the spiking step).
//
// RUN: rm -rf %t.s && nir-translate %corpus/braille_noDelay_noBias_subtract.nir --target=snntorch --semantics=snntorch -o %t.s | filecheck %s --check-prefix=SUMMARY
// RUN: filecheck %s --input-file %t.s/model.py --check-prefix=SNNTORCH
// RUN: rm -rf %t.e && nir-translate %corpus/braille_noDelay_noBias_subtract.nir --target=snntorch -o %t.e | filecheck %s --check-prefix=EXPLICIT-SUMMARY
// RUN: filecheck %s --input-file %t.e/model.py --check-prefix=EXPLICIT
// RUN: rm -rf %t.n && nir-translate %corpus/braille_noDelay_noBias_subtract.nir --target=norse -o %t.n --dtype=float64
// RUN: filecheck %s --input-file %t.n/model.py --check-prefix=NORSE
// RUN: filecheck %s --input-file %t.n/report.json --check-prefix=REPORT

// SUMMARY:      nir-translate: wrote snntorch artefacts to
// SUMMARY-NEXT:   semantics snntorch at dt = 0.0001 s, float32; 4 nodes, 2501 parameters in weights.npz
// SUMMARY-NOT:  node '

// SNNTORCH:      import snntorch as snn
// SNNTORCH:      DTYPE = torch.float32
// SNNTORCH:      NODE_NAMES = {
// SNNTORCH-NEXT:     'input_2': 'input',
// SNNTORCH:          'lif1_lif': 'lif1.lif',
// SNNTORCH-NOT:      'lif1.w_rec'
// SNNTORCH:      class Model(nn.Module):
// SNNTORCH:          # 'fc1': Linear 12 -> 40
// SNNTORCH-NEXT:     self.fc1 = nn.Linear(12, 40, bias=False, dtype=DTYPE)
// SNNTORCH:          # 'lif1.lif': snn.rsynaptic -> snn.RSynaptic, beta 0.85, alpha 0.75, threshold 1
// SNNTORCH-NEXT:     self.lif1_lif = snn.RSynaptic(alpha=param('lif1_lif.alpha'), beta=param('lif1_lif.beta'), threshold=param('lif1_lif.threshold'), linear_features=40, reset_mechanism='subtract', reset_delay=True)
// SNNTORCH-NEXT:     self.lif1_lif.recurrent.weight.data = param('lif1_lif.w_rec')
// SNNTORCH-NEXT:     self.lif1_lif.recurrent.bias.data = torch.zeros(40, dtype=DTYPE)
// SNNTORCH:          self.lif2 = snn.Synaptic(
// SNNTORCH:      def forward(self, x):
// SNNTORCH-NEXT:     """x: (time, batch, 12) -> (time, batch, 7)."""
// SNNTORCH:          lif1_lif_spk, lif1_lif_syn, lif1_lif_mem = self.lif1_lif.reset_mem()
// SNNTORCH:          for t in range(steps):
// SNNTORCH-NEXT:         input_2 = x[t]
// SNNTORCH-NEXT:         fc1 = self.fc1(input_2)
// SNNTORCH-NEXT:         lif1_lif_spk, lif1_lif_syn, lif1_lif_mem = self.lif1_lif(fc1, lif1_lif_spk, lif1_lif_syn, lif1_lif_mem)
// SNNTORCH-NEXT:         lif1_lif = lif1_lif_spk
// SNNTORCH-NEXT:         fc2 = self.fc2(lif1_lif)
// SNNTORCH-NEXT:         lif2, lif2_syn, lif2_mem = self.lif2(fc2, lif2_syn, lif2_mem)
// SNNTORCH-NEXT:         output_steps.append(lif2)
// SNNTORCH-NEXT:     return torch.stack(output_steps)
// SNNTORCH:      def load(weights=WEIGHTS):

// Under the default `nir` profile the neurons reset to zero in the spiking step: snnTorch's
// RSynaptic cannot, so the report and the code say nirc's step stands in.
// EXPLICIT-SUMMARY: semantics nir at dt = 0.0001 s, float32
// EXPLICIT-SUMMARY: node 'lif1.lif': ExactNeuron (snnTorch RSynaptic cannot reset in the spiking step: its reset_delay=False does not work in snntorch 1.0.0)
// EXPLICIT:      class ExactNeuron(nn.Module):
// EXPLICIT:          # 'lif1.lif': snn.rsynaptic, as nirc's step: RSynaptic cannot reset in the spiking step
// EXPLICIT-NEXT:     self.lif1_lif = ExactNeuron({'decay': param('lif1_lif.decay'), 'gain': param('lif1_lif.gain'), 'bias': param('lif1_lif.bias'), 'syn_decay': param('lif1_lif.syn_decay'), 'syn_gain': param('lif1_lif.syn_gain'), 'threshold': param('lif1_lif.threshold'), 'v_reset': param('lif1_lif.v_reset')}, reset='value', compare='>', spike_timing='same', reset_timing='same', order='leak-then-integrate', multi_spike=False, output='spikes',
// EXPLICIT-NEXT:         recurrent=nn.Linear(40, 40, bias=False, dtype=DTYPE))
// EXPLICIT:          lif1_lif_state = None
// EXPLICIT:              lif1_lif, lif1_lif_state = self.lif1_lif(fc1, lif1_lif_state)

// A chain: one SequentialState, Norse's cells with explicit zero initial states.
// NORSE:      import norse.torch as norse
// NORSE:      DTYPE = torch.float64
// NORSE:      class Gain(nn.Module):
// NORSE:          lif1_lif = norse.LIFRecurrentCell(40, 40, norse.LIFParameters(tau_syn_inv=param('lif1_lif.tau_syn_inv'), tau_mem_inv=param('lif1_lif.tau_mem_inv'), v_leak=param('lif1_lif.v_leak'), v_th=param('lif1_lif.v_th'), v_reset=param('lif1_lif.v_reset')), input_weights=torch.eye(40, dtype=DTYPE), recurrent_weights=param('lif1_lif.w_rec'), autapses=True, dt=1.0)
// NORSE:          self.net = norse.SequentialState(
// NORSE-NEXT:         fc1,
// NORSE-NEXT:         lif1_lif_gain,
// NORSE-NEXT:         lif1_lif,
// NORSE-NEXT:         fc2,
// NORSE-NEXT:         lif2_gain,
// NORSE-NEXT:         lif2,
// NORSE-NEXT:     )
// NORSE:          state = [
// NORSE-NEXT:         None,
// NORSE-NEXT:         None,
// NORSE-NEXT:         norse.LIFState(z=torch.zeros(batch, 40, dtype=DTYPE, device=device), v=torch.zeros(batch, 40, dtype=DTYPE, device=device), i=torch.zeros(batch, 40, dtype=DTYPE, device=device)),
// NORSE-NEXT:         None,
// NORSE-NEXT:         None,
// NORSE-NEXT:         norse.LIFFeedForwardState(v=torch.zeros(batch, 7, dtype=DTYPE, device=device), i=torch.zeros(batch, 7, dtype=DTYPE, device=device)),
// NORSE-NEXT:     ]
// NORSE:              y, state = self.net(x[t], state)

// REPORT:      "target": "norse",
// REPORT:      "semantics": "nir",
// REPORT:      "dtype": "float64",
// REPORT:      "bit_exact": false,
// REPORT:      "node": "lif1.lif",
// REPORT-NEXT: "op": "snn.rsynaptic",
// REPORT-NEXT: "module": "norse.LIFRecurrentCell",
// REPORT-NEXT: "exact": "same equations, float rounding may differ",
