"""Front-ends: one input language each, parsed into the shared IR."""
