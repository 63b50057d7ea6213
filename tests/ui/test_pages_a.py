"""Replay, Offers, Criteria & weights and Ranking pages (AppTest): every bundled scenario
renders; the key widgets change what they should, and the numbers shown are the CLI's.

Edits of a ``st.data_editor`` are simulated the way the browser sends them (the widget state
``{"edited_rows": {row: {column: value}}}``), because AppTest has no setter for that widget.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from scoring.engine import evaluate_path
from scoring.io.catalogue import load_catalogue
from scoring.report.explain import explain_data
from scoring.report.numbers import points
from scoring.report.ranking import rank_json
from scoring.scenario.load import load_scenario_doc
from ui.components.uploads import read_questionnaires

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "data" / "scenarios"
BUNDLED = sorted(p.name for p in SCENARIOS.glob("*.yaml"))
PAGES = ["replay", "offers", "criteria", "ranking"]
EVIL = "<img src=x onerror=\"document.title='pwned'\">"


def _page(name: str, scenario: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"ui/pages/{name}.py")  # through the app: its title and header
    if scenario:
        at.query_params["scenario"] = scenario
    return at


def _app(scenario: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["scenario"] = scenario
    return at


def _edit(at: AppTest, key: str, row: int, column: str, value: Any) -> None:
    at.session_state[key] = {"edited_rows": {row: {column: value}}, "added_rows": [],
                             "deleted_rows": []}


def _ranking_table(at: AppTest) -> Any:
    """The Ranking page's main table (the one with a 'total range' column)."""
    for df in at.dataframe:
        v = df.value
        if "total" in v.columns and any(c.startswith("total range") for c in v.columns):
            return v
    raise AssertionError("no ranking table on the page")


def _cli_rank(doc: dict[str, Any], tmp: Path, method: str | None = None) -> dict[str, Any]:
    """``hostwise rank --json`` for a scenario mapping (offer paths made absolute)."""
    doc = json.loads(json.dumps(doc, default=str))
    doc["offers"]["paths"] = [str((SCENARIOS / p).resolve()) for p in doc["offers"]["paths"]]
    f = tmp / "edited.yaml"
    f.write_text(yaml.safe_dump(doc), encoding="utf-8")
    cmd = [sys.executable, "-m", "scoring", "rank", str(f), "--json"]
    if method:
        cmd += ["--method", method]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _assert_table_is_cli(table: Any, cli: dict[str, Any]) -> None:
    assert list(table["offer"]) == [r["offer"] for r in cli["results"]]
    for (_, row), r in zip(table.iterrows(), cli["results"], strict=True):
        assert row["rank"] == ("—" if r["rank_label"] == "-" else r["rank_label"])
        assert row["total"] == ("—" if r["total"] is None else points(r['total']))
        for p, v in r["pillars"].items():
            assert row[p] == ("—" if v is None else points(v)), (r["offer"], p)
    assert "None" not in table.to_string()


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_every_bundled_scenario(page: str) -> None:
    for name in BUNDLED:
        at = _page(page, name)
        at.run()
        assert not at.exception, (page, name, [e.message for e in at.exception])
        assert not at.error, (page, name, [e.value for e in at.error])
        title = str(load_scenario_doc(SCENARIOS / name)["title"])
        assert title in [t.value for t in at.text]  # the title, never the file name
        picker = at.selectbox(key="hw.pick")
        assert title in picker.options and not any(".yaml" in o for o in picker.options)


def test_ranking_numbers_are_the_cli_json(tmp_path: Path) -> None:
    for name in ("hdh-2019.yaml", "hdh-2026-j0.yaml"):
        at = _page("ranking", name)
        at.run()
        _assert_table_is_cli(_ranking_table(at), _cli_rank(load_scenario_doc(SCENARIOS / name),
                                                            tmp_path))


def test_raising_sovereignty_changes_the_ranking_as_the_cli_says(tmp_path: Path) -> None:
    """Sovereignty weight raised to 300 on the Criteria page: the Ranking page's order changes,
    and it is the order of ``hostwise rank --json`` for the same edited scenario. The scenario
    is the first of hdh-2019 / hdh-2026-j0 where the CLI says the order moves (the bundled data
    is still being curated; on the data of this commit both do)."""
    order = None
    for name in ("hdh-2019.yaml", "hdh-2026-j0.yaml"):
        doc = load_scenario_doc(SCENARIOS / name)
        before_cli = [r["offer"] for r in _cli_rank(doc, tmp_path)["results"]]
        doc["weights"]["sovereignty"]["weight"] = 300.0
        cli = _cli_rank(doc, tmp_path)
        if [r["offer"] for r in cli["results"]] != before_cli:
            order = (name, before_cli, cli)
            break
    assert order is not None, "no bundled scenario where sovereignty moves the ranking"
    name, before_cli, cli = order
    at = _app(name)
    at.run()
    at.switch_page("ui/pages/ranking.py").run()
    assert list(_ranking_table(at)["offer"]) == before_cli
    at.switch_page("ui/pages/criteria.py").run()
    pillars = list(at.data_editor[0].value["pillar"])
    _edit(at, "crit.pillars", pillars.index("sovereignty"), "weight", 300.0)
    at.run()
    assert not at.exception and not at.error
    at.switch_page("ui/pages/ranking.py").run()
    after = _ranking_table(at)
    assert list(after["offer"]) != before_cli
    _assert_table_is_cli(after, cli)
    assert "(edited in this session)" in at.text[0].value


def test_turning_the_immunity_gate_off_readmits_an_offer() -> None:
    ev = evaluate_path(SCENARIOS / "hdh-2026-j0.yaml", "wsm")
    only = [r.offer.offer_id for r in ev.results if r.excluded_by == ("immunity",)]
    assert only, "no offer excluded by the immunity gate alone"
    offer = only[0]
    at = _app("hdh-2026-j0.yaml")
    at.run()
    at.switch_page("ui/pages/ranking.py").run()
    assert _ranking_table(at).set_index("offer").loc[offer, "rank"] == "—"
    at.switch_page("ui/pages/criteria.py").run()
    gates = at.data_editor[-1].value
    assert list(gates.columns[:2]) == ["on", "gate"]
    _edit(at, "crit.gates", list(gates["gate"]).index("immunity"), "on", False)
    at.run()
    assert not at.exception and not at.error
    at.switch_page("ui/pages/ranking.py").run()
    table = _ranking_table(at).set_index("offer")
    assert table.loc[offer, "rank"] != "—"  # excluded only by immunity: back in the ranking
    # and on again: excluded again (the gate's definition was kept in the session)
    at.switch_page("ui/pages/criteria.py").run()
    gates = at.data_editor[-1].value
    _edit(at, "crit.gates", list(gates["gate"]).index("immunity"), "on", True)
    at.run()
    at.switch_page("ui/pages/ranking.py").run()
    assert _ranking_table(at).set_index("offer").loc[offer, "rank"] == "—"


def test_topsis_explanation_shows_the_topsis_figures(tmp_path: Path) -> None:
    at = _page("ranking", "hdh-2026-j0.yaml")
    at.run()
    at.radio(key="rank.method").set_value("topsis").run()
    assert not at.exception
    ev = evaluate_path(SCENARIOS / "hdh-2026-j0.yaml", "topsis")
    _assert_table_is_cli(_ranking_table(at), rank_json(ev))
    offer = str(at.selectbox(key="rank.offer").value)
    d = explain_data(ev, offer)
    md = d["method_detail"]
    texts = [t.value for t in at.text]
    assert any(f"under TOPSIS, total {points(d['total'])}" in t for t in texts)
    line = next(t for t in texts if t.startswith("How the TOPSIS total was built"))
    s_plus = next(x for x in md["figures"] if x["label"] == "S+")["value"]
    assert f"C = {md['figure']:.4f}" in line and f"S+ = {s_plus:.4f}" in line
    wsm = evaluate_path(SCENARIOS / "hdh-2026-j0.yaml", "wsm").result(offer).total
    assert wsm is not None and abs(wsm - d["total"]) > 0.01  # not the weighted-sum figure


def test_ranking_with_no_eligible_offer_says_which_gates_exclude() -> None:
    at = _app("hdh-2026.yaml")
    at.run()
    at.switch_page("ui/pages/criteria.py").run()
    at.number_input[-1].set_value(1.0).run()  # minimum coverage 100%: nobody answered all
    at.switch_page("ui/pages/ranking.py").run()
    assert not at.exception
    table = _ranking_table(at)
    assert set(table["rank"]) == {"—"}
    assert at.warning and "No offer passes the gates" in at.warning[0].value
    assert any(t.value.startswith("No offer passes every gate") for t in at.text)


def test_choices_survive_a_visit_to_another_page() -> None:
    at = _app("hdh-2026-j0.yaml")
    at.run()
    at.switch_page("ui/pages/ranking.py").run()
    options = at.selectbox(key="rank.offer").options
    at.selectbox(key="rank.offer").set_value("scaleway").run()
    at.switch_page("ui/pages/offers.py").run()
    at.switch_page("ui/pages/ranking.py").run()
    assert at.selectbox(key="rank.offer").value == "scaleway", options
    assert at.query_params["scenario"] == ["hdh-2026-j0.yaml"] or \
        at.query_params["scenario"] == "hdh-2026-j0.yaml"


def _questionnaire(vendor: str, offer_id: str) -> bytes:
    cat = load_catalogue()
    answers = "\n".join(f"  {q.id}: unknown" for q in cat.questions if q.required)
    return (f"schema: 1\nvendor: {{id: evil, name: {json.dumps(vendor)}, group: evil}}\n"
            f"offer: {{id: {offer_id}, name: {json.dumps('<style>h1{display:none}</style>')}}}\n"
            "era: \"2026\"\nas_of: 2026-04-01\ncurrencies: [EUR]\n"
            "sources:\n  S1: {title: \"[x](javascript:alert(1))\", url: \"javascript:alert(1)\", "
            "date: 2026-04-01}\n"
            f"answers:\n{answers}\n").encode()


def test_uploads_are_checked_on_the_server() -> None:
    good = _questionnaire(EVIL, "evil-cloud")
    offers, problems = read_questionnaires([("evil.yaml", good)])
    assert not problems and offers[0].vendor_name == EVIL
    _, problems = read_questionnaires([
        ("a.yaml", good), ("b.yaml", b"schema: 1\nvendor: [\n"), ("c.exe", b"MZ"),
        ("d.xlsx", b"not a zip"), ("e.yaml", b"x" * (1_048_576 + 1)), ("f.yaml", good)])
    where = {p.file for p in problems}
    assert {"b.yaml", "c.exe", "d.xlsx", "e.yaml"} <= where  # every bad file named
    assert any("also in" in p.message for p in problems)  # one id in two files


def test_hostile_vendor_name_shows_as_text_on_every_page() -> None:
    offers, problems = read_questionnaires([("evil.yaml", _questionnaire(EVIL, "evil-cloud"))])
    assert not problems
    for page in PAGES:
        at = _page(page, "hdh-2026-j0.yaml")
        at.session_state["hw.uploads"] = offers
        at.run()
        assert not at.exception, page
        shown = [df.value.to_string() for df in at.dataframe] + [t.value for t in at.text]
        if page in ("offers", "ranking"):
            assert any(EVIL in s for s in shown), page  # verbatim, as text
        for md in [*at.markdown, *at.caption, *at.title, *at.subheader, *at.warning,
                   *at.error, *at.info, *at.success]:
            assert "<img" not in md.value and "<style>" not in md.value, (page, md.value)


def test_offer_sources_link_only_web_addresses() -> None:
    offers, _ = read_questionnaires([("evil.yaml", _questionnaire("Evil", "evil-cloud"))])
    at = _page("offers", "hdh-2026-j0.yaml")
    at.session_state["hw.uploads"] = offers
    at.session_state["hw.keep.offers.pick"] = "2026/evil-cloud"
    at.run()
    assert not at.exception
    src = next(df.value for df in at.dataframe if "reference (not a web link)" in df.value)
    assert set(src["link"]) == {""}  # javascript: is never a link
    assert "javascript:alert(1)" in set(src["reference (not a web link)"])


def test_excel_questionnaire_upload_goes_through_the_excel_reader() -> None:
    """A filled .xlsx template is read by ``parse_workbook``; a blank one is refused with
    sheet!cell locations; the hostile vendor name survives the round trip as plain text."""
    from scoring.io.yamlsafe import load_yaml
    from scoring.report.questionnaire_template import template_workbook

    doc = load_yaml(_questionnaire(EVIL, "evil-xlsx"))
    offers, problems = read_questionnaires([("evil.xlsx", template_workbook("2026", doc=doc))])
    assert not problems, problems
    assert offers[0].vendor_name == EVIL and offers[0].offer_id == "evil-xlsx"
    _, problems = read_questionnaires([("blank.xlsx", template_workbook("2026"))])
    assert problems and all(p.file == "blank.xlsx" for p in problems)
    assert any("!" in p.question for p in problems)  # located as sheet!cell


def test_a_refused_edit_is_shown_located_and_changes_nothing() -> None:
    at = _page("criteria", "hdh-2026-j0.yaml")
    at.run()
    before = at.session_state["hw.working"].doc["weights"]["cost"]["weight"]
    pillars = list(at.data_editor[0].value["pillar"])
    _edit(at, "crit.pillars", pillars.index("cost"), "weight", -5.0)
    at.run()
    assert not at.exception
    assert at.error and "refused" in at.error[0].value
    problems = next(d.value for d in at.dataframe if "message" in d.value.columns)
    assert any("weights.cost" in q for q in problems["question"])
    assert at.session_state["hw.working"].doc["weights"]["cost"]["weight"] == before


def test_an_uploaded_scenario_may_not_read_outside_the_vendor_folders() -> None:
    from scoring.errors import ScenarioError
    from ui.state import _check_upload_paths

    _check_upload_paths({"offers": {"paths": ["../vendors/2026"]}}, "ok.yaml")
    for bad in ("/etc", "../../..", "../questions.yaml", "../vendors/../../tests"):
        with pytest.raises(ScenarioError) as e:
            _check_upload_paths({"offers": {"paths": [bad]}}, "up.yaml")
        assert e.value.problems[0].question == "offers.paths"


def test_an_uploaded_scenario_names_a_bundled_catalogue_and_no_grades_file() -> None:
    """Issue 19: ``catalogue:`` and ``grades:`` would be file reads on the server."""
    from scoring.errors import ScenarioError
    from ui.state import _check_upload_paths

    ok = {"offers": {"paths": ["../vendors/2026"]}}
    _check_upload_paths({**ok, "catalogue": "hdh"}, "ok.yaml")
    for field, bad in (("catalogue", "/etc/passwd"), ("catalogue", "../catalogues/hdh/c.yaml"),
                       ("catalogue", "nosuch"), ("grades", "../../grades.yaml")):
        with pytest.raises(ScenarioError) as e:
            _check_upload_paths({**ok, field: bad}, "up.yaml")
        assert e.value.problems[0].question == field
