"""Names and notes are cleaned like vendor ids: NFKC, no control, bidi or invisible character,
one script, and no member name that looks like another within a tender."""

from __future__ import annotations

import json

import pytest

from scoring.committee import CommitteeError, Person, audit, panel, workflow

from .conftest import BOB, CHAIR, QUESTIONS, SCENARIO, Run


@pytest.mark.parametrize("name", ["Eve\x1b[2J\nchair: approved", "Eve\u202eriahC", "Evе"])
def test_a_hostile_member_name_is_refused(run: Run, name: str) -> None:
    with pytest.raises(CommitteeError, match=r"control|right-to-left|scripts"):
        workflow.add_member(run.store, CHAIR, run.tid, name, "observer")
    with pytest.raises(CommitteeError):
        Person(name)
    assert all(name not in r.actor and name not in r.detail_json
               for r in audit.records(run.store))


def test_names_are_stored_in_nfkc_and_look_alikes_refused(run: Run) -> None:
    assert Person("ＥＶＥ Ｍ").name == "EVE M"
    with pytest.raises(CommitteeError, match="looks like member 'Alice Evaluator'"):
        workflow.add_member(run.store, CHAIR, run.tid, "alice  evaluator", "observer")
    with pytest.raises(CommitteeError, match="looks like member 'Olga Observer'"):
        workflow.add_member(run.store, CHAIR, run.tid, "0lga Observer", "observer")


def test_notes_and_titles_are_cleaned(run: Run) -> None:
    with pytest.raises(CommitteeError, match="tender title"):
        workflow.create_tender(run.store, CHAIR, "Cloud\x1b]0;pwned\x07", SCENARIO, QUESTIONS)
    run.to("opened")
    with pytest.raises(CommitteeError, match=r"declaration note.*right-to-left"):
        panel.declare(run.store, BOB, run.tid, "gamma", True, "no link \u202e")
    panel.declare(run.store, BOB, run.tid, "gamma", True, "  worked there\n(2019-2024)  ")
    assert json.loads(audit.records(run.store)[-1].detail_json)["note"] == \
        "worked there\n(2019-2024)"
