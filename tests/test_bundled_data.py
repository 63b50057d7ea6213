"""The bundled questionnaires (data/vendors/2019, data/vendors/2026): they load, every known
answer is sourced, every other answer is written out as unknown, and the facts the scenarios
rely on (HDS in 2019, SecNumCloud in 2026) are what the cited sources say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scoring.io import load_offers, load_yaml, parse_questionnaire
from scoring.io.catalogue import load_catalogue
from scoring.models import LoadedSet, Offer

ROOT = Path(__file__).resolve().parent.parent
VENDORS = ROOT / "data" / "vendors"
ERAS = ("2019", "2026")
FILES = sorted(p for era in ERAS for p in (VENDORS / era).glob("*.yaml"))
FILE_IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]

EXPECTED_2019 = {"azure", "aws", "google-cloud", "ovh", "orange-business", "outscale",
                 "docaposte", "santeos"}
EXPECTED_2026 = {"ovhcloud", "scaleway", "outscale", "cloud-temple", "numspot", "s3ns", "bleu",
                 "orange-business", "ionos", "stackit", "open-telekom-cloud", "hetzner", "azure",
                 "aws", "aws-esc", "google-cloud"}
HDS_2019 = {"azure": True, "ovh": True, "santeos": True, "docaposte": True,
            "orange-business": True, "aws": False, "google-cloud": False, "outscale": False}


@pytest.fixture(scope="module")
def loaded() -> LoadedSet:
    return load_offers([VENDORS / era for era in ERAS])


def offer(loaded: LoadedSet, era: str, offer_id: str) -> Offer:
    found = [o for o in loaded.offers if o.era == era and o.offer_id == offer_id]
    assert found, f"no {era} offer {offer_id!r} in data/vendors/{era}/"
    return found[0]


def test_all_bundled_files_load_atomically(loaded: LoadedSet) -> None:
    assert FILES, "no bundled questionnaires found"
    assert len(loaded.offers) == len(FILES)
    assert set(loaded.files) == {str(p) for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_file_era_matches_its_folder(path: Path) -> None:
    o = parse_questionnaire(path.read_bytes(), str(path))
    assert o.era == path.parent.name
    assert o.offer_id == path.stem, "one file per offer, named <offer-id>.yaml"


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_known_answers_cite_defined_sources(path: Path) -> None:
    o = parse_questionnaire(path.read_bytes(), str(path))
    for qid, a in o.answers.items():
        if a.confidence == "unknown":
            assert a.value is None, qid
            assert not a.known, qid
            continue
        assert a.value is not None, qid
        # A value nobody published stays "recalled" and cites no source (and says so); every
        # other known answer names the publication it comes from.
        assert a.sources or a.confidence == "recalled", f"{qid}: a known answer cites no source"
        if not a.sources:
            assert a.note, f"{qid}: a recalled answer without a source must say so in a note"
        for sid in a.sources:
            assert sid in o.sources, f"{qid}: source {sid} is not defined"
    for p in o.prices:
        assert p.sources and all(s in o.sources for s in p.sources), p.item


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_every_question_is_answered_explicitly(path: Path) -> None:
    """Each catalogue question appears in the file: known with a source, or written `unknown`."""
    raw = load_yaml(path.read_bytes())
    missing = sorted(set(load_catalogue().ids) - set(raw["answers"]))
    assert not missing, f"{path.relative_to(ROOT)} does not answer {missing} (write `unknown`)"


def test_offers_2019_present(loaded: LoadedSet) -> None:
    got = {o.offer_id for o in loaded.offers if o.era == "2019"}
    assert got >= EXPECTED_2019, f"missing 2019 offers: {sorted(EXPECTED_2019 - got)}"


def test_offers_2026_present(loaded: LoadedSet) -> None:
    got = {o.offer_id for o in loaded.offers if o.era == "2026"}
    assert got >= EXPECTED_2026, f"missing 2026 offers: {sorted(EXPECTED_2026 - got)}"


@pytest.mark.parametrize(("offer_id", "hds"), sorted(HDS_2019.items()))
def test_hds_2019(loaded: LoadedSet, offer_id: str, hds: bool) -> None:
    a = offer(loaded, "2019", offer_id).answer("cert.hds")
    assert a.known, f"2019 {offer_id}: cert.hds is unknown, expected {hds}"
    assert a.value is hds


def test_s3ns_qualified_secnumcloud_2026(loaded: LoadedSet) -> None:
    a = offer(loaded, "2026", "s3ns").answer("cert.secnumcloud")
    assert a.value == "qualified"
    assert a.since == dt.date(2025, 12, 17)


def test_scaleway_secnumcloud_in_process_2026(loaded: LoadedSet) -> None:
    a = offer(loaded, "2026", "scaleway").answer("cert.secnumcloud")
    assert a.value == "in_process"
    # ... and the engine reads it as J0 reached on the April 2026 evaluation date, not qualified.
    from scoring.io.catalogue import load_catalogue
    from scoring.rules.certifications import snc_status_on

    status, why = snc_status_on(offer(loaded, "2026", "scaleway"), dt.date(2026, 4, 23),
                                load_catalogue().certifications)
    assert status == "in_process" and "J0" in why


def test_no_offer_id_is_reused_within_an_era(loaded: LoadedSet) -> None:
    keys = [o.key for o in loaded.offers]
    assert len(keys) == len(set(keys))
