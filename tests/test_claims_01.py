"""Claims register, notebook 01 section 5 (the lag experiment and why it fails): each claim tried over 100 seeds.

The notebook trains seeds 0-9; these tests train seeds 0-99 with the same budget (H = 16, Adam 1e-2, batch 32,
1,000 test sequences, read after 200 and 500 steps) and hold the text's statements with a margin.
"""

import numpy as np
import pytest
from claims import Claim

import rnnlib
from rnnlib import init, outcomes, stack, tasks

LAGS = [2, 5, 10, 20, 40]
SEEDS = list(range(100))
SWEEP = "lags 2-40 x seeds 0-99, 200 and 500 steps of Adam (batch 32), 1,000 test sequences"
GAP = "log10 influence at d = 2 minus d = 40 at initialization: 100 sets of ten seeds and 1,000 single networks"
PATHS = "contribution shares at d = 40 at initialization: ten sets of ten seeds (10-109)"

CLAIMS = [
    Claim("01", "9e6556d9", ("Every seed learns the short lags",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "9e6556d9", ("these ten seeds split",), "seeds 0-9 of the same sweep", "test_lag_sweep_over_100_seeds"),
    Claim("01", "9e6556d9", ("four in five", "one in four", "changed few verdicts"), SWEEP,
          "test_lag_sweep_over_100_seeds"),
    Claim("01", "9e6556d9", ("cannot",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "9e6556d9", ("the longer the lag, the fewer seeds learn",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "5445705f", ("Most runs end near one of these two levels",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "72d92bcc", ("has its only term at the query step",), "lags 1-60, batches of 8",
          "test_the_recall_loss_has_one_term"),
    Claim("01", "72d92bcc", ("most direct signal",), GAP, "test_influence_gap_at_initialization"),
    Claim("01", "899b1d01", ("Averaged over ten seeds", "two to six orders"), GAP,
          "test_influence_gap_at_initialization"),
    Claim("01", "899b1d01", ("Single networks spread wider", "−1 to 9 decades"), GAP,
          "test_influence_gap_at_initialization"),
    Claim("01", "899b1d01", ("dominated by short paths",), PATHS, "test_short_paths_dominate_at_initialization"),
    Claim("01", "899b1d01", ("Split", "$T = 41$"), PATHS, "test_short_paths_dominate_at_initialization"),
    Claim("01", "70644833", ("In the median network", "less than a sixth"), PATHS,
          "test_short_paths_dominate_at_initialization"),
    Claim("01", "70644833", ("takes many steps to act",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "70644833", ("weight sharing multiplies the gradient",), GAP, "test_influence_gap_at_initialization"),
]


@pytest.fixture(scope="module")
def sweep():
    """Test accuracies (budgets, lags, seeds) of the notebook's sweep over 100 seeds."""
    return stack.lag_sweep({"v": lambda rng: rnnlib.init_params(6, 16, 4, rng)}, LAGS, SEEDS, steps=[200, 500],
                           batch=32, n_test=1000)["v"]


@pytest.mark.claims
def test_lag_sweep_over_100_seeds(sweep):
    learned = sweep >= outcomes.LEARNED                                     # (budgets, lags, seeds)
    rate = learned.mean(axis=2)                                             # (budgets, lags)
    at = {d: i for i, d in enumerate(LAGS)}
    assert learned[:, [at[2], at[5]]].all()                                 # every seed learns the short lags
    first_ten = learned[:, :, :10].sum(axis=2)
    assert np.all((first_ten[:, [at[10], at[20]]] > 0) & (first_ten[:, [at[10], at[20]]] < 10))   # seeds 0-9 split
    assert 0.65 <= rate[0, at[10]] <= 0.95 and 0.12 <= rate[0, at[20]] <= 0.40   # four in five, one in four
    sets = learned[:, at[40]].reshape(2, 10, 10).sum(axis=2)
    assert sets.max() <= 2                                                  # at most two of any ten at d = 40
    assert np.all(np.diff(rate, axis=1) <= 0.02)                            # the longer the lag, the fewer learn
    assert rate[0, at[40]] < 0.1 and rate[1, at[40]] < 0.15                 # far from learnable: not "cannot"
    assert 0 < learned[:, at[40]].sum()                                     # ... and not never either
    changed = np.mean(learned[0] != learned[1], axis=1)                     # (lags,): verdicts moved by 2.5x steps
    assert np.all(changed[:at[10] + 1] < 0.1)                               # few, up to d = 10
    assert rate[1, at[20]] > rate[0, at[20]]                                # more seeds learn d = 20
    between = (sweep >= outcomes.CHANCE_LEVEL) & (sweep < outcomes.LEARNED)
    assert between.mean() < 0.2                                             # most runs end near chance or near 1


@pytest.mark.claims
def test_the_recall_loss_has_one_term():
    for lag in range(1, 61):
        batch = tasks.recall_task(lag, 8, np.random.default_rng(lag))
        assert batch.mask.sum() == 1 and batch.mask[lag] == 1               # step lag + 1 only
        assert np.all(np.argmax(batch.X[0, :, :4], axis=1) == batch.Y[lag])  # and its target is the cue


def _influence(seed: int, lag: int = 40, probe_seed: int | None = None) -> np.ndarray:
    p = rnnlib.init_params(6, 16, 4, np.random.default_rng(seed))
    probe = 10_000 + seed if probe_seed is None else probe_seed
    x = tasks.recall_task(lag, 1, np.random.default_rng(probe)).X[:, 0]
    log_fprime = rnnlib.forward_log_derivatives(p.W_hh, x @ p.W_xh.T + p.b_h)
    return rnnlib.influence_log10_norms(p.W_hh, log_fprime, W_xh=p.W_xh)


@pytest.mark.claims
def test_influence_gap_at_initialization():
    gaps = np.array([_influence(s)[2] - _influence(s)[40] for s in range(1000)])    # single networks
    means = gaps.reshape(100, 10).mean(axis=1)                                       # sets of ten seeds
    assert 2.0 < means.min() and means.max() < 6.0                                   # two to five orders, on average
    assert gaps.min() > -1.5 and gaps.max() < 10.5                                   # single networks: about -1 to 9
    assert gaps.min() < 1.0 and gaps.max() > 8.0                                     # ... and they do spread that wide
    chains = np.array([_influence(s) for s in range(200)])
    assert np.all(np.median(np.diff(chains, axis=1), axis=0)[5:] < 0)                # the median chain keeps shrinking


@pytest.mark.claims
def test_short_paths_dominate_at_initialization():
    d = 40
    lag_of_path = d - np.arange(d + 1)
    medians = []
    for first in range(10, 110, 10):
        short, long = [], []
        for seed in range(first, first + 10):
            params = rnnlib.init_params(6, 16, 4, np.random.default_rng(seed))
            batch = tasks.recall_task(d, 32, np.random.default_rng(seed))
            Hs, cache = rnnlib.rnn_forward(batch.X, params)
            O, out_cache = rnnlib.output_forward(Hs, params.W_hy, params.b_y)
            _, dO = rnnlib.softmax_cross_entropy(O, batch.Y, batch.mask)
            size = rnnlib.contributions(rnnlib.output_backward(dO, out_cache)[0], cache)[d]
            short.append(size[lag_of_path < 10].sum() / size.sum())
            long.append(size[lag_of_path >= 20].sum() / size.sum())
        medians.append((np.median(short), np.median(long)))
    medians = np.array(medians)
    assert medians[:, 0].min() > 0.5                       # short paths carry most of the size in every set
    assert medians[:, 1].max() < 1 / 6                     # long paths less than a sixth in every set


# Sections 1-4 and the summary: the sentences, the linear unit's closed form, the tanh network's regimes.

LINEAR = "w on a grid of 25 values in [-1.5, 1.5] x steps t = 1..60, forward pass against w^(t-1)"
TANH = "20 draws of W_hh and inputs per gain g in {0.5, 1, 2, 2.5, 3} and input scale {1, 0.5}, t = 60"
FD = "20 networks x gains {0.5, 1, 2}: central differences against the log-space chain, where above 1e-6"
SATURATED = "20 random 2 x 2 matrices with spectral radius below 1 and a first unit that alone grows"
TASK = "lags 1-60, batches of 8: the recall task's cue, query, target and symbols"
WORDS = "the course's two sentence examples"
CURVES = "seed 0 as in the notebook, and d = 5 over seeds 0-19, 500 steps, tested every 20 steps"

T_LINEAR = "test_linear_unit_influence_is_w_to_the_t_minus_1"
T_FD = "test_finite_differences_match_the_chain"
T_SATURATED = "test_saturation_changes_which_matrix_is_multiplied"
T_PATHS = "test_short_paths_dominate_at_initialization"
NAIVE = ("20 gain-1 networks, unit inputs: the naive loop against the log-space chain over 60 steps and at 4,000; "
         "20 gain-3 networks over 8,000 steps for the overflow")
T_NAIVE = "test_naive_product_agrees_then_underflows"
RULE = "gains {0.5, 1, 3} x input scales {1, 2, 4} x 20 networks (weights and inputs drawn per seed), 1,000 steps"
T_RULE = "test_per_step_factor_rule"

CLAIMS += [
    Claim("01", "4b7a5981", ("Two sentences make the difference concrete",), WORDS, "test_the_sentence_examples"),
    Claim("01", "4b7a5981", ("the *clue* is the word that decides",), WORDS, "test_the_sentence_examples"),
    Claim("01", "b40bfe16", ("only needs the word 4 steps back",), WORDS, "test_the_sentence_examples"),
    Claim("01", "b40bfe16", ("across 21 steps",), WORDS, "test_the_sentence_examples"),
    Claim("01", "b40bfe16", ("Section 5 builds exactly this situation",), TASK, "test_the_recall_loss_has_one_term"),
    Claim("01", "b40bfe16", ("**Counting steps.**",), LINEAR, T_LINEAR),
    Claim("01", "b40bfe16", ("The lecture gives no formula",), LINEAR, T_LINEAR),
    Claim("01", "2afcfdd8", ("influence (영향력) of the early elements weakens",), LINEAR,
          T_LINEAR),
    Claim("01", "2afcfdd8", ("Because of **weight sharing",), LINEAR, T_LINEAR),
    Claim("01", "96a26dbe", ("Take one hidden unit",), LINEAR, T_LINEAR),
    Claim("01", "96a26dbe", ("only through $t-1$ multiplications",), LINEAR,
          T_LINEAR),
    Claim("01", "96a26dbe", ("this decays exponentially",), LINEAR, T_LINEAR),
    Claim("01", "e3c9fb38", ("to better than $10^{-12}$",), LINEAR + "; " + FD, T_FD),
    Claim("01", "e3c9fb38", ("straight line with slope",), LINEAR, T_LINEAR),
    Claim("01", "16771ee2", ("Twenty steps later",), LINEAR, T_LINEAR),
    Claim("01", "16771ee2", ("The dotted line marks 1 %",), LINEAR, T_LINEAR),
    Claim("01", "5b462900", ("Now a real vanilla RNN",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "5b462900", ("is the pre-activation",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "5b462900", ("the matrix version of $w^{t-1}$",), FD, T_FD),
    Claim("01", "4350ecba", ("We take one random matrix",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "4350ecba", ("plays the role of $|w|$ only",), SATURATED, T_SATURATED),
    Claim("01", "1c526113", ("Check against a real forward pass",), FD, T_FD),
    Claim("01", "77d28f26", ("What the numbers say",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "77d28f26", ("With $g = 0.5$ the influence shrinks",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "77d28f26", ("With $g = 1$ the spectral radius",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "77d28f26", ("would blow the influence up",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "99aca1f4", ("every step has its own factor",), SATURATED,
          T_SATURATED),
    Claim("01", "863dd8fe", ("A cue symbol (one of 4",), TASK, "test_the_recall_loss_has_one_term"),
    Claim("01", "863dd8fe", ("arrives at step 1 with a cue flag",), TASK, "test_the_recall_loss_has_one_term"),
    Claim("01", "863dd8fe", ("Only that last step has a target",), TASK, "test_the_recall_loss_has_one_term"),
    Claim("01", "863dd8fe", ("chance accuracy is $1/4$",), TASK, "test_the_recall_loss_has_one_term"),
    Claim("01", "b2c73c7d", ("we train ten vanilla tanh RNNs",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "b2c73c7d", ("The budget, said once",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "b2c73c7d", ("Accuracy is measured on 1,000",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "f48089da", ("What learning looks like",), CURVES, "test_training_curves"),
    Claim("01", "48e8c82c", ("**Short-term dependency",), WORDS, "test_the_sentence_examples"),
    Claim("01", "48e8c82c", ("**Long-term dependency",), WORDS, "test_the_sentence_examples"),
    Claim("01", "48e8c82c", ("In a linear unit",), LINEAR, T_LINEAR),
    Claim("01", "48e8c82c", ("In a tanh RNN the influence is a product",), FD, T_FD),
    Claim("01", "48e8c82c", ("With inputs of unit size",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "b40bfe16", ("The arrays hold step $t$ at position",), LINEAR, T_LINEAR),
    Claim("01", "b40bfe16", ("Precisely, the condition is",), LINEAR, T_LINEAR),
    Claim("01", "b40bfe16", ("Section 3 derives the influence",), LINEAR, T_LINEAR),
    Claim("01", "2afcfdd8", ("It is an **exponential decay**",), LINEAR, T_LINEAR),
    Claim("01", "2afcfdd8", ("the condition is on the size",), LINEAR, T_LINEAR),
    Claim("01", "96a26dbe", ("One is the closed form",), LINEAR, T_LINEAR),
    Claim("01", "e3c9fb38", ("The unit is linear, so",), LINEAR, T_LINEAR),
    Claim("01", "5b462900", ("the slope is $f'(a_t) = 1 - h_t^2$",), NAIVE, T_NAIVE),
    Claim("01", "5b462900", ("runs this loop on one random network",), NAIVE, T_NAIVE),
    Claim("01", "c9d8e7a2", ("by step 4,000 it is exactly 0",), NAIVE, T_NAIVE),
    Claim("01", "c9d8e7a2", ("multiplies the same chain in log space",), NAIVE, T_NAIVE),
    Claim("01", "4350ecba", ("All three networks read the same",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "77d28f26", ("Every tanh slope",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "77d28f26", ("Tanh saturation",), TANH, "test_tanh_influence_regimes"),
    Claim("01", "d4c3b2a1", ("One rule for decay and growth",), RULE, T_RULE),
    Claim("01", "d4c3b2a1", ("averaged geometrically over 1,000 steps",), RULE, T_RULE),
    Claim("01", "e5f4a3b2", ("Where the factor is below 1",), RULE, T_RULE),
    Claim("01", "e5f4a3b2", ("Over 20 random networks per cell",), RULE, T_RULE),
    Claim("01", "e5f4a3b2", ("Near 1 the rule is too rough",), RULE, T_RULE),
    Claim("01", "e5f4a3b2", ("Whether the chain shrinks or grows",), RULE, T_RULE),
    Claim("01", "e5f4a3b2", ("Training needs exactly this sensitivity",), GAP, "test_influence_gap_at_initialization"),
    Claim("01", "48e8c82c", ("Each step multiplies it by roughly",), RULE, T_RULE),
    Claim("01", "48e8c82c", ("Trained with full BPTT and Adam",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "48e8c82c", ("Over 100 seeds, about four in five",), SWEEP, "test_lag_sweep_over_100_seeds"),
    Claim("01", "48e8c82c", ("paths shorter than 10 steps carry most",), PATHS, T_PATHS),
    Claim("01", "48e8c82c", ("where exactly these products enter",), FD, T_FD),
]


@pytest.mark.claims
def test_the_sentence_examples():
    gaps = {kind: tasks.word_gap(*example) for kind, example in tasks.SENTENCE_EXAMPLES.items()}
    short, long = sorted(gaps.values())
    assert short == 4 and long == 21 and long > 5 * short          # a few words back, and far back


@pytest.mark.claims
def test_linear_unit_influence_is_w_to_the_t_minus_1():
    T = 60
    X = np.random.default_rng(0).normal(size=(T, 1, 1))
    moved = X.copy()
    moved[0] += 1.0
    one = np.ones((1, 1))
    for w in np.linspace(-1.5, 1.5, 25):
        p = rnnlib.Params(W_xh=one, W_hh=w * one, b_h=np.zeros(1), W_hy=one, b_y=np.zeros(1))
        H0 = rnnlib.rnn_forward(X, p, nonlinearity="linear")[0][:, 0, 0]
        H1 = rnnlib.rnn_forward(moved, p, nonlinearity="linear")[0][:, 0, 0]
        closed = w ** np.arange(T)
        assert np.allclose(H1 - H0, closed, rtol=1e-9, atol=1e-12 * np.abs(H0).max())
        if w != 0:
            lf = rnnlib.forward_log_derivatives(p.W_hh, X[:, 0] @ p.W_xh.T, "linear")
            chain = rnnlib.influence_log10_norms(p.W_hh, lf, W_xh=p.W_xh)
            assert np.allclose(chain, np.arange(T) * np.log10(abs(w)), atol=1e-12)   # slope log10 |w| per step
            change = chain[-1] - chain[0]
            assert (change < -1) if abs(w) < 0.96 else (change > 1) if abs(w) > 1.04 else True
    assert abs(0.9 ** 20 - 0.12) < 0.005 and abs(np.log10(0.5 ** 20) + 6) < 0.1 and abs(1.1 ** 20 - 6.7) < 0.05


@pytest.mark.claims
def test_finite_differences_match_the_chain():
    H, D, T, eps = 32, 4, 60, 1e-5
    worst = 0.0
    for s in range(20):
        X = np.random.default_rng(100 + s).normal(size=(T, 1, D))
        for g in (0.5, 1.0, 2.0):
            rng = np.random.default_rng(200 + s)
            p = rnnlib.init_params(D, H, 1, rng, W_hh=init.gaussian(H, rng, std=g / np.sqrt(H)))
            lf = rnnlib.forward_log_derivatives(p.W_hh, X[:, 0] @ p.W_xh.T + p.b_h)
            chain = rnnlib.influence_log10_norms(p.W_hh, lf, W_xh=p.W_xh)
            Xb = np.repeat(X, 2 * D, axis=1)
            Xb[0, :D] += eps * np.eye(D)
            Xb[0, D:] -= eps * np.eye(D)
            Hb = rnnlib.rnn_forward(Xb, p)[0]
            jac = (Hb[:, :D] - Hb[:, D:]).transpose(0, 2, 1) / (2 * eps)
            norms = np.maximum(np.linalg.norm(jac, ord=2, axis=(1, 2)), np.finfo(float).tiny)
            ok = chain > -6
            worst = max(worst, float(np.max(np.abs(np.log10(norms[ok]) - chain[ok]))))
    assert worst < 1e-4                                                  # agrees to about 1e-5, below its threshold


@pytest.mark.claims
def test_tanh_influence_regimes():
    H, D, T = 32, 4, 60
    end, lin, slope, rho = {}, {}, {}, {}
    for g in (0.5, 1.0, 2.0, 2.5, 3.0):
        for scale in (1.0, 0.5):
            for s in range(20):
                X = np.random.default_rng(1000 + s).normal(size=(T, 1, D))
                rng = np.random.default_rng(2000 + s)
                p = rnnlib.init_params(D, H, 1, rng, W_hh=init.gaussian(H, rng, std=g / np.sqrt(H)))
                lf = rnnlib.forward_log_derivatives(p.W_hh, (scale * X[:, 0]) @ p.W_xh.T + p.b_h)
                chain = rnnlib.influence_log10_norms(p.W_hh, lf, W_xh=p.W_xh)
                assert np.all(np.isfinite(chain))                          # log space: nothing overflows
                end.setdefault((g, scale), []).append(chain[-1])
                lin.setdefault(g, []).append(rnnlib.influence_log10_norms(p.W_hh, np.zeros((T, H)), W_xh=p.W_xh)[-1])
                slope.setdefault((g, scale), []).append(float(np.exp(lf).mean()))
                rho.setdefault(g, []).append(rnnlib.spectral_radius(p.W_hh))
    end = {k: np.array(v) for k, v in end.items()}
    assert np.all(end[0.5, 1.0] < -20)                                    # g = 0.5: far below, straight decay
    assert np.median(rho[1.0]) > 1 and np.all(end[1.0, 1.0] < -6)         # rho about 1 or above, yet it decays
    assert all(max(v) <= 1.0 for v in slope.values()) and np.median(slope[1.0, 1.0]) < 0.8   # f' <= 1, well below
    assert np.median(lin[2.0]) > 15                                       # the linear g = 2 network blows up ...
    assert np.all(np.abs(end[2.0, 1.0]) < 3)                              # ... tanh, unit inputs: within 3 decades
    assert np.all(end[2.0, 0.5] > 0) and np.median(end[2.0, 0.5]) > 2      # weaker inputs: it grows
    assert all(np.all(end[g, sc] > 1) for g in (2.5, 3.0) for sc in (1.0, 0.5))   # larger gains grow too


@pytest.mark.claims
def test_saturation_changes_which_matrix_is_multiplied():
    rng = np.random.default_rng(7)
    found = 0
    while found < 20:
        W = rng.uniform(-2, 2, size=(2, 2))
        if not (abs(W[0, 0]) > 1.05 and rnnlib.spectral_radius(W) < 0.95):
            continue
        found += 1
        saturated = np.diag([1.0, 0.0]) @ W                               # unit 2 saturated: tanh' = 0
        assert np.linalg.norm(np.linalg.matrix_power(W, 30), 2) < 1          # rho < 1: W^30 shrinks
        assert np.linalg.norm(np.linalg.matrix_power(saturated, 30), 2) > 1   # the saturated steps' product grows


@pytest.mark.claims
def test_training_curves():
    checkpoints = list(range(20, 501, 20))
    after = np.array(checkpoints) >= 100

    def curve(seed, d):
        rng = np.random.default_rng(seed)
        one = stack.stack([rnnlib.init_params(6, 16, 4, rng)])
        _, _, kept = stack.train(one, lambda r: tasks.recall_task(d, 32, r), [rng], steps=500, keep=checkpoints)
        test = [tasks.recall_task(d, 1000, np.random.default_rng(10_000 + seed))]
        return np.array([stack.accuracy(kept[c], test)[0] for c in checkpoints])

    assert np.all(curve(0, 40) < outcomes.CHANCE_LEVEL)                    # seed 0 never leaves chance at d = 40
    for seed in range(20):
        assert np.all(curve(seed, 5)[after] >= outcomes.LEARNED)           # d = 5: learned by step 100, and kept


def _naive_chain(params, X: np.ndarray, steps_kept: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The notebook's naive loop: the norms of diag(f'(a_t)) W_hh ... diag(f'(a_1)) W_xh, and the last product."""
    H = rnnlib.rnn_forward(X, params)[0][:, 0]
    fprime = 1 - H**2
    M = fprime[0][:, None] * params.W_xh
    norms = [np.linalg.norm(M, 2)]
    for t in range(1, len(X)):
        M = (fprime[t][:, None] * params.W_hh) @ M
        if steps_kept is None or t < steps_kept:
            norms.append(np.linalg.norm(M, 2))
    return np.array(norms), M


def _network(g: float, seed: int, H: int = 32, D: int = 4):
    rng = np.random.default_rng(seed)
    return rnnlib.init_params(D, H, 1, rng, W_hh=init.gaussian(H, rng, std=g / np.sqrt(H)))


@pytest.mark.claims
def test_naive_product_agrees_then_underflows():
    for s in range(20):
        p = _network(1.0, 300 + s)
        X = np.random.default_rng(400 + s).normal(size=(4000, 1, 4))
        norms, M = _naive_chain(p, X, steps_kept=60)
        chain = rnnlib.influence_log10_norms(p.W_hh, rnnlib.forward_log_derivatives(p.W_hh, X[:, 0] @ p.W_xh.T + p.b_h),
                                             W_xh=p.W_xh)
        assert np.max(np.abs(np.log10(norms) - chain[:60])) < 1e-9          # the same product while it fits
        assert not np.any(M) and np.isfinite(chain[-1]) and chain[-1] < -308   # exactly 0 by step 4,000; log space fine
    for s in range(20):
        p = _network(3.0, 500 + s)
        X = np.random.default_rng(600 + s).normal(size=(8000, 1, 4))
        with np.errstate(over="ignore", invalid="ignore"):
            _, M = _naive_chain(p, X, steps_kept=1)
        chain = rnnlib.influence_log10_norms(p.W_hh, rnnlib.forward_log_derivatives(p.W_hh, X[:, 0] @ p.W_xh.T + p.b_h),
                                             W_xh=p.W_xh)
        assert not np.all(np.isfinite(M)) and np.isfinite(chain[-1]) and chain[-1] > 308   # inf or nan; log space: fine


@pytest.mark.claims
def test_per_step_factor_rule():
    H, T = 32, 1000
    near_one_wrong, kinds = 0, set()
    for g in (0.5, 1.0, 3.0):
        for s in range(20):
            p = _network(g, 700 + s, H)
            size = np.linalg.norm(p.W_hh) / np.sqrt(H)                      # the stretch of a random direction
            assert 0.9 * g < size < 1.1 * g                                 # the size of W_hh is its gain
            X = np.random.default_rng(800 + s).normal(size=(T, 1, 4))
            factors = []
            for scale in (1, 2, 4):
                lf = rnnlib.forward_log_derivatives(p.W_hh, (scale * X[:, 0]) @ p.W_xh.T + p.b_h)
                fp = np.exp(lf)
                stretch = np.linalg.norm(fp[:, :, None] * p.W_hh, axis=(1, 2)) / np.sqrt(H)
                factor = float(np.exp(np.mean(np.log(stretch))))
                factors.append(factor)
                assert 0.8 < factor / (size * np.sqrt(np.mean(fp**2))) < 1.1   # roughly typical f' x size of W_hh
                chain = rnnlib.influence_log10_norms(p.W_hh, lf, W_xh=p.W_xh)
                grows = chain[-1] > chain[0]
                if factor < 0.9:
                    assert not grows and chain[-1] < chain[0] - 10              # below 0.9: decays, clearly
                elif factor > 1.1:
                    assert grows and chain[-1] > chain[0] + 10                  # above 1.1: grows, clearly
                else:
                    near_one_wrong += grows != (factor > 1)
                kinds.add(bool(grows))
            assert factors[0] > factors[1] > factors[2]                         # the inputs set f'
    assert kinds == {True, False} and near_one_wrong > 0                        # both seen; near 1 it can miss
