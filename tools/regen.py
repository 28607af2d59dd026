"""Re-execute notebooks top to bottom and store their outputs, deterministically.

Usage: python tools/regen.py [NOTEBOOK ...]     (default: notebooks/NN_*.ipynb, then notebooks/ko/NN_*.ipynb)

A Korean notebook (notebooks/ko/NN_*.ipynb) is first rebuilt from its English twin and its catalog
(tools/translate.py: markdown, code literals and comments in Korean), then executed like the English ones:
its outputs are its own, in Korean. Each notebook runs in a fresh kernel from its own folder.

What would change on every run is not stored: timing metadata, widget state, the random model ids of widget
views (a widget's text form stays, and is what a static copy shows), the kernel's Python version, and the way
printed text happened to be split into chunks. A notebook that raises stops the run with its error.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import translate  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stable_outputs(outputs: list) -> list:
    """Consecutive prints to one stream joined into one output; widget-view model ids dropped."""
    out: list = []
    for output in outputs:
        if output.output_type == "stream" and out and out[-1].output_type == "stream" and out[-1].name == output.name:
            out[-1].text += output.text
            continue
        if "data" in output:
            output.data.pop(WIDGET_VIEW, None)
        out.append(output)
    return out


def regen(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = stable_outputs(cell.outputs)
    nbformat.write(nb, path)
    return seconds


def is_korean(path: Path) -> bool:
    return path.resolve().parent.name == translate.LANGUAGE and translate.english_of(path).exists()


def rebuild_korean(path: Path) -> None:
    """Write the Korean notebook ``path`` from its English twin and catalog; say which entries are stale."""
    stale, problems = translate.refresh(translate.english_of(path), korean=path.resolve().parent)
    for line in [f"stale (English kept): {s}" for s in stale] + problems:
        print(line, file=sys.stderr)


def main(args: list[str]) -> int:
    paths = [Path(a) for a in args] or (sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
                                        + sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb")))
    total = 0.0
    for path in paths:
        if is_korean(path):
            rebuild_korean(path)
        seconds = regen(path)
        total += seconds
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        print(f"{shown}: executed in {seconds:.1f} s")
    print(f"{len(paths)} notebook(s) in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
