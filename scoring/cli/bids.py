"""``hostwise bid attach | documents``: attach a document received with a bid, list a tender's
bid documents.

Who attaches: the one who recorded the bid (``bids.submit_bid``). The app records bids as
``bid desk`` (``ui/components/tender_panel.py``), so a document for a bid received there is
attached ``--as "bid desk"``; the service refuses anyone else, a committee member, a tender
no longer receiving bids and a hostile or oversized file (``scoring.io.doc_guard``), each
refusal naming the file, the bid and what is wrong (exit 2). The file's size is checked before
its bytes are read. ``--db`` defaults to the embedded database (``HOSTWISE_DB_URL`` or the
SQLite file in ``HOSTWISE_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..errors import HostwiseError
from ..text import printable


def register(sub: Any) -> None:
    b = sub.add_parser("bid", help="committee workspace: documents of a bid")
    bsub = b.add_subparsers(dest="bid_command", required=True)
    a = bsub.add_parser("attach", help="attach a PDF, DOCX or XLSX received with a bid "
                                       "(before the bids are sealed)")
    a.add_argument("tender", type=int)
    a.add_argument("offer", help="the bid's offer id")
    a.add_argument("file", help="the document (PDF, DOCX or XLSX)")
    a.add_argument("--as", dest="person", required=True,
                   help='who recorded the bid (the app records bids as "bid desk")')
    a.add_argument("--db", help="database URL (default: the embedded database)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_attach)
    ls = bsub.add_parser("documents", help="list a tender's bid documents (name, size, sealed "
                                           "SHA-256; never their content)")
    ls.add_argument("tender", type=int)
    ls.add_argument("--as", dest="person", required=True, help="your name")
    ls.add_argument("--db", help="database URL (default: the embedded database)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_documents)


def _read(path: str, limit: int) -> bytes:
    """The file's bytes, its size checked first (a 5 GB file is never read)."""
    p = Path(path)
    if not p.is_file():
        raise HostwiseError(f"{path}: no such file")
    size = p.stat().st_size
    if size > limit:
        raise HostwiseError(f"{path}: the file is {size:,} bytes; the limit is {limit:,}")
    return p.read_bytes()


def cmd_attach(args: argparse.Namespace) -> int:
    from ..committee import Person, Store, default_url, documents

    data = _read(args.file, documents.MAX_DOC_BYTES)
    store = Store(args.db or default_url())
    try:
        d = documents.attach(store, Person(args.person), args.tender, args.offer,
                             Path(args.file).name, data)
    finally:
        store.dispose()
    if args.json:
        print(json.dumps({"id": d.id, "offer": d.offer_id, "name": d.filename, "size": d.size,
                          "sha256": d.sha256}, indent=2, ensure_ascii=False))
    else:
        print(f"attached {printable(d.filename)} to bid {printable(d.offer_id)}, sealed: "
              f"{d.size:,} bytes, salted SHA-256 {d.sha256}")
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from ..committee import Person, Store, default_url, documents

    store = Store(args.db or default_url(), read_only=True)
    try:
        docs = documents.listing(store, Person(args.person), args.tender)
    finally:
        store.dispose()
    if args.json:
        print(json.dumps([{"id": d.id, "offer": d.offer_id, "name": d.filename,
                           "size": d.size, "sha256": d.sha256, "salt": d.salt} for d in docs],
                         indent=2, ensure_ascii=False))
        return 0
    for d in docs:
        print(f"{d.id}\t{printable(d.offer_id)}\t{printable(d.filename)}\t{d.size:,} bytes\t"
              f"{d.sha256}" + (f"\tsalt {d.salt}" if d.salt else "\t(sealed)"))
    if not docs:
        print("no document")
    return 0
