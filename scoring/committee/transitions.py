"""One step of the tender's lifecycle: the check that it is the next one, and the move with its
audit record. Split from ``workflow`` so that the services of single steps (``opening``: the
deadline and the opening by two) use the same move without importing the whole workflow
(``workflow`` imports them: no import cycle)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..i18n import _
from . import audit
from .access import STATES
from .errors import TransitionError
from .identity import Person
from .models import Tender


def next_state(state: str) -> str | None:
    i = STATES.index(state)
    return STATES[i + 1] if i + 1 < len(STATES) else None


def check_transition(current: str, target: str) -> None:
    """Refuse, with the reason, any step that is not the next one."""
    if target not in STATES:
        raise TransitionError(_("unknown state {target!r} (states: {states})").format(
                                  target=target, states=' → '.join(STATES)))
    nxt = next_state(current)
    if target == nxt:
        return
    if target == current:
        why = _("the tender is already {state}").format(state=_(current))
    elif STATES.index(target) < STATES.index(current):
        why = _("a tender never goes back (what was published, sealed or opened stays so)")
    else:
        why = _("no step may be skipped")
    then = (_("the next step is {state}").format(state=_(nxt)) if nxt
            else _("an awarded tender is closed"))
    raise TransitionError(_("cannot go from {current} to {target}: {why}; {then}").format(
                              current=current, target=target, why=why, then=then))


def move(s: Session, t: Tender, who: Person, target: str, detail: dict[str, Any],
         inputs: Any = None) -> None:
    check_transition(t.state, target)
    before = t.state
    t.state = target
    s.flush()  # the version check happens here (a concurrent move loses)
    audit.append(s, who, f"tender.{target}", t.id, {"from": before, **detail}, inputs)
