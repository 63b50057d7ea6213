"""Who is acting: a name and whether an identity provider vouched for it.

Why a flag rather than two classes: every record and every page must show the difference. With
OIDC (``st.login``, configured in ``secrets.toml``) the person comes from the provider's claims
(``from_claims``: issuer and subject, verified e-mail, display name) and ``authenticated`` is
True; in local mode the user states a name and everything they do is labelled "not
authenticated" (in the audit log, the report and the pages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..hashing import digest
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


OPERATOR = "operator (command line)"  # how the server's operator's name starts (``operator``)


@dataclass(frozen=True)
class Person:
    """Who acts. ``name`` is the key the committee tables record (a typed name in local mode;
    for a log-in, the verified e-mail or ``oidc-<hash of iss and sub>``); ``issuer`` +
    ``subject`` (OIDC ``iss`` and ``sub``) are what a bound membership answers to
    (``access.member``); ``display`` (the provider's display name) is shown, never a key.
    ``operator``: the server's operator at the command line (``operator``), no member; the
    names that start like theirs are reserved to them, so no typed name reads as one."""

    name: str
    authenticated: bool = False
    issuer: str | None = None
    subject: str | None = None
    email: str | None = None  # verified by the identity provider
    display: str | None = None
    operator: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > MAX_NAME:
            raise CommitteeError(f"a person needs a name of 1 to {MAX_NAME} characters")
        object.__setattr__(self, "name", clean_name(self.name))
        if (self.subject is None) != (self.issuer is None) or (
                self.subject is not None and not self.authenticated):
            raise CommitteeError("a logged-in person needs an issuer, a subject and "
                                 "authenticated=True")
        if skeleton(self.name).startswith(skeleton(OPERATOR)) != self.operator or (
                self.operator and self.authenticated):
            raise CommitteeError(f"a name starting with {OPERATOR!r} is reserved to the "
                                 "server's operator at the command line"
                                 if not self.operator else
                                 f"the server's operator is named {OPERATOR!r}: <OS user>, "
                                 "not logged in")

    @property
    def label(self) -> str:
        """The name as shown everywhere: local-mode names carry "(not authenticated)"; a
        logged-in person's display name comes with the key (their e-mail)."""
        if not self.authenticated:
            return f"{self.name} (not authenticated)"
        if self.display and self.display != self.name:
            return f"{self.display} ({self.name})"
        return self.name


def operator(user: str) -> Person:
    """The server's operator running the command line, named by their OS account: whoever
    runs ``hostwise`` on the server reaches the database, so the command line cannot vouch for
    a member's name (it would let anyone act as "the chair"); it acts, and is recorded, as
    itself ("operator (command line): <OS user>", not authenticated), never as a member."""
    return Person(f"{OPERATOR}: {user}", operator=True)


MAX_EMAIL = 254
MAX_ISSUER = 500
MAX_SUBJECT = 255  # OpenID Connect Core 1.0, section 2 ("sub": at most 255 ASCII characters)


def clean_email(value: str, what: str = "the e-mail address") -> str:
    """An e-mail address as matched and stored: NFKC, trimmed, lower case, one ``@`` with text
    either side, no space, control, bidi or mixed-script character. Why lower case: providers
    and people write the same mailbox in different cases, and an invitation must match the
    address the provider vouches for (the local part is case-insensitive in practice, RFC 5321
    section 2.4 notwithstanding)."""
    v = nfkc(value).strip().lower()
    local, at, domain = v.partition("@")
    if not at or not local or not domain or "@" in domain or "." not in domain or any(
            c.isspace() for c in v):
        raise CommitteeError(f"{what} {v[:60]!r} is not an e-mail address (name@domain)")
    return clean_name(v, what, MAX_EMAIL)


def _claim(claims: Mapping[str, Any], key: str, limit: int) -> str:
    v = claims.get(key)
    if not isinstance(v, str) or not v.strip():
        raise CommitteeError(f"the identity provider sent no {key!r} claim: log-in refused")
    if len(v) > limit or text_problems(v, TextRules(allow_newlines=False, max_len=limit)):
        raise CommitteeError(f"the identity provider's {key!r} claim is not a plain line of at "
                             f"most {limit} characters: log-in refused")
    return v


def from_claims(claims: Mapping[str, Any]) -> Person:
    """The person an OpenID Connect log-in vouches for (the ID token's claims, ``st.user``).

    Keyed by ``iss`` + ``sub``, the only pair OpenID Connect guarantees stable and unique
    (Core 1.0 section 5.7: "the sub (subject) and iss (issuer) Claims, used together, are the
    only Claims that an RP can rely upon as a stable identifier"). The e-mail is kept only if
    the provider says it is verified (``email_verified``): only then may it bind an invitation
    and name the person in the log. The display name is shown, never a key; one that is not a
    clean single-script line is dropped rather than shown."""
    iss = _claim(claims, "iss", MAX_ISSUER)
    sub = _claim(claims, "sub", MAX_SUBJECT)
    verified = claims.get("email_verified") in (True, "true", "True")
    email: str | None = None
    raw = claims.get("email")
    if verified and isinstance(raw, str) and raw.strip():
        try:
            email = clean_email(raw, "the e-mail address the identity provider sent")
        except CommitteeError:
            email = None
    display: str | None = None
    for key in ("name", "preferred_username"):
        raw = claims.get(key)
        if isinstance(raw, str) and raw.strip():
            try:
                display = clean_name(raw, "the display name")
                break
            except CommitteeError:
                continue
    name = email or "oidc-" + digest({"iss": iss, "sub": sub})[:16]
    return Person(name, authenticated=True, issuer=iss, subject=sub, email=email,
                  display=display)
