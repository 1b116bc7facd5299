"""Passes: small IR-in, IR-out steps, run in the order :mod:`idlgen.driver` names."""
