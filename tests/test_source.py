"""rnnlib.teaching.source: the core of a function, taken from the function itself and kept in sync with it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from helpers import MOVED

import rnnlib
from rnnlib import gated, train
from rnnlib.teaching import source

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("0[1-4]_*.ipynb"))
SHOW = re.compile(r"source\.show\(([\w.]+)\)")
#: Shown cores longer than this need a reason in their cell (the issue's "about 20 lines").
MAX_LINES = 22


def _resolve(name: str):
    obj = rnnlib
    for part in name.removeprefix("rnnlib.").split("."):
        obj = getattr(obj, part) if hasattr(obj, part) else importlib.import_module(f"rnnlib.{part}")
    return obj


def _shown_in_notebooks() -> list[tuple[str, str, str]]:
    """(notebook, function name, cell source) for every ``source.show(f)`` in notebooks 01-04."""
    out = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                out += [(path.name, name, cell.source) for name in SHOW.findall(cell.source)]
    return out


def _is_subsequence(shown: list[str], full: list[str]) -> bool:
    it = iter(full)
    return all(any(line == f for f in it) for line in shown)


def _every_function():
    import rnnlib.teaching

    # both layers; not the old paths (tests/helpers.py MOVED), aliases of course-layer modules that warn
    infos = [i for i in pkgutil.iter_modules(rnnlib.__path__, "rnnlib.") if i.name not in MOVED]
    infos += list(pkgutil.walk_packages(rnnlib.teaching.__path__, "rnnlib.teaching."))
    for info in infos:
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                yield obj


SHOWN = _shown_in_notebooks()


def test_notebooks_show_library_code_through_source_show():
    assert len(SHOWN) >= 8, SHOWN
    for path in NOTEBOOKS:
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert "print(inspect.getsource(" not in text, f"{path.name} prints a whole source: use source.show"


@pytest.mark.parametrize("notebook, name, cell", SHOWN, ids=[f"{n[:2]}-{f}" for n, f, _ in SHOWN])
def test_what_a_notebook_shows_is_the_running_code_and_short(notebook, name, cell):
    func = _resolve(name)
    shown = source.core(func).splitlines()
    full = textwrap.dedent(inspect.getsource(func)).splitlines()
    code = [line for line in shown if not line.lstrip().startswith(source.NOTE)]
    assert _is_subsequence(code, full), name
    assert code[0] == full[0]                                  # the signature's first line is always there
    assert shown[-1] == f"{source.NOTE} full source: inspect.getsource({func.__module__}.{func.__qualname__})"
    assert len(shown) <= MAX_LINES or "longer than" in cell, f"{name}: {len(shown)} lines shown"


@pytest.mark.parametrize("func", list(_every_function()), ids=lambda f: f"{f.__module__}.{f.__qualname__}")
def test_every_library_function_has_a_core_made_of_its_own_lines(func):
    shown = source.core(func).splitlines()
    full = textwrap.dedent(inspect.getsource(func)).splitlines()
    code = [line for line in shown if not line.lstrip().startswith(source.NOTE)]
    assert _is_subsequence(code, full)
    assert not any("# [plumbing" in line or "# [/plumbing]" in line or line.rstrip().endswith(source.CHECK)
                   for line in code), "a marker line was shown"
    left = sum(int(m) for m in re.findall(r"\((\d+) lines?\)$", "\n".join(shown), flags=re.M))
    assert len(code) + left == len(full)                       # every line is shown or counted as left out


def test_the_maths_stays_and_the_checks_go():
    step = source.core(rnnlib.rnn_step_backward)
    assert "da = dh * derivative_from_output(h, nonlinearity)" in step
    assert "dh_prev = da @ W_hh" in step
    assert "x, h_prev, h, W_xh, W_hh, nonlinearity = check_cache(" in step     # unpacks: names the values, kept
    assert 'dh = check_array("dh"' not in step                                # only re-binds dh: left out
    assert '"""' not in step
    assert "left out: docstring (5 lines)" in step
    forward = source.core(rnnlib.rnn_step_forward)
    assert "a = x @ W_xh.T + h_prev @ W_hh.T + b_h" in forward and "check_choice" not in forward


def _marked(x):
    y = x + 1
    # [plumbing: a buffer]
    buf = [y]
    buf.append(y)
    # [/plumbing]
    w = y - 1
    z = y * 2  # [plumbing]
    u = z + w
    n = len(buf)  # [check]
    return u + n


def test_the_marked_regions_are_left_out():
    marked = source.core(_marked)
    assert "left out: a buffer (4 lines)" in marked and "buf.append" not in marked
    assert "left out: bookkeeping (1 line)" in marked and "z = y * 2" not in marked
    assert "left out: argument checks (1 line)" in marked and "n = len(buf)" not in marked
    assert all(f"{line}\n" in marked for line in ("y = x + 1", "w = y - 1", "u = z + w", "return u + n"))
    sweep = source.core(train.lag_sweep)                     # the listings of 01-04 carry no plumbing markers
    assert "steps, batch, n_symbols, n_test = sizes" not in sweep and "for j, seed in enumerate(seeds):" in sweep
    backward = source.core(gated.gated_backward)
    assert "carry = dh * (1.0 - Z[t]) + dAG[t, :, :width] @ W" in backward
    assert "flatA" not in backward                            # the weight gradients: a private helper


def _unclosed(x):
    # [plumbing: never closed]
    return x


def test_bad_input_is_named(capsys):
    with pytest.raises(ValueError, match="^func: expected a Python function, got builtin_function_or_method"):
        source.core(len)
    with pytest.raises(ValueError, match="^func: .*_unclosed opens a"):
        source.core(_unclosed)
    with pytest.raises(ValueError, match="^full: expected True or False, got 'yes'"):
        source.show(rnnlib.rel_error, full="yes")
    with pytest.raises(ValueError, match="^func: expected a Python function"):
        source.show(3, full=True)
    source.show(rnnlib.rel_error, full=True)
    assert capsys.readouterr().out == inspect.getsource(rnnlib.rel_error) + "\n"
    source.show(rnnlib.rel_error)
    assert capsys.readouterr().out == source.core(rnnlib.rel_error) + "\n"
