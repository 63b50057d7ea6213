"""One questionnaire file: bytes -> a validated, frozen ``Offer``, or every problem at once.

Every problem of a file is collected before anything is raised (bad-inputs.md: "all problems of
a file at once"), each naming file, vendor, question (or field path) and what to do. Unknown is a
first-class answer, distinct from "no" (design.md). Answers and prices are read in ``answers``;
single values in ``values``; the YAML itself by the strict reader ``yamlsafe``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from ..errors import QuestionnaireError
from ..i18n import N_
from ..messages import Msg
from ..models import Catalogue, Offer, PartialDate, Source
from .answers import FileFacts, read_answers, read_prices
from .files import canonical_sha256
from .identity import identity_problem
from .text import Collector, TextRules, text_problems
from .values import parse_partial_date, show
from .yamlsafe import YamlReadError, load_yaml

MAX_FILE_BYTES = 1_048_576  # 1 MiB: the largest bundled questionnaire is ~10 KiB
MAX_FILES = 500
MAX_SOURCES = 500

TOP_FIELDS = {
    "schema", "vendor", "offer", "era", "as_of", "compiled_on", "currencies", "sources",
    "answers", "prices",
}
REQUIRED_TOP = ("schema", "vendor", "offer", "era", "as_of", "currencies", "sources", "answers")
SOURCE_FIELDS = {"title", "url", "date", "note"}
ID_RULES = TextRules(allow_newlines=False, check_scripts=True, max_len=100)
NAME_RULES = TextRules(allow_newlines=False, check_scripts=True, max_len=300)
NOTE_RULES = TextRules(allow_newlines=True)
ERA = re.compile(r"[0-9]{4}")  # ASCII digits only: "２０２６" or "2026 " are not an era



def _walk_strings(obj: Any, path: str) -> Iterable[tuple[str, str]]:
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            kp = f"{path}.{k}" if path else str(k)
            if isinstance(k, str):
                yield f"{kp} (key)", k
            yield from _walk_strings(v, kp)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk_strings(v, f"{path}[{i}]")


def parse_questionnaire(
    data: bytes, file: str = "<upload>", catalogue: Catalogue | None = None
) -> Offer:
    """Parse one questionnaire from bytes; raise ``QuestionnaireError`` with every problem.

    Next: ``scoring.engine.utilities.answer_utility`` turns each answer into 0-100.
    """
    cat = catalogue or _bundled_catalogue()
    col = Collector(file)
    sha = canonical_sha256(data)
    try:
        doc = load_yaml(data, MAX_FILE_BYTES)
    except YamlReadError as exc:
        for loc, msg in exc.problems:
            col.add(loc, msg)
        raise QuestionnaireError(col.items) from None
    if doc is None:
        col.add("file", Msg(N_("file holds no data (only comments or blank lines)")))
        raise QuestionnaireError(col.items)
    if not isinstance(doc, dict):
        col.add("file", Msg(N_("expected a mapping of fields (vendor, offer, answers...), got "
                               "{doc}: this does not look like a questionnaire"),
                            doc=_kind(doc)))
        raise QuestionnaireError(col.items)

    vendor = doc.get("vendor")
    if isinstance(vendor, dict) and isinstance(vendor.get("id"), str):
        col.vendor = vendor["id"]

    for path, s in _walk_strings(doc, ""):
        rules = NOTE_RULES
        if path in ("vendor.id", "offer.id", "vendor.group") or path.endswith("(key)"):
            rules = ID_RULES
        elif path in ("vendor.name", "offer.name", "offer.product_line") or path.endswith(
                ".other_product"):
            rules = NAME_RULES
        for msg in text_problems(s, rules):
            col.add(path, msg)

    for key in doc:
        if key not in TOP_FIELDS:
            col.add(str(key), Msg(N_("unknown field (allowed: {top_fields})"),
                                  top_fields=', '.join(sorted(TOP_FIELDS))))
    for key in REQUIRED_TOP:
        if key not in doc:
            col.add(key, Msg(N_("required field is missing")))
    schema = doc.get("schema", 1)
    if isinstance(schema, bool) or schema != 1:
        col.add("schema", Msg(N_("unsupported schema version {value} (expected 1)"),
                              value=show(doc.get('schema'))))

    ident = _identity(doc, col)
    as_of_p = _date_field(doc, "as_of", col)
    compiled_p = _date_field(doc, "compiled_on", col)
    if as_of_p and compiled_p and compiled_p.last() < as_of_p.first():
        col.add("compiled_on", Msg(N_("compiled_on {compiled_p} is before as_of {as_of_p}"),
                                   compiled_p=compiled_p, as_of_p=as_of_p))
    # The conservative days (models.Offer): the last of each period, and the answers cannot
    # describe a day after the file was compiled.
    compiled = compiled_p.last() if compiled_p else None
    as_of = min(as_of_p.last(), compiled or dt.date.max) if as_of_p else None
    currencies = _currencies(doc.get("currencies"), col)
    latest = (compiled_p, compiled) if compiled_p else (as_of_p, as_of)
    sources = _sources(doc.get("sources"), col, latest)
    facts = FileFacts(sources, as_of, str(as_of_p) if as_of_p else None,
                      ident["product_line"] if ident else None)
    answers = read_answers(doc.get("answers"), cat, facts, col)
    prices = read_prices(doc.get("prices", []), cat, facts, currencies, col)

    if col.items or ident is None or as_of is None:
        if not col.items:
            col.add("file", Msg(N_("could not read the vendor identity")))
        raise QuestionnaireError(col.items)
    return Offer(
        **ident,
        as_of=as_of,
        as_of_text=str(as_of_p),
        compiled_on=compiled,
        compiled_on_text=str(compiled_p) if compiled_p else None,
        currencies=tuple(currencies),
        sources=sources,
        answers=answers,
        prices=tuple(prices),
        file=file,
        sha256=sha,
    )


def _kind(doc: Any) -> str:
    """What a non-mapping document is, without quoting it: the file may be anything a link or a
    typo pointed at (``/etc/passwd``), and its content must not end up in an error message."""
    if isinstance(doc, str):
        lines = doc.count("\n") + 1
        return f"the text ({len(doc):,} characters on {lines:,} line(s), not shown)"
    if isinstance(doc, list):
        return f"a list of {len(doc):,} item(s)"
    return show(doc)


def _identity(doc: dict[str, Any], col: Collector) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for block, fields, optional in (
        ("vendor", ("id", "name", "group"), ("group",)),
        ("offer", ("id", "name", "product_line"), ("product_line",)),
    ):
        raw = doc.get(block)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            col.add(block, Msg(N_("expected a mapping with {fields}, got {value}"),
                               fields=', '.join(fields), value=show(raw)))
            continue
        for k in raw:
            if k not in fields:
                col.add(f"{block}.{k}", Msg(N_("unknown field (allowed: {fields})"),
                                            fields=', '.join(fields)))
        for f in fields:
            v = raw.get(f)
            if v is None and f in optional:
                continue
            if not isinstance(v, str) or not v.strip():
                col.add(f"{block}.{f}", Msg(N_("required text is missing or not text ({v})"),
                                            v=show(v)))
                continue
            problem = identity_problem(f"{block}.{f}", v)  # the Excel path's rule
            if problem is not None:
                col.add(f"{block}.{f}", problem)
            else:
                out[f"{block}_{f}"] = v
    era = doc.get("era")
    if "era" in doc and not isinstance(era, str):
        col.add("era", Msg(N_("expected the era as quoted text such as \"2019\", got {era}"),
                           era=show(era)))
    elif isinstance(era, str):
        if not ERA.fullmatch(era):
            col.add("era", Msg(N_("expected a year such as \"2026\", got {era} (no spaces, "
                                  "plain digits)"),
                               era=show(era)))
        else:
            out["era"] = era
    needed = ("vendor_id", "vendor_name", "offer_id", "offer_name", "era")
    if not all(k in out for k in needed):
        return None
    return {
        "vendor_id": out["vendor_id"],
        "vendor_name": out["vendor_name"],
        "group": out.get("vendor_group", out["vendor_id"]),
        "offer_id": out["offer_id"],
        "offer_name": out["offer_name"],
        "product_line": out.get("offer_product_line", out["offer_name"]),
        "era": out["era"],
    }


def _date_field(doc: dict[str, Any], key: str, col: Collector) -> PartialDate | None:
    if key not in doc:
        return None
    try:
        return parse_partial_date(doc[key])
    except ValueError as exc:
        col.add(key, str(exc))
        return None


def _currencies(raw: Any, col: Collector) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        col.add("currencies", Msg(N_("expected a list of ISO 4217 codes such as [EUR, USD]")))
        return []
    out = []
    for c in raw:
        if len(c) != 3 or not c.isalpha() or not c.isupper():
            col.add("currencies", Msg(N_("{c!r} is not an ISO 4217 currency code (e.g. EUR)"),
                                      c=c))
        else:
            out.append(c)
    return out


def _sources(raw: Any, col: Collector, latest: tuple[PartialDate | None, dt.date | None]
             ) -> dict[str, Source]:
    """Sources by id. A date is a year, month or day, or ``undated``; one surely after the
    compilation date (``latest``: as written, and its day) is refused; the day kept is the last
    of the period, no later than the compilation (a publication cited cannot postdate it)."""
    latest_p, latest_day = latest
    out: dict[str, Source] = {}
    if raw is None:
        return out
    if not isinstance(raw, dict):
        col.add("sources", Msg(N_("expected a mapping of source ids, got {value}"),
                               value=show(raw)))
        return out
    if len(raw) > MAX_SOURCES:
        col.add("sources", Msg(N_("{n} sources; the limit is {max_sources}"),
                               n=len(raw), max_sources=MAX_SOURCES))
        return out
    for sid, s in raw.items():
        where = f"sources.{sid}"
        if not isinstance(sid, str):
            col.add(where, Msg(N_("a source id must be text")))
            continue
        if not isinstance(s, dict):
            col.add(where, Msg(N_("expected a mapping with title and date, got {s}"), s=show(s)))
            continue
        for k in s:
            if k not in SOURCE_FIELDS:
                allowed = ", ".join(sorted(SOURCE_FIELDS))
                col.add(f"{where}.{k}", Msg(N_("unknown field (allowed: {allowed})"),
                                            allowed=allowed))
        title = s.get("title")
        if not isinstance(title, str) or not title.strip():
            col.add(f"{where}.title", Msg(N_("a source needs a title")))
            continue
        if "date" not in s:
            col.add(f"{where}.date", Msg(N_("a source needs a date (publication or "
                                            "retrieval), or the word undated")))
            continue
        date: dt.date | None = None
        date_text: str | None = None
        if s["date"] != "undated":
            try:
                period = parse_partial_date(s["date"])
            except ValueError as exc:
                col.add(f"{where}.date", Msg(N_("{error}; or write `undated`"), error=exc))
                continue
            date, date_text = period.last(), str(period)
            if latest_day and period.first() > latest_day:
                col.add(f"{where}.date", Msg(N_("source dated {period}, after the file's "
                                                "compilation date {latest_p}"),
                                             period=period, latest_p=latest_p))
            elif latest_day:
                date = min(date, latest_day)
        url = s.get("url")
        if url is not None and not isinstance(url, str):
            col.add(f"{where}.url", Msg(N_("url must be text")))
            continue
        note = s.get("note")
        out[sid] = Source(id=sid, title=title, url=url, date=date, date_text=date_text,
                          note=note if isinstance(note, str) else None)
    return out


def _bundled_catalogue() -> Catalogue:
    from .catalogue import load_catalogue

    return load_catalogue()
