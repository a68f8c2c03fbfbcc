"""Command-line tools: nir-opt, nir-translate."""
