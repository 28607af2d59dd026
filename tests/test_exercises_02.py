"""Notebook 02's exercises: a table of the wrong answers learners make, each with the diagnosis its checker must
give (``Verdict.diagnosis``, language-neutral), a word the hint must contain to name the mistake, and a check
that the hint does not state the solution. The wrong answers are written here, independently of the checkers."""

from __future__ import annotations

import numpy as np
import pytest

import rnnlib
from rnnlib.teaching.exercises import ex02

SLOPE = {"tanh": lambda h: 1 - h**2, "sigmoid": lambda h: h * (1 - h), "linear": np.ones_like}


def step(dh, cache, *, slope=None, back=lambda W: W, state=None, scale=1.0, order=None, sign=1.0, container=tuple):
    """A backward step written by hand, with one mistake switched on by the keywords."""
    x, h_prev, h, W_xh, W_hh, f = cache
    da = dh * (SLOPE[f](h) if slope is None else slope(h))
    h_read = h_prev if state is None else state(h, h_prev)
    out = [sign * (da @ W_xh), da @ back(W_hh), da.T @ x * scale, da.T @ h_read, da.sum(axis=0)]
    out = [out[i] for i in order] if order else out
    return container(out)


def right_step(dh, cache):
    return step(dh, cache)


STEP_WRONG = [  # (label, wrong answer, diagnosis, a word the hint must contain)
    ("no f' at all", lambda dh, c: step(dh, c, slope=np.ones_like), "no_fprime", "without f'"),
    ("tanh's 1 - h^2 for every f", lambda dh, c: step(dh, c, slope=lambda h: 1 - h**2), "wrong_derivative",
     "tanh only"),
    ("the sigmoid's h (1 - h) for every f", lambda dh, c: step(dh, c, slope=lambda h: h * (1 - h)),
     "wrong_derivative", "sigmoid only"),
    ("1 - tanh(h)^2: tanh applied twice", lambda dh, c: step(dh, c, slope=lambda h: 1 - np.tanh(h) ** 2),
     "wrong_derivative", "second time"),
    ("float32 arithmetic", lambda dh, c: tuple(g.astype(np.float32) for g in step(dh, c)), "float32", "float32"),
    ("da @ W_hh.T", lambda dh, c: step(dh, c, back=lambda W: W.T), "transpose", "transpose"),
    ("dW_hh with h_t", lambda dh, c: step(dh, c, state=lambda h, hp: h), "wrong_state", "h_{t-1}"),
    ("dW_hh transposed", lambda dh, c: tuple(g.T if i == 3 else g for i, g in enumerate(step(dh, c))), "transpose",
     "transpose"),
    ("dx with the wrong sign", lambda dh, c: step(dh, c, sign=-1.0), "sign", "sign"),
    ("dx and dh_prev swapped", lambda dh, c: step(dh, c, order=[1, 0, 2, 3, 4]), "swapped_outputs",
     "dx and dh_prev"),
    ("dW_xh and dW_hh swapped", lambda dh, c: step(dh, c, order=[0, 1, 3, 2, 4]), "swapped_outputs",
     "dW_xh and dW_hh"),
    ("a list of five", lambda dh, c: step(dh, c, container=list), "wrong_container", "tuple"),
    ("dW_xh divided by B", lambda dh, c: step(dh, c, scale=1 / dh.shape[0]), "mean_not_sum", "batch size"),
    ("four outputs", lambda dh, c: step(dh, c)[:4], "count", "5 outputs"),
    ("db_h not summed", lambda dh, c: step(dh, c)[:4] + (dh * SLOPE[c[5]](c[2]),), "shape", "shape"),
    ("db_h summed over the units", lambda dh, c: step(dh, c)[:4] + ((dh * SLOPE[c[5]](c[2])).sum(axis=1),), "shape",
     "instead of over the batch"),
    ("not a function", 3, "invalid", "function"),
    ("raises", lambda dh, c: {}["dx"], "raises", "raised"),
    ("da @ W_xh.T: mismatched shapes", lambda dh, c: ((dh * SLOPE[c[5]](c[2])) @ c[3].T,) + step(dh, c)[1:],
     "matmul_shapes", "from which side"),
    ("f' = 1 - h, a derivative of nothing", lambda dh, c: step(dh, c, slope=lambda h: 1 - h), "wrong_fprime",
     "factor they all share"),
    ("rnnlib's own function", rnnlib.rnn_step_backward, "library", "write it yourself"),
    ("a call to rnnlib's own function", lambda dh, c: rnnlib.rnn_step_backward(dh, c), "library",
     "write it yourself"),
]


def loop(dH, cache, step_fn=right_step, *, carry=True, shift=False, stop=0, first=None, reverse_dX=False):
    """A BPTT loop written by hand, with one mistake switched on by the keywords."""
    dX = np.zeros_like(cache.X)
    dW_xh, dW_hh, db_h = np.zeros_like(cache.W_xh), np.zeros_like(cache.W_hh), np.zeros_like(cache.b_h)
    back = np.zeros_like(dH[0])
    T = dH.shape[0]
    for t in reversed(range(stop, T)):
        prev = cache.H[t] if shift else (cache.H[t - 1] if t > 0 else (cache.h_init if first is None else first(cache)))
        dx, dh_prev, gx, gh, gb = step_fn(dH[t] + (back if carry else 0),
                                          (cache.X[t], prev, cache.H[t], cache.W_xh, cache.W_hh, cache.nonlinearity))
        dX[T - 1 - t if reverse_dX else t] = dx
        back = dh_prev
        dW_xh, dW_hh, db_h = dW_xh + gx, dW_hh + gh, db_h + gb
    return dX, back, dW_xh, dW_hh, db_h


def overwrite_loop(dH, cache):
    """The weight gradients assigned, not added, in the loop: only the last step processed (t = 0) remains."""
    dX, dh_init, *_ = loop(dH, cache)
    c = cache
    first = right_step(dH[0] + loop(dH[1:], c._replace(X=c.X[1:], H=c.H[1:], h_init=c.H[0]))[1] if dH.shape[0] > 1
                       else dH[0], (c.X[0], c.h_init, c.H[0], c.W_xh, c.W_hh, c.nonlinearity))
    return dX, dh_init, first[2], first[3], first[4]


def forward_loop(dH, cache):
    """The loop written from t = 0 up, the carried gradient taken from the step before."""
    T = dH.shape[0]
    dX = np.zeros_like(cache.X)
    dW_xh, dW_hh, db_h = np.zeros_like(cache.W_xh), np.zeros_like(cache.W_hh), np.zeros_like(cache.b_h)
    back = np.zeros_like(dH[0])
    for t in range(T):
        prev = cache.H[t - 1] if t > 0 else cache.h_init
        dX[t], back, gx, gh, gb = right_step(dH[t] + back, (cache.X[t], prev, cache.H[t], cache.W_xh, cache.W_hh,
                                                            cache.nonlinearity))
        dW_xh, dW_hh, db_h = dW_xh + gx, dW_hh + gh, db_h + gb
    return dX, back, dW_xh, dW_hh, db_h


def wrong_step(dh, cache):
    return step(dh, cache, back=lambda W: W.T)


def loop_over_global_step(dH, cache):  # a correct loop that calls the notebook's (wrong) step_backward
    return loop(dH, cache, step_backward)


step_backward = wrong_step  # what the learner's notebook holds under that name

SEQUENCE_WRONG = [
    ("carried gradient not added", lambda dH, c: loop(dH, c, carry=False), "no_carry", "carried back"),
    ("h_prev = H[t]", lambda dH, c: loop(dH, c, shift=True), "off_by_one", "off by one"),
    ("loop stops before position 0", lambda dH, c: loop(dH, c, stop=1), "off_by_one", "off by one"),
    ("h_prev = 0 at step 1", lambda dH, c: loop(dH, c, first=lambda c: np.zeros_like(c.h_init)), "h_init", "h_init"),
    ("H[t - 1] at t = 0 (that is H[-1])", lambda dH, c: loop(dH, c, first=lambda c: c.H[-1]), "h_init", "h_init"),
    ("dh_init = 0", lambda dH, c: loop(dH, c)[:1] + (np.zeros_like(c.h_init),) + loop(dH, c)[2:], "no_dh_init",
     "zeros"),
    ("weight gradients overwritten (= for +=)", lambda dH, c: overwrite_loop(dH, c), "overwrite", "overwritten"),
    ("weight gradients divided by T", lambda dH, c: loop(dH, c)[:2] + tuple(g / dH.shape[0] for g in loop(dH, c)[2:]),
     "mean_not_sum", "divided by T"),
    ("the loop runs forward in time", lambda dH, c: forward_loop(dH, c), "forward_loop", "forward in time"),
    ("dX stored in the loop's order", lambda dH, c: loop(dH, c, reverse_dX=True), "reversed_dX", "own position"),
    ("a correct loop over a wrong step", loop_over_global_step, "wrong_step", "Exercise 1"),
    ("a list of five", lambda dH, c: list(loop(dH, c)), "wrong_container", "tuple"),
    ("rnnlib's own function", lambda dH, c: rnnlib.rnn_backward(dH, c), "library", "write it yourself"),
]

COUNT_WRONG = [  # T = 20, K = 5
    (20, "full_count", "full BPTT"),
    (100, "no_shrink", "Close"),
    (85, "off_by_one", "too few"), (95, "off_by_one", "too many"), (74, "off_by_one", "too few"),
    (105, "off_by_one", "too many"), (89, "off_by_one", "too few"), (91, "off_by_one", "too many"),
    (4.5, "factor", "by a factor of ten or more"), (5, "factor", "by a factor of ten or more"),
    (820, "factor", "by a factor of three or more"), (210, "no_window", "every path back"),
    (80, "wrong", "lag by lag"), (60, "wrong", "lag by lag"),
    ("ninety", "invalid", "Expected a number"), (True, "invalid", "Expected a number"),
    (float("nan"), "invalid", "finite"),
]


def window(dH, cache, K, keep=lambda t, k, K: 0 <= t - k <= K, post=lambda G: G):
    C = rnnlib.contributions(dH, cache, full=True)
    T = C.shape[0]
    return post(sum(C[t, k] for t in range(T) for k in range(T) if keep(t, k, K)))


def masked(dH, cache, keep, reduce=np.sum):
    """The pieces C[t, k] chosen by a boolean mask over (t, k), reduced over the pieces (written with numpy)."""
    C = rnnlib.contributions(dH, cache, full=True)
    t, k = np.indices(C.shape[:2])
    return reduce(C[keep(t, k)], axis=0)


WINDOW_WRONG = [
    ("lag < K", lambda dH, c, K: window(dH, c, K, keep=lambda t, k, K: 0 <= t - k < K), "off_by_one", "one step"),
    ("lag <= K + 1", lambda dH, c, K: window(dH, c, K, keep=lambda t, k, K: 0 <= t - k <= K + 1), "off_by_one",
     "one step"),
    ("every piece", lambda dH, c, K: window(dH, c, K, keep=lambda t, k, K: k <= t), "untruncated", "full gradient"),
    ("rnn_backward's dW_hh", lambda dH, c, K: rnnlib.rnn_backward(dH, c)[3], "untruncated", "full gradient"),
    ("transposed triangle", lambda dH, c, K: window(dH, c, K, keep=lambda t, k, K: 0 <= k - t <= K),
     "immediate_only", "immediate"),
    ("sign flipped", lambda dH, c, K: window(dH, c, K, post=lambda G: -G), "sign", "sign"),
    ("result transposed", lambda dH, c, K: window(dH, c, K, post=lambda G: G.T), "transpose", "transpose"),
    ("only the immediate pieces", lambda dH, c, K: window(dH, c, K, keep=lambda t, k, K: t == k), "immediate_only",
     "immediate"),
    ("twice the window", lambda dH, c, K: 2 * window(dH, c, K), "wrong", "Which pieces"),
    ("the whole (T, T, H, H) array", lambda dH, c, K: rnnlib.contributions(dH, c, full=True), "shape", "shape"),
    ("only lag K itself", lambda dH, c, K: masked(dH, c, lambda t, k: t - k == K), "one_lag_only", "exactly"),
    ("the mean of the kept pieces", lambda dH, c, K: masked(dH, c, lambda t, k: (k <= t) & (t - k <= K), np.mean),
     "mean_not_sum", "mean"),
    ("float32", lambda dH, c, K: window(dH, c, K).astype(np.float32), "float32", "float32"),
    ("the mean over t - k <= K (the zero pieces k > t too)",
     lambda dH, c, K: masked(dH, c, lambda t, k: t - k <= K, np.mean), "mean_not_sum", "mean"),
    ("rnnlib's truncated_bptt", lambda dH, c, K: rnnlib.truncated_bptt(dH, c, K)[3], "library", "write it yourself"),
]

#: What a hint must never print on a first wrong try: the pieces of each solution.
FORBIDDEN = {
    "step": ("da @ W_hh", "da.T @ h_prev", "da.T @ x", "derivative_from_output(h, nonlinearity)"),
    "loop": ("dH[t] + carry", "range(T - 1, -1, -1)"),
    "count": ("90", "20 + 19", "T - j", "T K"),
    "window": ("t - k <= K", "t - k <= k", "k <= t"),
}


def _run(checker, answer, capsys):
    got = checker(answer)
    return got, capsys.readouterr().out


@pytest.mark.parametrize("label, answer, diagnosis, word", STEP_WRONG, ids=[r[0] for r in STEP_WRONG])
def test_exercise_1_names_the_mistake(label, answer, diagnosis, word, capsys):
    got, out = _run(ex02.check_step_backward, answer, capsys)
    assert not got and got.diagnosis == diagnosis, (label, got, out)
    assert word in out and not any(f in out for f in FORBIDDEN["step"]), out


@pytest.mark.parametrize("label, answer, diagnosis, word", SEQUENCE_WRONG, ids=[r[0] for r in SEQUENCE_WRONG])
def test_exercise_2_names_the_mistake(label, answer, diagnosis, word, capsys):
    got, out = _run(ex02.check_backward, answer, capsys)
    assert not got and got.diagnosis == diagnosis, (label, got, out)
    assert word in out and not any(f in out for f in FORBIDDEN["loop"]), out


def test_exercise_2_blames_the_loop_when_the_step_is_right(capsys):
    global step_backward
    step_backward = right_step
    try:
        got, out = _run(ex02.check_backward, lambda dH, c: loop(dH, c, step_backward, carry=False), capsys)
        assert got.diagnosis == "no_carry", out
        got, out = _run(ex02.check_backward, loop_over_global_step, capsys)
        assert got.ok is True and "correct." in out
    finally:
        step_backward = wrong_step


@pytest.mark.parametrize("answer, diagnosis, word", COUNT_WRONG, ids=[repr(r[0]) for r in COUNT_WRONG])
def test_exercise_3_names_the_mistake_and_keeps_the_count_hidden(answer, diagnosis, word, capsys):
    got, out = _run(ex02.check_product_count, answer, capsys)
    assert not got and got.diagnosis == diagnosis, (answer, got, out)
    assert word in out and "measured" not in out, out
    assert not any(f in out.replace(f"{answer}", "") for f in FORBIDDEN["count"]), out
    if diagnosis == "off_by_one":              # "too high" beside "one lag too many" would pin the count
        assert "is too" not in out and str(answer) not in out, out


def test_exercise_3_shows_the_measured_count_only_to_a_right_answer(capsys):
    got, out = _run(ex02.check_product_count, 90, capsys)
    assert got.ok is True and "measured while truncated_bptt ran: 90 products" in out


@pytest.mark.parametrize("label, answer, diagnosis, word", WINDOW_WRONG, ids=[r[0] for r in WINDOW_WRONG])
def test_exercise_4_names_the_mistake(label, answer, diagnosis, word, capsys):
    got, out = _run(ex02.check_truncated_from_contributions, answer, capsys)
    assert not got and got.diagnosis == diagnosis, (label, got, out)
    assert word in out and not any(f in out for f in FORBIDDEN["window"]), out


def test_right_answers_written_here_pass(capsys):
    assert ex02.check_step_backward(right_step).ok
    assert ex02.check_backward(lambda dH, c: loop(dH, c)).ok
    assert ex02.check_truncated_from_contributions(window).ok
    # |t - k| <= K is right too: C[t, k] is zero for k > t
    assert ex02.check_truncated_from_contributions(
        lambda dH, c, K: window(dH, c, K, keep=lambda t, k, K: abs(t - k) <= K)).ok


def test_no_public_name_of_ex02_holds_an_answer():
    allowed = {"check_step_backward", "check_backward", "check_product_count", "check_truncated_from_contributions",
               "solution", "SOLUTIONS", "Verdict", "verdict", "not_attempted", "print_solution", "relative_error",
               "tr"}
    for name in dir(ex02):
        obj = getattr(ex02, name)
        if name.startswith("_") or name in allowed or not callable(obj) or isinstance(obj, type):
            continue
        pytest.fail(f"ex02.{name} is public")
    for banned in ("step_backward", "backward", "truncated_dW_hh", "product_count", "rnn_step_backward",
                   "rnn_backward", "truncated_bptt", "contributions"):
        assert not hasattr(ex02, banned), banned


def test_a_learners_own_function_with_the_librarys_name_is_an_answer(capsys):
    """Only rnnlib's function is refused: a learner's own rnn_step_backward, called from the answer, is judged."""
    scope = {"right_step": right_step}
    exec("def rnn_step_backward(dh, cache):\n    return right_step(dh, cache)\n"
         "answer = lambda dh, cache: rnn_step_backward(dh, cache)", scope)
    assert ex02.check_step_backward(scope["answer"]).ok
    assert ex02.check_step_backward(lambda dh, c: rnnlib.rnn_step_backward(dh, c)).diagnosis == "library"
    capsys.readouterr()
