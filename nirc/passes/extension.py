"""nirc's generic passes and the ``nir-to-snn`` pipeline as an extension (registered as
``nirc.extensions: passes`` in nirc's ``pyproject.toml``).  Passes are referenced by
module, so a tool imports only those it runs."""

from nirc.core.extension import Extension

EXTENSION = Extension(
    name="passes",
    summary="nirc's generic passes",
    passes={
        "lower-composites": "nirc.passes.lower_composites:LowerCompositesPass",
        "canonicalize": "nirc.passes.canonicalize:CanonicalizePass",
        "convert-nir-to-snn": "nirc.passes.convert_nir_to_snn:ConvertNirToSnnPass",
        "snn-fuse-recurrent": "nirc.passes.snn_fuse_recurrent:SnnFuseRecurrentPass",
        "nir-fuse-recurrent": "nirc.passes.nir_fuse_recurrent:NirFuseRecurrentPass",
        "inline-graphs": "nirc.passes.inline_graphs:InlineGraphsPass",
        "quantize": "nirc.passes.quantize:QuantizePass",
        "fold-sum-pool": "nirc.passes.fold_sum_pool:FoldSumPoolPass",
    },
    pipelines={
        "nir-to-snn": "nirc.passes.nir_to_snn:NirToSnnPass",
    },
)
