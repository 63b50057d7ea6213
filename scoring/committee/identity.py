"""Who is acting: a name and whether an identity provider vouched for it.

Why a flag rather than two classes: every record and every page must show the difference. With
OIDC (``st.login``, configured in ``secrets.toml``) the name comes from the provider and
``authenticated`` is True; in local mode the user states a name and everything they do is
labelled "not authenticated" (in the audit log, the report and the pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import CommitteeError

MAX_NAME = 200


@dataclass(frozen=True)
class Person:
    name: str
    authenticated: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > MAX_NAME:
            raise CommitteeError(f"a person needs a name of 1 to {MAX_NAME} characters")

    @property
    def label(self) -> str:
        """The name as shown everywhere: local-mode names carry "(not authenticated)"."""
        return self.name if self.authenticated else f"{self.name} (not authenticated)"
