"""The summary workbook recomputed by a real spreadsheet engine (LibreOffice headless).

(a) every total LibreOffice computes from the formulas equals the engine's total to 1e-9, under
each missing-answer policy; (b) after a weight cell is edited (openpyxl, formulas kept) and the
workbook recalculated, the ranks equal ``hostwise rank`` on the scenario with the same weight.
LibreOffice keeps the cached values of an .xlsx by default, so the throw-away profile sets
``OOXMLRecalcMode`` to 0 (always recalculate); ``test_profile_forces_recalculation`` proves it.
Without ``soffice`` the tests skip with the reason, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
import yaml

from scoring import i18n
from scoring.cli.main import main
from scoring.engine import Evaluation, evaluate_path
from scoring.i18n import use_language
from scoring.report.excel import summary_workbook
from scoring.report.excel_cells import sheet_name

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "data" / "scenarios" / "hdh-2019.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="module")
def recalc(tmp_path_factory: pytest.TempPathFactory) -> Any:
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required under CI to recalculate workbooks")
        pytest.skip("LibreOffice (soffice) is not installed: the workbook's formulas cannot be "
                    "recalculated by a real engine here")
    base = tmp_path_factory.mktemp("lo")
    profile = base / f"lo_{os.getpid()}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE)

    calls = iter(range(10_000))

    def run(data: bytes, name: str = "book.xlsx") -> openpyxl.Workbook:
        n = next(calls)  # a fresh folder per call: never read a previous call's output
        src, out = base / f"in{n}" / name, base / f"out{n}"
        src.parent.mkdir()
        out.mkdir()
        src.write_bytes(data)
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                       check=True, capture_output=True, timeout=180)
        assert (out / name).is_file(), "LibreOffice wrote no converted workbook"
        return openpyxl.load_workbook(out / name, data_only=True)

    return run


def _scores(wb: openpyxl.Workbook, lang: str = "en") -> dict[str, tuple[Any, Any]]:
    """offer -> (rank, total) read from the Scores sheet (header row has 'Offer' in B), its
    name and header in the workbook's language."""
    with use_language(lang):
        ws = wb[sheet_name("Scores")]
        offer = i18n._("Offer")
    head = next(r for r in range(1, 20) if ws.cell(r, 2).value == offer)
    out = {}
    for r in range(head + 4, ws.max_row + 1):
        offer = ws.cell(r, 2).value
        if offer:
            out[str(offer)] = (ws.cell(r, 1).value, ws.cell(r, 5).value)
    return out


def _scenario_copy(tmp: Path, **changes: Any) -> Path:
    """The bundled scenario with ``changes`` (dotted keys), offers by absolute path."""
    doc = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    doc["offers"]["paths"] = [str((SCENARIO.parent / p).resolve())
                              for p in doc["offers"]["paths"]]
    for key, v in changes.items():
        cur = doc
        parts = key.split(".")
        for p in parts[:-1]:
            cur = cur[p]
        cur[parts[-1]] = v
    doc.pop("lots", None)
    doc.pop("allocation", None)
    path = tmp / "scenario.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _check_totals(ev: Evaluation, wb: openpyxl.Workbook, lang: str = "en") -> None:
    got = _scores(wb, lang)
    assert set(got) == {r.offer.offer_id for r in ev.results}
    for r in ev.results:
        rank, total = got[r.offer.offer_id]
        assert total == pytest.approx(r.total, abs=1e-9), r.offer.offer_id
        assert (rank if rank != "" else None) == r.shared_rank, r.offer.offer_id


def test_profile_forces_recalculation(recalc: Any) -> None:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("S")
    ws.write_number(0, 0, 2)
    ws.write_formula(0, 1, "=A1*3", None, 999)  # a deliberately stale cached value
    wb.close()
    assert recalc(buf.getvalue(), "stale.xlsx")["S"]["B1"].value == 6


@pytest.mark.parametrize("policy", ["exclude", "worst", "uncertain"])
def test_totals_recomputed_by_libreoffice(recalc: Any, tmp_path: Path, policy: str) -> None:
    ev = evaluate_path(_scenario_copy(tmp_path, missing_policy=policy))
    assert sum(1 for r in ev.results if r.eligible) >= 3
    wb = recalc(summary_workbook(ev, sensitivity=False), f"{policy}.xlsx")
    _check_totals(ev, wb)


@pytest.mark.parametrize("policy", ["exclude", "uncertain"])
def test_french_workbook_recomputed_by_libreoffice(recalc: Any, tmp_path: Path,
                                                   policy: str) -> None:
    """The workbook in French (sheet names with accents and spaces, "oui" in the Eligible
    column the rank formulas test): LibreOffice recomputes the same totals and ranks."""
    ev = evaluate_path(_scenario_copy(tmp_path, missing_policy=policy))
    with use_language("fr"):
        data = summary_workbook(ev, sensitivity=False)
    wb = recalc(data, f"fr-{policy}.xlsx")
    assert "Pondérations" in wb.sheetnames and "Critères éliminatoires" in wb.sheetnames
    _check_totals(ev, wb, "fr")


def test_french_edited_weight_ranks_equal_hostwise_rank(recalc: Any, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """A weight edited in the French workbook: its defined names point at 'Pondérations' and
    the recomputed ranks are ``hostwise rank``'s with the same weight."""
    base = _scenario_copy(tmp_path)
    ev = evaluate_path(base)
    with use_language("fr"):
        data = summary_workbook(ev, sensitivity=False)
    got = _scores(recalc(_set_weight(data, "w_cost", 300), "fr-edited.xlsx"), "fr")
    path = _scenario_copy(tmp_path, **{"weights.cost.weight": 300})
    assert main(["rank", str(path), "--json"]) == 0
    ranked = json.loads(capsys.readouterr().out)["results"]
    assert {o: (rk if rk != "" else None) for o, (rk, _t) in got.items()} == {
        r["offer"]: r["rank"] for r in ranked}


def test_cached_values_equal_engine_without_recalculation() -> None:
    ev = evaluate_path(SCENARIO)
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(ev, sensitivity=False)),
                                data_only=True)
    _check_totals(ev, wb)


def _set_weight(data: bytes, name: str, value: float) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))  # formulas kept
    dn = wb.defined_names[name]
    sheet, ref = next(iter(dn.destinations))
    wb[sheet][ref.replace("$", "")].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("pillar", "weight"), [("cost", 300), ("legal", 0), ("technical", 5)])
def test_edited_weight_ranks_equal_hostwise_rank(recalc: Any, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 pillar: str, weight: float) -> None:
    base = _scenario_copy(tmp_path)
    ev = evaluate_path(base)
    edited = _set_weight(summary_workbook(ev, sensitivity=False), f"w_{pillar}", weight)
    got = _scores(recalc(edited, "edited.xlsx"))
    path = _scenario_copy(tmp_path, **{f"weights.{pillar}.weight": weight})
    assert main(["rank", str(path), "--json"]) == 0
    ranked = json.loads(capsys.readouterr().out)["results"]
    want = {r["offer"]: r["rank"] for r in ranked}
    assert {o: (rk if rk != "" else None) for o, (rk, _t) in got.items()} == want
    totals = {r["offer"]: r["total"] for r in ranked}
    before = {r.offer.offer_id: r.rank for r in ev.results}
    for o, (_rk, t) in got.items():
        assert t == pytest.approx(totals[o], abs=1e-6)  # the JSON rounds to 6 decimals
    if pillar == "cost":
        assert want != before, "the edit must change the ranking for the test to mean much"


def _with_totals(totals: list[float], eligible: list[bool] | None = None) -> Evaluation:
    """The bundled evaluation reduced to one pillar of two questions weighted 0.5 each, the
    offers' utilities both equal to the wanted total: the weighted sum is then exactly the
    total in any engine (halving and doubling are exact), so the ranking rule alone decides.
    Ranks are the engine's (``scoring.ranking.ranks`` and ``shared_ranks`` over the eligible
    offers)."""
    import dataclasses

    import numpy as np

    from scoring.engine import Leaf
    from scoring.ranking import ranks, shared_ranks

    ev = evaluate_path(SCENARIO)
    m = len(totals)
    ok = eligible or [True] * m
    leaves = (Leaf("technical", "platform", "qa", 0.5, 1.0, 1.0, "1"),
              Leaf("technical", "platform", "qb", 0.5, 1.0, 1.0, "1"))
    util = np.repeat(np.array(totals, dtype=float)[:, None], 2, axis=1)
    idx = [i for i in range(m) if ok[i]]
    rk = dict(zip(idx, (int(x) for x in ranks(np.array(totals)[idx])), strict=True))
    shared = dict(zip(idx, (int(x) for x in shared_ranks(np.array(totals)[idx])), strict=True))
    base = next(r for r in ev.results if r.eligibility == "pass")
    failing = next(r.gates for r in ev.results if r.eligibility == "fail")
    offers, results = [], []
    for i, t in enumerate(totals):
        o = base.offer.model_copy(update={"offer_id": f"o{i}", "vendor_name": f"Vendor {i}"})
        offers.append(o)
        results.append(dataclasses.replace(
            base, offer=o, eligible=ok[i], excluded_by=() if ok[i] else ("gate",), total=t,
            gates=base.gates if ok[i] else failing, rank_if_admitted=None, tied_with=(),
            rank=rk.get(i), shared_rank=shared.get(i), coverage=1.0, index=i,
            pillars={"technical": t},
            total_range=None, rank_range=None))
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.index))
    sc = ev.scenario.model_copy(update={"missing_policy": "worst"})
    return dataclasses.replace(ev, scenario=sc, leaves=leaves, results=tuple(results),
                               offers=tuple(offers), utilities=util,
                               effective_weights=np.full((m, 2), 0.5),
                               reasons=tuple(("", "") for _ in range(m)), bounds=None)


TIE_CASES = {
    # 9-decimal rounding splits these (50.000000000 against 50.000000001); the gap is 2e-13
    "rounding boundary": [50.0000000004999, 50.0000000005001, 40.0],
    # neighbours 0.6e-9 apart tie link by link (a chain), 1.3e-9 above starts a new group
    "chain": [50.0, 50.0 + 0.6e-9, 50.0 + 1.2e-9, 50.0 + 2.5e-9, 10.0],
}


@pytest.mark.parametrize("case", list(TIE_CASES))
def test_rank_formula_cached_values_follow_the_gap_rule(case: str) -> None:
    ev = _with_totals(TIE_CASES[case], [True] * (len(TIE_CASES[case]) - 1) + [False])
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(ev, sensitivity=False)),
                                data_only=True)
    _check_totals(ev, wb)


@pytest.mark.parametrize("case", list(TIE_CASES))
def test_rank_formula_recomputed_follows_the_gap_rule(recalc: Any, case: str) -> None:
    """LibreOffice recomputes the ranks from the formulas: the engine's ranks, where rounding
    totals to 9 decimals (the former formula) would give another order."""
    totals = TIE_CASES[case]
    ev = _with_totals(totals, [True] * (len(totals) - 1) + [False])
    want = {r.offer.offer_id: r.shared_rank for r in ev.results}
    rounded = [round(t, 9) for t in totals[:-1]]  # the former formula: 1 + rounded totals ahead
    assert want != {f"o{i}": 1 + sum(x > rounded[i] for x in rounded)
                    for i in range(len(rounded))} | {f"o{len(totals) - 1}": None}, \
        "the case must separate the two rules"
    _check_totals(ev, recalc(summary_workbook(ev, sensitivity=False), f"tie-{case}.xlsx"))


def test_rank_formula_arithmetic_equals_the_engine_on_random_near_ties() -> None:
    """The rank formula's arithmetic (``_tie_groups`` gives its cached helpers), replayed in
    Python on clustered random totals with gaps around the tolerance, equals
    ``scoring.ranking.shared_ranks`` over the eligible offers."""
    import numpy as np

    from scoring.ranking import shared_ranks
    from scoring.report.excel_model import _tie_groups

    rng = np.random.default_rng(7)
    for _ in range(100):
        m = int(rng.integers(2, 12))
        base = rng.choice([10.0, 50.0, 99.0], m)
        totals = base + rng.choice([0.0, 0.4e-9, 0.6e-9, 1.1e-9, 2e-9, 0.3], m) * \
            rng.integers(0, 4, m)
        ok = rng.random(m) < 0.8
        ev = _with_totals([float(t) for t in totals], [bool(x) for x in ok])
        _keys, _srt, grp, mine = _tie_groups(ev)
        got = {r.index: grp.index(mine[n]) + 1  # MATCH(g_i, G, 0)
               for n, r in enumerate(ev.results) if r.eligible}
        idx = np.flatnonzero(ok)
        want = dict(zip(idx.tolist(), shared_ranks(totals[idx]).tolist(), strict=True))
        assert got == want, (totals, ok)
