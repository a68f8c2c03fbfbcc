"""The snnTorch target: ``nir-translate IN --target=snntorch -o OUTDIR`` (docs/targets/torch.md)."""
