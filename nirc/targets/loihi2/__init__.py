"""The Intel Loihi 2 target (lava-nc processes, lava-dl netx), ``docs/targets/loihi2.md``.

The ``loihi2`` dialect (:mod:`~nirc.targets.loihi2.dialect`: Dense and Conv layers of
CUBA-LIF neurons) and its interpreter kernels (:mod:`~nirc.targets.loihi2.kernels`),
which reproduce Lava's bit-accurate models; the rules, conversion, quantization and
placement passes; the netx and Lava-process emitter and the target object.
"""
