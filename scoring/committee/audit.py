"""The tamper-evident audit log: append-only, each record hashing the previous one.

A record's hash is SHA-256 over the canonical JSON of every field but itself, including the
previous record's hash and its own sequence number (a hash chain in the sense of Haber &
Stornetta, "How to time-stamp a digital document", J. Cryptology 3(2), 1991). So:
- an *edited* record no longer matches its own hash;
- an *inserted* or *deleted* record breaks the sequence (1, 2, 3 ...) or the next record's
  ``prev_hash``;
- a deleted *last* record no longer matches the head row (``audit_head``), updated in the same
  transaction as every append.
Someone able to rewrite the whole database can rebuild a consistent chain: the head hash printed
in the award report and by ``hostwise audit verify`` is what a committee files elsewhere, so a
rebuilt chain shows as a different head.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..hashing import digest
from .identity import Person
from .models import AuditHead, AuditRecord
from .store import Store

GENESIS = "0" * 64


def now() -> str:
    """UTC timestamp, ISO 8601 with microseconds (hashed: must read back identically)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@functools.cache
def code_version() -> str:
    """The package version and, in a git checkout, the commit (which code made the record)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("hostwise")
    except PackageNotFoundError:
        ver = "unknown"
    root = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, timeout=5, check=False)
        commit = out.stdout.strip() if out.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"hostwise {ver}" + (f" ({commit})" if commit else "")


def _fields(r: AuditRecord) -> dict[str, Any]:
    return {"seq": r.seq, "tender_id": r.tender_id, "at": r.at, "actor": r.actor,
            "authenticated": bool(r.authenticated), "action": r.action,
            "detail": r.detail_json, "inputs_hash": r.inputs_hash,
            "code_version": r.code_version, "prev_hash": r.prev_hash}


def record_hash(r: AuditRecord) -> str:
    return digest(_fields(r))


def append(s: Session, who: Person, action: str, tender_id: int | None,
           detail: dict[str, Any], inputs: Any = None) -> AuditRecord:
    """Add one record in the caller's transaction (so the act and its record commit together).

    ``detail`` is stored readable (never sealed content: hashes only); ``inputs`` is hashed."""
    head = s.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    rec = AuditRecord(seq=head.seq + 1, tender_id=tender_id, at=now(), actor=who.name,
                      authenticated=who.authenticated, action=action,
                      detail_json=json.dumps(detail, sort_keys=True, ensure_ascii=False,
                                             default=str),
                      inputs_hash=digest(inputs if inputs is not None else detail),
                      code_version=code_version(), prev_hash=head.hash, hash="")
    rec.hash = record_hash(rec)
    s.add(rec)
    head.seq, head.hash = rec.seq, rec.hash
    return rec


@dataclass(frozen=True)
class Verification:
    ok: bool
    records: int
    head: str  # the last hash (file it with the award report)
    broken_seq: int | None = None  # the first record that does not hold
    reason: str = ""

    def text(self) -> str:
        if self.ok:
            return f"audit chain holds: {self.records} record(s), head {self.head}"
        return f"audit chain BROKEN at record {self.broken_seq}: {self.reason}"


def verify(store: Store) -> Verification:
    """Walk the chain from the first record; name the first one that does not hold."""
    prev, expected = GENESIS, 1
    with store.read() as s:
        head = s.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
        rows = s.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars()
        n = 0
        for r in rows:
            if r.seq != expected:
                why = (f"record {expected} is missing (deleted)" if r.seq > expected
                       else "a record was inserted out of sequence")
                return Verification(False, n, prev, min(r.seq, expected), why)
            if r.prev_hash != prev:
                return Verification(False, n, prev, r.seq, "its previous-hash link does not "
                                    "match the record before it (a record was inserted, "
                                    "deleted or replaced)")
            if record_hash(r) != r.hash:
                return Verification(False, n, prev, r.seq, "its content was edited (its hash "
                                    "no longer matches)")
            prev, expected, n = r.hash, expected + 1, n + 1
        if head.seq != n or head.hash != prev:
            return Verification(False, n, prev, n + 1 if head.seq > n else head.seq,
                                f"the log ends at record {n} but its head says {head.seq}: "
                                "the last record(s) were deleted or the head was altered")
    return Verification(True, n, prev)


def records(store: Store, tender_id: int | None = None) -> list[AuditRecord]:
    """The log (of one tender, or all of it), oldest first."""
    with store.read() as s:
        q = select(AuditRecord).order_by(AuditRecord.seq)
        if tender_id is not None:
            q = q.where(AuditRecord.tender_id == tender_id)
        return list(s.execute(q).scalars())
