"""The explicit torch modules a generated model may need, as source text.

Each is printed into the generated file only where used (by name in
:attr:`~nirc.targets.pygen.backend.NodeCode.helpers`), so the file stands alone (it
needs torch, numpy and the framework, not nirc).  They follow the `snn` dialect's
reference semantics (``nirc/dialects/snn/kernels.py``, the neuron step of
``nirc/core/neuron.py``) operation for operation, in the same order,
so they compute the same numbers as ``nir-run`` (``docs/notes/simulator-frameworks.md``
§5.3 checked :data:`EXACT_NEURON` on all 384 combinations of the choices, bit for bit).
"""

from __future__ import annotations

from nirc.targets.pygen.backend import Helper

COUNT_SPIKES = '''
def count_spikes(v, threshold, compare=">", multi_spike=False):
    """Spikes of membrane v: [v > threshold] (or >=); with multi_spike, floor(v / threshold)
    (ceil(v / threshold) - 1 for >), at least one where v crosses (as nirc's snn.threshold)."""
    crossed = v > threshold if compare == ">" else v >= threshold
    if not multi_spike:
        return crossed.to(v.dtype)
    ratio = v / threshold
    n = torch.floor(ratio) if compare == ">=" else torch.ceil(ratio) - 1
    return torch.where(crossed, torch.clamp(n, min=1), torch.zeros_like(v))
'''

EXACT_NEURON = '''
class ExactNeuron(nn.Module):
    """nirc's discrete-time neuron step (snn.leaky / snn.synaptic, docs/snn-dialect.md),
    for the choices the framework's own neurons do not make.  With ``recurrent``, the
    input is x + recurrent(s[t-1]) from the second step on (snn.rleaky / snn.rsynaptic).

    state = (v, i, pending reset, pending spikes, last spikes); pass None at t = 0."""

    def __init__(self, params, reset="none", compare=">", spike_timing="same", reset_timing="same",
                 order="leak-then-integrate", multi_spike=False, output="spikes", recurrent=None):
        super().__init__()
        for key in ("decay", "gain", "bias", "syn_decay", "syn_gain", "threshold", "v_reset"):
            self.register_buffer(key, params.get(key))
        self.reset_kind, self.compare, self.multi_spike, self.output = reset, compare, multi_spike, output
        self.spike_timing, self.reset_timing = spike_timing, reset_timing
        self.leak_first = order == "leak-then-integrate"
        self.recurrent = recurrent

    def count(self, v):
        return count_spikes(v, self.threshold, self.compare, self.multi_spike)

    def apply_reset(self, v, s):
        if self.reset_kind == "subtract":
            return v - s * self.threshold
        if self.reset_kind == "value":
            return torch.where(s > 0, self.v_reset, v)
        return v

    def initial_state(self, like):
        zeros = torch.zeros_like(like)
        pending = self.count(zeros) if self.threshold is not None and self.spike_timing == "next" else zeros
        return zeros, zeros, zeros, pending, None

    def forward(self, x, state=None):
        v, i, pending_reset, pending_spikes, last = self.initial_state(x) if state is None else state
        if self.recurrent is not None and last is not None:
            x = x + self.recurrent(last)
        drive = x
        if self.syn_decay is not None:
            if self.leak_first:
                i = self.syn_decay * i + self.syn_gain * x
            else:
                i = self.syn_decay * (i + self.syn_gain * x)
            drive = i
        if self.leak_first:
            new = self.decay * v + self.bias + self.gain * drive
        else:
            new = self.decay * (v + self.gain * drive) + self.bias
        if self.threshold is None:
            return new, (new, i, pending_reset, pending_spikes, None)
        if self.reset_timing == "next":
            new = self.apply_reset(new, pending_reset)
        if self.spike_timing == "same":
            spikes, seen = self.count(new), new
        else:
            spikes, seen = pending_spikes, v
        if self.reset_timing == "same":
            new = self.apply_reset(new, spikes)
        else:
            pending_reset = spikes
        if self.spike_timing == "next":
            pending_spikes = self.count(new)
        out = spikes if self.output == "spikes" else seen
        return out, (new, i, pending_reset, pending_spikes, spikes)
'''

DELAY = '''
class Delay(nn.Module):
    """y[t] = x[t - steps], per element, zero until the first value arrives (snn.delay).
    A delay that closes a cycle gives its output at the start of a step (ahead) and takes
    its input at the end (push)."""

    def __init__(self, steps, shape):
        super().__init__()
        self.register_buffer("steps", torch.as_tensor(steps, dtype=torch.int64))
        self.shape = tuple(shape)
        self.values = torch.unique(self.steps).tolist()
        self.depth = max(self.values, default=0)
        self.history = []

    def start(self, batch, device=None):
        self.history = []
        self.zeros = torch.zeros((batch, *self.shape), dtype=DTYPE, device=device)

    def select(self, history):
        y = self.zeros
        for k in self.values:
            if k < len(history):
                y = torch.where(self.steps == k, history[-1 - k], y)
        return y

    def push(self, x):
        self.history.append(x)
        del self.history[: -(self.depth + 1)]

    def ahead(self):
        return self.select([*self.history, self.zeros]) if self.history else self.zeros

    def forward(self, x):
        self.push(x)
        return self.select(self.history)
'''

GAIN = '''
class Gain(nn.Module):
    """x * gain, elementwise: a Scale node, or the input gain of a neuron."""

    def __init__(self, gain):
        super().__init__()
        self.register_buffer("gain", gain)

    def forward(self, x):
        return x * self.gain
'''

#: name -> (source, names of the helpers it uses)
HELPERS: dict[str, Helper] = {
    "count_spikes": (COUNT_SPIKES, ()),
    "ExactNeuron": (EXACT_NEURON, ("count_spikes",)),
    "Delay": (DELAY, ()),
    "Gain": (GAIN, ()),
}
