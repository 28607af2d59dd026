"""The listings learners read carry no speed tricks (COURSE.md section 5, issue 22 item 2).

Every function a notebook passes to ``source.show`` is found by scanning the notebooks' code, so a new
listing is covered without editing this file. Its *full* source (what ``show(f, full=True)`` prints, not
only the core) must hold no ``out=`` argument, no ufunc called with an output array, no ``.flags`` or
``setflags``, no ``x[...] = `` refill or in-place write into a slice (``x[t] += ...``), no ``fill`` or
``copyto``, and no plumbing marker. The fast path for experiments is ``rnnlib.stack``, which is not shown.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MARKERS = re.compile(r"#\s*\[/?plumbing")           # '# [plumbing]', '# [plumbing: ...]', '# [/plumbing]'
IN_PLACE_METHODS = {"fill", "setflags", "copyto", "put", "put_along_axis", "place", "putmask"}


def _code(cell_source: str) -> str:
    """A code cell as Python: IPython magics and shell lines become ``pass`` (at their indent)."""
    lines = cell_source.splitlines()
    return "\n".join(line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                     else line for line in lines)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _shown(path: Path) -> list[tuple[str, object]]:
    """(expression, function) for every ``source.show(f)`` / ``source.show(f, full=True)`` call in a notebook,
    resolved in a namespace holding the notebook's own imports."""
    trees = [ast.parse(_code(c.source)) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    namespace: dict = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                exec(compile(ast.Module([node], []), str(path), "exec"), namespace)  # noqa: S102 (imports only)
    out = []
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (_dotted(node.func) or "").endswith("source.show") and node.args:
                name = _dotted(node.args[0])
                assert name is not None, f"{path.name}: source.show of an expression: {ast.unparse(node)}"
                head, *rest = name.split(".")
                assert head in namespace, f"{path.name}: source.show({name}): {head} is not imported in the notebook"
                obj = namespace[head]
                for part in rest:
                    obj = getattr(obj, part)
                out.append((f"{path.name[:2]}:{name}", obj))
    return out


SHOWN = [item for path in NOTEBOOKS for item in _shown(path)]


def tricks(src: str) -> list[str]:
    """The speed tricks and plumbing markers in a function's source, one description each (empty: none)."""
    found = [f"line {i}: plumbing marker" for i, line in enumerate(src.splitlines(), 1) if MARKERS.search(line)]
    for node in ast.walk(ast.parse(textwrap.dedent(src))):
        at = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            name = _dotted(node.func) or ""
            if any(k.arg == "out" for k in node.keywords):
                found.append(f"{at}: out= in {ast.unparse(node)}")
            last = name.rsplit(".", 1)[-1]
            ufunc = getattr(np, last, None) if name.startswith(("np.", "numpy.")) else None
            if isinstance(ufunc, np.ufunc) and len(node.args) > ufunc.nin:
                found.append(f"{at}: a ufunc given its output array: {ast.unparse(node)}")
            if last in IN_PLACE_METHODS and "." in name:
                found.append(f"{at}: in-place {last}: {ast.unparse(node)}")
        elif isinstance(node, ast.Attribute) and node.attr == "flags":
            found.append(f"{at}: .flags")
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                        and target.slice.value is Ellipsis:
                    found.append(f"{at}: buffer refill {ast.unparse(target)} = ...")
                elif isinstance(node, ast.AugAssign) and isinstance(target, ast.Subscript):
                    found.append(f"{at}: in-place write into a slice: {ast.unparse(node)}")
    return found


def test_the_scan_finds_the_listings_of_the_lecture():
    names = {f"{f.__module__}.{f.__qualname__}" for _, f in SHOWN}
    assert {"rnnlib.rnn.rnn_forward", "rnnlib.bptt.rnn_backward", "rnnlib.rnn.rnn_step_forward",
            "rnnlib.gated.gated_backward", "rnnlib.cliff.cliff_backward"} <= names, sorted(names)
    assert len(SHOWN) >= 15


@pytest.mark.parametrize("where, func", SHOWN, ids=[w for w, _ in SHOWN])
def test_a_shown_function_holds_no_speed_tricks(where, func):
    assert inspect.isfunction(func), f"{where}: not a Python function"
    assert tricks(inspect.getsource(func)) == [], f"{where}: the listing a learner reads carries speed tricks"


# The shapes of what a listing must not hold; each one must be caught, so the test above can fail.
BAD = {
    "out keyword": "def f(h, W, buf):\n    return np.matmul(h, W, out=buf)\n",
    "activation into a buffer": "def f(a, Hs, t):\n    return activate(a, 'tanh', out=Hs[t])\n",
    "ufunc positional out": "def f(a, b, buf):\n    np.add(a, b, buf)\n    return buf\n",
    "flags": "def f(Hs):\n    Hs.flags.writeable = False\n    return Hs\n",
    "setflags": "def f(Hs):\n    Hs.setflags(write=False)\n    return Hs\n",
    "refill": "def f(buf, a):\n    buf[...] = a\n    return buf\n",
    "slice in place": "def f(Hs, hW, t):\n    Hs[t] += hW\n    return Hs\n",
    "fill": "def f(buf):\n    buf.fill(1.0)\n    return buf\n",
    "marker": "def f(x):\n    y = x + 1  # [plumbing]\n    return y\n",
    "marked block": "def f(x):\n    # [plumbing: a buffer]\n    y = x\n    # [/plumbing]\n    return y\n",
}


@pytest.mark.parametrize("kind", BAD)
def test_each_trick_is_caught(kind):
    assert tricks(BAD[kind]), kind


def test_the_equations_pass():
    plain = ("def f(X, W_xh, W_hh, b_h, h, Hs):\n    A_x = X @ W_xh.T + b_h\n    for t in range(len(X)):\n"
             "        h = np.tanh(A_x[t] + h @ W_hh.T)\n        Hs[t] = h\n    dw = 0.0\n    dw += 1.0\n"
             "    out = np.zeros(3)\n    out[1:] = np.cumsum(np.add(A_x[0, 0, :3], 1.0))\n    return Hs, out, dw\n")
    assert tricks(plain) == []
