"""绩效评价结果 (evaluation results) in every shape they are published in.

A result is read from what the text holds, by three readers that share one document:

* **labelled fields** — the Shanghai 信息表 and report covers: a label (``评价分值``, ``主管部门``, ``评价机构`` …, from
  ``vocabulary.EVALUATION_FIELDS``) followed by its value in the same cell, the next cell or the next lines;
* **sentences** — a report's summary: ``综合评分为97分``, ``绩效评价等级为良好``, ``评估等级为“建议予以支持”``, and an
  aggregate ``1个项目评为优 … 35个项目评为中``;
* **score tables** — the scoring framework the result prints: headings ``(一)项目决策情况(分值20分,得分15分)``, rows
  ``A立项必要性 20 20 100%`` under a ``分值 得分`` header, or a lender's weighted criteria glued into one run
  (``相关性20%100.0020.00高度相关``), split where the arithmetic (weight × score = weighted score) holds.

Nothing is guessed: two different scores in the text leave the score out with a finding; a grade that is not
优/良/中/差 is kept as ``rating``; a year is taken only where it is the fiscal year (``评价年度``, ``2020年度``, a
year glued to the project name), never from a date the report was written on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.forms.common import Context, clean, fold_text, key, money_unit
from jixiao.forms.vocabulary import (
    EVALUATION_FIELDS,
    EVALUATION_ITEM_COLUMNS,
    GRADE_SENTENCE_WORDS,
    GRADE_WORDS,
    LENDER_CRITERIA,
    ORGANISATION_SUFFIXES,
    PROBLEM_HEADINGS,
    SCORE_WORDS,
    SUGGESTION_HEADINGS,
)
from jixiao.model import EvaluationItem, EvaluationResult, RubricItem, Severity, SourceRef
from jixiao.readers.base import Cell, Row
from jixiao.text import parse_number, squash

__all__ = [
    "GRADES",
    "has_result",
    "no_result_message",
    "parse_evaluation",
    "speaks_of_evaluation",
    "split_items",
]

FIELDS = EVALUATION_FIELDS
GRADES = ("优", "良", "中", "差")
_LABELS = "|".join(sorted(map(re.escape, FIELDS), key=len, reverse=True))
# label, an optional annotation (（盖章）), an optional colon, the value
# (a label followed by 为/是/达到 starts a sentence — 综合得分为92分 — which the sentence reader reads)
_LABEL = re.compile(
    r"^\s*(" + _LABELS + r")(?!\s*(?:为|是|达到))\s*(?:[（(][^)）]{0,6}[)）])?\s*[:：]?\s*(.*)$", re.DOTALL
)
_INLINE_LABEL = re.compile(r"(?<=\S)(?=(?:" + _LABELS + r")\s*[:：])")
_PIPES = re.compile(r"\s*\|[\s|]*")
_UNIT_NOTE = re.compile(r"单位\s*[:：]\s*(万元|元)")
_UNIT_SPLIT = re.compile(r"(?<=\S)(?=单位\s*[:：]\s*(?:万元|元))")
# fields printed on one line: the first value is the field's, a repeat (a cover and its table) adds nothing
_ONE_LINE = frozenset(
    {"project", "year", "department", "evaluator", "funds_amount", "final_accounts", "score", "self_score",
     "conclusion"}
)  # fmt: skip
_ITEM = re.compile(r"[（(]\s*\d{1,2}\s*[)）]")
_LEADING_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年度?")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NUM = r"(\d{1,3}(?:\.\d+)?)"
_FISCAL_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度")
_SCORE_SENTENCE = re.compile(r"(?:" + "|".join(SCORE_WORDS) + r")(?:为|是|达到)?[:：]?" + _NUM + r"分")
_GRADE_SENTENCE = re.compile(
    r"(?:" + "|".join(GRADE_SENTENCE_WORDS) + r")(?:为|是)?[:：]?\s*(?:[“\"「]([^”\"」]{1,12})[”\"」]|("
    + "|".join(sorted(GRADE_WORDS, key=len, reverse=True)) + r"))"
)  # fmt: skip
_AGGREGATE = re.compile(
    r"(\d+)个(?:项目)?(?:被)?(?:评为|评定为|等级为)[“\"]?("
    + "|".join(sorted(GRADE_WORDS, key=len, reverse=True))
    + r")"
)
# (一)项目决策情况(分值20分,得分15分)
_HEADING_SCORE = re.compile(
    r"^[(（]?[一二三四五六七八九十]+[)）、]\s*(.{2,24}?)\s*[(（](?:分值|权重|满分)" + _NUM + r"分?[,，、;；]\s*得分"
    + _NUM + r"分?[)）]"
)  # fmt: skip
# a row of a score table: name, weight, score, optional rate
_TABLE_ROW = re.compile(r"^(\S.{0,24}?)\s+" + _NUM + r"\s+" + _NUM + r"(?:\s+\d{1,3}(?:\.\d+)?%)?$")
_TABLE_TOTAL = re.compile(r"^(?:小计|合计|总计|总分)$")
# a lender's criterion glued: name, weight %, score (2 decimals), weighted score (2 decimals)
_CRITERION = re.compile(r"(" + "|".join(LENDER_CRITERIA) + r")(\d{1,3})%(\d{1,3}\.\d{2})(\d{1,3}\.\d{2})")
_WEIGHTED_TOTAL = re.compile(r"100%/?(\d{1,3}\.\d{2})([^。，,；;]{0,16})")
# a title that names unit, fiscal year and project: 南县财政局2020年度 机关整体支出绩效评价报告
_TITLE = re.compile(
    r"^(?:标题[:：])?[“\"]?(.*?)((?:19|20)\d{2})年度?(.+?)(?:事前|事中|事后)?绩效(?:评价|评估)(?:报告|结果|良好|优秀|$)"
)
_COMMISSIONED = re.compile(r"(?:委托|安排)[“\"]?([^，,。；;“”\"、（）()]{4,30}?(?:" + "|".join(
    map(re.escape, ("中心", "公司", "事务所", "研究院", "研究所")))
    + r"))[”\"]?[，,]?(?:对|對|开展|进行|实施)")  # fmt: skip
_MONEY = re.compile(r"(?:金额|投资|资金|预算|决算)[^，,。；;【】]{0,10}?\d[\d,]*(?:\.\d+)?(万元|元)")
_BRACKETED = re.compile(r"【[^】]*】")
_DIGIT = re.compile(r"\d")
_PROGRESS = re.compile(
    r"评价(?:仍在|正在|尚在)(?:进行|开展)|尚未(?:完成|结束)评价|评价(?:工作)?(?:尚未|未)(?:完成|结束)|未给出(?:任何)?结果"
)


# ``1.`` / ``1、`` numbering an item: at the start or after a sentence's end, never a decimal (``2.5亿元``)
_ITEM_NUMBER = re.compile(r"(?:^|(?<=[。；;！!\n]))\s*(\d{1,2})\s*[.、．]")


def split_items(text: str | None) -> list[str]:
    """``（1）…（2）…``, ``1.…2.…``, ``1、…2、…`` → items without their numbers; one item when unnumbered.  Plain
    numbers split only when they run 1, 2, 3 … from the start: anything else is text, not a list."""
    if not text:
        return []
    parts = [squash(p) for p in _ITEM.split(text)]
    items = [p for p in parts if p]
    if len(items) == 1:
        marks = list(_ITEM_NUMBER.finditer(items[0]))
        if (
            len(marks) >= 2
            and marks[0].start() == 0
            and [int(m.group(1)) for m in marks] == list(range(1, len(marks) + 1))
        ):
            ends = [m.start() for m in marks[1:]] + [len(items[0])]
            items = [squash(items[0][m.end() : e]) for m, e in zip(marks, ends, strict=True)]
            items = [i for i in items if i]
    return items


@dataclass
class _Line:
    """One row as text: printed and folded (``key``), with the cell it starts at."""

    printed: str
    folded: str
    cell: Cell
    bracketed: bool  # the whole line is a 【…】 summary


@dataclass
class _Read:
    texts: dict[str, list[str]] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    unit_note: str | None = None


def _grade(printed: str) -> tuple[str | None, str | None, str | None]:
    """(conclusion, conclusion_printed, rating) of a printed grade."""
    text = key(printed).strip('“”"「」。.')
    if text in GRADE_WORDS:
        letter = GRADE_WORDS[text]
        return letter, (text if text != letter else None), None
    head = next((g for g in sorted(GRADE_WORDS, key=len, reverse=True) if text.startswith(g)), None)
    if head is not None and len(text) <= len(head) + 2:  # 良（80-89分）, 优秀。
        return GRADE_WORDS[head], (head if head != GRADE_WORDS[head] else None), None
    return None, None, (squash(printed).strip('“”"「」。.') or None)


@lru_cache(maxsize=16384)
def _folded_label(text: str) -> str:
    """A cell that starts with a label (``評價分值 93.17``, ``項(xiàng)目名稱 |``), the label by its key and the value as
    printed; any other cell as printed."""
    t = _PIPES.sub(" ", text).strip()
    head, _, rest = t.partition(" ")
    if key(head) in FIELDS:
        return key(head) + (" " + rest if rest else "")
    return text


@lru_cache(maxsize=16384)
def _parts(raw: str) -> tuple[str, ...]:
    """A line's text at its inline labels and units, without its table rules; made once per text (labels and
    values repeat within a report)."""
    text = _PIPES.sub("", raw).strip()
    if not text:
        return ()
    return tuple(p for chunk in _INLINE_LABEL.split(text) for p in _UNIT_SPLIT.split(chunk))


def _labelled(rows: list[Row]) -> _Read:
    read = _Read()
    current: str | None = None
    for row in rows:
        # a table row: label cell, value cell(s); a text line: "label value"
        segments: list[tuple[Cell, str]] = []
        # a label cell is matched by its key (Traditional forms and pinyin glosses folded); values stay as printed
        if len(row.filled) >= 2 and key(row.filled[0].text) in FIELDS:
            segments.append(
                (row.filled[0], key(row.filled[0].text) + " " + " ".join(c.text for c in row.filled[1:]))
            )
        else:
            segments.extend((c, _folded_label(c.text)) for c in row.filled)
        for cell, raw in segments:
            for part in _parts(raw):  # "评价分值:88.64分评价等级:良" holds two fields
                note = _UNIT_NOTE.match(part.strip())
                if note:
                    read.unit_note = read.unit_note or note.group(1)
                    current = None
                    continue
                m = _LABEL.match(part)
                if m and (m.group(2).strip() or key(part).startswith(m.group(1))):
                    fld = FIELDS[m.group(1)]
                    if fld in _ONE_LINE and read.texts.get(fld):
                        current = None  # printed twice (a cover, then its table): the first is the value
                        continue
                    current = fld
                    read.texts.setdefault(fld, [])
                    read.cells.setdefault(fld, cell)
                    if m.group(2).strip():
                        read.texts[fld].append(m.group(2))
                        if fld in _ONE_LINE:
                            current = None
                elif current is not None and part.strip():
                    read.texts[current].append(part)
                    if current in _ONE_LINE:
                        current = None
    return read


def _lines(rows: list[Row]) -> list[_Line]:
    out = []
    for row in rows:
        filled = [c for c in row.filled if _PIPES.sub("", c.text).strip()]
        if not filled:
            continue
        printed = squash(" ".join(_PIPES.sub(" ", c.text) for c in filled))
        out.append(
            _Line(printed, key(printed), filled[0], printed.startswith("【") and printed.endswith("】"))
        )
    return out


def _unique(values: Iterable[float]) -> tuple[float | None, list[float]]:
    found = sorted(set(values))
    return (found[0] if len(found) == 1 else None), found


def _score_sentences(lines: list[_Line]) -> Iterator[tuple[float, _Line]]:
    for line in lines:
        for m in _SCORE_SENTENCE.finditer(line.folded):
            value = float(m.group(1))
            if 0 <= value <= 100:
                yield value, line


def _grade_sentences(lines: list[_Line]) -> Iterator[tuple[str, _Line]]:
    for line in lines:
        for m in _GRADE_SENTENCE.finditer(line.folded):
            printed = m.group(1) or m.group(2)
            if m.group(1) is not None and _DIGIT.search(printed):
                continue  # 等级为:1个项目评为优 … is an aggregate, not a grade
            yield printed, line


def _rubric(lines: list[_Line], ctx: Context) -> tuple[list[RubricItem], float | None, float | None]:
    """The scored rows the result prints, with the printed total (weight, score) when there is one."""
    items = [
        RubricItem(
            name=squash(m.group(1)), weight=float(m.group(2)), score=float(m.group(3)), source=line.cell.ref
        )
        for line in lines
        if (m := _HEADING_SCORE.match(line.folded.replace(" ", "")))
    ]
    if items:
        return items, None, None
    # rows of a space-aligned table under a header naming 分值 (or 权重) and 得分
    for n, line in enumerate(lines):
        if not (("分值" in line.folded or "权重" in line.folded) and "得分" in line.folded):
            continue
        rows: list[RubricItem] = []
        total: tuple[float, float] | None = None
        for row in lines[n + 1 :]:
            m = _TABLE_ROW.match(row.printed)
            if m is None:
                break
            name, weight, score = key(m.group(1)), float(m.group(2)), float(m.group(3))
            if _TABLE_TOTAL.match(name):
                total = (weight, score)
                break
            rows.append(RubricItem(name=name, weight=weight, score=score, source=row.cell.ref))
        if not rows:
            continue
        if any((r.score or 0) > (r.weight or 0) + 1e-9 for r in rows) or (
            total is not None
            and (abs(sum(r.weight or 0 for r in rows) - total[0]) > 0.01
                 or abs(sum(r.score or 0 for r in rows) - total[1]) > 0.01)
        ):  # fmt: skip
            ctx.report("PARSE-AMBIGUOUS", "评分表的分值与得分对不上（得分超过分值或与合计不符），未读取评分表",
                       line.cell.ref)  # fmt: skip
            return [], None, None
        return rows, (total[0] if total else None), (total[1] if total else None)
    # a lender's weighted criteria glued into one run: weight × score = weighted score decides the split
    for line in lines:
        found = list(_CRITERION.finditer(line.folded))
        if len(found) < 2:
            continue
        rows = []
        for m in found:
            weight, score, weighted = float(m.group(2)), float(m.group(3)), float(m.group(4))
            if abs(weight * score / 100 - weighted) > 0.01:
                ctx.report("PARSE-AMBIGUOUS", f"评价准则“{m.group(1)}”的权重、分值与加权得分对不上，未读取",
                           line.cell.ref, actual=m.group(0))  # fmt: skip
                return [], None, None
            rows.append(RubricItem(name=m.group(1), weight=weight, score=weighted, source=line.cell.ref))
        total_m = _WEIGHTED_TOTAL.search(line.folded, found[-1].end())
        if total_m and abs(sum(r.score or 0 for r in rows) - float(total_m.group(1))) <= 0.01 + 1e-9:
            return rows, 100.0, float(total_m.group(1))
        return rows, None, None
    return [], None, None


_SECTION = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*(.+)$")
_NUMBERED = re.compile(r"^[(（][一二三四五六七八九十\d]+[)）]\s*(.+)$")


def _section_lists(lines: list[_Line]) -> dict[str, list[str]]:
    """Numbered items under a report's section heading: ``二、评估意见`` then ``(一)…`` ``(二)…``."""
    out: dict[str, list[str]] = {}
    for n, line in enumerate(lines):
        m = _SECTION.match(line.folded)
        if m is None:
            continue
        heading = m.group(1)
        fld = ("problems" if heading.endswith(PROBLEM_HEADINGS) or heading in PROBLEM_HEADINGS
               else "suggestions" if heading.endswith(SUGGESTION_HEADINGS) else None)  # fmt: skip
        if fld is None or fld in out:
            continue
        items = []
        for row in lines[n + 1 :]:
            item = _NUMBERED.match(row.printed)
            if item is None:
                break
            items.append(squash(item.group(1)))
        if items:
            out[fld] = items
    return out


def _weighted_rating(lines: list[_Line]) -> str | None:
    """The grade printed after a lender's weighted total (``100%/82.68实施比较顺利``)."""
    for line in lines:
        if len(_CRITERION.findall(line.folded)) >= 2:
            m = _WEIGHTED_TOTAL.search(line.folded)
            if m and m.group(2):
                return _printed(line.printed, m.group(2))
    return None


def _printed(printed: str, folded: str) -> str:
    """The printed form of a folded substring: the same characters before folding when they can be found."""
    n = len(folded)
    compact = "".join(printed.split())
    for i in range(len(compact) - n + 1):
        if key(compact[i : i + n]) == folded:
            return compact[i : i + n]
    # glosses or other text folding removed: widen until the folded window matches
    for i in range(len(compact)):
        if key(compact[i]) != folded[:1]:
            continue
        for j in range(i + n, min(len(compact), i + 4 * n) + 1):
            if key(compact[i:j]) == folded:
                return compact[i:j]
    return folded


def _is_organisation(name: str) -> bool:
    return 2 <= len(name) <= 40 and key(name).endswith(ORGANISATION_SUFFIXES) and not _DIGIT.search(name)


def _title(lines: list[_Line]) -> tuple[str | None, int | None, str | None, Cell | None]:
    """(department, year, project, cell) from a title naming them, the one with a fiscal year first."""
    # The corpus' report titles stand within their first seven lines and fold to at most 33 characters (r210, r214,
    # r215); the bounds leave room for a cover page and a longer name.
    for line in lines[:40]:
        if line.bracketed or len(line.folded) > 80:
            continue
        text = _BRACKETED.sub("", line.printed).strip()
        m = _TITLE.match(key(text))
        if m and m.group(3):
            project = m.group(3).strip('”"')
            dept = m.group(1) if _is_organisation(m.group(1)) else None
            return (
                (_printed(text, dept) if dept else None),
                int(m.group(2)),
                _printed(text, project),
                line.cell,
            )
    return None, None, None, None


def _prose_project(lines: list[_Line]) -> tuple[str | None, Cell | None]:
    """A name ending in 项目 standing on its own, outside the 【…】 summaries (a heading, a table caption)."""
    for line in lines[:40]:
        for segment in re.split(r"[，,。；;、\s]+", _BRACKETED.sub("，", line.printed)):
            k = key(segment)
            # the names read so are 17-21 characters (r209, r213): 4-60 keeps out a bare 项目 and a sentence
            if 4 <= len(k) <= 60 and k.endswith("项目") and not _DIGIT.search(k):
                return segment, line.cell
    return None, None


def parse_evaluation(rows: list[Row], ctx: Context, year: int | None) -> EvaluationResult:
    """The evaluation result in ``rows``.  ``year`` (the caller's guess from the rows' first lines) is not used:
    a report's first lines print dates (报告时间, 评估日期), and the fiscal year is read from its own places."""
    del year
    doc = EvaluationResult(year=None, source=SourceRef(path=ctx.path, table=ctx.index, line=rows[0].ref.line))
    items, items_unit = _items(rows)
    if items:  # a list of several projects' results: its header's words are columns, not labels with values
        doc.items, doc.money_unit = items, items_unit  # type: ignore[assignment]
        lines = _lines(rows)
        fiscal = next(
            (m for line in lines if not line.bracketed for m in _FISCAL_YEAR.finditer(line.folded)), None
        )
        doc.year = int(fiscal.group(1)) if fiscal else None
        return doc
    read = _labelled(rows)
    cells = read.cells
    doc.cells.update({fld: cell.ref for fld, cell in cells.items()})
    lines = _lines(rows)

    def joined(fld: str) -> str | None:
        return clean("\n".join(read.texts.get(fld, [])))

    def amount(fld: str, what: str) -> float | None:
        text = joined(fld)
        if not text:
            return None
        doc.money_unit = doc.money_unit or money_unit(text)  # type: ignore[assignment]
        m = _NUMBER.search(text)
        if m is None:
            ctx.report("PARSE-NUMBER", f"{what}不是数字：“{text}”", cells[fld].ref, actual=text)
            return None
        return parse_number(m.group(0))

    project = joined("project")
    if project:
        m = _LEADING_YEAR.match(project)
        if m:
            doc.year = int(m.group(1))
            project = project[m.end() :].strip() or project
    labelled_year = joined("year")
    if labelled_year and (m := re.search(r"(?:19|20)\d{2}", labelled_year)):
        doc.year = int(m.group(0))
    dept, title_year, title_project, title_cell = _title(lines)
    if not project and title_project:
        project = title_project
        doc.cells["project"] = title_cell.ref if title_cell else doc.source  # type: ignore[assignment]
    if not project and not read.texts:
        project, cell = _prose_project(lines)
        if cell is not None:
            doc.cells["project"] = cell.ref
    doc.project = project
    doc.year = doc.year or title_year
    if doc.year is None:
        fiscal = next(
            (m for line in lines if not line.bracketed for m in _FISCAL_YEAR.finditer(line.folded)), None
        )
        doc.year = int(fiscal.group(1)) if fiscal else None
    doc.department = joined("department") or dept
    doc.evaluator = joined("evaluator")
    if doc.evaluator is None:
        for line in lines:
            m = _COMMISSIONED.search(line.folded)
            if m:
                doc.evaluator = _printed(line.printed, m.group(1))
                break
    doc.funds_amount = amount("funds_amount", "项目资金")
    doc.final_accounts = amount("final_accounts", "决算金额")
    doc.money_unit = doc.money_unit or read.unit_note  # type: ignore[assignment]
    if doc.money_unit is None:
        printed = next((m.group(1) for line in lines for m in _MONEY.finditer(line.folded)), None)
        doc.money_unit = "万元" if printed == "万元" else "元" if printed == "元" else None

    # one example: r040 — the field's name in the finding message, not a word looked for
    for fld, what in (("score", "评价分值"), ("self_score", "自评分值")):
        text = joined(fld)
        if not text:
            continue
        m = _NUMBER.search(text)
        if m:
            setattr(doc, fld, parse_number(m.group(0)))
        else:
            ctx.report("PARSE-NUMBER", f"{what}不是数字：“{text}”", cells[fld].ref, actual=text)
    rubric, _total_weight, total_score = _rubric(lines, ctx)
    doc.rubric_items = rubric
    if doc.score is None:
        score, found = _unique(v for v, _ in _score_sentences(lines))
        if score is None and len(found) > 1:
            ctx.report("PARSE-AMBIGUOUS", f"文中印有不同的总得分（{'、'.join(f'{v:g}' for v in found)}），未读取评价分值",
                       doc.source, actual="、".join(f"{v:g}" for v in found))  # fmt: skip
        doc.score = score if score is not None else total_score
    concl = joined("conclusion")
    grade_text = concl
    if grade_text is None:
        printed_grades = {key(g).strip('“”"'): g for g, _ in _grade_sentences(lines)}
        if len(printed_grades) == 1:
            grade_text = next(iter(printed_grades.values()))
        elif len(printed_grades) > 1:
            ctx.report("PARSE-AMBIGUOUS", f"文中印有不同的评价等级（{'、'.join(printed_grades)}），未读取评价结论",
                       doc.source)  # fmt: skip
    if grade_text is None and rubric:
        grade_text = _weighted_rating(lines)
    if grade_text:
        doc.conclusion, doc.conclusion_printed, doc.rating = _grade(grade_text)
    counts: dict[str, int] = {}
    for line in lines:
        for m in _AGGREGATE.finditer(line.folded):
            grade = GRADE_WORDS[m.group(2)]
            counts[grade] = counts.get(grade, 0) + int(m.group(1))
    if len(counts) >= 2:  # one count is a sentence about one project, not an aggregate
        doc.grade_counts = counts
    doc.performance = joined("performance")
    sections = _section_lists(lines)
    doc.problems = split_items(joined("problems")) or sections.get("problems", [])
    doc.suggestions = split_items(joined("suggestions")) or sections.get("suggestions", [])
    doc.rectification = split_items(joined("rectification"))
    if not has_result(doc):
        return doc
    if doc.project is None and not doc.grade_counts:
        ctx.report("PARSE-MISSING", "未找到项目名称", doc.source, Severity.ERROR)
    if doc.score is None and not doc.grade_counts and doc.rating is None:
        parts = [r for r in doc.rubric_items if r.score is not None]
        note = (f"；评分表各部分得分合计 {sum(r.score or 0 for r in parts):g}，文中未印出总分，未作为评价分值"
                if parts else "")  # fmt: skip
        ctx.report("PARSE-MISSING", f"文中未印出评价分值{note}", doc.source)
    return doc


_COLUMN_NOTE = re.compile(r"[(（]\s*(万元|元|分)\s*[)）]$")
_ITEM_TOTAL = re.compile(r"^(?:合计|小计|总计|平均)")


def _item_header(cells: list[str]) -> tuple[dict[int, str], str | None] | None:
    """The columns of a results list (field by cell index) and the unit its funds column prints; None when the row
    is no such header: it names a project column and a score or grade column, each once."""
    cols: dict[int, str] = {}
    unit: str | None = None
    for i, text in enumerate(cells):
        k = key(text)
        note = _COLUMN_NOTE.search(k)
        fld = EVALUATION_ITEM_COLUMNS.get(_COLUMN_NOTE.sub("", k))
        if fld is None:
            continue
        if fld in cols.values():
            return None
        cols[i] = fld
        if fld == "funds_amount" and note and note.group(1) != "分":
            unit = note.group(1)
    fields = set(cols.values())
    if "project" not in fields or not fields & {"score", "conclusion"}:
        return None
    return cols, unit


def _item(cells: list[Cell], cols: dict[int, str]) -> EvaluationItem | None:
    """One row of a results list, each cell of its column's type; None when a cell is not (a total row, a note)."""
    item = EvaluationItem(source=cells[0].ref)
    for i, fld in cols.items():
        text = squash(cells[i].text) if i < len(cells) else ""
        if not text:
            continue
        if fld in ("project", "department"):
            if _NUMBER.fullmatch(text) or _ITEM_TOTAL.match(text):
                return None
            setattr(item, fld, text)
        elif fld in ("score", "funds_amount"):
            value = parse_number(text)
            if value is None or (fld == "score" and not 0 <= value <= 100):
                return None
            setattr(item, fld, value)
        else:
            letter, _printed, _rating = _grade(text)
            if letter is None:
                return None
            item.conclusion = letter
        item.cells[fld] = cells[i].ref
    return item if item.project and (item.score is not None or item.conclusion) else None


def _items(rows: list[Row]) -> tuple[list[EvaluationItem], str | None]:
    """A table listing several projects' results: the rows under its header, while each row's cells fit."""
    for n, row in enumerate(rows):
        cells = list(row.cells)
        header = _item_header([c.text for c in cells]) if len(cells) >= 3 else None
        if header is None:
            continue
        cols, unit = header
        out: list[EvaluationItem] = []
        for body in rows[n + 1 :]:
            if all(c.empty for c in body.cells):
                continue
            item = _item(body.cells, cols)
            if item is None:
                if any(_ITEM_TOTAL.match(key(c.text)) for c in body.cells[:2]):
                    continue  # a 合计 row under the list
                break
            out.append(item)
        if len(out) >= 2:  # one row is a project's own result, not a list
            return out, unit
    return [], None


def has_result(doc: EvaluationResult) -> bool:
    """The document holds an evaluation's outcome: a score, a grade, a scored framework or an aggregate."""
    return bool(
        doc.score is not None
        or doc.conclusion
        or doc.rating
        or doc.grade_counts
        or doc.items
        or any(r.score is not None for r in doc.rubric_items)
    )


# one example: r219 — one wording of a report's evaluation word; the alternation holds the class
_EVALUATION_WORDS = re.compile(r"绩效评价|绩效评估|评价报告|评估报告|评价结果|评价等级|审核等级")
# one example: r124 — one wording of another form's title; the alternation holds the class
_FORM_WORDS = re.compile(r"自评表|目标表|申报表|自评报告|自评情况|监控表")


def speaks_of_evaluation(folded: str) -> bool:
    """Folded text that reports an evaluation and is not one of the other forms (a 自评表 mentions 绩效评价 too)."""
    return bool(_EVALUATION_WORDS.search(folded)) and not _FORM_WORDS.search(folded)


def no_result_message(text: str) -> str:
    """What to say about a file that speaks of an evaluation but holds no result: in progress only when it says so."""
    if _PROGRESS.search(fold_text(text)):
        return "文中说明评价仍在进行、尚无结果：没有可读取的评价分值或评价结论"
    return (
        "文中提到绩效评价，但没有评价分值、评价结论或评分表（摘录可能在结果之前截止）：没有可读取的评价结果"
    )
