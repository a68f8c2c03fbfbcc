"""Run one Loihi 2 layer in real Lava (lava-nc 0.10.0, fixed_pt): RingBuffer -> Dense
(-> LIF, with an optional recurrent Dense from the LIF back to itself) and record u, v
and the spikes.  Runs under the Lava venv's Python (``scripts/lava-env.sh``):

    .venv-lava/bin/python tests/targets/loihi2/lava_oracle.py IN.npz OUT.npz [IN2.npz OUT2.npz ...]

``IN.npz`` holds ``x`` ``(T, M)`` (spikes, or values when ``graded``), ``weight``
``(N, M)``, optional ``weight_rec`` ``(N, N)``, ``du``, ``dv``, ``vth``, ``bias_mant``
``(N,)``, ``bias_exp``, ``weight_exp``, ``num_weight_bits``, ``graded`` (0/1);
``OUT.npz`` gets ``u``, ``v``, ``s``, each ``(T, N)``.
"""

from __future__ import annotations

import sys

import numpy as np


def run(p: dict) -> dict:
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg
    from lava.proc.dense.process import Dense
    from lava.proc.io.sink import RingBuffer as Sink
    from lava.proc.io.source import RingBuffer
    from lava.proc.lif.process import LIF
    from lava.proc.monitor.process import Monitor

    x = np.asarray(p["x"])
    t_len, _ = x.shape
    n = p["weight"].shape[0]
    bits = int(p["num_weight_bits"])
    exp = int(p["weight_exp"])
    message_bits = 24 if int(p["graded"]) else 0
    src = RingBuffer(data=x.T.astype(float))
    dense = Dense(weights=p["weight"], weight_exp=exp, num_weight_bits=bits, num_message_bits=message_bits)
    lif = LIF(
        shape=(n,),
        du=int(p["du"]),
        dv=int(p["dv"]),
        vth=int(p["vth"]),
        bias_mant=np.asarray(p["bias_mant"]),
        bias_exp=int(p["bias_exp"]),
    )
    src.s_out.connect(dense.s_in)
    dense.a_out.connect(lif.a_in)
    if "weight_rec" in p:
        rec = Dense(
            weights=p["weight_rec"],
            weight_exp=int(p.get("weight_exp_rec", exp)),
            num_weight_bits=int(p.get("num_weight_bits_rec", bits)),
        )
        lif.s_out.connect(rec.s_in)
        rec.a_out.connect(lif.a_in)
    sink = Sink(shape=(n,), buffer=t_len)
    lif.s_out.connect(sink.a_in)
    mu, mv = Monitor(), Monitor()
    mu.probe(lif.u, t_len)
    mv.probe(lif.v, t_len)
    try:
        lif.run(condition=RunSteps(num_steps=t_len), run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
        s = sink.data.get().T.copy()
        u = mu.get_data()[lif.name]["u"].copy()
        v = mv.get_data()[lif.name]["v"].copy()
    finally:
        lif.stop()
    return {"u": u, "v": v, "s": s}


if __name__ == "__main__":
    paths = sys.argv[1:]
    for src, dst in zip(paths[0::2], paths[1::2], strict=True):
        np.savez(dst, **run(dict(np.load(src))))
