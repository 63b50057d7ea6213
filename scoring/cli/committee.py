"""``hostwise audit verify | head | report``: check the committee's audit log against the data
and a filed head, print the head to file, print the award report.

``verify`` exits 0 when the chain holds and vouches for every committee row, and 2 naming the
first broken record or the first row (table, key, field) changed outside the application, or
when the log does not reach a head filed earlier (``--expect-head``, ``--expect-count``: the
only way to notice a truncated or wiped log, which the database alone cannot tell). ``head``
prints the head to file elsewhere (the award report prints it too).

``verify`` and ``head`` only read: the database is opened read-only (SQLite ``mode=ro``, so an
archive on read-only media works; PostgreSQL read-only transactions), never migrated, and one
that is not a Hostwise store, or of a newer schema, is refused (exit 2).

``report`` is the server's operator exporting a tender's award report, not a committee member:
whoever runs it can reach the database, so it cannot vouch for a member's name (an earlier
``--as <chair>`` let anyone produce "the chair's report"). It acts as "operator (command line):
<OS user>", says so in the report (with every bidder: the operator is no member and declared
no conflict) and writes an audit record "report.exported" by the operator before rendering, so
the export is in the log and in the report's own head. Writing that record needs a writable
database (migrated to this program's schema first, like opening it in the application): an
archive on read-only media is refused with exit 2 (``verify`` and ``head`` still work on it;
export the report before archiving, or from a writable copy). A member's own report, with
their conflicts withheld, is on the Audit page. ``--db`` defaults to the embedded database
(``HOSTWISE_DB_URL`` or the SQLite file in ``HOSTWISE_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from typing import Any

from ..errors import HostwiseError
from ..i18n import _

HEAD = re.compile(r"[0-9a-fA-F]{64}")


def _head_arg(value: str) -> str:
    if not HEAD.fullmatch(value.strip()):
        raise argparse.ArgumentTypeError(_("a head is the 64 hexadecimal digits printed by "
                                           "`hostwise audit head`"))
    return value.strip().lower()


def _count_arg(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(_("{value} is not a record count (0 or more)").format(
            value=repr(value)))
    return n


def register(sub: Any) -> None:
    a = sub.add_parser("audit", help=_("committee workspace: verify the audit log, award "
                                       "report"))
    asub = a.add_subparsers(dest="audit_command", required=True, metavar=_("COMMAND"))
    v = asub.add_parser("verify", help=_("check the audit log and every committee row against "
                                         "it (exit 2 if anything does not hold)"))
    db_option(v)
    v.add_argument("--expect-head", type=_head_arg, metavar=_("HASH"),
                   help=_("the head filed earlier (hostwise audit head, the award report): the "
                          "log must still contain it"))
    v.add_argument("--expect-count", type=_count_arg, metavar="N",
                   help=_("the record count filed earlier: the log must have at least N "
                          "records (and, with --expect-head, the head as its record N)"))
    v.add_argument("--json", action="store_true", help=_("machine-readable output"))
    v.set_defaults(func=cmd_verify)
    h = asub.add_parser("head", help=_("print the audit log's head (record and hash) to file "
                                       "elsewhere"))
    db_option(h)
    h.add_argument("--json", action="store_true", help=_("machine-readable output"))
    h.set_defaults(func=cmd_head)
    r = asub.add_parser("report", help=_("export a tender's award report (md, docx or pdf) as "
                                         "the server's operator (recorded in the audit log)"))
    r.add_argument("tender", type=int, metavar=_("tender"),
                   help=_("the tender's number (as shown in the application)"))
    r.add_argument("--format", choices=["md", "docx", "pdf"], default="md",
                   help=_("the report's format (default md)"))
    r.add_argument("--lang", choices=["en", "fr"],
                   help=_("the committee's language (default: HOSTWISE_LANG, else English)"))
    r.add_argument("-o", "--out", metavar=_("FILE"),
                   help=_("output file (default: Markdown on stdout)"))
    db_option(r)
    r.set_defaults(func=cmd_report)


def db_option(parser: Any) -> None:
    parser.add_argument("--db", metavar=_("URL"),
                        help=_("database URL (default: the embedded database)"))


def _store(url: str | None) -> Any:
    """The committee database, read-only (``Store`` refuses a foreign or newer one)."""
    from ..committee import Store, default_url

    return Store(url or default_url(), read_only=True)


def _json(v: Any) -> dict[str, Any]:
    d = v.difference
    return {"ok": v.ok, "records": v.records, "head": v.head, "rows": v.rows,
            "broken_record": v.broken_seq, "reason": v.reason, "anchor": v.anchor,
            "difference": None if d is None else {"table": d.table, "row": d.row,
                                                  "field": d.field, "last_record": d.seq,
                                                  "what": d.what}}


def verification_text(v: Any) -> str:
    """``Verification.text()`` in the run's language: the frame and the places in words, the
    reasons as the audit module states them (they are English; ``--json`` keeps them)."""
    head = _("record {n}, hash {head}").format(n=v.records, head=v.head)
    if v.ok:
        return (_("audit chain holds and vouches for every committee row: {records} "
                  "record(s), {rows} row(s); head {head}").format(
            records=v.records, rows=v.rows, head=head)
            + (f"; {v.anchor}" if v.anchor else ""))
    if v.difference is not None:
        d = v.difference
        where = (_("table {table}, row id {row}, field {field}") if d.field else
                 _("table {table}, row id {row}")).format(table=d.table, row=d.row,
                                                          field=d.field)
        if d.seq:
            where += " " + _("(last written by audit record {n})").format(n=d.seq)
        return (_("audit log and data DIFFER at {where}: {what}").format(where=where,
                                                                         what=d.what)
                + (f"; {v.reason}" if v.reason else ""))
    if v.broken_seq is None:
        return _("audit log does NOT match the filed head: {reason}").format(reason=v.reason)
    return _("audit chain BROKEN at record {n}: {reason}").format(n=v.broken_seq,
                                                                   reason=v.reason)


def cmd_verify(args: argparse.Namespace) -> int:
    from ..committee import audit

    store = _store(args.db)
    try:
        v = audit.verify(store, args.expect_head, args.expect_count)
    finally:
        store.dispose()
    print(json.dumps(_json(v), indent=2) if args.json else verification_text(v))
    if v.ok and args.expect_head is None and args.expect_count is None:
        print(_("note: without --expect-head (the head filed with the award report) a "
                "truncated or wiped log cannot be told from a shorter one"), file=sys.stderr)
    return 0 if v.ok else 2


def cmd_head(args: argparse.Namespace) -> int:
    """The head to file, only from a log that verifies (a broken one has no head to vouch)."""
    from ..committee import audit

    store = _store(args.db)
    try:
        v = audit.verify(store)
    finally:
        store.dispose()
    if args.json:
        print(json.dumps({"ok": v.ok, "seq": v.records, "head": v.head,
                          "reason": "" if v.ok else v.text()}, indent=2))
    elif v.ok:
        print(_("audit head: record {n}, hash {head}").format(n=v.records, head=v.head) + "\n"
              + _("check later with: {command}").format(
                  command=f"hostwise audit verify --expect-count {v.records} "
                          f"--expect-head {v.head}"))
    else:
        print(_("no head to file: {why}").format(why=verification_text(v)))
    return 0 if v.ok else 2


def operator() -> Any:
    """Who runs the command line: the server's operator, named by the OS user, never a
    committee member (``identity.operator``: the name is reserved, no member can bear it).
    The one road for every command that acts on a committee store (``audit report``, ``bid``)."""
    from ..committee.identity import operator as the_operator

    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return the_operator(user)


def cmd_report(args: argparse.Namespace) -> int:
    from ..committee import Store, default_url, report
    from ..committee.errors import StoreError
    from .excel import _write, check_output

    if args.format != "md" and not args.out:
        raise HostwiseError(_("--out FILE is needed for {format}").format(format=args.format))
    check_output(args.out)
    url = args.db or default_url()
    hint = _("the report export writes an audit record, so it needs a writable database; "
             "`hostwise audit verify` reads a read-only one")
    try:
        store = Store(url)
    except StoreError as exc:
        raise StoreError(f"{exc} ({hint})") from None
    try:
        data = report.operator_document(store, operator(), args.tender, args.format,
                                          args.lang)
    except StoreError as exc:
        raise StoreError(f"{exc} ({hint})") from None
    finally:
        store.dispose()
    if not args.out:
        print(data.decode())
        return 0
    _write(args.out, data)
    print(_("wrote {path}").format(path=args.out))
    return 0
