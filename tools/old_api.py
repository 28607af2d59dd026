"""The rnnlib API a tagged release's notebooks use: one ``module name`` pair a line, sorted.

    python tools/old_api.py v0.2.0 > tests/data/api_v0_2_0.txt

Reads every notebook of the tag (``git show TAG:notebooks/...``, both editions), parses each code cell with
``ast`` (IPython's ``%`` and ``!`` lines read as ``pass``) and follows the names bound to rnnlib or one of its modules
(``import rnnlib``, ``from rnnlib import widgets``, ``from rnnlib.exercises import ex01``): each attribute read
from such a name, or imported from such a module, is a pair. A name that is a module of the tag (``rnnlib.init``)
is followed further. tests/test_layout.py checks that every pair still resolves against this checkout.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def tag_modules(tag: str) -> set[str]:
    """The dotted module names of rnnlib at ``tag`` (packages included)."""
    mods = set()
    for path in git("ls-tree", "-r", "--name-only", tag, "rnnlib").split():
        if path.endswith(".py"):
            parts = path[:-3].split("/")
            mods.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return mods


def cell_code(source: str) -> str:
    lines = source.splitlines()
    return "\n".join(line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
                     for line in lines)


def pairs_of(tree: ast.AST, modules: set[str]) -> set[tuple[str, str]]:
    bound: dict[str, str] = {}  # local name -> module it holds
    pairs: set[tuple[str, str]] = set()
    for node in ast.walk(tree):  # imports first: a cell's imports come before their use
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "rnnlib":
                    bound[a.asname or a.name.split(".")[0]] = a.name if a.asname else "rnnlib"
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "rnnlib":
            for a in node.names:
                pairs.add((node.module, a.name))
                if f"{node.module}.{a.name}" in modules:
                    bound[a.asname or a.name] = f"{node.module}.{a.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain = []
            inner = node
            while isinstance(inner, ast.Attribute):
                chain.append(inner.attr)
                inner = inner.value
            if not (isinstance(inner, ast.Name) and inner.id in bound):
                continue
            module = bound[inner.id]
            for attr in reversed(chain):
                pairs.add((module, attr))
                if f"{module}.{attr}" not in modules:
                    break
                module = f"{module}.{attr}"
    return pairs


def main(tag: str) -> None:
    modules = tag_modules(tag)
    pairs: set[tuple[str, str]] = set()
    notebooks = [p for p in git("ls-tree", "-r", "--name-only", tag, "notebooks").split() if p.endswith(".ipynb")]
    for path in notebooks:
        nb = json.loads(git("show", f"{tag}:{path}"))
        bound_code = "\n".join(cell_code("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code")
        pairs |= pairs_of(ast.parse(bound_code), modules)
    print(f"# The rnnlib API the notebooks of {tag} use: module name (python tools/old_api.py {tag} > this file)")
    for module, name in sorted(pairs):
        print(module, name)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/old_api.py TAG")
    main(sys.argv[1])
