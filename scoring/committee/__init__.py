"""The committee workspace: tenders with a lifecycle, sealed bids, declarations of interest,
independent scoring with moderation, written clarifications, a tamper-evident audit log and the
award report, stored in a real database (SQLite embedded, PostgreSQL by URL).

Services only (pure Python + database, no Streamlit): the pages call these functions, which
check roles, states and conflicts themselves. Modules:
``store`` (database, migrations), ``models`` (tables), ``identity`` (who acts: a typed name or
an OpenID Connect log-in), ``membership`` (invitations by e-mail bound at the first log-in, the
tenders a person sees), ``workflow`` (state machine),
``transitions`` (one step and its record), ``opening`` (bid deadline, opening by two openers),
``bids`` (salted sealed envelopes, confidentiality, recorded readings), ``desk`` (who records
bids and their documents: a logged-in chair or the server's operator on a shared server),
``panel`` (declarations, scores, moderation),
``stats`` (median/mean, spread, Kendall's W), ``evaluation`` (the engine's inputs),
``clarifications``, ``audit`` (hash chain), ``report`` (award report: Markdown, DOCX, PDF).
"""

from __future__ import annotations

from .errors import (
    CommitteeError,
    ConcurrentEditError,
    NotFound,
    PermissionDenied,
    TransitionError,
)
from .identity import Person
from .store import Store, default_url

__all__ = ["CommitteeError", "ConcurrentEditError", "NotFound", "PermissionDenied", "Person",
           "Store", "TransitionError", "default_url"]
