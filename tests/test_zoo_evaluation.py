"""The zoo's 绩效评价结果信息表: each seed result printed in every extraction style and wording reads back exactly.

As in ``tests/test_zoo.py``, ``GAPS`` lists what the reader cannot do yet as strict xfails, so it only shrinks.
"""

from __future__ import annotations

import pytest

from tests.zoo import cases, score_all
from tests.zoo.evaluation import EvaluationVariant, compare_evaluation, evaluations, render, variants

DOCS = evaluations()

GAPS: dict[tuple[str, str], str] = {
    ("markdown", "wording1"): "40 fields left out, 8 wrong of 80 (main, 2026-12-02)",
    ("markdown", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
    ("bare_pipes", "wording1"): "40 fields left out, 8 wrong of 80 (main, 2026-12-02)",
    ("bare_pipes", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
    ("tabs", "wording1"): "40 fields left out, 8 wrong of 80 (main, 2026-12-02)",
    ("tabs", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
    ("line_per_cell", "wording1"): "40 fields left out, 8 wrong of 80 (main, 2026-12-02)",
    ("line_per_cell", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
    ("paragraph_per_cell", "wording1"): "40 fields left out, 8 wrong of 80 (main, 2026-12-02)",
    ("paragraph_per_cell", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
    ("line_per_cell_piped", "wording1"): "40 fields left out, 8 wrong of 80 (main, 2026-12-02)",
    ("line_per_cell_piped", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
    ("space_aligned", "wording1"): "40 fields left out, 8 wrong of 80 (main, 2026-12-02)",
    ("space_aligned", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
    ("csv", "seed"): "48 wrong of 80 (main, 2026-12-02)",
    ("csv", "wording1"): "40 fields left out, 24 wrong of 80 (main, 2026-12-02)",
    ("csv", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
    ("flattened", "wording1"): "40 fields left out, 8 wrong of 80 (main, 2026-12-02)",
    ("flattened", "wording2"): "80 fields left out of 80 (main, 2026-12-02)",
}


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
