"""One flat indicator table for analysts: a row per 三级指标 of every declaration and self-evaluation.

Each row carries its project (as linked), unit, year, the three levels, target and actual as printed, weight and
score, the target parsed by :mod:`jixiao.values` (comparator, value, unit) and the score the scoring rules give
the row (:func:`jixiao.rules.scoring.score_row`), so analysts can compare printed and rule scores.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, BinaryIO

from jixiao.export.items import ExportItem
from jixiao.model import Indicator, SelfEvaluation, TargetDeclaration

# (column, type for Parquet: "int" | "float" | "str", description)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("project_id", "int", "项目编号（关联后的项目）"),
    ("project", "str", "项目名称（关联后的项目）"),
    ("department", "str", "主管部门"),
    ("unit", "str", "实施单位 / 申报单位"),
    ("kind", "str", "文档类型"),
    ("year", "int", "年度"),
    ("document_id", "int", "文档编号"),
    ("document_project", "str", "本文档印刷的项目名称"),
    ("row", "int", "指标序号（文档内，从 1 起）"),
    ("level1", "str", "一级指标"),
    ("level2", "str", "二级指标"),
    ("name", "str", "三级指标"),
    ("target", "str", "年度指标值（原文）"),
    ("actual", "str", "实际完成值（原文）"),
    ("weight", "float", "分值"),
    ("score", "float", "得分"),
    ("deviation", "str", "偏差原因分析及改进措施"),
    ("target_kind", "str", "年度指标值类型（定量、时限、定性…）"),
    ("target_comparator", "str", "年度指标值比较符（≥ > = ≤ < ~ ±）"),
    ("target_value", "float", "年度指标值数值（已乘以万、亿等倍数）"),
    ("target_upper", "float", "区间上限"),
    ("target_unit", "str", "年度指标值单位"),
    ("actual_value", "float", "实际完成值数值"),
    ("rule_method", "str", "规则计分方法"),
    ("rule_score", "float", "按规则应得分（定性指标为区间时为空）"),
    ("source", "str", "出处（文件:位置）"),
)
COLUMN_NAMES = tuple(c for c, _t, _d in COLUMNS)


@dataclass(frozen=True, slots=True)
class _Parsed:
    kind: str | None = None
    comparator: str | None = None
    value: float | None = None
    upper: float | None = None
    unit: str | None = None


@lru_cache(maxsize=1)
def _rules() -> tuple[Callable[[str | None], Any], Callable[[Indicator], Any]] | None:
    """The value parser and the row scorer, when those modules are installed alongside (else the columns stay
    empty)."""
    try:
        from jixiao.rules.profile import load_profile
        from jixiao.rules.scoring import score_row
        from jixiao.values import parse_value
    except ImportError:
        return None
    profile = load_profile()
    return parse_value, lambda ind: score_row(ind, profile)


def _parse(text: str | None) -> _Parsed:
    rules = _rules()
    if rules is None or not text:
        return _Parsed()
    v = rules[0](text)
    return _Parsed(
        kind=str(v.kind.value),
        comparator=v.comparator.value if v.comparator is not None else None,
        value=v.magnitude,
        upper=v.upper_magnitude,
        unit=v.unit,
    )


def _rule_score(ind: Indicator) -> tuple[str | None, float | None]:
    rules = _rules()
    if rules is None:
        return None, None
    row = rules[1](ind)
    return str(row.method.value), row.expected


def rows(items: Iterable[ExportItem]) -> list[dict[str, Any]]:
    """The flat table as dicts, one per indicator row, in document order."""
    return list(iter_rows(items))


def iter_rows(items: Iterable[ExportItem]) -> Iterator[dict[str, Any]]:
    """The flat table's rows one by one, as the items come (nothing held)."""
    for item in items:
        doc = item.document
        if not isinstance(doc, SelfEvaluation | TargetDeclaration):
            continue
        unit = doc.implementing_unit if isinstance(doc, SelfEvaluation) else doc.unit
        department = doc.department if isinstance(doc, SelfEvaluation) else None
        for n, ind in enumerate(doc.indicators, 1):
            target = _parse(ind.target)
            actual = _parse(ind.actual) if isinstance(doc, SelfEvaluation) else _Parsed()
            method, rule = _rule_score(ind) if isinstance(doc, SelfEvaluation) else (None, None)
            yield (
                {
                    "project_id": item.project_id,
                    "project": item.project_name or doc.project,
                    "department": department,
                    "unit": unit,
                    "kind": doc.kind,
                    "year": doc.year,
                    "document_id": item.document_id,
                    "document_project": doc.project,
                    "row": n,
                    "level1": ind.level1,
                    "level2": ind.level2,
                    "name": ind.name,
                    "target": ind.target,
                    "actual": ind.actual,
                    "weight": ind.weight,
                    "score": ind.score,
                    "deviation": ind.deviation,
                    "target_kind": target.kind,
                    "target_comparator": target.comparator,
                    "target_value": target.value,
                    "target_upper": target.upper,
                    "target_unit": target.unit,
                    "actual_value": actual.value,
                    "rule_method": method,
                    "rule_score": rule,
                    "source": ind.source.label() if ind.source else None,
                }
            )


def to_csv(items: Iterable[ExportItem], *, bom: bool = True) -> bytes:
    """UTF-8 CSV with a header row; empty cells for missing values.  With a byte-order mark by default, so
    Excel opens the Chinese text as UTF-8 rather than the system code page."""
    buf = io.BytesIO()
    write_csv(items, buf, bom=bom)
    return buf.getvalue()


def write_csv(items: Iterable[ExportItem], out: BinaryIO, *, bom: bool = True) -> int:
    """:func:`to_csv` written to ``out`` row by row; returns the rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=False)
    writer = csv.DictWriter(text, fieldnames=COLUMN_NAMES, lineterminator="\n")
    writer.writeheader()
    n = 0
    for r in iter_rows(items):
        writer.writerow({k: ("" if v is None else _csv_value(v)) for k, v in r.items()})
        n += 1
    text.flush()
    text.detach()  # ``out`` stays open: it is the caller's
    return n


def _csv_value(v: Any) -> Any:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


PARQUET_BATCH = 8192  # rows per record batch (what is held at once)


def to_parquet(items: Iterable[ExportItem]) -> bytes:
    """Parquet with typed columns (int64, float64, string) and the column descriptions as field metadata."""
    buf = io.BytesIO()
    write_parquet(items, buf)
    return buf.getvalue()


def write_parquet(items: Iterable[ExportItem], out: BinaryIO) -> int:
    """:func:`to_parquet` written to ``out`` in record batches of :data:`PARQUET_BATCH` rows; returns the rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    schema = pa.schema(
        [pa.field(name, types[t], metadata={"description": desc}) for name, t, desc in COLUMNS]
    )
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for r in iter_rows(items):
            batch.append(r)
            if len(batch) >= PARQUET_BATCH:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or not n:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema) if batch else schema.empty_table())
            n += len(batch)
    return n
