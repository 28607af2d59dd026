"""The claims register covers the teaching text (see tests/claims.py); its own tests run in ``make claims``."""

import claims
import prose
import pytest

NOTEBOOKS = sorted(prose.NOTEBOOKS)
#: Notebooks whose claim sentences are not all registered yet. The coverage test is an expected failure for
#: them, and a strict one: once a notebook is covered, it must leave this set.
NOT_YET_COVERED: set[str] = set()


@pytest.mark.parametrize("notebook", [pytest.param(nb, marks=pytest.mark.xfail(
    nb in NOT_YET_COVERED, reason="claim sentences not registered yet", strict=True)) for nb in NOTEBOOKS])
def test_every_claim_sentence_is_registered_or_marked_as_this_run(notebook):
    missing = claims.uncovered(notebook)
    print(f"{notebook}: cells marked as about the run shown: {sorted(claims.marked(notebook))}")
    assert not missing, f"{len(missing)} claim sentences without a test: " + " | ".join(
        f"[{s.cell}] {s.text[:100]}" for s in missing[:8])


def test_every_registered_claim_points_at_one_sentence_and_a_test():
    sentences = {nb: prose.sentences(nb) for nb in NOTEBOOKS}
    for claim in claims.register():
        hits = [s for s in sentences[claim.notebook] if claim.matches(s)]
        assert len(hits) == 1, f"{claim}: matches {len(hits)} sentences, expected exactly one"
        assert prose.is_claim(hits[0].text), f"{claim}: its sentence is not a claim sentence"
        assert callable(getattr(claims.owner(claim), claim.test, None)), f"{claim}: no test {claim.test}"
        assert claim.scope.strip(), f"{claim}: say what scope the test covers"
