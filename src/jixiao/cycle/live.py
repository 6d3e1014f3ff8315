"""Live scoring of a self-evaluation draft, and a draft made from its approved declaration.

A draft is a document in the v1 JSON format, so the scorer and every single-document check run on it unchanged:
:func:`score_draft` validates the draft, re-scores it by the profile's rules (:func:`jixiao.rules.rescore`: the
execution rate and its score by R3, every row by R5–R8 with the profile's reverse formula, 总分 and 评分等级 by
R11), runs the local checks through the pipeline (:func:`jixiao.pipeline.check_local`) and says which rows need a
偏差原因 (R12: the rows C-SE-08 would report if their 偏差原因 were empty; C-SE-09's far over-achievers are
advised to explain).  Nothing here re-implements a formula; every number comes from :mod:`jixiao.rules`.

What the unit types is the input: 全年预算数, 全年执行数, actuals, qualitative tiers (``达成年度指标`` …, or free
text the rules read a tier from), a proposed score inside a qualitative row's band, and 偏差原因.  What the rules
derive (执行率, 得分 of the fund line, quantitative row scores, 总分, 评分等级) is recomputed, whatever the draft
holds for it.

:func:`check_declaration` checks a 绩效目标申报表 draft the same way, live: the C-TD checks (vague targets, no
number or unit, a wrong direction, process items as outputs, 子项目 not adding up to 当年预算 …) per row.

:func:`draft_from_declaration` starts a self-evaluation from the approved 绩效目标申报表 (R1: its indicators,
targets and weights carried over, to be kept read-only by the caller); where the declaration prints no weights,
each 一级 group's default weight (R2, from the profile) is split evenly over its rows, and the draft says so in a
``DRAFT-WEIGHTS`` finding.  Process rows (Shanghai 2018 投入和管理目标) are not scored in a self-evaluation (R15)
and are left out with a ``DRAFT-PROCESS`` note.

Errors are values: a draft that is not a valid self-evaluation gives a :class:`LiveResult` whose ``error`` is
one Chinese line, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from jixiao.export.layout import declaration_form
from jixiao.model import (
    Finding,
    FundLine,
    Goal,
    Indicator,
    SelfEvaluation,
    Severity,
    SourceRef,
    TargetDeclaration,
    from_v1,
    to_v1,
)
from jixiao.pipeline import FileResult, Options, check_across, check_local
from jixiao.rules import Profile, load_profile, rescore
from jixiao.rules.checks._common import category
from jixiao.rules.engine import check_document
from jixiao.rules.profile import ProfileError
from jixiao.rules.registry import default_registry
from jixiao.rules.scoring import RowScore, ScoreMemo, round2, score_document, score_execution

__all__ = [
    "DRAFT_PATH",
    "DRAFT_PREFIX",
    "LiveDeclaration",
    "LiveResult",
    "LiveRow",
    "check_declaration",
    "draft_from_declaration",
    "one_line",
    "score_draft",
]

DRAFT_PATH = (
    "草稿"  # the path every draft row's source names; its ``row`` is the indicator's 1-based position
)
DRAFT_PREFIX = "DRAFT"  # codes of the notes a draft carries from its making (DRAFT-WEIGHTS, DRAFT-PROCESS)
TOTAL_LINE = "年度资金总额"
SUB_LINES = ("其中：当年财政拨款", "上年结转资金", "其他资金")
# The rows whose 偏差原因 the rules require (C-SE-08) or advise (C-SE-09, a far over-achievement).
_REQUIRE, _ADVISE = "C-SE-08", "C-SE-09"
# unscorable rows whose actual is missing or not a measured value: no score until the unit fixes the actual
_NO_MEASURE = frozenset({"missing", "shaped", "text"})
_LEVEL1 = {"产出": "产出指标", "成本": "成本指标", "效益": "效益指标", "满意度": "满意度指标"}


@dataclass(frozen=True, slots=True)
class LiveRow:
    """One indicator row of a draft as the rules score it.

    Attributes:
        index: the row's 0-based position in ``indicators``.
        name: 三级指标.
        method: how the rules score it (``positive``, ``reverse``, ``qualitative`` …), with ``rule`` (R5 …).
        weight: 分值.
        score: the 得分 a re-scored table prints (a qualitative row: the unit's proposal clamped to its band).
        low / high: a qualitative row's band (``high_open`` when its top is excluded); None otherwise.
        met: whether the actual reaches the target; None when not known yet (no actual).
        formula: the rule with its numbers, in Chinese.
        problem: why the row cannot be scored yet (no actual …), in Chinese.
        deviation: ``required`` (R12, C-SE-08), ``advised`` (an inferred tier or a far over-achievement) or None.
        why: the reason a 偏差原因 is required or advised, in Chinese.
        findings: the findings about this row.
    """

    index: int
    name: str
    method: str
    rule: str
    weight: float
    score: float | None
    low: float | None
    high: float | None
    high_open: bool
    met: bool | None
    formula: str
    problem: str | None
    deviation: str | None = None
    why: str | None = None
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "method": self.method,
            "rule": self.rule,
            "weight": self.weight,
            "score": self.score,
            "band": None
            if self.low is None
            else {"low": self.low, "high": self.high, "high_open": self.high_open},
            "met": self.met,
            "formula": self.formula,
            "problem": self.problem,
            "deviation": self.deviation,
            "why": self.why,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class LiveResult:
    """A draft scored by the rules, or why it could not be.

    Attributes:
        error: why the draft is not a self-evaluation that can be scored (one Chinese line); the rest is empty.
        document: the draft re-scored (its derived values replaced by the rules').
        execution_rate: 执行率 (%, 2 decimals) recomputed from 全年执行数 / 全年预算数 (R3); None without amounts.
        execution_weight / execution_score: the fund line's 分值 and its 得分 (R3).
        execution_formula: R3 with its numbers, in Chinese.
        rows: every indicator row, in order.
        total_weight / total_score / grade: 总分 and 评分等级 (R11).
        findings: every finding of the single-document checks, and the draft's own notes (DRAFT-*).
        profile: the profile's name.
    """

    error: str | None = None
    document: SelfEvaluation | None = None
    execution_rate: float | None = None
    execution_weight: float | None = None
    execution_score: float | None = None
    execution_formula: str = ""
    rows: tuple[LiveRow, ...] = ()
    total_weight: float | None = None
    total_score: float | None = None
    grade: str | None = None
    findings: tuple[Finding, ...] = ()
    profile: str = ""

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error findings: while any remains the draft cannot be submitted (送审)."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The warnings, which the submitter must acknowledge."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def submittable(self) -> bool:
        """Whether 送审 is allowed: the draft is valid and no error finding remains."""
        return self.error is None and not self.errors

    @property
    def deviation_required(self) -> tuple[int, ...]:
        """The positions of the rows whose 偏差原因 the rules require (R12, C-SE-08)."""
        return tuple(r.index for r in self.rows if r.deviation == "required")

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON (what a JSON twin returns)."""
        return {
            "error": self.error,
            "profile": self.profile,
            "execution": {
                "rate": self.execution_rate,
                "weight": self.execution_weight,
                "score": self.execution_score,
                "formula": self.execution_formula,
            },
            "rows": [r.to_dict() for r in self.rows],
            "total_weight": self.total_weight,
            "total_score": self.total_score,
            "grade": self.grade,
            "submittable": self.submittable,
            "deviation_required": list(self.deviation_required),
            "findings": [f.to_dict() for f in self.findings],
        }


def _profile(profile: Profile | str | None) -> Profile | str:
    """The profile, or why it cannot be used (a Chinese line)."""
    if isinstance(profile, Profile):
        return profile
    try:
        return load_profile(profile)
    except ProfileError as exc:
        return f"配置无效：{exc}"


# pydantic's error types in Chinese (its own messages are English)
_PROBLEMS = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数值",
    "float_type": "应为数值",
    "finite_number": "应为有限的数值",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "literal_error": "取值不在允许范围内",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "bool_parsing": "应为 true / false",
    "bool_type": "应为 true / false",
}


def one_line(exc: ValidationError) -> str:
    """A validation error of a draft as one Chinese line: the first field at fault, what it should be, how many."""
    errors = exc.errors()
    if not errors:
        return "草稿格式无效"
    first = errors[0]
    parts = [
        str(p) for p in first.get("loc", ()) if not str(p).startswith("function-") and p not in _KIND_TITLES
    ]
    where = ".".join(parts) or "（整体）"
    problem = _PROBLEMS.get(str(first.get("type", "")), str(first.get("msg", "")))
    return f"草稿格式无效：字段 {where} {problem}（共 {len(errors)} 处）"


_KIND_TITLES = {"self_evaluation": "绩效自评表", "target_declaration": "绩效目标申报表"}


def _load(
    doc_v1: Mapping[str, Any], kind: str = "self_evaluation"
) -> SelfEvaluation | TargetDeclaration | str:
    """The draft as a document of ``kind`` with every row's source set, or why it is not one (a Chinese line)."""
    if not isinstance(doc_v1, Mapping):
        return "草稿应为 JSON 对象"
    got = doc_v1.get("kind", kind)
    if got != kind:
        return f"草稿应为{_KIND_TITLES[kind]}（kind 为 {kind}），得到「{got}」"
    data = dict(doc_v1)
    data["kind"] = kind
    # only the draft's own notes are kept: check findings of an earlier save are recomputed below
    notes = data.get("findings")
    data["findings"] = [
        f
        for f in (notes if isinstance(notes, list) else ())
        if isinstance(f, dict) and str(f.get("code", "")).startswith(DRAFT_PREFIX)
    ]
    try:
        doc = from_v1(data)
    except ValidationError as exc:
        return one_line(exc)
    except (TypeError, ValueError, AttributeError) as exc:
        return f"草稿格式无效：{exc}"
    assert isinstance(doc, SelfEvaluation | TargetDeclaration)
    doc.source = SourceRef(path=DRAFT_PATH)
    for n, ind in enumerate(doc.indicators, 1):
        ind.source = SourceRef(path=DRAFT_PATH, table=1, row=n)
        ind.cells = {}
    lines = doc.funds if isinstance(doc, SelfEvaluation) else doc.subprojects
    for n, line in enumerate(lines, 1):
        line.source = SourceRef(path=DRAFT_PATH, table=0, row=n)
        line.cells = {}
    return doc


def _declaration(decl: TargetDeclaration | Mapping[str, Any] | None) -> TargetDeclaration | str | None:
    """The declaration to hold the draft to, or why it cannot be used (a Chinese line)."""
    if decl is None or isinstance(decl, TargetDeclaration):
        return decl
    try:
        loaded = from_v1(dict(decl))
    except ValidationError as exc:
        return "申报表" + one_line(exc).removeprefix("草稿")
    except (TypeError, ValueError, AttributeError) as exc:
        return f"申报表格式无效：{exc}"
    if not isinstance(loaded, TargetDeclaration):
        return f"应为绩效目标申报表，得到「{loaded.kind_title}」"
    return loaded


def _derived_cleared(doc: SelfEvaluation, profile: Profile, memo: ScoreMemo) -> None:
    """Forget what the rules derive, so that a stale value of an earlier save never counts: the fund lines'
    rates (recomputed from their amounts by R3), the total line's 得分, the quantitative rows' 得分, 总分, 等级."""
    for f in doc.funds:
        f.execution_rate = score_execution(f, profile).rate if f.annual_budget else None
        if f.line.startswith(TOTAL_LINE):
            f.execution_rate = None
            f.score = None
    for ind, rs in zip(doc.indicators, score_document(doc, profile, memo).rows, strict=True):
        if rs.method.quantitative or rs.problem_kind in _NO_MEASURE:
            ind.score = None  # the rules give it (or nothing, until the actual is a measured value)
    doc.total_score = doc.total_weight = None
    doc.grade = None


def _row_of(f: Finding) -> int | None:
    src = f.source
    if src is None or src.path != DRAFT_PATH or src.table != 1 or src.row is None:
        return None
    return src.row - 1


def _needs(doc: SelfEvaluation, profile: Profile) -> dict[int, tuple[str, str]]:
    """Per row: (``required`` | ``advised``, why), from C-SE-08 and C-SE-09 run on the draft without its
    偏差原因 (so that a row keeps its requirement once explained)."""
    bare = doc.model_copy(
        update={"indicators": [i.model_copy(update={"deviation": None}) for i in doc.indicators]}
    )
    by_code = default_registry().by_code
    checks = [by_code[c] for c in (_REQUIRE, _ADVISE) if c in by_code]
    out: dict[int, tuple[str, str]] = {}
    for f in check_document(bare, checks, profile=profile):
        row = _row_of(f)
        if row is None:
            continue
        level = "required" if f.code == _REQUIRE and f.severity is Severity.ERROR else "advised"
        if row in out and out[row][0] == "required":
            continue
        out[row] = (level, f.message)
    return out


def _live_row(index: int, rs: RowScore, point: float | None, need: tuple[str, str] | None,
              found: Sequence[Finding]) -> LiveRow:  # fmt: skip
    return LiveRow(
        index=index,
        name=rs.indicator.name,
        method=rs.method.value,
        rule=rs.method.rule,
        weight=rs.weight,
        score=point,
        low=rs.low if rs.expected is None else None,
        high=rs.high if rs.expected is None else None,
        high_open=rs.high_open,
        met=rs.met,
        formula=rs.formula,
        problem=rs.problem,
        deviation=need[0] if need else None,
        why=need[1] if need else None,
        findings=tuple(found),
    )


def score_draft(
    doc_v1: Mapping[str, Any],
    profile: Profile | str | None = None,
    declaration: TargetDeclaration | Mapping[str, Any] | None = None,
) -> LiveResult:
    """The draft (a v1 JSON self-evaluation) scored by the rules of ``profile`` (a :class:`Profile`, a built-in
    profile's name or a TOML file; ``national`` by default), with the single-document findings.

    With the approved ``declaration`` (the model or its v1 JSON), the draft is also held to it (R1, C-SE-19: no
    indicator added or dropped, no target or weight changed), as the pipeline's cross-document pass does."""
    prof = _profile(profile)
    if isinstance(prof, str):
        return LiveResult(error=prof)
    loaded = _load(doc_v1)
    if isinstance(loaded, str):
        return LiveResult(error=loaded, profile=prof.name)
    assert isinstance(loaded, SelfEvaluation)
    decl = _declaration(declaration)
    if isinstance(decl, str):
        return LiveResult(error=decl, profile=prof.name)
    memo = ScoreMemo()  # the draft's parsed values, shared by the two scorings here
    _derived_cleared(loaded, prof, memo)
    doc = rescore(loaded, prof)
    scored = score_document(doc, prof, memo)
    options = Options(profile=prof)
    checked = check_local(FileResult(DRAFT_PATH, [doc]), options)
    findings = tuple(checked.kept[0]) + tuple(checked.file_kept)
    if decl is not None:
        # one project's documents, whatever names they print (the draft's is the declaration's)
        findings += tuple(check_across([doc, decl], options).kept[0])
    per_row: dict[int, list[Finding]] = {}
    for f in findings:
        row = _row_of(f)
        if row is not None:
            per_row.setdefault(row, []).append(f)
    needs = _needs(doc, prof)
    rows = tuple(
        _live_row(i, rs, ind.score, needs.get(i), per_row.get(i, ()))
        for i, (rs, ind) in enumerate(zip(scored.rows, doc.indicators, strict=True))
    )
    ex = scored.execution
    return LiveResult(
        document=doc,
        execution_rate=round2(ex.rate) if ex is not None and ex.rate is not None else None,
        execution_weight=ex.weight if ex is not None else None,
        execution_score=scored.execution_score if ex is not None else None,
        execution_formula=ex.formula if ex is not None else "预算执行率（R3）：草稿没有年度资金总额行",
        rows=rows,
        total_weight=doc.total_weight,
        total_score=doc.total_score,
        grade=doc.grade,
        findings=findings,
        profile=prof.name,
    )


# --- a declaration draft, checked live ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiveDeclaration:
    """A declaration draft checked by the C-TD rules, or why it could not be.

    Attributes:
        error: why the draft is not a declaration that can be checked (one Chinese line).
        document: the draft as read.
        findings: every finding of the single-document checks (vague or unmeasurable targets, a missing unit, a
            wrong direction, process items as outputs, 子项目 not adding up to 当年预算 …).
        rows: per indicator row, the findings about it.
        profile: the profile's name.
    """

    error: str | None = None
    document: TargetDeclaration | None = None
    findings: tuple[Finding, ...] = ()
    rows: tuple[tuple[Finding, ...], ...] = ()
    profile: str = ""

    @property
    def submittable(self) -> bool:
        """Whether the declaration may be submitted: valid, and no error finding remains."""
        return self.error is None and not any(f.severity is Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": self.error,
            "profile": self.profile,
            "findings": [f.to_dict() for f in self.findings],
            "rows": [[f.to_dict() for f in row] for row in self.rows],
            "submittable": self.submittable,
        }


def check_declaration(doc_v1: Mapping[str, Any], profile: Profile | str | None = None) -> LiveDeclaration:
    """A declaration draft (v1 JSON) checked by the single-document rules (C-TD-*) of ``profile``, as the
    pipeline checks a parsed one; the findings about each indicator row are given with it."""
    prof = _profile(profile)
    if isinstance(prof, str):
        return LiveDeclaration(error=prof)
    loaded = _load(doc_v1, "target_declaration")
    if isinstance(loaded, str):
        return LiveDeclaration(error=loaded, profile=prof.name)
    assert isinstance(loaded, TargetDeclaration)
    checked = check_local(FileResult(DRAFT_PATH, [loaded]), Options(profile=prof))
    findings = tuple(checked.kept[0]) + tuple(checked.file_kept)
    rows: list[list[Finding]] = [[] for _ in loaded.indicators]
    for f in findings:
        row = _row_of(f)
        if row is not None and 0 <= row < len(rows):
            rows[row].append(f)
    return LiveDeclaration(None, loaded, findings, tuple(tuple(r) for r in rows), prof.name)


# --- a draft from its declaration -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Notes:
    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, message: str, subject: str | None = None) -> None:
        self.findings.append(Finding(code=code, severity=Severity.INFO, message=message, subject=subject,
                                     name=f"draft.{code.removeprefix('DRAFT-').lower()}"))  # fmt: skip


def _weights(rows: list[Indicator], profile: Profile, notes: _Notes, subject: str) -> None:
    """Rows without a declared weight get their 一级 group's default weight (R2) split evenly; said in a note."""
    if all(i.weight is not None for i in rows):
        return
    if any(i.weight is not None for i in rows):
        missing = [i.name for i in rows if i.weight is None]
        notes.add("DRAFT-WEIGHTS", f"申报表只列出部分指标的分值，未列分值的指标（{'、'.join(missing)}）分值留空，"
                                   "请按批复补充", subject)  # fmt: skip
        return
    groups: dict[str, list[Indicator]] = {}
    for ind in rows:
        group = category(ind)
        groups.setdefault("产出" if group == "成本" else group, []).append(ind)
    said: list[str] = []
    for group, members in groups.items():
        total = profile.level1_weight(group) if group in ("产出", "效益", "满意度") else 0.0
        share = round2(total / len(members))
        for ind in members[:-1]:
            ind.weight = share
        members[-1].weight = round2(total - share * (len(members) - 1))
        said.append(f"{group} {total:g} 分 ÷ {len(members)} 项")
    unassigned = [g for g in ("产出", "效益", "满意度") if g not in groups]
    tail = f"；申报表没有{'、'.join(unassigned)}指标，其默认分值未分配" if unassigned else ""
    notes.add("DRAFT-WEIGHTS", f"申报表未列分值：按「{profile.name}」配置的一级指标默认分值平均分配（{'，'.join(said)}）"
                               f"{tail}，请核对批复的分值", subject)  # fmt: skip


def draft_from_declaration(
    decl: TargetDeclaration | Mapping[str, Any], profile: Profile | str | None = None
) -> dict[str, Any]:
    """A self-evaluation draft (v1 JSON) from the approved declaration (R1).

    The header, 年初预算数 (the 年度资金总额 of a national form, the 项目当年预算 of a Shanghai one), the annual goal as 预期目标,
    and every scored indicator with its target and weight are carried over; the unit fills in 全年预算数, 全年执行数,
    actuals and 偏差原因.  Notes on what was not carried as printed travel as ``DRAFT-*`` findings.  Raises
    ``ValueError`` (a Chinese line) when ``decl`` is not a declaration or ``profile`` cannot be loaded.
    """
    prof = _profile(profile)
    if isinstance(prof, str):
        raise ValueError(prof)
    if not isinstance(decl, TargetDeclaration):
        try:
            loaded = from_v1(dict(decl))
        except (ValidationError, TypeError, ValueError) as exc:
            raise ValueError(f"申报表格式无效：{exc}".splitlines()[0]) from exc
        if not isinstance(loaded, TargetDeclaration):
            raise ValueError(f"应为绩效目标申报表，得到「{loaded.kind_title}」")
        decl = loaded
    notes = _Notes()
    subject = f"{decl.project or '?'} ({decl.year or '?'})"
    rows: list[Indicator] = []
    process: list[str] = []
    for ind in decl.indicators:
        group = category(ind)
        if group == "过程":
            process.append(ind.name)
            continue
        level1 = ind.level1 if (ind.level1 or "").endswith("指标") else _LEVEL1.get(group, ind.level1)
        rows.append(
            Indicator(level1=level1, level2=ind.level2, name=ind.name, target=ind.target, weight=ind.weight)
        )
    if process:
        notes.add(
            "DRAFT-PROCESS", f"投入和管理目标不在自评中评分（R15），未带入：{'、'.join(process)}", subject
        )
    _weights(rows, prof, notes, subject)
    # 年初预算数: the year's whole budget, which the national form prints as 年度资金总额 (its 本级 amount is a part)
    # and the Shanghai form as 项目当年预算 (its 项目总预算 spans the project's years)
    national = declaration_form(decl) == "绩效目标表" and decl.total_budget is not None
    budget = decl.total_budget if national or decl.annual_budget is None else decl.annual_budget
    funds = [FundLine(line=TOTAL_LINE, initial_budget=budget, weight=prof.execution_weight)]
    funds += [FundLine(line=line) for line in SUB_LINES]
    draft = SelfEvaluation(
        year=decl.year,
        project=decl.project,
        money_unit=decl.money_unit,
        department=decl.department,
        implementing_unit=decl.unit,
        funds=funds,
        goal=Goal(expected=decl.annual_goal or decl.overall_goal),
        indicators=rows,
        findings=notes.findings,
    )
    return to_v1(draft, provenance=True)
