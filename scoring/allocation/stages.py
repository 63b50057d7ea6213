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
rule with slack can still bind, so every rule is checked: one cut-off run per rule ("is there an
award better than the optimum with this rule relaxed?"), skipped for floors that block no bid
and for rules an improving award already proved binding (an award found with every rule relaxed
that breaks exactly one rule proves that rule binding without a run of its own).
"""

from __future__ import annotations

import numpy as np

from ..highs import INF
from .build import Family
from .model import AwardModel, hold, tol

MAX_TIED = 8
"""Tied awards listed before stage 3 falls back to the lot-by-lot walk."""


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


def refine(model: AwardModel, x: np.ndarray, lexicographic: bool) -> np.ndarray:
    """Tie-break stages 2 and 3 (module docstring) around the optimum ``x``."""
    opt = float(model.primary @ x)
    model.push_row(model.primary, -INF, opt + hold(opt))
    pushed = 1
    try:
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
        zero = np.zeros(model.ncol)
        while len(tied) <= MAX_TIED:
            model.push_nogood(tied[-1])
            pushed += 1
            other = model.run(zero)
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
            out = model.run(model.primary, cutoff=bar, target=bar)
        finally:
            model.restore(saved)
        better = out.x is not None and float(model.primary @ out.x) < bar
        return (out.x if better else None), out.status in ("optimal", "infeasible") or better

    z, done = improving([f.key for f in fams])
    if z is None:
        return [], done
    found = set()
    broken = _broken(model, z, fams)
    if len(broken) == 1:
        found.add(broken[0].key)
    for f in fams:
        if f.key in found:
            continue
        z, ok = improving([f.key])
        done &= ok
        if z is not None:
            found.add(f.key)
    return [f for f in fams if f.key in found], done


__all__ = ["MAX_TIED", "binding", "find_tie", "lex_key", "lexicographic_walk", "refine"]
