"""The numbers behind notebook 03's explorers: settings -> curves and a readout, in numpy only.

``rnnlib.widgets`` draws these curves (sliders, one figure updated in place, static figures); the
tests and the notebook's printed tables call the same functions, so what is shown is what is checked.
Each function is pure: the inputs are fixed sequences drawn from ``seed``, so the same settings give
the same curves.

Counting convention. States are counted from 1 here, as in notebook 03, so that the formulas stay
short: h_0 is ``rnn_forward``'s ``h_init`` (zeros) and h_t, after input x_t, is ``H[t-1]`` for
t = 1..T. Lags count steps back from the last state: lag j compares h_T with h_{T-j}; lag T is h_0.
A lag is the same in either counting. All values are log10 of a derivative or a norm (-3 means 10^-3).

The readouts are written in the course's language of the moment (``rnnlib.teaching.i18n``); the ``regime``
and ``verdict`` fields are data and stay English (``i18n.word`` and ``_verdict_words`` give what a learner
reads).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import init as _init
from .._validate import (
    MAX_WIDTH,
    check_array,
    check_choice,
    check_finite_scalar,
    check_positive_int,
    check_seed,
)
from ..activations import GAMMA, NONLINEARITIES, activate, log_derivative
from ..jacobian import (
    forward_log_derivatives,
    jacobian_log10_norms,
    pascanu_log10_bound,
    scalar_log10_jacobian,
    spectral_norm,
    spectral_radius,
)
from .i18n import tr, word

#: Beyond this many decades after T steps a gradient counts as vanished or exploded.
DECADES = 1.0
#: A peak above this (log10: a factor of 2) while rho < 1 is reported as transient growth.
TRANSIENT = float(np.log10(2.0))
#: gamma sigma_max within this of 1 is the edge: the bound neither grows nor shrinks (sigma_max itself comes
#: from an SVD and a rounded rescaling, so an exact 1 on the slider arrives as 1 +- a few 1e-12).
EDGE = 1e-9
#: The three verdicts of Pascanu's sufficient condition.
VERDICTS = ("vanishing guaranteed", "cannot explode", "explosion possible")
#: The kinds of recurrent matrix the matrix explorer scales.
MATRIX_KINDS = ("gaussian", "orthogonal", "non-normal")

_SEQUENCE = 300             # the fixed input sequences are drawn this long (at least), then cut
#: The longest sequence the explorers analyse (the course's bar: finite log-norms up to T = 10,000).
MAX_STEPS = 100_000


def _verdict_words(verdict: str) -> str:
    """What a learner reads for one of ``VERDICTS``, in the course's language."""
    return {VERDICTS[0]: tr("vanishing guaranteed"), VERDICTS[1]: tr("cannot explode"),
            VERDICTS[2]: tr("explosion possible")}[verdict]


def _regime(final: float) -> str:
    """The regime word for log10 |dh_T/dh_0| = final: beyond ``DECADES`` either way, or stable."""
    if final < -DECADES:
        return "vanishing"
    if final > DECADES:
        return "exploding"
    return "stable"


def scalar_inputs(T: int, seed: int = 0) -> np.ndarray:
    """The scalar explorer's fixed input sequence x_1..x_T (entry t - 1 is x_t): (T,) standard normal draws.

    The same seed gives the same first steps whatever T is, so moving the T slider only
    lengthens or shortens one sequence.
    """
    T = check_positive_int("T", T, MAX_STEPS)
    return np.random.default_rng(check_seed("seed", seed)).standard_normal(max(T, _SEQUENCE))[:T]


class ScalarCurves(NamedTuple):
    """One unit, h_t = f(w h_{t-1} + s x_t + b), analysed along its forward pass.

    lags (T + 1,): 0..T. log10_jacobian (T + 1,): log10 |dh_T/dh_{T-j}| (-inf for j >= 1 when w = 0).
    reference (T + 1,): j log10|w|, the linear RNN's value. final: log10 |dh_T/dh_0|.
    factor: the geometric-mean factor |w f'(a_t)| per step. regime: 'vanishing' | 'exploding' | 'stable'.
    readout: one line for the learner. states (T + 1,): h_0..h_T (a linear unit's may reach +-inf).
    log10_factors (T,): log10 |w f'(a_t)| for t = 1..T, the per-step factors whose sum over the last
    j steps is log10_jacobian[j] (-inf when w = 0).
    """

    lags: np.ndarray
    log10_jacobian: np.ndarray
    reference: np.ndarray
    final: float
    factor: float
    regime: str
    readout: str
    states: np.ndarray
    log10_factors: np.ndarray


def scalar_states(
    w: float, T: int, nonlinearity: str = "linear", input_scale: float = 0.2, bias: float = 0.0, seed: int = 0
) -> np.ndarray:
    """The forward states h_0..h_T of the scalar explorer's unit: (T + 1,), h_0 = 0.

    h_t = f(w h_{t-1} + s x_t + b) on ``scalar_inputs(T, seed)``. A linear unit with |w| > 1 may
    overflow to +-inf (no warning); tanh and sigmoid states stay in (-1, 1) and (0, 1).
    """
    w = check_finite_scalar("w", w)
    T = check_positive_int("T", T, MAX_STEPS)
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    s = check_finite_scalar("input_scale", input_scale)
    b = check_finite_scalar("bias", bias)
    U = s * scalar_inputs(T, seed) + b
    hs = np.zeros(T + 1)
    h = np.float64(0.0)
    # one step at a time on scalars; np.tanh on a float64 scalar gives activate()'s bits without its checks
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T):
            a = w * h + U[t]
            if nonlinearity == "tanh":
                h = np.tanh(a)
            elif nonlinearity == "sigmoid":
                h = 0.5 * (1.0 + np.tanh(0.5 * a))           # activate()'s overflow-free sigmoid
            else:
                h = a
            hs[t + 1] = h
    return hs


class FixedPoints(NamedTuple):
    """The fixed points h* = f(w h* + b) of the input-free unit.

    values (n,) in increasing order; stable (n,) bool: |w f'(w h* + b)| < 1 (nearby states move towards it).
    """

    values: np.ndarray
    stable: np.ndarray


def fixed_points(w: float, nonlinearity: str = "tanh", bias: float = 0.0) -> FixedPoints:
    """Every fixed point of h -> f(w h + b) (no input), and whether it attracts.

    tanh: for b = 0 and |w| <= 1 only 0 (stable); for |w| > 1 the unstable 0 and the stable +-h*.
    Found by sign changes of f(w h + b) - h on a fine grid of f's range, refined by bisection.
    linear: h* = b / (1 - w) when w != 1 (none when w = 1). Returns: FixedPoints.
    """
    w = check_finite_scalar("w", w)
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    b = check_finite_scalar("bias", bias)
    if nonlinearity == "linear":
        if w == 1.0:
            return FixedPoints(np.zeros(0), np.zeros(0, bool))
        return FixedPoints(np.array([b / (1.0 - w)]), np.array([abs(w) < 1.0]))
    lo = -1.0 if nonlinearity == "tanh" else 0.0
    grid = np.linspace(lo, 1.0, 4001)
    g = activate(w * grid + b, nonlinearity) - grid
    exact = grid[g == 0.0]
    left = np.flatnonzero(g[:-1] * g[1:] < 0.0)
    a, c = grid[left], grid[left + 1]
    ga = g[left]
    for _ in range(60):
        m = 0.5 * (a + c)
        gm = activate(w * m + b, nonlinearity) - m
        same = np.sign(gm) == np.sign(ga)
        a, ga = np.where(same, m, a), np.where(same, gm, ga)
        c = np.where(same, c, m)
    values = np.unique(np.round(np.concatenate([exact, 0.5 * (a + c)]), 12))
    slope = np.abs(w) * np.exp(log_derivative(w * values + b, nonlinearity))
    return FixedPoints(values, slope < 1.0)


def scalar_curves(
    w: float, T: int, nonlinearity: str = "linear", input_scale: float = 0.2, bias: float = 0.0, seed: int = 0
) -> ScalarCurves:
    """log10 |dh_T/dh_k| for every k along a real forward pass of one unit, and its regime.

    The unit runs h_t = f(w h_{t-1} + s x_t + b) from h_0 = 0 on the fixed inputs
    ``scalar_inputs(T, seed)``; dh_T/dh_k = prod_{t=k+1..T} w f'(a_t) is summed in log space,
    so any finite w and T give finite values (w = 0 gives exactly -inf past lag 0).
    Inputs: w, T >= 1, nonlinearity 'linear' | 'tanh' | 'sigmoid', input_scale s, bias b.
    Returns: ScalarCurves with arrays of shape (T + 1,).
    """
    w = check_finite_scalar("w", w)
    T = check_positive_int("T", T, MAX_STEPS)
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    s = check_finite_scalar("input_scale", input_scale)
    b = check_finite_scalar("bias", bias)
    check_seed("seed", seed)
    U = (s * scalar_inputs(T, seed) + b)[:, None]                       # (T, 1): the drive s x_t + b
    log_fprime = forward_log_derivatives(np.array([[w]]), U, nonlinearity)[:, 0]
    log10_jac = scalar_log10_jacobian(w, log_fprime)
    lags = np.arange(T + 1)
    states = scalar_states(w, T, nonlinearity, s, b, seed)
    if w == 0.0:                   # log10|0| = -inf: set explicitly, never through 0 * -inf
        reference = np.full(T + 1, -np.inf)
        reference[0] = 0.0
        return ScalarCurves(lags, log10_jac, reference, -np.inf, 0.0, "vanishing",
                            tr("{regime}: w = 0, so h_T does not depend on any earlier state (∂h_T/∂h_k = 0 exactly)",
                               regime=word("vanishing")),
                            states, np.full(T, -np.inf))
    reference = lags * np.log10(abs(w))
    log10_factors = np.log10(abs(w)) + log_fprime / np.log(10.0)
    final = float(log10_jac[-1])
    factor = float(10.0 ** (final / T))
    regime = _regime(final)
    readout = tr("{regime}: |∂h_T/∂h_0| = 10^{final:+.1f} after T = {T} steps "
                 "(×{factor:.3g} per step on average; |w| = {w_abs:.2f})",
                 regime=word(regime), final=final, T=T, factor=factor, w_abs=abs(w))
    return ScalarCurves(lags, log10_jac, reference, final, factor, regime, readout, states, log10_factors)


def recurrent_matrix(kind: str, H: int, seed: int = 0) -> np.ndarray:
    """The matrix explorer's fixed W_hh before scaling: (H, H) with largest singular value 1.

    kind: 'gaussian' (entries N(0, 1/H)), 'orthogonal' (all singular values equal) or
    'non-normal' (``rnnlib.init.nonnormal``: equal eigenvalues, a strong upper shear).
    """
    check_choice("kind", kind, MATRIX_KINDS)
    H = check_positive_int("H", H, MAX_WIDTH)
    rng = np.random.default_rng(check_seed("seed", seed))
    if kind == "gaussian":
        W = _init.gaussian(H, rng)
    elif kind == "orthogonal":
        W = _init.orthogonal(H, rng)
    else:
        W = _init.nonnormal(H, rng, radius=0.9, shear=1.0)
    return _init.with_spectral_norm(W, 1.0)


def matrix_inputs(T: int, H: int, seed: int = 0) -> np.ndarray:
    """The matrix explorer's fixed input drive u_t = W_xh x_t + b_h: (T, H) standard normal draws.

    Drawn from ``default_rng(seed + 1)`` (not the scalar explorer's stream) as a (300, 64) block, then cut: for
    T <= 300 and H <= 64 the same seed gives the same first steps and units (a larger T or H draws a larger block).
    """
    T = check_positive_int("T", T, MAX_STEPS)
    H = check_positive_int("H", H, MAX_WIDTH)
    rng = np.random.default_rng(check_seed("seed", seed) + 1)
    return rng.standard_normal((max(T, _SEQUENCE), max(H, 64)))[:T, :H]


class MatrixCurves(NamedTuple):
    """H units, h_t = f(W_hh h_{t-1} + s u_t), with W_hh = sigma_max x a fixed matrix.

    lags (T + 1,); log10_norms (T + 1,): log10 ||dh_T/dh_{T-j}||_2 along the forward pass;
    bound (T + 1,): Pascanu et al.'s log10 (gamma sigma_max)^j; radius_line (T + 1,): j log10 rho,
    the long-run rate of powers of W_hh alone (a linear RNN; with f' varying per step the product
    follows the per-step Jacobians, not rho). sigma_max, rho, gamma: the numbers behind them.
    guaranteed: gamma sigma_max < 1 (vanishing guaranteed). final: log10_norms[-1]; peak and
    peak_lag: the largest value past lag 0 and where it occurs. regime: what was measured.
    readout: lines for the learner. verdict: one of ``VERDICTS``: below 1, vanishing guaranteed;
    equal to 1 (within ``EDGE``), the product cannot explode but need not vanish; above 1, explosion possible.
    eigenvalues (H,) complex and singular_values (H,), largest first: the spectrum of W_hh.
    """

    lags: np.ndarray
    log10_norms: np.ndarray
    bound: np.ndarray
    radius_line: np.ndarray
    sigma_max: float
    rho: float
    gamma: float
    guaranteed: bool
    final: float
    peak: float
    peak_lag: int
    regime: str
    readout: str
    verdict: str
    eigenvalues: np.ndarray
    singular_values: np.ndarray


def matrix_curves(
    sigma_max: float, kind: str = "gaussian", H: int = 32, T: int = 100, nonlinearity: str = "tanh",
    input_scale: float = 1.0, seed: int = 0, base: np.ndarray | None = None, every: int = 1,
) -> MatrixCurves:
    """The spectral norm of the Jacobian product along a real forward pass, beside Pascanu's bound.

    W_hh = sigma_max * ``recurrent_matrix(kind, H, seed)`` (pass ``base`` to reuse that matrix);
    the RNN runs on ``input_scale * matrix_inputs(T, H, seed)`` from h_0 = 0.
    Inputs: sigma_max > 0, kind, H, T >= 1, nonlinearity, input_scale; every: compute the norm at every
    ``every``-th lag only (and the last; NaN between: ``jacobian_log10_norms(..., every)``, the explorer's shortcut at
    large T H^2: ``log10_norms`` is NaN at the lags between; the peak is the largest computed). Returns: MatrixCurves.
    """
    sigma_max = check_finite_scalar("sigma_max", sigma_max)
    if sigma_max <= 0.0:
        raise ValueError(f"sigma_max: expected a positive number, got {sigma_max!r}")
    check_choice("kind", kind, MATRIX_KINDS)
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    H = check_positive_int("H", H, MAX_WIDTH)
    T = check_positive_int("T", T, MAX_STEPS)
    s = check_finite_scalar("input_scale", input_scale)
    check_seed("seed", seed)
    if base is None:
        base = recurrent_matrix(kind, H, seed)
    else:
        base = check_array("base", base, (("H", H), ("H", H)))
    W = sigma_max * base
    log_fprime = forward_log_derivatives(W, s * matrix_inputs(T, H, seed), nonlinearity)
    lags = np.arange(T + 1)
    norms = jacobian_log10_norms(W, log_fprime, every=every)      # NaN at the lags skipped (every > 1)
    bound = pascanu_log10_bound(W, lags, nonlinearity)
    sigma, rho, gamma = spectral_norm(W), spectral_radius(W), GAMMA[nonlinearity]
    radius_line = lags * np.log10(rho) if rho > 0 else np.where(lags == 0, 0.0, -np.inf)
    edge = abs(gamma * sigma - 1.0) <= EDGE
    guaranteed = bool(gamma * sigma < 1.0 and not edge)
    verdict = VERDICTS[0] if guaranteed else VERDICTS[1] if edge else VERDICTS[2]
    finite = np.where(np.isnan(norms), -np.inf, norms)
    peak_lag = int(np.argmax(finite[1:]) + 1)
    if every > 1 and rho < 1.0 and finite[peak_lag] > TRANSIENT:
        # the readout names the peak's lag: take the norms at every lag around the coarse peak (the product over
        # the last j steps uses only the last j entries of log_fprime, so these are the same bits as every=1)
        hi = min(T, peak_lag + every - 1)
        fine = jacobian_log10_norms(W, log_fprime[T - hi:], every=1)
        lo = max(1, peak_lag - every + 1)
        norms[lo:hi + 1] = fine[lo:hi + 1]
        finite = np.where(np.isnan(norms), -np.inf, norms)
        peak_lag = int(np.argmax(finite[1:]) + 1)
    peak, final = float(finite[peak_lag]), float(finite[-1])
    regime = _regime(final)
    # 3 decimals: 0.25 x 3.9 = 0.975 would round either way to 2
    head = tr("σ_max = {sigma:.2f}, spectral radius ρ = {rho:.2f}, γ = {gamma:g}: γ σ_max = {product:.3f}",
              sigma=sigma, rho=rho, gamma=gamma, product=gamma * sigma)
    if guaranteed:
        below = int(np.ceil(-DECADES / np.log10(gamma * sigma))) if gamma * sigma > 0 else 1
        rule = tr("below 1, so the product must decay geometrically (sufficient for vanishing): the bound is under "
                  "10^-{decades:g} from lag {below} on and falls to 10^{bound:+.1f} after T = {T} steps",
                  decades=DECADES, below=below, bound=bound[-1], T=T)
    elif edge:
        rule = tr("equal to 1, not below 1 and not above: the bound stays at 10^+0.0, so the product cannot "
                  "explode, but nothing forces it to vanish")
    else:
        rule = tr("not below 1, so explosion is possible, not guaranteed: the bound allows "
                  "10^{bound:+.1f} after T = {T} steps", bound=bound[-1], T=T)
    measured = tr("measured: ‖∂h_T/∂h_0‖ = 10^{final:+.1f} ({regime})", final=final, regime=word(regime))
    if rho < 1.0 and peak > TRANSIENT:
        measured += tr("; transient growth to 10^{peak:+.1f} at lag {lag} although ρ < 1", peak=peak, lag=peak_lag)
    return MatrixCurves(lags, norms, bound, radius_line, sigma, rho, gamma, guaranteed, final, peak, peak_lag,
                        regime, f"{head}\n{rule}\n{measured}", verdict, np.linalg.eigvals(W),
                        np.linalg.svd(W, compute_uv=False))


#: The spectral radius the sheared matrix keeps whatever its shear.
SHEAR_RADIUS = 0.9


def sheared_matrix(H: int, shear: float, seed: int = 0) -> np.ndarray:
    """W_hh = ``SHEAR_RADIUS`` I + a strictly upper shear (``rnnlib.init.nonnormal``): (H, H).

    Every eigenvalue is ``SHEAR_RADIUS`` whatever the shear, so rho stays fixed while the largest
    singular value grows with the shear (shear 0: a normal matrix, sigma_max = rho).
    The same seed gives the same upper pattern for every shear (only its size changes).
    """
    H = check_positive_int("H", H, MAX_WIDTH)
    shear = check_finite_scalar("shear", shear)
    if shear < 0.0:
        raise ValueError(f"shear: expected a shear >= 0, got {shear!r}")
    return _init.nonnormal(H, np.random.default_rng(check_seed("seed", seed)), radius=SHEAR_RADIUS, shear=shear)


#: The leak explorer's unit: H units, D inputs, T steps of standard normal inputs (``leak_curves``).
LEAK_SIZES = {"D": 4, "H": 16}


class LeakCurves(NamedTuple):
    """A leaky unit (fixed z) and a gated unit (learned gate started at z) beside the identity path (1 - z)^j.

    lags (T + 1,): 0..T. pure (T + 1,): j log10(1 - z), the identity path alone (-inf past lag 0 at z = 1).
    leaky (T + 1,): log10 ||dh_T/dh_{T-j}||_2 with the fixed gate z; gated (T + 1,): the same with the learned
    gate whose bias is logit(z) (so it starts near z). regime: the leaky product's after T steps. readout: lines.
    """

    lags: np.ndarray
    pure: np.ndarray
    leaky: np.ndarray
    gated: np.ndarray
    regime: str
    readout: str


def leak_curves(z: float, T: int = 100, seed: int = 0) -> LeakCurves:
    """The Jacobian products of ``rnnlib.gated``'s unit along a forward pass, against (1 - z)^j.

    Weights from ``gated.init_gated_params(D, H, 1, rng, gate_bias=logit(z))`` (``LEAK_SIZES``), inputs
    standard normal (T, 1, D), both from ``seed``; the leaky unit runs with the fixed gate z, the gated
    one with its learned gate. Inputs: z in (0, 1], T >= 1. Returns: LeakCurves.
    """
    from .. import gated as _gated

    z = check_finite_scalar("z", z)
    if not 0.0 < z <= 1.0:
        raise ValueError(f"z: expected a gate in (0, 1], got {z!r}")
    T = check_positive_int("T", T, MAX_STEPS)
    rng = np.random.default_rng(check_seed("seed", seed))
    D, H = LEAK_SIZES["D"], LEAK_SIZES["H"]
    X = rng.standard_normal((max(T, _SEQUENCE), 1, D))[:T]
    gate_bias = float(np.log(z) - np.log1p(-z)) if z < 1.0 else 40.0      # logit(z); sigmoid(40) = 1 in float64
    params = _gated.init_gated_params(D, H, 1, rng, gate_bias=gate_bias)
    _, leaky_cache = _gated.gated_forward(X, params, z=z)
    _, gated_cache = _gated.gated_forward(X, params)
    leaky = _gated.gated_jacobian_log10_norms(leaky_cache)
    gated = _gated.gated_jacobian_log10_norms(gated_cache)
    lags = np.arange(T + 1)
    if z < 1.0:
        pure = lags * np.log10(1.0 - z)
    else:
        pure = np.where(lags == 0, 0.0, -np.inf)
    regime = _regime(float(leaky[-1]))
    pure_text = f"10^{pure[-1]:+.1f}" if np.isfinite(pure[-1]) else tr("0 (z = 1: no identity path)")
    readout = (tr("{regime}: leaky ‖∂h_T/∂h_0‖ = 10^{leaky:+.1f} after T = {T} steps (z = {z:.2f}); "
                  "gated 10^{gated:+.1f}", regime=word(regime), leaky=leaky[-1], T=T, z=z, gated=gated[-1])
               + "\n" + tr("the identity path alone, (1 − z)^T = {pure}", pure=pure_text))
    return LeakCurves(lags, pure, leaky, gated, regime, readout)


#: The contribution explorer's "reach": the last lag whose |C[T,k]| is at least this share of the largest.
REACH_SHARE = 0.01
#: The contribution explorer reports the share of the total carried by this many most recent steps.
RECENT = 10


class ContributionCurves(NamedTuple):
    """BPTT's per-step contributions for the loss l_T = h_T of the scalar explorer's unit.

    lags (T,): 0..T-1. log10_contrib (T,): log10 |C[T, T-j]|, the part of dl_T/dw that flows
    through h_{T-j} (-inf where it is exactly 0: the first step's, since h_0 = 0). log10_jacobian (T,):
    log10 |dh_T/dh_{T-j}|, the factor every contribution at that lag carries. gradient: their
    signed sum, dl_T/dw. recent_share: the share of sum_k |C[T,k]| carried by the ``RECENT`` most
    recent steps. reach: the largest lag with |C| >= ``REACH_SHARE`` x the largest (-1 if all are 0).
    regime: the scalar explorer's, for the same settings. readout: one line for the learner.
    """

    lags: np.ndarray
    log10_contrib: np.ndarray
    log10_jacobian: np.ndarray
    gradient: float
    recent_share: float
    reach: int
    regime: str
    readout: str


def contribution_curves(
    w: float, T: int, nonlinearity: str = "linear", input_scale: float = 0.2, bias: float = 0.0, seed: int = 0
) -> ContributionCurves:
    """Which past steps the gradient still reaches: |C[T,k]| from ``rnnlib.bptt.contributions``.

    The unit of ``scalar_curves`` (same inputs, h_0 = 0) is run by ``rnn_forward``; the loss is its
    last state, l_T = h_T, so dl/dh_T = 1 and C[T,k] = (dh_T/dh_k) f'(a_k) h_{k-1}.
    Inputs: as ``scalar_curves``. Returns: ContributionCurves with arrays of shape (T,).
    """
    from ..bptt import contributions, rnn_backward
    from ..rnn import Params, rnn_forward

    scalar = scalar_curves(w, T, nonlinearity, input_scale, bias, seed)    # validates the arguments too
    one = np.ones((1, 1))
    params = Params(W_xh=input_scale * one, W_hh=w * one, b_h=np.array([float(bias)]), W_hy=one, b_y=np.zeros(1))
    _, cache = rnn_forward(scalar_inputs(T, seed)[:, None, None], params, nonlinearity=nonlinearity)
    dH = np.zeros((T, 1, 1))
    dH[-1] = 1.0                                                             # l_T = h_T
    contrib = contributions(dH, cache)[T - 1, ::-1]                         # by lag j = T-1-k
    gradient = float(rnn_backward(dH, cache)[3][0, 0])
    total = float(contrib.sum())
    with np.errstate(divide="ignore"):                                      # exact zeros -> -inf
        log10_contrib = np.log10(contrib)
    lags = np.arange(T)
    if total == 0.0:
        return ContributionCurves(lags, log10_contrib, scalar.log10_jacobian[:T], gradient, 0.0, -1, scalar.regime,
                                  tr("every contribution is 0: the states are all 0 (input scale and bias are 0), "
                                     "so dl_T/dw = 0"))
    recent = float(contrib[:RECENT].sum() / total)
    reach = int(np.flatnonzero(contrib >= REACH_SHARE * contrib.max())[-1])
    readout = tr("the last {recent} steps carry {share:.1f}% of sum |C[T,k]|; "
                 "contributions stay above {percent:g}% of the largest back to lag {reach} (of {last})",
                 recent=min(RECENT, T), share=100 * recent, percent=100 * REACH_SHARE, reach=reach, last=T - 1)
    with np.errstate(invalid="ignore"):                                     # -inf - -inf where both are 0
        state = log10_contrib - scalar.log10_jacobian[:T]                   # log10 |f'(a_k) h_{k-1}|
    shown = np.flatnonzero(np.isfinite(state))
    if shown.size >= 2:
        first, last = int(shown[0]), int(shown[-1])
        factor = {"near": state[first], "first": first, "far": state[last], "last": last}
        finite = log10_contrib[np.isfinite(log10_contrib)]
        if finite.max() - finite.min() < 2.0 and scalar.regime == "exploding":
            readout += "\n" + tr("C[T,k] = ∂h_T/∂h_k (dashed) × f′(a_k) h_(k−1): that second factor is 10^{near:+.1f} "
                                 "at lag {first} and 10^{far:+.1f} at lag {last}: going back, the Jacobian grows as "
                                 "fast as the state h_(k−1) shrinks, so the line is flat", **factor)
        else:
            readout += "\n" + tr("C[T,k] = ∂h_T/∂h_k (dashed) × f′(a_k) h_(k−1): that second factor is 10^{near:+.1f} "
                                 "at lag {first} and 10^{far:+.1f} at lag {last}", **factor)
    return ContributionCurves(lags, log10_contrib, scalar.log10_jacobian[:T], gradient, recent, reach,
                              scalar.regime, readout)


# ---------------------------------------------------------------------------------------------
# Representative settings: what the static figures of ``rnnlib.widgets`` (and a static copy of the
# notebook) show.

#: The values of w the scalar and contribution static figures draw.
STATIC_WS = (0.5, 0.9, 1.0, 1.1, 1.5)
#: The matrix static figure's panels: ``matrix_curves`` arguments, one dict per panel.
STATIC_MATRIX_PANELS = (
    {"sigma_max": 0.8, "kind": "gaussian", "nonlinearity": "tanh"},        # below 1/gamma: must vanish
    {"sigma_max": 1.1, "kind": "orthogonal", "nonlinearity": "linear"},    # above: explodes, on the bound
    {"sigma_max": 2.0, "kind": "gaussian", "nonlinearity": "tanh"},        # above: may vanish all the same
    {"sigma_max": 2.0, "kind": "non-normal", "nonlinearity": "linear", "T": 300},   # rho < 1, yet growth
)
