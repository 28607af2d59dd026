"""Packaging promises: a cheap import, minimum versions only, one repository setting."""

import re
import subprocess
import sys
from pathlib import Path

import rnnlib
from rnnlib.teaching import course

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
    assert f"git+https://github.com/{course.REPOSITORY}@{course.RELEASE}" in course.setup_cell_source()


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


def test_version_release_tag_changelog_and_colab_cells_agree():
    import nbformat

    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert course.RELEASE == f"v{version}" == f"v{rnnlib.__version__}"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\d+\.\d+\.\d+)", changelog, re.M)[0] == version, "CHANGELOG.md: no section for it"
    install = f'"rnnlib[widgets] @ git+https://github.com/{course.REPOSITORY}@{course.RELEASE}"'
    paths = [*sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),      # the lessons of both editions, not an
             *sorted((ROOT / "notebooks").glob("ko/[0-9][0-9]_*.ipynb"))]   # editor's leftover written meanwhile
    assert len(paths) == 10
    for path in paths:
        cells = nbformat.read(path, as_version=4).cells
        setup = [c.source for c in cells if "setup" in c.metadata.get("tags", [])]
        badges = [c.source for c in cells if "badges" in c.metadata.get("tags", [])]
        assert len(setup) == 1 and install in setup[0], f"{path.name}: the Colab cell does not install {install}"
        assert len(badges) == 1 and f"/blob/{course.RELEASE}/notebooks/" in badges[0], path.name
        assert f"/v2/gh/{course.REPOSITORY}/{course.RELEASE}?" in badges[0], path.name
    assert f"/blob/{course.RELEASE}/notebooks/00_index.ipynb" in (ROOT / "README.md").read_text(encoding="utf-8")


def _floors(text: str) -> dict[str, str]:
    """package -> minimum version, from every 'name>=X' in a requirements-like text."""
    return {name.lower(): floor for name, floor in re.findall(r"[\"\s-]([A-Za-z][\w-]*)>=([\d.]+)", text)}


def test_environment_yml_and_pyproject_agree_on_minimum_versions():
    pyproject = _floors((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    environment = _floors((ROOT / "environment.yml").read_text(encoding="utf-8"))
    shared = sorted(environment.keys() & pyproject.keys())
    assert shared == ["ipywidgets", "jupyterlab", "matplotlib", "numpy"], shared
    assert {k: environment[k] for k in shared} == {k: pyproject[k] for k in shared}
    assert {k: pyproject[k] for k in course.MINIMUM_VERSIONS} == course.MINIMUM_VERSIONS


def test_the_learner_extra_and_the_path_without_make():
    learner = re.search(r"^learner = \[(.*)\]$", (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert learner, "pyproject.toml: no learner extra"
    assert re.findall(r'"([\w-]+)[<>=]', learner.group(1)) == ["matplotlib", "ipywidgets", "jupyterlab"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in ("python -m venv .venv", 'pip install -e ".[learner]"', "jupyter lab notebooks/00_index.ipynb",
                 'pip install -e ".[dev]"', "python -m pytest"):
        assert line in readme, line
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^python3 tools/install_check.py --tests$", ci, re.M)
    workflow = (ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8")
    assert "python tools/install_check.py --tests" in workflow
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lab: \$\(LEARNER_STAMP\)$", makefile, re.M) and '-e ".[learner]"' in makefile


def test_every_workflow_job_has_a_timeout_and_the_deploy_a_guard():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    for path in workflows:
        text = path.read_text(encoding="utf-8")
        jobs = re.findall(r"^  ([\w-]+):\n((?:    .*\n|\n)+)", text.split("\njobs:\n", 1)[1], re.M)
        assert jobs, path.name
        for name, body in jobs:
            assert re.search(r"^    timeout-minutes: \d+$", body, re.M), f"{path.name}: job {name} has no timeout"
    pages = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert f"if: github.repository == '{course.REPOSITORY}' || vars.PAGES_DEPLOY == 'true'" in pages
