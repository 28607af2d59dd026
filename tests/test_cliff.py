"""Pascanu's cliff: BPTT over 50 steps against finite differences, the vectorised surface,
descent paths with and without clipping, the figure, and bad input refused by name."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnnlib import check_gradients, cliff  # noqa: E402
from rnnlib.teaching.plots import plot_cliff  # noqa: E402

START, LR, THRESHOLD = (5.0, -2.25), 1.0, 0.5


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _gradcheck(w, b, T=cliff.T_CLIFF, h0=cliff.H0, target=cliff.TARGET):
    arrays = {"w": np.array([w]), "b": np.array([b])}
    _, g = cliff.cliff_loss_and_grad(w, b, T, h0, target)

    def loss():
        return cliff.cliff_forward(arrays["w"][0], arrays["b"][0], T, h0, target)[0]

    return check_gradients(loss, arrays, {"w": np.array([g.w]), "b": np.array([g.b])}, eps=1e-5)


@pytest.mark.parametrize("w, b", [(2.0, -1.0), (4.5, -2.0), (5.0, -2.25), (-3.0, 1.0), (0.5, 0.3)])
def test_bptt_matches_finite_differences(w, b):
    errors = _gradcheck(w, b)
    assert max(errors.values()) <= 1e-7, errors


@pytest.mark.parametrize("T, h0, target", [(1, 0.5, 0.7), (7, -1.0, 0.2), (30, 2.0, 0.9)])
def test_bptt_other_settings(T, h0, target):
    assert max(_gradcheck(3.0, -1.5, T, h0, target).values()) <= 1e-7


def test_forward_is_the_recurrence_and_backward_is_pure():
    loss, cache = cliff.cliff_forward(4.0, -1.0)
    sig = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
    h = 0.5
    for _ in range(50):
        h = 4.0 * sig(h) - 1.0
    assert cache.hs.shape == (51,) and cache.hs[0] == 0.5
    assert np.isclose(cache.hs[-1], h, rtol=1e-12)
    assert np.isclose(loss, (sig(h) - 0.7) ** 2, rtol=1e-12)
    assert cliff.cliff_backward(cache) == cliff.cliff_backward(cache)


def test_surface_matches_pointwise_forward():
    ws, bs = np.linspace(-2.0, 8.0, 7), np.linspace(-4.0, 1.0, 5)
    surface = cliff.cliff_surface(ws, bs)
    assert surface.shape == (5, 7)
    for i, b in enumerate(bs):
        for j, w in enumerate(ws):
            assert np.isclose(surface[i, j], cliff.cliff_forward(w, b)[0], rtol=1e-12, atol=1e-15)


def test_the_wall_is_steep():
    # across the wall near (4.7, -2.4) the loss jumps while the gradient on either side is small
    _, g = cliff.cliff_loss_and_grad(*START)
    paths = cliff.descent_path(START, LR, 40)
    assert paths.grad_norm.max() > 1000 * np.hypot(g.w, g.b)


def test_unclipped_step_is_flung_clipped_steps_are_capped():
    paths = {m: cliff.descent_path(START, LR, 40, clip=m, threshold=THRESHOLD) for m in cliff.CLIP_MODES}
    assert paths["none"].step.max() > 100
    assert np.linalg.norm(paths["none"].points[-1] - np.array(START)) > 50
    assert paths["norm"].step.max() <= LR * THRESHOLD + 1e-12
    assert paths["elementwise"].step.max() <= LR * THRESHOLD * np.sqrt(2) + 1e-12
    for m in ("norm", "elementwise"):
        assert np.all(np.abs(paths[m].points - np.array(START)) < 2.0)
        assert paths[m].loss[-1] < paths["none"].loss[-1]


def test_path_bookkeeping():
    p = cliff.descent_path((2.0, -1.0), 0.5, 5)
    assert p.points.shape == (6, 2) and p.loss.shape == (6,) and p.grad_norm.shape == (5,) and p.step.shape == (5,)
    # without clipping each step is lr times the gradient
    assert np.allclose(p.step, 0.5 * p.grad_norm, rtol=1e-12)
    assert np.allclose(np.linalg.norm(np.diff(p.points, axis=0), axis=1), p.step, rtol=1e-9)
    assert np.isclose(p.loss[0], cliff.cliff_forward(2.0, -1.0)[0])


def test_plot_cliff_is_labelled():
    ws, bs = np.linspace(3.0, 7.0, 20), np.linspace(-3.5, -1.0, 15)
    paths = {m: cliff.descent_path(START, LR, 10, clip=m, threshold=THRESHOLD) for m in cliff.CLIP_MODES}
    ax = plot_cliff(ws, bs, cliff.cliff_surface(ws, bs), paths, colors={"none": "red"})
    assert ax.get_xlabel() and ax.get_ylabel()
    # the state is h_t, as in the course (x_t is always the input)
    colorbar_label = ax.figure.axes[-1].get_ylabel()
    assert "h_{50}" in colorbar_label and "x_" not in colorbar_label
    assert ax.get_xlim() == (3.0, 7.0)
    assert len(ax.get_legend().get_texts()) == 3


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: cliff.cliff_forward(np.nan, 0.0), "w"),
        (lambda: cliff.cliff_forward(1.0, np.inf), "b"),
        (lambda: cliff.cliff_forward(1.0, 0.0, T=0), "T"),
        (lambda: cliff.cliff_forward(1.0, 0.0, h0=np.nan), "h0"),
        (lambda: cliff.cliff_forward(1.0, 0.0, target="a"), "target"),
        (lambda: cliff.cliff_backward((1, 2)), "cache"),
        (lambda: cliff.cliff_surface(np.ones((2, 2)), np.ones(3)), "ws"),
        (lambda: cliff.cliff_surface(np.ones(2), np.ones(0)), "bs"),
        (lambda: cliff.descent_path((1.0, 2.0, 3.0), 1.0, 5), "start"),
        (lambda: cliff.descent_path((1.0, 2.0), 0.0, 5), "lr"),
        (lambda: cliff.descent_path((1.0, 2.0), 1.0, 0), "steps"),
        (lambda: cliff.descent_path((1.0, 2.0), 1.0, 5, clip="max"), "clip"),
        (lambda: cliff.descent_path((1.0, 2.0), 1.0, 5, clip="norm", threshold=-1.0), "threshold"),
        (lambda: plot_cliff(np.ones(3), np.ones(2), np.ones((3, 2))), "loss"),
    ],
)
def test_bad_input_is_refused_by_name(call, name):
    with pytest.raises(ValueError, match=rf"^{name}: expected"):
        call()
