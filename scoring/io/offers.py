"""An offer set: questionnaires from files and folders, loaded atomically, duplicates refused.

Loading a folder or several paths is atomic: one bad file and nothing is returned (no
half-imported set). Every entry of a bid folder is either loaded or reported (issue 9): a
questionnaire spelt ``.YAML``, a file without extension, a FIFO, a sub-folder or a link that
loops are problems, never silently skipped; a symbolic link is not followed out of its folder.

Parsed offers are cached by content (SHA-256 of the bytes and of the catalogue), not by path or
modification time: an edited file is re-read even within the same second, and the same bytes
under another name are parsed once.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem, QuestionnaireError
from ..i18n import N_, ngettext
from ..messages import Msg
from ..models import CONFIDENCES, Catalogue, LoadedSet, Offer
from .files import InputFileError, kind_of, read_input
from .identity import duplicate_problems, era_problem
from .questionnaire import MAX_FILE_BYTES, MAX_FILES, parse_questionnaire
from .text import safe_problem

YAML_SUFFIXES = (".yaml", ".yml")
# Sized to the work: a load may hold ``MAX_FILES`` questionnaires, and an LRU cache smaller than
# the set it serves misses on every file of a repeated sequential load (each entry is evicted
# just before it is needed again: 256 entries made a warm 500-offer evaluation re-parse all
# 500). Twice the limit keeps two full sets warm (a scenario and its variant, the set before and
# after one edited bid); a parsed offer holds ~0.05 MiB, so at most ~50 MiB.
CACHE_SIZE = 2 * MAX_FILES
_cache: OrderedDict[tuple[str, str], Offer] = OrderedDict()


def parse_cached(data: bytes, file: str, cat: Catalogue) -> Offer:
    """``parse_questionnaire`` memoised on (SHA-256 of ``data``, catalogue hash), bounded LRU.

    Only successes are kept (a refusal is re-computed so its messages name the right file).
    """
    key = (hashlib.sha256(data).hexdigest(), cat.sha256)
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit if hit.file == file else hit.model_copy(update={"file": file})
    offer = parse_questionnaire(data, file, cat)
    _cache[key] = offer
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return offer


def clear_cache() -> None:
    """Forget every parsed offer (benchmarks measure cold parsing with it)."""
    _cache.clear()


def _folder_entries(folder: Path) -> tuple[list[tuple[Path, Path, bool]], list[Problem]]:
    """(shown path, path to open, follow links) for each questionnaire of ``folder``, and a
    problem for every other entry: nothing in a bid folder is skipped in silence."""
    found: list[tuple[Path, Path, bool]] = []
    problems: list[Problem] = []
    root = folder.resolve()
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except OSError as exc:
        return [], [safe_problem(str(folder), "", "", Msg(N_("cannot list the folder: {error}"),
                                                            error=str(exc.strerror)))]
    for e in entries:
        def refuse(message: str, entry: Path = e) -> None:
            problems.append(safe_problem(str(entry), "", "file", message))

        target, follow = e, False
        if e.is_symlink():
            try:
                target = e.resolve(strict=True)
            except (OSError, RuntimeError):
                refuse(Msg(N_("a symbolic link that loops or points nowhere; not read")))
                continue
            if not target.is_relative_to(root):
                refuse(Msg(N_("a symbolic link to a file outside the bid folder; not followed")))
                continue
            follow = True
        try:
            mode = os.stat(target).st_mode
        except OSError as exc:
            refuse(Msg(N_("cannot read: {error}"), error=str(exc.strerror)))
            continue
        if e.suffix.lower() not in YAML_SUFFIXES:
            what = kind_of(mode)
            refuse(Msg(N_("{what} that is not a questionnaire (.yaml); a bid folder holds only "
                          "questionnaires: rename it or move it out"), what=what))
            continue
        found.append((e, target, follow))
    if not entries:
        problems.append(safe_problem(str(folder), "", "",
                                     Msg(N_("folder holds no .yaml questionnaire"))))
    return found, problems


def _expand(paths: Sequence[str | Path]) -> tuple[list[tuple[Path, Path, bool]], list[Problem]]:
    files: list[tuple[Path, Path, bool]] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found, probs = _folder_entries(p)
            files.extend(found)
            problems.extend(probs)
        elif p.exists() or p.is_symlink():
            files.append((p, p, True))  # named by the user: read_input says what it is
        else:
            problems.append(safe_problem(str(p), "", "", Msg(N_("no such file or folder"))))
    if len(files) > MAX_FILES:
        problems.append(safe_problem(str(paths[0]), "", "", Msg(
            N_("{n} files; the limit is {limit}"), n=len(files), limit=MAX_FILES)))
    return files, problems


def load_offers(paths: Sequence[str | Path], catalogue: Catalogue | None = None) -> LoadedSet:
    """Load questionnaires from files and folders, atomically.

    Any problem in any file (or a duplicate offer across files) raises ``QuestionnaireError``
    with every problem of every file, and nothing is returned: no half-loaded set.
    """
    cat = catalogue or _bundled_catalogue()
    files, problems = _expand(paths)
    offers: list[Offer] = []
    hashes: dict[str, str] = {}
    for shown, target, follow in files:
        try:
            data = read_input(target, MAX_FILE_BYTES, follow_links=follow)
        except InputFileError as exc:
            problems.append(safe_problem(str(shown), "", "file", str(exc.strerror)))
            continue
        try:
            offer = parse_cached(data, str(shown), cat)
        except QuestionnaireError as exc:
            problems.extend(exc.problems)
            continue
        era = era_problem(offer, shown)
        if era is not None:
            problems.append(era)
            continue
        offers.append(offer)
        hashes[str(shown)] = offer.sha256
    problems.extend(duplicate_problems(offers))
    if problems:
        raise QuestionnaireError(problems, ngettext(
            "{n} problem; nothing was loaded", "{n} problems; nothing was loaded",
            len(problems)).format(n=len(problems)))
    return LoadedSet(offers=tuple(offers), files=hashes)


def answer_counts(offer: Offer, catalogue: Catalogue | None = None) -> dict[str, int]:
    """Count answers by confidence; absent optional questions, and answers taken from another
    product line (read as unknown by every scoring path), count as unknown."""
    cat = catalogue or _bundled_catalogue()
    counts = {c: 0 for c in CONFIDENCES}
    for qid in cat.ids:
        a = offer.answer(qid)
        counts[a.confidence if a.known else "unknown"] += 1
    return counts


def other_product_counts(offer: Offer) -> tuple[int, int]:
    """(answers, price lines) marked as taken from another product line: kept, not scored."""
    return (sum(a.from_other_product for a in offer.answers.values()),
            sum(p.other_product is not None for p in offer.prices))


def _bundled_catalogue() -> Catalogue:
    from .catalogue import load_catalogue

    return load_catalogue()
