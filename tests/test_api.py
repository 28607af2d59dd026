"""The whole public API under bad and equivalent input (issue 14).

``TABLE`` holds one entry per public function: a builder of a valid call, and for each argument its
kind. Every kind has a catalogue of bad values (``BAD``) and, for arrays, of equivalent values
(``SAME``: a list, a read-only array, a strided view). For every function:

* the valid call returns no NaN, emits no warning and changes none of its inputs;
* each argument replaced in turn by each bad value raises ``ValueError`` whose message starts with
  the argument's name and says what was expected and what arrived; never another exception type, a
  warning, a NaN result, a changed input or a call slower than ``SLOW`` seconds;
* each array replaced by an equivalent value gives the same result as the valid call;
* hypothesis (derandomized) puts NaN or inf at any entry of any array argument, and mixes the
  equivalent forms of all array arguments at once.

Adding an entry: ``TABLE["module.function"] = entry(builder, arg=KIND, ...)``. A public function
with no entry (and not in ``NOT_IN_TABLE`` with a reason) fails ``test_every_public_function_has_an_entry``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pytest
from helpers import MOVED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rnnlib
from rnnlib import cliff, gated, jacobian, rnn, stack, tasks, train

SLOW = 3.0          # seconds: a bad call must be refused at once


# --- kinds of argument and their catalogues ----------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    name: str                          # array, size, index, seed, scalar, positive, choice, rng, tree, callable, ...
    fixed: tuple[int, ...] = ()        # arrays: the axes whose length is set by another argument
    any_shape: bool = False            # arrays: elementwise functions accept every shape
    optional: bool = False             # None is a valid value
    limit: int | None = None           # index: the first out-of-range value
    extra: tuple = ()                  # more bad values, (label, value)
    same: bool = True                  # arrays: take part in the equivalent-value checks
    skip: tuple[str, ...] = ()         # catalogue labels that are valid for this argument


def A(*fixed: int, **kw) -> Kind:
    return Kind("array", fixed=fixed, **kw)


SIZE, SEED, SCALAR, POS, RNG, CALL, CHOICE = (Kind(n) for n in ("size", "seed", "scalar", "positive", "rng",
                                                                 "callable", "choice"))
OPT_SIZE, OPT_POS = Kind("size", optional=True), Kind("positive", optional=True)
TREE = Kind("tree")


class Other(NamedTuple):
    """A NamedTuple of the wrong kind: another model's container."""

    a: np.ndarray


MODEL = Kind("tree", extra=(("other NamedTuple", Other(np.zeros(2))),))      # a model's own parameters


def _axis_plus_one(x: np.ndarray, axis: int) -> np.ndarray:
    return np.concatenate([x, np.take(x, [0], axis=axis)], axis=axis)


def bad_values(kind: Kind, valid: Any) -> list[tuple[str, Any]]:
    """The catalogue: (label, bad value) for an argument of this kind whose valid value is ``valid``."""
    out: list[tuple[str, Any]] = []
    if kind.name == "array" and valid is None:     # an optional array left out of the valid call
        out += [("a string", "abc"), ("objects", np.array([None], dtype=object)), ("complex", np.array([1j]))]
    elif kind.name == "array":
        x = np.asarray(valid, dtype=np.float64)
        if not kind.any_shape:
            out.append(("ndim+1", x[..., None]))
            if x.ndim >= 1:
                out.append(("ndim-1", x[0]))
            for axis in range(x.ndim):
                out.append((f"empty axis {axis}", np.take(x, [], axis=axis)))
            for axis in kind.fixed:
                out.append((f"size+1 axis {axis}", _axis_plus_one(x, axis)))
        for label, v in (("nan", np.nan), ("+inf", np.inf), ("-inf", -np.inf)):
            y = x.copy()
            y.reshape(-1)[-1] = v
            out.append((label, y))
        out += [("complex", x + 0j), ("complex entry", x + (np.arange(x.size).reshape(x.shape) == 0) * 1j),
                ("strings", x.astype(str)), ("a string", "abc"), ("objects", np.array([None], dtype=object))]
        if not kind.optional:
            out.append(("None", None))
    elif kind.name == "size":
        out += [("0", 0), ("-1", -1), ("float", 1.5), ("integral float", 2.0), ("bool", True), ("string", "3"),
                ("huge", 10**12), ("huger", 2**64), ("array", np.array([2]))]
        if not kind.optional:
            out.append(("None", None))
    elif kind.name == "index":
        out += [("-1", -1), ("out of range", kind.limit), ("float", 0.5), ("bool", True), ("string", "0"),
                ("None", None), ("huge", 2**64)]
    elif kind.name == "seed":
        out += [("-1", -1), ("float", 1.5), ("string", "0"), ("None", None), ("bool", True), ("huge", 2**64),
                ("rng", np.random.default_rng(0))]
    elif kind.name in ("scalar", "positive"):
        out += [("nan", np.nan), ("+inf", np.inf), ("-inf", -np.inf), ("complex", 1 + 2j),
                ("numpy complex", np.complex128(1.0)), ("string", "1"), ("bool", True), ("list", [1.0]),
                ("huge int", 10**400)]
        if kind.name == "positive":
            out += [("0", 0.0), ("-1", -1.0)]
        if not kind.optional:
            out.append(("None", None))
    elif kind.name == "choice":
        out += [("unknown", "bogus"), ("None", None), ("int", 7), ("list", [valid]), ("bytes", b"tanh"),
                ("array", np.array(["tanh"]))]
    elif kind.name == "rng":
        out += [("None", None), ("int", 0), ("RandomState", np.random.RandomState(0)), ("string", "rng")]
    elif kind.name == "callable":
        out += [("int", 3), ("string", "f"), ("dict", {})]
        if not kind.optional:
            out.append(("None", None))
    elif kind.name == "tree":
        leaf0 = valid._fields[-1]
        out += [("None", None), ("dict", dict(valid._asdict())), ("plain tuple", tuple(valid)), ("int", 3),
                ("nan leaf", valid._replace(**{leaf0: np.full(np.shape(getattr(valid, leaf0)), np.nan)})),
                ("inf leaf", valid._replace(**{leaf0: np.full(np.shape(getattr(valid, leaf0)), np.inf)})),
                ("complex leaf", valid._replace(**{leaf0: np.asarray(getattr(valid, leaf0)) + 1j})),
                ("string leaf", valid._replace(**{leaf0: "w"}))]
    elif kind.name == "cache":
        out += [("None", None), ("tuple", (1, 2)), ("dict", {})]
    elif kind.name == "text":
        out += [("int", 3), ("bytes", b"x"), ("list", ["x"])]
        if not kind.optional:
            out.append(("None", None))
    elif kind.name == "other":
        pass
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(kind)
    return [(label, v) for label, v in out if label not in kind.skip] + list(kind.extra)


def _readonly(x: np.ndarray) -> np.ndarray:
    x = np.array(x, dtype=np.float64)
    x.flags.writeable = False
    return x


def same_values(kind: Kind, valid: Any) -> list[tuple[str, Any]]:
    """Equivalent values of an array argument: the same numbers as a list, read-only, and as a strided view."""
    if kind.name != "array" or not kind.same or valid is None:
        return []
    x = np.asarray(valid, dtype=np.float64)
    ro = x.copy()
    ro.flags.writeable = False
    big = np.zeros(tuple(2 * n for n in x.shape))
    view = big[tuple(slice(None, None, 2) for _ in x.shape)]
    view[...] = x
    return [("list", x.tolist()), ("read-only", ro), ("strided view", view)]


# --- the table --------------------------------------------------------------------------------------------

@dataclass
class Entry:
    build: Any                                       # () -> dict of a valid call's keyword arguments
    kinds: dict[str, Kind] = field(default_factory=dict)


def entry(build, **kinds: Kind) -> Entry:
    return Entry(build, kinds)


T, B, D, H, O = 4, 2, 3, 5, 2


def _rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def _params(seed: int = 1) -> rnn.Params:
    p = rnnlib.init_params(D, H, O, _rng(seed))
    return p._replace(b_h=np.full(H, 0.1), b_y=np.full(O, -0.1))


def _gparams(seed: int = 2) -> gated.GatedParams:
    return gated.init_gated_params(D, H, O, _rng(seed))


def _X(seed: int = 3) -> np.ndarray:
    return _rng(seed).normal(size=(T, B, D))


def _Y() -> np.ndarray:
    return np.array([[0, 1], [1, 0], [1, 1], [0, 0]])


def _cache():
    return rnnlib.rnn_forward(_X(), _params())[1]


def _gcache(z=None):
    return gated.gated_forward(_X(), _gparams(), z=z)[1]


def _dH(seed: int = 4) -> np.ndarray:
    return _rng(seed).normal(size=(T, B, H))


def _step():
    x, h = _rng(5).normal(size=(B, D)), _rng(6).normal(size=(B, H))
    p = _params()
    return dict(x=x, h_prev=h, W_xh=p.W_xh, W_hh=p.W_hh, b_h=p.b_h)


class G(NamedTuple):
    """A two-array gradient container, as in tests/test_train.py."""

    a: np.ndarray
    b: np.ndarray


def _g(seed: int = 7, scale: float = 3.0) -> G:
    r = _rng(seed)
    return G(r.normal(size=(3, 2)) * scale, r.normal(size=4) * scale)


def _batch():
    return tasks.recall_task(3, 4, _rng(8))


def _sq():
    return np.array([[0.5, 0.2, 0.0], [0.1, 0.9, 0.3], [0.0, -0.4, 0.7]])


def _lf():
    return jacobian.forward_log_derivatives(_sq(), _rng(9).normal(size=(6, 3)))


ALL = dict(nonlinearity=CHOICE)
CACHE = Kind("cache")
LABELS = Kind("array", fixed=(0, 1), extra=(("out of range", np.full((T, B), O)), ("negative", -np.ones((T, B))),
                                           ("fraction", np.full((T, B), 0.5))), same=False)
MASK = Kind("array", optional=True, fixed=(0,), extra=(("negative", -np.ones(T)),))
GATE_FN = Kind("array", optional=True, any_shape=True, same=False,
               extra=(("0", 0.0), ("1.5", 1.5), ("matrix", np.full((H, H), 0.5))))
GATE = Kind("array", optional=True, any_shape=True, same=False,
            extra=(*GATE_FN.extra, ("wrong length", np.full(H + 1, 0.5))))


def _check_gradients_args():
    arrays = {"w": np.array([0.3, -0.2])}

    def loss_fn():
        return float(np.sum(arrays["w"] ** 2))

    return dict(loss_fn=loss_fn, arrays=arrays, grads={"w": 2 * arrays["w"].copy()})


def _numgrad_args():
    x = np.array([0.5, -1.0, 2.0])
    return dict(f=lambda: float(np.sum(np.sin(x))), x=x)


def _train_args():
    return dict(params=_train_params(), make_batch=lambda r: tasks.recall_task(2, 4, r, 2), rng=_rng(10), steps=2,
                lr=0.01, grad_fn=train.vanilla_grad_fn())


def _train_params():
    return rnnlib.init_params(4, H, 2, _rng(11))


# stacks: S models along a leading axis; X (T, S, B, D), Y (T, S, B)
S = 2


def _stk(gated_unit: bool = False):
    init = gated.init_gated_params if gated_unit else rnnlib.init_params
    return stack.stack([init(D, H, O, _rng(30 + s)) for s in range(S)])


def _SX(seed: int = 31) -> np.ndarray:
    return _rng(seed).normal(size=(T, S, B, D))


def _SY() -> np.ndarray:
    return np.stack([_Y(), _Y()[::-1]], axis=1)


def _strain_stack():
    return stack.stack([rnnlib.init_params(4, H, 2, _rng(32 + s)) for s in range(S)])


def _sbatches():
    return [tasks.recall_task(3, 5, _rng(20 + s), 2) for s in range(S)]


def _sbatches_with(s: int, **fields):
    out = _sbatches()
    out[s] = out[s]._replace(**fields)
    return out


STACK = Kind("tree", extra=(("other NamedTuple", Other(np.zeros(2))), ("solo params", _params()),
                            ("other sizes", stack.stack([_params(), _params()])._replace(b_h=np.zeros((S, H + 1)))),
                            ("other S", stack.stack([_params(), _params()])._replace(b_y=np.zeros((S + 1, O))))))
SLABELS = Kind("array", fixed=(0, 1, 2), same=False, extra=(("out of range", np.full((T, S, B), O)),
                                                           ("negative", -np.ones((T, S, B))),
                                                           ("fraction", np.full((T, S, B), 0.5))))
SMASK = A(0, extra=(("negative", -np.ones(T)),))
LAGS = Kind("other", extra=(("None", None), ("empty", []), ("0", [0]), ("negative", [-1]), ("float", [1.5]),
                            ("string", "12"), ("nested", [[1]]), ("bool", [True]), ("an int", 2), ("huge", [10**12])))
SEEDS = Kind("other", extra=(("None", None), ("empty", []), ("negative", [-1]), ("float", [0.5]), ("string", "0"),
                             ("huge", [2**64]), ("bool", [True]), ("an int", 0), ("rng", [np.random.default_rng(0)])))
N_SYMBOLS = Kind("size", extra=(("1", 1),))


def _init4(r):
    return rnnlib.init_params(4, 3, 2, r)


def _sweep_args(**kw):
    return dict(lags=[1, 2], seeds=[0], steps=2, batch=4, n_symbols=2, n_test=10, **kw)


ACC = np.array([[1.0, 0.95, 0.3], [0.5, 0.25, 0.6]])
TABLE_ROWS = Kind("other", extra=(("None", None), ("empty", {}), ("a list", [ACC]), ("int label", {1: ACC}),
                                 ("other L", {"a": ACC[:1]}), ("nan", {"a": np.full((2, 3), np.nan)}),
                                 ("above 1", {"a": np.full((2, 3), 1.5)}), ("strings", {"a": ACC.astype(str)}),
                                 ("one axis", {"a": np.ones(2)})))
ACC_KIND = A(extra=(("above 1", np.full((2, 3), 1.5)), ("negative", np.full((2, 3), -0.1))))


TABLE: dict[str, Entry] = {
    # activations
    "activations.activate": entry(lambda: dict(a=_X(), nonlinearity="sigmoid"), a=A(any_shape=True), **ALL,
                                  out=Kind("other", extra=(("list", [0.0]), ("wrong shape", np.zeros(2)),
                                                           ("int array", np.zeros((T, B, D), dtype=int))))),
    "activations.derivative_from_output": entry(lambda: dict(h=np.tanh(_X()), nonlinearity="tanh"),
                                                h=A(any_shape=True), **ALL),
    "activations.log_derivative": entry(lambda: dict(a=_X(), nonlinearity="sigmoid"), a=A(any_shape=True), **ALL),
    # rnn
    "rnn.check_params": entry(lambda: dict(params=_params()), params=MODEL),
    "rnn.init_params": entry(lambda: dict(D=D, H=H, O=O, rng=_rng()), D=SIZE, H=SIZE, O=SIZE, rng=RNG,
                             W_hh=A(0, 1, optional=True)),
    "rnn.rnn_step_forward": entry(_step, x=A(1), h_prev=A(0, 1), W_xh=A(), W_hh=A(0, 1), b_h=A(0),
                                  nonlinearity=CHOICE),
    "rnn.rnn_step_backward": entry(lambda: dict(dh=_rng(12).normal(size=(B, H)),
                                                cache=rnnlib.rnn_step_forward(**_step())[1]),
                                   dh=A(0, 1), cache=Kind("cache", extra=(("output cache", rnnlib.output_forward(
                                       _dH(), _params().W_hy, _params().b_y)[1]),))),
    "rnn.rnn_forward": entry(lambda: dict(X=_X(), params=_params(), h_init=_rng(13).normal(size=(B, H))),
                             X=A(2), params=MODEL, h_init=A(0, 1, optional=True), nonlinearity=CHOICE),
    "rnn.preactivations": entry(lambda: dict(cache=_cache()), cache=Kind("cache", extra=(("gated cache", _gcache()),))),
    "rnn.output_forward": entry(lambda: dict(Hs=_dH(), W_hy=_params().W_hy, b_y=_params().b_y),
                                Hs=A(), W_hy=A(1), b_y=A(0)),
    "rnn.output_backward": entry(lambda: dict(dO=_rng(14).normal(size=(T, B, O)),
                                              cache=rnnlib.output_forward(_dH(), _params().W_hy, _params().b_y)[1]),
                                 dO=A(0, 1, 2), cache=Kind("cache", extra=(("step cache", rnnlib.rnn_step_forward(
                                     **_step())[1]),))),
    "rnn.squared_error": entry(lambda: dict(O=_rng(15).normal(size=(T, B, O)), Y=_rng(16).normal(size=(T, B, O)),
                                            mask=np.array([1.0, 0.0, 1.0, 1.0])), O=A(), Y=A(0, 1, 2), mask=MASK),
    "rnn.softmax_cross_entropy": entry(lambda: dict(O=_rng(15).normal(size=(T, B, O)), Y=_Y(),
                                                    mask=np.array([1.0, 0.0, 1.0, 1.0])), O=A(), Y=LABELS, mask=MASK),
    "rnn.output_loss": entry(lambda: dict(Hs=_dH(), W_hy=_params().W_hy, b_y=_params().b_y, Y=_Y(), loss="xent",
                                          mask=np.ones(T)), Hs=A(), W_hy=A(1), b_y=A(0), Y=LABELS, loss=CHOICE,
                             mask=MASK),
    "rnn.predict": entry(lambda: dict(X=_X(), params=_params()), X=A(2), params=TREE, h_init=A(0, 1, optional=True),
                         nonlinearity=CHOICE),
    # bptt
    "bptt.rnn_backward": entry(lambda: dict(dH=_dH(), cache=_cache()), dH=A(0, 1, 2), cache=CACHE),
    "bptt.truncated_bptt": entry(lambda: dict(dH=_dH(), cache=_cache(), K=2), dH=A(0, 1, 2), cache=CACHE, K=SIZE),
    "bptt.chunked_bptt": entry(lambda: dict(dH=_dH(), cache=_cache(), K=2), dH=A(0, 1, 2), cache=CACHE, K=SIZE),
    "bptt.contributions": entry(lambda: dict(dH=_dH(), cache=_cache()), dH=A(0, 1, 2), cache=CACHE),
    "bptt.loss_and_grads": entry(lambda: dict(params=_params(), X=_X(), Y=_Y(), mask=np.ones(T), truncate=2),
                                 params=TREE, X=A(2), Y=LABELS, loss=CHOICE, mask=MASK,
                                 h_init=A(0, 1, optional=True), nonlinearity=CHOICE, truncate=OPT_SIZE),
    # jacobian
    "jacobian.forward_log_derivatives": entry(lambda: dict(W_hh=_sq(), U=_rng(9).normal(size=(6, 3)),
                                                           h_init=np.array([0.1, 0.2, 0.3])),
                                              W_hh=A(0, 1), U=A(1), nonlinearity=CHOICE, h_init=A(0, optional=True)),
    "jacobian.cache_log_derivatives": entry(lambda: dict(cache=_cache(), b=1), cache=CACHE,
                                            b=Kind("index", limit=B)),
    "jacobian.jacobian_log10_norms": entry(lambda: dict(W_hh=_sq(), log_fprime=_lf(), ord="fro", every=1),
                                           W_hh=A(0, 1), log_fprime=A(1), ord=CHOICE, every=SIZE),
    "jacobian.product_log10_norms": entry(lambda: dict(J=_rng(17).normal(size=(5, 3, 3))), J=A(1, 2), ord=CHOICE),
    "jacobian.influence_log10_norms": entry(lambda: dict(W_hh=_sq(), log_fprime=_lf(),
                                                         W_xh=_rng(18).normal(size=(3, 2))),
                                            W_hh=A(0, 1), log_fprime=A(1), W_xh=A(0, optional=True), ord=CHOICE),
    "jacobian.scalar_log10_jacobian": entry(lambda: dict(w=0.7, log_fprime=_lf()[:, 0]), w=SCALAR,
                                            log_fprime=A(skip=("ndim+1",), extra=(("two units", _lf()),))),
    "jacobian.singular_values": entry(lambda: dict(W=_sq()), W=A(0, 1)),
    "jacobian.spectral_norm": entry(lambda: dict(W=_sq()), W=A(0, 1)),
    "jacobian.spectral_radius": entry(lambda: dict(W=_sq()), W=A(0, 1)),
    "jacobian.pascanu_log10_bound": entry(lambda: dict(W_hh=_sq(), lags=np.arange(5.0), nonlinearity="sigmoid"),
                                          W_hh=A(0, 1), lags=A(any_shape=True, extra=(("negative", [-1.0]),)),
                                          nonlinearity=CHOICE),
    # gradcheck
    "gradcheck.numerical_gradient": entry(_numgrad_args, f=CALL, x=A(any_shape=True, same=False, extra=(
        ("list", [0.5, 1.0]), ("read-only", _readonly(np.zeros(3))), ("strided view", np.zeros(6)[::2]),
        ("int array", np.arange(3)), ("empty", np.zeros(0)))),
        eps=POS),
    "gradcheck.rel_error": entry(lambda: dict(a=np.array([1.0, 2.0]), b=np.array([1.0, 2.1])), a=A(any_shape=True),
                                 b=A(any_shape=True, extra=(("other shape", np.zeros(3)),))),
    "gradcheck.check_gradients": entry(_check_gradients_args, loss_fn=CALL, eps=POS,
                                       arrays=Kind("other", extra=(("None", None), ("list", [np.zeros(2)]),
                                                                   ("list entry", {"w": [0.3, -0.2]}),
                                                                   ("nan entry", {"w": np.array([np.nan, 0.0])}),
                                                                   ("empty", {}))),
                                       grads=Kind("other", extra=(("None", None), ("other names", {"v": np.zeros(2)}),
                                                                  ("other shape", {"w": np.zeros(3)}),
                                                                  ("complex", {"w": np.zeros(2) + 1j}),
                                                                  ("nan", {"w": np.array([np.nan, 1.0])})))),
    # init
    "init.gaussian": entry(lambda: dict(H=4, rng=_rng(), std=0.3), H=SIZE, rng=RNG,
                           std=Kind("scalar", optional=True, extra=(("negative", -1.0),))),
    "init.orthogonal": entry(lambda: dict(H=4, rng=_rng(), gain=1.2), H=SIZE, rng=RNG, gain=SCALAR),
    "init.scaled_identity": entry(lambda: dict(H=4, scale=0.5), H=SIZE, scale=SCALAR),
    "init.nonnormal": entry(lambda: dict(H=4, rng=_rng(), radius=0.9, shear=1.0), H=SIZE, rng=RNG, radius=SCALAR,
                            shear=Kind("scalar", extra=(("negative", -1.0),))),
    "init.with_spectral_radius": entry(lambda: dict(W=_sq(), radius=0.9), radius=POS,
                                       W=A(0, 1, extra=(("zero", np.zeros((3, 3))),))),
    "init.with_spectral_norm": entry(lambda: dict(W=_sq(), sigma_max=0.9), sigma_max=POS,
                                     W=A(0, 1, extra=(("zero", np.zeros((3, 3))),))),
    "init.gaussian_with_radius": entry(lambda: dict(H=4, rng=_rng(), radius=0.9), H=SIZE, rng=RNG, radius=POS),
    "init.recurrent_init": entry(lambda: dict(name="orthogonal", H=4, rng=_rng(), scale=0.9), name=CHOICE, H=SIZE,
                                 rng=RNG, scale=Kind("scalar", extra=(("negative", -1.0),))),
    # tasks
    "tasks.words": entry(lambda: dict(sentence="The clouds are in the sky."),
                         sentence=Kind("other", extra=(("None", None), ("empty", " "), ("int", 3), ("list", ["a"])))),
    "tasks.word_gap": entry(lambda: dict(sentence="The clouds are in the sky.", clue="clouds", target="sky"),
                            sentence=Kind("other", extra=(("None", None), ("empty", ""))),
                            clue=Kind("other", extra=(("absent", "rain"), ("None", None), ("int", 1))),
                            target=Kind("other", extra=(("before the clue", "The"), ("None", None)))),
    "tasks.recall_task": entry(lambda: dict(lag=3, batch=4, rng=_rng(), n_symbols=3), lag=SIZE, batch=SIZE, rng=RNG,
                               n_symbols=Kind("size", extra=(("1", 1),))),
    "tasks.recall_text": entry(lambda: dict(batch=_batch(), b=1), b=Kind("index", limit=4),
                               batch=Kind("other", extra=(("None", None), ("tuple", tuple(_batch()))))),
    # costs
    "costs.count_backward_products": entry(lambda: dict(backward=rnnlib.rnn_backward, dH=_dH(), cache=_cache()),
                                           backward=CALL, cache=CACHE, dH=A(0, 1, 2)),
    "costs.stored_states": entry(lambda: dict(T=10, K=3, method="window"), T=SIZE, K=SIZE, method=CHOICE),
    # cliff
    "cliff.cliff_forward": entry(lambda: dict(w=5.0, b=-2.5, T=20), w=SCALAR, b=SCALAR, T=SIZE, h0=SCALAR,
                                 target=SCALAR),
    "cliff.cliff_backward": entry(lambda: dict(cache=cliff.cliff_forward(5.0, -2.5, 20)[1]), cache=Kind(
        "cache", extra=(("rnn cache", _cache()),))),
    "cliff.cliff_loss_and_grad": entry(lambda: dict(w=5.0, b=-2.5, T=20), w=SCALAR, b=SCALAR, T=SIZE, h0=SCALAR,
                                       target=SCALAR),
    "cliff.cliff_surface": entry(lambda: dict(ws=np.linspace(1, 8, 4), bs=np.linspace(-4, 0, 3), T=20), ws=A(),
                                 bs=A(), T=SIZE, h0=SCALAR, target=SCALAR),
    "cliff.descent_path": entry(lambda: dict(start=np.array([5.0, -2.5]), lr=0.1, steps=3, clip="norm", T=20),
                                start=A(0), lr=POS, steps=SIZE, clip=CHOICE, threshold=POS, T=SIZE, h0=SCALAR,
                                target=SCALAR),
    # curves
    "teaching.curves.scalar_inputs": entry(lambda: dict(T=7, seed=3), T=SIZE, seed=SEED),
    "teaching.curves.scalar_curves": entry(
        lambda: dict(w=1.1, T=12, nonlinearity="tanh", seed=2), w=SCALAR, T=SIZE,
                                  nonlinearity=CHOICE, input_scale=SCALAR, bias=SCALAR, seed=SEED),
    "teaching.curves.recurrent_matrix": entry(
        lambda: dict(kind="non-normal", H=4, seed=1), kind=CHOICE, H=SIZE, seed=SEED),
    "teaching.curves.matrix_inputs": entry(lambda: dict(T=6, H=4, seed=1), T=SIZE, H=SIZE, seed=SEED),
    "teaching.curves.matrix_curves": entry(
        lambda: dict(sigma_max=1.5, H=4, T=10, seed=1, base=_rng(19).normal(size=(4, 4))),
                                  sigma_max=POS, kind=CHOICE, H=SIZE, T=SIZE, nonlinearity=CHOICE, input_scale=SCALAR,
                                  seed=SEED, base=A(0, 1, optional=True), every=SIZE),
    "teaching.curves.scalar_states": entry(lambda: dict(w=1.1, T=12, nonlinearity="tanh", seed=2), w=SCALAR, T=SIZE,
                                  nonlinearity=CHOICE, input_scale=SCALAR, bias=SCALAR, seed=SEED),
    "teaching.curves.fixed_points": entry(
        lambda: dict(w=1.5, nonlinearity="tanh", bias=0.1), w=SCALAR, nonlinearity=CHOICE,
                                 bias=SCALAR),
    "teaching.curves.sheared_matrix": entry(lambda: dict(H=4, shear=1.5, seed=1), H=SIZE, seed=SEED,
                                   shear=Kind("scalar", extra=(("negative", -1.0),))),
    "teaching.curves.leak_curves": entry(lambda: dict(z=0.3, T=8, seed=1), T=SIZE, seed=SEED,
                                z=Kind("scalar", extra=(("0", 0.0), ("above 1", 1.5), ("negative", -0.2)))),
    "teaching.curves.contribution_curves": entry(
        lambda: dict(w=0.9, T=12, nonlinearity="tanh", seed=2), w=SCALAR, T=SIZE,
                                        nonlinearity=CHOICE, input_scale=SCALAR, bias=SCALAR, seed=SEED),
    # gated
    "gated.check_gated_params": entry(lambda: dict(params=_gparams()), params=MODEL),
    "gated.check_gate": entry(lambda: dict(z=np.full(H, 0.5), H=H), z=GATE, H=SIZE),
    "gated.init_gated_params": entry(lambda: dict(D=D, H=H, O=O, rng=_rng(), gate_bias=-1.0), D=SIZE, H=SIZE, O=SIZE,
                                     rng=RNG, gate_bias=SCALAR, W_hh=A(0, 1, optional=True)),
    "gated.gated_forward": entry(lambda: dict(X=_X(), params=_gparams(), z=0.3), X=A(2), params=TREE,
                                 h_init=A(0, 1, optional=True), z=GATE),
    "gated.gated_backward": entry(lambda: dict(dH=_dH(), cache=_gcache()), dH=A(0, 1, 2),
                                  cache=Kind("cache", extra=(("rnn cache", _cache()),))),
    "gated.gated_loss_and_grads": entry(lambda: dict(params=_gparams(), X=_X(), Y=_Y(), mask=np.ones(T)), params=TREE,
                                        X=A(2), Y=LABELS, loss=CHOICE, mask=MASK, h_init=A(0, 1, optional=True),
                                        z=GATE),
    "gated.gated_predict": entry(lambda: dict(params=_gparams(), X=_X(), z=np.full(H, 0.5)), params=TREE, X=A(2),
                                 h_init=A(0, 1, optional=True), z=GATE),
    "gated.gated_grad_fn": entry(lambda: dict(z=0.5), z=GATE_FN),
    "gated.gated_predict_fn": entry(lambda: dict(z=0.5), z=GATE_FN),
    "gated.gated_jacobians": entry(lambda: dict(cache=_gcache(), b=1), cache=Kind("cache", extra=(
        ("rnn cache", _cache()),)), b=Kind("index", limit=B)),
    "gated.chain_log10_norms": entry(lambda: dict(J=_rng(17).normal(size=(5, 3, 3))), J=A(1, 2)),
    "gated.gated_jacobian_log10_norms": entry(lambda: dict(cache=_gcache(0.4), b=0), cache=Kind("cache", extra=(
        ("rnn cache", _cache()),)), b=Kind("index", limit=B)),
    # train
    "train.vanilla_grad_fn": entry(lambda: dict(nonlinearity="sigmoid", truncate=3), nonlinearity=CHOICE,
                                   truncate=OPT_SIZE),
    "train.global_norm": entry(lambda: dict(grads=_g()), grads=TREE),
    "train.clip_by_norm": entry(lambda: dict(grads=_g(), max_norm=1.0), grads=TREE, max_norm=POS),
    "train.clip_elementwise": entry(lambda: dict(grads=_g(), value=1.0), grads=TREE, value=POS),
    "train.sgd_step": entry(lambda: dict(params=_g(1), grads=_g(2), lr=10.0), params=TREE, lr=POS,
                            grads=Kind("tree", extra=(("other shapes", G(np.zeros(2), np.zeros(4))),
                                                      ("other kind", _params()),
                                                      ("overflowing", G(np.full((3, 2), 1e308), np.zeros(4)))))),
    "train.clipped_fraction": entry(lambda: dict(grad_norms=np.array([0.5, 2.0, 3.0]), threshold=1.0),
                                    grad_norms=A(), threshold=POS),
    "train.cosine": entry(lambda: dict(a=_g(1), b=_g(2)), a=TREE,
                          b=Kind("tree", extra=(("zero", G(np.zeros((3, 2)), np.zeros(4))),
                                                ("other shapes", G(np.zeros(2), np.zeros(4)))))),
    "train.adam_init": entry(lambda: dict(params=_g(1)), params=TREE),
    "train.adam_step": entry(lambda: dict(params=_g(1), grads=_g(2), state=train.adam_init(_g(1)), lr=0.1),
                             params=TREE, lr=POS, eps=POS,
                             grads=Kind("tree", extra=(("other shapes", G(np.zeros(2), np.zeros(4))),)),
                             state=Kind("other", extra=(("None", None), ("tuple", (0, 0, 0)),
                                                        ("nan moment", train.AdamState(G(np.full((3, 2), np.nan),
                                                                                         np.zeros(4)), _g(3), 0)),
                                                        ("negative step", train.AdamState(_g(3), _g(4), -1)),
                                                        ("other shapes", train.adam_init(_params())))),
                             beta1=Kind("scalar", extra=(("1", 1.0), ("negative", -0.1))),
                             beta2=Kind("scalar", extra=(("1", 1.0), ("2", 2.0)))),
    "train.train": entry(_train_args, params=TREE, make_batch=CALL, rng=RNG, steps=SIZE, lr=POS, optimizer=CHOICE,
                         clip=OPT_POS, grad_fn=Kind("callable", optional=True), clip_mode=CHOICE),
    "train.accuracy": entry(lambda: dict(params=_train_params(), batch=tasks.recall_task(3, 5, _rng(20), 2)),
                            params=TREE, predict_fn=Kind("callable", optional=True),
                            batch=Kind("other", extra=(
                                ("None", None), ("tuple", tuple(tasks.recall_task(3, 5, _rng(20), 2))),
                                ("no target", tasks.recall_task(3, 5, _rng(20), 2)._replace(mask=np.zeros(4))),
                                ("label out of range", tasks.recall_task(3, 5, _rng(20), 2)._replace(
                                    Y=np.full((4, 5), 7))),
                                ("nan label", tasks.recall_task(3, 5, _rng(20), 2)._replace(Y=np.full((4, 5), np.nan))),
                                ("complex mask", tasks.recall_task(3, 5, _rng(20), 2)._replace(
                                    mask=np.ones(4) + 1j))))),
    "train.lag_sweep": entry(lambda: dict(init_fn=lambda r: rnnlib.init_params(4, 3, 2, r), lags=[1, 2], seeds=[0],
                                          steps=2, batch=4, n_symbols=2, n_test=10),
                             init_fn=CALL, lags=LAGS, seeds=SEEDS, steps=SIZE, batch=SIZE, lr=POS, clip=OPT_POS,
                             n_symbols=N_SYMBOLS, n_test=SIZE, clip_mode=CHOICE,
                             grad_fn=Kind("callable", optional=True), predict_fn=Kind("callable", optional=True)),
    "train.check_sweep": entry(lambda: dict(init_fn=_init4, **_sweep_args()), init_fn=CALL, lags=LAGS, seeds=SEEDS,
                               steps=SIZE, batch=SIZE, n_symbols=N_SYMBOLS, n_test=SIZE),
    # stack
    "stack.stack": entry(lambda: dict(models=[_params(1), _params(2)]), models=Kind("other", extra=(
        ("None", None), ("empty", []), ("a string", "ab"), ("one Params", _params()),
        ("dicts", [dict(_params()._asdict())]),
        ("mixed kinds", [_params(), _gparams()]), ("other sizes", [_params(), rnnlib.init_params(D, H + 1, O, _rng())]),
        ("nan entry", [_params(), _params()._replace(W_hh=np.full((H, H), np.nan))]),
        ("complex entry", [_params(), _params()._replace(b_h=np.zeros(H) + 1j)]),
        ("string entry", [_params()._replace(b_y="w")]),
        ("empty axis", [_params()._replace(b_y=np.zeros(0))]),
        ("inconsistent sizes", [_params()._replace(b_h=np.zeros(H + 1))])))),
    "stack.unstack": entry(lambda: dict(params=_stk()), params=STACK),
    "stack.forward": entry(lambda: dict(X=_SX(), params=_stk()), X=A(1, 3), params=STACK, nonlinearity=CHOICE,
                           z=GATE),
    "stack.backward": entry(lambda: dict(dH=_rng(33).normal(size=(T, S, B, H)),
                                         cache=stack.forward(_SX(), _stk(True))[1]),
                            dH=A(0, 1, 2, 3), cache=Kind("cache", extra=(("rnn cache", _cache()),))),
    "stack.loss_and_grads": entry(lambda: dict(params=_stk(True), X=_SX(), Y=_SY(),
                                               mask=np.array([1.0, 0.0, 0.5, 1.0])),
                                  params=STACK, X=A(1, 3), Y=SLABELS, mask=SMASK, nonlinearity=CHOICE, z=GATE),
    "stack.predict": entry(lambda: dict(params=_stk(True), X=_SX(), z=0.3), params=STACK, X=A(1, 3),
                           nonlinearity=CHOICE, z=GATE),
    "stack.global_norms": entry(lambda: dict(grads=stack.loss_and_grads(_stk(), _SX(), _SY(), np.ones(T))[1]),
                                grads=STACK),
    "stack.train": entry(lambda: dict(params=_strain_stack(), make_batch=lambda r: tasks.recall_task(2, 4, r, 2),
                                      rngs=[_rng(21), _rng(22)], steps=2, clip=[0.5, np.inf], keep=[1]),
                         params=STACK, make_batch=CALL, steps=SIZE, lr=POS, clip_mode=CHOICE, nonlinearity=CHOICE,
                         z=GATE, clip=Kind("other", extra=(
                             ("0", 0.0), ("-1", -1.0), ("a zero", [1.0, 0.0]), ("nan", [np.nan, 1.0]),
                             ("-inf", [1.0, -np.inf]), ("nan number", np.nan), ("empty", []),
                             ("ndim+1", [[0.5], [1.0]]),
                             ("complex array", np.array([1.0, 1.0]) + 0j), ("objects", np.array([None, None])),
                             ("wrong length", [1.0, 1.0, 1.0]), ("bool", True), ("string", "1"),
                             ("complex number", 1 + 2j))),
                         rngs=Kind("other", extra=(("None", None), ("one Generator", _rng()), ("too few", [_rng()]),
                                                   ("int entry", [0, 1]), ("a string", "ab"),
                                                   ("RandomState entry", [np.random.RandomState(0), _rng()]))),
                         keep=Kind("other", extra=(("None", None), ("0", [0]), ("float", [1.5]), ("beyond steps", [3]),
                                                   ("an int", 1), ("a string", "1"), ("bool", [True])))),
    "stack.accuracy": entry(lambda: dict(params=_strain_stack(), batches=_sbatches()), params=STACK,
                            nonlinearity=CHOICE, z=GATE, batches=Kind("other", extra=(
                                ("None", None), ("one Batch", _sbatches()[0]), ("too few", _sbatches()[:1]),
                                ("a string", "ab"), ("tuples", [tuple(b) for b in _sbatches()]),
                                ("no target", [b._replace(mask=np.zeros(4)) for b in _sbatches()]),
                                ("label out of range", _sbatches_with(1, Y=np.full((4, 5), 7))),
                                ("nan label", _sbatches_with(1, Y=np.full((4, 5), np.nan))),
                                ("complex mask", _sbatches_with(0, mask=np.ones(4) + 1j)),
                                ("other mask", _sbatches_with(1, mask=np.ones(4))),
                                ("other batch size", _sbatches_with(1, X=np.zeros((4, 6, 4)))),
                                ("other width", _sbatches_with(0, X=np.zeros((4, 5, 3))))))),
    "stack.lag_sweep": entry(lambda: dict(init_fns={"v": _init4}, **_sweep_args()),
                             init_fns=Kind("other", extra=(("None", None), ("empty", {}), ("a function", _init4),
                                                           ("not callable", {"v": 3}), ("int name", {1: _init4}),
                                                           ("returns no params", {"v": lambda r: 3}))),
                             lags=LAGS, seeds=SEEDS, batch=SIZE, lr=POS, clip_mode=CHOICE, z=GATE,
                             n_symbols=N_SYMBOLS, n_test=SIZE,
                             steps=Kind("size", extra=(("empty list", []), ("list with 0", [2, 0]))),
                             clip=Kind("positive", optional=True, extra=(("unknown variant", {"w": 1.0}),
                                                                         ("negative for a variant", {"v": -1.0}),
                                                                         ("string for a variant", {"v": "1"})))),
    # outcomes
    "outcomes.band": entry(lambda: dict(accuracy=0.85), accuracy=Kind("scalar", extra=(("above 1", 1.5),
                                                                                       ("negative", -0.1)))),
    "outcomes.count_table": entry(lambda: dict(lags=[2, 40], rows={"a": ACC, "b": ACC[::-1]}, level=0.5, width=12),
                                  lags=LAGS, width=Kind("size"), rows=TABLE_ROWS, heading=Kind("text", optional=True),
                                  level=Kind("scalar", extra=(("above 1", 1.5), ("negative", -0.1)))),
    "outcomes.median_bands": entry(lambda: dict(acc=ACC), acc=ACC_KIND),
    "outcomes.learned_by_all": entry(lambda: dict(acc=ACC), acc=ACC_KIND),
    "outcomes.band_table": entry(lambda: dict(lags=[2, 40], rows={"a": ACC, "b": ACC[::-1]}, width=12), lags=LAGS,
                                 width=Kind("size"), rows=TABLE_ROWS, heading=Kind("text", optional=True)),
}

#: Public functions outside the table, with the reason. Everything else needs an entry.
NOT_IN_TABLE = {
    **{f"teaching.{m}.*": "figures, widgets and course tooling: tested in their own test files"
       for m in ("course", "diagrams", "plots", "source", "style", "widgets", "exercises", "exercises.ex01",
                 "exercises.ex02", "exercises._ex02_solutions", "exercises.ex03", "exercises.ex04")},
    "teaching.i18n.*": "the language switch and message catalogs: tested in tests/test_i18n.py (bad language included)",
    # the old paths (tests/helpers.py MOVED): aliases of the modules above, checked in tests/test_layout.py
    **{f"{old.removeprefix('rnnlib.')}.*": f"deprecated alias of {new}" for old, new in MOVED.items()},
}

#: Entries whose bad calls are not all refused yet, each with the reason (reported, not hidden).
PENDING: dict[str, str] = {}


def public_functions() -> list[str]:
    names = []
    import rnnlib.teaching

    # the maths layer's modules, then every module of the course layer (the old paths are not walked: importing
    # them warns; they are aliases, checked in tests/test_layout.py)
    infos = [i for i in pkgutil.iter_modules(rnnlib.__path__, "rnnlib.") if i.name not in MOVED]
    infos += list(pkgutil.walk_packages(rnnlib.teaching.__path__, "rnnlib.teaching."))
    for info in infos:
        short = info.name.removeprefix("rnnlib.")
        if short.split(".")[-1].startswith("_") or f"{short}.*" in NOT_IN_TABLE:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__:
                names.append(f"{short}.{name}")
    return sorted(names)


def function(key: str):
    module, name = key.rsplit(".", 1)
    return getattr(importlib.import_module(f"rnnlib.{module}"), name)


# --- what every call must satisfy -------------------------------------------------------------------------

def snapshot(value: Any) -> Any:
    """A deep copy of every array reachable from value (containers, dicts, lists)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(snapshot(v) for v in value)
    if isinstance(value, list):
        return [snapshot(v) for v in value]
    if isinstance(value, dict):
        return {k: snapshot(v) for k, v in value.items()}
    return value


def unchanged(before: Any, after: Any) -> bool:
    if isinstance(before, np.ndarray):
        return isinstance(after, np.ndarray) and before.shape == after.shape and np.array_equal(
            before, after, equal_nan=before.dtype.kind in "fc")
    if isinstance(before, (tuple, list)):
        return len(before) == len(after) and all(unchanged(b, a) for b, a in zip(before, after))
    if isinstance(before, dict):
        return before.keys() == after.keys() and all(unchanged(before[k], after[k]) for k in before)
    return True


def has_nan(value: Any) -> bool:
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and bool(np.any(np.isnan(value)))
    if isinstance(value, (tuple, list)):
        return any(has_nan(v) for v in value)
    return False


def comparable(value: Any) -> Any:
    """A result in a form that compares by value: arrays, containers and numbers; callables by their output."""
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.tobytes())
    if isinstance(value, tuple):
        return (type(value).__name__, tuple(comparable(v) for v in value))
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, float):
        return ("float", np.float64(value).tobytes())
    if callable(value):
        return "callable"
    return value


def call(key: str, kwargs: dict) -> tuple[Any, BaseException | None, list, float]:
    """Run one call: (result, exception, warnings, seconds)."""
    fn = function(key)
    result, exc = None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        try:
            result = fn(**kwargs)
        except BaseException as e:  # noqa: BLE001 - any other type is the failure being tested for
            exc = e
        seconds = time.perf_counter() - start
    return result, exc, list(caught), seconds


def assert_refused(key: str, arg: str, label: str, kwargs: dict) -> None:
    before = snapshot(kwargs)
    result, exc, caught, seconds = call(key, kwargs)
    where = f"{key}({arg}={label})"
    assert not caught, f"{where}: warned {[str(w.message) for w in caught]}"
    assert seconds < SLOW, f"{where}: took {seconds:.1f} s"
    assert unchanged(before, kwargs), f"{where}: changed an input array"
    assert exc is not None, f"{where}: accepted, returned {result!r:.200}"
    assert type(exc) is ValueError, f"{where}: raised {type(exc).__name__}: {exc}"
    message = str(exc)
    head = message.split(":", 1)[0]
    assert head == arg or head.startswith((f"{arg}.", f"{arg}[")), f"{where}: the message names {head!r}: {message}"
    assert "expected" in message and "got" in message, f"{where}: says neither what was expected nor what arrived: " \
                                                        f"{message}"


# --- the tests --------------------------------------------------------------------------------------------

def test_every_public_function_has_an_entry():
    names = public_functions()
    missing = [n for n in names if n not in TABLE and n not in NOT_IN_TABLE]
    assert not missing, f"public functions without an entry in tests/test_api.py TABLE: {missing}"
    stale = [n for n in TABLE if n not in names]
    assert not stale, f"entries for functions that no longer exist: {stale}"
    for key, e in TABLE.items():
        params = inspect.signature(function(key)).parameters
        unknown = [a for a in e.kinds if a not in params]
        assert not unknown, f"{key}: the table names arguments it does not have: {unknown}"
        untested = [a for a, p in params.items() if a not in e.kinds and p.kind not in (p.VAR_POSITIONAL,)
                    and not isinstance(p.default, bool)]
        assert not untested, f"{key}: arguments without a kind in the table: {untested}"


def bad_calls() -> list[tuple[str, str, str]]:
    out = []
    for key, e in TABLE.items():
        valid = e.build()
        params = inspect.signature(function(key)).parameters
        for arg, kind in e.kinds.items():
            value = valid.get(arg, params[arg].default)
            for label, _ in bad_values(kind, value):
                out.append((key, arg, label))
    return out


def same_calls() -> list[tuple[str, str, str]]:
    out = []
    for key, e in TABLE.items():
        valid = e.build()
        for arg, kind in e.kinds.items():
            for label, _ in same_values(kind, valid.get(arg)):
                out.append((key, arg, label))
    return out


BAD_CALLS = bad_calls()
SAME_CALLS = same_calls()


@pytest.mark.parametrize("key", sorted(TABLE))
def test_valid_call(key):
    kwargs = TABLE[key].build()
    before = snapshot(kwargs)
    result, exc, caught, seconds = call(key, kwargs)
    assert exc is None, f"{key}: the valid call raised {type(exc).__name__}: {exc}"
    assert not caught, f"{key}: warned {[str(w.message) for w in caught]}"
    assert not has_nan(result), f"{key}: NaN in the result"
    assert unchanged(before, kwargs), f"{key}: changed an input array"


@pytest.mark.parametrize("key, arg, label", BAD_CALLS, ids=[f"{k}-{a}-{lab}" for k, a, lab in BAD_CALLS])
def test_bad_value_is_refused_by_name(key, arg, label):
    e = TABLE[key]
    if key in PENDING:
        pytest.xfail(PENDING[key])
    kwargs = e.build()
    value = kwargs.get(arg, inspect.signature(function(key)).parameters[arg].default)
    kwargs[arg] = dict(bad_values(e.kinds[arg], value))[label]
    assert_refused(key, arg, label, kwargs)


@pytest.mark.parametrize("key, arg, label", SAME_CALLS, ids=[f"{k}-{a}-{lab}" for k, a, lab in SAME_CALLS])
def test_equivalent_value_gives_the_same_result(key, arg, label):
    e = TABLE[key]
    clean, exc, _, _ = call(key, e.build())
    assert exc is None
    kwargs = e.build()
    kwargs[arg] = dict(same_values(e.kinds[arg], kwargs[arg]))[label]
    before = snapshot(kwargs)
    result, exc, caught, _ = call(key, kwargs)
    assert exc is None, f"{key}({arg}={label}): raised {type(exc).__name__}: {exc}"
    assert not caught, f"{key}({arg}={label}): warned {[str(w.message) for w in caught]}"
    assert unchanged(before, kwargs), f"{key}({arg}={label}): changed an input array"
    assert comparable(result) == comparable(clean), f"{key}({arg}={label}): a different result"


def _array_args(key: str) -> list[str]:
    valid = TABLE[key].build()
    return [a for a, k in TABLE[key].kinds.items() if k.name == "array" and valid.get(a) is not None]


FUZZED = [k for k in sorted(TABLE) if _array_args(k) and k not in PENDING]


@pytest.mark.parametrize("key", FUZZED)
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_nonfinite_entry_anywhere_is_refused(key, data):
    e = TABLE[key]
    kwargs = e.build()
    arg = data.draw(st.sampled_from(_array_args(key)), label="argument")
    x = np.array(kwargs[arg], dtype=np.float64)
    i = data.draw(st.integers(0, x.size - 1), label="entry")
    x.reshape(-1)[i] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]), label="value")
    kwargs[arg] = x
    assert_refused(key, arg, f"non-finite entry {i}", kwargs)


MIXED = [k for k in FUZZED if any(same_values(TABLE[k].kinds[a], TABLE[k].build()[a]) for a in _array_args(k))]


@pytest.mark.parametrize("key", MIXED)
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_equivalent_forms_mixed_give_the_same_result(key, data):
    e = TABLE[key]
    clean = call(key, e.build())[0]
    kwargs = e.build()
    for arg in _array_args(key):
        forms = same_values(e.kinds[arg], kwargs[arg])
        if forms:
            label = data.draw(st.sampled_from(["as is"] + [f for f, _ in forms]), label=arg)
            kwargs[arg] = dict(forms).get(label, kwargs[arg])
    result, exc, caught, _ = call(key, kwargs)
    assert exc is None and not caught, (exc, caught)
    assert comparable(result) == comparable(clean)


def test_counts(capsys):
    """The numbers quoted in issue 14's closing note (printed with -s)."""
    with capsys.disabled():
        print(f"\nAPI table: {len(TABLE)} functions, {len(BAD_CALLS)} bad calls, {len(SAME_CALLS)} equivalent calls, "
              f"{len(FUZZED)} functions fuzzed with non-finite entries, {len(MIXED)} with mixed equivalent forms")
    assert len(TABLE) >= 82
