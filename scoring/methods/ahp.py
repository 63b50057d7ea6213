"""AHP: priorities from pairwise comparisons, with Saaty's consistency check.

References:
    T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980 (principal right
    eigenvector, consistency index and ratio, random-index table "saaty1980").
    T. L. Saaty, "Decision making with the analytic hierarchy process", *Int. J. Services
    Sciences* 1(1):83–98, 2008 (the drinks example used as the test oracle).
    T. L. Saaty, *Theory and Applications of the Analytic Network Process*, RWS Publications,
    2005, p. 31 (RI "saaty2005").
    V. M. R. Tummala and H. Ling, "A note on the computation of the mean random consistency
    index of the analytic hierarchy process", *Theory and Decision* 44:221–230, 1998
    ("tummala_ling1998").
    D. A. Donegan and F. J. Dodd, "A note on Saaty's random indexes", *Mathematical and
    Computer Modelling* 15(10):135–137, 1991 ("donegan_dodd1991").
    Table values as read from the code of pyDecision and pyrepo-mcda (1980), AHPy (2005 and
    Donegan–Dodd) and pymcdm (Tummala–Ling).

Why the eigenvector (and not the row geometric mean): it is Saaty's own method and the one the
published examples were computed with; the two differ in the third decimal on the drinks matrix,
so the prioritisation method is part of the result and is pinned here.

Why the random-index table is a parameter: four tables are in use in the reference libraries
and they give visibly different consistency ratios (drinks: 0.0223 / 0.0218 / 0.0221 / 0.0235).
A committee must be able to say which one it used, so the result records it.

Why ``most_inconsistent``: a CR above 0.1 is only useful if it tells the person who filled in
the matrix which judgement to revisit. The judgement whose given ratio is furthest — in log
terms, so that "3 instead of 1" and "1/3 instead of 1" count the same — from the ratio implied by
the final priorities is the one to show first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError

__all__ = [
    "RANDOM_INDEX",
    "AhpResult",
    "Judgement",
    "ahp",
    "ahp_from_judgements",
    "pairwise_matrix",
    "synthesise",
]

FloatArray = NDArray[np.float64]

#: Random consistency indices by table name and matrix order n. For n = 1, 2
#: every reciprocal matrix is consistent, so RI = 0 and CR is defined as 0.
RANDOM_INDEX: Mapping[str, Mapping[int, float]] = MappingProxyType(
    {
        name: MappingProxyType({1: 0.0, 2: 0.0, **dict(zip(range(3, 11), values, strict=True))})
        for name, values in {
            "saaty1980": (0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49),
            "saaty2005": (0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49),
            "tummala_ling1998": (0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882),
            "donegan_dodd1991": (0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055),
        }.items()
    }
)

#: Saaty's threshold: a consistency ratio up to 0.1 is acceptable.
CR_THRESHOLD = 0.1

_RECIPROCAL_RTOL = 1e-6
_SCALE_MIN, _SCALE_MAX = 1.0 / 9.0, 9.0
_SCALE_RTOL = 1e-9  # float slack on the 1/9 .. 9 bounds only


@dataclass(frozen=True)
class Judgement:
    """One pairwise judgement set against what the final priorities imply.

    ``given`` is ``a[row, col]`` ("row is *given* times as important as col");
    ``implied`` is ``w[row] / w[col]``; ``log_deviation`` is ``|ln(given / implied)|``.
    """

    row: int
    col: int
    given: float
    implied: float
    log_deviation: float


# eq=False: the array fields would make a generated ``__eq__`` ambiguous.
@dataclass(frozen=True, eq=False)
class AhpResult:
    """Priorities and consistency of one pairwise-comparison matrix.

    Attributes:
        priorities: principal right eigenvector, normalised to sum to 1 (n,).
        lambda_max: principal eigenvalue (≥ n; = n exactly when perfectly consistent).
        ci: consistency index ``(λmax − n) / (n − 1)`` (0 for n = 1).
        ri: random index used (from ``ri_table``; 0 for n ≤ 2).
        cr: consistency ratio ``CI / RI`` (0 for n ≤ 2).
        ri_table: name of the random-index table, to be displayed with every CR.
        consistent: ``cr <= 0.1`` (Saaty's threshold).
        most_inconsistent: the judgement (upper triangle, row < col) furthest from the ratio
            implied by the priorities — the one to revisit first; None for n = 1.
        matrix: the validated pairwise matrix (n, n).
        labels: names of the compared items, when known.
    """

    priorities: FloatArray
    lambda_max: float
    ci: float
    ri: float
    cr: float
    ri_table: str
    consistent: bool
    most_inconsistent: Judgement | None
    matrix: FloatArray
    labels: tuple[str, ...] | None = None


def _frozen(a: NDArray) -> NDArray:
    a.setflags(write=False)
    return a


def _cell_name(i: int, j: int, labels: Sequence[str] | None) -> str:
    where = f"cell ({i}, {j})"
    if labels is not None:
        where += f" [{labels[i]} vs {labels[j]}]"
    return where


def _validate(matrix: ArrayLike, labels: Sequence[str] | None) -> FloatArray:
    a = np.array(matrix, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
        raise InputError(f"pairwise matrix must be square and non-empty, got shape {a.shape}")
    n = a.shape[0]
    if labels is not None and len(labels) != n:
        raise InputError(f"{len(labels)} labels for a {n}×{n} matrix")
    for i in range(n):
        for j in range(n):
            v = float(a[i, j])
            where = _cell_name(i, j, labels)
            if not math.isfinite(v):
                raise InputError(f"{where} is not finite: {v!r}")
            if v <= 0:
                raise InputError(f"{where} must be positive, got {v!r}")
            if i == j:
                if abs(v - 1.0) > _RECIPROCAL_RTOL:
                    raise InputError(f"{where} is on the diagonal and must be 1, got {v!r}")
                continue
            if not _SCALE_MIN * (1 - _SCALE_RTOL) <= v <= _SCALE_MAX * (1 + _SCALE_RTOL):
                raise InputError(f"{where} = {v!r} is outside Saaty's scale [1/9, 9]")
            if j > i and abs(v * float(a[j, i]) - 1.0) > _RECIPROCAL_RTOL:
                raise InputError(
                    f"{where} = {v!r} but its mirror {_cell_name(j, i, labels)} = "
                    f"{float(a[j, i])!r}; a reciprocal matrix needs a[j, i] = 1 / a[i, j]"
                )
    return a


def _principal_eigen(a: FloatArray) -> tuple[float, FloatArray]:
    """Perron root and vector of a positive matrix (real, simple, positive vector)."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    v = np.abs(vectors[:, k].real)
    return float(values[k].real), v / v.sum()


def _random_index(ri_table: str, n: int) -> float:
    try:
        table = RANDOM_INDEX[ri_table]
    except KeyError:
        names = ", ".join(sorted(RANDOM_INDEX))
        raise InputError(f"unknown random-index table {ri_table!r}; use one of {names}") from None
    if n not in table:
        raise InputError(
            f"random-index table {ri_table!r} stops at n = {max(table)}; a {n}×{n} matrix cannot "
            "be checked for consistency (split the comparisons into a hierarchy)"
        )
    return table[n]


def ahp(
    matrix: ArrayLike,
    ri_table: str = "saaty1980",
    *,
    labels: Sequence[str] | None = None,
) -> AhpResult:
    """Priorities of n items from their pairwise-comparison matrix (Saaty 1980, eigenvector).

    Args:
        matrix: n×n matrix, ``a[i, j]`` = how many times item i is more important than item j
            on Saaty's 1–9 scale. Must be positive, finite, with a unit diagonal, reciprocal
            (``a[j, i] = 1 / a[i, j]`` within 1e-6 relative) and inside [1/9, 9].
        ri_table: random-index table for CR: ``"saaty1980"`` (default), ``"saaty2005"``,
            ``"tummala_ling1998"`` or ``"donegan_dodd1991"``.
        labels: optional item names, used in error messages and kept in the result.

    Returns:
        An :class:`AhpResult`.

    Raises:
        ValueError: naming the offending cell when the matrix is invalid; or an unknown table;
            or n > 10 (no published random index).
    """
    a = _validate(matrix, labels)
    n = a.shape[0]
    ri = _random_index(ri_table, n)
    if n == 1:
        lambda_max, w = 1.0, np.ones(1)
    else:
        lambda_max, w = _principal_eigen(a)
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    cr = ci / ri if ri > 0 else 0.0

    worst: Judgement | None = None
    if n > 1:
        implied = w[:, None] / w[None, :]
        deviation = np.abs(np.log(a / implied))
        iu, ju = np.triu_indices(n, k=1)
        k = int(np.argmax(deviation[iu, ju]))
        i, j = int(iu[k]), int(ju[k])
        worst = Judgement(i, j, float(a[i, j]), float(implied[i, j]), float(deviation[i, j]))

    return AhpResult(
        priorities=_frozen(w),
        lambda_max=lambda_max,
        ci=ci,
        ri=ri,
        cr=cr,
        ri_table=ri_table,
        consistent=bool(cr <= CR_THRESHOLD),
        most_inconsistent=worst,
        matrix=_frozen(a),
        labels=tuple(labels) if labels is not None else None,
    )


def pairwise_matrix(
    labels: Sequence[str], judgements: Mapping[tuple[str, str], float]
) -> FloatArray:
    """Build the reciprocal matrix from one judgement per pair of labels.

    Each unordered pair must be judged exactly once: ``{("a", "b"): 3}`` means "a is 3 times as
    important as b" and fills ``a[a, b] = 3`` and ``a[b, a] = 1/3``. Giving the pair in the
    other orientation (``("b", "a")``) is accepted and read the same way; giving both is an
    error, because two judgements of one pair can disagree and only the person can say which
    one stands. Why only one triangle: asking for both halves invites non-reciprocal input.

    Raises:
        ValueError: duplicate or unknown labels, self-comparisons, pairs judged twice, or
            missing pairs (all of them are listed).
    """
    names = list(labels)
    if len(set(names)) != len(names):
        raise InputError(f"labels must be unique, got {names}")
    index = {name: k for k, name in enumerate(names)}
    n = len(names)
    a = np.eye(n)
    seen: dict[frozenset[str], tuple[str, str]] = {}
    for (left, right), value in judgements.items():
        for name in (left, right):
            if name not in index:
                raise InputError(f"judgement ({left!r}, {right!r}) names unknown label {name!r}")
        if left == right:
            raise InputError(f"judgement ({left!r}, {right!r}) compares an item with itself")
        pair = frozenset((left, right))
        if pair in seen:
            raise InputError(
                f"pair {left!r}/{right!r} is judged twice: {seen[pair]} and {(left, right)}"
            )
        seen[pair] = (left, right)
        v = float(value)
        if not math.isfinite(v) or v <= 0:
            raise InputError(f"judgement ({left!r}, {right!r}) must be a positive number, got {v}")
        i, j = index[left], index[right]
        a[i, j] = v
        a[j, i] = 1.0 / v
    missing = [
        (names[i], names[j])
        for i in range(n)
        for j in range(i + 1, n)
        if frozenset((names[i], names[j])) not in seen
    ]
    if missing:
        raise InputError(f"{len(missing)} pair(s) not judged: {missing}")
    return a


def ahp_from_judgements(
    labels: Sequence[str],
    judgements: Mapping[tuple[str, str], float],
    ri_table: str = "saaty1980",
) -> AhpResult:
    """:func:`ahp` on the matrix built by :func:`pairwise_matrix` from labelled judgements."""
    return ahp(pairwise_matrix(labels, judgements), ri_table, labels=tuple(labels))


def synthesise(criteria_weights: ArrayLike, alternative_priorities: ArrayLike) -> FloatArray:
    """Overall priorities of a one-level hierarchy: ``overall = Σ_c w_c · p_c``.

    Saaty's distributive synthesis (1980): the local priorities of the alternatives under
    each criterion (rows of ``alternative_priorities``, k criteria × m alternatives) are
    weighted by the criteria weights (k,). The weights are normalised by their sum, as in
    :func:`scoring.methods.topsis.topsis`, so only their ratios matter; with AHP priorities
    summing to 1 the overall priorities then also sum to 1.

    Raises:
        ValueError: mismatched shapes, non-finite or negative values, all-zero weights.
    """
    w = np.array(criteria_weights, dtype=np.float64)
    p = np.array(alternative_priorities, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise InputError(f"criteria_weights must be a non-empty vector, got shape {w.shape}")
    if p.ndim != 2 or p.shape[0] != w.size:
        raise InputError(
            f"alternative_priorities must be (criteria={w.size}) × alternatives, got {p.shape}"
        )
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(p))):
        raise InputError("weights and priorities must be finite")
    if np.any(w < 0) or np.any(p < 0):
        raise InputError("weights and priorities must be non-negative")
    total = w.sum()
    if total <= 0:
        raise InputError("criteria_weights are all zero")
    return (w / total) @ p
