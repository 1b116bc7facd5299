"""``python -m idlgen``: the same as the ``idlgen`` command."""

from idlgen.cli import main

raise SystemExit(main())
