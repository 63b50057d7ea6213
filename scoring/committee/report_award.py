"""Sections 4, 6 and 7 of the award report: admissibility (an undetermined gate is shown as
undetermined, never as a failure: unknown is not "no"), the ranking (offers with equal totals
share their rank: a tie is a tie) and the proposed award with the reason for every offer not
selected (Directive 2014/24/EU art. 55(2) and 84(1)(b)-(e); Code de la commande publique art.
R2181-1 ff.), all from the final ranking recorded with the evaluation.
"""

from __future__ import annotations

from typing import Any

from ..i18n import _
from .access import STATE_LABELS
from .document import Block
from .models import Tender
from .report_common import Hidden, final_rank, num, policy, published


def _gates(t: Tender) -> dict[str, dict[str, Any]]:
    return {g.get("id"): g for g in published(t).get("scenario", {}).get("gates", [])}


def _gate(gates: dict[str, dict[str, Any]], gid: str) -> str:
    """A gate as the committee published it: its label and legal basis."""
    g = gates.get(gid, {})
    return f"{g.get('label', gid)} ({g.get('reason', '')})"


def admissibility(t: Tender, hidden: Hidden) -> list[Block]:
    head = Block("h2", _("4. Admissibility"))
    if not t.final_rank_json:
        return [head, Block("p", _("Assessed with the final ranking, not recorded yet."))]
    gates = _gates(t)
    rows = []
    for r in sorted(final_rank(t, hidden)["results"], key=lambda r: r["offer"]):
        failed = "; ".join(_gate(gates, g) for g in r["excluded_by"]) or "-"
        unknown = "; ".join(
            _("{gate}: depends on unknown answers ({questions})").format(
                gate=gates.get(u["gate"], {}).get("label", u["gate"]),
                questions=", ".join(u["questions"]) or "-")
            for u in r.get("undetermined_by", [])) or "-"
        state = {"pass": _("admissible"), "fail": _("excluded")}.get(
            r.get("eligibility", ""), _("undetermined (not a failure)"))
        rows.append((r["offer"], state, failed, unknown))
    return [head, Block("p", _("An offer failing a gate is excluded; a gate that depends on an "
                               "unknown answer is undetermined, which is not a failure.")),
            Block("table", headers=(_("offer"), _("admissibility"), _("gates failed"),
                                    _("gates undetermined")), rows=tuple(rows))]


def _rank_cell(r: dict[str, Any]) -> str:
    """A rank as shown: shared ranks say so; an undetermined offer shows the rank it would
    take if admitted, in brackets (never a rank it does not have)."""
    if r["rank"] is None:
        n = r.get("rank_if_admitted")
        return "-" if n is None or r.get("eligibility") != "undetermined" else \
            _("({rank} if admitted)").format(rank=n)
    shown = str(r["rank"])
    if r.get("tied_with"):
        shown += " " + _("(tie with {offers})").format(offers=", ".join(r["tied_with"]))
    return shown


def ranking(t: Tender, hidden: Hidden = frozenset()) -> list[Block]:
    head = Block("h2", _("6. Ranking"))
    if not t.final_rank_json:
        return [head, Block("p", _("No final ranking yet (state: {state}).").format(
            state=_(STATE_LABELS[t.state])))]
    rank = final_rank(t, hidden)
    rows = []
    for r in sorted(rank["results"], key=lambda r: (r["rank"] is None, r["rank"] or 0,
                                                     r["offer"])):
        tr = r.get("total_range")
        rows.append((_rank_cell(r), r["offer"], num(r["total"]),
                     "-" if not tr else f"{num(tr[0])} – {num(tr[1])}",
                     {"pass": _("yes"), "fail": _("no")}.get(r.get("eligibility", ""),
                                                            _("undetermined"))))
    return [head,
            Block("p", _("Evaluation hash {hash}; method {method}; missing answers: {policy}. "
                         "Total range = every unknown answer at its worst / best. Offers with "
                         "equal totals share their rank (a tie is a tie).").format(
                hash=rank["hash"], method=rank["method"], policy=policy(rank["policy"]))),
            Block("table", headers=(_("rank"), _("offer"), _("total"), _("total range"),
                                    _("eligible")), rows=tuple(rows))]


def award(t: Tender, hidden: Hidden = frozenset()) -> list[Block]:
    head = Block("h2", _("7. Proposed award"))
    if not t.final_rank_json:
        return [head, Block("p", _("Not awarded yet ({state}).").format(
            state=_(STATE_LABELS[t.state])))]
    rank = final_rank(t, hidden)
    gates = _gates(t)
    leaders = [r for r in rank["results"] if r["rank"] == 1]
    why = []
    for r in sorted(rank["results"], key=lambda r: (r["rank"] is None, r["rank"] or 0,
                                                     r["offer"])):
        if r["offer"] == t.awarded_offer:
            why.append(_("{offer}: SELECTED (rank {rank}, total {total})").format(
                offer=r["offer"], rank=r["rank"], total=num(r["total"]))
                + (_("; reason: {reason}").format(reason=t.award_reason)
                   if t.award_reason else ""))
        elif not r["eligible"] and r["excluded_by"]:
            why.append(_("{offer}: rejected, excluded by {gates}").format(
                offer=r["offer"], gates="; ".join(_gate(gates, g) for g in r["excluded_by"])))
        elif not r["eligible"]:
            why.append(_("{offer}: not ranked, admissibility undetermined").format(
                offer=r["offer"]))
        elif not t.awarded_offer and r["rank"] == 1:
            why.append(_("{offer}: leading offer, rank {rank} with total {total}").format(
                offer=r["offer"], rank=_rank_cell(r), total=num(r["total"])))
        else:
            why.append(_("{offer}: not selected, rank {rank} with total {total}").format(
                offer=r["offer"], rank=r["rank"], total=num(r["total"]))
                + (_(" (leader's total {total})").format(total=num(leaders[0]["total"]))
                   if leaders else _(" (the leader is withheld from this copy)") if hidden
                   else ""))
    decision = (_("Award to {offer}.").format(offer=t.awarded_offer)
                + (" " + _("Reason: {reason}").format(reason=t.award_reason)
                   if t.award_reason else "")
                if t.awarded_offer else
                _("Proposed: {offers} (the leading offer(s)); not awarded yet.").format(
                    offers=", ".join(r["offer"] for r in leaders)
                    or (_("withheld from this copy") if hidden else "-")))
    return [head, Block("p", decision), Block("ul", items=tuple(why))]
