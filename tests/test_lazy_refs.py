"""What the parse speed-ups must not change: a cell made with a deferred ref (``Cell.at``, ``retext``, ``moved``) is
the same value as one made with its ref, rows memoise only what their cells say, and the shortcuts of the text
helpers give what the long way gives."""

from __future__ import annotations

import dataclasses
import pickle
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import text as jixiao_text
from jixiao.forms import kind, title_kind, tokenize
from jixiao.forms.common import key, key_positions, labelled, row_keys
from jixiao.model import SourceRef
from jixiao.readers.base import Cell, Row, make_ref
from jixiao.readers.text import read_text
from jixiao.text import parse_number, squash, squash_join

ROW = SourceRef("a.txt", 2, 14, 3)
PAGE = SourceRef("a.pdf", 1, None, 4, 2, page=3, bbox=(1.0, 2.0, 3.0, 4.0))


@pytest.mark.parametrize(
    "args",
    [
        ("a.txt",),
        ("a.txt", 2, 14, 3),
        ("b.xlsx", 1, None, 4, 2, None, "Sheet1", "B4"),
        dataclasses.astuple(PAGE),
    ],
)
def test_make_ref_makes_the_same_frozen_ref(args: tuple[object, ...]) -> None:
    made, built = make_ref(*args), SourceRef(*args)  # type: ignore[arg-type]
    assert made == built
    assert hash(made) == hash(built)
    assert repr(made) == repr(built)
    assert made.to_dict() == built.to_dict()
    assert pickle.loads(pickle.dumps(made)) == built
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.col = 9  # type: ignore[misc]


def test_a_deferred_ref_is_the_rows_ref_at_the_column() -> None:
    lazy, eager = Cell.at("分值", ROW, 5), Cell("分值", ROW.at(col=5))
    assert lazy.line == 14  # read without making the ref
    assert lazy == eager
    assert hash(lazy) == hash(eager)
    assert repr(lazy) == repr(eager)
    assert lazy.ref == ROW.at(col=5)
    assert Cell.at("x", PAGE, 7).ref == PAGE.at(col=7)  # a PDF row's page and box stay


def test_copies_keep_the_place() -> None:
    lazy = Cell.at("项目名称X", ROW, 2)
    assert lazy.retext("X") == Cell("X", ROW.at(col=2))
    assert lazy.moved("X", 4).ref == ROW.at(col=4)
    eager = Cell("项目名称X", PAGE)
    assert eager.retext("X").ref is PAGE
    assert eager.moved("X", 9).ref == PAGE.at(col=9)


def test_cells_stay_frozen_and_pickle() -> None:
    cell = Cell.at("10", ROW, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cell.text = "11"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(cell)) == cell
    assert Cell(text="10", ref=ROW.at(col=1)) == cell
    assert cell != Cell.at("10", ROW, 2)


def test_tokenised_rows_are_made_once_and_name_their_columns() -> None:
    row = Row([Cell("项目名称 培训经费", ROW)], ROW)
    split = tokenize(row)
    assert tokenize(row) is split
    assert [c.text for c in split.cells] == ["项目名称", "培训经费"]
    assert [c.ref.col for c in split.cells] == [1, 2]
    pdf_row = Row([Cell("项目名称 培训经费", PAGE)], PAGE)
    assert tokenize(pdf_row).cells[1].ref == SourceRef(
        "a.pdf", 1, None, 4, 2
    )  # the line's place, not the box


def test_row_memo_answers_what_the_cells_say() -> None:
    row = Row([Cell("主管部门", ROW), Cell("x", ROW), Cell("实施单位（盖章）", ROW), Cell("y", ROW)], ROW)
    assert row_keys(row) == [key(c.text) for c in row.cells]
    keys = row_keys(row)
    assert key_positions(row) == {k: keys.index(k) for k in keys}
    assert labelled(row, "主管部门", "实施单位") == {"主管部门": row.cells[1], "实施单位": row.cells[3]}
    assert row.joined("") == "主管部门x实施单位（盖章）y"
    assert row.joined(" | ") == "主管部门 | x | 实施单位（盖章） | y"
    assert title_kind(Row([Cell("项目支出绩效自评表", ROW)], ROW)) is not None
    assert title_kind(row) is None
    assert dataclasses.replace(row, cells=row.cells[:1]).memo == {}  # a copy does not inherit the memo


def test_the_text_reader_gives_every_cell_its_own_column() -> None:
    grid = read_text("| 名称 | 值 |\n|---|---|\n| 项目名称 | 培训&amp;考试 |\n".encode(), "t.md")
    row = grid.rows[-1]
    assert [c.text for c in row.cells] == ["项目名称", "培训&考试"]
    assert [(c.ref.line, c.ref.row, c.ref.col) for c in row.cells] == [(3, 2, 1), (3, 2, 2)]


# --- the text helpers' shortcuts ------------------------------------------------------------------------------------

_CJK_GAP_WS = re.compile(r"\s+")
_TEXT = st.text(alphabet="中文项目ab1 \u3000\u00a0\t\n，、(", max_size=12)


@settings(max_examples=400)
@given(_TEXT, _TEXT)
def test_squash_join_is_squash_of_the_joined_text(done: str, more: str) -> None:
    assert squash_join(squash(done), more) == squash(f"{squash(done)} {more}")


@settings(max_examples=200)
@given(_TEXT)
def test_squash_takes_its_shortcut_only_where_nothing_folds(text: str) -> None:
    assert squash(text) == _CJK_GAP_WS.sub(" ", jixiao_text._CJK_GAP.sub("", text)).strip()


@pytest.mark.parametrize(
    ("text", "percent", "value"),
    [("1,563.92", False, 1563.92), ("90.90%", True, 90.9), ("90.90%", False, None), ("—", False, None)],
)
def test_parse_number_memo_keeps_percent_apart(text: str, percent: bool, value: float | None) -> None:
    assert parse_number(text, percent=percent) == value
    assert parse_number(text, percent=percent) == value  # from the memo


def _title_kind_by_words(text: str) -> object:
    """The title check as it was: a find per word, then the tail pattern after it."""
    t = unicodedata.normalize("NFKC", key(text))
    for k in kind._TITLE_ORDER:
        for w in kind._title_words()[k]:
            start = t.find(w)
            while start >= 0:
                if kind._TITLE_TAIL.fullmatch(t[start + len(w) :]):
                    return k
                start = t.find(w, start + 1)
    return None


@pytest.mark.parametrize(
    "text",
    [
        "财政项目支出绩效自评表",
        "项目绩效目标申报表（2022年度）",
        "关于…绩效目标设定的公示",
        "绩效评价结果信息表 |",
        "项目绩效自评完成 3月底前",
        "评价结果应用情况",
        "区域绩效目标自评表",
        "绩效目标表自评结果",
        "一级指标",
    ],
)
def test_title_patterns_match_what_the_word_search_matched(text: str) -> None:
    assert kind.title_kind_of(text) == _title_kind_by_words(text)
