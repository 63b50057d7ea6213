"""Answers and price lines of one questionnaire: each checked against the catalogue, with its
evidence (a cited, defined source; a confidence; dated details within the file's dates).

A known answer must cite a source, except a ``recalled`` one (a value no publication states,
issue 10: it says so on screen, ``Answer.unsourced``); a SEAL level must be justified in
``note`` (EU Cloud Sovereignty Framework, 2025); nothing is guessed (``values.check_value``).

Dates keep their precision (issue 10, concept 5): ``since``, ``until`` and a price's ``date`` may
be a year, a month or a day; a check refuses only what is *surely* wrong whatever day of the
period is meant, and the day kept for computing is the conservative one (``models.Answer``).
An answer or price marked ``other_product`` comes from another product line of the vendor
(issue 10, concept 2): checked like any other, kept, never scored.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from ..i18n import N_
from ..messages import Msg
from ..models import CONFIDENCES, Answer, Catalogue, Price, Question, Source
from .identity import fold
from .text import Collector
from .values import check_value, parse_partial_date, show

MAX_ANSWERS = 1_000
MAX_PRICES = 500
ANSWER_FIELDS = {"value", "confidence", "source", "since", "until", "version", "scope",
                 "other_product", "note"}
PRICE_FIELDS = {"item", "price", "currency", "date", "source", "confidence", "other_product",
                "note"}


@dataclass(frozen=True)
class FileFacts:
    """What the answers of one file are checked against: its sources, its ``as_of`` (the day
    kept for computing, and the text as written) and its product line (None when the file's
    own fields could not be read: checks that need them are then skipped, the file is refused
    anyway)."""

    sources: dict[str, Source]
    as_of: dt.date | None = None
    as_of_text: str | None = None
    product_line: str | None = None


def other_product_problem(raw: Any, facts: FileFacts) -> tuple[str | None, str | None]:
    """(the other product line, a problem): the name must be text, not empty, and not the file's
    own product line (an answer cannot be both about this line and taken from another)."""
    if not isinstance(raw, str) or not raw.strip():
        return None, ("other_product: expected the name of the other product line the value "
                      f"describes, in quotes, got {show(raw)}")
    name = raw.strip()
    if facts.product_line is not None and fold(name) == fold(facts.product_line):
        return None, (f"other_product {name!r} is this file's own product line: remove "
                      "other_product, or name the other line the value was taken from")
    return name, None


def source_ids(raw: Any) -> tuple[list[str], str | None]:
    """A source id or a list of ids; an error message for anything else."""
    if raw is None:
        return [], None
    if isinstance(raw, str):
        return [raw], None
    if isinstance(raw, list) and all(isinstance(s, str) for s in raw):
        return list(raw), None
    return [], f"expected a source id or a list of ids, got {show(raw)}"


def read_answers(raw: Any, cat: Catalogue, facts: FileFacts, col: Collector
                 ) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        col.add("answers", Msg(N_("expected a mapping of question id to answer, got {value}"),
                               value=show(raw)))
        return out
    if len(raw) > MAX_ANSWERS:
        col.add("answers", Msg(N_("{n} answers; the limit is {max_answers}"),
                               n=len(raw), max_answers=MAX_ANSWERS))
        return out
    known_ids = set(cat.ids)
    for qid, a in raw.items():
        if not isinstance(qid, str) or qid not in known_ids:
            col.add(str(qid), Msg(N_("unknown question id (see the tender's catalogue, "
                                     "`hostwise questions --catalogue ID`)")))
            continue
        if cat.question(qid).type == "grade":
            col.add(qid, Msg(N_("a grade is scored by the committee, not answered by the "
                                "bidder: leave it out")))
            continue
        ans = _answer(cat.question(qid), a, facts, col)
        if ans is not None:
            out[qid] = ans
    for q in cat.questions:
        if q.required and q.id not in raw:
            col.add(q.id, Msg(N_("required answer is missing (write `unknown` if it is not "
                                 "known)")))
    return out


def _answer(q: Question, a: Any, facts: FileFacts, col: Collector) -> Answer | None:
    if a == "unknown" or a is None:
        return Answer(question=q.id, confidence="unknown")
    if not isinstance(a, dict):
        col.add(q.id, Msg(N_("expected {{value: ..., source: ..., confidence: ...}} or the "
                             "word unknown, got {value}"),
                          value=show(a)))
        return None
    ok = True
    for k in a:
        if k not in ANSWER_FIELDS:
            col.add(q.id, Msg(N_("unknown field {k!r} (allowed: {answer_fields})"),
                              k=k, answer_fields=', '.join(sorted(ANSWER_FIELDS))))
            ok = False
        elif k in ("since", "until", "version", "scope") and k not in q.details:
            allowed = ", ".join(q.details) or "none"
            col.add(q.id, Msg(N_("detail {k!r} does not apply to this question (allowed: "
                                 "{allowed})"),
                              k=k, allowed=allowed))
            ok = False
    conf = a.get("confidence")
    if conf not in CONFIDENCES:
        col.add(q.id, Msg(N_("confidence must be one of {confidences}, got {conf}"),
                          confidences=', '.join(CONFIDENCES), conf=show(conf)))
        return None
    value = a.get("value")
    if conf == "unknown":
        if value is not None:
            col.add(q.id, Msg(N_("confidence is unknown but a value is given: remove the "
                                 "value or give the confidence")))
            return None
        if "other_product" in a:
            col.add(q.id, Msg(N_("other_product marks a value taken from another product "
                                 "line; an unknown answer has none: remove other_product")))
            return None
        return Answer(question=q.id, confidence="unknown", note=_opt_str(a.get("note")))
    if value is None:
        col.add(q.id, Msg(N_("no value for a {conf} answer (write `unknown` if it is not "
                             "known)"),
                          conf=conf))
        return None
    typed, problem = check_value(q, value)
    if problem:
        col.add(q.id, problem)
        ok = False
    ids, perr = source_ids(a.get("source"))
    if perr:
        col.add(q.id, perr)
        ok = False
    if not ids and not perr and conf != "recalled":
        col.add(q.id, Msg(N_("a known answer must cite a source id (or be `unknown`; a value "
                             "no publication states is `recalled`, without a source)")))
        ok = False
    for sid in ids:
        if sid not in facts.sources:
            col.add(q.id, Msg(N_("source {sid!r} is cited but not defined under sources"),
                              sid=sid))
            ok = False
    if q.type == "level" and not _opt_str(a.get("note")):
        col.add(q.id, Msg(N_("a SEAL level needs a justification in `note`")))
        ok = False
    details, dates_ok = _answer_dates(q.id, a, facts, col)
    ok = ok and dates_ok
    if "other_product" in a:
        other, problem = other_product_problem(a["other_product"], facts)
        if problem:
            col.add(q.id, problem)
            ok = False
        details["other_product"] = other
    for k in ("version", "scope"):
        if a.get(k) is not None:
            if not isinstance(a[k], str):
                col.add(q.id, Msg(N_("{k}: expected text in quotes, got {value}"),
                                  k=k, value=show(a[k])))
                ok = False
            else:
                details[k] = a[k]
    if not ok:
        return None
    return Answer(question=q.id, value=typed, confidence=conf, sources=tuple(ids),
                  note=_opt_str(a.get("note")), **details)


def _answer_dates(qid: str, a: dict[str, Any], facts: FileFacts, col: Collector
                  ) -> tuple[dict[str, Any], bool]:
    """``since`` / ``until`` of one answer, each kept as written and as its conservative day:
    ``since`` the last day of its period, no later than ``as_of`` (the status holds on the
    file's date, so it began by then); ``until`` the first day of its period. Refused only when
    surely wrong: a start after ``as_of`` or an end not after the start, whatever days are
    meant."""
    out: dict[str, Any] = {}
    ok = True
    periods = {}
    for k in ("since", "until"):
        if a.get(k) is not None:
            try:
                periods[k] = parse_partial_date(a[k])
            except ValueError as exc:
                col.add(qid, Msg(N_("{k}: {error}"), k=k, error=exc))
                ok = False
    since, until = periods.get("since"), periods.get("until")
    if since is not None:
        if facts.as_of and since.first() > facts.as_of:
            col.add(qid, Msg(N_("since {since} is after the file's as_of date {as_of_text}"),
                             since=since, as_of_text=facts.as_of_text))
            ok = False
        last = since.last()
        out["since"] = min(last, facts.as_of) if facts.as_of else last
        out["since_text"] = str(since)
    if until is not None:
        out["until"] = until.first()
        out["until_text"] = str(until)
    if since is not None and until is not None and until.last() <= since.first():
        col.add(qid, Msg(N_("until must be after since")))
        ok = False
    return out, ok


def _opt_str(v: Any) -> str | None:
    return v if isinstance(v, str) and v.strip() else None


def read_prices(raw: Any, cat: Catalogue, facts: FileFacts, currencies: list[str],
                col: Collector) -> list[Price]:
    """Price lines. ``date`` is a year, month or day, or ``unknown`` (read from an undated page:
    the reading date is not known and is never replaced by a placeholder). An item may be listed
    once per product line (its own, and each ``other_product``)."""
    out: list[Price] = []
    if raw is None:
        return out
    if not isinstance(raw, list):
        col.add("prices", Msg(N_("expected a list of price lines, got {value}"),
                              value=show(raw)))
        return out
    if len(raw) > MAX_PRICES:
        col.add("prices", Msg(N_("{n} price lines; the limit is {max_prices}"),
                              n=len(raw), max_prices=MAX_PRICES))
        return out
    seen: set[tuple[str, str]] = set()
    for i, p in enumerate(raw):
        where = f"prices[{i}]"
        if not isinstance(p, dict):
            col.add(where, Msg(N_("expected a mapping (item, price, currency, date, source), "
                                  "got {p}"),
                               p=show(p)))
            continue
        ok = True
        for k in p:
            if k not in PRICE_FIELDS:
                allowed = ", ".join(sorted(PRICE_FIELDS))
                col.add(f"{where}.{k}", Msg(N_("unknown field (allowed: {allowed})"),
                                            allowed=allowed))
                ok = False
        for k in ("item", "price", "currency", "date", "source", "confidence"):
            if k not in p:
                col.add(f"{where}.{k}", Msg(N_("required field is missing")))
                ok = False
        if not ok:
            continue
        other: str | None = None
        if "other_product" in p:
            other, problem = other_product_problem(p["other_product"], facts)
            if problem:
                col.add(f"{where}.other_product", problem)
                ok = False
        item = p["item"]
        line = fold(other) if other else ""
        if not isinstance(item, str) or item not in cat.price_items:
            col.add(f"{where}.item", Msg(N_("unknown price item {item} (known: {price_items})"),
                                         item=show(item),
                                         price_items=', '.join(cat.price_items)))
            ok = False
        elif (item, line) in seen:
            whose = f" for product line {other!r}" if other else ""
            col.add(f"{where}.item", Msg(N_("price item {item!r} is listed twice{whose}"),
                                         item=item, whose=whose))
            ok = False
        else:
            seen.add((item, line))
        price = p["price"]
        if isinstance(price, bool) or not isinstance(price, int | float):
            col.add(f"{where}.price", Msg(N_("expected a plain number, got {price} (no "
                                             "currency sign, no thousands separator, decimal "
                                             "point not comma)"),
                                          price=show(price)))
            ok = False
        elif not math.isfinite(price) or price < 0 or price > 1e12:
            col.add(f"{where}.price", Msg(N_("price {price!r} must be a finite amount between "
                                             "0 and 1e12"),
                                          price=price))
            ok = False
        cur = p["currency"]
        if cur not in currencies:
            col.add(f"{where}.currency", Msg(N_("currency {cur!r} is not declared under "
                                                "currencies"),
                                             cur=cur))
            ok = False
        date, date_text, date_ok = _price_date(p["date"], facts)
        if date_ok is not None:
            col.add(f"{where}.date", date_ok)
            ok = False
        ids, perr = source_ids(p["source"])
        if perr or not ids:
            col.add(f"{where}.source", perr or "a price must cite a source id")
            ok = False
        for sid in ids:
            if sid not in facts.sources:
                col.add(f"{where}.source", Msg(N_("source {sid!r} is cited but not defined "
                                                  "under sources"),
                                               sid=sid))
                ok = False
        conf = p["confidence"]
        if conf not in CONFIDENCES or conf == "unknown":
            col.add(f"{where}.confidence", Msg(N_("confidence must be confirmed, recalled, "
                                                  "conflicting or secondary, got {conf}"),
                                               conf=show(conf)))
            ok = False
        if ok:
            out.append(Price(item=item, price=float(price), currency=cur, date=date,
                             date_text=date_text, sources=tuple(ids), confidence=conf,
                             other_product=other, note=_opt_str(p.get("note"))))
    return out


def _price_date(raw: Any, facts: FileFacts) -> tuple[dt.date | None, str | None, str | None]:
    """(day kept: the FIRST of the period, text as written, problem). ``unknown`` gives no
    date and no text; a reading surely after ``as_of`` is refused."""
    if raw == "unknown":
        return None, None, None
    try:
        period = parse_partial_date(raw)
    except ValueError as exc:
        return None, None, f"{exc}; or write `unknown` for a price read from an undated page"
    if facts.as_of and period.first() > facts.as_of:
        return None, None, (f"price dated {period}, after the file's as_of date "
                            f"{facts.as_of_text}")
    return period.first(), str(period), None
