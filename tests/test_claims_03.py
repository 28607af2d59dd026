"""The claims register for notebook 03 (see tests/claims.py): every claim sentence, the test that tries to break it.

Each test sweeps what its sentences depend on (input draws other than the notebook's, gains, input scales,
lags, matrix draws) to the edge of the scope the sentence states, with thresholds that keep a margin.
``make claims`` runs them.
"""

from __future__ import annotations

import numpy as np
import pytest
from claims import Claim

from rnnlib.activations import GAMMA, activate
from rnnlib.jacobian import jacobian_log10_norms, spectral_norm, spectral_radius
from rnnlib.rnn import Params, rnn_forward
from rnnlib.teaching import curves

NB = "03"
DRAWS = range(20, 40)          # input draws and matrices the notebook does not show (it shows seed 0, 1-5, 0-19)


def _claims(test: str, scope: str, *items: tuple[str, tuple[str, ...]]) -> list[Claim]:
    return [Claim(NB, cell, words, scope, test) for cell, words in items]


# --- the chain of Jacobians and its log-space sum ------------------------------------------------------------

@pytest.mark.claims
def test_chain_of_jacobians_in_log_space():
    rng = np.random.default_rng(7)
    for draw in range(20):
        H, T, f = int(rng.integers(1, 7)), int(rng.integers(2, 40)), ("linear", "tanh", "sigmoid")[draw % 3]
        p = Params(rng.normal(size=(H, 2)), rng.normal(0, 1.2 / np.sqrt(H), (H, H)), rng.normal(size=H),
                   np.zeros((1, H)), np.zeros(1))
        X = rng.normal(size=(T, 1, 2))
        h0 = rng.normal(size=(1, H))
        Hs, _ = rnn_forward(X, p, h_init=h0, nonlinearity=f)
        a1 = p.W_xh @ X[0, 0] + p.W_hh @ h0[0] + p.b_h              # the counting convention: H[0] is h_1
        assert np.allclose(Hs[0, 0], activate(a1, f), rtol=0, atol=1e-13)
        # the chain rule, latest step on the left, equals the log-space product rnnlib computes
        states = np.concatenate([h0, Hs[:, 0]])
        A = states[:-1] @ p.W_hh.T + X[:, 0] @ p.W_xh.T + p.b_h
        fp = {"linear": np.ones_like(A), "tanh": 1 - np.tanh(A) ** 2,
              "sigmoid": activate(A, "sigmoid") * (1 - activate(A, "sigmoid"))}[f]
        J = np.eye(H)
        direct = [0.0]
        for t in range(T - 1, -1, -1):
            J = J @ (np.diag(fp[t]) @ p.W_hh)
            direct.append(np.log10(np.linalg.norm(J, 2)))
            # BPTT's transposed factor has the same norm
            step = np.diag(fp[t]) @ p.W_hh
            assert np.isclose(np.linalg.norm(step.T, 2), np.linalg.norm(step, 2))
        ours = jacobian_log10_norms(p.W_hh, np.log(fp))
        assert np.allclose(ours, direct, rtol=0, atol=1e-9)
    # long products leave float64's range while their log-space sums stay finite
    for w, T in ((2.0, 1100), (3.0, 700), (0.5, 1100), (-2.0, 1100)):
        c = curves.scalar_curves(w, T, "linear")
        with np.errstate(over="ignore", under="ignore"):
            plain = np.prod(np.full(T, w))
        assert (np.isinf(plain) or plain == 0.0) and np.isfinite(c.final)
        assert abs(c.final - T * np.log10(abs(w))) < 1e-9 * T


CLAIMS = _claims("test_chain_of_jacobians_in_log_space", "20 random RNNs (H 1-6, T 2-40, three f) against the "
                 "chain rule multiplied out; four products of 700-1,100 factors against float64's range",
                 ("eb6da3dc", ("why backpropagation through time multiplies",)),
                 ("965b4ae6", ("lecture note ends its derivation",)),
                 ("965b4ae6", ("become unstable as the sequence grows longer",)),
                 ("965b4ae6", ("counting steps",)),
                 ("965b4ae6", ("the state $h_t = f(a_t)$",)),
                 ("965b4ae6", ("is a jacobian", "latest step on the left")),
                 ("965b4ae6", ("this is a product of",)),
                 ("965b4ae6", ("a long product soon leaves",)),
                 ("965b4ae6", ("so rnnlib sums in log space",)),
                 ("cdb7d4ee", ("a check that the log-space sum",)),
                 ("cdb7d4ee", ("the explorer below runs one unit",)),
                 ("b86d5767", ("bptt multiplies the gradient by one jacobian per step",)))


# --- one linear unit: a straight line; the explorer's regimes ----------------------------------------------------

@pytest.mark.claims
def test_linear_unit_is_a_straight_line_whatever_the_input():
    for w in np.linspace(-2.0, 2.0, 41):
        if w == 0:
            continue
        for T in (1, 10, 100, 300):
            ref = np.arange(T + 1) * np.log10(abs(w))
            for seed in DRAWS:
                for s, b in ((0.2, 0.0), (2.5, 1.5), (0.0, -3.0)):
                    c = curves.scalar_curves(w, T, "linear", input_scale=s, bias=b, seed=seed)
                    assert np.allclose(c.log10_jacobian, ref, rtol=0, atol=1e-9)
                    if T >= 100 and abs(abs(w) - 1) > 0.05:
                        assert c.regime == ("vanishing" if abs(w) < 1 else "exploding")
            if abs(w) == 1.0:
                assert np.all(c.log10_jacobian == 0)
    assert abs(curves.scalar_curves(1.5, 100, "linear").final - 17.6) < 0.05
    # the explorer's frame (y range) depends on T only, so moving w does not move the axis (prompt of section 2)
    from rnnlib.teaching import _views as V
    v = V.ScalarView(nonlinearity="linear", T=100, w=0.9)
    frame = v.frame(v.values)
    v.update(w=0.5)
    assert v.frame(v.values) == frame and v.curves.final < curves.scalar_curves(0.9, 100, "linear").final


@pytest.mark.claims
def test_regime_thresholds_and_colours():
    from rnnlib.teaching import _views as V
    from rnnlib.teaching.style import REGIME_COLORS
    for final in np.linspace(-5, 5, 201):
        r = curves._regime(final)
        assert r == ("vanishing" if final < -1 else "exploding" if final > 1 else "stable")
    assert len(set(REGIME_COLORS.values())) == 3
    v = V.ScalarView()
    for w in (0.5, 1.0, 1.5):
        v.update(w=w, nonlinearity="linear")
        text, regime = v.readout()
        assert text.startswith(regime) and regime == v.curves.regime


CLAIMS += _claims("test_linear_unit_is_a_straight_line_whatever_the_input", "w on a 0.1 grid over [-2, 2], T 1-300, "
                  "20 input draws, three (s, b) pairs; the explorer's frame under w",
                  ("eb6da3dc", ("to read", "against the lag")),
                  ("965b4ae6", ("for a linear unit the curve against the lag",)),
                  ("1d9b25df", ("move $w$ across",)),
                  ("1d9b25df", ("the dashed line is the linear prediction",)),
                  ("1d9b25df", ("a linear unit's jacobian does not depend",)),
                  ("859931dd", ("before you move w from 0.9 to 0.5",)),
                  ("d223bdf1", ("below $|w| = 1$ the linear unit",)),
                  ("d223bdf1", ("grows by $10^{+17.6}$",)),
                  ("b86d5767", ("one linear unit:",)))
CLAIMS += _claims("test_regime_thresholds_and_colours", "the regime of every final value on a 0.05-decade grid over "
                  "[-5, 5]; the readout of the explorer at three w",
                  ("1d9b25df", ("the solid line is", "along the forward pass")),
                  ("1d9b25df", ("its colour gives its regime",)),
                  ("9c811be4", ("a static copy of this notebook",)),
                  ("9c811be4", ("a line's colour is its regime",)),
                  ("d778068b", ("the explorer is built by",)))


# --- saturation, the unstable fixed point, the sigmoid, w = 0 ------------------------------------------------------

def _fixed_point(w: float) -> float:
    h = 1.0
    for _ in range(500):
        h = np.tanh(w * h)
    return h


@pytest.mark.claims
def test_tanh_lies_under_the_linear_line_and_saturates():
    for w in np.linspace(-2.0, 2.0, 21):
        for seed in DRAWS:
            for s, b in ((0.2, 0.0), (1.0, 0.5), (2.5, -1.5)):
                th = curves.scalar_curves(w, 100, "tanh", input_scale=s, bias=b, seed=seed)
                lin = curves.scalar_curves(w, 100, "linear", input_scale=s, bias=b, seed=seed)
                assert np.all(th.log10_jacobian <= lin.log10_jacobian + 1e-12)
    for w in (1.2, 1.5, 2.0):                                   # the fixed points: each factor below 1
        h = _fixed_point(w)
        assert w * (1 - h * h) < 0.9
    for seed in DRAWS:                                          # w = 1.5 vanishes once inputs push the state off 0
        for s in (0.2, 1.0, 2.5):
            assert curves.scalar_curves(1.5, 100, "tanh", input_scale=s, seed=seed).final < -5


@pytest.mark.claims
def test_unstable_fixed_point_at_zero_input():
    for w in (1.1, 1.5, 2.0):
        for T in (10, 100, 300):
            c = curves.scalar_curves(w, T, "tanh", input_scale=0.0)
            assert abs(c.final - T * np.log10(w)) < 1e-9 * T
            assert c.regime == "exploding" or T * np.log10(w) <= 1   # explodes like the linear unit
    turns = []
    for s in (1e-2, 1e-6, 1e-10, 1e-15):
        first = []
        for seed in DRAWS:
            T = next(T for T in range(1, 400) if curves.scalar_curves(1.5, T, "tanh", input_scale=s, seed=seed).regime
                     == "vanishing")
            assert T > 0.8 * np.log(1 / s) / np.log(1.5)           # not before the push has grown to size ~1
            first.append(T)
        turns.append(np.median(first))
    assert all(a < b for a, b in zip(turns, turns[1:]))        # the smaller the push, the longer the sequence
    for H in (8, 16, 32):                                      # many units: the same at zero input
        for sigma in (1.2, 1.5):
            c = curves.matrix_curves(sigma, "orthogonal", H=H, T=100, nonlinearity="tanh", input_scale=0.0)
            assert c.regime == "exploding" and np.allclose(c.log10_norms, c.bound, atol=1e-9)
    # 04's cliff: its states hover at the unstable fixed point near h_0 = 0.5 where every factor is above 1
    from rnnlib import cliff
    sig = activate(np.array(0.5), "sigmoid")
    for w in (4.5, 5.0, 6.0, 7.0):
        for offset in (-1e-4, 1e-4):                  # the wall: the unstable fixed point passes through h_0 = 0.5
            b = 0.5 - w * sig + offset
            _, cache = cliff.cliff_forward(w, b)
            s_ = activate(cache.hs[:10], "sigmoid")
            assert np.all(w * s_ * (1 - s_) > 1)


@pytest.mark.claims
def test_sigmoid_with_small_w_always_vanishes_and_w_zero_cuts_the_chain():
    for w in np.linspace(-2.0, 2.0, 41):
        for seed in list(DRAWS)[:5]:
            for s in (0.0, 0.2, 1.0, 3.0):
                for b in (-2.0, 0.0, 2.0):
                    c = curves.scalar_curves(w, 50, "sigmoid", input_scale=s, bias=b, seed=seed)
                    assert np.all(c.log10_factors <= np.log10(0.5) + 1e-12) and c.regime == "vanishing"
    from rnnlib.teaching import _views as V
    lo, hi = V.ScalarView.controls["w"].lo, V.ScalarView.controls["w"].hi
    assert lo == -hi
    for f in ("linear", "tanh", "sigmoid"):
        c = curves.scalar_curves(0.0, 50, f, seed=21)
        assert np.all(np.isneginf(c.log10_jacobian[1:]))


CLAIMS += _claims("test_tanh_lies_under_the_linear_line_and_saturates", "w on a 0.2 grid over [-2, 2] x 20 input "
                  "draws x three (s, b); the fixed points of w 1.2-2; w = 1.5 at s 0.2-2.5 on 20 draws",
                  ("d223bdf1", ("under tanh every curve lies on or below",)),
                  ("d223bdf1", ("the tanh unit's does the opposite",)),
                  ("af517167", ("saturation rescues tanh",)),
                  ("b86d5767", ("a nonlinearity only shrinks each factor",)))
CLAIMS += _claims("test_unstable_fixed_point_at_zero_input", "w 1.1-2 and T 10-300 at zero input; pushes 1e-2 to "
                  "1e-15 on 20 input draws; 8-32 units; three points of 04's wall",
                  ("859931dd", ("then pick tanh, w = 1.5 and s = 0",)),
                  ("859931dd", ("the right-hand panels show why",)),
                  ("3e4829b4", ("but not at $s = 0$",)),
                  ("3e4829b4", ("that is the **unstable fixed point**",)),
                  ("3e4829b4", ("so every factor is $w = 1.5$",)),
                  ("3e4829b4", ("any input pushes the state off 0",)),
                  ("3e4829b4", ("many units behave the same way",)),
                  ("b86d5767", ("tanh saturation turns $w = 1.5$",)))
CLAIMS += _claims("test_sigmoid_with_small_w_always_vanishes_and_w_zero_cuts_the_chain", "w on a 0.1 grid over "
                  "[-2, 2] x s 0-3 x b -2..2 x 5 input draws; w = 0 for each f",
                  ("af517167", ("the sigmoid is worse",)),
                  ("af517167", ("and $w = 0$, in the middle of the slider",)),
                  ("b86d5767", ("every factor of a sigmoid unit",)))


# --- Pascanu's bound; singular values and eigenvalues ---------------------------------------------------------

@pytest.mark.claims
def test_pascanu_bound_sufficient_not_necessary():
    rng = np.random.default_rng(11)
    for _ in range(20):                                             # submultiplicative
        A, B = rng.normal(size=(6, 6)), rng.normal(size=(6, 6))
        assert np.linalg.norm(A @ B, 2) <= np.linalg.norm(A, 2) * np.linalg.norm(B, 2) * (1 + 1e-12)
    a = np.linspace(-30, 30, 200_001)                              # gamma is the largest derivative
    assert abs(np.max(1 - np.tanh(a) ** 2) - GAMMA["tanh"]) < 1e-9 and GAMMA["linear"] == 1
    sg = activate(a, "sigmoid")
    assert abs(np.max(sg * (1 - sg)) - GAMMA["sigmoid"]) < 1e-9 and GAMMA["sigmoid"] == 0.25
    for seed in DRAWS:
        for kind in curves.MATRIX_KINDS:
            base = curves.recurrent_matrix(kind, 16, seed)
            assert abs(spectral_norm(base) - 1) < 1e-9                   # the slider sets sigma_max exactly
            for f in ("linear", "tanh", "sigmoid"):
                for g_sigma in (0.5, 0.95, 1.0, 1.05, 2.0):
                    c = curves.matrix_curves(g_sigma / GAMMA[f], kind, H=16, T=60, nonlinearity=f, seed=seed, base=base)
                    assert np.all(c.log10_norms <= c.bound + 1e-9)          # the bound holds at every lag
                    if g_sigma < 1:
                        assert c.final < 60 * np.log10(g_sigma) + 1e-9
                    if g_sigma == 1.0:
                        assert np.all(c.log10_norms <= 1e-9)               # cannot explode
        # above the edge: explosion possible (orthogonal linear), not guaranteed (Gaussian tanh, sigmoid)
        assert curves.matrix_curves(1.1, "orthogonal", H=32, nonlinearity="linear", seed=seed).regime == "exploding"
        assert curves.matrix_curves(2.0, "gaussian", H=32, nonlinearity="tanh", seed=seed).final < -5
        for sigma in (4.1, 5.0):
            assert curves.matrix_curves(sigma, "gaussian", H=32, nonlinearity="sigmoid", seed=seed).final < -10
    # at exactly 1 it need not vanish: orthogonal, linear
    assert curves.matrix_curves(1.0, "orthogonal", H=16, nonlinearity="linear").regime == "stable"


@pytest.mark.claims
def test_singular_values_bound_every_step_eigenvalues_set_the_linear_long_run():
    rng = np.random.default_rng(5)
    for seed in range(20):
        W = rng.normal(0, 1 / np.sqrt(12), (12, 12))
        assert spectral_radius(W) <= spectral_norm(W) + 1e-12
        S = W + W.T
        assert abs(spectral_radius(S) - spectral_norm(S)) < 1e-9                       # normal: equal
        Q, _ = np.linalg.qr(W)
        assert abs(spectral_radius(Q) - spectral_norm(Q)) < 1e-9
        n = 3000                                                                       # Gelfand: linear, long run
        rate = jacobian_log10_norms(W, np.zeros((n, 12)))[-1] / n
        assert abs(rate - np.log10(spectral_radius(W))) < 0.01
        # with tanh the rate is not rho's: a Gaussian W_hh with rho > 1 still vanishes
        c = curves.matrix_curves(2.0, "gaussian", H=32, T=100, nonlinearity="tanh", seed=seed + 20)
        assert c.rho > 1 and c.final < -5
        # every step's stretch is at most sigma_max (any f): consecutive lags differ by at most log10 gamma sigma
        for f in ("linear", "tanh", "sigmoid"):
            c = curves.matrix_curves(1.5, "non-normal", H=16, T=60, nonlinearity=f, seed=seed + 20)
            assert np.all(np.diff(c.log10_norms) <= np.log10(GAMMA[f] * 1.5) + 1e-9)
    from rnnlib.teaching import _views as V
    v = V.MatrixView()
    for f, shown in (("linear", True), ("tanh", False), ("sigmoid", False)):
        v.update(nonlinearity=f)
        assert v.artists["radius"].get_visible() is shown


CLAIMS += _claims("test_pascanu_bound_sufficient_not_necessary", "20 matrix draws x 3 kinds x 3 f x gamma sigma_max "
                  "0.5-2 (H 16, T 60); 20 draws above the edge (H 32)",
                  ("eb6da3dc", ("pascanu et al.'s bound",)),
                  ("5792a24b", ("$\\|\\mathrm{diag}(f'(a_t))\\|_2 = \\max_i",)),
                  ("5792a24b", ("together they give the bound",)),
                  ("5792a24b", ("the right-hand side decays geometrically",)),
                  ("5792a24b", ("an upper bound does not say",)),
                  ("5792a24b", ("explosion is *possible*",)),
                  ("5f74d5db", ("a fixed random matrix whose largest singular value is 1",)),
                  ("5f74d5db", ("so the first slider sets",)),
                  ("5f74d5db", ("the rnn runs on fixed random inputs",)),
                  ("5f74d5db", ("the solid line is", "true jacobian product")),
                  ("e2d3446e", ("before you raise $\\sigma_{max}$ from 0.8 to 2",)),
                  ("e2d3446e", ("then try the sigmoid around its edge",)),
                  ("b1d8521e", ("the same edge for the sigmoid",)),
                  ("b1d8521e", ("just above it the bound allows growth",)),
                  ("b1d8521e", ("this explorer has no bias",)),
                  ("b1d8521e", ("with a bias that puts them there",)),
                  ("b86d5767", ("holds at every lag",)),
                  ("b86d5767", ("vanishing is guaranteed (sufficient)",)),
                  ("b86d5767", ("at exactly 1 the product cannot explode",)))
CLAIMS += _claims("test_singular_values_bound_every_step_eigenvalues_set_the_linear_long_run", "20 Gaussian, "
                  "symmetric and orthogonal 12 x 12 matrices, 3,000 powers; 20 Gaussian and non-normal W_hh x 3 f; "
                  "the explorer's dotted line for each f",
                  ("5792a24b", ("is computed from the **eigenvalues**",)),
                  ("5f74d5db", ("for f = linear only, a dotted line",)),
                  ("b86d5767", ("the largest singular value bounds every step",)),
                  ("b86d5767", ("the spectral radius is the long-run rate",)))


# --- the non-normal matrix --------------------------------------------------------------------------------------

@pytest.mark.claims
def test_nonnormal_transient_growth():
    for seed in DRAWS:
        c = curves.matrix_curves(2.0, "non-normal", H=32, T=300, nonlinearity="linear", seed=seed)
        eig = np.linalg.eigvals(2.0 * curves.recurrent_matrix("non-normal", 32, seed))
        assert np.ptp(np.abs(eig)) < 1e-6 and c.rho < 1                    # one eigenvalue, below 1
        assert c.peak > 2.3 and c.peak_lag >= 24                           # a hundredfold, for dozens of steps
        assert c.log10_norms[50] - c.radius_line[50] > 5.5                 # far above rho^50 at lag 50
        assert c.log10_norms[300] > c.radius_line[300] + 5                 # the asymptotic rate: reached much later
        assert np.all(np.diff(c.log10_norms) <= np.log10(2.0) + 1e-9)     # singular values bound each step
        th = curves.matrix_curves(2.0, "non-normal", H=32, T=300, nonlinearity="tanh", seed=seed)
        assert th.peak < 0.5                                               # barely grows with tanh, inputs of scale 1
        weak = curves.matrix_curves(2.0, "non-normal", H=32, T=300, nonlinearity="tanh", input_scale=0.01, seed=seed)
        assert weak.peak > max(th.peak + 0.5, 0.8)                         # inputs 100x weaker: the growth returns
    for seed in range(20):                                                 # the shear prompt: it rises above 1
        W = curves.sheared_matrix(32, 0.5, seed)
        assert spectral_radius(W) < 0.9 + 1e-9
        assert np.max(jacobian_log10_norms(W, np.zeros((300, 32)))[1:]) > 0


CLAIMS += _claims("test_nonnormal_transient_growth", "20 non-normal draws (seeds 20-39) at sigma_max 2, H 32, T 300, "
                  "linear and tanh at input scale 1 and 0.01; 20 sheared matrices at shear 0.5",
                  ("eb6da3dc", ("singular values", "versus eigenvalues")),
                  ("8bce591b", ("puts the same number on the whole diagonal",)),
                  ("8bce591b", ("its eigenvalues have modulus below 1",)),
                  ("8bce591b", ("amplifies gradients a hundredfold",)),
                  ("8bce591b", ("five other draws",)),
                  ("fcbd0d0d", ("gives only the *asymptotic rate*",)),
                  ("fcbd0d0d", ("only the singular values bound",)),
                  ("fcbd0d0d", ("wrong by over five orders",)),
                  ("fcbd0d0d", ("the same matrix barely grows",)),
                  ("fcbd0d0d", ("pick the last $w_{hh}$ of the menu",)),
                  ("fcbd0d0d", ("raise the shear from 0 to 0.5",)),
                  ("b86d5767", ("can amplify for dozens of steps",)))


# --- contributions --------------------------------------------------------------------------------------------

@pytest.mark.claims
def test_contributions_follow_the_jacobian():
    from rnnlib.bptt import contributions, rnn_backward
    for seed in DRAWS:                     # C[T,k] = dh_T/dh_k f'(a_k) h_{k-1}, and they sum to the gradient
        w, s = (0.9, 1.1, -1.3, 1.5)[seed % 4], 0.5
        T = 30
        x = curves.scalar_inputs(T, seed)
        one = np.ones((1, 1))
        p = Params(s * one, w * one, np.zeros(1), one, np.zeros(1))
        Hs, cache = rnn_forward(x[:, None, None], p)
        dH = np.zeros((T, 1, 1))
        dH[-1] = 1.0
        C = contributions(dH, cache, full=True)[T - 1, :, 0, 0]
        h = np.concatenate([[0.0], Hs[:, 0, 0]])
        jac = curves.scalar_curves(w, T, "tanh", input_scale=s, seed=seed).log10_jacobian   # lag j: dh_T/dh_{T-j}
        for k in range(2, T + 1):
            fp = 1 - h[k] ** 2
            assert np.isclose(abs(C[k - 1]), 10 ** jac[T - k] * fp * abs(h[k - 1]), rtol=1e-9, atol=1e-300)
        assert np.isclose(C.sum(), rnn_backward(dH, cache)[3][0, 0], rtol=1e-10)
        cc = curves.contribution_curves(w, 60, "tanh", input_scale=0.2, seed=seed)
        big = np.nanmax(cc.log10_contrib)
        assert np.all(cc.log10_contrib[cc.reach + 1:] < big - 2 + 1e-9)      # the reach: 1% of the largest
    shares = {}
    for w in (0.5, 0.9, 1.0, 1.1, 1.5, -1.5):
        for T in (30, 60, 100):
            shares[w, T] = [curves.contribution_curves(w, T, "tanh", input_scale=0.2, seed=d).recent_share
                            for d in DRAWS]
    for T in (30, 60, 100):
        assert min(shares[0.5, T]) > 0.95                                        # every draw
        assert all(sum(x > 0.9 for x in shares[w, T]) <= 10 for w in (1.0, 1.1))  # near 1: on at most half
    for T in (60, 100):
        assert sum(x > 0.9 for x in shares[1.5, T]) >= 18 and min(shares[-1.5, T]) > 0.9
    for seed in DRAWS:
        for T in (60, 100):
            for w in (1.0, 1.1, 1.5):                                            # linear |w| >= 1: spread out
                assert curves.contribution_curves(w, T, "linear", input_scale=0.2, seed=seed).recent_share < 0.6
        a, b = (curves.contribution_curves(w, 60, "linear", input_scale=0.2, seed=seed).recent_share
                for w in (0.9, 1.1))
        assert b < a                                                             # the prompt of section 5


CLAIMS += _claims("test_contributions_follow_the_jacobian", "20 input draws (seeds 20-39) x w 0.5-1.5 and -1.5 x "
                  "T 30, 60, 100 at input scale 0.2, and 0.05 for the small-input case",
                  ("fcbd0d0d", ("for the scalar unit above, $c[t,k]",)),
                  ("fcbd0d0d", ("so does everything step $k$ could teach",)),
                  ("fcbd0d0d", ("it plots",)),
                  ("fcbd0d0d", ("a dotted line marks how far back",)),
                  ("64accce9", ("before you move w from 0.9 to 1.1",)),
                  ("6e9dbf4b", ("frozen: $\\log_{10}|c[t,k]|$",)),
                  ("6e9dbf4b", ("a linear unit with $|w| \\ge 1$ spreads",)),
                  ("6e9dbf4b", ("how much the last ten steps",)),
                  ("9c827977", ("far from $|w| = 1$",)),
                  ("b86d5767", ("where the jacobian vanishes",)),
                  ("b86d5767", ("with tanh at input scale 0.2 and $w = 0.5$",)),
                  ("b86d5767", ("that share depends on the input draw",)))


def _largest_state(w: float, s: float, T: int, seed: int) -> float:
    """max_t |h_t| of the scalar explorer's tanh unit h_t = tanh(w h_{t-1} + s x_t), h_0 = 0."""
    return float(np.max(np.abs(curves.scalar_curves(w, T, "tanh", input_scale=s, seed=seed).states)))


@pytest.mark.claims
def test_small_inputs_keep_tanh_linear_only_at_w_1():
    for seed in DRAWS:
        for s in (0.002, 0.005, 0.01):                   # w = 1: states near 0, tanh' near 1, spread like linear
            for T in (30, 60, 100):
                th = curves.contribution_curves(1.0, T, "tanh", input_scale=s, seed=seed)
                lin = curves.contribution_curves(1.0, T, "linear", input_scale=s, seed=seed)
                assert _largest_state(1.0, s, T, seed) < 0.25 and abs(th.recent_share - lin.recent_share) < 0.1
                assert T < 60 or th.recent_share < 0.5          # over 60 steps: most of it from further back
        for w in (1.02, 1.05, 1.1, 1.3, 1.5, -1.05, -1.5):  # above |w| = 1: 0 is unstable, tiny inputs grow
            fixed = 0.5                                  # the nonzero fixed point h* = tanh(|w| h*), bisected
            lo, hi = 1e-6, 1.0
            for _ in range(60):
                fixed = (lo + hi) / 2
                lo, hi = (fixed, hi) if np.tanh(abs(w) * fixed) > fixed else (lo, fixed)
            for s in (0.005, 0.01, 0.05):
                steps = int(3 * np.log(1 / s) / np.log(abs(w)))        # a few times ln(1/s) / ln|w|
                assert _largest_state(w, s, steps, seed) > 0.8 * fixed  # saturation holds it, not 0


CLAIMS += _claims("test_small_inputs_keep_tanh_linear_only_at_w_1", "20 input draws (seeds 20-39): w = 1 at input "
                  "scale 0.002-0.01 and T 30, 60, 100; w = 1.02-1.5 and -1.05, -1.5 at scale 0.005-0.05 over "
                  "3 ln(1/s) / ln|w| steps",
                  ("9c827977", ("at $w = 1$ with a small input scale",)),
                  ("9c827977", ("above $|w| = 1$ that does not last",)))


# --- storing a bit against noise ----------------------------------------------------------------------------

def _keep(w: float, f: str, noise: np.ndarray) -> tuple[float, float]:
    h = np.full(noise.shape[1], 0.5)
    log10_grad = np.zeros(noise.shape[1])
    for t in range(noise.shape[0]):
        a = w * h + noise[t]
        h = np.tanh(a) if f == "tanh" else a
        fp = 1 - h * h if f == "tanh" else np.ones_like(h)
        log10_grad += np.log10(np.abs(w * fp))
    return float(np.mean(h > 0)), float(np.median(log10_grad))


@pytest.mark.claims
def test_storing_against_noise_costs_the_gradient():
    for seed in DRAWS:
        noise = np.random.default_rng(seed).normal(0.0, 0.2, size=(100, 2000))
        kept, grad = _keep(2.0, "tanh", noise)
        assert kept > 0.99 and grad < -20
        kept, grad = _keep(1.0, "linear", noise)
        assert kept < 0.7 and grad == 0.0
    noise = np.random.default_rng(99).normal(0.0, 0.2, size=(100, 2000))
    for f in ("tanh", "linear"):                        # no w keeps the bit and a gradient within a decade of 1
        for w in np.arange(0.5, 3.01, 0.05):
            kept, grad = _keep(w, f, noise)
            assert not (kept > 0.95 and abs(grad) < 1)
            if f == "linear" and kept > 0.9:             # a linear unit keeps the bit only with w > 1: exploding
                assert w > 1 and grad > 5


CLAIMS += _claims("test_storing_against_noise_costs_the_gradient", "20 noise draws of 2,000 runs x 100 steps; w on a "
                  "0.05 grid over [0.5, 3] for tanh and linear",
                  ("e988aa31", ("showed why",)),
                  ("e988aa31", ("to *store* a bit",)),
                  ("f849a30e", ("no choice of $w$ keeps the bit",)),
                  ("e988aa31", ("a map that pulls nearby states together",)),
                  ("e988aa31", ("a map whose jacobians are 1",)),
                  ("e988aa31", ("one unit, a bit stored",)),
                  ("b86d5767", ("vanishing is the price of storing robustly",)),
                  ("b86d5767", ("a unit that keeps a bit against noise contracts",)))
