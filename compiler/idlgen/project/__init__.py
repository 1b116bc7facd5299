"""Build integration: ``[tool.idlgen]``, ``idlgen build``, the hatchling hook, setuptools.

``config`` reads and validates the table; ``compile`` is the one code path that
builds every configured input (all the ways in call it); ``depfile`` and
``dist`` serve ``--depfile`` and ``--dist``; ``hatch`` is the hatchling plugin,
``setuptools`` the setuptools command; ``editable`` regenerates an editable
install's packages when an input changes. This package and the CLI are the
edges that run the driver (docs/build-integration.md).
"""
