"""Why no award exists, which rules must give, by how much, and whether each fix works alone.

1. Pre-check: a lot with no eligible bid at its floors, or whose value floor no eligible bid
   reaches, is reported and set aside (``checks.coverage_issues``); the rest is analysed.
2. Deletion filter (Chinneck & Dravnieks 1991, "Locating minimal infeasible constraint sets in
   linear programs") over the rule families: each family is relaxed in turn and kept relaxed
   when the problem stays infeasible without it; what remains is an irreducible conflicting
   set. Its members are then relaxed and the search repeats until the rest is feasible, so
   independent conflicts are all reported.
3. For each member of a set, the amount it must give, with the other members hard: an elastic
   solve (its slack reopened and minimised) for budget, lot and vendor counts and value floors;
   a floor walk-down for SEAL and legal floors; Dinkelbach's method (1967, "On nonlinear
   fractional programming") for the spend share, whose minimum max_g spend_g / total is a ratio:
   the share offered is the smallest that works, not the share of whatever award came first.
   A min-vendors amount is the elastic minimum, so it accounts for the number of lots (there
   cannot be more winners than lot slots), not only for the number of vendor groups.
4. Every fix offered is verified by a re-solve (defect 10b, overlapping conflicts): applied
   alone, with every other rule as stated, it must make an award possible (``Fix.alone``);
   otherwise the fix is checked together with each rule of the other conflicts, relaxed by the
   least that works with the fix applied (computed under it, defect 17.4a: the amount a rule
   needs alone can be too little once another rule gives), and the text prints exactly the
   combination re-solved ("only together with: allow a vendor 67% of spend").
5. The migration of a lot nobody can take still counts in the budget (its incumbent leaves it
   whoever takes it later): a budget amount says how much of it that is (defect 17.4b).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from ..highs import INF
from .build import Family
from .checks import coverage_details, coverage_issues, groups_available
from .model import FREE, HARD, AwardModel, Deadline
from .problem import AllocationProblem
from .results import Fix, Relaxation
from .words import eur, plural

_UNIT = {
    "budget": "EUR",
    "max_lots": "lots",
    "spend": "share",
    "min_vendors": "vendors",
    "max_vendors": "vendors",
    "separation": "rule",
    "value": "points",
    "seal": "SEAL",
    "legal": "legal utility",
}
_COUNTS = ("max_lots", "min_vendors", "max_vendors", "separation")


def explain_infeasibility(
    problem: AllocationProblem, time_limit: float = 30.0
) -> tuple[Relaxation, ...]:
    """Which rules must give, and by how much (empty when the problem is feasible)."""
    return explain_with(problem, Deadline(time_limit))[0]


def explain_with(
    problem: AllocationProblem, deadline: Deadline
) -> tuple[tuple[Relaxation, ...], bool]:
    """The explanations, and whether the analysis finished within the deadline."""
    out: list[Relaxation] = []
    dropped: set[int] = set()
    issues = coverage_issues(problem)
    details = coverage_details(problem)
    for i, lot in enumerate(problem.lots):
        if lot.id in issues:
            long = details[lot.id] if details[lot.id] != issues[lot.id] else ""
            out.append(Relaxation((f"coverage:{lot.id}",), issues[lot.id], detail=long))
            dropped.add(i)
    model = AwardModel(problem, deadline)
    model.dropped = dropped
    fams = [f for f in model.active_families() if f.lot < 0 or f.lot not in dropped]
    model.set_allow([f.key for f in model.families if f not in fams], FREE)
    cores, complete = _cores(model, fams)
    if not complete:
        out.append(
            Relaxation(
                ("unknown",),
                "the rules cannot all be met (no explanation found within the time limit)",
            )
        )
    in_cores = {f.key for core in cores for f in core}
    amounts: list[list[tuple[Family, float | None]]] = []
    for core in cores:
        found = []
        for f in core:
            # Others of this core hard, other cores free, the rest hard; then the rest free.
            model.set_allow([g.key for g in fams], HARD)
            model.set_allow([g.key for g in fams if g.key in in_cores and g not in core], FREE)
            amount = _amount(model, f)
            if amount is None:
                model.set_allow([g.key for g in fams if g.key not in in_cores], FREE)
                amount = _amount(model, f)
            found.append((f, amount))
        amounts.append(found)
    model.set_allow([g.key for g in fams], HARD)
    verified = []
    for c, found in enumerate(amounts):
        others = [fix for d, fs in enumerate(amounts) if d != c for fix in fs]
        verified.append(tuple(_verified(model, fams, f, a, others) for f, a in found))
    for found, fixes in zip(amounts, verified, strict=True):
        out.append(_sentence(problem, model, found, fixes))
    return tuple(out), complete and not deadline.expired()


def _cores(model: AwardModel, fams: list[Family]) -> tuple[list[list[Family]], bool]:
    """Irreducible conflicting sets by deletion filtering; False when the deadline hit."""
    cores: list[list[Family]] = []
    while len(cores) <= len(fams):
        now = model.feasible()
        if now is None:
            return cores, False
        if now:
            return cores, True
        hard = [f for f in fams if model.allow[f.key] == HARD]
        core = list(hard)
        for f in hard:
            model.set_allow([f.key], FREE)
            ok = model.feasible()
            if ok is None:
                return cores, False
            if ok:
                model.set_allow([f.key], HARD)
            else:
                core.remove(f)
        if not core:
            return cores, False
        model.set_allow([f.key for f in hard if f not in core], HARD)
        model.set_allow([f.key for f in core], FREE)
        cores.append(core)
    return cores, model.feasible() is True


def _amount(model: AwardModel, f: Family) -> float | None:
    """How much ``f`` must give with the current other states (None: relaxing it is not
    enough). Leaves ``f`` free."""
    try:
        if f.kind in ("seal", "legal"):
            return _floor_amount(model, f)
        if f.kind == "spend":
            return _spend_amount(model, f)
        model.set_allow([f.key], FREE)
        cost = np.zeros(model.ncol)
        cost[f.slack] = 1.0
        out = model.run(cost)
        if out.x is None:
            return None
        e = float(out.x[f.slack])
        if f.kind == "budget":
            return e * model.d.scale
        if f.kind in _COUNTS:
            return float(math.ceil(e - 1e-6))
        return e
    finally:
        model.set_allow([f.key], FREE)


def _floor_amount(model: AwardModel, f: Family) -> float | None:
    """The highest floor below the rule's that makes an award possible (walk-down)."""
    if f.kind == "seal":
        levels: list[float] = [float(lv) for lv in range(int(f.level) - 1, -1, -1)]
    else:
        below = model.d.legal[(model.d.b_lot == f.lot) & (model.d.legal < f.level)]
        levels = sorted({float(v) for v in below if np.isfinite(v)}, reverse=True)
    with _level(model, f):
        for lv in [*levels, -math.inf]:
            f.level = lv
            model.set_allow([f.key], HARD)
            if model.feasible():
                return lv
    return None


def _spend_amount(model: AwardModel, f: Family) -> float | None:
    """The smallest spend share that works (Dinkelbach): lambda_0 = 1 (the rule void); while
    some award has max_g spend_g - lambda * total < 0, lambda becomes that award's share."""
    lam = 1.0
    cost = np.zeros(model.ncol)
    cost[f.slack] = 1.0
    try:
        for _ in range(50):
            model.set_spend_alpha(lam)
            model.h.changeColBounds(f.slack, -INF, INF)
            out = model.run(cost)
            if out.x is None:
                return None if lam == 1.0 else lam
            share, total = _max_share(model, out.x)
            if float(out.x[f.slack]) >= -1e-9 * max(1.0, total) or share >= lam:
                return lam
            lam = share
        return lam
    finally:
        model.set_spend_alpha(f.level)
        model.apply_bounds()


def _max_share(model: AwardModel, x: np.ndarray) -> tuple[float, float]:
    """The largest vendor group's share of bid spend in award ``x``, and the total."""
    won = x[model.s_col] * (x[model.y_col] > 0.5)
    d = model.d
    spend = np.bincount(d.b_group, weights=won * d.cost, minlength=len(d.group_names))
    total = float(spend.sum())
    return (float(spend.max() / total) if total > 0 else 0.0), total


@contextmanager
def _level(model: AwardModel, f: Family) -> Iterator[None]:
    saved = f.level
    try:
        yield
    finally:
        f.level = saved
        model.apply_bounds()


@contextmanager
def _applied(
    model: AwardModel, fams: list[Family], fixes: list[tuple[Family, float | None]]
) -> Iterator[None]:
    """Every rule of ``fams`` as stated except ``fixes`` applied (None: the rule dropped), for
    the duration of the block; the model is restored after it."""
    levels = {f.key: f.level for f, _ in fixes}
    model.set_allow([g.key for g in fams], HARD)
    try:
        for f, a in fixes:
            if a is None or f.kind == "separation":
                model.allow[f.key] = FREE
            elif f.kind in ("seal", "legal"):
                f.level = a
            elif f.kind == "spend":
                model.set_spend_alpha(a + 1e-9)
            elif f.kind == "budget":
                model.allow[f.key] = a / model.d.scale * (1 + 1e-9) + 1e-12
            else:
                model.allow[f.key] = a + 1e-9
        model.apply_bounds()
        yield
    finally:
        for f, _ in fixes:
            f.level = levels[f.key]
            if f.kind == "spend":
                model.set_spend_alpha(f.level)
        model.set_allow([g.key for g in fams], HARD)


def _feasible_with(
    model: AwardModel, fams: list[Family], fixes: list[tuple[Family, float | None]]
) -> bool:
    """Is there an award with every rule of ``fams`` as stated except ``fixes`` applied?"""
    with _applied(model, fams, fixes):
        return model.feasible() is True


def _verified(
    model: AwardModel,
    fams: list[Family],
    f: Family,
    a: float | None,
    others: list[tuple[Family, float | None]],
) -> Fix:
    """The fix of ``f`` by ``a``, checked alone; then with one rule of the other conflicts
    relaxed by the least that works *with this fix applied* (its amount computed under the fix,
    not the amount it needs alone: defect 17.4a); then with the other conflicts' rules dropped.
    The combination recorded, and printed, is the one the last re-solve checked."""
    text = _fix_text(model, f, a)
    if _feasible_with(model, fams, [(f, a)]):
        return Fix(f.key, a, text, alone=True)
    partners = list({g.key: g for g, _ in others if g is not f}.values())
    for g in partners:
        with _applied(model, fams, [(f, a)]):
            b = _amount(model, g)
        if b is None:
            continue
        if _feasible_with(model, fams, [(f, a), (g, b)]):
            return Fix(f.key, a, text, alone=False, together_with=(g.key,),
                       together_amounts=(b,), together_text=_fix_text(model, g, b))
    if partners and _feasible_with(model, fams, [(f, a), *((g, None) for g in partners)]):
        words = "dropping the " + _and([g.conflict for g in partners])
        return Fix(f.key, a, text, alone=False, together_with=tuple(g.key for g in partners),
                   together_amounts=tuple(None for _ in partners), together_text=words)
    return Fix(f.key, a, text, alone=False)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _leaving(model: AwardModel) -> tuple[float, list[str]]:
    """Migration the budget pays for lots nobody can take (set aside, ``model.dropped``) whose
    incumbent is leaving them whatever happens, and those lots: it counts in every budget
    amount, so the amount says so (defect 17.4b)."""
    lots = [model.lots[i] for i in sorted(model.dropped)]
    left = [lot for lot in lots if lot.incumbent is not None and lot.migration_cost > 0]
    return sum(lot.migration_cost for lot in left), [lot.id for lot in left]


def _of_which(model: AwardModel, a: float) -> str:
    """``, of which €2.0 k is leaving the incumbent of L1`` (empty when nothing is)."""
    m, lots = _leaving(model)
    if m <= 0:
        return ""
    part = eur(a, up=True) if m >= a else eur(m)
    return f", of which {part} is leaving the incumbent of {_and(lots)}"


def _fix_text(model: AwardModel, f: Family, a: float | None) -> str:
    lot = model.lots[f.lot].id if f.lot >= 0 else ""
    if a is None:
        return f"relax the {f.conflict}"
    if f.kind == "budget":
        return f"raise the budget by {eur(a, up=True)}{_of_which(model, a)}"
    if f.kind == "max_lots":
        return f"allow {plural(f.level + a, 'lot')} per vendor"
    if f.kind == "spend":
        return f"allow a vendor {math.ceil(a * 100 - 1e-6)}% of spend"
    if f.kind == "min_vendors":
        return f"accept {plural(f.level - a, 'vendor')}"
    if f.kind == "max_vendors":
        return f"allow {plural(f.level + a, 'vendor')}"
    if f.kind == "separation":
        return "drop the separation"
    if f.kind == "value":
        return f"lower the value floor on lot {lot} by {a:.3g} points"
    if f.kind == "seal":
        return f"lower the floor on lot {lot} to SEAL-{a:g}" if a >= 0 else (
            f"drop the SEAL floor on lot {lot}"
        )
    return f"lower the legal floor on lot {lot} to {a:g}" if math.isfinite(a) else (
        f"drop the legal floor on lot {lot}"
    )


def _worded(fix: Fix) -> str:
    """The fix's words, plus what it needs when it does not work alone (exactly the
    combination its re-solve checked)."""
    if fix.alone:
        return fix.text
    if not fix.together_with:
        return f"{fix.text} (not enough alone)"
    return f"{fix.text} (only together with: {fix.together_text})"


def _sentence(
    problem: AllocationProblem,
    model: AwardModel,
    found: list[tuple[Family, float | None]],
    fixes: tuple[Fix, ...],
) -> Relaxation:
    keys = tuple(f.key for f, _ in found)
    words = [_worded(fix) for fix in fixes]
    if len(found) == 1:
        (f, a), fix = found[0], fixes[0]
        unit = _UNIT[f.kind]
        if f.kind == "budget" and a is not None and fix.alone:
            text = f"budget short by {eur(a, up=True)}{_of_which(model, a)}"
            return Relaxation(keys, text, a, unit, fixes)
        if f.kind == "min_vendors" and a is not None and fix.alone:
            m = groups_available(problem)
            if f.level - a == m:
                text = (
                    f"min {plural(f.level, 'vendor')} cannot be met: only "
                    f"{plural(m, 'vendor group')} {'has' if m == 1 else 'have'} an eligible offer"
                )
                return Relaxation(keys, text, a, unit, fixes)
        return Relaxation(keys, f"{f.conflict} cannot be met: {words[0]}", a, unit, fixes)
    names = [f.conflict for f, _ in found]
    joined = " and ".join(names) if len(names) == 2 else ", ".join(names[:-1]) + " and " + names[-1]
    return Relaxation(keys, f"{joined} conflict: " + ", or ".join(words), fixes=fixes)


__all__ = ["explain_infeasibility", "explain_with"]
