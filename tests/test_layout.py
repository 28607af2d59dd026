"""The two layers of rnnlib (issue 22): the maths of the lecture note in ``rnnlib/``, the course machinery in
``rnnlib/teaching/``, imports one way only; and the old import paths of the last release, which still work
with a DeprecationWarning until the next tagged release.

The one exception to the direction rule: a module-level ``__getattr__`` (PEP 562) may import the course layer
lazily, by name, through ``importlib.import_module``. ``LAZY_HOOKS`` lists where: ``rnnlib.setup_notebook``
(every notebook's first call, a first-class entry point) and the deprecated ``rnnlib.cliff.plot_cliff``.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from helpers import MOVED

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rnnlib"

#: The maths of the lecture note and its experiments: rnnlib/<name>.py.
MATHS = {"__init__", "_validate", "activations", "bptt", "cliff", "costs", "gated", "gradcheck", "init",
         "jacobian", "outcomes", "rnn", "stack", "tasks", "train"}
#: The course machinery: rnnlib/teaching/<name>.py (exercises/ is a package of its own).
TEACHING = {"__init__", "_views", "course", "curves", "diagrams", "glossary", "i18n", "plots", "source", "style",
            "widgets", "exercises/__init__", "exercises/_ex02_solutions", "exercises/ex01", "exercises/ex02",
            "exercises/ex03", "exercises/ex04"}
#: Files of the course layer that are data, not modules.
TEACHING_DATA = {"glossary.csv"}
#: Module-level __getattr__ hooks of the maths layer allowed to import the course layer by name.
LAZY_HOOKS = {"__init__": "rnnlib.teaching.course", "cliff": "rnnlib.teaching.plots"}
#: What the maths layer may never import: the course layer and the drawing and notebook libraries.
FORBIDDEN = ("rnnlib.teaching", "matplotlib", "ipywidgets", "IPython", "PIL")
#: The finder that answers for the deprecated old paths (rnnlib.widgets, ...): no file is left at an old path.
OLD_PATHS = "_moved"


def maths_files() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def imported_names(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``tree``; ``package``: the package the file is in, against
    which its relative imports resolve."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if name in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
                found.append((node.lineno, str(node.args[0].value)))
    return found


def hook_bodies(tree: ast.Module) -> set[int]:
    """Line numbers inside the module-level ``def __getattr__``."""
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            lines |= set(range(node.lineno, node.end_lineno + 1))
    return lines


def forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def test_every_module_is_in_one_layer():
    """The folder tree is the promise: each file of rnnlib is maths or course machinery (plus the one finder of
    the old paths); no file stands at an old path."""
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == MATHS | {OLD_PATHS}, f"rnnlib/: {sorted(top ^ (MATHS | {OLD_PATHS}))}"
    teaching = {str(p.relative_to(PACKAGE / "teaching").with_suffix("")) for p in (PACKAGE / "teaching").rglob("*.py")}
    assert teaching == TEACHING, f"rnnlib/teaching/: {sorted(teaching ^ TEACHING)}"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == {"teaching"}
    messages = PACKAGE / "teaching" / "messages"
    data = {p.name for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
            and messages not in p.parents}
    fonts = {"OFL.txt", "NotoSansCJKkr-Regular.subset.otf", "NotoSansCJKkr-Bold.subset.otf"}   # Korean figures
    assert {p.name for p in (PACKAGE / "teaching" / "fonts").iterdir()} == fonts
    data -= fonts
    assert data == TEACHING_DATA and (PACKAGE / "teaching" / "glossary.csv").is_file()
    # the message catalogs: messages/README.md and messages/<language>/<module>.json, nothing else
    for path in messages.rglob("*"):
        if path.is_file():
            rel = path.relative_to(messages)
            assert rel.name == "README.md" and len(rel.parts) == 1 or (
                len(rel.parts) == 2 and rel.parts[0] in ("ko",) and rel.suffix == ".json"), rel
    assert not {old.split(".")[1] for old in MOVED} & MATHS, "a maths module cannot also be an old path"


@pytest.mark.parametrize("path", maths_files(), ids=lambda p: p.name)
def test_the_maths_never_imports_the_course_layer(path):
    """Every import of a maths module, at the top or inside a function, stays out of the course layer and off
    matplotlib, ipywidgets and IPython; only the hooks of LAZY_HOOKS name the course layer, inside __getattr__."""
    tree = ast.parse(path.read_text(), filename=str(path))
    hooks = hook_bodies(tree)
    bad = []
    for line, name in imported_names(tree, "rnnlib"):
        if not forbidden(name):
            continue
        allowed = LAZY_HOOKS.get(path.stem)
        if line in hooks and allowed is not None and (name == allowed or name.startswith(allowed + ".")):
            continue
        bad.append(f"{path.name}:{line}: {name}")
    assert not bad, "the maths layer imports the course layer or a drawing library:\n" + "\n".join(bad)


def test_the_checker_sees_every_kind_of_import():
    """The checker of the direction test finds an import inside a function, a relative one and one by name."""
    code = ("def f():\n    import matplotlib.pyplot as plt\n"
            "def g():\n    from .teaching import widgets\n"
            "def h():\n    import importlib\n    return importlib.import_module('ipywidgets')\n"
            "from . import rnn\n"
            "from .. import other\n")
    names = [n for _, n in imported_names(ast.parse(code), "rnnlib")]
    assert [n for n in names if forbidden(n)] == ["matplotlib.pyplot", "rnnlib.teaching", "rnnlib.teaching.widgets",
                                                  "ipywidgets"]
    assert "rnnlib.rnn" in names and not forbidden("rnnlib.rnn") and not forbidden("matplotlibx")
    relative = imported_names(ast.parse("from ..jacobian import x"), "rnnlib.teaching")
    assert [n for _, n in relative][0] == "rnnlib.jacobian"


def test_the_old_paths_finder_holds_no_course_code():
    """rnnlib/_moved.py names the course layer only as strings of its map, imported on demand: it defines the
    finder and nothing of the course, and importing rnnlib installs it without importing anything it maps to."""
    tree = ast.parse((PACKAGE / f"{OLD_PATHS}.py").read_text())
    defs = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    assert defs == {"_OldPaths", "install"}
    assert not [n for _, n in imported_names(tree, "rnnlib") if forbidden(n)]


def test_import_rnnlib_loads_numpy_only():
    code = ("import sys, rnnlib; loaded = [m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'ipywidgets', 'IPython', 'PIL') or m.startswith('rnnlib.teaching')]; print(loaded)")
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_setup_notebook_is_a_first_class_entry_point():
    """rnnlib.setup_notebook, every notebook's first call: reached through rnnlib's __getattr__, no warning."""
    code = ("import rnnlib, rnnlib.teaching as t; f = rnnlib.setup_notebook; "
            "assert f is t.setup_notebook is t.course.setup_notebook; from rnnlib import setup_notebook; "
            "assert setup_notebook is f; print('ok')")
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
    import rnnlib

    with pytest.raises(AttributeError, match="no_such_name"):
        rnnlib.no_such_name  # noqa: B018


def old_api() -> list[tuple[str, str]]:
    lines = (ROOT / "tests" / "data" / "api_v0_2_0.txt").read_text().splitlines()
    return [tuple(line.split()) for line in lines if line and not line.startswith("#")]


def new_path(module: str, name: str) -> str | None:
    """Where ``module.name`` is now, when it moved (the module it is read from, or the name itself), else None."""
    full = f"{module}.{name}"
    if full == "rnnlib.cliff.plot_cliff":
        return "rnnlib.teaching.plots.plot_cliff"
    for old, new in sorted(MOVED.items(), key=lambda kv: -len(kv[0])):  # rnnlib.exercises.ex01 before .exercises
        if full == old or full.startswith(old + "."):
            return new + full.removeprefix(old)
    return None


def test_the_old_api_list_is_the_tags():
    """The list is what tools/old_api.py derives from the tag (when the tag is in this clone)."""
    tag = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "v0.2.0^{tag}"], cwd=ROOT, capture_output=True)
    if tag.returncode != 0:
        pytest.skip("the tag v0.2.0 is not in this clone")
    out = subprocess.run([sys.executable, "tools/old_api.py", "v0.2.0"], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout == (ROOT / "tests" / "data" / "api_v0_2_0.txt").read_text()


def forget_old_paths() -> None:
    """Drop the old paths from sys.modules (and their parents' attributes), so that importing one runs its alias
    module again, as in a fresh kernel."""
    for old in sorted(MOVED, key=len, reverse=True):
        sys.modules.pop(old, None)
        parent, _, last = old.rpartition(".")
        if parent in sys.modules and last in vars(sys.modules[parent]) and not parent.startswith("rnnlib.teaching"):
            delattr(sys.modules[parent], last)


def resolve(path: str):
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError as e:
        if e.name != path:
            raise
        parent, _, last = path.rpartition(".")
        return getattr(importlib.import_module(parent), last)


def test_the_released_notebooks_api_still_resolves():
    """Every (module, name) the v0.2.0 notebooks used resolves; a moved one warns, naming its new path, and is
    the very object found there (not a copy); the others do not warn."""
    pairs = old_api()
    assert len(pairs) > 100 and ("rnnlib", "setup_notebook") in pairs and ("rnnlib.widgets", "scalar_explorer") in pairs
    problems = []
    try:
        for module, name in pairs:
            forget_old_paths()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = resolve(f"{module}.{name}")
            deprecations = [str(w.message) for w in caught if w.category is DeprecationWarning]
            others = [str(w.message) for w in caught if w.category is not DeprecationWarning]
            new = new_path(module, name)
            where = f"{module} {name}"
            if others:
                problems.append(f"{where}: warned {others}")
            elif new is None and deprecations:
                problems.append(f"{where}: did not move, warned {deprecations}")
            elif new is not None and not any(new.startswith(m.split(" moved to ")[1].split(";")[0])
                                             for m in deprecations if " moved to " in m):
                problems.append(f"{where}: moved to {new}, warned {deprecations}")
            elif new is not None and value is not resolve(new):
                problems.append(f"{where}: not the object at {new}")
    finally:
        forget_old_paths()
    assert not problems, "\n".join(problems)


def test_each_old_path_is_the_new_module():
    """``import rnnlib.widgets`` gives ``rnnlib.teaching.widgets`` itself (not a copy), with a warning naming it;
    ``rnnlib.exercises`` is a package of aliases whose names are the new package's."""
    problems = []
    try:
        for old, new in sorted(MOVED.items()):
            forget_old_paths()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                module = importlib.import_module(old)
            target = importlib.import_module(new)
            if not any(new in str(w.message) and w.category is DeprecationWarning for w in caught):
                problems.append(f"{old}: no DeprecationWarning naming {new}: {[str(w.message) for w in caught]}")
            if old == "rnnlib.exercises":
                if not (module.Verdict is target.Verdict and module.check_choice is target.check_choice):
                    problems.append(f"{old}: its names are not those of {new}")
            elif module is not target:
                problems.append(f"{old}: {module!r} is not {new}")
        copies = [m for m, mod in sys.modules.items() if m in MOVED and mod.__name__ != MOVED[m]
                  and m != "rnnlib.exercises"]
        assert not copies, f"second copies of course modules under old names: {copies}"
    finally:
        forget_old_paths()
    assert not problems, "\n".join(problems)


def test_plot_cliff_old_name_warns():
    import rnnlib.cliff
    import rnnlib.teaching.plots

    with pytest.warns(DeprecationWarning, match=r"rnnlib\.teaching\.plots\.plot_cliff"):
        f = rnnlib.cliff.plot_cliff
    assert f is rnnlib.teaching.plots.plot_cliff
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="no_such_name"):
            rnnlib.cliff.no_such_name  # noqa: B018
    assert importlib.import_module("rnnlib.cliff") is rnnlib.cliff
