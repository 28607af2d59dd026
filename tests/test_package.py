"""Packaging promises: a cheap import, minimum versions only, one repository setting."""

import re
import subprocess
import sys
from pathlib import Path

import rnnlib
from rnnlib import course

ROOT = Path(__file__).resolve().parent.parent


def test_import_loads_numpy_only():
    code = "import sys, rnnlib; print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'ipywidgets'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_dependencies_are_minimums_and_colab_compatible():
    text = (ROOT / "pyproject.toml").read_text()
    assert "==" not in text, "pin nothing exactly in the package"
    assert '"ipywidgets>=7.6"' in text and "ipywidgets>=8" not in text, "Colab ships ipywidgets 7.7.1"
    assert f'version = "{rnnlib.__version__}"' in text


def test_environment_for_binder():
    text = (ROOT / "environment.yml").read_text()
    assert "conda-forge" in text and "python=3.11" in text
    for package in ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "-e ."):
        assert package in text, package


def test_one_repository_setting():
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", course.REPOSITORY)
    hits = [p for p in (ROOT / "rnnlib").rglob("*.py") if course.REPOSITORY in p.read_text()]
    assert [p.name for p in hits] == ["course.py"]
    assert f"git+https://github.com/{course.REPOSITORY}@{course.BRANCH}" in course.setup_cell_source()


def test_readme_and_ci_run_the_same_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make lab" in readme and "make test" in readme
    assert re.search(r"^\s*make test\s*$", ci, re.M), ".ci/run must call the README's test command"


def test_badges_and_setup_cells_agree_with_the_repository_setting():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "badges.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_version_parsing_and_setup_notebook(capsys):
    assert course._version_tuple("2.0.0rc1") == (2, 0, 0)
    assert course._version_tuple("1.10rc2") == (1, 10)
    assert course._version_tuple("3.10.0") > course._version_tuple("3.7")
    course.setup_notebook()
    assert capsys.readouterr().out.strip() == "rnnlib is ready: numpy, matplotlib and ipywidgets are recent enough."
