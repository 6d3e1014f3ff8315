"""An uploaded workbook into a self-evaluation draft: the values it holds, shown as changes before they are saved.

The file is jixiao's own XLSX export of the draft, or the official 自评表 template filled in Excel; either is read by
the readers and parsed like any other file (:func:`jixiao.pipeline.read_data`), so what the parser understands of
a form is what an import understands.  :func:`diff_into_draft` compares what the unit may enter (全年预算数 /
全年执行数 and 年初预算数 of each fund line, 实际完成情况, each row's 实际完成值 and 偏差原因, and the proposed score of
a row the rules score in a band — a qualitative or deadline row) with the draft, row by row by indicator name, and
lists the differences as :class:`Change` s (``path``, ``old``, ``new``); :meth:`ImportResult.applied` gives the draft
with them.  An empty cell in the file changes nothing: an import never erases what the draft holds.  What the
rules derive (执行率, scores of quantitative rows, 总分, 等级) is left to the live scorer; what the declaration fixed
(R1: indicators, targets, weights) is never changed by an import: a difference there is a finding, and the file's
value is left out.

A file about another project, another year or another kind of form is refused with one Chinese line, as is a file
that cannot be read.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from jixiao.cycle.live import one_line
from jixiao.model import AnyDocument, Finding, Indicator, SelfEvaluation, Severity, from_v1
from jixiao.pipeline import read_data
from jixiao.rules import Profile
from jixiao.rules.base import fold_name, project_key
from jixiao.rules.checks._common import norm
from jixiao.rules.scoring import fmt, score_row

__all__ = ["Change", "ImportResult", "diff_into_draft"]

_FUND_FIELDS = ("initial_budget", "annual_budget", "executed")
_ROW_FIELDS = ("actual", "deviation")
_FIXED = (("target", "年度指标值"), ("weight", "分值"))  # what the declaration fixed (R1)
_BANDED = frozenset({"qualitative", "deadline"})  # rows whose score the unit proposes inside a band (R8, R7)


@dataclass(frozen=True, slots=True)
class Change:
    """One value the file would change in the draft: where (a path into the v1 JSON), from what, to what."""

    path: str
    old: Any
    new: Any
    label: str = ""  # what the path is, in Chinese (``印发内刊数量 · 实际完成值``)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old": self.old, "new": self.new, "label": self.label}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an uploaded file would change in a draft.

    Attributes:
        refused: why the file is not taken (one Chinese line); ``changes`` is then empty.
        changes: the values the file changes, in form order.
        findings: what the file holds that an import leaves out (a changed target or weight, an indicator the
            draft does not have or lacks), and what the parser said about the file.
    """

    refused: str | None = None
    changes: tuple[Change, ...] = ()
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def applied(self, draft_v1: Mapping[str, Any]) -> dict[str, Any]:
        """The draft with every change made (a new dict; the draft is not touched)."""
        out = copy.deepcopy(dict(draft_v1))
        for ch in self.changes:
            _set(out, ch.path, ch.new)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "refused": self.refused,
            "changes": [c.to_dict() for c in self.changes],
            "findings": [f.to_dict() for f in self.findings],
        }


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``a.b[2].c`` in nested dicts and lists, making the dicts on the way (``goal`` may be null)."""
    parts: list[str | int] = []
    for piece in path.split("."):
        name, _, index = piece.partition("[")
        parts.append(name)
        if index:
            parts.append(int(index.rstrip("]")))
    node: Any = data
    for here, nxt in itertools.pairwise(parts):
        child = node[here] if isinstance(here, int) else node.get(here)
        if child is None:
            child = node[here] = [] if isinstance(nxt, int) else {}
        node = child
    node[parts[-1]] = value


def _note(
    code: str, message: str, subject: str | None = None, severity: Severity = Severity.WARNING
) -> Finding:
    return Finding(
        code=code, severity=severity, message=message, subject=subject, name="import." + code[7:].lower()
    )


def _pick(docs: list[AnyDocument], draft: SelfEvaluation, name: str) -> SelfEvaluation | str:
    """The file's self-evaluation of the draft's project and year, or why there is none (a Chinese line)."""
    selves = [d for d in docs if isinstance(d, SelfEvaluation)]
    if not selves:
        kinds = "、".join(sorted({d.kind_title for d in docs}))
        return f"{name}：文件是{kinds}，不是绩效自评表，不能导入自评草稿"
    want = project_key(draft.project)
    same = [d for d in selves if project_key(d.project) == want] if want else selves
    if not same:
        got = "、".join(sorted({d.project or "?" for d in selves}))
        return f"{name}：文件是项目「{got}」的自评表，不是本草稿的项目「{draft.project}」"
    dated = [d for d in same if draft.year is None or d.year is None or d.year == draft.year]
    if not dated:
        got = "、".join(sorted({str(d.year) for d in same}))
        return f"{name}：文件是 {got} 年度的自评表，本草稿是 {draft.year} 年度"
    if len(dated) > 1:
        return f"{name}：文件中有 {len(dated)} 张「{draft.project}」的自评表，请只上传一张"
    return dated[0]


def _text(v: str | None) -> str | None:
    return v if v and v.strip() else None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, str) or isinstance(b, str):
        return fold_name(a if isinstance(a, str) else None) == fold_name(b if isinstance(b, str) else None)
    return bool(a == b)


def _value(v: Any) -> Any:
    """A number as the v1 JSON holds it (integral floats as integers)."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def diff_into_draft(
    draft_v1: Mapping[str, Any], xlsx_bytes: bytes, name: str, profile: Profile | None = None
) -> ImportResult:
    """The changes the uploaded file ``name`` (an XLSX) would make to the draft, and what it leaves out."""
    try:
        draft = from_v1(dict(draft_v1))
    except ValidationError as exc:  # a draft the store holds is valid; say so in one line if it is not
        return ImportResult(refused=one_line(exc))
    except (TypeError, ValueError, AttributeError) as exc:
        return ImportResult(refused=f"草稿格式无效：{' '.join(str(exc).split())[:160]}")
    if not isinstance(draft, SelfEvaluation):
        return ImportResult(refused="只能导入到绩效自评表草稿")
    if not name.lower().endswith((".xlsx", ".xlsm")):
        return ImportResult(refused=f"{name}：请上传 Excel 文件（.xlsx）")
    read = read_data(xlsx_bytes, name)
    if read.refusal is not None:
        return ImportResult(refused=read.refusal)
    picked = _pick(read.documents, draft, name)
    if isinstance(picked, str):
        return ImportResult(refused=picked)
    prof = profile or Profile()
    changes: list[Change] = []
    found: list[Finding] = [f for f in (*read.findings, *picked.findings) if f.severity is Severity.ERROR]
    subject = f"{draft.project or '?'} ({draft.year or '?'})"
    _funds(draft, picked, changes)
    old_goal, new_goal = (
        (draft.goal.actual if draft.goal else None),
        (picked.goal.actual if picked.goal else None),
    )
    if _text(new_goal) and not _same(old_goal, new_goal):
        changes.append(Change("goal.actual", old_goal, new_goal, "年度总体目标 · 实际完成情况"))
    _rows(draft, picked, changes, found, subject, prof)
    return ImportResult(changes=tuple(changes), findings=tuple(found))


def _funds(draft: SelfEvaluation, got: SelfEvaluation, changes: list[Change]) -> None:
    theirs = {fold_name(f.line): f for f in got.funds}
    for k, line in enumerate(draft.funds):
        other = theirs.get(fold_name(line.line))
        if other is None:
            continue
        for key, label in zip(_FUND_FIELDS, ("年初预算数", "全年预算数", "全年执行数"), strict=True):
            new = getattr(other, key)
            if new is not None and not _same(getattr(line, key), new):
                changes.append(Change(f"funds[{k}].{key}", _value(getattr(line, key)), _value(new),
                                      f"{line.line} · {label}"))  # fmt: skip


def _rows(draft: SelfEvaluation, got: SelfEvaluation, changes: list[Change], found: list[Finding],
          subject: str, profile: Profile) -> None:  # fmt: skip
    theirs: dict[str, Indicator] = {}
    for ind in got.indicators:
        theirs.setdefault(norm(ind.name), ind)
    mine = {norm(i.name) for i in draft.indicators}
    for k, ind in enumerate(draft.indicators):
        other = theirs.get(norm(ind.name))
        if other is None:
            found.append(
                _note(
                    "IMPORT-MISSING", f"文件中没有指标「{ind.name}」，该行未导入", f"{subject} / {ind.name}"
                )
            )
            continue
        for key, label in _FIXED:
            mine_v, new = getattr(ind, key), getattr(other, key)
            if new is not None and mine_v is not None and not _same(mine_v, new):
                shown = (fmt(v) if isinstance(v, float) else v for v in (mine_v, new))
                found.append(_note("IMPORT-FIXED", "指标「{}」的{}为批复值「{}」，不能由导入改为「{}」，已忽略".format(
                    ind.name, label, *shown), f"{subject} / {ind.name}"))  # fmt: skip
        for key, label in zip(_ROW_FIELDS, ("实际完成值", "偏差原因分析及改进措施"), strict=True):
            new = _text(getattr(other, key))
            if new is not None and not _same(getattr(ind, key), new):
                changes.append(
                    Change(f"indicators[{k}].{key}", getattr(ind, key), new, f"{ind.name} · {label}")
                )
        banded = other.score is not None and score_row(other, profile).method.value in _BANDED
        if banded and not _same(ind.score, other.score):
            label = f"{ind.name} · 得分（自评）"
            changes.append(Change(f"indicators[{k}].score", _value(ind.score), _value(other.score), label))
    for key, ind in theirs.items():
        if key not in mine:
            found.append(_note("IMPORT-EXTRA", f"文件中的指标「{ind.name}」不在批复的指标中（R1），未导入",
                               f"{subject} / {ind.name}"))  # fmt: skip
