"""Category labels printed at the middle of their merged spans (forms.spans)."""

from __future__ import annotations

from jixiao.forms.spans import centred_levels, not_top_aligned

Table = list[tuple[str, list[tuple[str | None, int]]]]


def _print(spans: Table, upper: bool = True) -> list[list[str]]:
    """The labels of a table whose families and sub-categories span the given rows, each printed on the middle
    row of its span (the upper of two middle rows with ``upper``)."""
    rows: list[list[str]] = []
    for family, subs in spans:
        start = len(rows)
        for sub, length in subs:
            at = len(rows)
            rows.extend([] for _ in range(length))
            if sub is not None:
                rows[at + ((length - 1) // 2 if upper else length // 2)].append(sub)
        length = len(rows) - start
        rows[start + ((length - 1) // 2 if upper else length // 2)].insert(0, family)
    return rows


TABLE: Table = [
    ("产出指标", [("数量指标", 2), ("质量指标", 1), ("时效指标", 2)]),
    ("成本指标", [(None, 1)]),
    ("效益指标", [("社会效益指标", 5), ("可持续影响指标", 4)]),
    ("满意度指标", [("服务对象满意度指标", 1)]),
]


def _truth() -> list[tuple[str, str | None]]:
    return [(f, s) for f, subs in TABLE for s, length in subs for _ in range(length)]


def test_each_row_gets_its_span_or_nothing_never_another() -> None:
    for upper in (True, False):
        printed = _print(TABLE, upper)
        assert not_top_aligned(printed)
        got = centred_levels(printed)
        assert got is not None
        for (want_family, want_sub), (family, sub) in zip(_truth(), got, strict=True):
            assert family in (want_family, None)
            assert sub in (want_sub, None)
        # most rows are certain: only rows next to a boundary with two readings are left out
        assert sum(1 for (f, _), (g, _) in zip(_truth(), got, strict=True) if f == g) >= 0.75 * len(got)


def test_spans_fixed_by_their_labels_have_one_reading() -> None:
    # one-row sub-categories, and families of odd length: whichever middle row the extractor chose, one reading
    table: Table = [
        ("产出指标", [("数量指标", 1), ("质量指标", 1), ("时效指标", 1)]),
        ("效益指标", [("社会效益指标", 1)]),
    ]
    got = centred_levels(_print(table))
    assert got == [(f, s) for f, subs in table for s, n in subs for _ in range(n)]


def test_top_aligned_table_is_not_read_as_centred() -> None:
    printed = [["产出指标", "数量指标"], [], ["质量指标"], [], ["效益指标", "社会效益指标"], []]
    assert not not_top_aligned(printed)


def test_labels_that_no_centred_reading_explains_are_refused() -> None:
    # a sub-category under another family on the same row
    assert centred_levels([[], ["产出指标", "社会效益指标"], []]) is None
    # a label on the last of three rows cannot be the middle of a span that starts at the first
    assert centred_levels([[], [], ["产出指标"]]) is None
