"""Show the lines of a library function that carry its maths, taken from the running function.

A notebook that prints ``inspect.getsource(f)`` shows the idea buried in argument checks,
docstrings and bookkeeping. ``core(f)`` reads the same source and leaves out:

* the docstring;
* argument checks: a call to a function named ``check_*`` or ``_check*`` (rnnlib's validators,
  see ``_validate``) that only re-binds the checked argument, e.g. ``x = check_array("x", x, ...)``
  (one that unpacks, ``x, h = check_cache("cache", cache, ...)``, stays: it names the values); a
  branch without ``else`` that ends by raising (``if bad: raise ValueError(...)``);
* lines marked ``# [check]`` (checks the rule above does not recognise), and lines marked
  in the library with the comment ``# [plumbing]`` (bookkeeping that is not the idea:
  buffers, log-space rescaling, hand-over to another function), and blocks between a line
  ``# [plumbing: <what>]`` and a line ``# [/plumbing]``.

Every left-out stretch is replaced by one comment line saying what was left out and how many
lines, and the last line says where the full source is, so nothing is hidden: ``show(f, full=True)``
or ``inspect.getsource(f)`` prints it all. Nothing is copied: the text comes from the function
that runs, so it cannot drift from it (tests check that every shown line is a line of the source,
in order).
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable

from .i18n import tr

#: A line ending in one of these comments is left out.
PLUMBING, CHECK = "# [plumbing]", "# [check]"
_BEGIN = re.compile(r"^\s*# \[plumbing: (?P<what>[^\]]+)\]\s*$")
_END = re.compile(r"^\s*# \[/plumbing\]\s*$")
#: The prefix of the comment lines ``core`` adds (they are not lines of the source).
NOTE = "# ·"
#: What ``core`` says it left out, in English; the comment lines are in the notebook's language. (A
#: ``# [plumbing: <what>]`` block is named by its own words.)
LEFT_OUT_MESSAGES = ("docstring", "argument checks", "bookkeeping")


def _check_call(node: ast.AST | None) -> bool:
    """A call to rnnlib's validators: check_array(...), _check(...), check_cache(...)."""
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    return name.startswith(("check_", "_check"))


def _names(nodes: list[ast.AST]) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def _is_check(stmt: ast.stmt) -> bool:
    """An argument check: a validator call whose result, if kept, only re-binds the checked arguments
    (``x = check_array("x", x, ...)``, not ``x, h = check_cache("cache", cache, ...)``, which unpacks);
    a ``raise``; an ``if`` without ``else`` that ends by raising or holds only checks; a loop of checks."""
    if isinstance(stmt, ast.Expr):
        return _check_call(stmt.value)
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and _check_call(stmt.value):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return _names(targets) <= _names([*stmt.value.args, *stmt.value.keywords])
    if isinstance(stmt, ast.Raise):
        return True
    if isinstance(stmt, (ast.If, ast.For)) and not stmt.orelse:
        return isinstance(stmt.body[-1], ast.Raise) or all(_is_check(s) for s in stmt.body)
    return False


def _left_out(tree: ast.AST) -> dict[int, str]:
    """Source line numbers (1-based) of the docstrings and argument checks, with what they are."""
    out: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                out.update({n: "docstring" for n in range(first.lineno, first.end_lineno + 1)})
        if isinstance(node, ast.stmt) and _is_check(node):
            out.update({n: "argument checks" for n in range(node.lineno, node.end_lineno + 1)})
    return out


def _name(func: Callable) -> str:
    module = getattr(func, "__module__", "") or ""
    return f"{module}.{func.__qualname__}" if module else func.__qualname__


def core(func: Callable) -> str:
    """The lines of ``func``'s source that carry the idea, as one string (see the module docstring).

    Inputs: func, a Python function (not a builtin). Returns: the text, ending with a line that
    says how to see the full source.
    """
    if not inspect.isfunction(func):
        raise ValueError(f"func: expected a Python function, got {type(func).__name__}")
    lines = textwrap.dedent(inspect.getsource(func)).splitlines()
    skip = _left_out(ast.parse("\n".join(lines)))
    block: str | None = None
    for i, line in enumerate(lines, start=1):
        begin = _BEGIN.match(line)
        if block is None and begin:
            block = begin.group("what")
        if block is not None:
            skip[i] = block
            if _END.match(line):
                block = None
        elif line.rstrip().endswith(PLUMBING):
            skip[i] = "bookkeeping"
        elif line.rstrip().endswith(CHECK):
            skip[i] = "argument checks"
    if block is not None:
        raise ValueError(f"func: {_name(func)} opens a '# [plumbing: ...]' block that never closes")
    shown: list[str] = []
    i = 1
    while i <= len(lines):
        if i not in skip:
            shown.append(lines[i - 1])
            i += 1
            continue
        j, kinds = i, []
        while j in skip:
            if skip[j] not in kinds:
                kinds.append(skip[j])
            j += 1
        indent = " " * (len(lines[i - 1]) - len(lines[i - 1].lstrip()))
        n = j - i
        what = ", ".join(tr(kind) if kind in LEFT_OUT_MESSAGES else kind for kind in kinds)
        if n == 1:
            said = tr("left out: {what} ({n} line)", what=what, n=n)
        else:
            said = tr("left out: {what} ({n} lines)", what=what, n=n)
        shown.append(f"{indent}{NOTE} {said}")
        i = j
    shown.append(f"{NOTE} " + tr("full source: {call}", call=f"inspect.getsource({_name(func)})"))
    return "\n".join(shown)


def show(func: Callable, full: bool = False) -> None:
    """Print ``core(func)``, or with ``full=True`` the whole source (``inspect.getsource``).

    Inputs: func, a Python function. Returns: None (prints).
    """
    if not isinstance(full, bool):
        raise ValueError(f"full: expected True or False, got {full!r} ({type(full).__name__})")
    if full:
        if not inspect.isfunction(func):
            raise ValueError(f"func: expected a Python function, got {type(func).__name__}")
        print(inspect.getsource(func))
    else:
        print(core(func))
