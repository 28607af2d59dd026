"""The numbers behind notebook 03's explorers (``rnnlib.teaching.curves``): checked against direct computations.

numpy only: these tests need neither matplotlib nor ipywidgets.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

import rnnlib
from rnnlib.activations import activate
from rnnlib.teaching import curves


def test_curves_import_numpy_only():
    code = ("import sys, rnnlib.teaching.curves; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'ipywidgets'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_scalar_curves_match_a_brute_force_product():
    w, T, s, b = 1.3, 12, 0.7, 0.2
    x = curves.scalar_inputs(T)
    for f in ("linear", "tanh", "sigmoid"):
        h, fprime = 0.0, []
        for t in range(T):
            a = w * h + s * x[t] + b
            h = float(activate(np.array(a), f))
            fprime.append({"linear": 1.0, "tanh": 1 - h * h, "sigmoid": h * (1 - h)}[f])
        c = curves.scalar_curves(w, T, f, s, b)
        for lag in range(T + 1):
            direct = np.prod([w * fp for fp in fprime[T - lag:]])
            assert c.log10_jacobian[lag] == pytest.approx(np.log10(abs(direct)), abs=1e-9)


def test_tanh_saturation_pulls_a_large_w_down():
    linear = curves.scalar_curves(1.5, 100, "linear")
    tanh = curves.scalar_curves(1.5, 100, "tanh")
    assert linear.regime == "exploding" and linear.final > 15
    assert tanh.regime == "vanishing" and tanh.final < -10
    assert np.all(tanh.log10_jacobian <= linear.reference + 1e-12)   # |f'| <= 1 everywhere


def test_scalar_sequence_does_not_change_with_T():
    np.testing.assert_array_equal(curves.scalar_inputs(40), curves.scalar_inputs(300)[:40])
    # the same first 40 steps: the states, and so the factors w f'(a_t), agree along the way
    U40 = (0.2 * curves.scalar_inputs(40))[:, None]
    U300 = (0.2 * curves.scalar_inputs(300))[:, None]
    lf40 = rnnlib.forward_log_derivatives(np.array([[0.8]]), U40, "tanh")
    lf300 = rnnlib.forward_log_derivatives(np.array([[0.8]]), U300, "tanh")
    np.testing.assert_array_equal(lf40, lf300[:40])
    np.testing.assert_allclose(curves.scalar_curves(0.8, 40, "tanh").log10_jacobian,
                               rnnlib.scalar_log10_jacobian(0.8, lf40), rtol=1e-12, atol=1e-12)


def test_explosion_above_the_edge_is_possible_not_guaranteed():
    # the same sigma_max = 2: a linear unit explodes, tanh saturates and its gradient vanishes
    assert curves.matrix_curves(2.0, "orthogonal", nonlinearity="linear").regime == "exploding"
    assert curves.matrix_curves(2.0, "gaussian", nonlinearity="tanh").regime == "vanishing"


def test_non_normal_matrix_grows_before_it_decays():
    c = curves.matrix_curves(2.0, "non-normal", H=32, T=300, nonlinearity="linear")
    assert c.rho < 1.0 < c.sigma_max
    assert c.peak > 2.0 and 0 < c.peak_lag < 300      # > 100x growth at first
    assert c.final < c.peak - 1.0                       # then the eigenvalues win
    assert "transient growth" in c.readout
    normal = curves.matrix_curves(0.85, "orthogonal", H=32, T=300, nonlinearity="linear")   # same rho, normal matrix
    assert normal.peak <= 1e-9 and "transient" not in normal.readout


def test_matrix_curves_reject_bad_input():
    with pytest.raises(ValueError, match="sigma_max"):
        curves.matrix_curves(0.0)
    with pytest.raises(ValueError, match="kind"):
        curves.matrix_curves(1.0, kind="triangular")
    with pytest.raises(ValueError, match="base"):
        curves.matrix_curves(1.0, H=4, base=np.eye(3))
    with pytest.raises(ValueError, match="w"):
        curves.scalar_curves(float("nan"), 10)
    with pytest.raises(ValueError, match="T"):
        curves.scalar_curves(0.5, 0)


def test_contributions_are_the_jacobian_times_the_immediate_partial():
    from rnnlib.rnn import Params, rnn_forward

    w, T, s, b = 0.95, 40, 0.7, 0.1
    for f in ("linear", "tanh", "sigmoid"):
        c = curves.contribution_curves(w, T, f, s, b)
        one = np.ones((1, 1))
        Hs, cache = rnn_forward(curves.scalar_inputs(T)[:, None, None], Params(s * one, w * one, np.array([b]), one,
                                                                           np.zeros(1)), nonlinearity=f)
        h = Hs[:, 0, 0]
        fprime = {"linear": np.ones(T), "tanh": 1 - h**2, "sigmoid": h * (1 - h)}[f]
        h_prev = np.concatenate([[0.0], h[:-1]])
        for lag in range(T - 1):                      # lag T-1 is the first step, whose h_prev = h_0 = 0
            k = T - 1 - lag
            expected = c.log10_jacobian[lag] + np.log10(fprime[k] * abs(h_prev[k]))
            assert c.log10_contrib[lag] == pytest.approx(expected, abs=1e-9)
        assert c.log10_contrib[T - 1] == -np.inf


def test_contribution_shares_tell_saturation_from_linear_spread():
    tanh = curves.contribution_curves(1.5, 100, "tanh")
    linear = curves.contribution_curves(1.5, 100, "linear")
    assert tanh.recent_share > 0.99 and tanh.reach < 10
    assert linear.recent_share < 0.5 and linear.reach > 90
    assert "last 10 steps carry" in tanh.readout
    # a small input scale keeps tanh in its linear range: then it spreads its gradient like a linear unit
    quiet = curves.contribution_curves(1.05, 60, "tanh", input_scale=0.05)
    assert quiet.recent_share < 0.5 and quiet.reach > 50 and quiet.regime == "stable"


@pytest.mark.parametrize("kind", curves.MATRIX_KINDS)
@pytest.mark.parametrize("nonlinearity", ["tanh", "sigmoid", "linear"])
def test_at_gamma_sigma_max_one_explosion_is_ruled_out_and_vanishing_not_promised(kind, nonlinearity):
    sigma = 4.0 if nonlinearity == "sigmoid" else 1.0              # the slider's exact edge, 1 / gamma
    c = curves.matrix_curves(sigma, kind, H=16, T=60, nonlinearity=nonlinearity)
    assert c.verdict == "cannot explode" and not c.guaranteed
    assert "cannot explode" in c.readout and "must decay geometrically" not in c.readout
    assert np.allclose(c.bound, 0.0, atol=1e-8)                      # the bound stays at 10^0
    assert np.all(c.log10_norms <= c.bound + 1e-8)                   # and the product stays under it
    below = curves.matrix_curves(sigma * 0.99, kind, H=16, T=60, nonlinearity=nonlinearity)
    above = curves.matrix_curves(sigma * 1.01, kind, H=16, T=60, nonlinearity=nonlinearity)
    assert (below.verdict, above.verdict) == ("vanishing guaranteed", "explosion possible")


# ---------------------------------------------------------------- the explorers' mechanism panels


def test_scalar_states_and_factors_are_the_forward_pass():
    w, T, s, b = 1.3, 40, 0.7, 0.2
    x = curves.scalar_inputs(T)
    for f in ("linear", "tanh", "sigmoid"):
        c = curves.scalar_curves(w, T, f, s, b)
        h, hs, fp = 0.0, [0.0], []
        for t in range(T):
            a = w * h + (s * x[t] + b)                                  # the drive first, as the unit adds it
            h = float(activate(np.array(a), f))
            hs.append(h)
            fp.append({"linear": 1.0, "tanh": 1 - h * h, "sigmoid": h * (1 - h)}[f])
        np.testing.assert_array_equal(c.states, hs)                       # the same bits as activate()
        np.testing.assert_allclose(10.0 ** c.log10_factors, np.abs(w * np.array(fp)), rtol=1e-9)
        np.testing.assert_allclose(np.cumsum(c.log10_factors[::-1]), c.log10_jacobian[1:], atol=1e-9)


def test_scalar_states_of_an_exploding_linear_unit_overflow_silently():
    hs = curves.scalar_states(2.0, 2000, "linear", 1.0)
    assert np.isinf(hs[-1]) and not np.any(np.isnan(hs))


@pytest.mark.parametrize(("w", "f", "b", "expected"), [
    (1.5, "tanh", 0.0, 3), (0.5, "tanh", 0.0, 1), (1.0, "tanh", 0.0, 1), (-1.5, "tanh", 0.0, 1),
    (5.0, "sigmoid", -2.5, 3), (1.0, "sigmoid", 0.0, 1), (0.5, "linear", 1.0, 1), (1.0, "linear", 0.3, 0)])
def test_fixed_points_are_fixed_and_classified(w, f, b, expected):
    fp = curves.fixed_points(w, f, b)
    assert len(fp.values) == expected
    for h, stable in zip(fp.values, fp.stable):
        assert float(activate(np.array(w * h + b), f)) == pytest.approx(h, abs=1e-9)
        slope = abs(w) * (1.0 if f == "linear" else float(np.exp(rnnlib.log_derivative(np.array(w * h + b), f))))
        assert stable == (slope < 1.0)
    if (w, f, b) == (1.5, "tanh", 0.0):
        assert list(fp.stable) == [True, False, True] and fp.values[1] == 0.0
        assert fp.values[2] == pytest.approx(-fp.values[0]) and fp.values[2] == pytest.approx(0.8586, abs=1e-4)


def test_matrix_curves_carry_the_spectrum():
    c = curves.matrix_curves(2.0, "non-normal", H=16, T=20)
    W = 2.0 * curves.recurrent_matrix("non-normal", 16)
    np.testing.assert_allclose(np.sort(np.abs(c.eigenvalues)), np.sort(np.abs(np.linalg.eigvals(W))), rtol=1e-9)
    np.testing.assert_allclose(c.singular_values, np.linalg.svd(W, compute_uv=False), rtol=1e-12)
    assert c.singular_values[0] == pytest.approx(c.sigma_max) and np.abs(c.eigenvalues).max() == pytest.approx(c.rho)


@pytest.mark.parametrize("f", ["tanh", "linear", "sigmoid"])
def test_every_nth_lag_gives_the_full_norms_at_its_lags(f):
    full = curves.matrix_curves(1.7, "gaussian", H=12, T=50, nonlinearity=f)
    part = curves.matrix_curves(1.7, "gaussian", H=12, T=50, nonlinearity=f, every=7)
    shown = ~np.isnan(part.log10_norms)
    assert np.flatnonzero(shown).tolist() == [*range(0, 50, 7), 50]
    np.testing.assert_array_equal(part.log10_norms[shown], full.log10_norms[shown])
    assert part.final == full.final and part.readout.split("\n")[:2] == full.readout.split("\n")[:2]


def test_sheared_matrix_keeps_rho_and_grows_sigma_max():
    sigmas = []
    for shear in (0.0, 1.0, 2.0, 3.0):
        W = curves.sheared_matrix(24, shear)
        assert np.abs(np.linalg.eigvals(W)).max() == pytest.approx(curves.SHEAR_RADIUS, abs=1e-9)
        sigmas.append(np.linalg.svd(W, compute_uv=False)[0])
    assert sigmas[0] == pytest.approx(curves.SHEAR_RADIUS) and np.all(np.diff(sigmas) > 0)
    with pytest.raises(ValueError, match="shear"):
        curves.sheared_matrix(4, -0.1)


def test_leak_curves_against_the_identity_path_and_the_vanilla_unit():
    c = curves.leak_curves(0.05, T=80)
    np.testing.assert_allclose(c.pure, np.arange(81) * np.log10(0.95))
    assert c.leaky[-1] > c.pure[-1] and c.leaky[0] == 0.0 and c.gated[0] == 0.0
    one = curves.leak_curves(1.0, T=80)
    assert np.all(np.isneginf(one.pure[1:])) and one.regime == "vanishing"
    assert c.regime in ("stable", "vanishing", "exploding") and c.readout.startswith(c.regime)
    for z in (0.0, 1.01, float("nan")):
        with pytest.raises(ValueError, match="z"):
            curves.leak_curves(z)


def test_contribution_readout_explains_a_flat_line():
    flat = curves.contribution_curves(2.0, 100)
    assert "line is flat" in flat.readout and "10^+28.2 at lag 0" in flat.readout
    state = flat.log10_contrib - flat.log10_jacobian                       # log10 |f'(a_k) h_{k-1}| by lag
    assert state[0] == pytest.approx(28.2, abs=0.05)
    assert "line is flat" not in curves.contribution_curves(0.9, 100, "tanh").readout


# ---------------------------------------------------------------- the explorers' numbers, pinned one by one


def test_the_gated_units_gate_starts_at_z_for_every_z_the_leak_explorer_offers(monkeypatch):
    # the gate bias is the logit log z - log(1 - z), so sigmoid(bias) = z: the learned gate starts at the fixed one's z
    from rnnlib import gated
    from rnnlib.teaching._views import LeakView

    slider = LeakView.controls["z"]
    lo, hi, step = slider.lo, slider.hi, slider.step                     # the leak explorer's z slider
    seen = []
    real = gated.init_gated_params
    monkeypatch.setattr(gated, "init_gated_params", lambda *a, **k: seen.append(k["gate_bias"]) or real(*a, **k))
    zs = np.round(np.arange(lo, hi + step / 2, step), 2)
    for z in zs:
        curves.leak_curves(float(z), T=10)
    bias = np.array(seen)
    gate = 1.0 / (1.0 + np.exp(-bias))
    np.testing.assert_allclose(gate, zs, rtol=1e-12, atol=0)
    np.testing.assert_allclose(bias[:-1], np.log(zs[:-1] / (1.0 - zs[:-1])), rtol=1e-12, atol=1e-14)
    assert gate[-1] == 1.0                                               # z = 1: the gate is exactly open


def _leaky_direct(X, p, z):
    """log10 ||dh_T/dh_{T-j}||_2 of the fixed-gate unit by plain products: J_t = (1 - z) I + z diag(1 - c_t^2) W_hh."""
    h, Js = np.zeros(p.W_hh.shape[0]), []
    for x in X[:, 0]:
        c = np.tanh(p.W_xh @ x + p.W_hh @ h + p.b_h)
        h = (1.0 - z) * h + z * c
        Js.append((1.0 - z) * np.eye(h.size) + z * (1.0 - c * c)[:, None] * p.W_hh)
    M, out = np.eye(h.size), [0.0]
    for J in reversed(Js):
        M = M @ J
        out.append(np.log10(np.linalg.norm(M, 2)))
    return np.array(out)


@pytest.mark.parametrize(("z", "T", "seed"), [(0.05, 10, 0), (0.3, 301, 2), (0.99, 40, 1), (1.0, 20, 3),
                                              (0.5, 19, 0)])     # lag 19 just above -1 decade, lag 18 below
def test_leak_curves_are_the_units_products_along_their_forward_pass(z, T, seed):
    # rebuilt from the documented recipe: inputs standard normal (T, 1, 4) drawn for max(T, 300) steps, then the
    # weights of init_gated_params(4, 16, 1, rng, gate_bias=logit(z)) from the same rng
    from rnnlib import gated

    c = curves.leak_curves(z, T, seed)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((max(T, 300), 1, 4))[:T]
    p = gated.init_gated_params(4, 16, 1, rng, gate_bias=np.log(z / (1.0 - z)) if z < 1.0 else 40.0)
    np.testing.assert_array_equal(c.lags, np.arange(T + 1))
    np.testing.assert_allclose(c.leaky, _leaky_direct(X, p, z), rtol=1e-9, atol=1e-9)
    _, cache = gated.gated_forward(X, p)
    np.testing.assert_allclose(c.gated, gated.gated_jacobian_log10_norms(cache), rtol=1e-9, atol=1e-9)
    assert c.pure[0] == 0.0 and c.leaky[0] == 0.0 and c.gated[0] == 0.0           # lag 0: the identity
    if z < 1.0:
        np.testing.assert_allclose(c.pure, np.arange(T + 1) * np.log10(1.0 - z), rtol=1e-12, atol=1e-15)
    else:
        assert np.all(c.pure[1:] == -np.inf)
    final = c.leaky[-1]
    assert c.regime == ("vanishing" if final < -1 else "exploding" if final > 1 else "stable")
    pure = f"10^{T * np.log10(1.0 - z):+.1f}" if z < 1.0 else "0 (z = 1: no identity path)"
    assert c.readout == (f"{c.regime}: leaky ‖∂h_T/∂h_0‖ = 10^{final:+.1f} after T = {T} steps (z = {z:.2f}); "
                         f"gated 10^{c.gated[-1]:+.1f}\nthe identity path alone, (1 − z)^T = {pure}")


def _g(h, w, b, f):
    return float(activate(np.array(w * h + b), f)) - h


def _fprime(h, w, b, f):
    y = float(activate(np.array(w * h + b), f))
    return {"tanh": 1.0 - y * y, "sigmoid": y * (1.0 - y)}[f]


def _newton(h, w, b, f):
    for _ in range(30):                               # g'(h) = w f'(a) - 1, away from 0 at a simple root
        h = h - _g(h, w, b, f) / (w * _fprime(h, w, b, f) - 1.0)
    return h


def test_fixed_points_are_fixed_stable_by_the_slope_and_none_is_missed():
    rng = np.random.default_rng(23)
    for _ in range(40):
        f = str(rng.choice(["tanh", "sigmoid"]))
        w = float(rng.uniform(-6.0, 6.0))
        b = float(rng.uniform(-3.0, 3.0)) if f == "sigmoid" else float(rng.uniform(-1.0, 1.0))
        fp = curves.fixed_points(w, f, b)
        assert fp.stable.dtype == bool and fp.stable.shape == fp.values.shape
        assert np.all(np.diff(fp.values) > 0)
        for h, stable in zip(fp.values, fp.stable):
            slope = abs(w * _fprime(h, w, b, f))
            assert abs(_g(h, w, b, f)) <= 1e-12 * (1.0 + slope)          # h* rounded to 12 decimals
            assert abs(h - _newton(h, w, b, f)) <= 1e-12                  # the root itself, to 1e-12
            assert stable == (slope < 1.0)
        # none missed: sign changes of f(w h + b) - h on a grid 50x finer over f's range
        lo = -1.0 if f == "tanh" else 0.0
        grid = np.linspace(lo, 1.0, 200_001)
        g = activate(w * grid + b, f) - grid
        assert len(fp.values) == np.count_nonzero(g[:-1] * g[1:] < 0) + np.count_nonzero(g == 0.0)


@pytest.mark.parametrize(("f", "gap"), [("tanh", 6e-4), ("sigmoid", 3e-4)])
def test_fixed_points_resolve_a_close_pair(f, gap):
    # two fixed points r and r + gap (a unit near its fold): tanh(w r + b) = r at both fixes w and b.
    # The grid's cells (2/4000 for tanh's range, 1/4000 for sigmoid's) are narrower than the gap: both are found
    inv = np.arctanh if f == "tanh" else (lambda y: np.log(y / (1.0 - y)))
    for r in np.linspace(0.55, 0.8, 25):
        w = (inv(r + gap) - inv(r)) / gap
        b = inv(r) - w * r
        fp = curves.fixed_points(float(w), f, float(b))
        near = fp.values[np.abs(fp.values - r - gap / 2) < gap]
        np.testing.assert_allclose(near, [r, r + gap], atol=1e-10)
        assert sorted(fp.stable[np.abs(fp.values - r - gap / 2) < gap]) == [False, True]   # one attracts, one repels


def test_fixed_points_of_a_linear_unit():
    # h* = b / (1 - w); it attracts only when |w| < 1 (the edge w = -1 oscillates around it)
    for w, b in ((0.5, 1.0), (-0.5, 0.3), (-1.0, 0.4), (1.5, -0.2), (-1.5, 1.0), (0.999, 1e-3)):
        fp = curves.fixed_points(w, "linear", b)
        np.testing.assert_allclose(fp.values, [b / (1.0 - w)], rtol=1e-15)
        assert fp.stable.dtype == bool and fp.stable.tolist() == [abs(w) < 1.0]
    none = curves.fixed_points(1.0, "linear", 0.3)                        # h = h + 0.3: no fixed point
    assert none.values.shape == (0,) and none.stable.shape == (0,) and none.stable.dtype == bool


def _scalar_forward(w, T, f, s, b, seed=0):
    """States h_0..h_T, f'(a_t) and dh_t/dw (forward mode: dh_t/dw = f'(a_t) (h_{t-1} + w dh_{t-1}/dw)), directly."""
    x = np.random.default_rng(seed).standard_normal(max(T, 300))[:T]
    hs, fps, dw = [0.0], [], 0.0
    for t in range(T):
        a = w * hs[-1] + (s * x[t] + b)                     # the drive first, as the unit adds it
        h = float(activate(np.array(a), f))
        fp = {"linear": 1.0, "tanh": 1.0 - h * h, "sigmoid": h * (1.0 - h)}[f]
        dw = fp * (hs[-1] + w * dw)
        hs.append(h)
        fps.append(fp)
    return np.array(hs), np.array(fps), dw


@pytest.mark.parametrize(("w", "T", "f", "s", "b"), [
    (0.9, 30, "tanh", 0.7, 0.3), (-1.2, 25, "linear", 0.5, 0.1), (2.0, 40, "sigmoid", 1.0, -0.5),
    (1.1, 3, "tanh", 1.0, 0.0)])
def test_contributions_split_the_gradient_they_claim_to_split(w, T, f, s, b):
    c = curves.contribution_curves(w, T, f, s, b)
    hs, fps, dw = _scalar_forward(w, T, f, s, b)
    assert c.gradient == pytest.approx(dw, rel=1e-10)                     # dl_T/dw with l_T = h_T
    # signed pieces C[T, k] = (prod_{t>k} w f'(a_t)) f'(a_k) h_{k-1}, by lag j = T - k
    pieces = np.array([np.prod(w * fps[k:]) * fps[k - 1] * hs[k - 1] for k in range(T, 0, -1)])
    assert pieces.sum() == pytest.approx(dw, rel=1e-10)                   # they sum to the gradient
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(c.log10_contrib, np.log10(np.abs(pieces)), rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(c.lags, np.arange(T))
    mags = np.abs(pieces)
    assert c.recent_share == pytest.approx(mags[:10].sum() / mags.sum(), rel=1e-9)
    assert c.reach == int(np.flatnonzero(mags >= 0.01 * mags.max())[-1])
    np.testing.assert_array_equal(c.log10_jacobian, curves.scalar_curves(w, T, f, s, b).log10_jacobian[:T])
    # the readout's second factor, log10 |f'(a_k) h_{k-1}|, at the first and last lag where it is finite
    with np.errstate(divide="ignore"):
        second = np.log10(np.abs(fps[::-1] * hs[:-1][::-1]))
    shown = np.flatnonzero(np.isfinite(second))
    assert (f"that second factor is 10^{second[shown[0]]:+.1f} at lag {shown[0]} and "
            f"10^{second[shown[-1]]:+.1f} at lag {shown[-1]}") in c.readout


def test_contributions_of_a_unit_with_no_recurrence_are_finite_and_quiet():
    # w = 0: h_T depends on no earlier state, so every contribution but the last step's is exactly 0 (-inf in log10);
    # the log-difference -inf - -inf in the readout must not warn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = curves.contribution_curves(0.0, 20, "tanh", 0.5, 0.1)
    assert np.isfinite(c.log10_contrib[0]) and np.all(c.log10_contrib[1:] == -np.inf)
    assert c.reach == 0 and c.recent_share == 1.0
    zero = curves.contribution_curves(0.9, 20, "tanh", 0.0, 0.0)         # no input, no bias: every state is 0
    assert zero.gradient == 0.0 and zero.recent_share == 0.0 and zero.reach == -1


def test_the_explorers_defaults_are_their_documented_settings():
    # scalar_states and scalar_curves: a linear unit, input scale 0.2, bias 0, seed 0
    hs, fps, _ = _scalar_forward(0.95, 50, "linear", 0.2, 0.0)
    np.testing.assert_array_equal(curves.scalar_states(0.95, 50), hs)
    c = curves.scalar_curves(0.95, 50)
    np.testing.assert_array_equal(c.states, hs)
    np.testing.assert_allclose(c.log10_factors, np.full(50, np.log10(0.95)), rtol=1e-12)
    np.testing.assert_allclose(c.reference, np.arange(51) * np.log10(0.95), rtol=1e-12, atol=1e-15)
    assert c.final == pytest.approx(50 * np.log10(0.95)) and c.factor == pytest.approx(0.95)
    # matrix_curves: a gaussian W_hh of 32 units, T = 100, tanh, input scale 1, seed 0
    m = curves.matrix_curves(1.5)
    W = 1.5 * curves.recurrent_matrix("gaussian", 32, 0)
    lf = rnnlib.forward_log_derivatives(W, curves.matrix_inputs(100, 32, 0), "tanh")
    np.testing.assert_allclose(m.log10_norms, rnnlib.jacobian_log10_norms(W, lf), rtol=1e-12, atol=1e-12)
    assert m.gamma == 1.0 and m.sigma_max == pytest.approx(1.5) and len(m.lags) == 101


@pytest.mark.parametrize("seed", [0, 3])
def test_scalar_states_and_curves_follow_the_seed_and_a_zero_weight(seed):
    # the inputs are drawn from the seed; w = 0: h_t = f(s x_t + b) depends on no earlier state
    for w, f in ((1.3, "tanh"), (0.0, "sigmoid")):
        hs, _, _ = _scalar_forward(w, 30, f, 0.7, 0.2, seed)
        np.testing.assert_array_equal(curves.scalar_states(w, 30, f, 0.7, 0.2, seed), hs)
        c = curves.scalar_curves(w, 30, f, 0.7, 0.2, seed)
        np.testing.assert_array_equal(c.states, hs)
    assert np.all(c.log10_factors == -np.inf) and c.log10_factors.shape == (30,)
    assert c.readout.startswith("vanishing: w = 0, so h_T does not depend on any earlier state")


def test_fixed_points_and_sheared_matrix_defaults():
    # fixed_points: a tanh unit without bias; sheared_matrix: seed 0
    for w in (0.5, 1.5, -2.0):
        d, e = curves.fixed_points(w), curves.fixed_points(w, "tanh", 0.0)
        np.testing.assert_array_equal(d.values, e.values)
        np.testing.assert_array_equal(d.stable, e.stable)
    np.testing.assert_array_equal(curves.sheared_matrix(6, 1.5), curves.sheared_matrix(6, 1.5, 0))


@pytest.mark.parametrize(("w", "T", "flat"), [(0.5, 5, False), (1.1, 40, False), (2.0, 100, True)])
def test_the_flat_line_sentence_appears_exactly_when_an_exploding_units_contributions_stay_within_two_decades(
        w, T, flat):
    c = curves.contribution_curves(w, T)
    finite = c.log10_contrib[np.isfinite(c.log10_contrib)]
    assert ((finite.max() - finite.min() < 2.0) and c.regime == "exploding") == flat
    sentence = ": going back, the Jacobian grows as fast as the state h_(k−1) shrinks, so the line is flat"
    assert c.readout.endswith(sentence) == flat and (sentence in c.readout) == flat


def test_leak_curves_defaults_and_refusals():
    # T = 100 steps and seed 0 by default; a gate outside (0, 1] is refused by leak_curves itself, by name
    for z in (0.05, 1.0):
        d, e = curves.leak_curves(z), curves.leak_curves(z, 100, 0)
        assert all(np.array_equal(a, b) for a, b in zip(d[:4], e[:4])) and d[4:] == e[4:]
    for z in (1.01, 1.5, 2.0, -0.1):
        with pytest.raises(ValueError, match=r"^z: expected a gate in \(0, 1\], got"):
            curves.leak_curves(z)


@pytest.mark.parametrize("every", [3, 7])
def test_the_peak_of_every_nth_lag_is_the_largest_computed_value(every):
    c = curves.matrix_curves(2.0, "non-normal", H=16, T=60, nonlinearity="linear", every=every)
    computed = np.flatnonzero(~np.isnan(c.log10_norms))
    computed = computed[computed >= 1]                        # past lag 0
    best = computed[np.argmax(c.log10_norms[computed])]
    assert c.peak_lag == best and c.peak == c.log10_norms[best] and np.isfinite(c.peak)


def test_the_explorers_strided_norms_name_the_same_peak_lag():
    """With norms at every 6th lag only (the matrix explorer at H = 32, T = 300), the reported transient peak is
    still the exact one: the lags around it are filled in."""
    for seed in range(6):
        exact = curves.matrix_curves(2.0, "non-normal", H=32, T=300, nonlinearity="linear", seed=seed)
        strided = curves.matrix_curves(2.0, "non-normal", H=32, T=300, nonlinearity="linear", seed=seed, every=6)
        assert strided.peak_lag == exact.peak_lag and strided.peak == exact.peak
        assert f"at lag {exact.peak_lag} " in strided.readout


def test_matrix_readout_rule_line_states_the_bound_with_its_numbers():
    """The second line of the matrix readout, in English: the verdict's rule with the bound's own numbers."""
    import math

    c = curves.matrix_curves(sigma_max=0.8, kind="orthogonal", nonlinearity="linear", H=8, T=60, seed=0)
    assert c.guaranteed
    below = math.ceil(-curves.DECADES / math.log10(c.gamma * c.sigma_max))
    rule = c.readout.split("\n")[1]
    assert rule == ("below 1, so the product must decay geometrically (sufficient for vanishing): the bound is "
                    f"under 10^-{curves.DECADES:g} from lag {below} on and falls to 10^{c.bound[-1]:+.1f} after "
                    "T = 60 steps")
    assert f"{c.bound[-1]:+.1f}" != f"{c.bound[-2]:+.1f}"       # the last lag's bound, not the one before
    up = curves.matrix_curves(sigma_max=2.0, kind="orthogonal", nonlinearity="linear", H=8, T=60, seed=0)
    assert up.readout.split("\n")[1] == ("not below 1, so explosion is possible, not guaranteed: the bound allows "
                                         f"10^{up.bound[-1]:+.1f} after T = 60 steps")


def test_verdict_words_in_both_languages():
    from rnnlib.teaching import i18n

    english = [curves._verdict_words(v) for v in curves.VERDICTS]
    assert english == ["vanishing guaranteed", "cannot explode", "explosion possible"]
    try:
        i18n.set_language("ko")
        korean = [curves._verdict_words(v) for v in curves.VERDICTS]
    finally:
        i18n.set_language("en")
    assert korean == [i18n.tr(e, language="ko") for e in english] and len(set(korean)) == 3
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in k) for k in korean)
