"""``python -m scoring`` runs the ``hostwise`` command line."""

from .cli.main import main

raise SystemExit(main())
