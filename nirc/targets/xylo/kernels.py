"""Reference semantics of the `xylo` dialect: what the chip computes per time step.

The step is in :mod:`nirc.targets.xylo.dialect`; the ground truth is xylosim 0.1.3's
C++ (``src/v2/cpp``: ``XyloIAFNeuron::evolve``, ``XyloLayer::evolve``), which rockpool's
``XyloSim`` runs.  A quantized op (integer parameters) is reproduced bit for bit:

* input counts are clipped to 15 (hidden spikes to 31), the weights shifted left and
  held in 16 bits (``(int16_t)(w << shift)``, as ``receiveSpike`` takes them);
* every spike is a saturating 16-bit add to its synaptic state, one at a time in the
  chip's order: input channels ascending, then the recurrent pre-neurons ascending.
  Saturating sums depend on the order, so the sums are taken at once, as matrix
  products, and only where a partial sum could leave the 16-bit range are those
  synaptic states recomputed in the chip's order (:meth:`_PopulationKernel._integrate`,
  :func:`saturating_sum`);
* then per neuron: ``i -= decay(i, dash_syn)``; ``dv = -decay(v, dash_mem)`` as int16
  (``-(-32768)`` wraps); ``dv = sat(dv + sum_s i_s)``; ``dv = sat(dv + bias)``;
  ``v = sat(v + dv)``; spikes ``while v >= threshold and n < cap: n += 1; v -=
  threshold`` (cap 31, or 1 for the readout), ``n`` starting at the spikes aliased into
  the neuron earlier in the step; a neuron's spikes are then added to its alias target,
  capped (``XyloLayer::evolve_neurons``; neurons with an alias take a slower exact
  path, a loop over those neurons in id order).

The integer arithmetic runs in float32, which is exact where it decides: the states
are 16-bit whole numbers, the decays ``floor(x 2^-dash)``, the spike counts
``floor(v / threshold)`` (a quotient of 16-bit numbers is never within float32's
rounding of a whole number it is not).  The sums of a step's contributions, and of
their absolute values, are products of float32 matrices where no partial sum can reach
``2^24`` (float64 ones where one could); a sum that large belongs to a state whose
contributions reach far beyond the 16-bit range, which the saturation test sends to the
exact recomputation (in int64) whatever the rounding.

A float op (before ``quantize``) runs the same step in the interpreter's dtype: decays
are factors ``1 - 2^-dash``, nothing saturates or rounds, the spikes are
``min(cap, floor(v / threshold))`` where ``v >= threshold``.

The hidden population's recurrent input is its own spikes of the previous step; the
readout reads the hidden spikes of the previous step (zero at the first step), so its
kernel delays its input by one step.  Inputs are spike counts: whole numbers >= 0
(``xylo-input`` otherwise).  Both kernels record ``v`` and ``i`` (the hidden ``i`` as
``(B, N, S)``), the states after the step as xylosim records them.
"""

from __future__ import annotations

import numpy as np

from nirc.core.errors import NircError
from nirc.core.integers import int_range
from nirc.core.kernel import Kernel
from nirc.core.neuron import count_spikes
from nirc.core.semantics import Semantics
from nirc.targets.xylo.dialect import HiddenOp, ReadoutOp, XyloPopulationOp
from nirc.targets.xylo.resources import CHIPS, DEFAULT_CHIP

_CHIP = CHIPS[DEFAULT_CHIP]
#: the 16-bit range every state and every addition saturates at
LO, HI = int_range(_CHIP.state_bits)
MAX_INPUT, MAX_HIDDEN, MAX_READOUT = _CHIP.max_input_spikes, _CHIP.max_hidden_spikes, _CHIP.max_readout_spikes

#: the arithmetic of quantized ops (exact where it decides: see the module doc)
_INTEGER_WORK = np.dtype(np.float32)
#: numbers in a slice of time steps taken at once (their input counts, their
#: contribution sums): bounds the memory
_CHUNK_ELEMENTS = 1 << 20
#: contributions replayed at once: more go block by block (:meth:`_PopulationKernel._replay`)
_REPLAY_DIRECT = 1 << 16
#: pres per block of the second level of the saturation test
_BLOCK = 32
#: float32 holds every whole number below this exactly
_FLOAT32_EXACT = 1 << 24
#: sequences at most this long are replayed step by step, longer ones as a tree
_SEQUENTIAL = 8


def saturating_sum(start: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """``x = start; for k: x = clamp(x + steps[:, k], LO, HI)`` for each row, exactly.

    ``start`` is ``(F,)`` and ``steps`` ``(F, K)`` (int64).  A step may stand for
    several spikes of one weight: adding ``w`` ``n`` times with saturation is
    ``clamp(x + n w)`` (the partial sums move one way).  Each step is the map
    ``x -> clamp(x + a, L, H)`` and such maps compose into one of the same form::

        (a1, L1, H1) then (a2, L2, H2) = (a1 + a2, clamp(L1 + a2, L2, H2), clamp(H1 + a2, L2, H2))

    so long sequences are folded pairwise (a tree, log2 K numpy passes)."""
    steps = steps[:, steps.any(axis=0)]
    if steps.shape[1] <= _SEQUENTIAL:
        x = start.copy()
        for k in range(steps.shape[1]):
            x += steps[:, k]
            _saturate(x)
        return x
    f_len, k_len = steps.shape
    width = 1 << (k_len - 1).bit_length()
    a = np.zeros((f_len, width), dtype=np.int64)
    a[:, :k_len] = steps
    # the first level: pairs of single steps, (a1, LO, HI) then (a2, LO, HI)
    a_right = a[:, 1::2]
    lo = np.clip(a_right + LO, LO, HI)
    hi = np.clip(a_right + HI, LO, HI)
    a = a[:, 0::2] + a_right
    while a.shape[1] > 1:
        a_right, lo_right, hi_right = a[:, 1::2], lo[:, 1::2], hi[:, 1::2]
        lo = np.minimum(np.maximum(lo[:, 0::2] + a_right, lo_right), hi_right)
        hi = np.minimum(np.maximum(hi[:, 0::2] + a_right, lo_right), hi_right)
        a = a[:, 0::2] + a_right
    return np.minimum(np.maximum(start + a[:, 0], lo[:, 0]), hi[:, 0])


def _decay(x: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``decay(x, dash)`` of whole numbers ``x``, ``scale = 2^-dash``: ``x >> dash``, or
    ``sign(x)`` where that is 0 (only ``0 < x < 2^dash``): ``max(floor(x 2^-dash),
    min(x, 1))`` (for ``x < 0`` the shift is at least ``x``)."""
    d = np.multiply(x, scale)
    np.floor(d, out=d)
    return np.maximum(d, np.minimum(x, 1), out=d)


def _saturate(x: np.ndarray) -> None:
    """Clamp ``x`` to the 16-bit range, in place (``np.clip`` without its overhead)."""
    np.maximum(x, LO, out=x)
    np.minimum(x, HI, out=x)


def _unique(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (sorted) of ``values`` (whole numbers below ``size``) and
    the position of each value among them (``np.unique(..., return_inverse=True)``
    without sorting)."""
    present = np.zeros(size, dtype=bool)
    present[values] = True
    distinct = np.flatnonzero(present)
    where = np.empty(size, dtype=np.int64)
    where[distinct] = np.arange(distinct.size)
    return distinct, where[values]


def _counts(x: np.ndarray, cap: int, dtype: np.dtype, node: str) -> np.ndarray:
    """Spike counts ``min(x, cap)`` in ``dtype``; ``x`` must hold whole numbers >= 0 (a
    float within ``dtype``'s rounding of one counts as one).  The kernels take their input
    a slice of time steps at a time, so a bad value stops a run at its slice."""
    if x.dtype.kind not in "biuf":
        raise NircError(f"the input of a Xylo population is spike counts, got {x.dtype}", rule="xylo-input", node=node)
    counts = np.minimum(x, cap, dtype=dtype)
    if counts.size and (counts.min() < 0 or not (np.floor(counts) == counts).all()):
        raise NircError(
            "the input of a Xylo population is spike counts: whole numbers >= 0", rule="xylo-input", node=node
        )
    return counts


class _Projection:
    """One weight matrix onto a population's synaptic states: ``w`` is ``(K, P)``
    (state column, pre), each pre sending at most ``cap`` spikes a step.

    ``mat`` (``(P, K)``) times the counts gives the sums of the contributions, times
    ``factor``.  Float weights: ``w 2^shift`` in the run dtype.  Integer weights: the
    unshifted weights and ``factor = 2^shift`` where the shift does not wrap (smaller
    partial sums), else the shifted ones; float32 where no partial sum can reach
    ``2^24`` (then every sum is exact), float64 otherwise; with ``exact_reach``, their
    absolute values beside them (``(P, 2K)``: the sums, then the sums of the absolute
    values, the reach of the saturation test).  Also, for the saturation test and the
    exact path: ``shifted``, ``(int16_t)(w << shift)`` (int64 ``(K, P)``); ``peak``,
    the largest ``|shifted|`` into each state (a state's contributions add up to at
    most ``peak`` times the spikes that reached it, in absolute value: the reach where
    it is not exact); ``blocks``, the positive and the negative parts side by side in
    float64, ``(G, _BLOCK, 2K)`` in blocks of ``_BLOCK`` pres."""

    def __init__(self, w: np.ndarray, shift: int, cap: int, integer: bool, dtype: np.dtype, exact_reach: bool):
        self.cols, self.pres = w.shape
        self.work = np.dtype(dtype)
        if not integer:
            self.mat = np.ascontiguousarray((np.asarray(w, dtype=np.float64) * 2.0**shift).T.astype(dtype))
            self.factor = 1
            return
        w64 = np.asarray(w, dtype=np.int64)
        raw = w64 << shift
        self.shifted = (raw - LO) % (1 << 16) + LO
        base, self.factor = (w64, 1 << shift) if np.array_equal(raw, self.shifted) else (self.shifted, 1)
        largest = cap * int(np.abs(base).sum(axis=1).max()) if base.size else 0
        work = _INTEGER_WORK if largest < _FLOAT32_EXACT else np.float64
        self.exact_reach = exact_reach
        self.mat = np.ascontiguousarray((np.concatenate([base, np.abs(base)]) if exact_reach else base).T.astype(work))
        self.peak = np.abs(self.shifted).max(axis=1, initial=0).astype(_INTEGER_WORK)
        g_len = -(-self.pres // _BLOCK)
        blocks = np.zeros((g_len * _BLOCK, 2 * self.cols))
        blocks[: self.pres] = np.concatenate([np.maximum(base, 0), np.minimum(base, 0)]).T
        self.blocks = blocks.reshape(g_len, _BLOCK, 2 * self.cols)

    def sums(self, counts: np.ndarray, sparse: bool = False) -> np.ndarray | None:
        """The sums of the contributions of ``counts`` (``(R, P)``), ``(R, K)`` in the
        work dtype (``(R, 2K)`` with ``exact_reach``: the sums of their absolute values
        after them).  With ``sparse``, only the pres that spiked are multiplied (batch
        1), and None is returned where none did."""
        mat = self.mat
        if sparse:
            if counts.shape[0] == 1:
                rows = np.flatnonzero(counts[0])
                if rows.size == 0:
                    return None
                if 2 * rows.size < self.pres:
                    counts, mat = counts[:, rows], mat[rows]
            elif not counts.any():
                return None
        r = counts.astype(mat.dtype, copy=False) @ mat
        if self.factor != 1:
            r *= self.factor
        # a sum beyond float32's whole numbers is far outside the 16-bit range, and so
        # is its reach: the saturation test sends it to the exact path all the same
        return r.astype(self.work, copy=False)

    def block_sums(
        self, counts: np.ndarray, cols: np.ndarray, whole: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The sums of the positive and of the negative contributions of ``counts``
        (``(R, P)``) to the state columns ``cols`` (sorted): over all pres (``whole``)
        or per block of ``_BLOCK`` consecutive pres in which some pre spiked, in
        delivery order; int64 ``(G, R, len(cols))`` each, and the blocks' numbers
        (-1: all pres); None where no pre spiked."""
        r_len, g_len = counts.shape[0], self.blocks.shape[0]
        if whole:
            padded = np.asarray(counts, dtype=np.float64)[None]
            mats = self.blocks.reshape(1, g_len * _BLOCK, -1)[:, : self.pres]
            active = np.array([-1])
        else:
            padded = np.zeros((r_len, g_len * _BLOCK))
            padded[:, : self.pres] = counts
            padded = padded.reshape(r_len, g_len, _BLOCK)
            active = np.flatnonzero(padded.any(axis=(0, 2)))
            if active.size == 0:
                return None
            padded = padded[:, active].transpose(1, 0, 2)
            mats = self.blocks[active]
        both = np.concatenate([cols, cols + self.cols])
        narrow = 2 * cols.size <= self.cols
        if narrow:
            mats = mats[:, :, both]
        r = np.matmul(padded, mats)
        if not narrow:
            r = r[:, :, both]
        r = r.astype(np.int64)
        if self.factor != 1:
            r *= self.factor
        return r[:, :, : cols.size], r[:, :, cols.size :], active

    def steps(self, counts: np.ndarray, cols: np.ndarray, block: int = -1) -> np.ndarray:
        """The contributions ``count x shifted weight`` of each pre that spiked, in
        delivery order, to the states ``cols`` of the rows ``counts`` (``(F, P)``); of
        the pres of one block of ``_BLOCK`` (-1: all)."""
        weights = self.shifted
        if block >= 0:
            span = slice(block * _BLOCK, (block + 1) * _BLOCK)
            counts, weights = counts[:, span], weights[:, span]
        c = np.asarray(counts, dtype=np.int64)
        used = np.flatnonzero(c.any(axis=0))
        return c[:, used] * weights[:, used][cols]


class _PopulationKernel(Kernel):
    """What the hidden and readout kernels share: the synaptic sums, the membrane step,
    the spikes.  States: ``v (B, N)`` and ``i (B, S N)`` (synapse-major)."""

    states = ("v", "i")
    #: spikes a neuron emits per step
    cap = 0

    def __init__(self, op: XyloPopulationOp, sem: Semantics, synapses: int):
        super().__init__(op, sem)
        self.node = op.nir_name
        self.integer = op.quantized
        self.n = op.size
        self.s = synapses
        work = _INTEGER_WORK if self.integer else self.dtype
        self.work = np.dtype(work)
        self.threshold = np.asarray(op.param("threshold"), dtype=work)
        self.bias = np.asarray(op.param("bias"), dtype=work)
        dash_mem = np.asarray(op.param("dash_mem"), dtype=np.float64)
        dash_syn = np.asarray(op.param("dash_syn"), dtype=np.float64).T.reshape(-1)  # (N, S) -> (S N)
        if self.integer:
            # x >> dash is floor(x 2^-dash)
            self.shift_mem = (2.0**-dash_mem).astype(work)
            self.shift_syn = (2.0**-dash_syn).astype(work)
            #: whether -decay(v) can be 32768, which int16 wraps (v = -32768, dash 0)
            self.wraps = bool((dash_mem == 0).any())
        else:
            self.alpha_mem = (1.0 - 2.0**-dash_mem).astype(work)
            self.alpha_syn = (1.0 - 2.0**-dash_syn).astype(work)
        aliases = op.opt_param("aliases")
        self.aliases: np.ndarray | None = None
        if aliases is not None and (aliases >= 0).any():
            self.aliases = np.asarray(aliases, dtype=np.int64)
            joined = self.aliases >= 0
            joined[self.aliases[joined]] = True
            #: the neurons whose count an alias touches, sources and targets, in id order
            self.joined = joined
            self.joined_ids = np.flatnonzero(joined).tolist()

    def reset(self, batch: int) -> None:
        self.v = np.zeros((batch, self.n), dtype=self.work)
        self.i = np.zeros((batch, self.n * self.s), dtype=self.work)

    # ------------------------------------------------------------- the step
    def _integrate(
        self, new: np.ndarray, reach: np.ndarray | None, sources: list[tuple[np.ndarray, _Projection]]
    ) -> np.ndarray:
        """The synaptic states after this step's spikes (integer weights): ``new``
        (``(B, K)``, updated in place) is the states plus the sums of their
        contributions, ``reach`` at least the sum of their absolute values (None: no
        spike), ``sources`` the spike counts ``(B, P)`` and the projection of each
        source, in delivery order.  Three levels:

        1. with ``2 state + sum = state + pos + state + neg`` (``pos``, ``neg``: the sums
           of the positive and of the negative contributions) and ``reach >= pos - neg``,
           where ``2 state + sum + reach <= 2 HI`` and ``2 state + sum - reach >= 2 LO``,
           ``state + pos`` and ``state + neg`` stay in range and so does every partial
           sum: ``new`` is right;
        2. for the others, ``pos`` and ``neg`` themselves, per source, and the test
           ``state + pos <= HI``, ``state + neg >= LO`` from the state reached before
           the source; for those that fail it, the same per block of ``_BLOCK`` pres
           (the sums are matrix products, for the batch rows and state columns
           concerned);
        3. the states that fail it too (their partial sums may saturate) are
           recomputed spike by spike in the chip's order (:func:`saturating_sum`)."""
        if reach is None or not new.size:
            return new
        i = self.i
        # |2 state + sum - (HI + LO)| + reach <= HI - LO: both tests of level 1 at once
        excess = new + i
        excess -= HI + LO
        np.abs(excess, out=excess)
        excess += reach
        if excess.max() <= HI - LO:
            return new
        b, k = np.nonzero(excess > HI - LO)
        for whole in (True, False):
            rows, row_of = _unique(b, new.shape[0])
            cols, col_of = _unique(k, new.shape[1])
            ups, downs, spans = [], [], []
            for source, (counts, proj) in enumerate(sources):
                parts = proj.block_sums(counts[rows], cols, whole)
                if parts is not None:
                    ups.append(parts[0][:, row_of, col_of])
                    downs.append(parts[1][:, row_of, col_of])
                    spans += [(source, int(block)) for block in parts[2]]
            up, down = np.concatenate(ups), np.concatenate(downs)
            total = up + down
            before = np.cumsum(total, axis=0)
            before -= total
            before += i[b, k].astype(np.int64)
            unsafe = (before + up).max(axis=0) > HI
            unsafe |= (before + down).min(axis=0) < LO
            b, k = b[unsafe], k[unsafe]
            if not b.size:
                return new
        new[b, k] = self._replay(i[b, k].astype(np.int64), b, k, sources, up[:, unsafe], down[:, unsafe], spans)
        return new

    @staticmethod
    def _replay(
        x: np.ndarray,
        b: np.ndarray,
        k: np.ndarray,
        sources: list[tuple[np.ndarray, _Projection]],
        up: np.ndarray,
        down: np.ndarray,
        spans: list[tuple[int, int]],
    ) -> np.ndarray:
        """The states ``x`` (int64, of batch rows ``b`` and columns ``k``) after their
        contributions, spike by spike in delivery order.  ``up`` and ``down`` are the
        sums of the positive and negative contributions of each block of pres that
        spiked (``spans``: source, block), ``(G, F)``.  Few states: all their
        contributions at once (:func:`saturating_sum`); many: block by block, adding a
        block's sum where the state stays in range throughout, replaying it spike by
        spike where it may not."""
        length = sum(proj.pres for _, proj in sources)
        if x.size * length <= _REPLAY_DIRECT:
            seq = np.concatenate([proj.steps(counts[b], k) for counts, proj in sources], axis=1)
            return saturating_sum(x, seq)
        for (source, block), u, d in zip(spans, up, down, strict=True):
            bad = np.flatnonzero((x + u > HI) | (x + d < LO))
            start = x[bad]
            x += u
            x += d
            if bad.size:
                counts, proj = sources[source]
                x[bad] = saturating_sum(start, proj.steps(counts[b[bad]], k[bad], block))
        return x

    def _settle(self, i: np.ndarray) -> np.ndarray:
        """From the synaptic states after this step's input (``i``, reused): decay them,
        integrate the membrane, fire.  Sets ``i`` and ``v``; returns the spike counts."""
        v = self.v
        if self.integer:
            i -= _decay(i, self.shift_syn)
            decay = _decay(v, self.shift_mem)
            if self.wraps:
                decay[decay == LO] = -LO  # -decay is (int16_t) 32768 = -32768
            dv = self._total(i) - decay
            _saturate(dv)
            dv += self.bias
            _saturate(dv)
            v = v + dv
            _saturate(v)
            raw = np.floor(v / self.threshold)
        else:
            i *= self.alpha_syn
            total = self._total(i)
            v = v * self.alpha_mem
            v += total
            v += self.bias
            raw = count_spikes(v, self.threshold, ">=", True, self.work)
        self.i = i
        self.v = v
        return self._fire(v, raw)

    def _total(self, i: np.ndarray) -> np.ndarray:
        """The sum of each neuron's synaptic states."""
        if self.s == 1:
            return i
        total = i[:, : self.n] + i[:, self.n : 2 * self.n]
        for s in range(2, self.s):
            total += i[:, s * self.n : (s + 1) * self.n]
        return total

    def _fire(self, v: np.ndarray, raw: np.ndarray) -> np.ndarray:
        """Spike counts from the uncapped ``raw = floor(v / threshold)`` (any value <= 0
        where ``v < threshold``), with the cap, the aliases and the subtractive reset."""
        cap = self.cap
        if cap == 1:
            n = (v >= self.threshold).astype(self.work)
        else:
            n = np.maximum(raw, 0)
            np.minimum(n, cap, out=n)
        if self.aliases is None:
            v -= n * self.threshold
            return n
        n[:, self.joined] = 0
        v -= n * self.threshold
        # XyloLayer::evolve_neurons: in id order, a neuron starts from the spikes aliased
        # into it so far; its count is then added to its target's, capped
        for j in self.joined_ids:
            start = n[:, j].copy()
            add = np.clip(np.minimum(raw[:, j], cap - start), 0, None)
            n[:, j] = start + add
            v[:, j] -= add * self.threshold[j]
            a = int(self.aliases[j])
            if a >= 0:
                n[:, a] = np.minimum(n[:, a] + n[:, j], cap)
        return n

    def _record(self) -> None:
        if self.records is not None:
            self.record(self.v.astype(self.dtype), self._recorded_i().astype(self.dtype))

    def _recorded_i(self) -> np.ndarray:
        return self.i

    @staticmethod
    def _chunk(t_len: int, width: int) -> int:
        """Time steps to take at once, ``width`` numbers a step."""
        return max(1, min(t_len, _CHUNK_ELEMENTS // max(1, width)))


class HiddenKernel(_PopulationKernel):
    """``xylo.hidden``: the input spikes of this step and its own spikes of the last."""

    cap = MAX_HIDDEN

    def __init__(self, op: HiddenOp, sem: Semantics):
        super().__init__(op, sem, op.synapses)
        n, s = self.n, self.s
        w_in = np.asarray(op.param("w_in"))  # (N, C, S) -> (S N, C)
        w_rec = np.asarray(op.param("w_rec"))  # (N, N, S) -> (S N, N)
        self.channels = w_in.shape[1]
        self.inp = _Projection(
            w_in.transpose(2, 0, 1).reshape(s * n, -1),
            op.shift("weight_shift_in"),
            MAX_INPUT,
            self.integer,
            self.work,
            exact_reach=True,
        )
        self.rec = _Projection(
            w_rec.transpose(2, 0, 1).reshape(s * n, n),
            op.shift("weight_shift_rec"),
            MAX_HIDDEN,
            self.integer,
            self.work,
            exact_reach=False,
        )
        self.recurrent = bool(np.any(w_rec))

    def reset(self, batch: int) -> None:
        super().reset(batch)
        #: the spikes of the last step
        self.h = np.zeros((batch, self.n), dtype=self.work)

    def _recorded_i(self) -> np.ndarray:
        return self.i.reshape(self.i.shape[0], self.s, self.n).transpose(0, 2, 1)  # (B, S N) -> (B, N, S)

    def run(self, x: np.ndarray) -> np.ndarray:
        t_len, batch = x.shape[:2]
        out = np.empty((t_len, batch, self.n), dtype=self.dtype)
        step = self._chunk(t_len, batch * max(self.n * self.s * 2, self.channels))
        for start in range(0, t_len, step):
            part = _counts(x[start : start + step], MAX_INPUT, self.work, self.node)
            cur = self.inp.sums(part.reshape(-1, self.channels))
            assert cur is not None
            cur = cur.reshape(part.shape[0], batch, -1)
            if not self.integer:
                for t in range(part.shape[0]):
                    out[start + t] = self._step_float(cur[t])
                continue
            for t in range(part.shape[0]):
                out[start + t] = self._step_int(cur[t], part[t])
        return out

    def _step_int(self, cur: np.ndarray, counts: np.ndarray) -> np.ndarray:
        k_len, h = self.n * self.s, self.h
        new = self.i + cur[:, :k_len]
        reach = cur[:, k_len:]
        if self.recurrent:
            rec = self.rec.sums(h, sparse=True)
            if rec is not None:
                new += rec
                reach = reach + np.multiply.outer(h.sum(axis=1), self.rec.peak)
        n = self._settle(self._integrate(new, reach, [(counts, self.inp), (h, self.rec)]))
        self.h = n
        self._record()
        return n

    def _step_float(self, cur: np.ndarray) -> np.ndarray:
        i = self.i + cur
        if self.recurrent:
            rec = self.rec.sums(self.h, sparse=True)
            if rec is not None:
                i += rec
        n = self._settle(i)
        self.h = n
        self._record()
        return n


class ReadoutKernel(_PopulationKernel):
    """``xylo.readout``: the hidden spikes of the step before, one synapse, one spike."""

    cap = MAX_READOUT

    def __init__(self, op: ReadoutOp, sem: Semantics):
        super().__init__(op, sem, 1)
        w_out = np.asarray(op.param("w_out"))  # (M, N)
        self.hidden = w_out.shape[1]
        self.proj = _Projection(
            w_out, op.shift("weight_shift_out"), MAX_HIDDEN, self.integer, self.work, exact_reach=True
        )
        #: the result is the membrane after the step, not the spikes (output = "membrane")
        self.membrane = op.reads_membrane

    def reset(self, batch: int) -> None:
        super().reset(batch)
        #: the hidden spikes of the last step seen: the next step's input
        self.last = np.zeros((batch, self.hidden), dtype=self.work)

    def run(self, x: np.ndarray) -> np.ndarray:
        t_len, batch = x.shape[:2]
        out = np.empty((t_len, batch, self.n), dtype=self.dtype)
        step = self._chunk(t_len, batch * max(self.n * 2, self.hidden))
        for start in range(0, t_len, step):
            # the hidden spikes of the step before: the last of the previous slice first
            counts = _counts(x[start : start + step], MAX_HIDDEN, self.work, self.node)
            part = np.concatenate([self.last[None], counts[:-1]])
            self.last = counts[-1]
            cur = self.proj.sums(part.reshape(-1, self.hidden))
            assert cur is not None
            cur = cur.reshape(part.shape[0], batch, -1)
            for t in range(part.shape[0]):
                if self.integer:
                    sums, reach = cur[t, :, : self.n], cur[t, :, self.n :]
                    n = self._settle(self._integrate(self.i + sums, reach, [(part[t], self.proj)]))
                else:
                    n = self._settle(self.i + cur[t])
                self._record()
                out[start + t] = self.v if self.membrane else n
        return out


KERNELS: dict[type, type[Kernel]] = {HiddenOp: HiddenKernel, ReadoutOp: ReadoutKernel}
