"""Uploaded questionnaires, re-checked on the server before the core reads them.

The browser's ``type=`` filter and ``server.maxUploadSize`` are conveniences, not checks: a
client can send anything. Each file is checked here for its size (≤ 1 MiB, the core's
``MAX_FILE_BYTES``), its extension and its content (an .xlsx must be a zip archive), then read
by the core (``parse_questionnaire``; ``scoring.io.excel.parse_workbook`` for .xlsx). Every
problem of every file is returned together, so the page can load nothing unless all are good.
No Streamlit here: the rules are tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable

from scoring.errors import Problem, QuestionnaireError
from scoring.io import MAX_FILE_BYTES, parse_questionnaire
from scoring.io.catalogue import load_catalogue
from scoring.models import Catalogue, Offer

EXTENSIONS = (".yaml", ".yml", ".xlsx")
_ZIP = b"PK\x03\x04"


def _problem(name: str, message: str) -> QuestionnaireError:
    return QuestionnaireError([Problem(name, "", "file", message)])


def read_one(name: str, data: bytes, cat: Catalogue | None = None) -> Offer:
    """One uploaded file -> an Offer; ``QuestionnaireError`` with located problems otherwise."""
    low = name.lower()
    if not low.endswith(EXTENSIONS):
        raise _problem(name, "expected a .yaml, .yml or .xlsx questionnaire")
    if len(data) > MAX_FILE_BYTES:
        raise _problem(name, f"{len(data):,} bytes: a questionnaire may hold at most "
                             f"{MAX_FILE_BYTES:,}")
    if low.endswith(".xlsx"):
        if not data.startswith(_ZIP):
            raise _problem(name, "not an .xlsx workbook (an .xlsx file is a zip archive)")
        from scoring.io.excel import parse_workbook

        try:
            return parse_workbook(data, name, cat)
        except NotImplementedError:
            raise _problem(name, "Excel questionnaires cannot be read yet: upload the YAML "
                                 "form") from None
    if data.startswith(_ZIP):
        raise _problem(name, "this is a zip archive (a workbook?), not a YAML questionnaire")
    return parse_questionnaire(data, name, cat or load_catalogue())


def read_questionnaires(files: Iterable[tuple[str, bytes]], cat: Catalogue | None = None
                        ) -> tuple[list[Offer], list[Problem]]:
    """Every file read against ``cat`` (the working scenario's catalogue; the bundled hdh
    when None); (offers, problems). Two files with one offer id is a problem too."""
    offers: list[Offer] = []
    problems: list[Problem] = []
    for name, data in files:
        try:
            offers.append(read_one(name, data, cat))
        except QuestionnaireError as exc:
            problems += exc.problems
    seen: dict[str, str] = {}
    for o in offers:
        if o.offer_id in seen:
            problems.append(Problem(o.file, o.vendor_id, "offer.id", f"offer id {o.offer_id!r} "
                                    f"is also in {seen[o.offer_id]}"))
        seen.setdefault(o.offer_id, o.file)
    return offers, problems
