"""Claims register, notebook 04 sections 2, 3 (training) and 5: clipping, starts and gates on the lag task.

Budget as in the notebook: H = 16, Adam 1e-2, 200 steps of batch 32, 500 test sequences. The notebook trains
seeds 0-19 (clipping) and 0-5 (starts, gates); these tests train 100 seeds (clipping) and 30 (starts, gates).
"""

import numpy as np
import pytest
from claims import Claim
from test_claims_04 import test_clipped_steps_and_a_learning_rate_too_large as _t_clipping_steps  # noqa: F401
from test_claims_04 import test_gated_unit_jacobian_and_leak as _t_gated_jacobian  # noqa: F401
from test_claims_04 import test_initialization_recipes as _t_init_curves  # noqa: F401
from test_claims_04 import test_the_wall_steepens_continuously_and_explodes_beyond_w_4 as _t_wall  # noqa: F401
from test_claims_04 import test_truncation_removes_the_path_to_the_cue as _t_truncation  # noqa: F401

import rnnlib
from rnnlib import gated, init, outcomes, stack, train
from rnnlib.tasks import recall_task

H, D, O, STEPS, BATCH, N_TEST = 16, 6, 4, 200, 32, 500
CLIP = "lag 30, seeds 0-99, no clipping vs norm clipping at 0.5 x each seed's median norm"
STARTS = "four starts x lags 5, 15, 30 x seeds 0-29"
GATES = "gated unit b_z = -3 at lags 5, 15, 30 and b_z = 0 at lag 30, seeds 0-29"
ADAM = "seeds 0-19, 20 and 200 Adam steps at lag 30, every gradient divided by 10 vs as is"

CLAIMS = [
    Claim("04", "442de8e0", ("acts on most steps",), CLIP, "test_clipping_at_lag_30_over_100_seeds"),
    Claim("04", "442de8e0", ("so a common factor changes little",), ADAM, "test_adam_ignores_a_common_factor"),
    Claim("04", "442de8e0", ("matters only where a gradient",), ADAM, "test_adam_ignores_a_common_factor"),
    Claim("04", "442de8e0", ("It does not rescue lag 30", "median seed"), CLIP,
          "test_clipping_at_lag_30_over_100_seeds"),
    Claim("04", "442de8e0", ("Over 100 seeds it helped a little",), CLIP, "test_clipping_at_lag_30_over_100_seeds"),
    Claim("04", "442de8e0", ("Its job is the rare spike",), CLIP, "test_clipping_at_lag_30_over_100_seeds"),
    Claim("04", "c1b12494", ("Every start learns lag 5 with every seed",), STARTS, "test_starts_over_30_seeds"),
    Claim("04", "c1b12494", ("The identity start is the weakest",), STARTS, "test_starts_over_30_seeds"),
    Claim("04", "c1b12494", ("over 30 seeds it learned lag 15",), STARTS, "test_starts_over_30_seeds"),
    Claim("04", "c1b12494", ("factors below 1",), STARTS, "test_starts_over_30_seeds"),
    Claim("04", "1ab56ca2", ("Only the gated unit",), GATES, "test_gates_over_30_seeds"),
    Claim("04", "1ab56ca2", ("No vanilla start",), STARTS + "; " + CLIP, "test_starts_over_30_seeds"),
    Claim("04", "1ab56ca2", ("fewer than half of its seeds over 30",), GATES, "test_gates_over_30_seeds"),
]


def vanilla(rng, W_hh=None):
    return rnnlib.init_params(D, H, O, rng, W_hh=W_hh)


def lag_task(rng):
    return recall_task(30, BATCH, rng)


@pytest.mark.claims
def test_clipping_at_lag_30_over_100_seeds():
    seeds = list(range(100))
    tests = [recall_task(30, N_TEST, np.random.default_rng(10_000 + s)) for s in seeds]

    def run(clip=None):
        rngs = [np.random.default_rng(s) for s in seeds]
        return stack.train(stack.stack([vanilla(r) for r in rngs]), lag_task, rngs, steps=STEPS, clip=clip)

    free, hist, _ = run()
    typical = np.median(hist.grad_norm, axis=1)
    clipped, clip_hist, _ = run(0.5 * typical)
    a_free, a_clip = stack.accuracy(free, tests), stack.accuracy(clipped, tests)
    assert np.median(np.mean(clip_hist.grad_norm > 0.5 * typical[:, None], axis=1)) > 0.8     # acts on most steps
    assert np.median(a_free) < outcomes.CHANCE_LEVEL and np.median(a_clip) < outcomes.CHANCE_LEVEL  # no rescue
    learned_free, learned_clip = a_free >= outcomes.LEARNED, a_clip >= outcomes.LEARNED
    assert learned_clip.sum() >= 1.2 * max(learned_free.sum(), 1)             # somewhat more learned clipped
    assert learned_clip.sum() <= 0.3 * len(seeds)                             # ... "a little": still few
    assert (learned_free & learned_clip).sum() >= 0.6 * learned_free.sum()    # those learners mostly learn clipped
    spikes = hist.grad_norm.max(axis=1) / typical
    assert np.mean(spikes > 5) >= 0.1 and np.mean(hist.grad_norm > 5 * typical[:, None]) < 0.05   # rare spikes


@pytest.mark.claims
def test_adam_ignores_a_common_factor():
    def tenth(params, X, Y, mask):
        loss, grads = train.vanilla_grad_fn()(params, X, Y, mask)
        return loss, type(grads)(*(0.1 * g for g in grads))

    worst_elsewhere, worst = 0.0, 0.0
    for seed in range(20):
        runs = []
        for grad_fn in (tenth, None):
            rng = np.random.default_rng(seed)
            runs.append(train.train(vanilla(rng), lag_task, rng, steps=20, grad_fn=grad_fn)[0])
        size = max(float(np.max(np.abs(b))) for b in runs[1])
        diff = [np.abs(a - b) / size for a, b in zip(*runs)]
        worst = max(worst, max(float(d.max()) for d in diff))
        cue_flag = np.zeros_like(diff[0], dtype=bool)
        cue_flag[:, 4] = True                                                 # W_xh's column of the cue flag
        worst_elsewhere = max(worst_elsewhere, float(diff[0][~cue_flag].max()), *(float(d.max()) for d in diff[1:]))
    assert worst < 0.05                                                       # a common factor changes little
    assert worst_elsewhere < 1e-3 < worst                                     # what it changes: the vanished input


@pytest.fixture(scope="module")
def starts():
    fns = {n: (lambda rng, n=n, s=s: vanilla(rng, W_hh=init.recurrent_init(n, H, rng, s)))
           for n, s in {"gaussian": 1.0, "orthogonal": 1.0, "identity (tanh)": 1.0, "spectral radius": 1.5}.items()}
    return stack.lag_sweep(fns, [5, 15, 30], list(range(30)), steps=STEPS, batch=BATCH, n_test=N_TEST)


@pytest.mark.claims
def test_starts_over_30_seeds(starts):
    rate = {n: np.mean(a >= outcomes.LEARNED, axis=1) for n, a in starts.items()}    # (lags,) per start
    assert all(r[0] == 1 for r in rate.values())                                       # lag 5: every seed
    assert all(r[2] <= 0.5 for r in rate.values())                                     # lag 30: none reliably
    assert 0.1 <= rate["spectral radius"][2] <= 0.45                                    # the best: one in four
    assert rate["identity (tanh)"][1] < 0.2                                            # identity: weakest at 15
    assert all(r[1] > 0.5 for n, r in rate.items() if n != "identity (tanh)")          # the others: most


@pytest.mark.claims
def test_gates_over_30_seeds():
    def start(bias):
        return lambda rng: gated.init_gated_params(D, H, O, rng, gate_bias=bias)

    out = stack.lag_sweep({"-3": start(-3.0)}, [5, 15, 30], list(range(30)), steps=STEPS, batch=BATCH,
                          n_test=N_TEST)["-3"]
    zero = stack.lag_sweep({"0": start(0.0)}, [30], list(range(30)), steps=STEPS, batch=BATCH, n_test=N_TEST)["0"]
    assert np.all(np.mean(out >= outcomes.LEARNED, axis=1) >= 0.9)            # every lag, nearly every seed
    assert np.mean(zero >= outcomes.LEARNED) < 0.5                             # b_z = 0: fewer than half at 30


# The notebook's opening list and the summary, registered with the sweeps that try them (sections 1, 4 and 6 are
# tests/test_claims_04.py's; its functions are imported above under private names, so that pytest runs them once).

SECTIONS = "the sweeps of tests/test_claims_04.py (cliff, clipping, starts, gates, truncation)"
T_CLIP = "test_clipping_at_lag_30_over_100_seeds"
T_STARTS, T_GATES = "test_starts_over_30_seeds", "test_gates_over_30_seeds"

CLAIMS += [
    Claim("04", "11bac565", ("Notebook 03 measured how the product",), SECTIONS, "_t_init_curves"),
    Claim("04", "11bac565", ("what clipping does, and does not do",), CLIP, T_CLIP),
    Claim("04", "11bac565", ("keeps its Jacobian near 1",), SECTIONS, "_t_gated_jacobian"),
    Claim("04", "f26fd889", ("The recall task of 01 at lag $d = 30$",), CLIP, T_CLIP),
    Claim("04", "f26fd889", ("The budget for all training",), CLIP + "; " + STARTS + "; " + GATES, T_CLIP),
    Claim("04", "f26fd889", ("Twenty seeds train twice",), CLIP, T_CLIP),
    Claim("04", "442de8e0", ("Clipping is no common factor",), CLIP, T_CLIP),
    Claim("04", "c1b12494", ("it is not Le et al.'s IRNN",), STARTS, T_STARTS),
    Claim("04", "35779ece", ("Every remedy on the lag task",), STARTS + "; " + GATES, T_STARTS),
    Claim("04", "35779ece", ("norm clipping from section 2, at lag 30",), CLIP, T_CLIP),
    Claim("04", "35779ece", ("which starts remembering",), GATES, T_GATES),
    Claim("04", "35779ece", ("the same unit started at $b_z = 0$",), GATES, T_GATES),
    Claim("04", "33097c71", ("On two parameters both work",), SECTIONS, "_t_clipping_steps"),
    Claim("04", "33097c71", ("In training with Adam",), CLIP, T_CLIP),
    Claim("04", "33097c71", ("It did not rescue lag 30",), CLIP, T_CLIP),
    Claim("04", "33097c71", ("**Initialization** sets where",), SECTIONS, "_t_init_curves"),
    Claim("04", "33097c71", ("Which radius-1 recipe keeps more",), SECTIONS, "_t_init_curves"),
    Claim("04", "33097c71", ("A recurrent loss can have **cliffs**",), SECTIONS, "_t_wall"),
    Claim("04", "33097c71", ("In 200 steps every start learns lag 5",), STARTS, T_STARTS),
    Claim("04", "33097c71", ("adds $\\mathrm{diag}(1 - z_t)$ to its Jacobian",), SECTIONS, "_t_gated_jacobian"),
    Claim("04", "33097c71", ("With the gate starting near 0",), GATES, T_GATES),
    Claim("04", "33097c71", ("Started with $b_z = 0$",), GATES, T_GATES),
    Claim("04", "33097c71", ("**Truncated BPTT** saves memory",), SECTIONS, "_t_truncation"),
    Claim("04", "33097c71", ("The window keeps $K + 2$ states",), SECTIONS, "_t_truncation"),
    Claim("04", "33097c71", ("A remedy for cost, never for vanishing",), SECTIONS, "_t_truncation"),
]
