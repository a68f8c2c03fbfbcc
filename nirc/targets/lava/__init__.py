"""What Intel's Lava family shares: Dense + CUBA-LIF layers (:mod:`.layers`), read by the
Loihi 2 and lava-dl targets, as the Python targets share :mod:`nirc.targets.pygen`."""
