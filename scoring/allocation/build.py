"""The award MILP, built with pulp: one builder function per rule family.

Model (``b`` = an eligible bid of offer ``o`` on lot ``l``, ``g`` = vendor group, costs divided
by the largest cost for conditioning)::

    y[b] in {0,1}      b wins (a share of) its lot
    s[b] in [0,1]      share of the lot; s = y on a non-splittable lot, else min_share*y <= s <= y
    coverage           sum_{b in l} s[b] = 1                       each lot assigned exactly once
    w[g,l]             g serves l: sum of the y of g's bids on l (a binary z when a split lot
                       holds several offers of g, z >= y, z <= sum y)
    u[g] in {0,1}      g wins something (only with a min / max vendors rule)
    budget             sum cost*s + migration <= budget
    max lots           sum_l w[g,l] <= K                           for each g
    spend share        sum_{b in g} cost*s <= alpha * T,  T = sum cost*s (bid costs only)
    min / max vendors  sum_g u[g] >= n  /  <= n
    separation (a, b)  w[g,a] + w[g,b] <= 1                       for each g
    value floor        sum_{b in l} value*s >= min_value           (both objectives)
    SEAL / legal floor bids below the lot's floor get column upper bound 0 (in ``model``)

Migration: a lot that leaves its incumbent offer adds ``migration_cost`` to cost and budget,
``migration_cost * (1 - s[incumbent])`` (pro rata on a split lot; the whole amount when the
incumbent has no eligible bid).

Every row rule has one non-negative slack column ``e``, fixed at 0 while the rule is hard. The
explanations of infeasibility and the binding analysis reopen it; so ONE model is built and only
bounds, right-hand sides, a few coefficients and costs change between solves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
import pulp

from .checks import MIN_SPLIT_SHARE
from .problem import AllocationProblem, Bid
from .words import pct, plural

Var: TypeAlias = pulp.LpVariable
Terms: TypeAlias = list[tuple[Var, float]]
_LE, _GE, _EQ = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ


@dataclass
class Family:
    """A named rule: a slack column (row rules) or a set of blocked bids (floor rules)."""

    key: str
    kind: str
    conflict: str  # its name inside a conflict sentence ("max-1-vendor rule")
    label: str  # its name in the binding list ("max 1 vendor")
    slack: int = -1  # HiGHS column of the slack (row rules)
    lot: int = -1
    level: float = 0.0
    active: bool = True


@dataclass
class BidData:
    """The eligible bids as arrays, in (lot, offer) order: what every stage reads."""

    bids: list[Bid]
    b_lot: np.ndarray
    b_group: np.ndarray
    group_names: list[str]
    lot_bids: list[list[int]]
    scale: float
    cost: np.ndarray  # bid cost / scale
    cvec: np.ndarray  # objective cost: bid cost minus the incumbent's saved migration
    mig_const: float  # migration paid when every lot leaves its incumbent (scaled)
    value: np.ndarray
    weight: np.ndarray
    split: np.ndarray
    seal: np.ndarray
    legal: np.ndarray


def bid_data(p: AllocationProblem) -> BidData:
    """Arrays of the eligible bids (ineligible bids never become columns)."""
    rules, lots = p.rules, p.lots
    lot_pos = {lot.id: i for i, lot in enumerate(lots)}
    bids = sorted((b for b in p.bids if b.eligible), key=lambda b: (lot_pos[b.lot], b.offer))
    nb = len(bids)
    b_lot = np.fromiter((lot_pos[b.lot] for b in bids), dtype=np.int64, count=nb)
    group_names = sorted({rules.group(b.offer) for b in bids})
    gpos = {g: i for i, g in enumerate(group_names)}
    b_group = np.fromiter((gpos[rules.group(b.offer)] for b in bids), np.int64, nb)
    lot_bids: list[list[int]] = [[] for _ in lots]
    for k in range(nb):
        lot_bids[b_lot[k]].append(k)
    scale = max([1.0] + [b.cost for b in p.bids] + [lot.migration_cost for lot in lots])
    cost = np.array([b.cost for b in bids], dtype=float) / scale
    cvec = cost.copy()
    mig_const = 0.0
    for i, lot in enumerate(lots):
        if lot.incumbent is not None and lot.migration_cost > 0:
            mig_const += lot.migration_cost / scale
            for k in lot_bids[i]:
                if bids[k].offer == lot.incumbent:
                    cvec[k] -= lot.migration_cost / scale
    return BidData(
        bids=bids,
        b_lot=b_lot,
        b_group=b_group,
        group_names=group_names,
        lot_bids=lot_bids,
        scale=scale,
        cost=cost,
        cvec=cvec,
        mig_const=mig_const,
        value=np.array([b.value for b in bids], dtype=float),
        weight=np.array([lots[i].weight for i in b_lot], dtype=float),
        split=np.array([lots[i].splittable for i in b_lot], dtype=bool),
        seal=np.array([-1 if b.seal is None else b.seal for b in bids], dtype=float),
        legal=np.array(
            [-np.inf if b.legal_utility is None else b.legal_utility for b in bids], dtype=float
        ),
    )


@dataclass
class Builder:
    """The pulp model under construction: variables, rows and rule families."""

    problem: AllocationProblem
    d: BidData
    lp: pulp.LpProblem = field(default_factory=lambda: pulp.LpProblem("award", pulp.LpMinimize))
    y: list[Var] = field(default_factory=list)
    s: list[Var] = field(default_factory=list)
    w: dict[tuple[int, int], Terms] = field(default_factory=dict)
    families: list[Family] = field(default_factory=list)
    slack: dict[str, Var] = field(default_factory=dict)
    spend_total: Var | None = None
    spend_rows: list[str] = field(default_factory=list)

    def var(self, name: str, lo: float, up: float | None, integer: bool = False) -> Var:
        cat = pulp.LpInteger if integer else pulp.LpContinuous
        return self.lp.add_variable(name, lo, up, cat)

    def row(self, terms: Terms, sense: int, name: str, rhs: float) -> None:
        self.lp.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs))

    def family(self, key: str, kind: str, conflict: str, label: str, **kw: float) -> Family:
        """Register a rule; row rules get their slack column (fixed at 0 while hard)."""
        f = Family(key, kind, conflict, label, **kw)  # type: ignore[arg-type]
        self.families.append(f)
        if kind not in ("seal", "legal"):
            self.slack[key] = self.var(f"e{len(self.slack):04d}", 0, 0)
        return f

    def g_lots(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for g, i in sorted(self.w):
            out.setdefault(g, []).append(i)
        return out


def add_shares(b: Builder) -> None:
    """y and s columns, split-lot links (min_share*y <= s <= y) and coverage rows."""
    d, lots = b.d, b.problem.lots
    b.y = [b.var(f"y{k:06d}", 0, 1, True) for k in range(len(d.bids))]
    b.s = list(b.y)
    for k in np.flatnonzero(d.split):
        b.s[k] = b.var(f"s{k:06d}", 0, 1)
        b.row([(b.s[k], 1.0), (b.y[k], -1.0)], _LE, f"su{k}", 0.0)
        ms = max(lots[d.b_lot[k]].min_share, MIN_SPLIT_SHARE)
        b.row([(b.s[k], 1.0), (b.y[k], -ms)], _GE, f"sl{k}", 0.0)
    for i, ks in enumerate(d.lot_bids):
        b.row([(b.s[k], 1.0) for k in ks], _EQ, f"cov{i}", 1.0)


def add_budget(b: Builder) -> None:
    """The budget row, always built (inactive without a budget) so a frontier can re-bound it."""
    rules, d = b.problem.rules, b.d
    f = b.family("budget", "budget", "budget", "budget")
    f.active = rules.budget is not None
    terms = [(b.s[k], d.cvec[k]) for k in range(len(d.bids)) if d.cvec[k]]
    terms.append((b.slack["budget"], -1.0))
    rhs = 0.0 if rules.budget is None else rules.budget / d.scale - d.mig_const
    b.row(terms, _LE, "budget", rhs)


def add_vendor_links(b: Builder) -> None:
    """w[g, l] (does group g serve lot l?), only when a vendor rule needs it."""
    rules, d, lots = b.problem.rules, b.d, b.problem.lots
    needed = (
        rules.max_lots_per_vendor is not None
        or rules.min_vendors is not None
        or rules.max_vendors is not None
        or bool(rules.separations)
    )
    if not needed:
        return
    by_gl: dict[tuple[int, int], list[int]] = {}
    for k in range(len(d.bids)):
        by_gl.setdefault((int(d.b_group[k]), int(d.b_lot[k])), []).append(k)
    for (g, i), ks in by_gl.items():
        if len(ks) == 1 or not lots[i].splittable:
            b.w[g, i] = [(b.y[k], 1.0) for k in ks]
            continue
        z = b.var(f"z{g:05d}_{i:05d}", 0, 1, True)
        for k in ks:
            b.row([(b.y[k], 1.0), (z, -1.0)], _LE, f"zy{k}", 0.0)
        b.row([(z, 1.0)] + [(b.y[k], -1.0) for k in ks], _LE, f"zs{g}_{i}", 0.0)
        b.w[g, i] = [(z, 1.0)]


def add_separations(b: Builder) -> None:
    """w[g, a] + w[g, b] <= 1 for each group bidding on both lots."""
    lot_pos = {lot.id: i for i, lot in enumerate(b.problem.lots)}
    for j, (a, c) in enumerate(b.problem.rules.separations):
        ia, ic = lot_pos[a], lot_pos[c]
        f = b.family(
            f"separation:{a}|{c}",
            "separation",
            f"separation rule ({a} vs {c})",
            f"separation ({a} vs {c})",
        )
        e = b.slack[f.key]
        for g in range(len(b.d.group_names)):
            if (g, ia) in b.w and (g, ic) in b.w:
                b.row(b.w[g, ia] + b.w[g, ic] + [(e, -1.0)], _LE, f"sep{j}_{g}", 1.0)


def add_max_lots(b: Builder) -> None:
    """sum_l w[g, l] <= K for each group bidding on more than K lots."""
    K = b.problem.rules.max_lots_per_vendor
    if K is None:
        return
    f = b.family(
        "max_lots",
        "max_lots",
        f"max-{K}-{'lot' if K == 1 else 'lots'}-per-vendor rule",
        f"max {plural(K, 'lot')} per vendor",
        level=K,
    )
    e = b.slack[f.key]
    for g, ls in b.g_lots().items():
        if len(ls) > K:
            b.row([t for i in ls for t in b.w[g, i]] + [(e, -1.0)], _LE, f"ml{g}", float(K))


def add_spend_share(b: Builder) -> None:
    """sum_{b in g} cost*s - alpha*T <= 0 for each group, T = total bid spend."""
    alpha, d = b.problem.rules.max_spend_share_per_vendor, b.d
    if alpha is None or alpha >= 1.0:
        return
    f = b.family(
        "spend_share",
        "spend",
        f"max-{pct(alpha)}-spend-per-vendor rule",
        f"max {pct(alpha)} of spend per vendor",
        level=alpha,
    )
    e = b.slack[f.key]
    T = b.spend_total = b.var("t_spend", 0, None)
    nb = len(d.bids)
    b.row([(b.s[k], d.cost[k]) for k in range(nb)] + [(T, -1.0)], _EQ, "spend_total", 0.0)
    by_g: dict[int, list[int]] = {}
    for k in range(nb):
        by_g.setdefault(int(d.b_group[k]), []).append(k)
    for g, ks in by_g.items():
        b.spend_rows.append(f"sp{g}")
        b.row([(b.s[k], d.cost[k]) for k in ks] + [(T, -alpha), (e, -1.0)], _LE, f"sp{g}", 0.0)


def add_vendor_counts(b: Builder) -> None:
    """u[g] (group g wins something) and the min / max vendors rows."""
    rules = b.problem.rules
    if rules.min_vendors is None and rules.max_vendors is None:
        return
    g_lots = b.g_lots()
    u = {g: b.var(f"u{g:05d}", 0, 1, True) for g in g_lots}
    if rules.max_vendors is not None:
        for (g, i), terms in b.w.items():
            b.row([*terms, (u[g], -1.0)], _LE, f"wu{g}_{i}", 0.0)
    if rules.min_vendors is not None:
        for g, ls in g_lots.items():
            b.row([(u[g], 1.0)] + [(v, -c) for i in ls for v, c in b.w[g, i]], _LE, f"uw{g}", 0.0)
        n = rules.min_vendors
        f = b.family(
            "min_vendors",
            "min_vendors",
            f"min-{n}-{'vendor' if n == 1 else 'vendors'} rule",
            f"min {plural(n, 'vendor')}",
            level=n,
        )
        b.row([(u[g], 1.0) for g in u] + [(b.slack[f.key], 1.0)], _GE, "minv", float(n))
    if rules.max_vendors is not None:
        n = rules.max_vendors
        f = b.family(
            "max_vendors",
            "max_vendors",
            f"max-{n}-{'vendor' if n == 1 else 'vendors'} rule",
            f"max {plural(n, 'vendor')}",
            level=n,
        )
        b.row([(u[g], 1.0) for g in u] + [(b.slack[f.key], -1.0)], _LE, "maxv", float(n))


def add_floors(b: Builder) -> None:
    """SEAL and legal floors: families only (they act on column bounds, see ``model``)."""
    for i, lot in enumerate(b.problem.lots):
        if not b.d.lot_bids[i]:
            continue
        if lot.min_seal is not None:
            name = f"SEAL-{lot.min_seal} floor on lot {lot.id}"
            b.family(f"seal:{lot.id}", "seal", name, name, lot=i, level=lot.min_seal)
        if lot.min_legal is not None:
            name = f"legal floor {lot.min_legal:g} on lot {lot.id}"
            b.family(f"legal:{lot.id}", "legal", name, name, lot=i, level=lot.min_legal)


def add_value_floors(b: Builder) -> None:
    """sum_{b in l} value*s >= min_value for each lot with a value floor."""
    d = b.d
    for i, lot in enumerate(b.problem.lots):
        if lot.min_value is None or not d.lot_bids[i]:
            continue
        name = f"value floor {lot.min_value:g} on lot {lot.id}"
        f = b.family(f"value:{lot.id}", "value", name, name, lot=i, level=lot.min_value)
        terms = [(b.s[k], d.value[k]) for k in d.lot_bids[i]] + [(b.slack[f.key], 1.0)]
        b.row(terms, _GE, f"val{i}", lot.min_value)


BUILDERS = (
    add_shares,
    add_budget,
    add_vendor_links,
    add_separations,
    add_max_lots,
    add_spend_share,
    add_vendor_counts,
    add_floors,
    add_value_floors,
)


def build(problem: AllocationProblem) -> Builder:
    """The whole pulp model (objective left to the caller: it changes between solves)."""
    b = Builder(problem, bid_data(problem))
    for add in BUILDERS:
        add(b)
    return b


__all__ = ["BUILDERS", "BidData", "Builder", "Family", "bid_data", "build"]
