"""From a scenario to its evaluation: the offers it names loaded (relative to its file's folder,
one offer id per scenario, the committee's grades as answers), a session's uploads joined under
the same rule, then ``pipeline.evaluate``. The entry the CLI, the app and the exports call.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem, ScenarioError
from ..hashing import sha256_text
from ..io import load_offers
from ..io.grades import load_grades
from ..models import Catalogue, Offer
from ..rules.legal import load_timeline
from ..scenario.catalogue import resolve_gates, scenario_catalogue
from ..scenario.load import load_scenario
from ..scenario.model import Scenario
from .pipeline import evaluate
from .result import Evaluation


def resolve_offers(sc: Scenario, base: Path, cat: Catalogue,
                   file: str = "<scenario>") -> tuple[list[Offer], dict[str, str]]:
    """Load the offers a scenario names (relative paths against the scenario file's folder).

    One offer id is THE id of an offer inside a scenario: two offers with the same id (the
    2019 and the 2026 ``aws``) cannot be told apart in a ranking, so they are refused, located.
    """
    paths = [(base / p).resolve() for p in sc.offers.paths]
    loaded = load_offers(paths, cat)
    offers = [o for o in loaded.offers
              if (sc.offers.include is None or o.offer_id in sc.offers.include)
              and o.offer_id not in sc.offers.exclude]
    problems: list[Problem] = []
    if sc.offers.include:
        missing = set(sc.offers.include) - {o.offer_id for o in offers}
        if missing:
            problems.append(Problem(file, "", "offers.include",
                                    f"no such offer: {', '.join(sorted(missing))}"))
    seen: dict[str, Offer] = {}
    for o in offers:
        first = seen.setdefault(o.offer_id, o)
        if first is not o:
            problems.append(Problem(file, o.vendor_id, "offers.paths",
                                    f"offer id {o.offer_id!r} is loaded twice ({first.file}, era "
                                    f"{first.era}, and {o.file}, era {o.era}): a scenario scores "
                                    "each offer once; name one era's folder, or exclude one"))
    if problems:
        raise ScenarioError(problems)
    files = dict(loaded.files)
    if sc.grades is not None:
        offers, files = _with_grades(sc, base, cat, offers, files, file)
    return offers, files


def _with_grades(sc: Scenario, base: Path, cat: Catalogue, offers: list[Offer],
                 files: dict[str, str], file: str) -> tuple[list[Offer], dict[str, str]]:
    """The offers with the committee's grades of the scenario's evaluations file as answers
    (docs/catalogue.md, "grade"). A graded offer's hash covers its grades, so the result hash
    changes with them."""
    path = (base / (sc.grades or "")).resolve()
    grades, sha = load_grades(path, cat)
    ids = {o.offer_id for o in offers}
    unknown = sorted(set(grades) - ids)
    if unknown:
        raise ScenarioError([Problem(str(path), oid, f"grades.{oid}", "not an offer of the "
                                     f"scenario {sc.id}") for oid in unknown])
    out = [o if o.offer_id not in grades else o.model_copy(update={
        "answers": {**o.answers, **grades[o.offer_id]},
        "sha256": sha256_text(f"{o.sha256}|grades={sha}")}) for o in offers]
    return out, {**files, str(path): sha}


def evaluate_path(path: str | Path, method: str | None = None) -> Evaluation:
    """Load a scenario file and everything it names, then evaluate it.

    Next (docs/architecture.md): ``scoring.io.questionnaire.parse_questionnaire`` reads
    each offer, then ``evaluate`` scores them.
    """
    sc, base = load_scenario(path)
    return evaluate_scenario(sc, base, method=method, file=str(path))


def evaluate_scenario(sc: Scenario, base: Path, *, method: str | None = None,
                      extra_offers: Sequence[Offer] = (), file: str = "<scenario>"
                      ) -> Evaluation:
    """Evaluate a scenario already parsed (the app's working scenario): its offers are loaded
    relative to ``base``; ``extra_offers`` (a session's uploaded questionnaires) join them,
    under the same one-id-per-scenario rule."""
    cat = scenario_catalogue(sc, base)
    sc = resolve_gates(sc, cat, file)
    offers, files = resolve_offers(sc, base, cat, file)
    if extra_offers:
        seen = {o.offer_id: o for o in offers}
        clash = [o for o in extra_offers if o.offer_id in seen]
        if clash:
            raise ScenarioError([Problem(o.file, o.vendor_id, "offer.id",
                                         f"offer id {o.offer_id!r} is already in the scenario "
                                         f"({seen[o.offer_id].file}): rename the upload or "
                                         "exclude the bundled offer") for o in clash])
        offers = [*offers, *extra_offers]
        files = {**files, **{o.file: o.sha256 for o in extra_offers}}
    return evaluate(sc, offers, cat=cat, timeline=load_timeline(), method=method,
                    scenario_file=file, input_files=files)
