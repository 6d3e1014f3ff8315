"""The declaration form (绩效目标申报表) of the cycle: a draft started blank (the national 绩效目标表 or the Shanghai
2018 申报表) or copied from a previous year's declaration, the unit's edits applied to its v1 JSON (header, funds,
goals, indicator rows, rows added and removed), and the C-TD checks' findings as the page shows them
(:func:`jixiao.cycle.live.check_declaration`, the library's one live checker).

Which form a draft is laid out as is the layout engine's one decision (:func:`jixiao.export.layout.declaration_form`,
by what the declaration holds): a blank Shanghai draft starts with a row in each of its 分解目标 groups.  Bad input
raises ``ValueError`` with one Chinese line, which the router answers as 422.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jixiao.cycle.guidance import GENERAL, guidance_for
from jixiao.cycle.live import DRAFT_PREFIX, check_declaration
from jixiao.export.layout import declaration_form
from jixiao.forms.vocabulary import FUND_USES, NATIONAL_ANNUAL, NATIONAL_TOTAL, PROJECT_TYPES
from jixiao.model import Indicator, Severity, TargetDeclaration, from_v1, to_v1
from jixiao.rules import Profile

KIND = "target_declaration"
LAYOUTS = {
    "绩效目标表": "全国通用绩效目标表（财预〔2021〕101号）",
    "申报表": "上海市财政支出项目绩效目标申报表（2018）",
}
# the rows a blank form starts with: one per category the guidance asks for (R15, R16; C-TD-04)
_BLANK_ROWS = {
    "绩效目标表": (
        ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("成本指标", "经济成本指标"),
        ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"),
    ),
    "申报表": (("投入和管理目标", None), ("产出目标", None), ("效果目标", None), ("影响力目标", None)),
}  # fmt: skip
LEVEL1_CHOICES = {
    "绩效目标表": ("产出指标", "成本指标", "效益指标", "满意度指标"),
    "申报表": ("投入和管理目标", "产出目标", "效果目标", "影响力目标"),
}
# the amounts' labels as each form prints them (the national form's are the words the reader accepts first)
AMOUNT_LABELS = {
    "绩效目标表": {"total_budget": NATIONAL_TOTAL[0], "annual_budget": NATIONAL_ANNUAL[0]},
    "申报表": {"total_budget": "项目总预算", "annual_budget": "项目当年预算"},
}
MAX_ROWS = 200
MAX_TEXT = 2000
_HEADER_TEXT = ("project", "department", "unit", "overall_goal", "annual_goal")
_HEADER_NUMBERS = {
    "total_budget": "项目总预算（年度资金总额）", "annual_budget": "项目当年预算",
    "previous_budget": "同名项目上年预算额", "previous_executed": "同名项目上年预算执行数",
}  # fmt: skip
_ROW_TEXT = {"l1": "level1", "l2": "level2", "name": "name", "target": "target"}
# the Shanghai form's check-box rows: v1 field → (label, the options the form prints)
BOX_ROWS = {"project_type": ("项目类型", PROJECT_TYPES), "fund_use": ("资金用途", FUND_USES)}


def box_options(body: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each check-box row's options as the page and the exports print them: the form's own, then any other the
    declaration holds (what a parser read off another printing of the form), so that it can be unticked too."""
    out = {}
    for key, (_, printed) in BOX_ROWS.items():
        held = [str(x) for x in body.get(key) or []]
        out[key] = [*printed, *(x for x in held if x not in printed)]
    return out


def _boxes(body: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, list[str]]:
    """The ticked boxes of each row, in the printed order: the fields ``project_type_N`` / ``fund_use_N`` the
    form sends, each valued with its option (a box not sent is unticked); ``ValueError`` on an unknown option."""
    options = box_options(body)
    out = {}
    for key, (label, _) in BOX_ROWS.items():
        prefix = f"{key}_"
        ticked = {v.strip() for k, v in form.items() if k.startswith(prefix) and k[len(prefix) :].isdigit()}
        unknown = sorted(ticked - set(options[key]))
        if unknown:
            raise ValueError(f"{label}没有「{unknown[0][:40]}」这一选项：可选 {'、'.join(options[key])}")
        out[key] = [o for o in options[key] if o in ticked]
    return out


def blank(layout: str, *, year: int, unit: str, department: str | None, project: str) -> dict[str, Any]:
    """A blank declaration of ``layout`` (a key of :data:`LAYOUTS`) for the unit: its header (what the form
    prints of it), and one empty row per category the form asks for (each an error of C-TD-01 until filled in)."""
    if layout not in LAYOUTS:
        raise ValueError(f"未知的申报表样式「{layout[:20]}」：可用 {'、'.join(LAYOUTS)}")
    rows = [Indicator(level1=l1, level2=l2, name="", target="") for l1, l2 in _BLANK_ROWS[layout]]
    decl = TargetDeclaration(
        year=year, project=project, unit=unit, money_unit="万元", indicators=rows,
        department=department if layout == "绩效目标表" else None,  # the Shanghai form prints no 主管部门
    )  # fmt: skip
    return to_v1(decl, provenance=False)


def copied(previous: TargetDeclaration | Mapping[str, Any], year: int) -> dict[str, Any]:
    """The previous year's declaration as the start of ``year``'s: its header, funds, goals and indicator rows,
    with the period cleared (the old dates fall outside the new year, C-TD-10) and, on the Shanghai form, its
    当年预算 as the new 同名项目上年预算额; the old notes and provenance dropped."""
    decl = previous if isinstance(previous, TargetDeclaration) else from_v1(dict(previous))
    if not isinstance(decl, TargetDeclaration):
        raise ValueError(f"应为绩效目标申报表，得到「{decl.kind_title}」")
    shanghai = declaration_form(decl) == "申报表"
    body = to_v1(decl, provenance=False)
    body.update(year=year, start=None, end=None, findings=[])
    if shanghai:
        body.update(previous_budget=decl.annual_budget, previous_executed=None)
    return body | {"kind": KIND, "year": year}


def number(name: str, raw: str) -> float | None:
    """A typed amount (thousands separators allowed), None when empty; ``ValueError`` when not a finite number."""
    text = raw.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        v = float(text)
    except ValueError:
        raise ValueError(f"{name}应为数字，收到「{raw.strip()[:40]}」") from None
    if not math.isfinite(v) or abs(v) > 1e15:
        raise ValueError(f"{name}超出范围")
    return v


def _date(name: str, raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{name}应为日期（YYYY-MM-DD），收到「{text[:20]}」") from None


def _text(raw: str) -> str | None:
    return raw.strip()[:MAX_TEXT] or None


def apply_edits(body: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The unit's edits on a copy of ``body``: the header, funds, goals, 子项目 and indicator rows the form
    sends (a field it does not send is kept; the 项目类型 / 资金用途 boxes when it sends ``boxes``, the page's
    sign that it shows them, for an unticked box sends nothing), then the one row operation ``op`` asks for: ``add_row``,
    ``remove_row:N``, ``add_sub``, ``remove_sub:N`` (1-based)."""
    out = dict(body)
    for key in _HEADER_TEXT:
        if key in form:
            out[key] = _text(form[key])
    if not out.get("project"):
        out["project"] = body.get("project")  # a draft keeps its name: the store lists it by it
    for key, label in _HEADER_NUMBERS.items():
        if key in form:
            out[key] = number(label, form[key])
    for key, label in (("start", "开始时间"), ("end", "结束时间")):
        if key in form:
            out[key] = _date(label, form[key])
    if "boxes" in form:
        out.update(_boxes(body, form))
    subs = [dict(s) for s in body.get("subprojects") or []]
    for n, sp in enumerate(subs, start=1):
        if f"sp_name_{n}" in form:
            sp["name"] = (form[f"sp_name_{n}"].strip()[:200]) or ""
        if f"sp_amount_{n}" in form:
            sp["amount"] = number(f"第 {n} 个子项目预算金额", form[f"sp_amount_{n}"])
    rows = [dict(i) for i in body.get("indicators") or []]
    for n, row in enumerate(rows, start=1):
        for prefix, key in _ROW_TEXT.items():
            if f"{prefix}_{n}" in form:
                value = _text(form[f"{prefix}_{n}"])
                row[key] = value or "" if key == "name" else value
        if f"weight_{n}" in form:
            row["weight"] = number(f"第 {n} 行分值", form[f"weight_{n}"])
    op = form.get("op", "").strip()
    verb, _, arg = op.partition(":")
    if verb == "add_row":
        if len(rows) >= MAX_ROWS:
            raise ValueError(f"每份申报表最多 {MAX_ROWS} 行绩效指标")
        last = rows[-1] if rows else {}
        rows.append({"level1": last.get("level1"), "level2": last.get("level2"), "name": "", "target": ""})
    elif verb == "add_sub":
        if len(subs) >= MAX_ROWS:
            raise ValueError(f"每份申报表最多 {MAX_ROWS} 个子项目")
        subs.append({"name": "", "amount": None})
    elif verb in ("remove_row", "remove_sub"):
        listed = rows if verb == "remove_row" else subs
        if not (arg.isdigit() and 1 <= int(arg) <= len(listed)):
            raise ValueError(f"没有第 {arg[:10]} 行可删除")
        del listed[int(arg) - 1]
    elif op:
        raise ValueError(f"未知的操作「{op[:20]}」")
    out["subprojects"] = subs
    out["indicators"] = rows
    return out


@dataclass(frozen=True)
class Checked:
    """A declaration draft as the C-TD checks find it: what the page and its JSON twin show."""

    findings: list[dict[str, Any]]
    error: str | None = None
    row_count: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == Severity.ERROR.value) + (
            1 if self.error else 0
        )

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == Severity.WARNING.value)

    def rows(self) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {}
        for f in self.findings:
            if f["row"] is not None:
                out.setdefault(f["row"], []).append(f)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": self.error,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": self.findings,
            "rows": {str(k): v for k, v in self.rows().items()},
            "row_count": self.row_count,
        }


def checked(body: Mapping[str, Any], profile: Profile) -> Checked:
    """The C-TD findings of a declaration draft, errors first, each with its 1-based row (None: the whole form)."""
    res = check_declaration(body, profile)
    if res.error is not None:
        return Checked([], res.error)
    row_of = {id(f): n for n, found in enumerate(res.rows, start=1) for f in found}
    rank = {"error": 0, "warning": 1}
    shown = [f for f in res.findings if not f.code.startswith(DRAFT_PREFIX)]
    ordered = sorted(shown, key=lambda f: (rank.get(f.severity.value, 2), row_of.get(id(f)) or 0, f.code))
    out = [
        {"code": f.code, "severity": f.severity.value, "message": f.message, "row": row_of.get(id(f))}
        for f in ordered
    ]
    out[:0] = _nameless(body)
    return Checked(out, row_count=len(res.rows))


def _nameless(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """C-TD-01 on the rows the checks do not see: a row with no name is not a row to them (what a parser leaves
    of a broken table), but on a draft it is one the unit added and must complete (R14), in the check's words."""
    from jixiao.rules.checks._common import has_text
    from jixiao.rules.registry import default_registry
    from jixiao.values import ValueKind, parse_value

    check = default_registry().by_code["C-TD-01"]
    out = []
    for n, row in enumerate(body.get("indicators") or [], start=1):
        if has_text(row.get("name")):
            continue
        missing = ["指标名称"] + [label for label, ok in (
            ("指标类别", has_text(row.get("level1"))), ("指标值", parse_value(row.get("target")).kind is not ValueKind.EMPTY),
        ) if not ok]  # fmt: skip
        message = check.messages["default"].format(indicator="（无名称）", missing="、".join(missing))
        out.append({"code": check.code, "severity": check.severity.value, "message": message, "row": n})
    return out


def form_of(body: Mapping[str, Any]) -> str:
    """Which official form the draft is laid out as (the layout engine's decision), ``绩效目标表`` when unreadable."""
    try:
        decl = from_v1(dict(body))
    except (ValueError, TypeError):
        return "绩效目标表"
    return declaration_form(decl) if isinstance(decl, TargetDeclaration) else "绩效目标表"


def row_help(body: Mapping[str, Any]) -> list[dict[str, Any] | None]:
    """The guidance beside each indicator row (by its category), None where the row has no 一级指标 yet."""
    out: list[dict[str, Any] | None] = []
    for raw in body.get("indicators") or []:
        ind = Indicator(level1=raw.get("level1"), level2=raw.get("level2"), name=str(raw.get("name") or ""))
        g = guidance_for(ind)
        out.append(g.to_dict() if g else None)
    return out


def general_help() -> list[str]:
    return list(GENERAL)
