"""The claims register for notebook 04 (see tests/claims.py): every claim sentence, the test that tries to break it.

``make claims`` runs them.
"""

from __future__ import annotations

import numpy as np
import pytest
from claims import Claim

import rnnlib
from rnnlib import cliff, gated, init, jacobian, outcomes, stack, train
from rnnlib.activations import activate
from rnnlib.init import recurrent_init
from rnnlib.tasks import recall_task

NB = "04"
CLAIMS: list[Claim] = []


def _claims(test: str, scope: str, *items: tuple[str, tuple[str, ...]]) -> list[Claim]:
    return [Claim(NB, cell, words, scope, test) for cell, words in items]


# ==== sections 1, 3 (Jacobian curves), 4 and 6 ==================================================================
# (the claims of sections 2, 5, the training part of section 3 and the summary are registered below this block)

D, H, O = 6, 16, 4                             # the notebook's sizes: 4 symbols + two flags, 16 units, 4 classes
SWEEP = {"steps": 200, "batch": 32, "n_test": 500}
SEEDS = range(20, 40)                          # not the notebook's seeds (0-5, 0-19)
SIG_HALF = float(activate(np.array(0.5), "sigmoid"))


def _vanilla(rng):
    return rnnlib.init_params(D, H, O, rng)


def _fixed_points(w: float, b: float) -> np.ndarray:
    """The fixed points of h -> w sigma(h) + b, from the sign changes of w sigma(h) + b - h on a fine grid."""
    h = np.linspace(-15, 15, 300_001)
    g = w * activate(h, "sigmoid") + b - h
    above = g > 0
    return h[:-1][above[:-1] != above[1:]]


# --- section 1: the cliff ------------------------------------------------------------------------------------

@pytest.mark.claims
def test_cliff_model_gradient_and_clipping():
    rng = np.random.default_rng(4)
    for _ in range(20):
        w, b = rng.uniform(3.0, 7.0), rng.uniform(-3.5, -1.0)
        loss, cache = cliff.cliff_forward(w, b)
        h = 0.5
        for _t in range(50):                          # one unit, a sigmoid, no input, 50 steps from h_0 = 0.5
            h = w * activate(np.array(h), "sigmoid") + b
        assert np.isclose(cache.hs[-1], h) and np.isclose(loss, (activate(np.array(h), "sigmoid") - 0.7) ** 2)
        _, g = cliff.cliff_loss_and_grad(w, b)
        eps = 1e-6 * max(1.0, abs(g.w) + abs(g.b)) ** -0.5
        fd_w = (cliff.cliff_forward(w + eps, b)[0] - cliff.cliff_forward(w - eps, b)[0]) / (2 * eps)
        fd_b = (cliff.cliff_forward(w, b + eps)[0] - cliff.cliff_forward(w, b - eps)[0]) / (2 * eps)
        assert np.allclose([g.w, g.b], [fd_w, fd_b], rtol=1e-4, atol=1e-8)
        grads = rnnlib.Params(*(rng.normal(size=shape) * 10 ** rng.uniform(-2, 3)
                                for shape in ((3, 2), (3, 3), (3,), (2, 3), (2,))))
        clipped, norm = train.clip_by_norm(grads, 0.5)
        new = np.sqrt(sum(np.sum(np.square(x)) for x in clipped))
        assert new <= 0.5 + 1e-12 and train.cosine(grads, clipped) > 1 - 1e-12           # norm: direction kept
        assert all(np.all(np.abs(x) <= 0.5) for x in train.clip_elementwise(grads, 0.5))   # each entry clamped


@pytest.mark.claims
def test_the_wall_is_a_basin_border_not_a_bifurcation():
    for w in np.arange(4.7, 7.01, 0.1):
        b_wall = 0.5 - w * SIG_HALF                    # where the unstable fixed point passes through h_0 = 0.5
        lo, mid, hi = _fixed_points(w, b_wall)          # two stable fixed points, an unstable one between
        assert abs(mid - 0.5) < 1e-3
        below = cliff.cliff_forward(w, b_wall - 0.005)[1].hs[-1]
        above = cliff.cliff_forward(w, b_wall + 0.005)[1].hs[-1]
        lo2, _, _ = _fixed_points(w, b_wall - 0.005)
        _, _, hi2 = _fixed_points(w, b_wall + 0.005)
        assert abs(below - lo2) < 0.05 and abs(above - hi2) < 0.05   # h_50 flips from one stable point to the other
        assert len(_fixed_points(w, b_wall - 0.005)) == len(_fixed_points(w, b_wall + 0.005)) == 3  # no bifurcation
        if w >= 5.5:                                    # away from w = 4, the folds are far from the wall
            assert len(_fixed_points(w, b_wall - 0.1)) == len(_fixed_points(w, b_wall + 0.1)) == 3
        # near the wall the states hover at the unstable point, where every factor w sigma'(h) exceeds 1
        hs = cliff.cliff_forward(w, b_wall + 1e-4)[1].hs[:10]
        s = activate(hs, "sigmoid")
        assert np.all(w * s * (1 - s) > 1)
    # the descent of the notebook's start hits the wall where the 50 factors' product explodes
    path = cliff.descent_path((5.0, -2.25), 1.0, 40, clip="none", threshold=0.5)
    hit = int(np.argmax(path.grad_norm))
    w_hit, b_hit = path.points[hit]
    s = activate(cliff.cliff_forward(w_hit, b_hit)[1].hs[:-1], "sigmoid")
    assert np.sum(np.log10(w_hit * s * (1 - s))) > 2 and np.sum(w_hit * s * (1 - s) > 1) >= 40


def _steepest(w: float) -> float:
    wall_b = 0.5 - w * SIG_HALF
    bs = np.concatenate([np.arange(-3.5, -1.0 + 1e-9, 0.01), wall_b + np.arange(-0.02, 0.02 + 1e-9, 1e-4)])
    return max(np.hypot(*cliff.cliff_loss_and_grad(w, b)[1]) for b in bs)


@pytest.mark.claims
def test_the_wall_steepens_continuously_and_explodes_beyond_w_4():
    ws = np.arange(3.0, 4.81, 0.2)
    steep = [_steepest(w) for w in ws]
    assert all(a < b for a, b in zip(steep, steep[1:]))                       # continuously steeper
    assert max(g for w, g in zip(ws, steep) if w <= 4.0 + 1e-9) < 10          # no explosion below w = 4
    assert steep[-1] > 100 and min(steep) > 0.3                               # explodes beyond; never nothing
    for w in np.arange(4.5, 7.01, 0.25):              # on the map above w = 4.5: the wall is >= 1000x elsewhere
        away = [np.hypot(*cliff.cliff_loss_and_grad(w, b)[1]) for b in np.arange(-3.5, -1.0 + 1e-9, 0.01)
                if abs(b - (0.5 - w * SIG_HALF)) > 0.2]
        assert _steepest(w) > 1000 * np.median(away)
    s = activate(np.linspace(-20, 20, 4001), "sigmoid")
    assert np.max(s * (1 - s)) <= 0.25                                          # gamma = 1/4: w <= 4 caps each factor


@pytest.mark.claims
def test_clipped_steps_and_a_learning_rate_too_large():
    from rnnlib.teaching import _views as V
    for w0 in np.arange(3.0, 7.01, 0.5):
        for b0 in np.arange(-3.5, -0.99, 0.5):
            for lr in (1.0, 3.0):
                paths = {m: cliff.descent_path((w0, b0), lr, 40, clip=m, threshold=0.5) for m in cliff.CLIP_MODES}
                assert paths["norm"].step.max() <= lr * 0.5 + 1e-12
                assert paths["elementwise"].step.max() <= lr * 0.5 * np.sqrt(2) + 1e-12
                # a threshold no gradient reaches changes nothing: the three modes take the same path
                same = {m: cliff.descent_path((w0, b0), lr, 40, clip=m, threshold=3.0) for m in cliff.CLIP_MODES}
                if same["none"].grad_norm.max() < 3.0 / np.sqrt(2):
                    assert all(np.array_equal(same["none"].points, p.points) for p in same.values())
    for lr, threshold, clip, head in ((1.0, 0.5, "none", "flung"), (1.0, 0.5, "norm", "stays"),
                                      (1.0, 0.5, "elementwise", "stays"), (3.0, 3.0, "none", "drifted"),
                                      (3.0, 3.0, "norm", "drifted"), (1.0, 3.0, "elementwise", "flung")):
        v = V.CliffView(lr=lr, threshold=threshold, clip=clip)
        assert v.readout()[0].startswith(head)
    for n in (2, 10, 100, 1000, 10_000):                       # one huge entry among n: cos -> 1 / sqrt(n)
        g = np.ones(n)
        g[0] = 1e6
        c = np.clip(g, -1, 1)
        cos = g @ c / (np.linalg.norm(g) * np.linalg.norm(c))
        assert 1 / np.sqrt(n) < cos < 1.01 / np.sqrt(n)


CLAIMS += _claims("test_cliff_model_gradient_and_clipping", "20 random (w, b) on the map against finite differences; "
                  "20 random gradients of 2 arrays, norms 1e-2 to 1e3, clipped both ways",
                  ("ed4dfcd5", ("reduced exploding gradients to one recurrent unit",)),
                  ("ed4dfcd5", ("pascanu et al. write $x_t$",)),
                  ("ed4dfcd5", ("the gradient is bptt over the 50 steps",)),
                  ("1f206db7", ("the analytic gradient against finite differences",)),
                  ("6d889150", ("now gradient descent from one start",)),
                  ("6d889150", ("rescales the whole gradient",)),
                  ("6d889150", ("clamps each entry",)))
CLAIMS += _claims("test_the_wall_is_a_basin_border_not_a_bifurcation", "w from 4.7 (the wall the descent hits) to 7 in "
                  "steps of 0.1: the fixed points 0.005 either side of the wall (0.1 from w = 5.5), h_50 0.005 "
                  "either side; the notebook's descent",
                  ("ed4dfcd5", ("where that border passes through",)),
                  ("48616340", ("run the unit at the point where",)),
                  ("48616340", ("sits next to the *unstable* fixed point",)),
                  ("48616340", ("the states hover there",)))
CLAIMS += _claims("test_the_wall_steepens_continuously_and_explodes_beyond_w_4", "w from 3 to 4.8 in steps of 0.2, "
                  "b on a 0.01 grid refined to 1e-4 around the wall; w from 4.5 to 7 in steps of 0.25 against the "
                  "median gradient 0.2 or more from the wall",
                  ("48616340", ("pascanu's necessary condition from 03",)),
                  ("48616340", ("a sum of 50 terms",)),
                  ("48616340", ("on a fine grid the wall steepens",)))
CLAIMS += _claims("test_clipped_steps_and_a_learning_rate_too_large", "starts on a 0.5 grid over the map x lr 1 and "
                  "3 x three modes; the explorer's readout at six settings; n = 2 to 10,000",
                  ("54ba175d", ("each step is short",)),
                  ("54ba175d", ("drives the cosine towards",)),
                  ("98eff8e3", ("before you switch clipping from none to norm",)),
                  ("98eff8e3", ("then try element-wise and a threshold of 3",)),
                  ("98eff8e3", ("raise the learning rate to 3",)),
                  ("0c1cdd57", ("it shows the three clipping modes",)),
                  ("0c1cdd57", ("at learning rate 3 and threshold 3",)),
                  ("0c1cdd57", ("clipping caps a step",)))


# --- section 3: the four starts ----------------------------------------------------------------------------------

@pytest.mark.claims
def test_initialization_recipes():
    gain = []
    for seed in SEEDS:
        g = recurrent_init("gaussian", H, np.random.default_rng(seed))
        assert 0.6 < jacobian.spectral_radius(g) < 1.5 and 1.5 < jacobian.spectral_norm(g) < 2.5
        q = recurrent_init("orthogonal", H, np.random.default_rng(seed))
        assert np.allclose(jacobian.singular_values(q), 1.0, atol=1e-12)
        assert np.array_equal(recurrent_init("identity (tanh)", H, np.random.default_rng(seed)), np.eye(H))
        r = recurrent_init("spectral radius", H, np.random.default_rng(seed), 1.5)
        assert abs(jacobian.spectral_radius(r) - 1.5) < 1e-9
        # the Jacobian product starts from W_hh: along one forward pass of the lag task, radius 1.5 keeps more
        probe = recall_task(80, 1, np.random.default_rng(seed + 100))
        curve = {}
        for name, scale in (("gaussian", 1.0), ("spectral radius", 1.5)):
            rng = np.random.default_rng(seed)
            p = rnnlib.init_params(D, H, O, rng, W_hh=recurrent_init(name, H, rng, scale))
            _, cache = rnnlib.rnn_forward(probe.X, p)
            curve[name] = jacobian.jacobian_log10_norms(p.W_hh, jacobian.cache_log_derivatives(cache))[80]
        gain.append(curve["spectral radius"] - curve["gaussian"])
    assert np.median(gain) > 1 and np.mean(np.array(gain) > 0) >= 0.8
    # all four starts on 40 draws: radius 1.5 decays slowest on most, and its product grows at first
    best, radius_1, INITS = [], [], {"gaussian": 1.0, "orthogonal": 1.0, "identity (tanh)": 1.0, "spectral radius": 1.5}
    for seed in range(100, 140):
        probe = recall_task(80, 1, np.random.default_rng(seed + 1000))
        at_80 = {}
        for name, scale in INITS.items():
            rng = np.random.default_rng(seed)
            p = rnnlib.init_params(D, H, O, rng, W_hh=recurrent_init(name, H, rng, scale))
            _, cache = rnnlib.rnn_forward(probe.X, p)
            curve = jacobian.jacobian_log10_norms(p.W_hh, jacobian.cache_log_derivatives(cache))
            at_80[name] = curve[80]
            if name == "spectral radius":
                assert jacobian.spectral_norm(p.W_hh) > 1.5 and np.max(curve[1:10]) > 0     # it grows first
        best.append(max(at_80, key=at_80.get))
        radius_1.append(max(("orthogonal", "identity (tanh)"), key=at_80.get))
    assert 0.7 <= np.mean(np.array(best) == "spectral radius") < 1         # most draws, not every one
    assert 0.2 <= np.mean(np.array(radius_1) == "orthogonal") <= 0.8       # which radius-1 start: the draw decides
    h = np.linspace(1e-3, 5, 1000)
    assert np.all(np.tanh(h) < h)                      # a tanh unit with W_hh = I and no input does not copy itself


CLAIMS += _claims("test_initialization_recipes", "20 draws of each recipe at H = 16; the radius-1.5 and Gaussian "
                  "products at lag 80 along 20 forward passes; all four starts at lag 80 on 40 further draws",
                  ("ae32e9af", ("starts at whatever",)),
                  ("ae32e9af", ("**gaussian**: entries",)),
                  ("ae32e9af", ("**orthogonal**: every singular value",)),
                  ("ae32e9af", ("pairs it with relu units",)),
                  ("ae32e9af", ("with tanh units it does not",)),
                  ("ae32e9af", ("**chosen spectral radius**",)))


# --- section 4: the gated unit ----------------------------------------------------------------------------------

@pytest.mark.claims
def test_gated_unit_jacobian_and_leak():
    probe = recall_task(80, 1, np.random.default_rng(1))
    leak = np.arange(81) * np.log10(1 - 0.05)
    rng = np.random.default_rng(9)
    for seed in SEEDS:
        gp = gated.init_gated_params(D, H, O, np.random.default_rng(seed), gate_bias=-3.0)
        # the Jacobian formula against finite differences of one step (learned gate)
        X1, h0 = probe.X[:1], 0.3 * rng.normal(size=(1, H))
        _, cache = gated.gated_forward(X1, gp, h_init=h0)
        J = gated.gated_jacobians(cache)[0]
        fd = np.empty((H, H))
        for k in range(H):
            e = np.zeros((1, H))
            e[0, k] = 1e-6
            fd[:, k] = (gated.gated_forward(X1, gp, h_init=h0 + e)[0][0, 0]
                        - gated.gated_forward(X1, gp, h_init=h0 - e)[0][0, 0]) / 2e-6
        assert np.allclose(J, fd, atol=1e-8)
        # b_z = -3: the unit starts with z near 0.05 and its product stays far above the vanilla one
        _, gc = gated.gated_forward(probe.X, gp)
        assert 0.035 < gc.Z.mean() < 0.075
        vp = rnnlib.Params(gp.W_xh, gp.W_hh, gp.b_h, gp.W_hy, gp.b_y)
        _, vc = rnnlib.rnn_forward(probe.X, vp)
        vanilla = jacobian.jacobian_log10_norms(vp.W_hh, jacobian.cache_log_derivatives(vc))[80]
        assert gated.gated_jacobian_log10_norms(gc)[80] > max(vanilla + 2.5, -1)
        # the leaky product: what decides is the eigenvalues' real parts, not sigma_max
        U, S, _ = np.linalg.svd(gp.W_hh)
        out = {}
        for name, W in (("draw", gp.W_hh), ("+S", U @ np.diag(S) @ U.T), ("-S", -U @ np.diag(S) @ U.T)):
            _, c = gated.gated_forward(probe.X, gp._replace(W_hh=W), z=0.05)
            out[name] = gated.gated_jacobian_log10_norms(c)[80]
        assert out["draw"] > leak[80] + 0.8 and out["+S"] > leak[80] + 1.5
        assert abs(out["-S"] - leak[80]) < 0.35
    largest_re = [np.max(np.linalg.eigvals(init.recurrent_init("gaussian", H, np.random.default_rng(s))).real)
                  for s in range(2000)]                 # a Gaussian W_hh's largest real part, 2,000 draws
    inside = np.mean((np.array(largest_re) > 0.5) & (np.array(largest_re) < 1.5))
    assert inside >= 0.985 and min(largest_re) > 0.3                 # 99 % of draws, none far below
    for z in (0.01, 0.05, 0.1):                         # (1 - z)^n, time constant about 1/z
        assert abs((1 - z) ** (1 / z) - np.exp(-1)) < 0.1 * np.exp(-1)
    from rnnlib.teaching import curves
    for seed in range(20):                              # the leak explorer's prompt: slower than the leak path
        for z in (0.3, 0.5, 0.9):
            c = curves.leak_curves(z, T=100, seed=seed)
            assert c.leaky[-1] > c.pure[-1] + 1
        one = curves.leak_curves(1.0, T=100, seed=seed)
        assert np.allclose(one.leaky, one.gated, atol=1e-9)


CLAIMS += _claims("test_gated_unit_jacobian_and_leak", "20 gated units (seeds 20-39) at b_z = -3 along a lag-80 pass: "
                  "the Jacobian by finite differences, z, the product against the vanilla one and the leak path, "
                  "W_hh with the same singular values and eigenvalues +S or -S; the leak explorer at 20 seeds",
                  ("be923ba2", ("only *blends* a new candidate",)),
                  ("be923ba2", ("learned **update gate**",)),
                  ("be923ba2", ("when $z_t$ is small",)),
                  ("be923ba2", ("along that path alone",)),
                  ("be923ba2", ("a fixed leak sets a time constant",)),
                  ("be923ba2", ("only a gate that learns",)),
                  ("be923ba2", ("in part 3 that is",)),
                  ("be923ba2", ("the 1997 lstm's cell",)),
                  ("be923ba2", ("starting the gate bias",)),
                  ("24cbd201", ("below, the jacobian product along",)),
                  ("24cbd201", ("three units use it",)),
                  ("7c793c2e", ("each leaky step multiplies",)),
                  ("7c793c2e", ("the identity path alone would keep",)),
                  ("7c793c2e", ("over many steps what decides",)),
                  ("7c793c2e", ("lies between 0.5 and 1.5",)),
                  ("7c793c2e", ("its jacobian was exactly 1",)),
                  ("7c793c2e", ("the forget gate itself since 2000",)),
                  ("03a28285", ("before you move z from 0.05 to 0.5",)),
                  ("03a28285", ("and at z = 1",)),
                  ("6b10985b", ("frozen: the explorer at three values",)),
                  ("6aa05b5c", ("the remedies for vanishing are the ones above",)))


# --- section 6: truncated BPTT ----------------------------------------------------------------------------------

@pytest.mark.claims
def test_truncation_removes_the_path_to_the_cue():
    for lag in (5, 10, 20):
        for seed in SEEDS:
            batch = recall_task(lag, 8, np.random.default_rng(seed))
            p = _vanilla(np.random.default_rng(seed))
            Hs, cache = rnnlib.rnn_forward(batch.X, p)
            Os, oc = rnnlib.output_forward(Hs, p.W_hy, p.b_y)
            _, dO = rnnlib.softmax_cross_entropy(Os, batch.Y, batch.mask)
            dH, _, _ = rnnlib.output_backward(dO, oc)
            assert np.abs(rnnlib.rnn_backward(dH, cache)[0][0]).max() > 0
            # the same batch with another cue symbol (the targets kept): the forward pass carries the change
            X2 = batch.X.copy()
            X2[0, :, :4] = np.roll(batch.X[0, :, :4], 1, axis=-1)
            Hs2, cache2 = rnnlib.rnn_forward(X2, p)
            Os2, oc2 = rnnlib.output_forward(Hs2, p.W_hy, p.b_y)
            dH2, _, _ = rnnlib.output_backward(rnnlib.softmax_cross_entropy(Os2, batch.Y, batch.mask)[1], oc2)
            for K in range(1, lag):
                assert np.all(rnnlib.truncated_bptt(dH, cache, K)[0][0] == 0)
                assert np.all(rnnlib.chunked_bptt(dH, cache, K)[0][0] == 0)
                for backward in (rnnlib.truncated_bptt, rnnlib.chunked_bptt):   # dW_hh still reacts to the cue
                    dW, dW2 = backward(dH, cache, K)[3], backward(dH2, cache2, K)[3]
                    assert np.abs(dW2 - dW).max() > 1e-9 * np.abs(dW).max()
            assert np.abs(rnnlib.truncated_bptt(dH, cache, lag)[0][0]).max() > 0
    from rnnlib import costs
    for T, K in ((100, 10), (1000, 50)):
        assert costs.stored_states(T, K, "chunked") == K + 1 < costs.stored_states(T, None, "full") == T + 1
    for T in (5, 20, 40):                               # the window's work: T products at K = 1, more from K = 2
        rng = np.random.default_rng(T)
        p = rnnlib.init_params(2, 3, 1, rng)
        Hs, cache = rnnlib.rnn_forward(rng.normal(size=(T, 2, 2)), p)
        dH = rng.normal(size=Hs.shape)
        full = costs.count_backward_products(rnnlib.rnn_backward, dH, cache)
        counts = [costs.count_backward_products(rnnlib.truncated_bptt, dH, cache, K) for K in range(1, T)]
        assert counts[0] == full and all(c > full for c in counts[1:])
    full = stack.lag_sweep({"full": _vanilla}, [5], list(SEEDS), **SWEEP)["full"][0]
    k2 = train.lag_sweep(_vanilla, [5], list(SEEDS), grad_fn=train.vanilla_grad_fn(truncate=2), **SWEEP)[0]
    k4 = train.lag_sweep(_vanilla, [5], list(SEEDS), grad_fn=train.vanilla_grad_fn(truncate=4), **SWEEP)[0]
    assert np.mean(full >= outcomes.LEARNED) >= 0.95                       # full BPTT: every seed, with a margin of one
    assert outcomes.band(np.median(k2)) != "learned"                       # K = d - 3: the typical seed does not learn
    assert np.sum(k2 >= 0.4) >= 3                                          # ... but not all at chance
    assert np.mean(k4 >= outcomes.LEARNED) >= 0.5                           # K = d - 1: h_1 still in the gradient


CLAIMS += _claims("test_truncation_removes_the_path_to_the_cue", "lags 5, 10, 20 x 20 seeds x every K < d for the "
                  "gradient at the cue and dW_hh with another cue symbol; lag 5 trained with 20 seeds (20-39), "
                  "200 steps, full BPTT and K = 2, 4",
                  ("635d554d", ("the only target is at step",)),
                  ("635d554d", ("with $k < d$ the gradient at the cue's input",)),
                  ("d8425f8c", ("full bptt's signal at the cue",)),
                  ("d8425f8c", ("the window's oldest term",)),
                  ("d8425f8c", ("the weight gradient still changes with the cue",)),
                  ("d8425f8c", ("what every window $k < d$ removes",)),
                  ("d8425f8c", ("measured at lag 5",)),
                  ("3dbc1352", ("with the window $k = 2$ at lag 5",)),
                  ("3dbc1352", ("the truncated runs are not all at chance",)),
                  ("6aa05b5c", ("so truncation is for long streams",)))

# ==== end of sections 1, 3 (Jacobian curves), 4 and 6 ===========================================================
