"""Text decoding: strict GB18030 before giving up; stray NUL bytes dropped with a finding."""

from __future__ import annotations

import pytest

from jixiao.readers import ReadError
from jixiao.readers.decode import decode_text

SHORT = "| 项目名称 | 干部教育工作经费 |\n| 主管部门 | 中共上海市委组织部 |\n| 年度 | 2023 |\n"


def test_short_gb18030_text_is_read() -> None:
    decoded = decode_text(SHORT.encode("gb18030"), "short.txt")
    assert decoded.text == SHORT
    assert decoded.encoding == "gb18030"


def test_stray_nul_bytes_are_dropped_with_a_finding() -> None:
    data = (SHORT * 20).encode("utf-8")
    data = data[:100] + b"\x00" + data[100:]
    decoded = decode_text(data, "nul.txt")
    assert decoded.text == SHORT * 20
    assert [f.code for f in decoded.findings] == ["READ-NUL"]


def test_binary_data_is_still_refused() -> None:
    with pytest.raises(ReadError, match=r"junk\.txt"):
        decode_text(bytes(range(256)) * 40, "junk.txt")
