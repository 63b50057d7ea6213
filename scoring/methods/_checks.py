"""Input checks shared by the numeric methods (TOPSIS, PROMETHEE, SMAA): one message per mistake."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError

FloatArray = NDArray[np.float64]


def finite_matrix(values: ArrayLike, what: str, axes: str, *, copy: bool = True,
                  finite: bool = True) -> FloatArray:
    """A 2-D float array of ``values``; raise ``InputError`` naming the first bad cell.

    ``copy=False`` returns ``values`` itself when it already is a float64 array: for callers
    that only read it (TOPSIS, PROMETHEE), where a defensive copy of a 2000 × 300 matrix is a
    measurable share of the whole computation. Callers that write into the result keep the
    default copy. ``finite=False`` checks the shape only, for a caller that proves finiteness
    from values it computes anyway (TOPSIS: the column extremes).
    """
    x = np.array(values, dtype=np.float64) if copy else np.asarray(values, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise InputError(f"{what} must be 2-D ({axes}), got shape {x.shape}")
    if not finite:
        return x
    # Fast path: NaN and ±inf propagate into the sum, so a finite sum proves every cell finite
    # (an overflowing sum of finite cells only sends us to the exact cell-by-cell check).
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(x, axis=None)
    if not np.isfinite(total) and not np.all(np.isfinite(x)):
        i, j = np.argwhere(~np.isfinite(x))[0]
        raise InputError(f"{what} cell ({i}, {j}) is not finite: {x[i, j]!r}")
    return x


def weight_vector(weights: ArrayLike, n: int) -> FloatArray:
    """Weights (n,) finite, non-negative, not all zero; returned normalised to sum to 1.

    Why normalise inside: only the ratios of the weights mean anything, so ``[2, 1]`` and
    ``[0.667, 0.333]`` must give the same result in every method.
    """
    w = np.array(weights, dtype=np.float64)
    if w.shape != (n,):
        raise InputError(f"weights must have one entry per criterion ({n}), got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise InputError(f"weights must be finite, got {w.tolist()}")
    if np.any(w < 0):
        raise InputError(f"weights must be non-negative, got {w.tolist()}")
    total = w.sum()
    if total <= 0:
        raise InputError("weights are all zero: at least one criterion must count")
    return w / total


def benefit_mask(benefit: ArrayLike | None, n: int) -> NDArray[np.bool_]:
    """A bool mask (n,), True where larger is better; None means every criterion is a benefit."""
    if benefit is None:
        return np.ones(n, dtype=bool)
    b = np.asarray(benefit)
    if b.shape != (n,) or b.dtype != np.bool_:
        raise InputError(
            f"benefit must be a bool array with one entry per criterion ({n}), "
            f"got dtype {b.dtype} and shape {b.shape}"
        )
    return b.copy()
