"""Text decoding: bytes → text and the encoding it was in, never assumed.

A BOM decides first (UTF-8, UTF-16), then UTF-16 without a BOM (every other byte zero), then strict UTF-8, strict
GB18030 (which covers GBK and GB2312), then charset-normalizer's best guess.  A few NUL bytes inside otherwise valid
text (a stray byte from a copy or a converter) are dropped with a ``READ-NUL`` finding rather than refusing the
file; data with many is binary and refused with one line.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import ReadError
from jixiao.readers.limits import check_text

MAX_NUL_SHARE = 0.01  # more NUL bytes than this share of the file: binary data, not text with stray NULs


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, its encoding and what decoding had to repair."""

    text: str
    encoding: str
    findings: list[Finding] = field(default_factory=list)


def decode_text(data: bytes, path: str) -> Decoded:
    """Decode a text file; raises :class:`ReadError` for binary data or text over the length limit."""
    try:
        decoded = Decoded(*decode(data, path))
        check_text(len(decoded.text), path)
        return decoded
    except ReadError as refused:
        nuls = data.count(b"\x00")
        if not nuls or nuls > len(data) * MAX_NUL_SHARE:
            raise
        try:
            text, encoding = decode(data.replace(b"\x00", b""), path)
        except ReadError:
            raise refused from None
    check_text(len(text), path)
    note = Finding(
        code="READ-NUL",
        severity=Severity.WARNING,
        message=f"文本中有 {nuls} 个空字节（NUL），已删除后读取",
        source=SourceRef(path=path),
        actual=str(nuls),
    )
    return Decoded(text, encoding, [note])


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes to text; returns (text, encoding). Raises ReadError for binary data."""
    if not data.strip():
        raise ReadError(f"{path}: 空文件（没有内容）")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise ReadError(
                    f"{path}: 以 {enc} 字节顺序标记（BOM）开头，但内容不是 {enc} 文本（{exc.reason}）"
                ) from exc
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise ReadError(f"{path}: 是二进制数据，不是文本文档（含空字节 NUL）")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # strict GB18030 before guessing: a short valid GBK file gives charset detection too little to go on
        text = data.decode("gb18030")
        if not _controls(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    if best is None or best.encoding is None:
        raise ReadError(f"{path}: 不是任何已知编码的文本（UTF-8、GB18030/GBK、Big5、UTF-16）")
    text = str(best)
    if _controls(text):
        raise ReadError(f"{path}: 是二进制数据，不是文本文档")
    return text, best.encoding


def _controls(text: str) -> bool:
    """Too many replacement or control characters for text."""
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\r\n\f"))
    return bad > max(3, len(text) // 200)


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400]
    if len(sample) < 4:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(zeros_even, zeros_odd) > half * 0.3 and min(zeros_even, zeros_odd) < half * 0.05
