"""The YAML questionnaire applies the Excel import's id rules (issue 18): an offer, vendor or
group id must be written in its canonical form (a full-width id is refused, not folded into
another id), of the id character class (no ``../``), and a name holds no control character
(U+0085 NEL included); each refusal names the file, the vendor and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.errors import QuestionnaireError
from scoring.io import load_offers
from scoring.io.excel import Read, _identity_ok
from tests.conftest import BAD_FILE, problems_of, replace_once

OFFER = "offer: {id: azure,"
VENDOR = "vendor: {id: microsoft,"
NAME = "offer: {id: azure, name: Microsoft Azure (public cloud regions)}"


@pytest.mark.parametrize(("old", "new", "field", "why"), [
    (OFFER, 'offer: {id: "ａｚｕｒｅ",', "offer.id", "not written in its canonical form: "
     "write 'azure'"),
    (OFFER, 'offer: {id: "azure ",', "offer.id", "canonical form"),
    (OFFER, 'offer: {id: "../../etc/passwd",', "offer.id", "may hold only letters"),
    (OFFER, 'offer: {id: "azure/eu",', "offer.id", "may hold only letters"),
    (OFFER, 'offer: {id: ".hidden",', "offer.id", "starting with a letter or a digit"),
    (VENDOR, 'vendor: {id: "ｍｉｃｒｏｓｏｆｔ",', "vendor.id", "canonical form"),
    (VENDOR, 'vendor: {id: "micro soft",', "vendor.id", "may hold only letters"),
    (NAME, 'offer: {id: azure, name: "Microsoft\\u0085Azure"}', "offer.name",
     "control characters (\\x85)"),
    (NAME, 'offer: {id: azure, name: "Ｍicrosoft Azure"}', "offer.name", "canonical form"),
])
def test_a_bad_id_or_name_is_refused_with_its_place(azure_bytes: bytes, old: str, new: str,
                                                    field: str, why: str) -> None:
    problems = problems_of(replace_once(azure_bytes, old, new))
    hits = [p for p in problems if p.question == field]
    assert hits, [(p.question, p.message) for p in problems]
    assert any(why in p.message for p in hits), [p.message for p in hits]
    assert all(p.file == BAD_FILE for p in hits)
    if field != "vendor.id":
        assert all(p.vendor == "microsoft" for p in hits)


def test_a_full_width_id_no_longer_folds_into_an_existing_offer(tmp_path: Path,
                                                                azure_bytes: bytes) -> None:
    """Before: ``ａｚｕｒｅ`` was folded to ``azure`` and loaded as a second copy of it."""
    (tmp_path / "a.yaml").write_bytes(azure_bytes)
    (tmp_path / "b.yaml").write_bytes(replace_once(azure_bytes, OFFER, 'offer: {id: "ａｚｕｒｅ",'))
    with pytest.raises(QuestionnaireError) as info:
        load_offers([tmp_path])
    [p] = [p for p in info.value.problems if p.question == "offer.id"]
    assert p.file == str(tmp_path / "b.yaml") and "canonical form" in p.message


@pytest.mark.parametrize(("key", "value"), [("offer.id", "ａｚｕｒｅ"),
                                            ("offer.id", "../x"), ("vendor.name", " Microsoft")])
def test_the_excel_and_yaml_paths_give_the_same_message(azure_bytes: bytes, key: str,
                                                        value: str) -> None:
    rd = Read()
    assert not _identity_ok(rd, "Offer!B2", key, value)
    block = key.split(".")[0]
    old = {"offer": OFFER, "vendor": "vendor: {id: microsoft, name: Microsoft,"}[block]
    new = (f'offer: {{id: "{value}",' if key == "offer.id"
           else f'vendor: {{id: microsoft, name: "{value}",')
    yaml = [p.message for p in problems_of(replace_once(azure_bytes, old, new))
            if p.question == key]
    assert rd.problems[0][1] in yaml
