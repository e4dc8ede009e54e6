"""Human validation of the kit's measures; the public names live in :mod:`analysis.validate`."""
