"""A gated (leaky) recurrent unit: the state is a running blend of its past and a new candidate.

    c_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)            (candidate, the vanilla RNN's update)
    z_t = sigmoid(W_xz x_t + W_hz h_{t-1} + b_z)         (update gate; or a fixed z in (0, 1])
    h_t = (1 - z_t) * h_{t-1} + z_t * c_t
    o_t = W_hy h_t + b_y

Its Jacobian is

    d h_t / d h_{t-1} = diag(1 - z_t) + diag(z_t (1 - c_t^2)) W_hh
                        + diag((c_t - h_{t-1}) z_t (1 - z_t)) W_hz     (last term: learned gate only)

With z_t small the first term, an identity scaled by 1 - z_t, dominates: along it each step
keeps a fraction 1 - z_t of the gradient, whatever W_hh does, so a fixed z keeps (1 - z)^n over
n steps (a time constant of about 1/z steps). Only a gate that drives z_t to 0 where memory is
needed makes that path lossless. z = 1 gives back the vanilla RNN.
This is the idea that the LSTM's cell state and the GRU's update gate make precise.

Shapes: T steps, B batch, D input, H hidden, O output; arrays are time-major.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validate import (
    MAX_WIDTH,
    check_array,
    check_cache,
    check_choice,
    check_finite_scalar,
    check_index,
    check_positive_int,
    check_rng,
    real_array,
)
from .activations import activate
from .jacobian import product_log10_norms
from .rnn import LOSSES, output_forward, output_loss


class GatedParams(NamedTuple):
    """The weights of the gated unit; gradients come back in the same container.

    W_xh: (H, D)  W_hh: (H, H)  b_h: (H,)   candidate
    W_xz: (H, D)  W_hz: (H, H)  b_z: (H,)   update gate (unused, gradient 0, with a fixed z)
    W_hy: (O, H)  b_y: (O,)                 output
    """

    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    W_xz: np.ndarray
    W_hz: np.ndarray
    b_z: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray

    @property
    def sizes(self) -> tuple[int, int, int]:
        """(D, H, O)."""
        return self.W_xh.shape[1], self.W_hh.shape[0], self.W_hy.shape[0]


class GatedCache(NamedTuple):
    """What ``gated_backward`` needs from ``gated_forward``.

    X (T, B, D); H (T, B, H) states; C (T, B, H) candidates; Z (T, B, H) gates;
    h_init (B, H); params; learned: whether Z came from the gate weights.
    """

    X: np.ndarray
    H: np.ndarray
    C: np.ndarray
    Z: np.ndarray
    h_init: np.ndarray
    params: GatedParams
    learned: bool


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return activate(a, "sigmoid")


def check_gated_params(params: GatedParams) -> GatedParams:
    """Return ``params`` as float64 arrays with consistent sizes, or raise ValueError."""
    if not isinstance(params, GatedParams):
        raise ValueError(f"params: expected an rnnlib.gated.GatedParams, got {type(params).__name__}")
    W_xh = check_array("params.W_xh", params.W_xh, (("H", None), ("D", None)))
    H, D = W_xh.shape
    W_hy = check_array("params.W_hy", params.W_hy, (("O", None), ("H", H)))
    return GatedParams(
        W_xh,
        check_array("params.W_hh", params.W_hh, (("H", H), ("H", H))),
        check_array("params.b_h", params.b_h, (("H", H),)),
        check_array("params.W_xz", params.W_xz, (("H", H), ("D", D))),
        check_array("params.W_hz", params.W_hz, (("H", H), ("H", H))),
        check_array("params.b_z", params.b_z, (("H", H),)),
        W_hy,
        check_array("params.b_y", params.b_y, (("O", W_hy.shape[0]),)),
    )


def check_gate(z: object, H: int) -> np.ndarray | None:
    """A fixed gate as an (H,) array with entries in (0, 1], or None for the learned gate."""
    if z is None:
        return None
    H = check_positive_int("H", H, MAX_WIDTH)
    arr = real_array("z", z, finite=False)
    if arr.ndim == 0:
        arr = np.full(H, check_finite_scalar("z", arr))
    arr = check_array("z", arr, (("H", H),))
    if np.any(arr <= 0) or np.any(arr > 1):
        raise ValueError(f"z: expected a fixed gate in (0, 1], got values from {arr.min():g} to {arr.max():g}")
    return arr


def init_gated_params(
    D: int, H: int, O: int, rng: np.random.Generator, *, gate_bias: float = -2.0, W_hh: np.ndarray | None = None
) -> GatedParams:
    """Small random weights (entries ~ N(0, 1/fan_in)), b_h = b_y = 0 and b_z = gate_bias.

    A negative gate_bias starts the gate near sigmoid(gate_bias) (0.12 for -2): the unit begins
    by remembering, h_t close to h_{t-1}, which is what lets it learn long lags in a short budget.
    Inputs: sizes D, H, O; rng; gate_bias; optionally a ready W_hh (H, H). Returns: GatedParams.
    """
    D, H, O = (check_positive_int(n, v, MAX_WIDTH) for n, v in (("D", D), ("H", H), ("O", O)))
    check_rng("rng", rng)
    gate_bias = check_finite_scalar("gate_bias", gate_bias)
    if W_hh is None:
        W_hh = rng.normal(0.0, 1.0 / np.sqrt(H), (H, H))
    W_hh = check_array("W_hh", W_hh, (("H", H), ("H", H)))
    return GatedParams(
        W_xh=rng.normal(0.0, 1.0 / np.sqrt(D), (H, D)),
        W_hh=W_hh.copy(),
        b_h=np.zeros(H),
        W_xz=rng.normal(0.0, 1.0 / np.sqrt(D), (H, D)),
        W_hz=rng.normal(0.0, 1.0 / np.sqrt(H), (H, H)),
        b_z=np.full(H, gate_bias),
        W_hy=rng.normal(0.0, 1.0 / np.sqrt(H), (O, H)),
        b_y=np.zeros(O),
    )


def gated_forward(
    X: np.ndarray, params: GatedParams, h_init: np.ndarray | None = None, z: float | np.ndarray | None = None
) -> tuple[np.ndarray, GatedCache]:
    """Run the gated recurrence over a sequence.

    Inputs: X (T, B, D); params; h_init (B, H) or None for zeros; z None for the learned gate,
    or a fixed gate, a scalar or an (H,) array in (0, 1] (z = 1 is the vanilla tanh RNN).
    Returns: H (T, B, H) with H[t-1] = h_t, and a GatedCache for ``gated_backward``.
    """
    p = check_gated_params(params)
    D, Hn, _ = p.sizes
    X = check_array("X", X, (("T", None), ("B", None), ("D", D)))
    T, B, _ = X.shape
    h = np.zeros((B, Hn)) if h_init is None else check_array("h_init", h_init, (("B", B), ("H", Hn)))
    h_init = h
    fixed = check_gate(z, Hn)
    Hs, Cs, Zs = (np.empty((T, B, Hn)) for _ in range(3))
    if fixed is not None:
        A = X @ p.W_xh.T + p.b_h                   # input parts of every step at once: (T, B, H)
        W_T = p.W_hh.T
        Zs[:] = fixed
        for t in range(T):
            c = Cs[t] = np.tanh(A[t] + h @ W_T)
            h = Hs[t] = h + fixed * (c - h)        # (1 - z) h_{t-1} + z c_t
    else:
        # candidate and gate pre-activations side by side: (T, B, 2H), one product per step
        AG = X @ np.concatenate([p.W_xh, p.W_xz]).T + np.concatenate([p.b_h, p.b_z])
        W_T = np.concatenate([p.W_hh, p.W_hz]).T   # (H, 2H)
        for t in range(T):
            ag = AG[t] + h @ W_T
            c = Cs[t] = np.tanh(ag[:, :Hn])
            zt = Zs[t] = _sigmoid(ag[:, Hn:])
            h = Hs[t] = h + zt * (c - h)           # (1 - z) h_{t-1} + z c_t
    return Hs, GatedCache(X, Hs, Cs, Zs, h_init, p, fixed is None)


def gated_backward(dH: np.ndarray, cache: GatedCache) -> tuple[np.ndarray, np.ndarray, GatedParams]:
    """Full BPTT through the gated unit.

    Inputs: dH (T, B, H), the gradient arriving at each h_t from o_t; cache from ``gated_forward``.
    Returns: dX (T, B, D), dh_init (B, H), and the gradients of the recurrent weights as
    GatedParams (W_hy and b_y entries are zero: ``gated_loss_and_grads`` fills them).
    """
    check_cache("cache", cache, GatedCache, "gated_forward")
    p = cache.params
    T, B, Hn = cache.H.shape
    dH = check_array("dH", dH, (("T", T), ("B", B), ("H", Hn)))
    H_prev = np.concatenate([cache.h_init[None], cache.H[:-1]])
    Z, C = cache.Z, cache.C
    dAG = np.zeros((T, B, 2 * Hn))                # [dLoss/da_t, dLoss/dg_t]: candidate and gate pre-activations
    tanh_p = Z * (1.0 - C * C)                    # dh_t/da_t: z_t tanh'(a_t)
    sig_p = (C - H_prev) * Z * (1.0 - Z)          # dh_t/dg_t: (c_t - h_{t-1}) sigmoid'(g_t)
    W = np.concatenate([p.W_hh, p.W_hz]) if cache.learned else p.W_hh
    width = 2 * Hn if cache.learned else Hn
    carry = np.zeros((B, Hn))                     # dLoss/dh_t through h_{t+1}, h_{t+2}, ...
    for t in range(T - 1, -1, -1):
        dh = dH[t] + carry
        dAG[t, :, :Hn] = dh * tanh_p[t]           # through the candidate's tanh
        if cache.learned:
            dAG[t, :, Hn:] = dh * sig_p[t]        # through the gate: dh_t/dz_t = c_t - h_{t-1}, then sigmoid'
        carry = dh * (1.0 - Z[t]) + dAG[t, :, :width] @ W   # the leak: an identity scaled by 1 - z_t
    dX, grads = _gated_weight_grads(dAG, H_prev, cache)   # each step's immediate partials, summed over t
    return dX, carry, grads


def _gated_weight_grads(dAG: np.ndarray, H_prev: np.ndarray, cache: GatedCache) -> tuple[np.ndarray, GatedParams]:
    """The weight gradients from dA and dG, outer products as in ``rnn_backward``: dW_xh = sum_t da_t^T x_t,
    dW_hh = sum_t da_t^T h_{t-1}, db_h = sum_t da_t, and the same for the gate's W_xz, W_hz, b_z with dg_t.

    Inputs: dAG (T, B, 2H), [dLoss/da_t, dLoss/dg_t]; H_prev (T, B, H), h_{t-1} of every step; the cache.
    Returns: dX (T, B, D) and GatedParams (W_hy and b_y entries zero).
    """
    p = cache.params
    T, B, Hn = H_prev.shape
    dA, dG = dAG[..., :Hn], dAG[..., Hn:]
    flatA, flatG = dA.reshape(T * B, Hn), dG.reshape(T * B, Hn)
    Xf, Hpf = cache.X.reshape(T * B, -1), H_prev.reshape(T * B, Hn)
    dX = dA @ p.W_xh + dG @ p.W_xz
    grads = GatedParams(
        flatA.T @ Xf, flatA.T @ Hpf, flatA.sum(axis=0),
        flatG.T @ Xf, flatG.T @ Hpf, flatG.sum(axis=0),
        np.zeros_like(p.W_hy), np.zeros_like(p.b_y),
    )
    return dX, grads


def gated_loss_and_grads(
    params: GatedParams,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    loss: str = "xent",
    mask: np.ndarray | None = None,
    h_init: np.ndarray | None = None,
    z: float | np.ndarray | None = None,
) -> tuple[float, GatedParams, np.ndarray]:
    """Forward, loss and BPTT in one call.

    Inputs: params; X (T, B, D); Y (T, B, O) for loss='mse' or (T, B) classes for 'xent';
    mask (T,) or (T, B); h_init (B, H) or None; z None (learned gate) or a fixed gate.
    Returns: Loss, its gradient as GatedParams, and dLoss/dh_init (B, H).
    """
    check_choice("loss", loss, LOSSES)
    Hs, cache = gated_forward(X, params, h_init, z)
    value, dHs, dW_hy, db_y = output_loss(Hs, cache.params.W_hy, cache.params.b_y, Y, loss, mask)
    _, dh_init, g = gated_backward(dHs, cache)
    return value, g._replace(W_hy=dW_hy, b_y=db_y), dh_init


def gated_predict(
    params: GatedParams, X: np.ndarray, h_init: np.ndarray | None = None, z: float | np.ndarray | None = None
) -> np.ndarray:
    """Outputs O (T, B, O) for inputs X (T, B, D)."""
    Hs, cache = gated_forward(X, params, h_init, z)
    return output_forward(Hs, cache.params.W_hy, cache.params.b_y)[0]


def _check_fixed_gate(z: object) -> None:
    if z is not None:
        arr = real_array("z", z, finite=False)
        check_gate(z, max(arr.size, 1) if arr.ndim == 1 else 1)


def gated_grad_fn(z: float | np.ndarray | None = None):
    """The gated unit's ``rnnlib.train.GradFn``: cross-entropy at masked steps, full BPTT."""
    _check_fixed_gate(z)

    def grad_fn(params, X, Y, mask):
        value, grads, _ = gated_loss_and_grads(params, X, Y, loss="xent", mask=mask, z=z)
        return value, grads

    return grad_fn


def gated_predict_fn(z: float | np.ndarray | None = None):
    """The gated unit's ``rnnlib.train.PredictFn``."""
    _check_fixed_gate(z)

    def predict_fn(params, X):
        return gated_predict(params, X, z=z)

    return predict_fn


def gated_jacobians(cache: GatedCache, b: int = 0) -> np.ndarray:
    """d h_t / d h_{t-1} for every step of batch element ``b``: (T, H, H).

    J_t = diag(1 - z_t) + diag(z_t (1 - c_t^2)) W_hh [+ diag((c_t - h_{t-1}) z_t (1 - z_t)) W_hz].
    """
    check_cache("cache", cache, GatedCache, "gated_forward")
    T, B, Hn = cache.H.shape
    b = check_index("b", b, B)
    p = cache.params
    z, c = cache.Z[:, b], cache.C[:, b]
    h_prev = np.concatenate([cache.h_init[b][None], cache.H[:-1, b]])
    J = (z * (1.0 - c * c))[:, :, None] * p.W_hh[None]
    if cache.learned:
        J += ((c - h_prev) * z * (1.0 - z))[:, :, None] * p.W_hz[None]
    J[:, np.arange(Hn), np.arange(Hn)] += 1.0 - z
    return J


def chain_log10_norms(J: np.ndarray) -> np.ndarray:
    """log10 || J_{T-1} J_{T-2} ... J_{T-j} ||_2 for j = 0..T: how much of the last step's gradient
    survives j steps back. Inputs: J (T, H, H), e.g. from ``gated_jacobians``. Returns: (T + 1,).
    The log-space product of ``rnnlib.jacobian.product_log10_norms``.
    """
    return product_log10_norms(J)


def gated_jacobian_log10_norms(cache: GatedCache, b: int = 0) -> np.ndarray:
    """log10 || d h_T / d h_{T-j} ||_2 for j = 0..T (j = T: h_0) along the forward pass of batch element b.

    The gated counterpart of ``rnnlib.jacobian.jacobian_log10_norms``. Returns: (T + 1,).
    """
    return chain_log10_norms(gated_jacobians(cache, b))
