"""The toy plugin's one ``nirc.Extension``: everything it adds, by name.

Heavy or fallible imports are given as ``"module:attribute"`` references, loaded when
first used: if one of them fails, only what needs it fails, with the plugin's name in
the message, and the rest of nirc works on.
"""

from pathlib import Path

from nirc import Extension, profile

EXTENSION = Extension(
    name="toy",
    summary="an example plugin: toy.clamp, its kernel, a pass, a pipeline, a profile, patterns, a target",
    dialects={"toy": "nirc_toy.dialect:TOY"},
    passes={"toy-clamp-inputs": "nirc_toy.passes:ToyClampInputsPass"},
    pipelines={"nir-to-toy": "nirc_toy.passes:NirToToyPass"},
    kernels="nirc_toy.kernels:KERNELS",
    profiles=(
        profile(
            "toy",
            "A made-up platform: exact integration, spikes at v >= threshold, reset by subtraction.",
            integrator="exact",
            compare=">=",
            reset="subtract",
        ),
    ),
    patterns=(Path(__file__).with_name("rewrites.pat"),),
    targets={"toy-json": "nirc_toy.target:TARGET"},
)
