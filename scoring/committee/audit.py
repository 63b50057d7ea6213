"""The tamper-evident audit log: append-only, each record hashing the previous one, and each
vouching for the committee rows its transaction wrote.

A record's hash is SHA-256 over the canonical JSON of every field but itself, including the
previous record's hash and its own sequence number (a hash chain in the sense of Haber &
Stornetta, "How to time-stamp a digital document", J. Cryptology 3(2), 1991). So:
- an *edited* record no longer matches its own hash;
- an *inserted* or *deleted* record breaks the sequence (1, 2, 3 ...) or the next record's
  ``prev_hash``;
- a deleted *last* record no longer matches the head row (``audit_head``), updated in the same
  transaction as every append;
- an edited, inserted or deleted *committee row* no longer matches the row digests the log
  recorded (``ledger``): ``verify`` replays them and names the first row that differs.
Someone able to rewrite the whole database can truncate the log (and the head) or rebuild a
consistent chain: the head (``hostwise audit head``, printed in the award report) is what a
committee files elsewhere, and ``verify(expect_head=..., expect_count=...)`` checks a log
against it. Writing records: ``chain``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import _
from . import ledger
from .access import conflicts, load_tender, member
from .chain import BASELINE, GENESIS, append, code_version, now, record_hash, seal
from .errors import PermissionDenied
from .identity import Person
from .models import AuditHead, AuditRecord
from .store import Store

__all__ = ["GENESIS", "Verification", "append", "code_version", "now", "record_hash",
           "records", "seal", "verify"]


@dataclass(frozen=True)
class Verification:
    ok: bool
    records: int
    head: str  # the last hash (file it with the award report)
    broken_seq: int | None = None  # the first record that does not hold
    reason: str = ""
    rows: int = 0  # committee rows checked against the log
    difference: ledger.Difference | None = None  # the first row the log does not vouch for
    anchor: str = ""  # how the chain compares with a filed head (``--expect-head``)

    def head_text(self) -> str:
        return f"record {self.records}, hash {self.head}"

    def text(self) -> str:
        if self.ok:
            return (f"audit chain holds and vouches for every committee row: "
                    f"{self.records} record(s), {self.rows} row(s); head {self.head_text()}"
                    + (f"; {self.anchor}" if self.anchor else ""))
        if self.difference is not None:
            return (f"audit log and data DIFFER at {self.difference.text()}"
                    + (f"; {self.reason}" if self.reason else ""))
        if self.broken_seq is None:
            return f"audit log does NOT match the filed head: {self.reason}"
        return f"audit chain BROKEN at record {self.broken_seq}: {self.reason}"


def _chain(s: Session) -> tuple[Verification | None, list[AuditRecord]]:
    """Walk the chain from the first record; a Verification when a record does not hold."""
    prev, expected = GENESIS, 1
    rows: list[AuditRecord] = []
    for r in s.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars():
        n = len(rows)
        if r.seq != expected:
            why = (f"record {expected} is missing (deleted)" if r.seq > expected
                   else "a record was inserted out of sequence")
            return Verification(False, n, prev, min(r.seq, expected), why), rows
        if r.prev_hash != prev:
            return Verification(False, n, prev, r.seq, "its previous-hash link does not "
                                "match the record before it (a record was inserted, "
                                "deleted or replaced)"), rows
        if record_hash(r) != r.hash:
            return Verification(False, n, prev, r.seq, "its content was edited (its hash "
                                "no longer matches)"), rows
        prev, expected = r.hash, expected + 1
        rows.append(r)
    n = len(rows)
    head = s.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None:
        return Verification(False, n, prev, n + 1, "the head row (table audit_head) is "
                            "missing: the database was altered outside the application"), rows
    if head.seq != n or head.hash != prev:
        return Verification(False, n, prev, n + 1 if head.seq > n else head.seq,
                            f"the log ends at record {n} but its head says {head.seq}: "
                            "the last record(s) were deleted or the head was altered"), rows
    return None, rows


def _anchor(recs: list[AuditRecord], expect_head: str | None,
            expect_count: int | None) -> tuple[bool, str]:
    """Compare the chain with a head filed elsewhere (the only defence against a log that was
    truncated, wiped or rebuilt consistently: the database alone cannot tell)."""
    n = len(recs)
    if expect_count is not None and n < expect_count:
        return False, (f"the log has {n} record(s) but {expect_count} were filed: "
                       f"record(s) {n + 1} to {expect_count} are gone (truncated or wiped log)")
    if expect_head is None:
        if expect_count is not None:
            return True, f"at least the {expect_count} filed record(s) are present"
        return True, ""
    want = expect_head.strip().lower()
    at = next((r.seq for r in recs if r.hash == want), None)
    if at is None:
        last = recs[-1].hash if recs else GENESIS
        return False, (f"the filed head {want} is not a record of this log (it has {n} "
                       f"record(s), head {last}): the log was truncated, wiped or rewritten")
    if expect_count is not None and at != expect_count:
        return False, (f"the filed head is record {at} of this log, not record "
                       f"{expect_count} as filed: the log was rewritten")
    later = n - at
    return True, (f"the filed head is record {at}" + (f"; {later} record(s) added since"
                                                     if later else ", the last one"))


def verify(store: Store, expect_head: str | None = None,
           expect_count: int | None = None) -> Verification:
    """Check the chain, then the chain against a filed head, then the data against the chain.

    The chain first (an edited, inserted or deleted record), then ``expect_head`` /
    ``expect_count`` (what a committee filed with its award report: a truncated or wiped log
    is told only by them), then every committee row against the state the log's row digests
    imply (``ledger``)."""
    with store.read() as s:
        broken, recs = _chain(s)
        if broken is not None:
            return broken
        n, head = len(recs), (recs[-1].hash if recs else GENESIS)
        ok, anchor = _anchor(recs, expect_head, expect_count)
        if not ok:  # the root cause: what the data check would find follows from it
            return Verification(False, n, head, None, anchor)
        replay: dict[tuple[str, int], tuple[ledger.RowDigests, int]] = {}
        legacy = [r.seq for r in recs if r.rows_json is None]
        if legacy and any(r.action == BASELINE and r.seq > legacy[-1] for r in recs):
            legacy = []  # a baseline after them vouches for their rows from then on
        for r in recs:
            if r.rows_json is not None:
                ledger.apply(replay, json.loads(r.rows_json), r.seq)
        diff, nrows = ledger.compare(s, replay)
    if diff is not None:
        why = (f"records {legacy[0]} to {legacy[-1]} predate row digests (schema 0001): the "
               "rows they wrote cannot be vouched for" if legacy else "")
        return Verification(False, n, head, diff.seq, why, nrows, diff)
    return Verification(True, n, head, None, "", nrows, anchor=anchor)

@dataclass(frozen=True)
class LogRow:
    """One record as a member reads it: its detail withheld when it is about a bidder the
    member declared a conflict with (the rule of ``access.without_conflicts``)."""

    seq: int
    at: str
    who: str  # the actor, labelled "(not authenticated)" in local mode
    action: str
    detail: str  # canonical JSON, or why it is withheld
    hash: str


def member_records(store: Store, who: Person, tender_id: int) -> list[LogRow]:
    """A tender's log for one of its members (any role, auditors included); anyone else is
    refused. Why not open to all: the log names every member, bidder, declaration and reading
    (issue 18: the Audit page showed it to anyone who typed no name)."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        if member(s, t, who) is None:
            raise PermissionDenied(_("{label} is not a member or auditor of tender "
                                     "{tender_id}: its audit log is for its members and "
                                     "auditors").format(
                                       label=who.label, tender_id=tender_id))
        hidden = conflicts(s, t, who.name)
    out = []
    for r in records(store, tender_id):
        detail = json.loads(r.detail_json)
        about = detail.get("offer") if isinstance(detail, dict) else None
        text = (f"withheld: about {about}, a bidder {who.label} declared a conflict of "
                "interest with" if about in hidden else
                json.dumps(detail, ensure_ascii=False, sort_keys=True))
        out.append(LogRow(r.seq, r.at, r.actor + ("" if r.authenticated else
                                                  " (not authenticated)"),
                          r.action, text, r.hash))
    return out


def records(store: Store, tender_id: int | None = None) -> list[AuditRecord]:
    """The log (of one tender, or all of it), oldest first."""
    with store.read() as s:
        q = select(AuditRecord).order_by(AuditRecord.seq)
        if tender_id is not None:
            q = q.where(AuditRecord.tender_id == tender_id)
        return list(s.execute(q).scalars())
