"""The lava-dl (slayer) target: slayer CUBA blocks in PyTorch, time last, exportable to netx."""
