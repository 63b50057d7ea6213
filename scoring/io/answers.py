"""Answers and price lines of one questionnaire: each checked against the catalogue, with its
evidence (a cited, defined source; a confidence; dated details within the file's dates).

A known answer must cite a source; a SEAL level must be justified in ``note`` (EU Cloud
Sovereignty Framework, 2025); nothing is guessed (``values.check_value``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from ..models import CONFIDENCES, Answer, Catalogue, Price, Question, Source
from .values import check_value, parse_date, show

if TYPE_CHECKING:
    from .questionnaire import Collector

MAX_ANSWERS = 1_000
MAX_PRICES = 500
ANSWER_FIELDS = {"value", "confidence", "source", "since", "until", "version", "scope", "note"}
PRICE_FIELDS = {"item", "price", "currency", "date", "source", "confidence", "note"}


def source_ids(raw: Any) -> tuple[list[str], str | None]:
    """A source id or a list of ids; an error message for anything else."""
    if raw is None:
        return [], None
    if isinstance(raw, str):
        return [raw], None
    if isinstance(raw, list) and all(isinstance(s, str) for s in raw):
        return list(raw), None
    return [], f"expected a source id or a list of ids, got {show(raw)}"


def read_answers(
    raw: Any,
    cat: Catalogue,
    sources: dict[str, Source],
    as_of: dt.date | None,
    col: Collector,
) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        col.add("answers", f"expected a mapping of question id to answer, got {show(raw)}")
        return out
    if len(raw) > MAX_ANSWERS:
        col.add("answers", f"{len(raw)} answers; the limit is {MAX_ANSWERS}")
        return out
    known_ids = set(cat.ids)
    for qid, a in raw.items():
        if not isinstance(qid, str) or qid not in known_ids:
            col.add(str(qid), "unknown question id (see data/questions.yaml or "
                    "`hostwise questions`)")
            continue
        ans = _answer(cat.question(qid), a, sources, as_of, col)
        if ans is not None:
            out[qid] = ans
    for q in cat.questions:
        if q.required and q.id not in raw:
            col.add(q.id, "required answer is missing (write `unknown` if it is not known)")
    return out


def _answer(
    q: Question,
    a: Any,
    sources: dict[str, Source],
    as_of: dt.date | None,
    col: Collector,
) -> Answer | None:
    if a == "unknown" or a is None:
        return Answer(question=q.id, confidence="unknown")
    if not isinstance(a, dict):
        col.add(q.id, "expected {value: ..., source: ..., confidence: ...} or the word unknown, "
                f"got {show(a)}")
        return None
    ok = True
    for k in a:
        if k not in ANSWER_FIELDS:
            col.add(q.id, f"unknown field {k!r} (allowed: {', '.join(sorted(ANSWER_FIELDS))})")
            ok = False
        elif k in ("since", "until", "version", "scope") and k not in q.details:
            allowed = ", ".join(q.details) or "none"
            col.add(q.id, f"detail {k!r} does not apply to this question (allowed: {allowed})")
            ok = False
    conf = a.get("confidence")
    if conf not in CONFIDENCES:
        col.add(q.id, f"confidence must be one of {', '.join(CONFIDENCES)}, got {show(conf)}")
        return None
    value = a.get("value")
    if conf == "unknown":
        if value is not None:
            col.add(q.id, "confidence is unknown but a value is given: remove the value or "
                    "give the confidence")
            return None
        return Answer(question=q.id, confidence="unknown", note=_opt_str(a.get("note")))
    if value is None:
        col.add(q.id, f"no value for a {conf} answer (write `unknown` if it is not known)")
        return None
    typed, problem = check_value(q, value)
    if problem:
        col.add(q.id, problem)
        ok = False
    ids, perr = source_ids(a.get("source"))
    if perr:
        col.add(q.id, perr)
        ok = False
    if not ids and not perr:
        col.add(q.id, "a known answer must cite a source id (or be `unknown`)")
        ok = False
    for sid in ids:
        if sid not in sources:
            col.add(q.id, f"source {sid!r} is cited but not defined under sources")
            ok = False
    if q.type == "level" and not _opt_str(a.get("note")):
        col.add(q.id, "a SEAL level needs a justification in `note`")
        ok = False
    details: dict[str, Any] = {}
    for k in ("since", "until"):
        if a.get(k) is not None:
            try:
                details[k] = parse_date(a[k])
            except ValueError as exc:
                col.add(q.id, f"{k}: {exc}")
                ok = False
    if as_of and details.get("since") and details["since"] > as_of:
        col.add(q.id, f"since {details['since']} is after the file's as_of date {as_of}")
        ok = False
    if details.get("since") and details.get("until") and details["until"] <= details["since"]:
        col.add(q.id, "until must be after since")
        ok = False
    for k in ("version", "scope"):
        if a.get(k) is not None:
            if not isinstance(a[k], str):
                col.add(q.id, f"{k}: expected text in quotes, got {show(a[k])}")
                ok = False
            else:
                details[k] = a[k]
    if not ok:
        return None
    return Answer(question=q.id, value=typed, confidence=conf, sources=tuple(ids),
                  note=_opt_str(a.get("note")), **details)


def _opt_str(v: Any) -> str | None:
    return v if isinstance(v, str) and v.strip() else None


def read_prices(
    raw: Any,
    cat: Catalogue,
    sources: dict[str, Source],
    currencies: list[str],
    as_of: dt.date | None,
    col: Collector,
) -> list[Price]:
    out: list[Price] = []
    if raw is None:
        return out
    if not isinstance(raw, list):
        col.add("prices", f"expected a list of price lines, got {show(raw)}")
        return out
    if len(raw) > MAX_PRICES:
        col.add("prices", f"{len(raw)} price lines; the limit is {MAX_PRICES}")
        return out
    seen: set[str] = set()
    for i, p in enumerate(raw):
        where = f"prices[{i}]"
        if not isinstance(p, dict):
            col.add(where, "expected a mapping (item, price, currency, date, source), "
                    f"got {show(p)}")
            continue
        ok = True
        for k in p:
            if k not in PRICE_FIELDS:
                allowed = ", ".join(sorted(PRICE_FIELDS))
                col.add(f"{where}.{k}", f"unknown field (allowed: {allowed})")
                ok = False
        for k in ("item", "price", "currency", "date", "source", "confidence"):
            if k not in p:
                col.add(f"{where}.{k}", "required field is missing")
                ok = False
        if not ok:
            continue
        item = p["item"]
        if not isinstance(item, str) or item not in cat.price_items:
            col.add(f"{where}.item", f"unknown price item {show(item)} (known: "
                    f"{', '.join(cat.price_items)})")
            ok = False
        elif item in seen:
            col.add(f"{where}.item", f"price item {item!r} is listed twice")
            ok = False
        else:
            seen.add(item)
        price = p["price"]
        if isinstance(price, bool) or not isinstance(price, int | float):
            col.add(f"{where}.price", f"expected a plain number, got {show(price)} "
                    "(no currency sign, no thousands separator, decimal point not comma)")
            ok = False
        elif not math.isfinite(price) or price < 0 or price > 1e12:
            col.add(f"{where}.price", f"price {price!r} must be a finite amount between 0 and 1e12")
            ok = False
        cur = p["currency"]
        if cur not in currencies:
            col.add(f"{where}.currency", f"currency {cur!r} is not declared under currencies")
            ok = False
        try:
            date = parse_date(p["date"])
            if as_of and date > as_of:
                col.add(f"{where}.date", f"price dated {date}, after the file's as_of date {as_of}")
                ok = False
        except ValueError as exc:
            col.add(f"{where}.date", str(exc))
            ok = False
        ids, perr = source_ids(p["source"])
        if perr or not ids:
            col.add(f"{where}.source", perr or "a price must cite a source id")
            ok = False
        for sid in ids:
            if sid not in sources:
                col.add(f"{where}.source", f"source {sid!r} is cited but not defined under sources")
                ok = False
        conf = p["confidence"]
        if conf not in CONFIDENCES or conf == "unknown":
            col.add(f"{where}.confidence", "confidence must be confirmed, recalled, conflicting "
                    f"or secondary, got {show(conf)}")
            ok = False
        if ok:
            out.append(Price(item=item, price=float(price), currency=cur, date=date,
                             sources=tuple(ids), confidence=conf, note=_opt_str(p.get("note"))))
    return out
