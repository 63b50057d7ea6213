"""The one canonical form and the one hash of every result, record and scenario.

Canonical JSON: keys sorted, no whitespace, text kept as UTF-8 (not ``\\u`` escapes), and any
value JSON cannot hold written as its ``str`` (dates). Two equal objects give the same bytes on
any machine and in any key order, so their SHA-256 is the same: the scenario hash on every
report, the audit log's chained record hashes and the sealed bids' envelopes all rest on it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["canonical_json", "digest", "sha256_bytes", "sha256_text"]


def canonical_json(obj: Any) -> str:
    """``obj`` as canonical JSON (see the module docstring)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def sha256_text(text: str) -> str:
    """SHA-256 (hex) of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode()).hexdigest()


def sha256_bytes(data: bytes) -> str:
    """SHA-256 (hex) of raw bytes (a bid document, a salt followed by a document)."""
    return hashlib.sha256(data).hexdigest()


def digest(obj: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``obj``."""
    return sha256_text(canonical_json(obj))
