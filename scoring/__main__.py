"""``python -m scoring`` runs the ``hostwise`` command line."""

from .cli import main

raise SystemExit(main())
