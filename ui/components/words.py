"""Sentences a committee reads, built from an Evaluation (no scoring here: totals, ranks and
exclusions are the core's; this module only puts them into words).

The sentences contain vendor names and gate labels (outside text), so pages show them with
``st.text``, never Markdown.
"""

from __future__ import annotations

from collections import Counter

from scoring.engine import Evaluation, OfferResult
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
        return ", ".join(names[:most]) + f" and {len(names) - most} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def gate_counts(ev: Evaluation) -> list[tuple[str, int]]:
    """Gates by the number of offers they exclude, most first (label, count)."""
    c: Counter[str] = Counter()
    for r in ev.results:
        for g in r.gates:
            if g.failed:
                c[g.label] += 1
    return c.most_common()


def lead_sentence(ev: Evaluation) -> str:
    """"X leads with 83.75, ahead of Y by 6.85 points; Z and W are excluded because ...".
    With no eligible offer: which gates exclude most. The gap is said in the method's own unit
    (``Method.scale``: closeness for TOPSIS, net flow for PROMETHEE, Q for VIKOR), from the
    rounded totals the tables show."""
    ranked = [r for r in ev.results if r.rank is not None]
    excluded = [r for r in ev.results if r.eligibility == "fail"]
    undetermined = list(ev.undetermined())
    parts: list[str] = []
    if not ranked:
        worst = gate_counts(ev)[:3]
        why = "; ".join(f"{lbl} excludes {n}" for lbl, n in worst)
        return (f"No offer passes every gate ({len(excluded)} excluded). "
                f"The gates that exclude most: {why}.")
    lead = ranked[0]
    shown = display_names(ev.results)
    top = list(ev.leaders())
    if len(top) > 1:  # a tie is a tie: no member of the group is named ahead of the others
        s = (f"{_names(top)} tie for first with {score(lead.total)} (equal under the ranking "
             "rule: no leader among them)")
    else:
        s = f"{shown[lead.offer.offer_id]} leads with {score(lead.total)}"
    rest = [r for r in ranked if r not in top]
    if rest:
        second = rest[0]
        ahead = ev.bound_method.scale.ahead_by(lead.total or 0.0, second.total or 0.0)
        s += f", ahead of {shown[second.offer.offer_id]} {ahead}"
    elif len(top) == 1:
        s += ", the only offer that passes every gate"
    parts.append(s)
    if undetermined:
        verb = "is" if len(undetermined) == 1 else "are"
        parts.append(f"eligibility of {_names(undetermined)} {verb} undetermined (unknown "
                     "answers or dates: neither ranked nor excluded)")
    if excluded:
        most = gate_counts(ev)[:2]
        why = " and ".join(f"{lbl} ({n})" for lbl, n in most)
        verb = "is" if len(excluded) == 1 else "are"
        parts.append(f"{_names(excluded)} {verb} excluded because of {why}")
    return "; ".join(parts) + "."


def era_sentence(ev: Evaluation, rank1: dict[str, float], uncertain: Evaluation | None,
                 samples: int) -> str:
    """Who leads an era, by how much, how sure (SMAA rank-1 acceptability; total and rank
    range with unknown answers as intervals)."""
    base = lead_sentence(ev).split(";")[0].rstrip(".")
    lead = ev.leader()
    if lead is None:
        return base + "."
    oid = lead.offer.offer_id
    sure = (f"; it leads in {rank1.get(oid, 0.0):.0%} of {samples:,} random weightings "
            "(SMAA rank-1 acceptability)")
    if uncertain is not None:
        try:
            u = uncertain.result(oid)
        except KeyError:
            u = None
        if u is not None and u.total_range is not None and u.rank_range is not None:
            lo, hi = u.total_range
            rb, rw = u.rank_range
            ranks = f"rank {rb}" if rb == rw else f"rank {rb} to {rw}"
            within = ("lies within" if u.range_exact is False else "spans")  # outer bound
            sure += (f"; with unknown answers as intervals its total {within} {score(lo)}-"
                     f"{score(hi)} ({ranks}"
                     + ("; an outer bound under this method" if u.range_exact is False else "")
                     + ")")
    return base + sure + "."
