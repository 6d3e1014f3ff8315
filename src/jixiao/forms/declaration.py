"""绩效目标申报表 (performance target declaration) from a grid."""

from __future__ import annotations

import datetime as dt
import re

from jixiao.forms import categories as cat
from jixiao.forms.common import (
    Context,
    clean,
    find_label,
    key,
    labelled,
    money_unit,
    number,
    row_keys,
    value_after,
)
from jixiao.forms.self_eval import Levels
from jixiao.forms.vocabulary import FUND_USES
from jixiao.model import Indicator, Severity, SourceRef, Subproject, TargetDeclaration
from jixiao.readers.base import CHECKED, UNCHECKED, Cell, Row
from jixiao.text import parse_number, squash

FUND_USE_OPTIONS = frozenset(FUND_USES)
_BOX = re.compile(rf"([^{CHECKED}{UNCHECKED}]+?)\s*([{CHECKED}{UNCHECKED}])")
_BOX_BEFORE = re.compile(rf"([{CHECKED}{UNCHECKED}])\s*([^{CHECKED}{UNCHECKED}]+)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?")
_SECTIONS = {
    "项目总目标": "overall_goal",
    "年度绩效目标": "annual_goal",
}
# one example: seed 002 — the Shanghai 2018 申报表 template's printed label
_STOP_SUBPROJECTS = ("项目实施计划", "项目总目标", "年度绩效目标", "分解目标", "分解目标内容")


def checkboxes(text: str) -> list[tuple[str, bool]]:
    """Options of a check-box row: ``结转项目 ☐ 其他经常性项目 ☑`` → [(结转项目, False), (其他经常性项目, True)]."""
    t = text.strip()
    if not t:
        return []
    pattern, name_group, box_group = (_BOX, 1, 2)
    if t[0] in (CHECKED, UNCHECKED):
        pattern, name_group, box_group = (_BOX_BEFORE, 2, 1)
    return [
        (squash(m.group(name_group)), m.group(box_group) == CHECKED)
        for m in pattern.finditer(t)
        if squash(m.group(name_group))
    ]


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_declaration(rows: list[Row], ctx: Context, year: int | None) -> TargetDeclaration:
    doc = TargetDeclaration(
        year=year, source=SourceRef(path=ctx.path, table=ctx.index, line=rows[0].ref.line)
    )
    box_group: str | None = None
    in_subprojects = False
    in_indicators = False
    ind_cols: tuple[int, int, int] | None = None
    group: str | None = None
    in_table = False
    levels = Levels()

    for row in rows:
        keys = row_keys(row)
        first = next((k for k in keys if k), "")
        joined = row.joined(" ")
        if first.startswith("申报单位名称"):
            rest = re.split(r"[:：]", joined, maxsplit=1)
            value = rest[1] if len(rest) > 1 else (row.filled[1].text if len(row.filled) > 1 else "")
            doc.unit = clean(value)
            continue
        i = find_label(row, "项目名称")
        if i is not None and doc.project is None:
            c = value_after(row, i)
            doc.project = clean(c.text) if c else None
            if c is not None:
                doc.cells["project"] = c.ref
            continue
        units = labelled(row, "主管部门", "实施单位")
        if units:
            if "主管部门" in units:
                c = units["主管部门"]
                doc.department = clean(c.text) if c else None
            if "实施单位" in units and doc.unit is None:
                c = units["实施单位"]
                doc.unit = clean(c.text) if c else None
            continue
        if first.startswith(("资金情况", "项目资金")) or (
            first.startswith("年度资金总额") and doc.total_budget is None
        ):
            unit = money_unit(row.joined("").split("年度资金总额")[0])
            if unit:
                doc.money_unit = unit  # type: ignore[assignment]
            t = next((n for n, k in enumerate(keys) if k.startswith("年度资金总额")), None)
            if t is not None:
                c = value_after(row, t)
                doc.total_budget = number(ctx, c, "年度资金总额")
            continue
        if CHECKED in joined or UNCHECKED in joined:
            filled = row.filled
            label = key(filled[0].text) if filled else ""
            if label.startswith(("项目类型", "资金用途")):
                filled = filled[1:]
            else:
                label = ""
            options = checkboxes(" ".join(c.text for c in filled))
            if label.startswith("项目类型"):
                box_group = "project_type"
            elif label.startswith("资金用途") or (
                options and all(name in FUND_USE_OPTIONS for name, _ in options)
            ):
                box_group = "fund_use"
            bucket = doc.fund_use if box_group == "fund_use" else doc.project_type
            bucket.extend(name for name, checked in options if checked)
            continue
        dates = labelled(row, "开始时间", "结束时间")
        if dates:
            if "开始时间" in dates:
                c = dates["开始时间"]
                doc.start = parse_date(c.text) if c else None
            if "结束时间" in dates:
                c = dates["结束时间"]
                doc.end = parse_date(c.text) if c else None
            continue
        if any(k.startswith("项目总预算") or k.startswith("同名项目上年预算") for k in keys):
            _amount_pairs(doc, row, keys, ctx)
            continue
        if "子项目名称" in keys:
            in_subprojects = True
            continue
        if in_subprojects:
            if first.startswith(_STOP_SUBPROJECTS):
                in_subprojects = False
            else:
                _subproject(doc, row, ctx)
                continue
        section = next((fld for lbl, fld in _SECTIONS.items() if first == lbl), None)
        if section is not None:
            idx = keys.index(first)
            setattr(doc, section, clean(" ".join(c.text for c in row.cells[idx + 1 :] if not c.empty)))
            continue
        # one example: seed 002 — the Shanghai 2018 申报表 template's printed label
        if first == "分解目标内容" or ("绩效指标" in keys and "指标目标值" in keys):
            in_indicators = True
            ind_cols = (
                # one example: seed 002 — the Shanghai 2018 申报表 template's printed label
                keys.index("分解目标内容") if "分解目标内容" in keys else 0,
                keys.index("绩效指标") if "绩效指标" in keys else 1,
                keys.index("指标目标值") if "指标目标值" in keys else 2,
            )
            continue
        if "三级指标" in keys and ("指标值" in keys or "年度指标值" in keys):
            in_table = True  # the 10号 layout: 一级/二级/三级指标 and a target column
            continue
        if first == "备注" or "意见" in first or "(盖章)" in keys:
            in_indicators = in_table = False
            continue
        if in_table:
            _table_indicator(doc, row, levels)
            continue
        if in_indicators:
            filled = row.filled
            if not filled:
                continue
            g = cat.canonical_group(filled[0].text)
            if g is not None and len(filled) >= 2:
                group = g
                filled = filled[1:]
            elif g is not None and len(filled) == 1:
                group = g
                continue
            if len(filled) >= 2:
                name, target = filled[0], filled[-1]
            else:
                lone = filled[0]
                pos = row.cells.index(lone)
                if ind_cols is not None and abs(pos - ind_cols[2]) < abs(pos - ind_cols[1]):
                    ctx.report("PARSE-ROW", "指标目标值缺少对应的绩效指标名称", lone.ref)
                    continue
                name, target = lone, None
            doc.indicators.append(
                Indicator(
                    level1=group,
                    level2=None,
                    name=squash(name.text),
                    target=clean(target.text) if target else None,
                    source=row.ref,
                    cells={"name": name.ref, **({"target": target.ref} if target else {})},
                )
            )
    if doc.money_unit is None:
        doc.money_unit = "元"
    if doc.project is None:
        ctx.report("PARSE-MISSING", "未找到项目名称", doc.source, Severity.ERROR)
    return doc


_AMOUNT_LABELS = (
    ("项目总预算", "total_budget"),
    ("项目当年预算", "annual_budget"),
    # one example: seed 002 — the Shanghai 2018 申报表 template's printed label
    ("同名项目上年预算执行数", "previous_executed"),
    ("同名项目上年预算额", "previous_budget"),
)


def _amount_pairs(doc: TargetDeclaration, row: Row, keys: list[str], ctx: Context) -> None:
    for idx, k in enumerate(keys):
        for label, fld in _AMOUNT_LABELS:
            if k.startswith(label):
                unit = money_unit(row.cells[idx].text)
                if unit and doc.money_unit is None:
                    doc.money_unit = unit  # type: ignore[assignment]
                nxt = row.cells[idx + 1] if idx + 1 < len(row.cells) else None
                if nxt is not None and not any(key(nxt.text).startswith(lb) for lb, _ in _AMOUNT_LABELS):
                    setattr(doc, fld, number(ctx, nxt, label))
                    doc.cells[fld] = nxt.ref
                break


def _subproject(doc: TargetDeclaration, row: Row, ctx: Context) -> None:
    filled: list[Cell] = [c for c in row.filled if key(c.text) != "项目当年投入资金构成"]
    if not filled or (len(filled) == 1 and key(filled[0].text) in ("无", "/")):
        return
    amount_cell = filled[-1] if len(filled) >= 2 and parse_number(filled[-1].text) is not None else None
    names = filled[:-1] if amount_cell is not None else filled
    name = squash(" ".join(c.text for c in names))
    if not name:
        return
    if amount_cell is None:
        ctx.report("PARSE-NUMBER", f"子项目“{name}”没有预算金额", row.ref)
    doc.subprojects.append(
        Subproject(
            name=name,
            amount=number(ctx, amount_cell, "预算金额"),
            source=row.ref,
            cells={"name": names[0].ref, **({"amount": amount_cell.ref} if amount_cell else {})},
        )
    )


def _table_indicator(doc: TargetDeclaration, row: Row, levels: Levels) -> None:
    """A row of the 10号 layout: category labels, the indicator's name, its target (the last cell)."""
    filled = row.filled
    labels: list[str] = []
    while len(filled) > 1 and cat.canonical(filled[0].text):
        labels.append(cat.canonical(filled[0].text) or "")
        filled = filled[1:]
    if not filled:
        levels.row(labels)
        return
    l1, l2 = cat.export_levels(*levels.row(labels))
    name_cells, target = (filled[:-1], filled[-1]) if len(filled) >= 2 else (filled, None)
    doc.indicators.append(
        Indicator(
            level1=l1,
            level2=l2,
            name=squash("".join(c.text for c in name_cells)),
            target=clean(target.text) if target else None,
            source=row.ref,
            cells={"name": name_cells[0].ref, **({"target": target.ref} if target else {})},
        )
    )
