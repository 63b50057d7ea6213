"""Real OpenID Connect log-in for the browser tests (issue 18): an identity provider
(``oidc-provider-mock``, a Flask app built on Authlib, served on a thread of the test process)
and the app served with ``[auth]`` in a temporary working folder's ``.streamlit/secrets.toml``.

How a user logs in: the app's "Log in" button (``st.login``) sends the browser to the
provider's authorization form, where the test types the subject (``sub``) of one of the users
the provider was started with (their claims: verified e-mail, display name) and presses
"Authorize"; the provider redirects to ``/oauth2callback``, Streamlit exchanges the code for
the ID token server-side and keeps the claims in its signed ``_streamlit_user`` cookie.

Why ``localhost`` everywhere: the redirect URI, the cookie and the pages must share one host.
Why ``AUTHLIB_INSECURE_TRANSPORT``: both sides refuse plain HTTP otherwise, and a test has no
certificate (a real deployment uses HTTPS).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.e2e_support import ROOT, WAIT, free_port, run_over, serve

INSECURE = {"AUTHLIB_INSECURE_TRANSPORT": "1"}


@dataclass(frozen=True)
class Account:
    """A user of the test provider: their subject and the claims the ID token carries."""

    sub: str
    email: str
    name: str

    def claims(self) -> dict[str, object]:
        return {"email": self.email, "email_verified": True, "name": self.name}


CHAIR = Account("sub-claire-0001", "claire@example.org", "Claire Chair")
EVALUATOR = Account("sub-bob-0002", "bob@example.org", "Bob Evaluator")
OUTSIDER = Account("sub-carol-0003", "carol@example.org", "Carol Outsider")
SECOND = Account("sub-dana-0004", "dana@example.org", "Dana Evaluator")
ACCOUNTS = (CHAIR, EVALUATOR, OUTSIDER, SECOND)


@contextmanager
def provider(accounts: tuple[Account, ...] = ACCOUNTS) -> Iterator[str]:
    """The provider on a free port; yields its issuer URL (``http://localhost:PORT``)."""
    os.environ.update(INSECURE)
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=a.sub, claims=a.claims()) for a in accounts]
    with run_server_in_thread(port=free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


def serve_with_login(issuer: str, env: Mapping[str, str], folder: Path | None = None
                     ) -> tuple[subprocess.Popen[bytes], str, Path]:
    """The app with ``[auth]`` pointing at ``issuer``: a working folder holding
    ``.streamlit/secrets.toml`` (and the repository's ``config.toml``), the server started in
    it; returns the process, the app's ``http://localhost:PORT`` and the folder."""
    port = free_port()
    folder = folder or Path(tempfile.mkdtemp(prefix="hostwise-oidc-"))  # the caller removes it
    conf = folder / ".streamlit"
    conf.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", conf / "config.toml")
    (conf / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "hostwise-test"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    proc, _ = serve({**env, **INSECURE}, port=port, cwd=folder)
    return proc, f"http://localhost:{port}", folder


def log_in(page: Any, app: str, account: Account, path: str = "tender") -> None:
    """Log in as a user does: the app's button, the provider's form (subject typed, then
    Authorize), back on the app; then open ``path`` and wait for the name in the sidebar."""
    page.goto(f"{app}/{path}")
    page.get_by_role("button", name="Log in").click()
    field = page.locator("input[name=sub]")
    field.wait_for(timeout=WAIT)
    field.fill(account.sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{app}/**", timeout=WAIT)
    page.goto(f"{app}/{path}")
    page.get_by_text(f"Logged in as {account.name} ({account.email})").wait_for(timeout=WAIT)
    run_over(page)
