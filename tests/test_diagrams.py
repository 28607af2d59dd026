"""rnnlib.teaching.diagrams: the figures of notebook 02 build, are labelled, and reject bad arguments;
the exercise checkers of notebook 02 accept the reference answers and reject wrong ones.
(The cost counts behind the figures are tested in test_costs.py.)"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib.teaching import diagrams  # noqa: E402
from rnnlib.teaching.exercises import ex02  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _problem(T: int = 12, B: int = 3, D: int = 2, H: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    params = rnnlib.init_params(D, H, 2, rng)
    Hs, cache = rnnlib.rnn_forward(rng.normal(size=(T, B, D)), params, rng.normal(size=(B, H)))
    return rng.normal(size=Hs.shape), cache


def _labelled(ax) -> None:
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


# --- figures build and are labelled -------------------------------------------------------------

@pytest.mark.parametrize("highlight", [None, (4, 2), (1, 1), (4, 4)])
def test_unrolled_graph_builds(highlight):
    ax = diagrams.draw_unrolled_graph(4, highlight=highlight)
    ax.figure.canvas.draw()
    texts = [t.get_text() for t in ax.texts]
    assert sum(r"$W_{hh}$" == t for t in texts) == 4       # one shared W_hh on every recurrent edge
    assert sum(r"$W_{xh}$" == t for t in texts) == 4
    assert sum(r"$W_{hy}$" == t for t in texts) == 4
    for t in range(1, 5):                                   # steps count from 1, as in the lecture
        for name in ("x", "h", "o", "y"):
            assert rf"${name}_{{{t}}}$" in texts
        assert rf"$\ell_{{{t}}}$" in texts
    assert r"$h_0$" in texts and r"$x_0$" not in texts and any("Loss" in t for t in texts)
    assert ax.get_title() and not ax.axison
    if highlight is not None:
        assert f"C[{highlight[0]}, {highlight[1]}]" in ax.get_title()


def test_contribution_figures_build():
    dH, cache = _problem()
    C = rnnlib.contributions(dH, cache)
    ax = diagrams.plot_contribution_matrix(C)
    ax.figure.canvas.draw()
    _labelled(ax)
    image = ax.images[0].get_array()
    t, k = np.indices(C.shape)
    assert np.all(image.mask[k > t])                           # no path from l_t to h_k when k > t
    assert not np.any(image.mask[(k <= t) & (C > 0)])
    ax = diagrams.plot_contribution_by_lag(C)
    ax.figure.canvas.draw()
    _labelled(ax)
    assert ax.get_yscale() == "log"
    median = ax.lines[0].get_ydata()
    assert len(median) == C.shape[0]
    assert median[0] == pytest.approx(np.median(np.diagonal(C)))


def test_truncation_figures_build():
    Ks = [1, 2, 4, 8, 16]
    fig = diagrams.plot_truncation_error(Ks, {"a": np.array([0.5, 0.1, 0.01, 0.0, 0.0])},
                                         {"a": np.array([0.9, 0.99, 1.0, 1.0, 1.0])}, T=8)
    fig.canvas.draw()
    for ax in fig.axes:
        _labelled(ax)
    assert len(fig.axes[0].lines[0].get_xdata()) == 3          # zeros are not drawn on the log axis
    fig = diagrams.plot_truncation_costs(Ks, {"a": np.arange(1, 6)}, {"a": np.arange(2, 7), "b": np.ones(5)}, T=8)
    fig.canvas.draw()
    for ax in fig.axes:
        _labelled(ax)
        assert ax.get_yscale() == "log"


def _legend_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_truncation_error_names_the_gradient_G():
    fig = diagrams.plot_truncation_error([1, 2, 4], {"a": np.array([0.5, 0.1, 0.0])}, {"a": np.array([0.9, 0.99, 1.0])},
                                         T=4)
    a0, a1 = fig.axes
    assert "G_K - G" in a0.get_ylabel() and "G_K" in a1.get_ylabel() and "$G" in a0.get_title()
    assert not any("g_K" in t or "g$" in t for a in fig.axes for t in (a.get_ylabel(), a.get_title()))
    # the error at K >= T is 0 and not drawn: no hand-over entry there; the cosine 1 at K = T is one
    assert _legend_texts(a0) == ["a"]
    assert _legend_texts(a1) == ["a", diagrams.HANDOVER_LABEL]


def test_truncation_costs_split_at_T():
    Ks, T = np.array([1, 2, 4, 8, 16]), 8
    window = np.array([8, 15, 26, 8, 8])
    fig = diagrams.plot_truncation_costs(Ks, {"full": np.full(5, 9)}, {"full": np.full(5, 8), "window": window,
                                                                       "chunked": np.full(5, 8)}, T=T)
    fig.canvas.draw()
    a1 = fig.axes[1]
    reference = next(line for line in a1.lines if line.get_label() == "full")
    for line in a1.lines:
        x = np.asarray(line.get_xdata())
        if line is reference or x.size == 0:                    # the reference spans all K; the legend proxy is empty
            continue
        assert np.all(x < T) or np.all(x >= T), "a curve must not be joined across K = T (the hand-over)"
    truncating = next(line for line in a1.lines if line.get_label() == "window")
    assert list(truncating.get_xdata()) == [1, 2, 4] and list(truncating.get_ydata()) == [8, 15, 26]
    handover = [line for line in a1.lines if line.get_gid() == diagrams.HANDOVER_LABEL]
    assert len(handover) == 2 and all(list(line.get_xdata()) == [8, 16] for line in handover)
    # the chunked curve, equal to the reference, is drawn above it and stays visible
    chunked = next(line for line in a1.lines if line.get_label() == "chunked")
    assert chunked.get_zorder() > reference.get_zorder()
    assert _legend_texts(a1) == ["full", "window", "chunked", diagrams.HANDOVER_LABEL]
    assert _legend_texts(fig.axes[0]) == ["full"]                 # no other curve: nothing to hand over


# --- bad arguments: ValueError naming the argument ----------------------------------------------

@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"T": 0}, "T"), ({"T": 9}, "T"), ({"T": 2.5}, "T"), ({"T": 4, "highlight": (1, 2)}, "highlight"),
     ({"T": 4, "highlight": (5, 1)}, "highlight"), ({"T": 4, "highlight": (3, 0)}, "highlight"),
     ({"T": 4, "highlight": "a"}, "highlight"),
     ({"T": 4, "ax": "axes"}, "ax")],
)
def test_unrolled_graph_rejects(kwargs, name):
    T = kwargs.pop("T")
    with pytest.raises(ValueError, match=rf"^{name}:"):
        diagrams.draw_unrolled_graph(T, **kwargs)


@pytest.mark.parametrize("fn", [diagrams.plot_contribution_matrix, diagrams.plot_contribution_by_lag])
@pytest.mark.parametrize("C", [np.ones((3, 4)), np.ones(3), -np.ones((3, 3)), np.full((2, 2), np.nan),
                               np.zeros((3, 3))])
def test_contribution_figures_reject(fn, C):
    with pytest.raises(ValueError, match=r"^C:"):
        fn(C)


@pytest.mark.parametrize(
    ("args", "name"),
    [(([2, 1], {"a": [1, 1]}, {"a": [1, 1]}, 4), "Ks"),
     (([0, 1], {"a": [1, 1]}, {"a": [1, 1]}, 4), "Ks"),
     (([1, 2], {"a": [1, 1, 1]}, {"a": [1, 1]}, 4), "rel_errors"),
     (([1, 2], {}, {"a": [1, 1]}, 4), "rel_errors"),
     (([1, 2], {"a": [-1, 1]}, {"a": [1, 1]}, 4), "rel_errors"),
     (([1, 2], {"a": [1, 1]}, {"b": [1, 1]}, 4), "cosines"),
     (([1, 2], {"a": [1, 1]}, {"a": [1, 1]}, 0), "T")],
)
def test_truncation_error_rejects(args, name):
    with pytest.raises(ValueError, match=rf"^{name}"):
        diagrams.plot_truncation_error(*args)


@pytest.mark.parametrize(
    ("args", "name"),
    [(([1, 2], {"a": [1, 0]}, {"a": [1, 1]}, 4), "states"),
     (([1, 2], {"a": [1, 1]}, {"a": [np.inf, 1]}, 4), "products"),
     (([1.5, 2], {"a": [1, 1]}, {"a": [1, 1]}, 4), "Ks")],
)
def test_truncation_costs_rejects(args, name):
    with pytest.raises(ValueError, match=rf"^{name}"):
        diagrams.plot_truncation_costs(*args)


# --- the checkers of notebook 02 -----------------------------------------------------------------

def test_ex02_checkers(capsys):
    assert ex02.check_step_backward(None) is None
    assert ex02.check_step_backward(rnnlib.rnn_step_backward).diagnosis == "library"     # not an answer

    def written(dh, cache):
        x, h_prev, h, W_xh, W_hh, f = cache
        da = dh * rnnlib.derivative_from_output(h, f)
        return da @ W_xh, da @ W_hh, da.T @ x, da.T @ h_prev, da.sum(axis=0)

    assert ex02.check_step_backward(written).ok is True

    def no_fprime(dh, cache):
        x, h_prev, h, W_xh, W_hh, _ = cache
        return dh @ W_xh, dh @ W_hh, dh.T @ x, dh.T @ h_prev, dh.sum(axis=0)

    assert ex02.check_step_backward(no_fprime).ok is False
    assert ex02.check_product_count(None) is None
    assert ex02.check_product_count(sum(20 - j for j in range(5))).ok is True
    assert ex02.check_product_count(100).ok is False

    def from_contributions(dH, cache, K):
        C = rnnlib.contributions(dH, cache, full=True)
        t, k = np.indices(C.shape[:2])
        return C[(t - k <= K) & (k <= t)].sum(axis=0)

    assert ex02.check_truncated_from_contributions(from_contributions).ok is True
    assert ex02.check_truncated_from_contributions(lambda dH, cache, K: rnnlib.rnn_backward(dH, cache)[3]).ok is False
    out = capsys.readouterr().out
    assert "not attempted yet" in out and "correct" in out and "not yet" in out


def test_unrolled_graph_draws_the_blocks_of_chunked_bptt():
    """blocks=K shades the blocks and marks every boundary the gradient does not cross (and only those)."""
    import matplotlib.pyplot as plt

    for T, K in ((6, 3), (7, 3), (5, 1), (8, 7)):
        ax = diagrams.draw_unrolled_graph(T, blocks=K)
        cuts = [t for t in ax.texts if t.get_text() == "✕"]
        assert len(cuts) == -(-T // K) - 1
        assert f"K = {K}" in ax.get_title()
        plt.close(ax.figure)
    for bad in (0, 6, 2.5, True, "3"):
        with pytest.raises(ValueError, match="blocks"):
            diagrams.draw_unrolled_graph(6, blocks=bad)
