"""Who an offer is: identity normalisation, look-alike detection and duplicate offers (issue 9).

A hostile bidder can load a second copy of an offer under an id that *looks* the same:
full-width letters (``ａｚｕｒｅ``), Cyrillic or Greek look-alikes (``аzure``), an invisible soft
hyphen or word joiner, a trailing space in the era, or a 2019 era in the 2026 folder. Defences:

1. Identity fields are stored in Unicode NFKC (UAX #15), which folds full-width and other
   compatibility forms to their plain letters.
2. Default-ignorable code points (Unicode ``Default_Ignorable_Code_Point``, DerivedCoreProperties
   15.1) are refused in identity fields: they are invisible by definition.
3. Duplicates are found on two keys: ``fold`` (NFKC, case-folded, spaces removed) and ``skeleton``
   (Unicode TR39 §4 "confusable detection": skeleton(X) = NFD(map(NFD(X))), then case-folded).
   ``_CONFUSABLES`` is a compact subset of TR39's confusables.txt (Unicode 15.1.0): the entries
   whose prototype is ASCII for the Cyrillic, Greek and Latin letters and digits that vendor ids
   use; full-width and mathematical forms are already folded by NFKC. It is a subset by design:
   the mixed-script refusal (``text.text_problems``) catches single look-alike letters within a
   Latin id, the skeleton catches whole ids written in another script.
4. An offer's era must match its folder when the folder is named like an era (``2026/``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ..errors import Problem
from ..models import Offer
from .text import is_default_ignorable, safe_problem

# char -> prototype, from TR39 confusables.txt (Unicode 15.1.0), ASCII prototypes only.
_CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
    "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ɡ": "g",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "l", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Һ": "h",
    "Ӏ": "l", "Ԁ": "d",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "ι": "i", "γ": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "l", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin and digits (TR39 prototypes: 0 -> O, 1/I/| -> l, dotless i -> i, m -> rn)
    "0": "O", "1": "l", "I": "l", "|": "l", "ı": "i", "m": "rn",
}
ERA_FOLDER = re.compile(r"(?:19|20)[0-9]{2}")
# Ids name files and folders (``../../etc/passwd`` is no offer id): a small character class.
ID_CLASS = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
ID_FIELDS = ("vendor.id", "offer.id", "vendor.group")
NAME_FIELDS = ("vendor.name", "offer.name", "offer.product_line")


def nfkc(value: str) -> str:
    """The stored form of an id or name (full-width and compatibility forms folded)."""
    return unicodedata.normalize("NFKC", value)


@lru_cache(maxsize=4096)
def fold(value: str) -> str:
    """Identity up to case and spaces: NFKC, case-folded, whitespace removed."""
    return "".join(nfkc(value).casefold().split())


@lru_cache(maxsize=4096)
def skeleton(value: str) -> str:
    """TR39 skeleton of ``value`` (compact table above), case-folded, whitespace removed."""
    base = unicodedata.normalize("NFD", nfkc(value))
    mapped = "".join(_CONFUSABLES.get(c, c) for c in base if not is_default_ignorable(c))
    return "".join(unicodedata.normalize("NFD", mapped).casefold().split())


def identity_problem(key: str, value: str) -> str | None:
    """What is wrong with an id or a name as written, or None. One rule for every way an offer
    comes in (the Excel questionnaire and the YAML file, issue 18): the value must already be
    in its canonical form (NFKC, no spaces around), so that a full-width ``ｓｃａｌｅｗａｙ`` is
    refused rather than quietly folded into an existing id, and an id (``ID_FIELDS``) must be
    of ``ID_CLASS``. Controls (U+0085 NEL included), bidi and invisible characters are refused
    by ``text.text_problems`` on the same fields."""
    canon = nfkc(value).strip()
    if canon != value:
        return (f"{key} is not written in its canonical form: write {canon!r} (full-width or "
                "compatibility characters, or spaces around it)")
    if key in ID_FIELDS and not ID_CLASS.fullmatch(value):
        return (f"{key} may hold only letters A-Z, digits, '.', '_' and '-' (starting with a "
                "letter or a digit, at most 100 characters), e.g. scaleway-2026")
    return None


def norm_id(value: str) -> str:
    """Identity used for duplicate detection (kept for callers): see ``fold``."""
    return fold(value)


def era_problem(offer: Offer, path: Path) -> Problem | None:
    """An offer whose era differs from the era its folder is named after (``2026/x.yaml``)."""
    folder = path.parent.name
    if ERA_FOLDER.fullmatch(folder) and offer.era != folder:
        return safe_problem(str(path), offer.vendor_id, "era",
                       f"era {offer.era!r} does not match the folder {folder!r} this file is in: "
                       f'write era: "{folder}" or move the file')
    return None


def duplicate_problems(offers: Sequence[Offer]) -> list[Problem]:
    """Same offer twice (same era and id up to case, spaces or look-alike letters), the same
    file twice (same content hash), or one vendor id spelt two ways within an era."""
    out: list[Problem] = []
    by_fold: dict[tuple[str, str], Offer] = {}
    by_skel: dict[tuple[str, str], Offer] = {}
    by_sha: dict[str, Offer] = {}
    vendor_fold: dict[tuple[str, str], Offer] = {}
    vendor_skel: dict[tuple[str, str], Offer] = {}
    for o in offers:
        first = by_fold.get((o.era, fold(o.offer_id))) or by_skel.get((o.era,
                                                                       skeleton(o.offer_id)))
        if first is not None:
            how = ("differs only in case or spaces from" if fold(first.offer_id)
                   == fold(o.offer_id) else "looks like (look-alike characters)")
            out.append(safe_problem(
                o.file, o.vendor_id, "offer.id",
                f"duplicate offer: offer {o.offer_id!r} in {o.file} {how} offer "
                f"{first.offer_id!r} (era {o.era}) already loaded from {first.file}"))
        else:
            by_fold[(o.era, fold(o.offer_id))] = o
            by_skel[(o.era, skeleton(o.offer_id))] = o
        if o.sha256 in by_sha and by_sha[o.sha256].file != o.file:
            out.append(safe_problem(o.file, o.vendor_id, "file", "identical to "
                               f"{by_sha[o.sha256].file} (same SHA-256): the same file twice"))
        by_sha.setdefault(o.sha256, o)
        other = vendor_fold.get((o.era, fold(o.vendor_id)))
        if other is not None and other.vendor_id != o.vendor_id:
            out.append(safe_problem(o.file, o.vendor_id, "vendor.id", f"vendor id {o.vendor_id!r} "
                               f"differs only in case or spaces from {other.vendor_id!r} in "
                               f"{other.file}: use one spelling"))
        elif other is None:
            look = vendor_skel.get((o.era, skeleton(o.vendor_id)))
            if look is not None and look.vendor_id != o.vendor_id:
                out.append(safe_problem(o.file, o.vendor_id, "vendor.id",
                                   f"vendor id {o.vendor_id!r} in {o.file} looks like vendor id "
                                   f"{look.vendor_id!r} in {look.file} (look-alike characters): "
                                   "use one spelling"))
        vendor_fold.setdefault((o.era, fold(o.vendor_id)), o)
        vendor_skel.setdefault((o.era, skeleton(o.vendor_id)), o)
    return out
