"""Writing the audit log: one hash-chained record per act, in the act's own transaction.

Split from ``audit`` (which reads and verifies the log) so that ``store`` can seal every write
transaction (``seal``) without importing the verifier, which needs the store: no import cycle.
See ``audit`` for what the chain guarantees.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..hashing import digest
from . import ledger
from .errors import CommitteeError
from .identity import Person
from .models import AuditHead, AuditRecord

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


PENDING = "hostwise_audit_pending"  # session.info key: the records of this transaction


def _fields(r: AuditRecord) -> dict[str, Any]:
    out = {"seq": r.seq, "tender_id": r.tender_id, "at": r.at, "actor": r.actor,
           "authenticated": bool(r.authenticated), "action": r.action,
           "detail": r.detail_json, "inputs_hash": r.inputs_hash,
           "code_version": r.code_version, "prev_hash": r.prev_hash}
    if r.rows_json is not None:  # absent only from records written before migration 0002
        out["rows"] = r.rows_json
    return out


def record_hash(r: AuditRecord) -> str:
    return digest(_fields(r))


def _head(s: Session, lock: bool = False) -> AuditHead:
    q = select(AuditHead).where(AuditHead.id == 1)
    head = s.execute(q.with_for_update() if lock else q).scalar_one_or_none()
    if head is None:
        raise CommitteeError("the audit log has no head row (table audit_head is empty): the "
                             "database was altered outside the application")
    return head


def append(s: Session, who: Person, action: str, tender_id: int | None,
           detail: dict[str, Any], inputs: Any = None) -> AuditRecord:
    """Add one record in the caller's transaction (so the act and its record commit together).

    ``detail`` is stored readable (never sealed content: hashes only); ``inputs`` is hashed.
    The committee rows the transaction writes are added to its last record when it commits
    (``seal``), wherever in the transaction they were written."""
    head = _head(s, lock=True)
    rec = AuditRecord(seq=head.seq + 1, tender_id=tender_id, at=now(), actor=who.name,
                      authenticated=who.authenticated, action=action,
                      detail_json=json.dumps(detail, sort_keys=True, ensure_ascii=False,
                                             default=str),
                      inputs_hash=digest(inputs if inputs is not None else detail),
                      code_version=code_version(), prev_hash=head.hash, hash="",
                      rows_json=ledger.encode({}))
    rec.hash = record_hash(rec)
    s.add(rec)
    head.seq, head.hash = rec.seq, rec.hash
    s.info.setdefault(PENDING, []).append(rec)
    return rec


def seal(s: Session) -> None:
    """Before commit: put the committee rows this transaction wrote into its last record (and
    re-hash it and the head). A write with no record is a bug of the service: refused, so the
    log can never fall behind the data."""
    s.flush()
    ch = ledger.changes(s)
    recs: list[AuditRecord] = s.info.pop(PENDING, [])
    if not recs:
        if ch:
            raise RuntimeError("committee rows written without an audit record: "
                               + ", ".join(f"{t} {sorted(r)}" for t, r in ch.items()))
        return
    last = recs[-1]
    last.rows_json = ledger.encode(ch)
    last.hash = record_hash(last)
    head = _head(s)
    head.hash = last.hash
    s.flush()


BASELINE = "audit.baseline"
SYSTEM = Person("hostwise")


def needs_baseline(s: Session) -> bool:
    """True when the log has records from before row digests (migration 0002) and no baseline
    record after them yet."""
    legacy = s.execute(select(AuditRecord.seq).where(AuditRecord.rows_json.is_(None))
                       .order_by(AuditRecord.seq.desc()).limit(1)).scalar_one_or_none()
    if legacy is None:
        return False
    return s.execute(select(AuditRecord.seq).where(AuditRecord.action == BASELINE,
                                                   AuditRecord.seq > legacy)
                     ).first() is None


def baseline(s: Session) -> None:
    """Record every committee row as it is now, once, after the upgrade that brought row
    digests: from this record on the log vouches for the data. Why not silently: what was
    written before it was vouched for by nobody, and the record says so."""
    touched: set[tuple[str, int]] = s.info.setdefault(ledger.TOUCHED, set())
    for table in ledger.DATA_TABLES:
        touched.update((table.name, int(k)) for k in s.execute(select(table.c.id)).scalars())
    append(s, SYSTEM, BASELINE, None,
           {"rows": len(touched), "why": "the log vouches for the committee rows from this "
            "record on (records before it predate row digests, schema 0001)"})
