"""The snnTorch target: ``nir-translate IN --target=snntorch -o OUTDIR`` (docs/targets/snntorch.md)."""
