"""Input checks shared by the numeric methods (TOPSIS, SMAA): one message for one mistake."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError


def finite_matrix(values: ArrayLike, what: str, axes: str) -> NDArray[np.float64]:
    """A 2-D float copy of ``values``; raise ``InputError`` naming the first bad cell."""
    x = np.array(values, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise InputError(f"{what} must be 2-D ({axes}), got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        i, j = np.argwhere(~np.isfinite(x))[0]
        raise InputError(f"{what} cell ({i}, {j}) is not finite: {x[i, j]!r}")
    return x
