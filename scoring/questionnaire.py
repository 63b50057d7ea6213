"""Vendor questionnaires: bytes or paths -> validated, frozen ``Offer`` objects.

Every problem of a file is collected before anything is raised (bad-inputs.md: "all problems of
a file at once"), each naming file, vendor, question (or field path) and what to do. Loading a
folder or several paths is atomic: one bad file and nothing is returned (no half-imported set).
Unknown is a first-class answer, distinct from "no" (design.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .catalogue import load_catalogue
from .countries import ISO_ALPHA2
from .errors import Problem, QuestionnaireError
from .models import CONFIDENCES, Answer, Catalogue, LoadedSet, Offer, Price, Question, Source
from .yamlsafe import TextRules, YamlReadError, load_yaml, text_problems

MAX_FILE_BYTES = 1_048_576  # 1 MiB: the largest bundled questionnaire is ~10 KiB
MAX_FILES = 500
MAX_ANSWERS = 1_000
MAX_PRICES = 500
MAX_SOURCES = 500

TOP_FIELDS = {
    "schema", "vendor", "offer", "era", "as_of", "compiled_on", "currencies", "sources",
    "answers", "prices",
}
REQUIRED_TOP = ("schema", "vendor", "offer", "era", "as_of", "currencies", "sources", "answers")
ANSWER_FIELDS = {"value", "confidence", "source", "since", "until", "version", "scope", "note"}
PRICE_FIELDS = {"item", "price", "currency", "date", "source", "confidence", "note"}
SOURCE_FIELDS = {"title", "url", "date", "note"}
ID_RULES = TextRules(allow_newlines=False, check_scripts=True, max_len=100)
NAME_RULES = TextRules(allow_newlines=False, check_scripts=True, max_len=300)
NOTE_RULES = TextRules(allow_newlines=True)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def norm_id(value: str) -> str:
    """Identity used for duplicate detection: NFC, case-folded, whitespace removed."""
    return "".join(unicodedata.normalize("NFC", value).casefold().split())


class _Collector:
    """Accumulates problems for one file, remembering the vendor once it is known."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.vendor = ""
        self.items: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(Problem(self.file, self.vendor, where, message))


def parse_date(value: Any) -> dt.date:
    """Strict ISO date (YYYY-MM-DD). Raises ValueError with a plain-words reason."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date YYYY-MM-DD, got {_show(value)}")
    try:
        # fromisoformat alone (Python 3.11) would also take week dates such as 2019-W09-4
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a valid date (expected YYYY-MM-DD)") from None


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


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


def check_value(q: Question, value: Any) -> tuple[Any, str | None]:
    """Validate one answer value against its question; return (typed value, problem or None).

    Accepted forms are documented in data/questions.yaml; nothing is guessed: "85%", "1 234,50",
    "N/A" or "yes" are refused with a message saying what to write instead (bad-inputs §11-14).
    """
    t = q.type
    if t == "bool":
        if isinstance(value, bool):
            return value, None
        return None, f"expected true or false, got {_show(value)}"
    if t == "enum":
        opts = list((q.options or {}).keys())
        if isinstance(value, str) and value in opts:
            return value, None
        return None, f"{_show(value)} is not one of: {', '.join(opts)}"
    if t in ("number", "percent"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = " (write a plain number such as 85, without %, currency or spaces)"
            return None, f"expected a number, got {_show(value)}{hint}"
        if not math.isfinite(value):
            return None, f"expected a finite number, got {value!r}"
        lo, hi = (0.0, 100.0) if t == "percent" else (q.min, q.max)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            unit = "%" if t == "percent" else f" {q.unit or ''}".rstrip()
            return None, f"{value!r}{unit} is outside the allowed range {lo:g} to {hi:g}"
        return float(value), None
    if t == "level":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
            return None, f"expected a SEAL level, a whole number 0 to 4, got {_show(value)}"
        return value, None
    if t == "date":
        try:
            return parse_date(value), None
        except ValueError as exc:
            return None, str(exc)
    if t == "country":
        if isinstance(value, str) and value in ISO_ALPHA2:
            return value, None
        if value is False:
            return None, 'got the boolean false: write "NO" in quotes for Norway'
        return None, f"expected an ISO 3166 two-letter country code in quotes, got {_show(value)}"
    if t == "text":
        if isinstance(value, str):
            return value, None
        return None, f"expected text, got {_show(value)}: put it in quotes"
    return None, f"unsupported answer type {t}"


def parse_questionnaire(
    data: bytes, file: str = "<upload>", catalogue: Catalogue | None = None
) -> Offer:
    """Parse one questionnaire from bytes; raise ``QuestionnaireError`` with every problem."""
    cat = catalogue or load_catalogue()
    col = _Collector(file)
    sha = hashlib.sha256(data).hexdigest()
    try:
        doc = load_yaml(data, MAX_FILE_BYTES)
    except YamlReadError as exc:
        for loc, msg in exc.problems:
            col.add(loc, msg)
        raise QuestionnaireError(col.items) from None
    if doc is None:
        col.add("file", "file holds no data (only comments or blank lines)")
        raise QuestionnaireError(col.items)
    if not isinstance(doc, dict):
        col.add("file", "expected a mapping of fields (vendor, offer, answers...), "
                f"got {_show(doc)}")
        raise QuestionnaireError(col.items)

    vendor = doc.get("vendor")
    if isinstance(vendor, dict) and isinstance(vendor.get("id"), str):
        col.vendor = vendor["id"]

    for path, s in _walk_strings(doc, ""):
        rules = NOTE_RULES
        if path in ("vendor.id", "offer.id", "vendor.group") or path.endswith("(key)"):
            rules = ID_RULES
        elif path in ("vendor.name", "offer.name"):
            rules = NAME_RULES
        for msg in text_problems(s, rules):
            col.add(path, msg)

    for key in doc:
        if key not in TOP_FIELDS:
            col.add(str(key), f"unknown field (allowed: {', '.join(sorted(TOP_FIELDS))})")
    for key in REQUIRED_TOP:
        if key not in doc:
            col.add(key, "required field is missing")
    schema = doc.get("schema", 1)
    if isinstance(schema, bool) or schema != 1:
        col.add("schema", f"unsupported schema version {doc.get('schema')!r} (expected 1)")

    ident = _identity(doc, col)
    as_of = _date_field(doc, "as_of", col)
    compiled = _date_field(doc, "compiled_on", col) if "compiled_on" in doc else None
    if as_of and compiled and compiled < as_of:
        col.add("compiled_on", f"compiled_on {compiled} is before as_of {as_of}")
    currencies = _currencies(doc.get("currencies"), col)
    sources = _sources(doc.get("sources"), col, compiled or as_of)
    answers = _answers(doc.get("answers"), cat, sources, as_of, col)
    prices = _prices(doc.get("prices", []), cat, sources, currencies, as_of, col)

    if col.items or ident is None or as_of is None:
        if not col.items:
            col.add("file", "could not read the vendor identity")
        raise QuestionnaireError(col.items)
    return Offer(
        **ident,
        as_of=as_of,
        compiled_on=compiled,
        currencies=tuple(currencies),
        sources=sources,
        answers=answers,
        prices=tuple(prices),
        file=file,
        sha256=sha,
    )


def _identity(doc: dict[str, Any], col: _Collector) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for block, fields, optional in (
        ("vendor", ("id", "name", "group"), ("group",)),
        ("offer", ("id", "name"), ()),
    ):
        raw = doc.get(block)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            col.add(block, f"expected a mapping with {', '.join(fields)}, got {_show(raw)}")
            continue
        for k in raw:
            if k not in fields:
                col.add(f"{block}.{k}", f"unknown field (allowed: {', '.join(fields)})")
        for f in fields:
            v = raw.get(f)
            if v is None and f in optional:
                continue
            if not isinstance(v, str) or not v.strip():
                col.add(f"{block}.{f}", f"required text is missing or not text ({_show(v)})")
            else:
                out[f"{block}_{f}"] = v.strip()
    era = doc.get("era")
    if "era" in doc and not isinstance(era, str):
        col.add("era", f'expected the era as quoted text such as "2019", got {_show(era)}')
    elif isinstance(era, str):
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
        "era": out["era"],
    }


def _date_field(doc: dict[str, Any], key: str, col: _Collector) -> dt.date | None:
    if key not in doc:
        return None
    try:
        return parse_date(doc[key])
    except ValueError as exc:
        col.add(key, str(exc))
        return None


def _currencies(raw: Any, col: _Collector) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        col.add("currencies", "expected a list of ISO 4217 codes such as [EUR, USD]")
        return []
    out = []
    for c in raw:
        if len(c) != 3 or not c.isalpha() or not c.isupper():
            col.add("currencies", f"{c!r} is not an ISO 4217 currency code (e.g. EUR)")
        else:
            out.append(c)
    return out


def _source_ids(raw: Any) -> tuple[list[str], str | None]:
    if raw is None:
        return [], None
    if isinstance(raw, str):
        return [raw], None
    if isinstance(raw, list) and all(isinstance(s, str) for s in raw):
        return list(raw), None
    return [], f"expected a source id or a list of ids, got {_show(raw)}"


def _sources(raw: Any, col: _Collector, latest: dt.date | None) -> dict[str, Source]:
    out: dict[str, Source] = {}
    if raw is None:
        return out
    if not isinstance(raw, dict):
        col.add("sources", f"expected a mapping of source ids, got {_show(raw)}")
        return out
    if len(raw) > MAX_SOURCES:
        col.add("sources", f"{len(raw)} sources; the limit is {MAX_SOURCES}")
        return out
    for sid, s in raw.items():
        where = f"sources.{sid}"
        if not isinstance(sid, str):
            col.add(where, "a source id must be text")
            continue
        if not isinstance(s, dict):
            col.add(where, f"expected a mapping with title and date, got {_show(s)}")
            continue
        for k in s:
            if k not in SOURCE_FIELDS:
                allowed = ", ".join(sorted(SOURCE_FIELDS))
                col.add(f"{where}.{k}", f"unknown field (allowed: {allowed})")
        title = s.get("title")
        if not isinstance(title, str) or not title.strip():
            col.add(f"{where}.title", "a source needs a title")
            continue
        if "date" not in s:
            col.add(f"{where}.date", "a source needs a date (publication or retrieval), "
                    "or the word undated")
            continue
        date: dt.date | None = None
        if s["date"] != "undated":
            try:
                date = parse_date(s["date"])
            except ValueError as exc:
                col.add(f"{where}.date", str(exc))
                continue
            if latest and date > latest:
                col.add(f"{where}.date", f"source dated {date}, after the file's compilation "
                        f"date {latest}")
        url = s.get("url")
        if url is not None and not isinstance(url, str):
            col.add(f"{where}.url", "url must be text")
            continue
        note = s.get("note")
        out[sid] = Source(id=sid, title=title, url=url, date=date,
                          note=note if isinstance(note, str) else None)
    return out


def _answers(
    raw: Any,
    cat: Catalogue,
    sources: dict[str, Source],
    as_of: dt.date | None,
    col: _Collector,
) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        col.add("answers", f"expected a mapping of question id to answer, got {_show(raw)}")
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
    col: _Collector,
) -> Answer | None:
    if a == "unknown" or a is None:
        return Answer(question=q.id, confidence="unknown")
    if not isinstance(a, dict):
        col.add(q.id, "expected {value: ..., source: ..., confidence: ...} or the word unknown, "
                f"got {_show(a)}")
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
        col.add(q.id, f"confidence must be one of {', '.join(CONFIDENCES)}, got {_show(conf)}")
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
    ids, perr = _source_ids(a.get("source"))
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
                col.add(q.id, f"{k}: expected text in quotes, got {_show(a[k])}")
                ok = False
            else:
                details[k] = a[k]
    if not ok:
        return None
    return Answer(question=q.id, value=typed, confidence=conf, sources=tuple(ids),
                  note=_opt_str(a.get("note")), **details)


def _opt_str(v: Any) -> str | None:
    return v if isinstance(v, str) and v.strip() else None


def _prices(
    raw: Any,
    cat: Catalogue,
    sources: dict[str, Source],
    currencies: list[str],
    as_of: dt.date | None,
    col: _Collector,
) -> list[Price]:
    out: list[Price] = []
    if raw is None:
        return out
    if not isinstance(raw, list):
        col.add("prices", f"expected a list of price lines, got {_show(raw)}")
        return out
    if len(raw) > MAX_PRICES:
        col.add("prices", f"{len(raw)} price lines; the limit is {MAX_PRICES}")
        return out
    seen: set[str] = set()
    for i, p in enumerate(raw):
        where = f"prices[{i}]"
        if not isinstance(p, dict):
            col.add(where, "expected a mapping (item, price, currency, date, source), "
                    f"got {_show(p)}")
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
            col.add(f"{where}.item", f"unknown price item {_show(item)} (known: "
                    f"{', '.join(cat.price_items)})")
            ok = False
        elif item in seen:
            col.add(f"{where}.item", f"price item {item!r} is listed twice")
            ok = False
        else:
            seen.add(item)
        price = p["price"]
        if isinstance(price, bool) or not isinstance(price, int | float):
            col.add(f"{where}.price", f"expected a plain number, got {_show(price)} "
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
        ids, perr = _source_ids(p["source"])
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
                    f"or secondary, got {_show(conf)}")
            ok = False
        if ok:
            out.append(Price(item=item, price=float(price), currency=cur, date=date,
                             sources=tuple(ids), confidence=conf, note=_opt_str(p.get("note"))))
    return out


# ---------------------------------------------------------------- files and folders


def _expand(paths: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(x for x in p.iterdir() if x.suffix in (".yaml", ".yml") and x.is_file())
            if not found:
                problems.append(Problem(str(p), "", "", "folder holds no .yaml questionnaire"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(p), "", "", "no such file or folder"))
    if len(files) > MAX_FILES:
        problems.append(Problem(str(paths[0]), "", "", f"{len(files)} files; the limit is "
                                f"{MAX_FILES}"))
    return files, problems


def load_offers(paths: Sequence[str | Path], catalogue: Catalogue | None = None) -> LoadedSet:
    """Load questionnaires from files and folders, atomically.

    Any problem in any file (or a duplicate offer across files) raises ``QuestionnaireError``
    with every problem of every file, and nothing is returned: no half-loaded set.
    """
    cat = catalogue or load_catalogue()
    files, problems = _expand(paths)
    offers: list[Offer] = []
    hashes: dict[str, str] = {}
    for f in files:
        try:
            size = f.stat().st_size
            if size > MAX_FILE_BYTES:
                problems.append(Problem(str(f), "", "file", f"file is {size:,} bytes; the limit "
                                        f"is {MAX_FILE_BYTES:,} bytes"))
                continue
            data = f.read_bytes()
        except OSError as exc:
            problems.append(Problem(str(f), "", "file", f"cannot read: {exc.strerror}"))
            continue
        try:
            offer = parse_questionnaire(data, str(f), cat)
        except QuestionnaireError as exc:
            problems.extend(exc.problems)
            continue
        offers.append(offer)
        hashes[str(f)] = offer.sha256
    problems.extend(duplicate_problems(offers))
    if problems:
        raise QuestionnaireError(problems, f"{len(problems)} problem(s); nothing was loaded")
    return LoadedSet(offers=tuple(offers), files=hashes)


def duplicate_problems(offers: Sequence[Offer]) -> list[Problem]:
    """Same offer twice (same era and id, also differing only in case or spaces), the same file
    twice (same SHA-256), or one vendor id spelt two ways within an era."""
    out: list[Problem] = []
    by_key: dict[tuple[str, str], Offer] = {}
    by_sha: dict[str, Offer] = {}
    vendor_spelling: dict[tuple[str, str], Offer] = {}
    for o in offers:
        k = (o.era, norm_id(o.offer_id))
        if k in by_key:
            first = by_key[k]
            out.append(Problem(o.file, o.vendor_id, "offer.id", f"duplicate offer {o.offer_id!r} "
                               f"(era {o.era}) already loaded from {first.file}"))
        else:
            by_key[k] = o
        if o.sha256 in by_sha and by_sha[o.sha256].file != o.file:
            out.append(Problem(o.file, o.vendor_id, "file", "identical to "
                               f"{by_sha[o.sha256].file} (same SHA-256): the same file twice"))
        by_sha.setdefault(o.sha256, o)
        vk = (o.era, norm_id(o.vendor_id))
        if vk in vendor_spelling and vendor_spelling[vk].vendor_id != o.vendor_id:
            other = vendor_spelling[vk]
            out.append(Problem(o.file, o.vendor_id, "vendor.id", f"vendor id {o.vendor_id!r} "
                               f"differs only in case or spaces from {other.vendor_id!r} in "
                               f"{other.file}: use one spelling"))
        vendor_spelling.setdefault(vk, o)
    return out


def answer_counts(offer: Offer, catalogue: Catalogue | None = None) -> dict[str, int]:
    """Count answers by confidence; absent optional questions count as unknown."""
    cat = catalogue or load_catalogue()
    counts = {c: 0 for c in CONFIDENCES}
    for qid in cat.ids:
        counts[offer.answer(qid).confidence] += 1
    return counts
