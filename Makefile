# The course's commands. Python >= 3.10, make and bash are needed: targets create .venv when missing (README: the path without make).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
KO_NOTEBOOKS = $(patsubst notebooks/%,notebooks/ko/%,$(NOTEBOOKS))

# A Python of a given minor version (pyenv, with or without pyenv on PATH, or pythonX.Y), else python3.
find_python = $(shell for c in \
	"$$(v=$$(pyenv versions --bare 2>/dev/null | grep -E '^$(subst .,\.,$(1))(\.|$$)' | tail -n 1); [ -n "$$v" ] && PYENV_VERSION=$$v pyenv which python 2>/dev/null)" \
	$$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/$(1).*/bin/python 2>/dev/null) \
	"$$(command -v python$(1))" "$$(command -v python3)"; do \
	[ -n "$$c" ] && "$$c" -c "import sys" >/dev/null 2>&1 && { echo "$$c"; break; }; done)

# Colab's versions, for the compatibility run (an environment to test in, not a pin of the package).
# numpy 2.0.2 is also the oldest numpy the package allows in practice (pyproject: numpy>=2.0).
COMPAT_VENV := .venv-compat
COMPAT_PINS := "numpy==2.0.2" "matplotlib==3.10.0" "ipywidgets==7.7.1" "pyparsing<3.3"
COMPAT_PYTHON ?= $(call find_python,3.12)

# The machine-independence check: nbval under other OpenBLAS kernels, and with the newest numpy pip installs.
# English notebooks only: each Korean notebook runs the same code (tests/test_translations.py: the code once
# literals and comments are masked, and every printed number, are its English twin's).
NEWEST_VENV := .venv-newest
NEWEST_PYTHON ?= $(call find_python,3.13)
KERNELS ?= Prescott SandyBridge Haswell Zen $(if $(shell grep -m1 -o avx512f /proc/cpuinfo 2>/dev/null),SkylakeX)
NBVAL_ONLY := $(NOTEBOOKS) --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	-n 2 --dist loadfile -q -p no:cacheprovider

# pytest over the library and nbval over the notebooks of both editions (the root conftest.py collects
# notebooks/NN_*.ipynb and notebooks/ko/NN_*.ipynb), in one run. Strict: stored outputs compared. The notebooks
# come first: with --dist loadfile each is one unit of work, the longest ones, so starting them first keeps both
# workers busy to the end (about 10 s less wall time, measured).
PYTEST_ARGS := notebooks tests --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	-n 2 --dist loadfile

.PHONY: setup lab test test-compat test-machines test-perturb regen badges lint bench mutation clean

# Two installs in the same .venv: the learner's (make lab: the learner extra, under 450 MB) and the maintainer's
# (every other target: the dev extra, test and site tools included), each with its own stamp.
# setuptools' note on editable installs is silenced (PYTHONWARNINGS): it warns of nothing a learner can act on.
LEARNER_STAMP := $(VENV)/.installed-learner
QUIET_PIP := PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet
# JupyterLab as make lab starts it (tools/lab): no jupyter-lsp, warnings only in the log, no news prompt
LAB := JUPYTER_CONFIG_PATH="$(CURDIR)/tools/lab" $(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(QUIET_PIP) -e ".[dev]"
	touch $(STAMP)

# make lint and make html install only their own extra when the dev one is not there (CI's lint and site jobs).
$(VENV)/.installed-%: pyproject.toml
	@if [ -f $(STAMP) ] && [ $(STAMP) -nt pyproject.toml ]; then touch $@; else \
		$(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip && $(QUIET_PIP) -e ".[$*]" && touch $@; fi

$(LEARNER_STAMP): pyproject.toml
	@if [ -f $(STAMP) ] && [ $(STAMP) -nt pyproject.toml ]; then touch $@; else \
		echo "Installing the course into $(VENV) (once, about a minute)" && $(PYTHON) -m venv $(VENV) && \
		$(PY) -m pip install --quiet --upgrade pip && $(QUIET_PIP) -e ".[learner]" && touch $@; fi

lab: $(LEARNER_STAMP)
	@$(LAB) notebooks/00_index.ipynb

# Two pytest workers on two cores: one BLAS thread each (course-sized matrices run slower on more).
# The browser tests (JupyterLab's explorers, the website) run afterwards on their own: they time key press to
# new image, which must be measured on a machine that is not also running the rest of the suite.
test: export OPENBLAS_NUM_THREADS = 1
test: export OMP_NUM_THREADS = 1
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS) -m "not browser and not claims and not site"
	$(PY) -m pytest tests -m "browser and not site"

# The website (tests/test_site.py, marker site): built once from the stored outputs, then every page in Chromium
# at 390 and 1280 px, light and dark, both editions (overflow, contrast, alt text, lang, slider values and frames,
# menus, links, page weight, external requests), and each "Predict first" prompt made with the page's own
# controls. Heavier than make test (building the site alone takes about a minute); .ci/run runs it.
.PHONY: test-site
test-site: export OPENBLAS_NUM_THREADS = 1
test-site: export OMP_NUM_THREADS = 1
test-site: $(STAMP)
	$(PY) -m pytest tests/test_site.py -m site -p no:cacheprovider

$(COMPAT_VENV)/.installed: pyproject.toml
	$(COMPAT_PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(COMPAT_VENV)/bin/python -m pip install --quiet -e ".[test]" $(COMPAT_PINS)
	touch $@

# The same suite with Colab's numpy, matplotlib and ipywidgets 7 (the browser test needs JupyterLab 4's widgets 8),
# and two BLAS threads where `make test` uses one: the stored outputs must depend on neither.
test-compat: export OPENBLAS_NUM_THREADS = 2
test-compat: export OMP_NUM_THREADS = 2
test-compat: $(COMPAT_VENV)/.installed
	$(COMPAT_VENV)/bin/python -c "import numpy, matplotlib, ipywidgets, sys; print('compat:', sys.version.split()[0], numpy.__version__, matplotlib.__version__, ipywidgets.__version__)"
	$(COMPAT_VENV)/bin/python -m pytest $(PYTEST_ARGS) -m "not browser and not claims and not site"

$(NEWEST_VENV)/.installed: pyproject.toml
	$(NEWEST_PYTHON) -m venv $(NEWEST_VENV)
	$(NEWEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NEWEST_VENV)/bin/python -m pip install --quiet --upgrade -e ".[test]"
	touch $@

# Every stored output nbval compares must be the same on any machine: each OpenBLAS kernel a CPU may pick
# (forced with OPENBLAS_CORETYPE), then the newest numpy and Python. test-compat covers the oldest numpy
# with two BLAS threads. Fails on the first output that differs.
test-machines: export OPENBLAS_NUM_THREADS = 1
test-machines: export OMP_NUM_THREADS = 1
test-machines: $(STAMP) $(NEWEST_VENV)/.installed
	@set -e; for k in $(KERNELS); do \
		echo "== OpenBLAS kernel $$k: $$(OPENBLAS_CORETYPE=$$k $(PY) -c 'import numpy, threadpoolctl; print("numpy", numpy.__version__, "kernel", threadpoolctl.threadpool_info()[0].get("architecture"))')"; \
		OPENBLAS_CORETYPE=$$k $(PY) -m pytest $(NBVAL_ONLY); \
	done
	@echo "== newest: $$($(NEWEST_VENV)/bin/python -c 'import sys, numpy, matplotlib; print("Python", sys.version.split()[0], "numpy", numpy.__version__, "matplotlib", matplotlib.__version__)')"
	$(NEWEST_VENV)/bin/python -m pytest $(NBVAL_ONLY)
	@$(MAKE) --no-print-directory test-perturb

# Another machine's last bits, without that machine: nbval over the English notebooks under each perturbation
# seed (tools/perturb: ±1 ulp on numpy's exp, log, log1p, expm1, tanh, log10, log2 results and 1-4 ulps on
# every training run's starting parameters), then with numpy's AVX-512 and AVX2 dispatch groups switched off
# where this CPU has them (the names read from this numpy: tools/dispatch_variants.py). First the negative
# control: a notebook whose printed numbers sit on the last bits must fail the same check.
PERTURB_SEEDS ?= 1 2 3 4 5 6 7 8
PERTURB_PATH := $(CURDIR)/tools/perturb
test-perturb: export OPENBLAS_NUM_THREADS = 1
test-perturb: export OMP_NUM_THREADS = 1
test-perturb: $(STAMP)
	@echo "== negative control"
	$(PY) tools/perturb/negative_control.py $(wordlist 1,2,$(PERTURB_SEEDS))
	@set -e; marker=$$(mktemp); trap 'rm -f "$$marker"' EXIT; n=$$(ls notebooks/[0-9][0-9]_*.ipynb | wc -l); \
	for s in $(PERTURB_SEEDS); do \
		echo "== perturbation seed $$s"; \
		RNNLIB_PERTURB_SEED=$$s RNNLIB_PERTURB_MARKER=$$marker PYTHONPATH=$(PERTURB_PATH)$${PYTHONPATH:+:$$PYTHONPATH} \
			$(PY) -m pytest $(NBVAL_ONLY); \
		k=$$(grep -c "^[0-9]* seed=$$s .*ipykernel" "$$marker" || true); \
		[ "$$k" -ge "$$n" ] || { echo "the hook was active in $$k kernel(s), expected $$n"; exit 1; }; \
	done
	@set -e; for v in no-avx512 no-avx2; do \
		f="$$($(PY) tools/dispatch_variants.py $$v)"; \
		if [ -z "$$f" ]; then echo "== numpy dispatch $$v: skipped ($$($(PY) tools/dispatch_variants.py | grep "^$$v:"))"; continue; fi; \
		echo "== numpy dispatch $$v: NPY_DISABLE_CPU_FEATURES=\"$$f\""; \
		NPY_DISABLE_CPU_FEATURES="$$f" $(PY) -m pytest $(NBVAL_ONLY); \
	done

# The claims register's tests (tests/test_claims_NN.py): every general sentence of the notebooks tried over
# many seeds, draws or a grid. They train and sweep, so they run here and in .ci/run, not in make test.
.PHONY: claims
claims: export OPENBLAS_NUM_THREADS = 1
claims: export OMP_NUM_THREADS = 1
claims: $(STAMP)
	$(PY) -m pytest tests -m claims -n 2 --dist loadfile -q -p no:cacheprovider

# Both editions: each Korean notebook is rebuilt from its English twin and catalog, then executed.
regen: $(STAMP)
	$(PY) tools/regen.py $(NOTEBOOKS) $(KO_NOTEBOOKS)

badges: $(STAMP)
	$(PY) tools/badges.py

lint: $(VENV)/.installed-lint
	$(VENV)/bin/ruff check rnnlib tests tools bench notebooks docs conftest.py
	$(VENV)/bin/actionlint .github/workflows/*.yml

# The course website in build/html, from the stored outputs (nothing is executed), warnings as errors.
# docs/_ext/course_site.py stages the pages in build/site-src and draws the sliders' frames.
.PHONY: html
html: $(VENV)/.installed-docs
	rm -rf build/site-src build/html build/site-doctrees
	mkdir -p build/site-src
	$(PY) -m sphinx -W --keep-going -q -b html -c docs -d build/site-doctrees build/site-src build/html
	@echo "the site: build/html/index.html"

# Speed against the bar of COURSE.md section 5; fails when rnnlib is over 1x PyTorch's nn.RNN or PyTorch is missing.
# The bench extra installs PyTorch (any build runs on the CPU; PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
# in the environment picks the smaller CPU-only wheel). make test and .ci/run never need it.
bench: $(STAMP)
	$(QUIET_PIP) -e ".[bench]"
	$(PY) bench/bench.py

# Mutation testing of the maths modules (slow: about an hour on 2 cores; weekly on GitHub). Settings in pyproject.toml
# [tool.mutmut]; the report leaves out tests/mutation_equivalents.txt and fails below 95 % killed in any module.
# A passing run writes tests/mutation_baseline.json (commit it): the hashes mutation-changed compares against.
mutation: export OPENBLAS_NUM_THREADS = 1
mutation: export OMP_NUM_THREADS = 1
mutation: $(STAMP)
	$(PY) -m pip install --quiet -e ".[mutation]"
	nice -n 15 $(VENV)/bin/mutmut run --max-children 1
	$(PY) tools/mutation_report.py
	$(PY) tools/mutation_scope.py baseline

# CI's mutation check: only the modules whose source or tests changed since tests/mutation_baseline.json, at most
# 50 mutants each (fixed seed), failing below 95 % killed; one line and nothing run when nothing changed.
.PHONY: mutation-changed
mutation-changed: export OPENBLAS_NUM_THREADS = 1
mutation-changed: export OMP_NUM_THREADS = 1
mutation-changed: $(STAMP)
	@status=0; $(PY) tools/mutation_scope.py changed || status=$$?; \
	if [ $$status = 0 ]; then $(PY) -m pip install --quiet -e ".[mutation]" && nice -n 15 $(PY) tools/mutation_scope.py check; \
	elif [ $$status != 3 ]; then exit $$status; fi

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis build *.egg-info test-artifacts mutants
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -exec rm -rf {} +

# The Korean edition: refresh locale/ko/LC_MESSAGES/*.po from the English notebooks (markdown cells, and the
# string literals and comments of code cells), rebuild notebooks/ko/ and list the entries to translate (new,
# changed or fuzzy). It keeps the stored outputs of unchanged code cells only: make regen executes the Korean
# notebooks and stores their own outputs, which nbval then compares as it does the English ones.
.PHONY: translations
translations: $(STAMP)
	$(PY) tools/translate.py

# The Korean edition in JupyterLab: the same environment as make lab, opened on the Korean course map.
.PHONY: lab-ko
lab-ko: $(LEARNER_STAMP)
	@$(LAB) notebooks/ko/00_index.ipynb
