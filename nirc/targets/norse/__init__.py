"""The Norse target: ``nir-translate IN --target=norse -o OUTDIR`` (docs/targets/torch.md)."""
