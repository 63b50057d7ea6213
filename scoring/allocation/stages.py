"""The stages of ``solve`` after the optimum: tie check, tie-break, binding rules.

Ties: a no-good cut (Balas & Jeroslow 1972, "Canonical cuts on the unit hypercube") excludes the
found set of winning bids and the model is re-solved with a cut-off just above the optimum
(1e-6 relative): any award it finds is a tie, and "infeasible" proves there is none.

Tie-break (deterministic, stated): (1) the objective; (2) then, among awards reaching the
optimum (to 1e-9 relative: numerical noise), the secondary criterion: lowest cost for
``max_value``, highest value for ``min_cost``; (3) then the lexicographically smallest award:
lots in problem order, each lot's offer compared as a string (the order of ``bids`` never
matters). Stage 2 is one solve with the objective held at its optimum; stage 3 lists the awards
still tied after stage 2 by repeated no-good cuts (feasibility runs, usually one or two) and
takes the smallest; beyond ``MAX_TIED`` it walks the lots in order instead, one cut-off run
per lot whose offer can still move. Split lots take part in stages 1-2, not in stage 3.

Binding rules: a rule binds when relaxing it alone improves the objective beyond the tie
tolerance. This is the MILP meaning; a merely tight constraint (zero slack) is not enough, and a
rule with slack can still bind, so every rule is decided by cut-off runs ("is there an award
better than the optimum with these rules relaxed?"), skipping floors that block no bid. Group
search (monotone: relaxing more rules only adds awards): every undecided rule is relaxed at
once; no improving award proves all of them non-binding in one run; an improving award that
breaks exactly one of them proves that one binding (it meets every other rule); when it breaks
several, each of those is decided by a run of its own. Then the rest is asked again.

Speed (issue 8): the cut-off runs of the tie-break stages and of the binding rules go through
``AwardModel.ask`` (LP bound and reduced-cost fixing, ``bounds``), which answers each question
exactly as the plain run would, on a model of a few hundred columns. Stage 3's feasibility
runs minimise the secondary criterion under the same rows, with a cut-off just above its held
bound (``ROW_TOL``): the set of awards admitted is unchanged, and the objective lets the LP
proofs and HiGHS prune (4.8 s -> 0.1 s on 50 lots x 100 offers). The tie check keeps the plain
run: which other tied award it returns (``alternative``) depends on the solver's path.
"""

from __future__ import annotations

import numpy as np

from ..highs import INF
from .build import Family
from .model import AwardModel, hold, tol

MAX_TIED = 8
"""Tied awards listed before stage 3 falls back to the lot-by-lot walk."""
ROW_TOL = 1e-5
"""Cut-off above a held objective row's bound: larger than HiGHS's MIP row feasibility tolerance
(1e-6), so the cut-off never removes an award the row itself admits."""


def find_tie(model: AwardModel, x: np.ndarray) -> tuple[np.ndarray | None, str]:
    """Another set of winning bids reaching the optimum of ``x`` (None: unique), and a note
    when the check could not finish."""
    opt = float(model.primary @ x)
    model.push_nogood(x)
    try:
        out = model.run(model.primary, cutoff=opt + tol(opt), target=opt + tol(opt))
    finally:
        model.pop_rows(1)
    if out.x is not None and float(model.primary @ out.x) <= opt + tol(opt):
        return out.x, ""
    return None, "" if out.status in ("optimal", "infeasible") else out.message


def refine(
    model: AwardModel, x: np.ndarray, lexicographic: bool, *, bounded: bool | None = None
) -> np.ndarray:
    """Tie-break stages 2 and 3 (module docstring) around the optimum ``x``.

    ``bounded`` (default: ``lexicographic``): stage 2 is asked with ``x``'s secondary value as
    cut-off and the LP proofs of ``bounds`` (fast); otherwise it is the plain HiGHS run. Both
    reach the same secondary optimum; when several awards share it, which one HiGHS returns
    may differ, which matters only when no stage 3 follows."""
    if bounded is None:
        bounded = lexicographic
    opt = float(model.primary @ x)
    model.push_row(model.primary, -INF, opt + hold(opt))
    pushed = 1
    try:
        if bounded:
            known = float(model.secondary @ x)  # x meets the held row: the optimum is not above
            out = model.ask(model.secondary, cutoff=known + hold(known) + ROW_TOL)
        else:
            out = model.run(model.secondary)
        if out.x is None:
            return x
        x = out.x
        if not lexicographic:
            return x
        sec = float(model.secondary @ x)
        model.push_row(model.secondary, -INF, sec + hold(sec))
        pushed = 2
        tied = [x]
        window = sec + hold(sec) + ROW_TOL
        while len(tied) <= MAX_TIED:
            model.push_nogood(tied[-1])
            pushed += 1
            other = model.ask(model.secondary, cutoff=window, target=window)
            if other.x is None:
                if other.status != "infeasible":  # budget ran out: keep the best seen so far
                    break
                return min(tied, key=lambda z: lex_key(model, z))
            tied.append(other.x)
        model.pop_rows(pushed - 2)
        pushed = 2
        return lexicographic_walk(model, min(tied, key=lambda z: lex_key(model, z)))
    finally:
        model.pop_rows(pushed)
        if model.fixed:
            model.fixed.clear()
            model.apply_bounds()


def lex_key(model: AwardModel, x: np.ndarray) -> tuple[str, ...]:
    """Offers of the whole lots in problem order (split lots do not take part)."""
    won = x[model.y_col] > 0.5
    out = []
    for i, lot in enumerate(model.lots):
        if lot.splittable:
            continue
        ks = [k for k in model.d.lot_bids[i] if won[k]]
        out.append(model.bids[ks[0]].offer if ks else "")
    return tuple(out)


def lexicographic_walk(model: AwardModel, x: np.ndarray) -> np.ndarray:
    """Lots in problem order: give each the smallest offer key still reaching the optimum."""
    for i, lot in enumerate(model.lots):
        if lot.splittable or not model.d.lot_bids[i]:
            continue
        open_ = model.open_mask()
        cands = [k for k in model.d.lot_bids[i] if open_[k]]  # sorted by offer already
        won = [k for k in cands if x[model.y_col[k]] > 0.5]
        if not won:
            continue
        r_won = cands.index(won[0])
        if r_won > 0:
            rank = np.zeros(model.ncol)
            for r, k in enumerate(cands):
                rank[model.y_col[k]] = r
            out = model.run(rank, cutoff=r_won - 0.5)
            if out.x is not None:
                x = out.x
                won = [k for k in cands if x[model.y_col[k]] > 0.5] or won
        model.fixed[i] = won[0]
        model.apply_bounds()
    return x


def _no_effect(model: AwardModel, f: Family) -> bool:
    """A floor that blocks no open bid, or a value floor every bid of its lot meets, cannot
    bind: relaxing it changes nothing."""
    if f.kind in ("seal", "legal"):
        return not bool(model.floor_blocked(f).any())
    if f.kind == "value":
        ks = model.d.lot_bids[f.lot]
        return bool(np.all(model.d.value[ks] >= f.level - 1e-9))
    return False


def _broken(model: AwardModel, z: np.ndarray, fams: list[Family]) -> list[Family]:
    """The rules of ``fams`` that award ``z`` (found with them relaxed) does not meet."""
    won = z[model.y_col] > 0.5
    out = []
    for f in fams:
        if f.kind in ("seal", "legal"):
            if bool((model.floor_blocked(f) & won).any()):
                out.append(f)
        elif z[f.slack] > 1e-7:
            out.append(f)
    return out


def binding(model: AwardModel, x: np.ndarray) -> tuple[list[Family], bool]:
    """Rules whose relaxation alone improves the objective (MILP sense, module docstring), and
    whether the analysis finished within the time budget."""
    fams = [
        f
        for f in model.active_families()
        if (f.kind != "budget" or model.budget is not None) and not _no_effect(model, f)
    ]
    if not fams:
        return [], True
    opt = float(model.primary @ x)
    bar = opt - tol(opt)
    saved = model.states()

    def improving(keys: list[str]) -> tuple[np.ndarray | None, bool]:
        model.set_allow(keys, INF)
        try:
            out = model.ask(model.primary, cutoff=bar, target=bar)
        finally:
            model.restore(saved)
        better = out.x is not None and float(model.primary @ out.x) < bar
        return (out.x if better else None), out.status in ("optimal", "infeasible") or better

    found: set[str] = set()
    undecided = list(fams)
    done = True
    while undecided:
        z, ok = improving([f.key for f in undecided])
        done &= ok
        if z is None:  # none of them binds (or the time budget ran out: done is False)
            break
        broken = _broken(model, z, undecided)
        if len(broken) == 1:  # z meets every other rule: relaxing this one alone improves
            found.add(broken[0].key)
        else:  # several broken (or none, numerical noise): each is decided alone
            broken = broken or undecided
            for f in broken:
                z, ok = improving([f.key])
                done &= ok
                if z is not None:
                    found.add(f.key)
        undecided = [f for f in undecided if f not in broken]
    return [f for f in fams if f.key in found], done


__all__ = ["MAX_TIED", "binding", "find_tie", "lex_key", "lexicographic_walk", "refine"]
