"""Grid → documents: split a file's rows into documents, recognise each kind, and map it to the model."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.forms import evaluation, national, variants
from jixiao.forms import kind as kind_vote
from jixiao.forms.common import Context, find_year, fold_text, key, once_per_row
from jixiao.forms.declaration import parse_declaration
from jixiao.forms.evaluation import parse_evaluation
from jixiao.forms.rubric import parse_rubric
from jixiao.forms.self_eval import is_headless_table, may_print_operator, parse_self_evaluation
from jixiao.forms.stream import parse_stream
from jixiao.model import (
    AnyDocument,
    EvaluationResult,
    Finding,
    Kind,
    SelfEvaluation,
    Severity,
    SourceRef,
    TargetDeclaration,
)
from jixiao.readers.base import Cell, Grid, Row
from jixiao.text import prints_folded


@dataclass
class ParseResult:
    path: str
    documents: list[AnyDocument] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level findings (per-document ones sit on it)

    @property
    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for d in self.documents for f in d.findings)]


_LABELLED = re.compile(r"^([\u4e00-\u9fff]{2,8})[:：]")
_ATTACHMENT = re.compile(r"\.(?:xlsx?|docx?|pdf|wps|et|zip|rar)$", re.IGNORECASE)


def title_kind(row: Row) -> Kind | None:
    """The kind a title row announces (``财政项目支出绩效自评表``), or None.  Asked of every row once by the
    segmenter and of a segment's first row again: not worth a memo."""
    cells = row.cells
    if len(cells) == 1:  # most rows of a text file: Row.filled without its list
        filled = cells if cells[0].text and not cells[0].text.isspace() else []
    else:
        filled = row.filled
    # The corpus prints a title in one cell or two (r228: 标 题: · the title); a row of more cells is a table row.
    if not filled or len(filled) > 3:
        return None
    printed = filled[0].text if len(filled) == 1 else "".join(c.text for c in filled)
    if not kind_vote.may_be_title(printed):
        return None
    text = key(printed).lstrip("#").strip()
    # A title prefixed by its unit, 文号, year and project runs long: 40 characters in r102, 33-35 in r030, r201,
    # r215, r228.  A longer line is a sentence that names a form, not its title.
    if not text or len(text) > 40:
        return None
    kind = kind_vote.title_kind_of(text)  # None for most rows: the cheapest test first
    if kind is None or _ATTACHMENT.search(text):
        return None  # an attachment's file name (附件:…目标设定表.xlsx) links to a table, it heads none
    m = _LABELLED.match(text)
    if m and not m.group(1).startswith(("附件", "附表", "标题", "题目", "名称")):
        return None  # a labelled line (评价方式:部门(单位)绩效自评) gives a value, it heads no table
    return kind


def _content_kind(rows: list[Row]) -> Kind | None:
    """The kind of rows under no title: the vote over the labels they print."""
    return kind_vote.vote(rows)


def _opens_with_project(row: Row) -> bool:
    """One of the row's first two cells is the 项目名称 label (or starts with it)."""
    for c in row.cells[:2]:
        text = c.text
        if (_PROJECT_LABEL[0] in text or not prints_folded(text)) and key(text).startswith(_PROJECT_LABEL):
            return True
    return False


_PROJECT_LABEL = "项目名称"


def segment(rows: list[Row]) -> list[tuple[Kind, list[Row]]]:
    """Split rows into (kind, rows) documents at their titles, or at a repeated 项目名称 when titles are missing."""
    segments: list[tuple[Kind | None, list[Row]]] = []
    preamble: list[Row] = []
    current: list[Row] | None = None
    has_project = False
    for row in rows:
        kind = title_kind(row)
        is_project = _opens_with_project(row)
        # A second title (the 附件 title, banner lines, then the form's own) comes with at most six rows above it in
        # the document: six in r018 and r229, two to five elsewhere.  Further down, a title opens a document.
        if kind is not None and current is not None and not has_project and len(current) <= 6:
            current.append(row)  # a second title line (附件 title, then the form's own): same document
            segments[-1] = (kind, current)
            continue
        if kind is not None:
            if current is None and _headless(preamble):
                # the tail of a table cut above (a page that starts mid-table): a document of its own, never
                # glued onto the head of the next one
                segments.append((Kind.SELF_EVALUATION, preamble))
                preamble = []
            current = [*preamble, row]
            preamble = []
            segments.append((kind, current))
            has_project = False
            continue
        if is_project and current is not None and has_project:
            prev_kind = segments[-1][0]
            current = [row]
            segments.append((prev_kind, current))
            has_project = True
            continue
        if is_project:
            has_project = True
        if current is None:
            preamble.append(row)
        else:
            current.append(row)
    if not segments and preamble:
        segments.append((None, preamble))
        preamble = []
    out: list[tuple[Kind, list[Row]]] = []
    for kind, seg in segments:
        k = kind or _content_kind(seg)
        if k is None and _headless(seg):
            k = Kind.SELF_EVALUATION
        if k is not None:
            out.append((k, seg))
    return out


def _headless(rows: list[Row]) -> bool:
    """:func:`is_headless_table` of the rows as split into cells, asked only when two of them can split into a
    typed row (three cells, one printing an operator): most text lines cannot, and are not split to find out."""
    if sum(1 for r in rows if _may_be_typed(r)) < 2:
        return False
    return is_headless_table([tokenize(r) for r in rows])


def _may_be_typed(row: Row) -> bool:
    cells = row.cells
    if row.table is None and len(cells) == 1:
        text = cells[0].text
        return may_print_operator(text) and len(text.split()) >= 3
    return len(cells) >= 3 and any(may_print_operator(c.text) for c in cells)


def tokenize(row: Row) -> Row:
    """A flattened table row (one line of text, cells separated by spaces) split into cells; made once per row."""
    if row.table is not None or len(row.cells) != 1:
        return row
    return once_per_row(row, "tokenized", _tokenize)


def _tokenize(row: Row) -> Row:
    parts = row.cells[0].text.split()
    if len(parts) < 2:
        return row
    ref = row.ref
    if ref.page is not None or ref.sheet is not None or ref.cell is not None or ref.bbox is not None:
        ref = SourceRef(
            ref.path, ref.table, ref.line, ref.row
        )  # a split cell's ref names its line, not its box
    return Row(
        cells=[Cell.at(p, ref, i) for i, p in enumerate(parts, start=1)],
        ref=row.ref,
        table=None,
        page_break=row.page_break,
    )


def _empty(doc: AnyDocument) -> bool:
    if doc.project or any(f.code in ("PARSE-NO-NUMBERS", "PARSE-UNREAD") for f in doc.findings):
        return False
    return not any(
        getattr(doc, name, None) for name in ("indicators", "funds", "score", "total_score", "unit")
    )


# A number that could fill an amount, weight or score position (``62.5``, ``90%``, ``10``), as opposed to a
# list number (``1、``) or a year.
_AMOUNT_LIKE = re.compile(r"\d+\.\d+|\d+%|\d{2,}")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}$")


_NO_NUMBERS = "表中应有数字的位置（金额、分值、得分、总分）都没有数字（可能在发布或提取时被删除），未作推测"
_UNREAD = "表中印有金额、分值或得分，但排版错乱，无法确定各数字所在的位置，未读取"


def _numbers_printed(body: str) -> bool:
    return any(not _YEAR_ONLY.match(m.group()) for m in _AMOUNT_LIKE.finditer(body))


def _numbers_unread(doc: AnyDocument, rows: list[Row]) -> bool:
    """A self-evaluation whose text prints numbers and score labels of which the parse placed not one."""
    if not isinstance(doc, SelfEvaluation) or doc.indicators or doc.funds or doc.total_source is not None:
        return False
    body = "".join(c.text for r in rows for c in r.cells if not c.text.startswith("#"))
    return ("得分" in body or "总分" in body) and _numbers_printed(body)


def _numbers_missing(doc: AnyDocument, rows: list[Row]) -> bool:
    """A self-evaluation that prints the labels of its numbers (得分, 总分 …) but not one number."""
    if not isinstance(doc, SelfEvaluation):
        return False
    has_numbers = (
        doc.total_weight is not None
        or doc.total_score is not None
        or any(i.weight is not None or i.score is not None for i in doc.indicators)
        or any(
            f.annual_budget is not None or f.executed is not None or f.score is not None for f in doc.funds
        )
    )
    body = "".join(c.text for r in rows for c in r.cells if not c.text.startswith("#"))
    if has_numbers or not ("得分" in body or "总分" in body):
        return False
    if _numbers_printed(body):
        return False  # the text prints numbers the parse did not place: they are there, not deleted
    # True only where the table runs to the positions of its numbers (value rows read, or the 总分 at its end)
    # and they hold none; a head cut after its header has lost its numbers to the page end, not to the publisher.
    return bool(doc.funds or doc.indicators or doc.total_source is not None or "总分" in body)


def _plain_text(rows: list[Row]) -> bool:
    """Most rows are lines of text, not table rows: the table's row structure did not survive extraction (one cell
    per line or per paragraph, space-separated lines, a flattened table)."""
    return sum(1 for r in rows if r.table is None) > len(rows) * 0.5


def _row_reading_failed(rows: list[Row], doc: AnyDocument) -> bool:
    """The row parser read a table whose rows it could not use: no indicators, rows that are single cells, or
    findings about its rows."""
    indicators = getattr(doc, "indicators", [])
    singles = sum(1 for r in rows if len(r.filled) <= 1)
    return not indicators or singles > len(rows) * 0.5 or doc.findings != []


def _richness(doc: AnyDocument) -> tuple[int, int]:
    """How much of a self-evaluation a parse recovered: indicators with both numbers, then fields filled."""
    indicators = getattr(doc, "indicators", [])
    complete = sum(1 for i in indicators if i.weight is not None and i.score is not None)
    filled = sum(1 for i in indicators for v in (i.target, i.actual, i.weight, i.score) if v is not None)
    filled += sum(
        1 for f in getattr(doc, "funds", []) for v in (f.annual_budget, f.executed) if v is not None
    )
    return complete, filled


_HEADER_FIELDS = ("project", "department", "implementing_unit", "money_unit")


def _keep_header(chosen: AnyDocument, other: AnyDocument) -> None:
    """Header fields the chosen parse left empty, taken from the other parse of the same rows: each read its
    label's own cell, so they cannot disagree on where the value came from."""
    for name in _HEADER_FIELDS:
        if getattr(chosen, name, None) is None and getattr(other, name, None) is not None:
            setattr(chosen, name, getattr(other, name))
            if name in other.cells:
                chosen.cells[name] = other.cells[name]


def _read_rubric(doc: SelfEvaluation, rows: list[Row], ctx: Context) -> None:
    """A self-evaluation printed as a scoring rubric takes its rows and group weights from the rubric parser: the
    table parsers would pair each group's weight with the next leaf's numbers."""
    rubric = parse_rubric(rows, ctx)
    if rubric is None:
        return
    doc.indicators = rubric.indicators
    doc.level_weights = rubric.level_weights
    if doc.total_weight is None and doc.total_score is None and rubric.total_cell is not None:
        doc.total_weight, doc.total_score = rubric.total_weight, rubric.total_score
        doc.total_source = rubric.total_cell.ref


def _no_project(doc: SelfEvaluation, ctx: Context) -> SelfEvaluation:
    """A stream reading's missing project, said once its header is final (the row reading's fields are kept
    first), so that a name read from the rows is never also reported as not found."""
    if doc.project is None:
        ctx.report("PARSE-MISSING", "未找到项目名称", doc.source, Severity.ERROR)
    return doc


def _self_evaluation(
    raw_rows: list[Row], rows: list[Row], path: str, n: int, year: int | None
) -> tuple[SelfEvaluation, Context]:
    """A self-evaluation, read by the parser its rows call for: plain lines of text (the rows did not survive) as a
    stream of cells, table rows by their columns.

    Only a table the row parser could not use is read as a stream too, and the richer reading kept: extraction
    may keep a table's rows and still cut each one at its cells (one cell per row, a row broken in two), and
    that shows only in what the row parser finds.  The stream reading then takes the header fields the row
    reading found in their labels' own cells."""
    ctx = Context(path=path, index=n)
    headless = _headless(raw_rows)
    if _plain_text(raw_rows) and not headless:
        return _no_project(parse_stream(raw_rows, ctx, year), ctx), ctx
    doc = parse_self_evaluation(rows, ctx, year, headless=headless)
    if not _row_reading_failed(raw_rows, doc):
        return doc, ctx
    alt_ctx = Context(path=path, index=n)
    alt = parse_stream(raw_rows, alt_ctx, year)
    if _richness(alt) > _richness(doc):
        _keep_header(alt, doc)
        return _no_project(alt, alt_ctx), alt_ctx
    return doc, ctx


def _declaration_richness(doc: TargetDeclaration) -> int:
    header = (doc.project, doc.unit, doc.department, doc.total_budget, doc.annual_budget)
    return sum(1 for v in header if v is not None) + sum(
        1 + (i.target is not None) + (i.level1 is not None) for i in doc.indicators
    )


def _declaration(
    raw_rows: list[Row], path: str, n: int, year: int | None
) -> tuple[TargetDeclaration, Context]:
    """A declaration: the national 绩效目标表 reader when the table prints the national indicator block and that
    reader finds the project and its indicators; else the Shanghai 申报表 reader (the richer reading of the two)."""
    nat_ctx = Context(path=path, index=n)
    nat: TargetDeclaration | None = None
    if national.is_national(raw_rows):
        nat = national.parse_national(raw_rows, nat_ctx, year)
        if nat.project is not None and nat.indicators:
            return nat, nat_ctx
    ctx = Context(path=path, index=n)
    doc = parse_declaration([tokenize(r) for r in raw_rows], ctx, year)
    if not doc.indicators:  # no table the Shanghai reader knows: the indicators may be written in prose
        nat = nat or national.parse_national(raw_rows, nat_ctx, year)
        if _declaration_richness(nat) > _declaration_richness(doc):
            return nat, nat_ctx
    return doc, ctx


def _evaluation_fallback(grid: Grid, result: ParseResult) -> bool:
    """A file without a recognised form that speaks of an evaluation: its result as a report prints it (a sentence,
    a score table, an aggregate), or a finding saying that it holds none.  True when either was added."""
    text = "".join(c.text for r in grid.rows for c in r.cells)
    folded = fold_text(text)
    if not grid.rows or not evaluation.speaks_of_evaluation(folded):
        return False
    ctx = Context(path=grid.path, index=1)
    try:
        doc = parse_evaluation(grid.rows, ctx, None)
    except Exception as exc:  # a parser bug must not end the run
        result.findings.append(Finding(code="PARSE-CRASH", severity=Severity.ERROR,
                                       message=f"解析绩效评价结果时出错：{type(exc).__name__}: {exc}",
                                       source=SourceRef(path=grid.path)))  # fmt: skip
        return True
    if evaluation.has_result(doc):
        doc.findings.extend(ctx.findings)
        result.documents.append(doc)
        return True
    result.findings.append(Finding(code="PARSE-NO-RESULT", severity=Severity.ERROR,
                                   message=evaluation.no_result_message(text), source=SourceRef(path=grid.path)))  # fmt: skip
    return True


def parse_grid(grid: Grid) -> ParseResult:
    result = ParseResult(path=grid.path, findings=list(grid.findings))
    segments = segment(grid.rows)
    file_year = find_year(grid.rows, near=8)
    unread: list[Kind] = []  # kinds recognised whose tables gave nothing
    for n, (kind, rows) in enumerate(segments, start=1):
        ctx = Context(path=grid.path, index=n)
        year = find_year(rows) or file_year
        if kind is Kind.SELF_EVALUATION and title_kind(rows[0]) is None and is_headless_table(rows):
            year = find_year(
                rows
            )  # a table cut above has lost its title: the next table's year is not its own
        raw_rows = rows
        if kind is Kind.SELF_EVALUATION:
            rows = [
                tokenize(r) for r in rows
            ]  # a declaration is split into cells by the reader that needs it
        try:
            doc: AnyDocument
            if kind is Kind.TARGET_DECLARATION:
                doc, ctx = _declaration(raw_rows, grid.path, n, year)
            elif kind is Kind.SELF_EVALUATION:
                doc, ctx = _self_evaluation(raw_rows, rows, grid.path, n, year)
            else:
                doc = parse_evaluation(rows, ctx, year)
            if isinstance(doc, SelfEvaluation):
                _read_rubric(doc, rows, ctx)
        except Exception as exc:  # a parser bug must not end the run: report it where it happened
            result.findings.append(
                Finding(
                    code="PARSE-CRASH",
                    severity=Severity.ERROR,
                    message=f"解析{kind.form_title}时出错：{type(exc).__name__}: {exc}",
                    source=rows[0].ref if rows else SourceRef(path=grid.path),
                )
            )
            continue
        doc.findings.extend(ctx.findings)
        doc.findings.extend(variants.detect(raw_rows, grid.path))
        numbers = (
            ("PARSE-NO-NUMBERS", Severity.ERROR, _NO_NUMBERS)
            if _numbers_missing(doc, raw_rows)
            else ("PARSE-UNREAD", Severity.WARNING, _UNREAD)
            if _numbers_unread(doc, raw_rows)
            else None
        )
        if numbers is not None:
            code, severity, message = numbers
            doc.findings.insert(0, Finding(code=code, severity=severity, message=message, source=doc.source))
        if isinstance(doc, EvaluationResult) and not evaluation.has_result(doc):
            continue  # a report's cover or opening without its result: said below when nothing else is read
        if _empty(doc):
            unread.append(kind)
            continue  # a title with nothing under it (a site's page header, a table of contents)
        result.documents.append(doc)
    if not result.documents and _evaluation_fallback(grid, result):
        return result
    if not result.documents:
        message = "未识别到绩效自评表、绩效目标申报表或绩效评价结果信息表"
        if unread:
            titles = "、".join(dict.fromkeys(k.form_title for k in unread))
            message = f"识别到{titles}，但未能从中读出项目名称、资金或指标（该版式未能读取）"
        result.findings.append(
            Finding(
                code="PARSE-NO-DOCUMENT",
                severity=Severity.ERROR,
                message=message,
                source=SourceRef(path=grid.path),
            )
        )
    return result
