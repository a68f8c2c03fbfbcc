"""Models in and out of the IR: ``.nir`` (HDF5) files through node dicts, the textual IR,
the reference package's objects, and files written all or nothing."""
