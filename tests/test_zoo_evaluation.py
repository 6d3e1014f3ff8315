"""The zoo's 绩效评价结果信息表: each seed result printed in every extraction style and wording reads back exactly.

As in ``tests/test_zoo.py``, ``GAPS`` lists what the reader cannot do yet as strict xfails, so it only shrinks.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.zoo import STYLES, cases, score_all, vocab
from tests.zoo.evaluation import EvaluationVariant, compare_evaluation, evaluations, render, variants

DOCS = evaluations()

GAPS: dict[tuple[str, str], str] = {}


CASES = cases(variants, GAPS)


@pytest.mark.parametrize(("style", "name"), CASES)
def test_evaluation_zoo_reads_back_exactly(style: str, name: str) -> None:
    matched, missing, wrong = score_all(DOCS, render, compare_evaluation, variants(style)[name])
    assert not wrong, wrong[:5]
    assert missing == 0, f"{missing} of {matched + missing + len(wrong)} fields left out"


def test_evaluation_zoo_has_the_documents() -> None:
    assert len(DOCS) >= 5
    text, expected = render(DOCS[0], EvaluationVariant(grade_word=1))
    assert "优秀" in text or expected.get("conclusion") != "优"
    assert f"{DOCS[0]['year']}年{DOCS[0]['project']}" in text


# The property: any combination of title, labels, grade word and numbering, in any style the text reader splits
# into cells, reads back exactly (CSV is left to the text reader: see GAPS).
READ_STYLES = sorted(set(STYLES) - {style for style, _ in GAPS})
INDEXED: dict[str, Sequence[object]] = {"title": vocab.EVALUATION_TITLES, "labels": vocab.EVALUATION_LABELS}
wording = st.builds(
    EvaluationVariant,
    style=st.sampled_from(READ_STYLES),
    **{name: st.integers(0, len(choices) - 1) for name, choices in INDEXED.items()},
    grade_word=st.integers(0, 1),
    numbered=st.sampled_from(["（{n}）", "{n}.", "{n}、"]),
    year_in_name=st.booleans(),
    traditional=st.booleans(),
    banner=st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v=wording, i=st.integers(0, len(DOCS) - 1))
def test_any_wording_reads_back_exactly(v: EvaluationVariant, i: int) -> None:
    _, missing, wrong = score_all([DOCS[i]], render, compare_evaluation, v)
    assert (missing, wrong) == (0, []), v
