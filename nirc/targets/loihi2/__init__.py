"""The Intel Loihi 2 target (lava-nc processes, lava-dl netx): in progress.

Today: the ``loihi2`` dialect (:mod:`~nirc.targets.loihi2.dialect`) and its
interpreter kernel (:mod:`~nirc.targets.loihi2.kernels`), which reproduce Lava's
bit-accurate Dense and CUBA-LIF (``PyDenseModelBitAcc``, ``PyLifModelBitAcc``), so
``nir-run`` runs a ``loihi2`` module as Lava's fixed-point simulation does.
"""
