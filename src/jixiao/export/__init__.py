"""Exports: stored documents as v1 JSON, a flat indicator table (CSV, Parquet) or their official forms (XLSX).

Formats are a registry (name → :class:`Format`), shared by the CLI and any other caller; each writer takes
:class:`ExportItem` s and returns the file's bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jixiao.export.flat import to_csv, to_parquet
from jixiao.export.items import ExportItem
from jixiao.export.v1json import to_json
from jixiao.export.xlsx import to_xlsx

__all__ = ["FORMATS", "ExportItem", "Format", "export", "written"]


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
    """

    name: str
    suffix: str
    binary: bool
    help: str
    write: Callable[[Sequence[ExportItem]], bytes]
    kinds: tuple[str, ...] | None = None


_FLAT = ("self_evaluation", "target_declaration")  # the flat table has rows for indicators only

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", ".json", False, "v1 JSON 文档数组（含出处与检查结果）", to_json),
        Format("csv", ".csv", False, "指标明细宽表（UTF-8 CSV），供分析使用", to_csv, _FLAT),
        Format("parquet", ".parquet", True, "指标明细宽表（Parquet，带类型）", to_parquet, _FLAT),
        Format("xlsx", ".xlsx", True, "官方表样（自评表、申报表、评价结果信息表；Excel，每表一页，可再读回）", to_xlsx),
    )
}


def export(items: Sequence[ExportItem], fmt: str) -> bytes:
    """The bytes of ``items`` in format ``fmt`` (a key of :data:`FORMATS`)."""
    return FORMATS[fmt].write(items)


def written(items: Sequence[ExportItem], fmt: str) -> list[ExportItem]:
    """The items format ``fmt`` actually writes (the others it leaves out), so a count says what the file holds."""
    kinds = FORMATS[fmt].kinds
    return [i for i in items if kinds is None or i.document.kind in kinds]
