"""Plain rows (RowScore.plain): the row checks skip them, and skipping them changes no finding."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from hypothesis import given

from jixiao.model import Indicator, SelfEvaluation
from jixiao.rules import Profile, check_documents, score_document
from jixiao.rules.scoring import DocumentScore
from tests.rules.test_findings_snapshot import PROFILE_SET, generated
from tests.rules.test_properties import FAST, PROFILE, document


@contextmanager
def every_row_remarkable() -> Iterator[None]:
    """The row checks look at every row, plain or not (as before plain rows were skipped)."""
    with mock.patch.object(DocumentScore, "remarkable", property(lambda self: self.rows)):
        yield


def _odd_weights(docs: list[SelfEvaluation]) -> list[SelfEvaluation]:
    """The documents again with weights of three decimals (2.555: the rule's full marks round to 2.56)."""
    out: list[SelfEvaluation] = []
    for d in docs:
        rows = [
            i.model_copy(update={"weight": i.weight + 0.005, "score": round(i.weight + 0.005, 2)})
            if i.weight is not None and i.score == i.weight
            else i
            for i in d.indicators
        ]
        out.append(d.model_copy(update={"indicators": rows}))
    return out


@pytest.mark.parametrize("name", list(PROFILE_SET))
def test_skipping_plain_rows_changes_no_finding(name: str) -> None:
    docs = generated(300, 21)
    docs += _odd_weights(docs)
    profile = PROFILE_SET[name]
    got = check_documents(docs, profile=profile)
    with every_row_remarkable():
        want = check_documents(docs, profile=profile)
    assert got == want
    assert any(rs.plain for d in docs for rs in score_document(d, profile).rows)


@FAST
@given(document(), PROFILE)
def test_skipping_plain_rows_changes_no_finding_on_random_tables(
    doc: SelfEvaluation, profile: Profile
) -> None:
    got = check_documents([doc], profile=profile)
    with every_row_remarkable():
        assert check_documents([doc], profile=profile) == got


def row(target: str, actual: str, weight: float, score: float | None) -> Indicator:
    return Indicator(
        level1="产出指标", name="培训人数", target=target, actual=actual, weight=weight, score=score
    )


@pytest.mark.parametrize(
    ("ind", "plain"),
    [
        (row("≥100人", "120人", 5.0, 5.0), True),  # met, full marks
        (row("≥100人", "120人", 5.0, 4.0), False),  # met, marked down (C-SE-22)
        (row("≥100人", "80人", 5.0, 5.0), False),  # missed, full marks (C-SE-05)
        (row("≥100人", "80人", 5.0, 4.0), False),  # missed: the deviation must be read (C-SE-08)
        (row("≥100人", "120人次", 5.0, 5.0), False),  # units disagree (C-SE-20)
        (row("≥100人", "1.2万人", 5.0, 5.0), False),  # scales disagree (C-SE-20)
        (row("≥100人", "≥120人", 5.0, 5.0), False),  # shaped like a target (C-SE-06)
        (row("≤30分钟", "20分钟", 5.0, 5.0), True),  # reverse, met
        (row("及时", "及时", 5.0, 5.0), True),  # tier 1, full marks
        (row("及时", "部分达成", 5.0, 5.0), False),  # tier 2 (C-SE-07)
        (row("及时", "及时", 5.0, None), False),  # no printed score
        (row("≥100人", "120人", 2.555, 2.56), False),  # full marks round above the weight (C-SE-04)
        (row("二100百分比", "95%", 5.0, 5.0), False),  # an unknown shape (C-VAL-01)
    ],
)
def test_plain_rows(ind: Indicator, plain: bool) -> None:
    doc = SelfEvaluation(project="p", year=2023, indicators=[ind], total_score=ind.score)
    scored = score_document(doc, Profile())
    assert scored.rows[0].plain is plain
    assert scored.remarkable == (() if plain else scored.rows)
