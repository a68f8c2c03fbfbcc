"""An example nirc plugin (see README.md): a ``toy`` dialect, its kernel, a pass, a
canonicalization, a profile, a pattern file and a target, in one ``nirc.Extension``."""
