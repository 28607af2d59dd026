"""Claims register, notebook 01 section 5 (the lag experiment and why it fails): each claim tried over 100 seeds.

The notebook trains seeds 0-9; these tests train seeds 0-99 with the same budget (H = 16, Adam 1e-2, batch 32,
1,000 test sequences, read after 200 and 500 steps) and hold the text's statements with a margin.
"""

import numpy as np
import pytest
from claims import Claim

import rnnlib
from rnnlib import outcomes, stack, tasks

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
    Claim("01", "899b1d01", ("Averaged over ten seeds", "two to five orders"), GAP,
          "test_influence_gap_at_initialization"),
    Claim("01", "899b1d01", ("Single networks spread wider", "0 to 9 decades"), GAP,
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
    assert np.mean(learned[0] != learned[1]) < 0.08                         # 2.5 times the steps: few verdicts move
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
    assert gaps.min() > -1.0 and gaps.max() < 10.5                                   # single networks: about 0 to 9
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
