"""Exports: stored documents as v1 JSON, a flat indicator table (CSV, Parquet) or their official forms (XLSX, DOCX,
an A4 HTML print page).

Formats are a registry (name → :class:`Format`), shared by the CLI and any other caller; each writer takes
:class:`ExportItem` s and returns the file's bytes, and :func:`write_to` writes them to a file as they come (JSON,
CSV and Parquet hold one document, one row or one record batch at a time).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from jixiao.export.docx import to_docx
from jixiao.export.flat import to_csv, to_parquet, write_csv, write_parquet
from jixiao.export.html import to_html
from jixiao.export.items import ExportItem
from jixiao.export.v1json import document, to_json
from jixiao.export.xlsx import to_xlsx, write_xlsx

__all__ = ["FORMATS", "ExportItem", "Format", "export", "write_to", "written"]


def write_json(items: Iterable[ExportItem], out: BinaryIO) -> int:
    """The JSON array of :func:`~jixiao.export.v1json.to_json` written document by document, one document a
    line (compact: the C encoder, several times faster than indented output on a large store); returns how many."""
    n = 0
    for item in items:
        body = json.dumps(document(item), ensure_ascii=False, separators=(",", ":"))
        out.write((("[\n" if n == 0 else ",\n") + body).encode("utf-8"))
        n += 1
    out.write(b"[]\n" if n == 0 else b"\n]\n")
    return n


def _whole(write: Callable[[Sequence[ExportItem]], bytes]) -> Callable[[Iterable[ExportItem], BinaryIO], int]:
    def stream(items: Iterable[ExportItem], out: BinaryIO) -> int:
        held = list(items)
        out.write(write(held))
        return len(held)

    return stream


@dataclass(frozen=True, slots=True)
class Format:
    """An export format.

    Attributes:
        name: what ``--format`` takes.
        suffix: the file suffix.
        binary: whether the output is binary (not printed to a terminal).
        help: one line, Chinese first.
        write: items → the file's bytes.
        kinds: the document types the format writes (others are left out); None for all.
        stream: items → written to a binary file as they come; returns how many items or rows.
    """

    name: str
    suffix: str
    binary: bool
    help: str
    write: Callable[[Sequence[ExportItem]], bytes]
    kinds: tuple[str, ...] | None = None
    stream: Callable[[Iterable[ExportItem], BinaryIO], int] | None = None


_FLAT = ("self_evaluation", "target_declaration")  # the flat table has rows for indicators only

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", ".json", False, "v1 JSON 文档数组（含出处与检查结果）", to_json, None, write_json),
        Format("csv", ".csv", False, "指标明细宽表（UTF-8 CSV），供分析使用", to_csv, _FLAT, write_csv),
        Format(
            "parquet", ".parquet", True, "指标明细宽表（Parquet，带类型）", to_parquet, _FLAT, write_parquet
        ),
        # one sheet per document, each sent to a temporary file once laid out (openpyxl write-only)
        Format(
            "xlsx",
            ".xlsx",
            True,
            "官方表样（自评表、申报表、评价结果信息表；Excel，每表一页，可再读回）",
            to_xlsx,
            None,
            write_xlsx,
        ),
        Format(
            "docx",
            ".docx",
            True,
            "官方表样（Word 表格，合并单元格，每表一页，可再读回）",
            to_docx,
            None,
            _whole(to_docx),
        ),
        Format(
            "html",
            ".html",
            False,
            "官方表样打印页（A4 网页，每表一页，可再读回）",
            to_html,
            None,
            _whole(to_html),
        ),
    )
}


def export(items: Sequence[ExportItem], fmt: str) -> bytes:
    """The bytes of ``items`` in format ``fmt`` (a key of :data:`FORMATS`)."""
    return FORMATS[fmt].write(items)


def write_to(items: Iterable[ExportItem], fmt: str, out: BinaryIO, *, bom: bool = True) -> int:
    """``items`` (those the format writes) in format ``fmt`` to ``out`` as they come; returns how many were
    written (documents; rows for the flat table).  CSV takes ``bom`` as :func:`to_csv` does."""
    spec = FORMATS[fmt]
    kept = _kept(items, spec.kinds)
    if fmt == "csv":
        return write_csv(kept, out, bom=bom)
    stream = spec.stream or _whole(spec.write)
    return stream(kept, out)


def _kept(items: Iterable[ExportItem], kinds: tuple[str, ...] | None) -> Iterator[ExportItem]:
    return (i for i in items if kinds is None or i.document.kind in kinds)


def written(items: Sequence[ExportItem], fmt: str) -> list[ExportItem]:
    """The items format ``fmt`` actually writes (the others it leaves out), so a count says what the file holds."""
    kinds = FORMATS[fmt].kinds
    return [i for i in items if kinds is None or i.document.kind in kinds]
