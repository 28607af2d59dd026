"""Lean teaching text: short sentences, few hedges (tests/prose.py says what counts as teaching text).

Sentences of at most ``prose.MAX_WORDS`` words and at most ``prose.MAX_QUALIFIERS`` scope qualifiers per
paragraph, in 01-04. ``DEBT`` lists the cells that do not meet the bar yet: a cell leaves the list when it is
rewritten, and the test fails both for a new offender and for a listed cell that already meets the bar
(so the list only shrinks).
"""

import prose
import pytest

#: Cells not yet rewritten to the bar: notebook -> {"long": cells with a long sentence, "qualifiers": cells with
#: a paragraph of more than two qualifiers}.
DEBT = {
    "01": {"long": set(), "qualifiers": set()},
    "02": {"long": set(), "qualifiers": set()},
    "03": {"long": set(), "qualifiers": set()},
    "04": {"long": set(), "qualifiers": set()},
}


def offenders(notebook: str) -> dict[str, set[str]]:
    long = {s.cell for s in prose.sentences(notebook) if s.words > prose.MAX_WORDS}
    hedged = {c["id"] for c in prose.cells(notebook) for p in prose.paragraphs("".join(c["source"]))
              if len(prose.qualifiers(p)) > prose.MAX_QUALIFIERS}
    return {"long": long, "qualifiers": hedged}


@pytest.mark.parametrize("notebook", sorted(DEBT))
def test_sentences_are_short_and_paragraphs_lightly_hedged(notebook):
    found = offenders(notebook)
    for kind in ("long", "qualifiers"):
        new = found[kind] - DEBT[notebook][kind]
        paid = DEBT[notebook][kind] - found[kind]
        detail = [s.text for s in prose.sentences(notebook) if s.cell in new and s.words > prose.MAX_WORDS]
        assert not new, f"{notebook}: cells over the bar ({kind}): {sorted(new)} {detail[:3]}"
        assert not paid, f"{notebook}: these cells meet the bar now, take them off DEBT[{kind!r}]: {sorted(paid)}"


def test_the_prose_reader_sees_what_it_should():
    text = ("Short sentence here. " + "word " * 40 + "ends.\n\n- a bullet with at most two, about three, "
            "almost four\n\n$$x = 1$$\n\n<details>hidden " + "word " * 50 + "</details>\n\n| a | b |")
    paras = prose.paragraphs(text)
    assert len(paras) == 2 and paras[1].startswith("a bullet")
    assert prose.qualifiers(paras[0]) == ["here"] and len(prose.qualifiers(paras[1])) == 3
    assert prose.is_claim("It decays exponentially.") and prose.is_claim("The gap is $10^{4}$.")
    assert not prose.is_claim("See notebook 02 and section 3.") and not prose.is_claim("We read $h_t$.")
