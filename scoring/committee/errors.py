"""Errors of the committee workspace, all ``HostwiseError`` so every edge shows plain words.

Why separate types: the app reacts differently to each (a stale edit offers "reload", a refused
transition shows its reason, a permission error names the role that is needed), and the CLI maps
them all to exit code 2 like any other bad request.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import HostwiseError, Problem


class CommitteeError(HostwiseError):
    """A request the committee workspace refuses (the message says why, in plain words)."""


class ConcurrentEditError(CommitteeError):
    """Someone saved the same tender (or score) after you loaded it: nothing was overwritten."""

    def __init__(self, what: str = "tender") -> None:
        super().__init__(f"someone else changed this {what}: reload it and apply your change "
                         "again (nothing was overwritten)")


class TransitionError(CommitteeError):
    """A state change the procedure does not allow, or whose conditions are not met."""


class PermissionDenied(CommitteeError):
    """The person's role (or a declared conflict of interest) does not allow the request."""


class NotFound(CommitteeError):
    """A tender, bid, score or request that does not exist."""


class StoreError(CommitteeError):
    """The database cannot be opened as a committee store, or refused a write (nothing was
    saved): in plain words, never the driver's traceback."""


class PublicationError(CommitteeError):
    """A draft that cannot be published: every located problem, on one line (``catalogue.
    check_draft``); ``problems`` keeps them for a page to show one by one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("the tender cannot be published: " + "; ".join(
            f"{p.question}: {p.message}" if p.question else p.message for p in self.problems))
