"""What the BPTT variants cost: states kept and products made.

    count_backward_products  the products by W_hh a BPTT function really performs, counted as it runs
    stored_states            how many hidden states a streaming backward pass must keep at once

Both are measurements, not drawings: notebook 02 plots them (``diagrams.plot_truncation_costs``)
and notebook 04 tabulates them. numpy only. Shapes: T steps, B batch, H hidden.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validate import check_choice, check_positive_int
from .rnn import RNNCache

#: the storage schemes ``stored_states`` knows: rnn_backward, truncated_bptt, chunked_bptt
STORAGE = ("full", "window", "chunked")


class _CountingMatrix(np.ndarray):
    """W_hh that counts the (B, H) @ (H, H) products made with it from the left."""

    count: int = 0

    def __rmatmul__(self, other):
        other = np.asarray(other)
        type(self).count += int(np.prod(other.shape[:-2])) if other.ndim > 2 else 1
        return other @ self.view(np.ndarray)


def count_backward_products(backward: Callable[..., tuple], dH: np.ndarray, cache: RNNCache, *args: object) -> int:
    """Run ``backward(dH, cache, *args)`` and count its products by W_hh.

    One product is one (B, H) @ (H, H) multiplication d/dh_t -> d/dh_{t-1}, the step back
    through time; a batched product over n steps counts n. Works for the BPTT functions of
    ``rnnlib.bptt`` (``rnn_backward``, ``truncated_bptt``, ``chunked_bptt``, ``contributions``),
    which all step back with ``... @ cache.W_hh``.

    Inputs: backward; dH (T, B, H); cache from ``rnn_forward``; extra arguments (e.g. K).
    Returns: the number of products.
    """
    if not callable(backward):
        raise ValueError(f"backward: expected a BPTT function, got {type(backward).__name__}")
    if not isinstance(cache, RNNCache):
        raise ValueError(f"cache: expected the RNNCache returned by rnn_forward, got {type(cache).__name__}")
    counter = type("_Counter", (_CountingMatrix,), {"count": 0})
    backward(dH, cache._replace(W_hh=np.asarray(cache.W_hh).view(counter)), *args)
    return int(counter.count)


def stored_states(T: int, K: int | None, method: str) -> int:
    """Hidden states (h_init included) a streaming backward pass must keep at once.

    'full': all T states and h_init, T + 1, whatever K (pass K=None).
    'window' (``truncated_bptt``): the loss at step t goes back to h_{t-K}, whose immediate
    partial reads h_{t-K-1}: the last K + 2 states, at most T + 1.
    'chunked' (``chunked_bptt``): one block of K states and the state before it, K + 1,
    at most T + 1.

    Inputs: T >= 1; K >= 1 (None for 'full'); method. Returns: the count.
    """
    T = check_positive_int("T", T)
    check_choice("method", method, STORAGE)
    if method == "full":
        return T + 1
    K = check_positive_int("K", K)
    return min(K + (2 if method == "window" else 1), T + 1)
