"""A scenario's free text in another language: the sidecar ``text/<name>.<lang>.yaml`` beside
the scenario ``<name>.yaml`` (docs/translation.md, "Scenario text in other languages").

Why a sidecar, as for a catalogue (``scoring.io.catalogue_text``): the scenario is hashed into
every result, and a wording is not a rule. A translation is display only: it changes no number,
no id and no hash, and a missing, broken or stale entry falls back to the scenario's own
(English) words. Why a ``text/`` folder rather than beside the file as ``catalogue.fr.yaml`` is:
the scenarios folder is listed as ``*.yaml`` by every picker, the golden-file generator and the
committee's tender authoring, and a sidecar there would be taken for a scenario.

Keyed by field path (``title``, ``assumptions.HDH-W26.text``, ``lots.backup.name``...), each
entry holds the English it translates (``en``) beside its translation (``fr``): a scenario is a
statement a committee defends, so a translation of a text that has changed since must never be
shown as if it were the current one. An entry is used only when its ``en`` is, whitespace
aside, the scenario's text at that path; ``sidecar_problems`` reports an entry whose English
changed (stale), a path the scenario does not have, and ``missing_texts`` the texts left
untranslated (a test requires none for the bundled scenarios). A child scenario (``extends``)
translates its own texts; an inherited text is found in the parent's sidecar, since its English
is the same. Texts are checked as a catalogue's are: non-empty, free of control and bidi
characters (Trojan Source, CVE-2021-42574).
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bundled import DATA_DIR
from ..errors import Problem, ScenarioError
from ..i18n import DEFAULT, LANGUAGES, language
from ..io.files import InputFileError, read_input
from ..io.sidecar import read_sidecar
from ..io.text import TextRules, text_problems
from ..io.yamlsafe import YamlReadError, load_yaml
from ..messages import render, said
from .load import load_scenario, load_scenario_doc
from .model import MAX_SCENARIO_BYTES, Scenario

SCENARIOS_DIR = DATA_DIR / "scenarios"
MAX_TEXT_BYTES = 1_048_576  # a sidecar: checked before it is read
_RULES = TextRules(allow_newlines=True, max_len=8_000)
_TOP = ("lang", "texts")
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class ScenarioText:
    """The translations of one scenario file in one language: path -> (English, translation),
    both whitespace-normalised."""

    lang: str
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)


def norm(text: str) -> str:
    """Whitespace-normalised: a folded YAML block and its one-line copy compare equal."""
    return " ".join(text.split())


def sidecar_path(scenario_file: Path, lang: str) -> Path:
    """``.../scenarios/hdh-2026.yaml`` -> ``.../scenarios/text/hdh-2026.fr.yaml``."""
    return scenario_file.parent / "text" / f"{scenario_file.stem}.{lang}{scenario_file.suffix}"


def text_fields(sc: Scenario) -> dict[str, str]:
    """Every free text of a scenario, by path, as written (English): what a sidecar translates."""
    out = {"title": sc.title}
    if sc.description:
        out["description"] = sc.description
    if sc.demo is not None:
        out["demo.reason"] = sc.demo.reason
    out["workload.label"] = sc.workload.label
    out["workload.reasoning"] = sc.workload.reasoning
    if sc.price_drift is not None:
        out["price_drift.label"] = sc.price_drift.label
        out["price_drift.reasoning"] = sc.price_drift.reasoning
    for g in sc.gates:
        if g.label:
            out[f"gates.{g.id}.label"] = g.label
        if g.reason:
            out[f"gates.{g.id}.reason"] = g.reason
    for a in sc.assumptions:
        out[f"assumptions.{a.id}.text"] = a.text
        out[f"assumptions.{a.id}.reasoning"] = a.reasoning
    for lot in sc.lots:
        out[f"lots.{lot.id}.name"] = lot.name
        if lot.note:
            out[f"lots.{lot.id}.note"] = lot.note
    if sc.allocation.budget_source:
        out["allocation.budget_source"] = sc.allocation.budget_source
    for cur, rate in sc.rates.items():
        out[f"rates.{cur}.source"] = rate.source
    for key, src in sc.sources.items():
        out[f"sources.{key}"] = src
    return {k: v for k, v in out.items() if v.strip()}


def parse_scenario_text(data: bytes, name: str = "scenario.fr.yaml") -> ScenarioText:
    """Read a sidecar (its form only); raise ``ScenarioError`` with every problem."""
    doc, problems = read_sidecar(data, name, "scenario", _TOP, MAX_TEXT_BYTES,
                                 ScenarioError)

    def bad(where: str, message: str) -> None:
        problems.append(Problem(name, "", where, message))

    lang = doc.get("lang")
    entries = doc.get("texts")
    if not isinstance(entries, dict):
        bad("texts", "expected a mapping of field path -> {en, <lang>}")
        entries = {}
    texts: dict[str, tuple[str, str]] = {}
    for path, entry in entries.items():
        where = f"texts.{path}"
        if not isinstance(entry, dict) or set(entry) != {"en", lang}:
            bad(where, f"expected exactly {{en, {lang}}}: the English translated, its translation")
            continue
        pair: list[str] = []
        for k in ("en", str(lang)):
            value = entry[k]
            if not isinstance(value, str) or not value.strip():
                bad(f"{where}.{k}", "expected a non-empty text")
                continue
            msgs = text_problems(value, _RULES)
            for m in msgs:
                bad(f"{where}.{k}", m)
            if not msgs:
                pair.append(norm(value))
        if len(pair) == 2:
            texts[str(path)] = (pair[0], pair[1])
    if problems:
        raise ScenarioError(problems)
    return ScenarioText(str(lang), texts)


def sidecar_problems(text: ScenarioText, sc: Scenario, name: str) -> list[Problem]:
    """What is wrong with a sidecar read against the scenario file it translates: a path the
    scenario does not have, and a stale entry (its English is no longer the scenario's)."""
    fields = text_fields(sc)
    out: list[Problem] = []
    for path, (en, _tr) in text.texts.items():
        if path not in fields:
            out.append(Problem(name, "", f"texts.{path}", f"no such text in the scenario {sc.id}"))
        elif norm(fields[path]) != en:
            out.append(Problem(name, "", f"texts.{path}.en", (
                "stale translation: the scenario's English text has changed since; translate "
                "it again (the scenario's words are shown meanwhile). Now: ")
                + _short(norm(fields[path]))))
    return out


def _short(text: str, n: int = 120) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def chain_files(scenario_file: Path) -> list[Path]:
    """The scenario file and the files it ``extends``, child first."""
    out = [scenario_file]
    while len(out) < 7:
        doc = load_yaml(read_input(out[-1], MAX_SCENARIO_BYTES), MAX_SCENARIO_BYTES)
        parent = doc.get("extends") if isinstance(doc, dict) else None
        if not isinstance(parent, str):
            break
        out.append(out[-1].parent / parent)
    return out


def check_sidecars(scenario_file: Path) -> list[ScenarioText]:
    """Every sidecar of a scenario file, read and checked against the file (``hostwise
    validate --scenario`` and the tests); raises ``ScenarioError`` with every problem."""
    sc, _base = load_scenario(scenario_file)
    out: list[ScenarioText] = []
    problems: list[Problem] = []
    for lang in LANGUAGES:
        side = sidecar_path(scenario_file, lang)
        if lang == DEFAULT or not side.is_file():
            continue
        try:
            text = parse_scenario_text(read_input(side, MAX_TEXT_BYTES), str(side))
        except InputFileError as exc:
            problems.append(Problem(str(side), "", "file", str(exc.strerror)))
            continue
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        problems += sidecar_problems(text, sc, str(side))
        out.append(text)
    if problems:
        raise ScenarioError(problems)
    return out


_cache: dict[tuple[str, str], tuple[ScenarioText, ...]] = {}


def file_texts(scenario_file: Path, lang: str) -> tuple[ScenarioText, ...]:
    """The sidecars in ``lang`` of a scenario file and of the files it extends, child first; a
    sidecar that cannot be read is left out (``check_sidecars`` and the tests report it)."""
    key = (str(scenario_file.resolve()), lang)
    if key in _cache:
        return _cache[key]
    found: list[ScenarioText] = []
    try:
        files = chain_files(scenario_file)
    except (OSError, YamlReadError):
        files = []
    for f in files:
        side = sidecar_path(f, lang)
        if side.is_file():
            with contextlib.suppress(ScenarioError, InputFileError):
                found.append(parse_scenario_text(read_input(side, MAX_TEXT_BYTES), str(side)))
    _cache[key] = tuple(found)
    return _cache[key]


def bundled_file(scenario_id: str) -> Path | None:
    """The bundled scenario file of an id (bundled files are named by their id); None for an
    id that could name a file elsewhere (a path, ``..``), whatever its origin."""
    if not _SAFE_ID.fullmatch(scenario_id) or ".." in scenario_id:
        return None
    p = SCENARIOS_DIR / f"{scenario_id}.yaml"
    return p if p.is_file() else None


def translate(texts: tuple[ScenarioText, ...], path: str, english: str) -> str:
    """The translation of ``english`` at ``path``, when a sidecar has one for exactly that
    English; else ``english`` unchanged."""
    found = _found(texts, path, english)
    return english if found is None else found


def _found(texts: tuple[ScenarioText, ...], path: str, english: str) -> str | None:
    want = norm(english)
    for t in texts:
        hit = t.texts.get(path)
        if hit is not None and hit[0] == want:
            return hit[1]
    return None


def text(sc: Scenario, path: str, lang: str | None = None) -> str:
    """The words shown for a scenario's text in ``lang`` (default: the run's language): the
    bundled sidecar's translation when it translates exactly this English, else the scenario's
    own words. An uploaded or edited scenario keeps the translations of the texts it did not
    change (same id, same English) and shows its own words for the others."""
    english = text_fields(sc).get(path, "")
    code = lang or language()
    if code == DEFAULT or not english:
        return english
    f = bundled_file(sc.id)
    return english if f is None else translate(file_texts(f, code), path, english)


@functools.lru_cache(maxsize=256)
def quoted(scenario_id: str, path: str, english: str) -> str:
    """A scenario text the core quotes inside its own sentences (``cost depends on ASSUMPTION
    HDH-W26``): the same English, which ``messages.render`` shows in the reader's language
    from the bundled sidecars (``messages.said``). Cached: the engine asks on every run."""
    f = bundled_file(scenario_id)
    if f is None:
        return english
    texts = {code: translate(file_texts(f, code), path, english)
             for code in LANGUAGES if code != DEFAULT}
    return said(english, texts) if any(t != english for t in texts.values()) else english


def gate_label(sc: Scenario, gate_id: str, label: str) -> str:
    """A gate result's label in the run's language: the scenario's translated label when the
    result carries the scenario's own label for that gate, else ``label`` as given (a
    catalogue's gate label is translated by the catalogue's sidecar; an engine-made one by
    ``messages.render``)."""
    gate = next((g for g in sc.gates if g.id == gate_id), None)
    if gate is None or gate.label is None or gate.label != label:
        return render(label)
    return text(sc, f"gates.{gate_id}.label")


def file_text(scenario_file: Path, path: str, english: str, lang: str | None = None) -> str:
    """``english`` (a scenario mapping's text at ``path``, as edited in the app) in ``lang``,
    from the sidecars of the bundled file it started from, when they translate exactly it."""
    code = lang or language()
    if code == DEFAULT:
        return english
    return translate(file_texts(scenario_file, code), path, english)


def text_by_id(scenario_id: str, path: str, english: str, lang: str | None = None) -> str:
    """``english`` at ``path`` of a scenario known only by its id and its mapping (a committee's
    published scenario), in ``lang``: the bundled scenario's sidecar when it translates exactly
    that English, else ``english``."""
    f = bundled_file(scenario_id) if scenario_id else None
    return english if f is None else file_text(f, path, english, lang)


def title_of_file(scenario_file: Path, lang: str | None = None) -> str:
    """A bundled scenario file's title in ``lang`` (the pickers list files, not scenarios)."""
    doc: dict[str, Any] = load_scenario_doc(scenario_file)
    return file_text(scenario_file, "title", str(doc.get("title") or scenario_file.stem), lang)


def missing_texts(sc: Scenario, texts: tuple[ScenarioText, ...]) -> list[str]:
    """The scenario's texts that no sidecar of ``texts`` translates (as they are now)."""
    return [p for p, en in text_fields(sc).items() if _found(texts, p, en) is None]


__all__ = ["SCENARIOS_DIR", "ScenarioText", "bundled_file", "chain_files", "check_sidecars",
           "file_text", "file_texts", "gate_label", "missing_texts", "norm", "parse_scenario_text",
           "sidecar_path", "sidecar_problems", "text", "text_by_id", "text_fields",
           "title_of_file", "translate"]
