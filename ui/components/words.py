"""Sentences a committee reads, built from an Evaluation (no scoring here: totals, ranks and
exclusions are the core's; this module only puts them into words).

The sentences contain vendor names and gate labels (outside text), so pages show them with
``st.text``, never Markdown.
"""

from __future__ import annotations

from collections import Counter

from scoring.engine import Evaluation, OfferResult
from scoring.i18n import _, format_number, ngettext
from scoring.report.numbers import percent
from scoring.scenario.texts import gate_label
from ui.components.fmt import score


def display_names(rs: list[OfferResult] | tuple[OfferResult, ...]) -> dict[str, str]:
    """Offer id -> the vendor's name, with the offer name added when a vendor bids twice
    ("Amazon (aws-esc)": short enough for a table column)."""
    count: Counter[str] = Counter(r.offer.vendor_name for r in rs)
    return {r.offer.offer_id: r.offer.vendor_name if count[r.offer.vendor_name] == 1
            else f"{r.offer.vendor_name} ({r.offer.offer_id})" for r in rs}


def _names(rs: list[OfferResult], most: int = 4) -> str:
    shown = display_names(rs)
    names = [shown[r.offer.offer_id] for r in rs]
    if len(names) > most:
        more = len(names) - most
        return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
            names=", ".join(names[:most]), n=more)
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def gate_counts(ev: Evaluation) -> list[tuple[str, int]]:
    """Gates by the number of offers they exclude, most first (label, count)."""
    c: Counter[str] = Counter()
    for r in ev.results:
        for g in r.gates:
            if g.failed:
                c[gate_label(ev.scenario, g.gate, g.label)] += 1
    return c.most_common()


def lead_sentence(ev: Evaluation) -> str:
    """"X leads with 83.75, ahead of Y by 6.85 points; Z and W are excluded because ...".
    With no eligible offer: which gates exclude most. The gap is said in the method's own unit
    (``Method.scale``: closeness for TOPSIS, net flow for PROMETHEE, Q for VIKOR), from the
    rounded totals the tables show. Each clause is one whole translated sentence with named
    placeholders (French word order differs: never fragments glued together)."""
    ranked = [r for r in ev.results if r.rank is not None]
    excluded = [r for r in ev.results if r.eligibility == "fail"]
    undetermined = list(ev.undetermined())
    parts: list[str] = []
    if not ranked:
        worst = gate_counts(ev)[:3]
        why = "; ".join(_("{gate} excludes {n}").format(gate=lbl, n=n) for lbl, n in worst)
        return _("No offer passes every gate ({n} excluded). The gates that exclude most: "
                 "{why}.").format(n=len(excluded), why=why)
    lead = ranked[0]
    shown = display_names(ev.results)
    top = list(ev.leaders())
    rest = [r for r in ranked if r not in top]
    ahead = ""
    if rest:
        second = rest[0]
        ahead = ev.bound_method.scale.ahead_by(lead.total or 0.0, second.total or 0.0)
    if len(top) > 1:  # a tie is a tie: no member of the group is named ahead of the others
        s = _("{names} tie for first with {total} (equal under the ranking rule: no leader "
              "among them)").format(names=_names(top), total=score(lead.total))
        if rest:
            s = _("{names} tie for first with {total} (equal under the ranking rule: no "
                  "leader among them), ahead of {second} {by}").format(
                names=_names(top), total=score(lead.total),
                second=shown[rest[0].offer.offer_id], by=ahead)
    elif rest:
        s = _("{leader} leads with {total}, ahead of {second} {by}").format(
            leader=shown[lead.offer.offer_id], total=score(lead.total),
            second=shown[rest[0].offer.offer_id], by=ahead)
    else:
        s = _("{leader} leads with {total}, the only offer that passes every gate").format(
            leader=shown[lead.offer.offer_id], total=score(lead.total))
    parts.append(s)
    if undetermined:
        parts.append(ngettext(
            "eligibility of {names} is undetermined (unknown answers or dates: neither ranked "
            "nor excluded)",
            "eligibility of {names} are undetermined (unknown answers or dates: neither "
            "ranked nor excluded)", len(undetermined)).format(names=_names(undetermined)))
    if excluded:
        most = gate_counts(ev)[:2]
        why = _(" and ").join(f"{lbl} ({n})" for lbl, n in most)
        parts.append(ngettext("{names} is excluded because of {why}",
                              "{names} are excluded because of {why}",
                              len(excluded)).format(names=_names(excluded), why=why))
    return _("; ").join(parts) + "."


def era_sentence(ev: Evaluation, rank1: dict[str, float], uncertain: Evaluation | None,
                 samples: int) -> str:
    """Who leads an era, by how much, how sure, in plain words (issue 19: "SMAA rank-1
    acceptability" stopped a committee member; the glossary's SMAA entry keeps the term):
    the share of random weightings in which the leader comes first, and its total and rank
    range with unknown answers as intervals."""
    base = lead_sentence(ev).split(";")[0].rstrip(".")
    lead = ev.leader()
    if lead is None:
        return base + "."
    oid = lead.offer.offer_id
    sure = _("; it comes first under {share} of {n} random sets of criteria weights (how "
             "firm the lead is; seeded draws)").format(
        share=percent(rank1.get(oid, 0.0)), n=format_number(samples, 0))
    if uncertain is not None:
        try:
            u = uncertain.result(oid)
        except KeyError:
            u = None
        if u is not None and u.total_range is not None and u.rank_range is not None:
            lo, hi = u.total_range
            rb, rw = u.rank_range
            ranks = (_("rank {rank}").format(rank=rb) if rb == rw
                     else _("rank {best} to {worst}").format(best=rb, worst=rw))
            if u.range_exact is False:  # an outer bound
                sure += _("; with unknown answers as intervals its total lies within "
                          "{lo}-{hi} ({ranks}; an outer bound under this method)").format(
                    lo=score(lo), hi=score(hi), ranks=ranks)
            else:
                sure += _("; with unknown answers as intervals its total spans {lo}-{hi} "
                          "({ranks})").format(lo=score(lo), hi=score(hi), ranks=ranks)
    return base + sure + "."
