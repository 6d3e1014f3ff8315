"""The skip list of :func:`jixiao.text.simplify`: text without its characters is what OpenCC would return."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.t2s_table import CHANGING, generate
from jixiao.text import _t2s, prints_folded, simplify

_TOOL = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"


@pytest.mark.skipif(not _TOOL.exists() and shutil.which("opencc_dict") is None, reason="no opencc_dict")
def test_table_is_what_the_installed_dictionaries_change() -> None:
    assert generate() == CHANGING, "OpenCC's dictionaries changed: python -m jixiao.t2s_table"


def _convert(s: str) -> str:
    return str(_t2s().convert(s))  # type: ignore[attr-defined]


def test_every_character_outside_the_table_converts_to_itself() -> None:
    changing = frozenset(CHANGING)
    blocks = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0), (0x2F800, 0x2FA20))
    kept = [chr(c) for lo, hi in blocks for c in range(lo, hi) if chr(c) not in changing]
    converted = _convert("\n".join(kept)).split("\n")
    assert [c for c, d in zip(kept, converted, strict=True) if c != d] == []


def test_phrases_that_change_a_character_alone_kept_are_folded() -> None:
    # 覆 and 藉 stay themselves alone; in these phrases t2s changes them, so they are in the table
    assert simplify("反覆") == _convert("反覆") != "反覆"
    assert simplify("憑藉") == "凭借"
    assert simplify("可持續影響指標") == "可持续影响指标"


_TEXT = st.text(
    alphabet=st.sampled_from("项目名称绩效自评表產出指標數量質量覆反藉憑乾燥么麼坏壞（）() 0123456789%≥的了"),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_simplify_is_opencc_t2s(text: str) -> None:
    assert simplify(text) == _convert(text)


def _ideograph(c: str) -> bool:
    return 0x3400 <= ord(c) <= 0x9FFF or 0x20000 <= ord(c) <= 0x3FFFF


def test_every_character_nfkc_maps_to_an_ideograph_is_not_printed_folded() -> None:
    sources = [
        chr(c)
        for c in range(0x80, 0x110000)
        if (n := unicodedata.normalize("NFKC", chr(c))) != chr(c) and any(_ideograph(x) for x in n)
    ]
    assert len(sources) > 1000
    assert [c for c in sources if prints_folded(c)] == []


def test_printed_folded_text_keeps_its_characters() -> None:
    assert prints_folded("项目名称：绩效自评表（2022年度）")
    assert not prints_folded("項目名稱")
    assert not prints_folded("⾃评表")  # a Kangxi radical, NFKC's 自
