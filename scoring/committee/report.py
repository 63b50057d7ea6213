"""The award report as a French public buyer's "rapport d'analyse des offres" (Directive
2014/24/EU art. 84; Code de la commande publique art. R2184-1 ff.): what was decided, on which
published rules, by whom, and what changed along the way, drawn from the database and the audit
log only.

Sections, in the order a reviewing judge reads them: 1. context (object, procedure, dates,
committee, audit head now); 2. criteria and weights as published (with their hash; a catalogue
criterion the weights leave out is shown "not weighted"); 3. offers received (bidders, dates,
envelope hashes, documents, opening); 4. admissibility (gates; an undetermined gate is shown as
undetermined, never as a failure); 5. scoring (scores per pillar, and per committee-scored
criterion the consensus, its justification, who moderated, the spread); 6. ranking (ties shown
as ties); 7. proposed award (decision and reason); then conflicts of interest, clarifications
and the timeline. Each section is one small function, in the module of its part of the
report: ``report_record`` (1-3), ``report_award`` (4, 6, 7), ``report_scoring`` (5),
``report_trail`` (8-10), over ``report_common`` (numbers, dates, the published record); this
module composes them, in order, for a member or for the server's operator.

The report is written in the committee's language (``lang``; else the run's language, which the
CLI takes from ``HOSTWISE_LANG`` and the app from the user): every heading and fixed sentence
through ``_``, dates through ``format_date``, numbers through the one rounding rule
(``scoring.report.numbers.points``) written with the locale's decimal mark. Rendered as
Markdown, as DOCX and (with LibreOffice) as PDF: ``document``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from ..i18n import _, language, use_language
from ..scenario.model import demo_label
from . import audit, document, report_award, report_record, report_scoring, report_trail
from .access import READERS, conflicts, load_tender, require_role
from .document import Block
from .identity import Person
from .models import Tender
from .report_common import Hidden
from .store import Store


def _demo(t: Tender) -> list[Block]:
    """A tender made from a demonstration scenario (``demo:``, fictional vendors) says so at
    the top of its report, so that a rehearsal is never filed as a real award."""
    demo = json.loads(t.scenario_json or "{}").get("demo")
    if not isinstance(demo, dict):
        return []
    reason = " ".join(str(demo.get("reason", "")).split())
    return [Block("p", f"{demo_label().upper()}: {reason}")]


@contextlib.contextmanager
def _in(lang: str | None) -> Iterator[str]:
    with use_language(lang or language()) as code:
        yield code


def _withheld(hidden: Hidden, who: Person) -> list[Block]:
    if not hidden:
        return []
    return [Block("p", _("Withheld from this copy: every detail of {offers} (its bid, "
                         "declarations about it, scores, clarifications and ranking row), "
                         "because {who} declared a conflict of interest with it (Directive "
                         "2014/24/EU art. 24; the same rule as the scores and the panel). A "
                         "copy made by a member without that conflict holds it.").format(
        offers=", ".join(sorted(hidden)), who=who.label))]


def _blocks(store: Store, tender_id: int, prepared_by: str, who: Person | None,
            lang: str | None) -> list[Block]:
    """The report as blocks in ``lang``, for ``who`` (a member: their conflicts are withheld)
    or for the server's operator (``who`` None: an export of the record, not a member's
    view). It prints the audit head at this moment: a filed report anchors the log outside
    the database (``audit.verify(expect_head=...)``)."""
    chain = audit.verify(store)
    with _in(lang), store.read() as s:
        t = load_tender(s, tender_id)
        hidden: Hidden = frozenset()
        if who is not None:
            require_role(s, t, who, *READERS)
            hidden = frozenset(conflicts(s, t, who.name))
        return [
            Block("h1", _("Report on the analysis of the offers: {title}").format(
                title=t.title)),
            *_demo(t),
            *(_withheld(hidden, who) if who is not None else []),
            *report_record.context(s, t, prepared_by, chain),
            *report_record.criteria(t),
            *report_record.offers(s, t, hidden),
            *report_award.admissibility(t, hidden),
            *report_scoring.scores(s, t, hidden),
            *report_award.ranking(t, hidden),
            *report_award.award(t, hidden),
            *report_trail.conflicts(s, t, hidden),
            *report_trail.clarifications(s, t, hidden),
            *report_trail.timeline(s, t),
        ]


def award_blocks(store: Store, who: Person, tender_id: int, lang: str | None = None
                 ) -> list[Block]:
    """The report as blocks (chair, observers, auditors) in ``lang`` (default: the run's
    language), without the bidders the member declared a conflict with."""
    return _blocks(store, tender_id, who.label, who, lang)


def operator_blocks(store: Store, operator: Person, tender_id: int, lang: str | None = None
                    ) -> list[Block]:
    """The report exported by the server's operator (``hostwise audit report``): whoever can
    reach the database can read it, so the export is not a member's act and never claims to
    be one. It is recorded first ("report.exported", by the operator), so the report's head
    includes its own export."""
    with store.tx("the record of this export (no report was made)") as s:
        load_tender(s, tender_id)
        audit.append(s, operator, "report.exported", tender_id,
                     {"by": operator.name, "as": "the server's operator, not a committee "
                      "member"})
    with _in(lang):
        by = _("{name}, the server's operator (an export of the record from the command "
               "line, not a committee member's report)").format(name=operator.name)
    return _blocks(store, tender_id, by, None, lang)


def award_markdown(store: Store, who: Person, tender_id: int, lang: str | None = None) -> str:
    return document.markdown(award_blocks(store, who, tender_id, lang))


def award_docx(store: Store, who: Person, tender_id: int, lang: str | None = None) -> bytes:
    blocks = award_blocks(store, who, tender_id, lang)
    with _in(lang) as code:
        return document.docx(blocks, language=code)


def award_pdf(store: Store, who: Person, tender_id: int, lang: str | None = None) -> bytes:
    return document.pdf(award_docx(store, who, tender_id, lang))


def operator_document(store: Store, operator: Person, tender_id: int, fmt: str,
                      lang: str | None = None) -> bytes:
    """The operator's export as Markdown, DOCX or PDF (one record per export)."""
    blocks = operator_blocks(store, operator, tender_id, lang)
    if fmt == "md":
        return document.markdown(blocks).encode()
    with _in(lang) as code:
        data = document.docx(blocks, language=code)
    return data if fmt == "docx" else document.pdf(data)
