"""rnnlib.costs: the product counts match the loops of rnnlib.bptt, counting leaves the results
unchanged, the stored-state counts follow the three storage schemes, bad arguments raise a
ValueError naming them, and the module imports numpy only."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import rnnlib
from rnnlib import costs


def _problem(T: int = 12, B: int = 3, D: int = 2, H: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    params = rnnlib.init_params(D, H, 2, rng)
    Hs, cache = rnnlib.rnn_forward(rng.normal(size=(T, B, D)), params, rng.normal(size=(B, H)))
    return rng.normal(size=Hs.shape), cache


def test_import_loads_numpy_only():
    code = ("import sys, rnnlib.costs; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'ipywidgets'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- bad arguments: ValueError naming the argument ----------------------------------------------

def test_counting_rejects():
    dH, cache = _problem()
    with pytest.raises(ValueError, match="^backward:"):
        costs.count_backward_products("rnn_backward", dH, cache)
    with pytest.raises(ValueError, match="^cache:"):
        costs.count_backward_products(rnnlib.rnn_backward, dH, tuple(cache))
    with pytest.raises(ValueError, match="^method:"):
        costs.stored_states(5, 2, "streaming")
    with pytest.raises(ValueError, match="^K:"):
        costs.stored_states(5, 0, "window")
    with pytest.raises(ValueError, match="^T:"):
        costs.stored_states(0, None, "full")


# --- the counts behind the cost figure -----------------------------------------------------------

def test_product_counts_follow_the_loops():
    T = 12
    dH, cache = _problem(T)
    assert costs.count_backward_products(rnnlib.rnn_backward, dH, cache) == T
    for K in (1, 3, T - 1):
        assert costs.count_backward_products(rnnlib.truncated_bptt, dH, cache, K) == sum(T - j for j in range(K))
        assert costs.count_backward_products(rnnlib.chunked_bptt, dH, cache, K) == T
    assert costs.count_backward_products(rnnlib.truncated_bptt, dH, cache, T) == T   # K >= T: full BPTT


def test_counting_leaves_results_unchanged():
    dH, cache = _problem()
    before = rnnlib.truncated_bptt(dH, cache, 3)
    costs.count_backward_products(rnnlib.truncated_bptt, dH, cache, 3)
    after = rnnlib.truncated_bptt(dH, cache, 3)
    assert type(cache.W_hh) is np.ndarray
    for a, b in zip(before, after, strict=True):
        assert np.array_equal(a, b)


def test_stored_states():
    assert costs.stored_states(10, None, "full") == 11
    assert costs.stored_states(10, 3, "window") == 5
    assert costs.stored_states(10, 3, "chunked") == 4
    assert costs.stored_states(10, 50, "window") == costs.stored_states(10, 50, "chunked") == 11
    assert costs.STORAGE == ("full", "window", "chunked")
