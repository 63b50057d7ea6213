"""Section 5 of the award report: the scores per pillar, then per committee-scored criterion
the evaluators' scores, the consensus with its grid descriptor, why it went to moderation, who
moderated and every written justification (the report states the reasons of the evaluation:
Directive 2014/24/EU art. 84), and Kendall's W per criterion (Kendall & Babington Smith 1939;
tie correction per Kendall & Gibbons 1990). ``flag_words`` and ``common_offers`` are also the
words of the moderation panel in the app, so the two say the same.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..i18n import _
from ..io.catalogue_text import label as catalogue_label
from ..models import Catalogue
from . import stats
from .document import Block
from .models import Tender
from .panel import Item, Panel, build_panel
from .report_common import Hidden, catalogue_of, final_rank, num
from .stats import FLAG_SPREAD


def _justification(it: Item) -> str:
    """Each evaluator's written justification, and the chair's reason when moderated (the
    award report states the reasons of the evaluation: Directive 2014/24 art. 84)."""
    said = "; ".join(f"{e}: {j}" for e, j in it.justifications.items() if e in it.scores and j)
    if it.moderated is None:
        return said or "-"
    return _("moderation: {reason}").format(reason=it.reason or "-") + (
        " — " + said if said else "")


def _consensus(it: Item, cat: Catalogue) -> str:
    """The consensus as given: a grade's level with its grid descriptor (what the evaluators
    scored against, in the report's language), else the number."""
    if it.consensus is None:
        return "-"
    if stats.grid_levels(it.scale) is None or not float(it.consensus).is_integer():
        return num(it.consensus)
    lv = int(it.consensus)
    try:
        return f"{lv} — {catalogue_label(cat, 'grid', it.question, lv)}"
    except (KeyError, ValueError):
        return str(lv)


def flag_words(it: Item, how: str) -> str:
    """Why the item went to moderation (the rule of ``stats.flag_reasons``), in words of the
    report's language."""
    vals = list(it.scores.values())
    out = []
    limit = stats.flag_spread(it.scale)
    if len(vals) >= 2 and stats.spread(vals) > limit:
        out.append(_("scores differ by {spread} (more than {limit})").format(
            spread=level(stats.spread(vals)), limit=level(limit)))
    if vals and stats.whole_levels(it.scale) and not stats.on_scale(
            stats.consensus(vals, how), it.scale):
        out.append(_("the {how} {value} is not a whole level").format(
            how=_(how), value=level(stats.consensus(vals, how))))
    return "; ".join(out) or "-"


def level(x: float) -> str:
    """A score as given (3 → "3", 2.5 → "2.5" / "2,5"): one decimal when it has one."""
    return num(x, 0 if float(x).is_integer() else 1)


def common_offers(p: Panel) -> list[str]:
    """The offers every evaluator scored on every criterion (Kendall's W is computed on them)."""
    offers = sorted({it.offer_id for it in p.items})
    return [o for o in offers if all(set(it.scores) == set(p.evaluators)
                                     for it in p.items if it.offer_id == o)]


def _pillars(t: Tender, hidden: Hidden) -> list[Block]:
    if not t.final_rank_json:
        return []
    rank = final_rank(t, hidden)
    have = {p for r in rank.get("results", []) for p in r.get("pillars", {})}
    pillars = [p for p in catalogue_of(t).pillar_ids if p in have] + sorted(
        have - set(catalogue_of(t).pillar_ids))
    return [Block("p", _("Scores per pillar (0 to 100) and total, from the final evaluation:")),
            Block("table", headers=(_("offer"), *(_(p) for p in pillars), _("total")),
                  rows=tuple((r["offer"], *(num(r["pillars"].get(p)) for p in pillars),
                              num(r["total"])) for r in
                             sorted(rank["results"], key=lambda r: r["offer"])))]


def scores(s: Session, t: Tender, hidden: Hidden) -> list[Block]:
    p = build_panel(s, t, hidden)
    cat = catalogue_of(t)
    rows = tuple((it.question, it.offer_id,
                  "; ".join(f"{e} {level(v)}" for e, v in it.scores.items()) or "-",
                  num(it.aggregate), level(it.spread), flag_words(it, p.aggregation),
                  _consensus(it, cat), it.moderated_by or "-", _justification(it))
                 for it in sorted(p.items, key=lambda i: (i.question, i.offer_id)))
    w = "; ".join(f"{q}: {num(v, 3)}" for q, v in p.kendall_w.items())
    return [Block("h2", _("5. Scoring")), *_pillars(t, hidden),
            Block("p", _("Criteria scored by the committee. Evaluators (sheets submitted "
                         "independently): {evaluators}. Aggregation: {agg}. An item goes to "
                         "moderation when its scores differ by more than {level} level or "
                         "{points} points, or its median falls between two levels.").format(
                evaluators=", ".join(p.evaluators) or "-", agg=_(p.aggregation),
                level=num(FLAG_SPREAD["0-4"], 0), points=num(FLAG_SPREAD["0-100"], 0))),
            Block("table", headers=(_("criterion"), _("offer"), _("scores"), _(p.aggregation),
                                    _("spread"), _("flag"), _("consensus"),
                                    _("moderated by"), _("justification")), rows=rows),
            Block("p", _("Kendall's W across evaluators per criterion, over the offers every "
                         "evaluator scored ({offers}): {w}. W = 12 S / (m²(n³−n) − m ΣT) "
                         "(Kendall & Babington Smith 1939, tie correction per Kendall & "
                         "Gibbons 1990); 1 = identical rankings.").format(
                offers=", ".join(common_offers(p)) or "-", w=w or "-"))]
