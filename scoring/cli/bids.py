"""``hostwise bid attach | documents``: attach a document received with a bid, list a tender's
bid documents.

Who acts: on a shared store (PostgreSQL, or ``HOSTWISE_REQUIRE_LOGIN=1``: the rule of
``membership.login_required``) the command line is the server's operator, "operator (command
line): <OS user>", the one road ``hostwise audit report`` takes (``committee.operator``):
whoever runs it reaches the database, so it cannot vouch for a member's name, and a typed
``--as`` is refused there (exit 2, saying why). The bid desk's rule (``committee.desk``) lets
the operator attach a bid's documents, and the audit record names the operator and the bidder.
In local mode (an SQLite file on a laptop) ``--as NAME`` stays: the name typed at the keyboard,
"not authenticated", as in the app; a document for a bid the app recorded there is attached
``--as "bid desk"`` (in local mode only the one who recorded a bid attaches its documents);
without ``--as`` the operator acts. The service refuses a committee member, a tender no longer
receiving bids and a hostile or oversized file (``scoring.io.doc_guard``), each refusal naming
the file, the bid and what is wrong (exit 2). The file's size is checked before its bytes are
read. ``--db`` defaults to the embedded database (``HOSTWISE_DB_URL`` or the SQLite file in
``HOSTWISE_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..errors import HostwiseError
from ..i18n import _, format_number
from ..text import printable
from .committee import db_option


def register(sub: Any) -> None:
    b = sub.add_parser("bid", help=_("committee workspace: documents of a bid"),
                       description=_("committee workspace: documents of a bid"))
    bsub = b.add_subparsers(dest="bid_command", required=True, metavar=_("COMMAND"))
    attach_help = _("attach a PDF, DOCX or XLSX received with a bid (before the bids are "
                    "sealed)")
    a = bsub.add_parser("attach", help=attach_help, description=attach_help)
    _tender_argument(a)
    a.add_argument("offer", metavar=_("offer"), help=_("the bid's offer id"))
    a.add_argument("file", metavar=_("file"), help=_("the document (PDF, DOCX or XLSX)"))
    a.add_argument("--as", dest="person", metavar=_("NAME"),
                   help=_('local mode only: who recorded the bid (the app records bids there '
                          'as "bid desk"); by default and on a shared store, the server\'s '
                          'operator acts'))
    db_option(a)
    _json_option(a)
    a.set_defaults(func=cmd_attach)
    list_help = _("list a tender's bid documents (name, size, sealed SHA-256; never their "
                  "content)")
    ls = bsub.add_parser("documents", help=list_help, description=list_help)
    _tender_argument(ls)
    ls.add_argument("--as", dest="person", metavar=_("NAME"),
                    help=_("local mode only: your name; by default and on a shared store, the "
                           "server's operator acts"))
    db_option(ls)
    _json_option(ls)
    ls.set_defaults(func=cmd_documents)


def _tender_argument(parser: Any) -> None:
    parser.add_argument("tender", type=int, metavar=_("tender"),
                        help=_("the tender's number (as shown in the application)"))


def _json_option(parser: Any) -> None:
    parser.add_argument("--json", action="store_true",
                        help=_("machine-readable output"))


def _read(path: str, limit: int) -> bytes:
    """The file's bytes, its size checked first (a 5 GB file is never read)."""
    p = Path(path)
    if not p.is_file():
        raise HostwiseError(_("{path}: no such file").format(path=path))
    size = p.stat().st_size
    if size > limit:
        raise HostwiseError(_("{path}: the file is {size} bytes; the limit is {limit}").format(
            path=path, size=format_number(size, 0), limit=format_number(limit, 0)))
    return p.read_bytes()


def acting(store: Any, typed: str | None) -> Any:
    """Who acts on this store: the server's operator (``committee.operator``, the one road of
    the command line), or in local mode the name typed with ``--as``; a typed name on a shared
    store is refused, saying why (exit 2)."""
    from ..committee import Person, desk
    from .committee import operator

    if typed is None:
        return operator()
    if desk.shared(store):
        raise HostwiseError(_(
            "--as is refused on a shared store (PostgreSQL or {var}=1): there identity comes "
            "from log-in, never from a typed name, and the command line acts as the server's "
            "operator ({who}); leave out --as").format(var="HOSTWISE_REQUIRE_LOGIN",
                                                       who=operator().name))
    return Person(typed)


def cmd_attach(args: argparse.Namespace) -> int:
    from ..committee import Store, default_url, documents

    data = _read(args.file, documents.MAX_DOC_BYTES)
    store = Store(args.db or default_url())
    try:
        who = acting(store, args.person)
        d = documents.attach(store, who, args.tender, args.offer, Path(args.file).name, data)
    finally:
        store.dispose()
    if args.json:
        print(json.dumps({"id": d.id, "offer": d.offer_id, "name": d.filename, "size": d.size,
                          "sha256": d.sha256, "attached_by": who.name}, indent=2,
                         ensure_ascii=False))
    else:
        print(_("attached {name} to bid {offer}, sealed: {size} bytes, salted SHA-256 {sha}; "
                "recorded in the audit log as attached by {who}").format(
            name=printable(d.filename), offer=printable(d.offer_id),
            size=format_number(d.size, 0), sha=d.sha256, who=printable(who.label)))
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from ..committee import Store, default_url, documents

    store = Store(args.db or default_url(), read_only=True)
    try:
        docs = documents.listing(store, acting(store, args.person), args.tender)
    finally:
        store.dispose()
    if args.json:
        print(json.dumps([{"id": d.id, "offer": d.offer_id, "name": d.filename,
                           "size": d.size, "sha256": d.sha256, "salt": d.salt} for d in docs],
                         indent=2, ensure_ascii=False))
        return 0
    for d in docs:
        size = _("{size} bytes").format(size=format_number(d.size, 0))
        print(f"{d.id}\t{printable(d.offer_id)}\t{printable(d.filename)}\t{size}\t{d.sha256}"
              + ("\t" + _("salt {salt}").format(salt=d.salt) if d.salt else
                 "\t" + _("(sealed)")))
    if not docs:
        print(_("no document"))
    return 0
