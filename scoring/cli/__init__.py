"""The ``hostwise`` command line: the top floor of the core. Each module registers the commands
of one area (scoring, allocation, robustness, committee, Excel) and imports the core lazily, so a
command loads only what it needs. ``main`` is the console script's entry point."""

from .main import main

__all__ = ["main"]
