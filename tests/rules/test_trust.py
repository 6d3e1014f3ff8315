"""What the checks may trust (rules/trust.py): one judgement of each row, with or without a run's memo."""

from __future__ import annotations

import pytest

from jixiao import parse_file
from jixiao.model import AnyDocument, Finding, Indicator, SelfEvaluation, Severity
from jixiao.rules import assess
from jixiao.rules.scoring import ScoreMemo
from jixiao.rules.trust import COMPLETE, SCORES, facts, row_trusted, trusted_view
from tests.rules.test_findings_snapshot import corpus_paths, generated


def row(name: str, target: str | None = "≥10人", actual: str | None = "12人") -> Indicator:
    return Indicator(level1="产出指标", name=name, target=target, actual=actual, weight=5.0, score=5.0)


@pytest.mark.parametrize(
    ("ind", "trusted"),
    [
        (row("培训人数"), True),
        (row("95%"), False),  # a value where the name belongs
        (row(" 75 元 "), False),
        (row("满意度指标"), False),  # a category label
        (row(""), False),
        (row("培训人数", target="年度指标值实际完成值8755"), False),  # a header glued into a cell
        (row("培训人数", actual="偏差原因"), False),
        (row("培训 人数偏差原因"), False),
        (row("培训人数", target=None, actual=None), True),
    ],
)
def test_a_row_is_judged_alike_with_and_without_a_memo(ind: Indicator, trusted: bool) -> None:
    memo = ScoreMemo()
    assert row_trusted(ind) is trusted
    assert row_trusted(ind, memo) is trusted
    assert row_trusted(ind, memo) is trusted  # from the memo this time


def test_a_memo_at_its_limit_starts_again() -> None:
    memo = ScoreMemo(limit=2)
    rows = [row(f"指标{k}", target=f"≥{k}人", actual=f"{k}人") for k in range(10)] + [row("95%")]
    assert [row_trusted(i, memo) for i in rows] == [True] * 10 + [False]
    assert len(memo.names) <= 2
    assert len(memo.clean) <= 2


def _docs() -> list[AnyDocument]:
    corpus = [d for p in corpus_paths() for d in parse_file(p).documents]
    return [*corpus, *generated(300, 5)]


def test_assess_is_facts_and_the_trusted_view() -> None:
    memo = ScoreMemo()
    for doc in _docs():
        have, view = assess(doc, memo)
        assert (have, view) == (facts(doc), trusted_view(doc)) == assess(doc)
        assert view is doc or len(view.indicators) < len(doc.indicators)  # type: ignore[union-attr]


def test_a_cut_table_loses_its_last_row_and_a_variant_its_scores() -> None:
    rows = [row("培训人数"), row("结业人数"), row("考核人数", actual=None)]
    cut = SelfEvaluation(project="p", year=2023, indicators=rows)  # no 总分: not complete
    have, view = assess(cut, ScoreMemo())
    assert have == {SCORES}
    assert [i.name for i in view.indicators] == ["培训人数", "结业人数"]  # type: ignore[union-attr]
    variant = Finding(
        code="PARSE-VARIANT", name="weighted-scores", severity=Severity.INFO, message="权重占比"
    )
    whole = SelfEvaluation(project="p", year=2023, indicators=rows, total_score=15.0, findings=[variant])
    have, view = assess(whole, ScoreMemo())
    assert have == {COMPLETE}
    assert view is whole
