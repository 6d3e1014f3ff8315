"""The layout zoo: every seed self-evaluation printed in every extraction style and wording reads back exactly.

The zoo (``tests/zoo``) keeps its own vocabulary, so a label, a separator or a unit that the parsers do not know
fails here. ``GAPS`` lists what the reader cannot do yet, each as a strict xfail: the day it reads one of them,
the test fails until the entry is removed, so the list can only shrink.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.zoo import (
    STYLES,
    Variant,
    cases,
    compare,
    read_first,
    render,
    score_all,
    self_evaluations,
    variants,
    vocab,
)

DOCS = self_evaluations()

# (style, variant) pairs the reader does not read exactly yet, with what goes wrong.
GAPS: dict[tuple[str, str], str] = {
    ("markdown", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("markdown", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
    ("bare_pipes", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("bare_pipes", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
    ("tabs", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("tabs", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
    ("line_per_cell", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("line_per_cell", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
    ("paragraph_per_cell", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("paragraph_per_cell", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
    ("line_per_cell_piped", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("line_per_cell_piped", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
    ("space_aligned", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("space_aligned", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
    ("csv", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("csv", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
    ("flattened", "wan"): "4 fields left out of 1950 (se, 2026-12-02)",
    ("flattened", "centred"): "81 of 1950 left out: a span with two readings (2026-12-04)",
}


CASES = cases(variants, GAPS)


@pytest.mark.parametrize(("style", "name"), CASES)
def test_zoo_reads_back_exactly(style: str, name: str) -> None:
    matched, missing, wrong = score_all(DOCS, render, compare, variants(style)[name])
    assert not wrong, wrong[:5]
    assert missing == 0, f"{missing} of {matched + missing + len(wrong)} fields left out"


def test_zoo_has_the_documents() -> None:
    assert len(DOCS) >= 10
    assert {d["year"] for d in DOCS} >= {2022, 2023, 2024}


def test_render_changes_what_it_says() -> None:
    """The zoo itself: a 万元 rendering rescales amounts, Traditional keeps values and changes labels."""
    doc = next(d for d in DOCS if d.get("money_unit") == "元")
    text, expected = render(doc, Variant(money_unit="万元"))
    line = doc["funds"][0]
    assert expected["funds"][0]["annual_budget"] == pytest.approx(line["annual_budget"] / 10000)
    assert "万元" in text
    text, expected = render(doc, Variant(traditional=True))
    assert "項" in text
    assert doc["project"] in text
    assert expected["project"] == doc["project"]
    for style in STYLES:
        assert doc["indicators"][0]["name"] in render(doc, Variant(style=style))[0]


# The property: whatever the wording, the reader never gives a value that is not the document's.
wording = st.builds(
    Variant,
    style=st.sampled_from(["markdown", "tabs"]),
    title=st.integers(0, len(vocab.TITLES) - 1),
    year_line=st.integers(0, len(vocab.YEAR_LINES) - 1),
    department=st.integers(0, len(vocab.DEPARTMENT) - 1),
    unit=st.integers(0, len(vocab.UNIT) - 1),
    funds_label=st.integers(0, len(vocab.FUNDS_LABEL) - 1),
    fund_headers=st.integers(0, len(vocab.FUND_HEADERS) - 1),
    goal_label=st.integers(0, len(vocab.GOAL_LABEL) - 1),
    goal_headers=st.integers(0, len(vocab.GOAL_HEADERS) - 1),
    indicator_label=st.integers(0, len(vocab.INDICATOR_LABEL) - 1),
    indicator_headers=st.integers(0, len(vocab.INDICATOR_HEADERS) - 1),
    total=st.integers(0, len(vocab.TOTAL) - 1),
    null=st.integers(0, len(vocab.NULLS) - 1),
    money_unit=st.sampled_from([None, "元", "万元"]),
    thousands=st.booleans(),
    banner=st.booleans(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v=wording, i=st.integers(0, len(DOCS) - 1))
def test_no_wrong_value_in_any_wording(v: Variant, i: int) -> None:
    text, expected = render(DOCS[i], v)
    s = compare(expected, read_first(text))
    assert not s.wrong, (v, s.wrong[:5])


@pytest.mark.parametrize("style", sorted(STYLES))
def test_centred_categories_give_no_wrong_value(style: str) -> None:
    """Merged category cells printed at the middle of their span: what the reader cannot place it leaves out."""
    _, _, wrong = score_all(DOCS, render, compare, variants(style)["centred"])
    assert not wrong, wrong[:5]
