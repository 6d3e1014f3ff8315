"""One span-based layout per official form, from which every writer is derived.

:func:`layout` lays a document out as its printed form: a grid of :class:`Span` s (a possibly merged cell with the
value it stores, the number format it shows it with, and so the text it prints), the lines above the grid (title,
year, unit), and the column widths.  The XLSX writer (:mod:`jixiao.export.xlsx`) writes the spans as merged,
formatted cells; the text printers below (:data:`PRINTERS`: markdown, TSV, a web page's flat copy, one cell per
line, one cell per paragraph) print the same spans as users' extraction tools give them, each span's text at its
top-left and the cells it covers empty.  A span's text is what a spreadsheet shows for its value and format
(:func:`jixiao.readers.numfmt.render`), so the two can never disagree.

Forms:

* 财政项目支出绩效自评表, 2023 template (9 columns, a 绩效指标 label column) for forms before 2024 without a grade,
  the 2024 template (8 columns, 评分等级 row) from 2024 on or with a grade; a scoring rubric (10号 Att. 2: every
  一级/二级 group with its printed 分值, the leaves with 分值 and 得分) in the same frame; and, by jurisdiction
  (``variant``, :func:`variant_for` a profile), Sichuan's form, whose 年度指标值 is three columns 指标性质 | 指标值 |
  度量单位;
* 绩效目标申报表: the Shanghai 2018 form (项目类型/资金用途 check boxes, 子项目 budget rows merged under
  项目当年投入资金构成, 分解目标 groups merged down) for a declaration that holds what only it prints, else the
  national 绩效目标表 (项目资金 lines, 项目期, 总体/年度目标, 一级/二级/三级/指标值 and 分值 merged down under 绩效指标);
* 绩效评价结果信息表 (label | text rows).

The labels and option lists the parser reads come from :mod:`jixiao.forms.vocabulary` (the national form's, the
first of each list the reader accepts), so what a form prints is what jixiao reads back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from jixiao.forms.vocabulary import (
    FUND_USES,
    INDICATOR_HEADER,
    NATIONAL_ANNUAL,
    NATIONAL_ANNUAL_GOAL,
    NATIONAL_DEPARTMENT,
    NATIONAL_LEVEL_COLUMNS,
    NATIONAL_NAME_COLUMNS,
    NATIONAL_OVERALL_GOAL,
    NATIONAL_PERIOD,
    NATIONAL_PROJECT,
    NATIONAL_TOTAL,
    NATIONAL_UNIT,
    PROJECT_TYPES,
    TITLE_DECLARATION,
    TITLE_EVALUATION,
    TITLE_SELF,
)
from jixiao.model import AnyDocument, EvaluationResult, FundLine, Indicator, SelfEvaluation, TargetDeclaration
from jixiao.readers.numfmt import render as shown

__all__ = [
    "NATIONAL_TITLE",
    "ONE_CELL_STYLES",
    "PRINTERS",
    "VARIANTS",
    "Layout",
    "Span",
    "declaration_form",
    "layout",
    "render",
    "split_target",
    "template",
    "to_cell_lines",
    "to_flat",
    "to_markdown",
    "to_paragraphs",
    "to_tsv",
    "variant_for",
]


@dataclass(frozen=True, slots=True)
class Span:
    """One (possibly merged) cell of a form's grid, 0-based, with how its value is stored and shown.

    Attributes:
        row, col: the top-left cell.
        value: what the cell stores (a number stays a number).
        rowspan, colspan: how many rows and columns it covers.
        head: a label (bold in the workbook).
        left: left-aligned (long text) rather than centred.
        number_format: the spreadsheet format it is shown with (``#,##0.00``, ``0.00%``), None for General.
        field: the model field a value cell shows, as a path from the document (``("indicators", 3, "actual")``,
            ``("goal", "expected")``, ``("project",)``); None for a label.  The web places findings and
            provenance by it; the writers ignore it.
    """

    row: int
    col: int
    value: str | float | None
    rowspan: int = 1
    colspan: int = 1
    head: bool = False
    left: bool = False
    number_format: str | None = None
    field: tuple[str | int, ...] | None = None

    @property
    def text(self) -> str:
        """What the form prints in this cell (a number through its format, as a spreadsheet shows it)."""
        return shown(self.value, self.number_format)


@dataclass(slots=True)
class Layout:
    """A form laid out: the lines above its grid, the grid's spans, its size and its column widths (mm).

    Attributes:
        form: which form and template (``自评表-2023``, ``自评表-2024``, ``申报表``, ``评价结果``).
        title: the form's title line.
        before: the lines under the title and above the grid (year, 申报单位).
        spans: the grid's cells, row by row.
        nrow, ncol: the grid's size.
        widths: each column's width in mm.
    """

    form: str
    title: str
    before: list[str]
    spans: list[Span] = field(default_factory=list)
    nrow: int = 0
    ncol: int = 0
    widths: list[int] = field(default_factory=list)

    def add(self, *spans: Span) -> None:
        for s in spans:
            self.spans.append(s)
            self.nrow = max(self.nrow, s.row + s.rowspan)
            self.ncol = max(self.ncol, s.col + s.colspan)

    def rows(self) -> list[list[str]]:
        """The grid as text rows: each span's text at its top-left, the cells it covers empty."""
        grid = [[""] * self.ncol for _ in range(self.nrow)]
        for s in self.spans:
            grid[s.row][s.col] = s.text.replace("\n", "")
        return grid

    def span_rows(self) -> list[list[str]]:
        """Each row's cells as a one-cell-per-line copy gives them: a span's text once, the columns it covers
        to its right left out, the rows it covers below as one empty cell each (as a copy of a form whose
        labels are printed once per group gives them)."""
        grid: list[list[tuple[int, str]]] = [[] for _ in range(self.nrow)]
        for s in self.spans:
            grid[s.row].append((s.col, s.text.replace("\n", "")))
            for below in range(s.row + 1, s.row + s.rowspan):
                grid[below].append((s.col, ""))
        return [[t for _c, t in sorted(r)] for r in grid]

    def text_rows(self, style: str) -> list[list[str]]:
        """The rows a text ``style`` prints: one cell per span for the one-cell styles, the full grid else."""
        return self.span_rows() if style in ONE_CELL_STYLES else self.rows()

    @property
    def heading(self) -> list[str]:
        """The title and the lines under it, as printed above the grid."""
        return [line for line in (self.title, *self.before) if line]


# The jurisdictions' variants of the 自评表: the national 10号 Att. 1 form, and Sichuan's, which prints 年度指标值 in
# three columns 指标性质 | 指标值 | 度量单位 (R1: the 四川 2023 variant).  A profile picks one by its name.
VARIANTS = ("10号", "四川")
_PROFILE_VARIANTS = {"sichuan": "四川", "四川": "四川"}


def variant_for(profile: object) -> str:
    """The 自评表 variant of a profile (a :class:`~jixiao.rules.Profile` or its name): ``四川`` for a profile named
    ``sichuan`` (e.g. ``sichuan.toml``), else the national ``10号``."""
    name = profile if isinstance(profile, str) else getattr(profile, "name", "")
    return _PROFILE_VARIANTS.get(str(name).lower(), "10号")


def layout(doc: AnyDocument, variant: str = "10号") -> Layout:
    """The document laid out as its official form; ``variant`` (one of :data:`VARIANTS`) chooses the 自评表's."""
    if variant not in VARIANTS:
        raise ValueError(f"未知的表样「{variant}」：可用 {'、'.join(VARIANTS)}")
    if isinstance(doc, SelfEvaluation):
        return _self_evaluation(doc, split=variant == "四川")
    if isinstance(doc, TargetDeclaration):
        return _declaration(doc, split=variant == "四川")
    return _evaluation(doc)


# --- 绩效自评表 -----------------------------------------------------------------------------------------------

_SELF_WIDTHS = {"2023": [15, 16, 17, 29, 22, 22, 12, 13, 34], "2024": [15, 19, 33, 24, 24, 14, 14, 37]}
_FUND_HEADER = {
    "2023": ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
    "2024": ("年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"),
}


def template(doc: SelfEvaluation) -> str:
    """``2024`` (8 columns, 评分等级) from 2024 on or with a grade, else ``2023`` (9 columns)."""
    return "2024" if doc.grade or (doc.year or 0) >= 2024 else "2023"


def _decimals(v: float) -> int:
    text = repr(float(v))
    if "e" in text or "." not in text:
        return 0
    return len(text.split(".")[1].rstrip("0"))


def _amount(v: float | None) -> tuple[str | float, str | None]:
    if v is None:
        return "-", None
    return v, "#,##0.00" if _decimals(v) else "#,##0"


def _score(v: float | None) -> tuple[str | float, str | None]:
    if v is None:
        return "—", None
    d = _decimals(v)
    return v, ("0." + "0" * max(d, 2)) if d else None


def _plain(v: float | None) -> tuple[str | float, str | None]:
    """A number shown with exactly its own decimals (an empty cell when none)."""
    if v is None:
        return "", None
    d = _decimals(v)
    return v, ("0." + "0" * d) if d else None


def _rate(v: float | None, form: str) -> tuple[str | float, str | None]:
    if v is None:
        return "", None
    d = max(_decimals(v), 2)
    if form == "2024":
        return v, "0." + "0" * d
    return round(v / 100, d + 2), "0." + "0" * d + "%"


_FUND_FIELDS = ("initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score")


def _fund_values(f: FundLine, form: str) -> list[tuple[str | float, str | None]]:
    return [
        _amount(f.initial_budget),
        _amount(f.annual_budget),
        _amount(f.executed),
        _score(f.weight),
        _rate(f.execution_rate, form),
        _score(f.score),
    ]


def _split_widths(widths: list[int], at: int) -> list[int]:
    """The widths with the 年度指标值 column at ``at`` split in three (指标性质 | 指标值 | 度量单位)."""
    w = widths[at]
    return [*widths[:at], 12, max(w - 6, 14), 12, *widths[at + 1 :]]


def _self_evaluation(doc: SelfEvaluation, split: bool = False) -> Layout:
    form = template(doc)
    wide = form == "2023"
    # A scoring rubric (printed group weights, leaves with 分值 and 得分 only) is laid out as one; a form whose
    # rows carry targets is the 10号 table, which has no place for group weights.
    rubric = bool(doc.printed_level1_weights) and not any(
        i.target or i.actual or i.deviation for i in doc.indicators
    )
    split = split and not rubric
    extra = 2 if split else 0  # the split target's two more columns
    ncol = (9 if wide else 8) + extra
    lab = 1 if wide else 2  # columns of the left labels in the top block
    widths = _split_widths(_SELF_WIDTHS[form], 4 if wide else 3) if split else _SELF_WIDTHS[form]
    name = f"自评表-{form}" + ("-四川" if split else "")
    out = Layout(name, TITLE_SELF, [f"({doc.year}年度)" if doc.year else ""], widths=widths)
    add = out.add
    add(
        Span(0, 0, "项目名称", colspan=lab, head=True),
        Span(0, lab, doc.project or "", colspan=ncol - lab, field=("project",)),
    )
    add(
        Span(1, 0, "主管部门", colspan=lab, head=True),
        Span(1, lab, doc.department or "", colspan=4 - lab, field=("department",)),
    )
    add(
        Span(1, 4, "实施单位", head=True),
        Span(1, 5, doc.implementing_unit or "", colspan=ncol - 5, field=("implementing_unit",)),
    )
    r = 2
    money = (
        f"项目资金\n({doc.money_unit})" if doc.money_unit else "项目资金"
    )  # no unit printed: none invented
    add(Span(r, 0, money, rowspan=len(doc.funds) + 1, head=True), Span(r, 1, ""))
    place = [(2, 1), (3, 1), (4, 1), (5, 1), (6, 2), (8, 1)] if wide else [(j, 1) for j in range(2, 8)]
    col, span = place[-1]
    place[-1] = (col, span + extra)  # the 得分 cell spans the split target's extra columns
    for (col, span), h in zip(place, _FUND_HEADER[form], strict=True):
        add(Span(r, col, h, colspan=span, head=True))
    for n, f in enumerate(doc.funds):
        r += 1
        add(Span(r, 1, f.line, left=True, field=("funds", n, "line")))
        for (col, span), (value, fmt), k in zip(place, _fund_values(f, form), _FUND_FIELDS, strict=True):
            add(Span(r, col, value, colspan=span, number_format=fmt, field=("funds", n, k)))
    r += 1
    goal = doc.goal
    add(Span(r, 0, "年度总体目标", rowspan=2, head=True), Span(r, 1, "预期目标", colspan=3, head=True))
    add(Span(r, 4, "实际完成情况", colspan=ncol - 4, head=True))
    r += 1
    add(Span(r, 1, (goal.expected if goal else None) or "", colspan=3, left=True, field=("goal", "expected")))
    add(
        Span(
            r, 4, (goal.actual if goal else None) or "", colspan=ncol - 4, left=True, field=("goal", "actual")
        )
    )
    if rubric:
        out.form += "-评分表"
        r = _rubric(out, doc, r + 1)
    else:
        r = _indicators(out, doc.indicators, r + 1, wide, split)
    c = (1 if wide and not rubric else 0) + extra
    add(Span(r, 0, "总分", colspan=c + 5, head=True))
    for col, v, name in ((c + 5, doc.total_weight, "total_weight"), (c + 6, doc.total_score, "total_score")):
        value, fmt = _score(v)
        add(Span(r, col, value, number_format=fmt, field=(name,)))
    add(Span(r, c + 7, ""))
    if doc.grade:
        add(
            Span(r + 1, 0, "评分等级", colspan=2, head=True),
            Span(r + 1, 2, doc.grade, colspan=ncol - 2, field=("grade",)),
        )
    return out


_SPLIT = re.compile(r"^(≥|≤|>=|<=|>|<|=|＝|≧|≦)?(\d[\d.,]*(?:-\d[\d.,]*)?)(\S*)$")


def split_target(target: str | None) -> tuple[str, str, str]:
    """A target as Sichuan's form prints it, 指标性质 | 指标值 | 度量单位 (``≥4.00(次)`` → ``≥``, ``4.00``, ``(次)``);
    a target that does not split so that the three glue back to it whole (``及时``, ``≤5 (次)``) stays whole in 指标值."""
    text = target or ""
    m = _SPLIT.match(text)
    if m is None:
        return "", text, ""
    op, value, unit = m.group(1) or "", m.group(2), m.group(3)
    return (op, value, unit) if op + value + unit == text else ("", text, "")


def _indicators(out: Layout, inds: Sequence[Indicator], r: int, wide: bool, split: bool = False) -> int:
    add = out.add
    c = 1 if wide else 0
    if wide:
        add(Span(r, 0, "绩效指标", rowspan=1 + len(inds), head=True))
    header = [*INDICATOR_HEADER]
    if split:
        header[3:4] = ["指标性质", "指标值", "度量单位"]
    for j, h in enumerate(header):
        add(Span(r, c + j, h, head=True))
    top = r + 1
    labels = [(ind.level1 or "", ind.level2 or "") for ind in inds]
    for depth in (1, 2):  # runs of equal 一级 (and 一级+二级) labels are merged down
        i = 0
        while i < len(inds):
            k = i
            while k + 1 < len(inds) and labels[k + 1][:depth] == labels[i][:depth]:
                k += 1
            level = ("indicators", i, f"level{depth}")
            add(Span(top + i, c + depth - 1, labels[i][depth - 1], rowspan=k - i + 1, field=level))
            i = k + 1
    for i, ind in enumerate(inds):
        rr = top + i
        add(Span(rr, c + 2, ind.name, field=("indicators", i, "name")))
        target = ("indicators", i, "target")
        if split:
            add(*(Span(rr, c + 3 + k, part, field=target) for k, part in enumerate(split_target(ind.target))))
            c += 2
        else:
            add(Span(rr, c + 3, ind.target or "", field=target))
        add(Span(rr, c + 4, ind.actual or "", field=("indicators", i, "actual")))
        for col, v, name in ((c + 5, ind.weight, "weight"), (c + 6, ind.score, "score")):
            # a row not scored yet (a draft's) is a blank to fill in, as the template prints it
            value, fmt = _score(v) if v is not None or col == c + 5 else ("", None)
            add(Span(rr, col, value, number_format=fmt, field=("indicators", i, name)))
        add(
            Span(
                rr, c + 7, ind.deviation or "", left=bool(ind.deviation), field=("indicators", i, "deviation")
            )
        )
        if split:
            c -= 2
    return top + len(inds)


_RUBRIC_HEADER = ("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "得分")


def _rubric(out: Layout, doc: SelfEvaluation, r: int) -> int:
    """A scoring rubric's body: every group with its printed weight, merged down over its leaves; a group the
    document prints without leaves (a truncated table) keeps a row of its own with its weight."""
    add = out.add
    for j, h in enumerate(_RUBRIC_HEADER):
        add(Span(r, j, h, head=True))
    weights = {(lw.level1, lw.level2): lw.weight for lw in doc.level_weights}
    at = {(lw.level1, lw.level2): k for k, lw in enumerate(doc.level_weights)}  # the field a weight shows
    slots: list[tuple[str, str, Indicator | None]] = [
        (i.level1 or "", i.level2 or "", i) for i in doc.indicators
    ]
    index = {id(ind): n for n, ind in enumerate(doc.indicators)}
    for lw in doc.level_weights:
        l1, l2 = lw.level1 or "", lw.level2 or ""
        if any(a == l1 and (lw.level2 is None or b == l2) for a, b, _i in slots):
            continue
        after = max((k for k, (a, _b, _i) in enumerate(slots) if a == l1), default=len(slots) - 1)
        slots.insert(after + 1, (l1, l2, None))
    top = r + 1
    for depth in (1, 2):  # runs of equal 一级 (and 一级+二级) labels are merged down, with their weights
        i = 0
        while i < len(slots):
            k = i
            while k + 1 < len(slots) and slots[k + 1][:depth] == slots[i][:depth]:
                k += 1
            l1, l2, _ind = slots[i]
            label = l1 if depth == 1 else l2
            group = (l1, None) if depth == 1 else (l1, l2)
            value, fmt = _plain(weights.get(group))
            col = 2 * (depth - 1)
            first = slots[i][2]
            level = None if first is None else ("indicators", index[id(first)], f"level{depth}")
            weight = None if group not in at else ("level_weights", at[group], "weight")
            add(Span(top + i, col, label, rowspan=k - i + 1, field=level))
            add(Span(top + i, col + 1, value, rowspan=k - i + 1, number_format=fmt, field=weight))
            i = k + 1
    for i, (_l1, _l2, ind) in enumerate(slots):
        n = None if ind is None else index[id(ind)]
        add(Span(top + i, 4, ind.name if ind else "", field=None if n is None else ("indicators", n, "name")))
        for col, v, name in (
            (5, ind.weight if ind else None, "weight"),
            (6, ind.score if ind else None, "score"),
        ):
            value, fmt = _plain(v)
            add(
                Span(
                    top + i,
                    col,
                    value,
                    number_format=fmt,
                    field=None if n is None else ("indicators", n, name),
                )
            )
    return top + len(slots)


# --- 绩效目标申报表 ---------------------------------------------------------------------------------------------


NATIONAL_TITLE = "项目支出绩效目标表"
_SHANGHAI_GROUPS = ("投入和管理目标", "产出目标", "效果目标", "影响力目标")


def declaration_form(doc: TargetDeclaration) -> str:
    """``申报表`` (the Shanghai 2018 form) when the declaration holds what only that form prints (项目类型 / 资金用途
    boxes, the previous year's budget, its 分解目标 groups, 子项目 that do not add up to the total), else
    ``绩效目标表`` (the national form, which prints 子项目 inside the 年度资金总额 cell)."""
    shanghai = (
        doc.project_type or doc.fund_use or (doc.subprojects and _breakdown(doc) is None)
        or doc.previous_budget is not None or doc.previous_executed is not None
        or any(i.level1 in _SHANGHAI_GROUPS for i in doc.indicators)
    )  # fmt: skip
    return "申报表" if shanghai else "绩效目标表"


def _breakdown(doc: TargetDeclaration) -> str | None:
    """The 年度资金总额 cell with its 子项目 as national forms print it (``854万(高标准农田建设400万元,…)``), when
    the 子项目 add up to the total; else None."""
    total, subs = doc.total_budget, doc.subprojects
    if total is None or not subs or any(sp.amount is None for sp in subs):
        return None
    if abs(sum(sp.amount or 0.0 for sp in subs) - total) > 1e-6:
        return None
    unit = doc.money_unit or "元"
    short = "万" if unit == "万元" else unit
    parts = ",".join(f"{sp.name}{shown(*_plain(sp.amount))}{unit}" for sp in subs)
    return f"{shown(*_plain(total))}{short}({parts})"


def _checkbox_line(options: Sequence[str], checked: Sequence[str]) -> str:
    return " ".join(f"{o} {'☑' if o in checked else '☐'}" for o in options)


def _date(d: dt.date | None) -> str:
    return "" if d is None else f"{d.year}/{d.month}/{d.day}"


def _runs(labels: Sequence[tuple[str, ...]], depth: int) -> list[tuple[int, int]]:
    """(first, count) of each run of rows whose labels agree on their first ``depth`` entries."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(labels):
        k = i
        while k + 1 < len(labels) and labels[k + 1][:depth] == labels[i][:depth]:
            k += 1
        out.append((i, k - i + 1))
        i = k + 1
    return out


def _declaration(doc: TargetDeclaration, split: bool = False) -> Layout:
    if declaration_form(doc) == "申报表":
        return _shanghai(doc)
    out = _national(doc, split)
    out.form += "-四川" if split else ""
    return out


def _shanghai(doc: TargetDeclaration) -> Layout:
    """上海市财政支出项目绩效目标申报表 (2018): label | value merged over the other three columns; the amounts in
    pairs; 项目当年投入资金构成 merged down over its 子项目 rows; each 分解目标 group merged down over its rows."""
    unit = doc.money_unit or "元"
    before = [f"({doc.year}年)" if doc.year else "", f"申报单位名称：{doc.unit or ''}"]
    out = Layout("申报表", TITLE_DECLARATION, before, widths=[40, 60, 40, 40])
    add = out.add
    types = [*PROJECT_TYPES, *(t for t in doc.project_type if t not in PROJECT_TYPES)]
    uses = [*FUND_USES, *(t for t in doc.fund_use if t not in FUND_USES)]
    r = 0

    def wide(label: str, text: str, name: str | None, *, left: bool = False) -> None:
        nonlocal r
        add(
            Span(r, 0, label, head=True),
            Span(r, 1, text, colspan=3, left=left, field=None if name is None else (name,)),
        )
        r += 1

    Shown = tuple[str | float | None, str | None]

    def pair(a: str, an: str, av: Shown, b: str, bn: str, bv: Shown) -> None:
        nonlocal r
        add(Span(r, 0, a, head=True), Span(r, 1, av[0], number_format=av[1], field=(an,)))
        add(Span(r, 2, b, head=True), Span(r, 3, bv[0], number_format=bv[1], field=(bn,)))
        r += 1

    wide("项目名称", doc.project or "", "project")
    wide("项目类型", _checkbox_line(types, doc.project_type), "project_type", left=True)
    wide("资金用途", _checkbox_line(uses, doc.fund_use), "fund_use", left=True)
    pair("开始时间", "start", (_date(doc.start), None), "结束时间", "end", (_date(doc.end), None))
    pair(f"项目总预算（{unit}）", "total_budget", _plain(doc.total_budget),
         f"项目当年预算（{unit}）", "annual_budget", _plain(doc.annual_budget))  # fmt: skip
    pair(f"同名项目上年预算额（{unit}）", "previous_budget", _plain(doc.previous_budget),
         f"同名项目上年预算执行数（{unit}）", "previous_executed", _plain(doc.previous_executed))  # fmt: skip
    add(Span(r, 0, "项目当年投入资金构成", rowspan=1 + len(doc.subprojects), head=True))
    add(Span(r, 1, "子项目名称", colspan=2, head=True), Span(r, 3, f"预算金额（{unit}）", head=True))
    for n, sp in enumerate(doc.subprojects):
        r += 1
        value, fmt = _plain(sp.amount)
        add(Span(r, 1, sp.name, colspan=2, field=("subprojects", n, "name")))
        add(Span(r, 3, value, number_format=fmt, field=("subprojects", n, "amount")))
    r += 1
    wide("项目总目标", doc.overall_goal or "", "overall_goal", left=True)
    wide("年度绩效目标", doc.annual_goal or "", "annual_goal", left=True)
    add(Span(r, 0, "分解目标内容", head=True), Span(r, 1, "绩效指标", head=True))
    add(Span(r, 2, "指标目标值", colspan=2, head=True))
    top = r + 1
    groups = [(i.level1 or "",) for i in doc.indicators]
    for first, n in _runs(groups, 1):
        add(Span(top + first, 0, groups[first][0], rowspan=n, field=("indicators", first, "level1")))
    for k, ind in enumerate(doc.indicators):
        add(Span(top + k, 1, ind.name, field=("indicators", k, "name")))
        add(Span(top + k, 2, ind.target or "", colspan=2, field=("indicators", k, "target")))
    r = top + len(doc.indicators)
    wide("备注", "", None)
    return out


_NATIONAL_HEAD = (*NATIONAL_LEVEL_COLUMNS, NATIONAL_NAME_COLUMNS[0], "指标值")


def _national(doc: TargetDeclaration, split: bool = False) -> Layout:
    """The national 绩效目标表 (财预〔2021〕101号 template): project, 主管部门 | 实施单位, 项目资金 merged down over its
    lines, 项目期, 总体目标 / 年度目标, and the indicator block 一级 / 二级 / 三级 / 指标值 (and 分值 where the
    declaration carries weights) under 绩效指标 merged down, runs of equal 一级 and 二级 labels merged down.
    ``split``: 指标值 as Sichuan prints it, 指标性质 | 指标值 | 度量单位."""
    weighted = any(i.weight is not None for i in doc.indicators)
    extra = 2 if split else 0
    ncol = (6 if weighted else 5) + extra
    widths = [26, 28, 30, 50, 30, 16] if weighted else [28, 30, 32, 54, 36]
    widths = _split_widths(widths, 4) if split else widths
    before = [f"（{doc.year}年度）" if doc.year else ""]
    out = Layout("绩效目标表", NATIONAL_TITLE, before, widths=widths)
    add = out.add
    add(
        Span(0, 0, NATIONAL_PROJECT[0], head=True),
        Span(0, 1, doc.project or "", colspan=ncol - 1, field=("project",)),
    )
    add(
        Span(1, 0, NATIONAL_DEPARTMENT[0], head=True),
        Span(1, 1, doc.department or "", colspan=2, field=("department",)),
    )
    add(
        Span(1, 3, NATIONAL_UNIT[0], head=True), Span(1, 4, doc.unit or "", colspan=ncol - 4, field=("unit",))
    )
    r = 2
    lines = [(NATIONAL_TOTAL[0], doc.total_budget, "total_budget")]
    if doc.annual_budget is not None:
        lines.append((NATIONAL_ANNUAL[0], doc.annual_budget, "annual_budget"))
    money = f"项目资金（{doc.money_unit}）" if doc.money_unit else "项目资金"
    add(Span(r, 0, money, rowspan=len(lines), head=True))
    for label, amount, name in lines:
        value, fmt = _plain(amount)
        if label == NATIONAL_TOTAL[0] and doc.subprojects:
            value, fmt = _breakdown(doc) or "", None
        add(Span(r, 1, label, head=True))
        add(Span(r, 2, value, colspan=ncol - 2, number_format=fmt, field=(name,)))
        r += 1
    if doc.start is not None and doc.end is not None:
        add(
            Span(r, 0, NATIONAL_PERIOD[0], head=True),
            Span(r, 1, _period(doc), colspan=ncol - 1, field=("start",)),
        )
        r += 1
    for label, text, name in (
        (NATIONAL_OVERALL_GOAL[0], doc.overall_goal, "overall_goal"),
        (NATIONAL_ANNUAL_GOAL[0], doc.annual_goal, "annual_goal"),
    ):
        if text:
            add(Span(r, 0, label, head=True), Span(r, 1, text, colspan=ncol - 1, left=True, field=(name,)))
            r += 1
    inds = doc.indicators
    add(Span(r, 0, "绩效指标", rowspan=1 + len(inds), head=True))
    head = [*_NATIONAL_HEAD, *(("分值",) if weighted else ())]
    if split:
        head[3:4] = ["指标性质", "指标值", "度量单位"]
    for j, h in enumerate(head):
        add(Span(r, 1 + j, h, head=True))
    top = r + 1
    labels = [(i.level1 or "", i.level2 or "") for i in inds]
    for depth in (1, 2):
        for first, n in _runs(labels, depth):
            level = ("indicators", first, f"level{depth}")
            add(Span(top + first, depth, labels[first][depth - 1], rowspan=n, field=level))
    for k, ind in enumerate(inds):
        add(Span(top + k, 3, ind.name, field=("indicators", k, "name")))
        parts = split_target(ind.target) if split else (ind.target or "",)
        add(*(Span(top + k, 4 + j, part, field=("indicators", k, "target")) for j, part in enumerate(parts)))
        if weighted:
            value, fmt = _plain(ind.weight)
            add(Span(top + k, 5 + extra, value, number_format=fmt, field=("indicators", k, "weight")))
    return out


def _period(doc: TargetDeclaration) -> str:
    """``2023年7月至2024年1月`` for a period printed in months, else ``2023年1月1日至2023年12月31日``."""

    def one(d: dt.date) -> str:
        return f"{d.year}年{d.month}月" + ("" if doc.period_in_months else f"{d.day}日")

    assert doc.start is not None
    assert doc.end is not None
    return f"{one(doc.start)}至{one(doc.end)}"


# --- 绩效评价结果信息表 -----------------------------------------------------------------------------------------


def _numbered(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return "".join(f"（{n}）{item}" for n, item in enumerate(items, start=1))


def _evaluation(doc: EvaluationResult) -> Layout:
    out = Layout("评价结果", TITLE_EVALUATION, [], widths=[30, 150])
    name = f"{doc.year}年{doc.project}" if doc.year and doc.project else doc.project or ""
    accounts, fmt = _plain(doc.final_accounts)
    rows: list[tuple[str, str, str]] = [
        ("项目名称", name, "project"),
        ("决算金额", f"{shown(accounts, fmt)}{doc.money_unit or ''}", "final_accounts"),
        ("评价分值", shown(*_plain(doc.score)), "score"),
        ("评价结论", doc.conclusion or "", "conclusion"),
        ("主要绩效", doc.performance or "", "performance"),
        ("存在问题", _numbered(doc.problems), "problems"),
        ("整改建议", _numbered(doc.suggestions), "suggestions"),
        ("整改情况", _numbered(doc.rectification), "rectification"),
    ]
    for r, (label, text, key) in enumerate(rows):
        out.add(Span(r, 0, label, head=True), Span(r, 1, text, left=True, field=(key,)))
    return out


# --- text printers (what users' extraction tools give) ----------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def to_markdown(before: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"{line}\n\n" for line in before)
    if not rows:
        return head
    width = max(len(r) for r in rows)
    lines = [
        "| " + " | ".join(_md_cell(c) for c in rows[0]) + " |",
        "|" + "---|" * width,
        *("| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows[1:]),
    ]
    return head + "\n".join(lines) + "\n"


def to_tsv(before: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"{line}\n" for line in before)
    return (
        head + "\n".join("\t".join(c.replace("\t", " ").replace("\n", " ") for c in r) for r in rows) + "\n"
    )


def to_flat(before: list[str], rows: list[list[str]]) -> str:
    """One line per row, the filled cells separated by one space: what a text copy of a web page gives."""
    head = "".join(f"{line}\n" for line in before)
    return head + "\n".join(" ".join(c for c in r if c.strip()) for r in rows) + "\n"


def to_cell_lines(before: list[str], rows: list[list[str]]) -> str:
    """One cell per line, each closed by a pipe, an empty cell as a lone ``|``: what some sites' copy gives."""
    head = "".join(f"{line}\n" for line in before)
    return head + "".join(f"{c} |\n" if c.strip() else "|\n" for r in rows for c in r)


def to_paragraphs(before: list[str], rows: list[list[str]]) -> str:
    """One cell per paragraph (blank line between), an empty cell as a paragraph holding a space."""
    head = "".join(f"{line}\n\n" for line in before)
    return head + "".join(f"{c}\n\n" if c.strip() else " \n\n" for r in rows for c in r)


Printer = Callable[[list[str], list[list[str]]], str]
PRINTERS: dict[str, Printer] = {
    "markdown": to_markdown,
    "tsv": to_tsv,
    "flat": to_flat,
    "cells": to_cell_lines,
    "paragraphs": to_paragraphs,
}


ONE_CELL_STYLES = frozenset({"cells", "paragraphs"})  # one cell per line: merged cells print once


def render(doc: AnyDocument, style: str = "markdown", variant: str = "10号") -> str:
    """The document printed as its form (``variant``'s 自评表) in a text ``style`` (a key of :data:`PRINTERS`)."""
    lay = layout(doc, variant)
    return PRINTERS[style](lay.heading, lay.text_rows(style))
