"""The registry is the only road (issue 16): every method scores, takes its parameters and
explains itself through ``scoring.methods.registry``, and nothing outside ``scoring/methods``
knows a method by name.

The decisive test registers a method the code has never seen (a maximin) and finds it used by
the scenario parser, the engine, the explanation and the CLI with no other change.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from scoring.cli import main
from scoring.engine import evaluate, evaluate_path
from scoring.errors import ScenarioError
from scoring.methods.registry import (
    METHODS,
    REFERENCE_METHOD,
    Column,
    Figure,
    Method,
    Scale,
    get_method,
)
from scoring.report.explain import explain_data, explain_text
from scoring.scenario.load import load_scenario_doc, parse_scenario_doc

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "data" / "scenarios"
FloatArray = NDArray[np.float64]

# A string literal equal to a method id is allowed outside scoring/methods only here:
# ``scoring.topsis`` is a public function exported lazily by name, not a method comparison.
ALLOWED = {("scoring/__init__.py", "topsis")}


def _literals(path: Path) -> list[tuple[int, str]]:
    out = []
    with path.open("rb") as fh:
        for tok in tokenize.tokenize(fh.readline):
            if tok.type == tokenize.STRING:
                try:
                    value = ast.literal_eval(tok.string)
                except (ValueError, SyntaxError):
                    continue
                if isinstance(value, str):
                    out.append((tok.start[0], value))
    return out


def test_no_method_named_outside_the_methods_package() -> None:
    names = set(METHODS) | {m.params_key for m in METHODS.values() if m.params_key}
    found = []
    for base in ("scoring", "ui"):
        for path in sorted((ROOT / base).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("scoring/methods/"):
                continue
            found += [f"{rel}:{line}: {v!r}" for line, v in _literals(path)
                      if v.lower() in names and (rel, v.lower()) not in ALLOWED]
    assert not found, "method named outside scoring/methods:\n" + "\n".join(found)


# --------------------------------------------------------------------------------------------
# A new method, registered in a test only
# --------------------------------------------------------------------------------------------


class MaximinSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    cap: float = Field(default=100.0, ge=0, le=100)


def _maximin(cap: float) -> tuple:  # type: ignore[type-arg]
    def score(u: FloatArray, w: FloatArray) -> FloatArray:
        cols = u[:, w > 0]
        worst = cols.min(axis=1) if cols.shape[1] else np.full(u.shape[0], 100.0)
        return np.minimum(worst, cap)

    def explain(u: FloatArray, w: FloatArray) -> dict[str, FloatArray]:
        return {"shortfall": 100.0 - u}

    return score, explain


def _bind(method: Method, params: object, leaf_keys: object) -> Method:
    if params is None:
        return method
    assert isinstance(params, MaximinSettings)
    score, explain = _maximin(params.cap)
    from dataclasses import replace

    return replace(method, score=score, explain=explain, params=params)


@pytest.fixture
def maximin(monkeypatch: pytest.MonkeyPatch) -> Method:
    score, explain = _maximin(100.0)
    m = Method(
        name="maximin", label="Maximin", summary="The worst weighted answer of each offer.",
        reference="Wald (1950), Statistical Decision Functions", score=score, linear=False,
        depends_on_others=False, explain=explain, params_key="maximin",
        params_model=MaximinSettings, _binder=_bind,
        scale=Scale("m", "worst utility", 2, lambda s: s, "by {gap} in worst utility"),
        columns=(Column("shortfall", "shortfall", 1),),
        figures=(Figure("largest shortfall", "shortfall", "max", 1),),
        sort_keys=("shortfall",), note="Only the worst answer counts.",
    )
    monkeypatch.setitem(METHODS, "maximin", m)
    return m


def test_a_new_method_is_used_by_engine_explain_and_cli(maximin: Method) -> None:
    ev = evaluate_path(SCEN / "hdh-2026-j0.yaml", "maximin")
    assert ev.bound_method is maximin
    rows, u, w = ev.method_inputs()
    expect = u[:, w > 0].min(axis=1)
    for k, i in enumerate(rows):
        r = next(x for x in ev.results if x.index == i)
        assert r.total == pytest.approx(expect[k])
    offer = ev.results[0].offer.offer_id
    d = explain_data(ev, offer)
    md = d["method_detail"]
    assert md["method"] == "maximin" and md["columns"][0]["label"] == "shortfall"
    assert md["leaves"][0]["shortfall"] == max(x["shortfall"] for x in md["leaves"])
    assert md["figures"][0]["label"] == "largest shortfall"
    assert md["reference_view"]["method"] == REFERENCE_METHOD
    assert "How the Maximin total was built" in explain_text(d)

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["rank", str(SCEN / "hdh-2026-j0.yaml"), "--method", "maximin",
                     "--json"]) == 0
    assert json.loads(out.getvalue())["method"] == "maximin"
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["explain", str(SCEN / "hdh-2026-j0.yaml"), offer, "--method",
                     "maximin"]) == 0
    assert "Only the worst answer counts." in out.getvalue()


def test_a_new_method_takes_its_parameters_from_the_scenario(maximin: Method) -> None:
    doc = load_scenario_doc(SCEN / "hdh-2026-j0.yaml")
    sc = parse_scenario_doc({**doc, "method": "maximin", "maximin": {"cap": 40}})
    assert sc.method_params == {"maximin": {"cap": 40}}
    base = parse_scenario_doc({**doc, "method": "maximin"})
    offers = [r.offer for r in evaluate_path(SCEN / "hdh-2026-j0.yaml").results]
    ev = evaluate(sc, offers)
    assert all(r.total is None or r.total <= 40 for r in ev.results)
    assert sc.hash != base.hash  # the parameters are part of the content hash
    with pytest.raises(ScenarioError) as exc:
        parse_scenario_doc({**doc, "maximin": {"cap": 400}})
    assert [p.question for p in exc.value.problems] == ["maximin.cap"]


def test_engine_totals_come_from_the_registered_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The weighted sum too: replace its scorer and the engine's totals follow."""
    ref = get_method(REFERENCE_METHOD)
    calls: list[int] = []

    def counted(u: FloatArray, w: FloatArray) -> FloatArray:
        calls.append(u.shape[0])
        return ref.score(u, w)

    before = evaluate_path(SCEN / "hdh-2019-exclude.yaml")
    from dataclasses import replace

    monkeypatch.setitem(METHODS, REFERENCE_METHOD, replace(ref, score=counted))
    after = evaluate_path(SCEN / "hdh-2019-exclude.yaml")
    assert calls
    assert [(r.offer.offer_id, r.total, r.rank) for r in after.results] == \
        [(r.offer.offer_id, r.total, r.rank) for r in before.results]


def test_explain_pieces_are_what_the_engine_scored() -> None:
    """For every bundled scenario and method, the explanation's per-offer figures come from
    the very matrix the totals came from: the method's score of ``method_inputs`` is the
    total shown, and a linear method's pieces add up to it."""
    for name in METHODS:
        ev = evaluate_path(SCEN / "hdh-2019.yaml", name)
        rows, u, w = ev.method_inputs()
        m = ev.bound_method
        scores = m.score(u, w)
        for k, i in enumerate(rows):
            r = next(x for x in ev.results if x.index == i)
            assert r.total == pytest.approx(scores[k], abs=1e-9)
        if m.linear and m.explain is not None:
            np.testing.assert_allclose(m.explain(u, w)["contribution"].sum(axis=1), scores)


def test_sentence_gap_uses_the_method_unit_and_the_rounded_figures() -> None:
    """81.966 and 18.034 show as 81.97 and 18.03: TOPSIS's closeness gap is 0.6394 (from the
    figures shown), not 0.6393 (from the unrounded totals), and it is not 'points'."""
    names = {n: get_method(n).scale for n in METHODS}
    topsis_like = next(s for s in names.values() if s.symbol == "C")
    words = topsis_like.ahead_by(81.966, 18.034)
    assert words == "by 0.6394 in closeness to the ideal (C 0.8197 against 0.1803)"
    assert "points" not in words
    assert get_method(REFERENCE_METHOD).scale.ahead_by(83.754, 76.906) == "by 6.84 points"
    q = next(s for s in names.values() if not s.higher_is_better)
    assert q.ahead_by(100.0, 70.0).startswith("by 0.3000 in the compromise index")
