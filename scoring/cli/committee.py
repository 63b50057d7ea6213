"""``hostwise audit verify | report``: check the committee's audit chain, print the award report.

``verify`` exits 0 when the chain holds and 2 naming the first broken record (edited, inserted
or deleted); ``--db`` defaults to the embedded database (``HOSTWISE_DB_URL`` or the SQLite file
in ``HOSTWISE_DATA_DIR``). A database that cannot be opened is an error in plain words (exit 2).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..errors import HostwiseError


def register(sub: Any) -> None:
    a = sub.add_parser("audit", help="committee workspace: verify the audit log, award report")
    asub = a.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="check the hash chain of the audit log (exit 2 if broken)")
    v.add_argument("--db", help="database URL (default: the embedded database)")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_verify)
    r = asub.add_parser("report", help="write a tender's award report (md, docx or pdf)")
    r.add_argument("tender", type=int)
    r.add_argument("--as", dest="person", required=True, help="your name (chair or observer)")
    r.add_argument("--format", choices=["md", "docx", "pdf"], default="md")
    r.add_argument("--out", help="output file (default: Markdown on stdout)")
    r.add_argument("--db", help="database URL (default: the embedded database)")
    r.set_defaults(func=cmd_report)


def _store(url: str | None) -> Any:
    from sqlalchemy.exc import SQLAlchemyError

    from ..committee import Store, default_url

    url = url or default_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise HostwiseError(f"no committee database at {url.removeprefix('sqlite:///')}")
    try:
        return Store(url)
    except SQLAlchemyError as exc:
        raise HostwiseError(f"cannot open the committee database {url}: "
                            f"{str(exc).splitlines()[0]}") from None


def cmd_verify(args: argparse.Namespace) -> int:
    from ..committee import audit

    v = audit.verify(_store(args.db))
    if args.json:
        print(json.dumps({"ok": v.ok, "records": v.records, "head": v.head,
                          "broken_record": v.broken_seq, "reason": v.reason}, indent=2))
    else:
        print(v.text())
    return 0 if v.ok else 2


def cmd_report(args: argparse.Namespace) -> int:
    from ..committee import Person, report

    store, who = _store(args.db), Person(args.person)
    if args.format == "md":
        text = report.award_markdown(store, who, args.tender)
        if not args.out:
            print(text)
            return 0
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        data = (report.award_docx if args.format == "docx" else report.award_pdf)(
            store, who, args.tender)
        if not args.out:
            raise HostwiseError(f"--out FILE is needed for {args.format}")
        Path(args.out).write_bytes(data)
    print(f"wrote {args.out}")
    return 0
