"""The claims register of notebook 00 (the course map): its sentences about the other notebooks point at the
tests that try those claims over many seeds there; its own statements (notation, setup cell, Korean edition,
term policy) are tried here over 24 random networks or over every notebook of both editions."""

import json
from pathlib import Path

import numpy as np
import pytest
from claims import Claim
from test_claims_01 import test_lag_sweep_over_100_seeds as _lag_sweep_over_100_seeds  # noqa: F401
from test_claims_02 import (  # noqa: F401
    test_jacobian_products_shrink_or_grow_with_the_size_of_w_hh as _jacobian_products,
)
from test_translations import code_shape
from test_translations import test_korean_outputs_have_no_english_left as _korean_outputs  # noqa: F401
from test_translations import test_korean_prose_keeps_the_term_policy as _term_policy  # noqa: F401

import rnnlib
from rnnlib.teaching.course import setup_cell_source

pytestmark = pytest.mark.claims
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
DRAWS = range(100, 124)


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_notation_h_t_and_o_t_and_the_step_count():
    """24 random networks: H[t-1] is tanh(W_xh x_t + W_hh h_{t-1} + b_h) with h_0 = h_init, O[t-1] = W_hy h_t + b_y."""
    for s in DRAWS:
        rng = np.random.default_rng(s)
        T, B, D, H, O = (int(v) for v in rng.integers(1, 6, size=5))
        p = rnnlib.init_params(D, H, O, rng)
        X, h = rng.normal(size=(T, B, D)), rng.normal(size=(B, H))
        Hs, _ = rnnlib.rnn_forward(X, p, h)
        Os, _ = rnnlib.output_forward(Hs, p.W_hy, p.b_y)
        for t in range(1, T + 1):
            h = np.tanh(X[t - 1] @ p.W_xh.T + h @ p.W_hh.T + p.b_h)
            assert np.allclose(Hs[t - 1], h, rtol=0, atol=1e-12)
            assert np.allclose(Os[t - 1], h @ p.W_hy.T + p.b_y, rtol=0, atol=1e-12)


def test_every_notebook_starts_with_the_setup_cell():
    """Every English and Korean notebook: its first code cell is its edition's 00's (the Korean one differs only in
    its comment and setup_notebook(language="ko")), installs on Colab only, checks versions."""
    first = [next(c for c in _cells(p) if c["cell_type"] == "code") for p in NOTEBOOKS]
    korean = [next(c for c in _cells(p) if c["cell_type"] == "code") for p in sorted((ROOT / "notebooks" / "ko")
                                                                                     .glob("0*.ipynb"))]
    assert len(korean) == len(first) == 5
    for cells in (first, korean):
        source = "".join(cells[0]["source"])
        assert all("".join(c["source"]) == source for c in cells)
        assert 'if "google.colab" in sys.modules:' in source and "%pip install" in source
        assert "setup_notebook" in source
    english, ko = "".join(first[0]["source"]), "".join(korean[0]["source"])
    assert english == setup_cell_source("en") and ko == setup_cell_source("ko") != english
    assert ko.splitlines()[1:-1] == english.splitlines()[1:-1]        # the same code between comment and call
    assert ko.splitlines()[-1] == 'rnnlib.setup_notebook(language="ko")' and ko.startswith("# 준비.")


def test_the_korean_edition_translates_every_markdown_cell_and_keeps_the_code():
    """Every cell of the five notebooks: the Korean code is the English code once string literals and comments are
    masked (test_translations.code_shape), and every longer English markdown cell is translated."""
    for path in NOTEBOOKS:
        en, ko = _cells(path), _cells(ROOT / "notebooks" / "ko" / path.name)
        assert [c["cell_type"] for c in en] == [c["cell_type"] for c in ko]
        for a, b in zip(en, ko):
            if a["cell_type"] == "code":
                if "setup" not in a.get("metadata", {}).get("tags", []):      # the setup cell: the test above
                    assert code_shape("".join(a["source"])) == code_shape("".join(b["source"])), path.name
            elif any("\uac00" <= ch <= "\ud7a3" for ch in "".join(a["source"])) is False and len(
                    "".join(a["source"]).split()) > 8:
                assert a["source"] != b["source"] and any("\uac00" <= ch <= "\ud7a3" for ch in "".join(b["source"])), \
                    (path.name, a.get("id"))


def test_make_lab_and_make_test_do_what_00_says():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab = make[make.index("\nlab:"):].split("\n\n")[0]
    command = make[make.index("\nLAB :="):].split("\n")[1] if "$(LAB)" in lab else lab   # the lab command, expanded
    assert "jupyter lab" in command and "notebooks/00_index.ipynb" in lab and "STAMP)" in lab.split("\n")[1]
    test = make[make.index("\ntest:"):].split("\n\n")[0]
    assert "pytest" in test and "PYTEST_ARGS" in test
    assert "--nbval" in make[make.index("PYTEST_ARGS"):].split("\n")[0] or "nbval" in make


SCOPE = {
    "_lag_sweep_over_100_seeds": "01's lag sweep: 100 seeds x lags 2-40, 200 steps (make claims)",
    "_jacobian_products": "02's 24 networks at init gain and at spectral radius 3",
    "_term_policy": "every Korean markdown cell of the five notebooks",
    "_korean_outputs": "every text output of the five Korean notebooks (with test_exercises_ko, test_widgets_ko, "
                       "test_figures_ko: every checker table case, explorer extreme and figure in Korean)",
    "test_notation_h_t_and_o_t_and_the_step_count": "24 random shapes (T, B, D, H, O 1-5), h_0 != 0",
    "test_every_notebook_starts_with_the_setup_cell": "the five notebooks of both editions",
    "test_the_korean_edition_translates_every_markdown_cell_and_keeps_the_code": "the five notebooks, every cell",
    "test_make_lab_and_make_test_do_what_00_says": "the Makefile's lab and test targets",
}


def _c(cell, words, test):
    return Claim('00', cell, (words,), SCOPE[test], test)


KOREAN = "test_the_korean_edition_translates_every_markdown_cell_and_keeps_the_code"
CLAIMS = [
    _c('dd78dd01', 'the longer the lag, the fewer', "_lag_sweep_over_100_seeds"),
    _c('dd78dd01', 'why the product of Jacobians', "_jacobian_products"),
    _c('5dfbc14e', 'Everything a learner reads is', KOREAN),
    _c('5dfbc14e', 'what rnnlib writes (exercise', "_korean_outputs"),
    _c('8b846f87', 'Every notebook starts with thi', "test_every_notebook_starts_with_the_setup_cell"),
    _c('8b846f87', 'On Colab it first installs', "test_every_notebook_starts_with_the_setup_cell"),
    _c('aa977fab', 'creates a virtual environment', "test_make_lab_and_make_test_do_what_00_says"),
    _c('4c3bdf9c', 'Concretely $h_t = ', "test_notation_h_t_and_o_t_and_the_step_count"),
    _c('4c3bdf9c', 'The whole course counts like', "test_notation_h_t_and_o_t_and_the_step_count"),
    _c('4c3bdf9c', 'Python counts from 0', "test_notation_h_t_and_o_t_and_the_step_count"),
    _c('3945cdc3', 'keeps exactly these in English', "_term_policy"),
    _c('3945cdc3', 'Every other term is written in', "_term_policy"),
    _c('3945cdc3', '잠재 벡터, the lecture note', "_term_policy"),
    _c('3945cdc3', '기울기 appears only in', "_term_policy"),
    _c('3945cdc3', 'The column *also seen* lists', "_term_policy"),
]
