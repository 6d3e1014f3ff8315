"""绩效评价结果信息表 (evaluation result) from a grid: labelled fields, possibly broken over many lines."""

from __future__ import annotations

import re

from jixiao.forms.common import Context, clean, key, money_unit, number
from jixiao.model import EvaluationResult, Severity, SourceRef
from jixiao.readers.base import Cell, Row
from jixiao.text import squash

FIELDS = {
    "项目名称": "project",
    "决算金额": "final_accounts",
    "评价分值": "score",
    "评价得分": "score",
    "评价结论": "conclusion",
    "评价等级": "conclusion",
    "评价结果": "conclusion",
    "主要绩效": "performance",
    "存在问题": "problems",
    "整改建议": "suggestions",
    "整改情况": "rectification",
}
_LABEL = re.compile(
    r"^\s*(" + "|".join(sorted(FIELDS, key=len, reverse=True)) + r")\s*[:：]?\s*(.*)$", re.DOTALL
)
_INLINE_LABEL = re.compile(r"(?<=\S)(?=(?:" + "|".join(sorted(FIELDS, key=len, reverse=True)) + r")\s*[:：])")
_PIPES = re.compile(r"\s*\|[\s|]*")
_UNIT_NOTE = re.compile(r"单位\s*[:：]\s*(万元|元)")
_ONE_LINE = frozenset({"project", "final_accounts", "score", "conclusion"})  # fields printed on one line
_ITEM = re.compile(r"[（(]\s*\d{1,2}\s*[)）]")
_LEADING_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年度?")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
GRADES = ("优", "良", "中", "差")


def split_items(text: str | None) -> list[str]:
    """``（1）…（2）…`` → items without their numbers; one item when unnumbered."""
    if not text:
        return []
    parts = [squash(p) for p in _ITEM.split(text)]
    items = [p for p in parts if p]
    return items


def parse_evaluation(rows: list[Row], ctx: Context, year: int | None) -> EvaluationResult:
    doc = EvaluationResult(year=None, source=SourceRef(path=ctx.path, table=ctx.index, line=rows[0].ref.line))
    texts: dict[str, list[str]] = {}
    cells: dict[str, Cell] = {}
    current: str | None = None
    for row in rows:
        # a table row: label cell, value cell(s); a text line: "label value"
        segments: list[tuple[Cell, str]] = []
        if len(row.filled) >= 2 and key(row.filled[0].text) in FIELDS:
            segments.append(
                (row.filled[0], row.filled[0].text + " " + " ".join(c.text for c in row.filled[1:]))
            )
        else:
            segments.extend((c, c.text) for c in row.filled)
        for cell, raw in segments:
            text = _PIPES.sub("", raw).strip()
            if not text:
                continue
            for part in _INLINE_LABEL.split(text):  # "评价分值:88.64分评价等级:良" holds two fields
                m = _LABEL.match(part)
                if m and (m.group(2).strip() or key(part) in FIELDS):
                    current = FIELDS[m.group(1)]
                    texts.setdefault(current, [])
                    cells.setdefault(current, cell)
                    if m.group(2).strip():
                        texts[current].append(m.group(2))
                        if current in _ONE_LINE:
                            current = None
                elif current is not None and part.strip():
                    texts[current].append(part)
                    if current in _ONE_LINE:
                        current = None
                elif doc.money_unit is None:
                    note = _UNIT_NOTE.search(part)
                    if note:
                        doc.money_unit = note.group(1)  # type: ignore[assignment]

    doc.cells.update({fld: cell.ref for fld, cell in cells.items()})

    def joined(fld: str) -> str | None:
        return clean("\n".join(texts.get(fld, [])))

    project = joined("project")
    if project:
        m = _LEADING_YEAR.match(project)
        if m:
            doc.year = int(m.group(1))
            project = project[m.end() :].strip() or project
    doc.project = project
    doc.year = doc.year or year
    fa = joined("final_accounts")
    if fa:
        unit = money_unit(fa)
        doc.money_unit = unit or doc.money_unit  # type: ignore[assignment]
        m = _NUMBER.search(fa)
        doc.final_accounts = number(
            ctx, _cell_like(cells["final_accounts"], m.group(0)) if m else None, "决算金额"
        )
        if m is None:
            ctx.report("PARSE-NUMBER", f"决算金额不是数字：“{fa}”", cells["final_accounts"].ref)
    sc = joined("score")
    if sc:
        m = _NUMBER.search(sc)
        if m:
            doc.score = number(ctx, _cell_like(cells["score"], m.group(0)), "评价分值")
        else:
            ctx.report("PARSE-NUMBER", f"评价分值不是数字：“{sc}”", cells["score"].ref)
    concl = joined("conclusion")
    if concl:
        grade = next((g for g in GRADES if concl.startswith(g)), None)
        doc.conclusion = grade or concl
    doc.performance = joined("performance")
    doc.problems = split_items(joined("problems"))
    doc.suggestions = split_items(joined("suggestions"))
    doc.rectification = split_items(joined("rectification"))
    if doc.project is None:
        ctx.report("PARSE-MISSING", "未找到项目名称", doc.source, Severity.ERROR)
    if doc.score is None:
        ctx.report("PARSE-MISSING", "未找到评价分值", doc.source, Severity.ERROR)
    return doc


def _cell_like(cell: Cell, text: str) -> Cell:
    return Cell(text, cell.ref)
