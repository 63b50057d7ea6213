"""The one working scenario of a browser session, and the few session keys around it.

Every page reads the working scenario from here and nothing else: started from a bundled or an
uploaded scenario, edited on the Criteria page, evaluated by the core (``scoring``), its content
hash shown in the header. The page and the bundled scenario are kept in the URL
(``st.query_params``) so that a link reopens the same view.

Session keys (all under ``hw.``):
- ``hw.working``: the ``Working`` scenario (its mapping, its folder, where it came from);
- ``hw.uploads``: offers uploaded in this session (never in a cache shared by users);
- ``hw.method``: the aggregation method picked for the session (None = the scenario's);
- ``hw.memo``: what a session with uploads computed (``memo``);
- ``hw.keep.<key>``: a widget's value kept across pages (``keep``, the one way to do it).

Caching: evaluations of bundled data are memoised in one process-wide store keyed by content
(the scenario's content hash, the data files' hash, the method): immutable results, shared
safely. A session with uploads keeps its evaluations in its own session state, keyed by the
same and by the uploaded files' hashes (``memo``): never in a cache shared by users.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from scoring.engine import Evaluation, evaluate_scenario
from scoring.errors import HostwiseError, Problem, ScenarioError
from scoring.i18n import _, language
from scoring.io.catalogue_rules import CATALOGUE_ID as BUNDLED_ID
from scoring.models import Catalogue, Offer
from scoring.scenario.catalogue import scenario_catalogue
from scoring.scenario.load import load_scenario_doc, parse_scenario_doc
from scoring.scenario.model import Scenario
from scoring.scenario.texts import file_text, title_of_file

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SCENARIOS = DATA / "scenarios"
DEFAULT = "hdh-2026-j0.yaml"
K_WORKING, K_UPLOADS, K_METHOD = "hw.working", "hw.uploads", "hw.method"
K_MEMO, K_KEEP = "hw.memo", "hw.keep."
_MEMO_MAX = 64
T = TypeVar("T")


@dataclass
class Working:
    """The working scenario: a scenario mapping (``extends`` merged), the folder its relative
    offer paths start from, and where it came from (a bundled file name or an upload)."""

    doc: dict[str, Any]
    base: Path
    origin: str  # bundled file name, or "upload: <name>"
    bundled: str | None = None  # the bundled file it started from (for "reset")
    edits: list[str] = field(default_factory=list)  # what the user changed, in words
    gates_off: list[dict[str, Any]] = field(default_factory=list)  # switched off, to switch on

    @property
    def title(self) -> str:
        """The title as written in the scenario (what an exported file carries)."""
        return str(self.doc.get("title") or self.doc.get("id") or self.origin)

    @property
    def shown_title(self) -> str:
        """The title shown to people: in the session's language while it is still the bundled
        file's (an edited or uploaded title is shown as written)."""
        raw = self.title
        return raw if self.bundled is None else file_text(SCENARIOS / self.bundled, "title", raw)


def bundled_titles() -> dict[str, str]:
    """Bundled scenario file -> its title in the session's language (pickers show titles,
    never file names)."""
    return _bundled_titles(language())


@st.cache_data(show_spinner=False)
def _bundled_titles(lang: str) -> dict[str, str]:
    """Cached per language: the cache is shared by every session, French or English."""
    out: dict[str, str] = {}
    for p in sorted(SCENARIOS.glob("*.yaml")):
        try:
            out[p.name] = title_of_file(p, lang)  # the sidecar's French title under French
        except HostwiseError:
            out[p.name] = p.stem
    return out


def _from_bundled(name: str) -> Working:
    p = SCENARIOS / name
    return Working(load_scenario_doc(p), p.parent, name, bundled=name)


def working() -> Working:
    """The session's working scenario (from the URL's ``scenario`` the first time)."""
    if K_WORKING not in st.session_state:
        name = st.query_params.get("scenario", DEFAULT)
        if name not in bundled_titles():
            name = DEFAULT
        st.session_state[K_WORKING] = _from_bundled(name)
    w: Working = st.session_state[K_WORKING]
    return w


def use_bundled(name: str) -> None:
    """Start the working scenario afresh from a bundled file (and put it in the URL)."""
    st.session_state[K_WORKING] = _from_bundled(name)
    st.query_params["scenario"] = name


def use_uploaded(doc: dict[str, Any], name: str) -> None:
    """Start from an uploaded scenario mapping (already read by the core's strict reader);
    its relative offer paths start from the bundled scenarios' folder."""
    _check_upload_paths(doc, name)
    parse_scenario_doc(doc, name)  # refuse a bad scenario before it replaces the working one
    st.session_state[K_WORKING] = Working(doc, SCENARIOS, f"upload: {name}")
    if "scenario" in st.query_params:
        del st.query_params["scenario"]


def _check_upload_paths(doc: dict[str, Any], name: str) -> None:
    """An uploaded scenario may name offers only inside the bundled ``data/vendors`` folder:
    otherwise a visitor could make the server read any YAML file it can reach."""
    offers = doc.get("offers")
    paths = offers.get("paths") if isinstance(offers, dict) else None
    vendors = (DATA / "vendors").resolve()
    bad = []
    for x in paths if isinstance(paths, list) else []:
        if not isinstance(x, str):
            continue
        target = (SCENARIOS / x).resolve()
        if target != vendors and vendors not in target.parents:
            bad.append(Problem(name, "", "offers.paths", _(
                "{path!r} is outside the bundled vendor folders (an uploaded scenario may use "
                "../vendors/2019 or ../vendors/2026 and the offers uploaded on the Offers "
                "page)").format(path=x)))
    cat = doc.get("catalogue")
    if cat is not None and not (isinstance(cat, str) and BUNDLED_ID.fullmatch(cat)
                                and (DATA / "catalogues" / cat).is_dir()):
        bad.append(Problem(name, "", "catalogue", _(
            "{name!r}: an uploaded scenario names a bundled catalogue by its id "
            "(data/catalogues/<id>), never a path").format(name=cat)))
    if doc.get("grades") is not None:
        bad.append(Problem(name, "", "grades", _(
            "an uploaded scenario cannot name a grades file on the server: the committee "
            "workspace records grades")))
    if bad:
        raise ScenarioError(bad)


def reset() -> None:
    w = working()
    use_bundled(w.bundled or DEFAULT)


def edit(path: tuple[str, ...], value: Any, words: str) -> None:
    """Set one value of the working scenario's mapping (e.g. ``("weights", "cost",
    "weight")``), checked by the core before it is kept: a bad edit raises HostwiseError and
    leaves the working scenario as it was."""
    w = working()
    doc = copy.deepcopy(w.doc)
    node = doc
    for k in path[:-1]:
        node = node.setdefault(k, {})
    node[path[-1]] = value
    parse_scenario_doc(doc, w.origin)
    w.doc = doc
    w.edits.append(words)


def scenario() -> Scenario:
    w = working()
    return parse_scenario_doc(w.doc, w.origin)


def catalogue() -> Catalogue:
    """The working scenario's catalogue (what an upload answers, what a tender asks)."""
    return scenario_catalogue(scenario(), working().base)


REPLAY_CATALOGUE = "hdh"  # the tender the Replay page and the bundled 2019/2026 offers replay


def catalogue_ref() -> str:
    """The working scenario's catalogue reference (``hdh`` when it names none)."""
    return str(working().doc.get("catalogue") or REPLAY_CATALOGUE)


def is_replay_tender() -> bool:
    """Whether the working scenario evaluates the replayed tender (``hdh``): the Replay page,
    the bundled 2019/2026 offers and the historical words belong to it; another tender (the
    ``ght-dpi`` demonstration) gets its own overview and only its own offers."""
    return catalogue_ref() == REPLAY_CATALOGUE


def uploads() -> list[Offer]:
    return list(st.session_state.get(K_UPLOADS, []))


def set_uploads(offers: list[Offer]) -> None:
    st.session_state[K_UPLOADS] = list(offers)


def method() -> str | None:
    return st.session_state.get(K_METHOD)


@st.cache_resource(max_entries=_MEMO_MAX * 8, show_spinner=False)
def _shared_store() -> dict[Hashable, Any]:
    """One process-wide dict for results computed from bundled data only (immutable values,
    keyed by content, so never stale)."""
    return {}


def memo(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key``, which must name every input by content (a scenario or
    evaluation hash, a sample count, a seed...).

    Why not ``st.cache_data`` alone: a session that uploaded questionnaires must keep what it
    computes to itself (issue 11: uploaded offers "never in a cache shared by users"), so it
    memoises in its own session state; other sessions share one process-wide store."""
    ups = uploads()
    if ups:
        store: dict[Hashable, Any] = st.session_state.setdefault(K_MEMO, {})
        key = (*key, *(o.sha256 for o in ups))
    else:
        store = _shared_store()
    if key not in store:
        if len(store) >= _MEMO_MAX * (1 if ups else 8):
            store.pop(next(iter(store)))
        store[key] = compute()
    value: T = store[key]
    return value


def _evaluate(sc: Scenario, base: Path, origin: str, method_name: str | None,
              extra: list[Offer]) -> Evaluation:
    """One evaluation, memoised by content: the scenario's hash (its canonical form), the
    folder its offer paths start from, the data files' hash, the method and (through ``memo``)
    the uploaded offers' hashes. Parsing the mapping is needed anyway to check it; the hash
    then replaces the former JSON dump of the mapping as the key."""
    key = ("evaluation", sc.hash, str(base), origin, content_key([DATA]), method_name)
    return memo(key, lambda: evaluate_scenario(sc, base, method=method_name, extra_offers=extra,
                                               file=origin))


def evaluation(method_name: str | None = None) -> Evaluation:
    """The working scenario evaluated by the core (the session's method unless one is given),
    with the session's uploaded offers: every page that reads the working scenario sees them."""
    w = working()
    return _evaluate(scenario(), w.base, w.origin, method_name or method(), uploads())


# ---------------------------------------------------------------- bundled scenarios, variants


def bundled_doc(name: str) -> dict[str, Any]:
    """A bundled scenario's mapping (``extends`` merged); ``name`` must be a bundled file."""
    if name not in bundled_titles():
        raise HostwiseError(_("no bundled scenario {name!r}").format(name=name))
    return load_scenario_doc(SCENARIOS / name)


def evaluate_doc(doc: dict[str, Any], origin: str, method_name: str | None = None,
                 base: Path = SCENARIOS) -> Evaluation:
    """Any scenario mapping on the bundled data only (no uploads), cached by content."""
    sc = parse_scenario_doc(doc, origin)
    key = ("evaluation", sc.hash, str(base), origin, content_key([DATA]), method_name)
    store = _shared_store()
    if key not in store:
        store[key] = evaluate_scenario(sc, base, method=method_name, file=origin)
    value: Evaluation = store[key]
    return value


def bundled_evaluation(name: str, policy: str | None = None) -> Evaluation:
    """A bundled scenario as published (optionally under another missing-answer policy, e.g.
    ``uncertain`` for total and rank ranges), on the bundled data only."""
    doc = bundled_doc(name)
    if policy is not None:
        doc = {**doc, "missing_policy": policy}
    return evaluate_doc(doc, name)


def working_variant(**changes: Any) -> Evaluation:
    """The working scenario with top-level fields changed (e.g. ``missing_policy="uncertain"``),
    uploads included; the working scenario itself is left as it is."""
    w = working()
    doc = {**copy.deepcopy(w.doc), **changes}
    return _evaluate(parse_scenario_doc(doc, w.origin), w.base, w.origin, method(), uploads())


# ---------------------------------------------------------------- URL and remembered choices


def sync_url() -> None:
    """Keep ``?scenario=`` in the URL while the working scenario started from a bundled file
    (a link reopens that scenario; edits stay in the session); none for an uploaded one.
    Called on every page because moving between pages clears the query string."""
    w = working()
    if w.bundled:
        if st.query_params.get("scenario") != w.bundled:
            st.query_params["scenario"] = w.bundled
    elif "scenario" in st.query_params:
        del st.query_params["scenario"]


def keep(key: str, default: Any, options: list[Any] | None = None) -> str:
    """The one way a widget's value survives a visit to another page: returns ``key`` for
    ``st.selectbox(..., key=state.keep("rank.offer", first, options))`` (no ``index=`` or
    ``value=``: the value goes through session state).

    Why: Streamlit drops a widget's state when its page is not drawn (issue 11: "the page
    forgets its choices when you visit another"). The value is mirrored under
    ``hw.keep.<key>`` on every run and put back before the widget is drawn again; a value no
    longer among ``options`` (another scenario's offer) falls back to ``default``."""
    store = K_KEEP + key
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(store, default)
    current = st.session_state[key]
    if options is not None and (any(x not in options for x in current)
                                if isinstance(current, list) else current not in options):
        st.session_state[key] = ([x for x in current if x in options] or default
                                 if isinstance(current, list) else default)
    st.session_state[store] = st.session_state[key]
    return key


def set_kept(key: str, value: Any) -> None:
    """Set a kept widget's value from code (before the widget is drawn in this run)."""
    st.session_state[key] = value
    st.session_state[K_KEEP + key] = value


def content_key(paths: Iterable[Path]) -> str:
    """SHA-256 of the bytes of every YAML file under ``paths``: the cache key of anything
    computed from them, so an edited or removed vendor file is never served from a stale cache
    (a path, or a modification time that a copy preserves, is not the content)."""
    h = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*.yaml"))
        for f in files:
            h.update(str(f).encode())
            h.update(f.read_bytes())
    return h.hexdigest()
