"""The files of the Export page, each named and stamped with the content hash of the result.

The JSON files are the CLI's contracts, byte for byte the objects ``hostwise rank | explain |
clarify | sensitivity --json`` print (``scoring.report``); each already holds ``"hash"``, the
content hash shown in the page header (``scoring.engine.result_hash``: scenario, method, legal
timeline, catalogue, every offer's bytes). File names carry its first 12 hex digits, so a file
on a committee's disk is matched to the screen it came from. The scenario YAML and the
workbooks carry the hash inside too (a comment; the workbook's Cover and properties).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import yaml

from scoring.engine import Evaluation
from scoring.i18n import _, language, use_language
from scoring.report.clarify import clarify_json
from scoring.report.explain import explain_data
from scoring.report.ranking import rank_json
from scoring.report.robustness import sensitivity_json
from scoring.robustness import SensitivityReport, sensitivity
from ui.components import robustness_analyses as rb
from ui.state import memo

JSON_MIME = "application/json"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Download:
    label: str
    what: str
    file_name: str
    mime: str
    data: bytes


def tag(ev: Evaluation) -> str:
    return ev.hash[:12]


def _json(build: Callable[[], dict[str, Any]]) -> bytes:
    """The CLI's JSON contract, built in English whatever the session's language: ``--json``
    is language-neutral (the sentences some contracts carry stay the CLI's, issue 19)."""
    with use_language("en"):
        return json.dumps(build(), indent=2, ensure_ascii=False, default=str).encode()


def sensitivity_report(ev: Evaluation) -> SensitivityReport:
    """``hostwise sensitivity`` with the CLI's defaults (pillar level, 10,000 samples, seed 0)."""
    return memo(("sensitivity", ev.hash),
                lambda: sensitivity(ev, "pillar", rb.SMAA_DEFAULT, 0))


def json_downloads(ev: Evaluation) -> list[Download]:
    t = tag(ev)
    out = [Download(_("Ranking (JSON)"), "hostwise rank --json", f"hostwise-rank-{t}.json",
                    JSON_MIME, _json(lambda: rank_json(ev)))]
    for lead in ev.leaders():  # one leader, or each member of a tie group
        oid = lead.offer.offer_id
        out.append(Download(_("How {offer}'s total was built (JSON)").format(offer=oid),
                            f"hostwise explain {oid} --json", f"hostwise-explain-leader-{t}.json",
                            JSON_MIME, _json(partial(explain_data, ev, oid))))
    out.append(Download(_("Clarification list (JSON)"), "hostwise clarify --json",
                        f"hostwise-clarify-{t}.json", JSON_MIME,
                        _json(lambda: clarify_json(ev, rb.clarifications(ev)))))
    out.append(Download(_("Sensitivity: stability, random weights, flip (JSON)"),
                        _("hostwise sensitivity --json (pillar level, 10,000 samples, seed 0)"),
                        f"hostwise-sensitivity-{t}.json", JSON_MIME,
                        _json(lambda: sensitivity_json(sensitivity_report(ev)))))
    return out


def scenario_yaml(ev: Evaluation, doc: dict[str, Any], title: str) -> Download:
    """The working scenario (``extends`` merged) as YAML, the hash in its first lines; its
    relative offer paths start from the bundled scenarios' folder (data/scenarios)."""
    head = (f"# Hostwise working scenario: {' '.join(title.split())}\n"
            f"# content hash {ev.hash}\n"
            "# Offer paths are relative to data/scenarios/ (save it there to run it with "
            "hostwise).\n")
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    return Download(_("Working scenario (YAML)"), _("the scenario as edited in this session"),
                    f"hostwise-scenario-{tag(ev)}.yaml", "application/x-yaml",
                    (head + body).encode())


def summary_workbook(ev: Evaluation, award: Any = None) -> Download | str:
    """The Excel summary of the evaluation, or why it is not available (the Excel helper's
    ``scoring.report.excel.summary_workbook``)."""
    try:
        from scoring.report.excel import summary_workbook as build
    except ImportError:
        return _("the Excel summary is not available in this version")

    def run() -> bytes:
        return build(ev, clarifications=rb.clarifications(ev), award=award,
                     sensitivity=sensitivity_report(ev))

    try:
        data = memo(("xlsx", ev.hash, award is not None, language()), run)
    except NotImplementedError as exc:
        return _("the Excel summary is not ready yet ({why})").format(why=exc)
    return Download(_("Summary workbook (Excel)"), _("every sheet of the evaluation"),
                    f"hostwise-summary-{tag(ev)}.xlsx", XLSX_MIME, data)


def template(ev: Evaluation, era: str | None) -> Download | str:
    """The blank questionnaire template (``report.questionnaire_template``)."""
    try:
        from scoring.report.questionnaire_template import template_workbook
    except ImportError:
        return _("the questionnaire template is not available in this version")
    try:
        data = memo(("template", era, language()), lambda: template_workbook(era))
    except NotImplementedError as exc:
        return _("the questionnaire template is not ready yet ({why})").format(why=exc)
    return Download(_("Questionnaire template (Excel, era {era})").format(era=era or _("any")),
                    _("the blank questionnaire a bidder fills in"),
                    f"hostwise-questionnaire-{era or 'any'}-{tag(ev)}.xlsx", XLSX_MIME, data)
