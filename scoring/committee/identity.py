"""Who is acting: a name and whether an identity provider vouched for it.

Why a flag rather than two classes: every record and every page must show the difference. With
OIDC (``st.login``, configured in ``secrets.toml``) the name comes from the provider and
``authenticated`` is True; in local mode the user states a name and everything they do is
labelled "not authenticated" (in the audit log, the report and the pages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..io.identity import fold, nfkc, skeleton
from ..io.text import TextRules, text_problems
from .errors import CommitteeError

MAX_NAME = 200
MAX_NOTE = 10_000
UNBOUNDED = 1 << 62  # lengths of stored text are checked by the store, with what was not saved
_NAME_RULES = TextRules(allow_newlines=False, check_scripts=True, max_len=MAX_NAME)
_NOTE_RULES = TextRules(allow_newlines=True, max_len=UNBOUNDED)


def clean_name(value: str, what: str = "a person's name", limit: int = MAX_NAME) -> str:
    """A name or title as stored: NFKC (full-width forms folded), trimmed, one line, no control,
    bidi or invisible character, one script. Why the vendor-id rules: a member name reaches the
    audit log, the pages and the award report, where an escape sequence, a newline (a forged
    log line) or a right-to-left override (a name that reads as another) would mislead."""
    v = nfkc(value).strip()
    if not v:
        raise CommitteeError(f"{what} is empty")
    rules = _NAME_RULES if limit == MAX_NAME else TextRules(allow_newlines=False,
                                                            check_scripts=True, max_len=limit)
    problems = text_problems(v, rules)
    if problems:
        raise CommitteeError(f"{what} {v[:40]!r}: " + "; ".join(problems))
    return v


def clean_note(value: str, what: str) -> str:
    """A note, justification or reason as stored: trimmed, lines allowed, no control, bidi or
    invisible-override character (they would reach the log, the pages and the report)."""
    v = value.strip()
    problems = text_problems(v, _NOTE_RULES)
    if problems:
        raise CommitteeError(f"the {what}: " + "; ".join(problems))
    return v


def lookalike(name: str, others: Iterable[str]) -> str | None:
    """The existing name ``name`` would be confused with (case, spaces or look-alike letters)."""
    for o in others:
        if o != name and (fold(o) == fold(name) or skeleton(o) == skeleton(name)):
            return o
    return None


@dataclass(frozen=True)
class Person:
    name: str
    authenticated: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > MAX_NAME:
            raise CommitteeError(f"a person needs a name of 1 to {MAX_NAME} characters")
        object.__setattr__(self, "name", clean_name(self.name))

    @property
    def label(self) -> str:
        """The name as shown everywhere: local-mode names carry "(not authenticated)"."""
        return self.name if self.authenticated else f"{self.name} (not authenticated)"
