"""Back-ends: checked IR to generated files, one package per output language."""
