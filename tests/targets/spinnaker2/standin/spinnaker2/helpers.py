"""``spinnaker2.helpers`` stand-in.

This is NOT py-spinnaker2's ``helpers`` module: it is a stand-in written from
py-spinnaker2's documented API for nirc's tests, with only the helper nirc uses.
"""

from __future__ import annotations

import numpy as np

__all__ = ["connection_list_from_dense_weights"]


def connection_list_from_dense_weights(dense_weights, delay):
    """Rows ``[i, j, dense_weights[i, j], delay]`` for every pre ``i`` and post ``j``, zeros included.

    ``dense_weights`` has shape (pre, post); the rows come in the order of the nested loops
    ``for i in range(pre): for j in range(post)``.
    """
    if not isinstance(dense_weights, np.ndarray):
        raise TypeError(f"dense_weights must be a numpy array (pre, post), got {type(dense_weights).__name__}")
    if dense_weights.ndim != 2:
        raise ValueError(f"dense_weights must be 2-D (pre, post), got shape {dense_weights.shape}")
    conns = []
    for i in range(dense_weights.shape[0]):
        for j in range(dense_weights.shape[1]):
            conns.append([i, j, dense_weights[i, j], delay])
    return conns
