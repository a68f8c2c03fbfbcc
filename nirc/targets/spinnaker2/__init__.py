"""The SpiNNaker2 target (py-spinnaker2 networks placed onto PEs and chips), ``docs/targets/spinnaker2.md``."""
