"""Model objects ↔ table rows, exactly: ``load(dump(doc)) == doc``, sources and per-cell provenance included.

Fields with a column go to that column; a field the model gains later and no column holds yet goes to the row's
``extra`` JSON and comes back from it, so the round trip stays exact while the schema catches up.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from json import encoder as _json_encoder
from operator import attrgetter, itemgetter
from typing import Any, Protocol

from pydantic import BaseModel
from sqlalchemy.sql import sqltypes

from jixiao.model import (
    AnyDocument,
    EvaluationResult,
    Finding,
    FundLine,
    Indicator,
    SelfEvaluation,
    SourceRef,
    Subproject,
    TargetDeclaration,
)
from jixiao.store import schema
from jixiao.store.engine import json_text

DOCUMENT_CLASSES: dict[str, type[SelfEvaluation] | type[TargetDeclaration] | type[EvaluationResult]] = {
    "self_evaluation": SelfEvaluation,
    "target_declaration": TargetDeclaration,
    "evaluation_result": EvaluationResult,
}

# document field -> documents column (organisations and row lists are handled apart)
DOC_FIELDS: dict[str, str] = {
    "year": "year",
    "project": "project_name",
    "money_unit": "money_unit",
    "source": "source",
    "goal": "goal",
    "total_weight": "total_weight",
    "total_score": "total_score",
    "grade": "grade",
    "total_source": "total_source",
    "project_type": "project_type",
    "fund_use": "fund_use",
    "start": "start_date",
    "end": "end_date",
    "total_budget": "total_budget",
    "annual_budget": "annual_budget",
    "previous_budget": "previous_budget",
    "previous_executed": "previous_executed",
    "overall_goal": "overall_goal",
    "annual_goal": "annual_goal",
    "final_accounts": "final_accounts",
    "score": "score",
    "conclusion": "conclusion",
    "performance": "performance",
    "problems": "problems",
    "suggestions": "suggestions",
    "rectification": "rectification",
}
ORG_FIELDS: dict[str, str] = {
    "department": "department_id",
    "implementing_unit": "unit_id",
    "unit": "unit_id",
}
ROW_LISTS: dict[str, tuple[type[BaseModel], Any]] = {
    "funds": (FundLine, schema.funds),
    "indicators": (Indicator, schema.indicators),
    "subprojects": (Subproject, schema.subprojects),
}
_SKIP = frozenset({"kind", "findings", *ROW_LISTS})
_ROW_META = frozenset({"id", "document_id", "ordinal", "extra"})
_FINDING_META = frozenset({"id", "sha256", "document_id", "ordinal", "extra"})


def _columns(table: Any, meta: frozenset[str]) -> frozenset[str]:
    return frozenset(c.name for c in table.columns if c.name not in meta)


ROW_COLUMNS: dict[str, frozenset[str]] = {k: _columns(t, _ROW_META) for k, (_c, t) in ROW_LISTS.items()}
FINDING_COLUMNS = _columns(schema.findings, _FINDING_META)


def organisation_names(doc: AnyDocument) -> dict[str, str]:
    """``{field: name}`` of the organisations a document names (主管部门, 实施单位 or 申报单位)."""
    out: dict[str, str] = {}
    for field in ORG_FIELDS:
        value = getattr(doc, field, None)
        if isinstance(value, str) and value:
            out[field] = value
    return out


def document_row(doc: AnyDocument, org_ids: Mapping[str, int] | None) -> dict[str, Any]:
    """The ``documents`` columns of one document (without file, run and ordinal); ``org_ids`` maps names to
    ids (None: leave the organisation columns empty for the writer)."""
    data = doc.model_dump(exclude=set(_SKIP))
    row: dict[str, Any] = dict.fromkeys(DOC_FIELDS.values())
    row["kind"] = doc.kind
    row["department_id"] = row["unit_id"] = None
    extra_keys: set[str] = set()
    for field, value in data.items():
        if field in ("source", "total_source"):
            row[field] = _ref(value)
        elif field in DOC_FIELDS:
            row[DOC_FIELDS[field]] = value
        elif field in ORG_FIELDS:
            row[ORG_FIELDS[field]] = org_ids[value] if value and org_ids is not None else None
            if value == "":
                extra_keys.add(field)  # an empty name is kept as printed, not as "no organisation"
        else:
            extra_keys.add(field)
    row["extra"] = doc.model_dump(mode="json", include=extra_keys) if extra_keys else None
    return row


def child_rows(doc: AnyDocument, document_id: int) -> dict[str, list[dict[str, Any]]]:
    """Rows for ``funds``, ``indicators`` and ``subprojects`` of one document, in document order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for field, (_cls, _table) in ROW_LISTS.items():
        items = getattr(doc, field, None)
        if items:
            out[field] = [
                _traced_row(obj, ROW_COLUMNS[field], document_id, n) for n, obj in enumerate(items, 1)
            ]
    return out


_REF_FIELDS = tuple(f.name for f in fields(SourceRef))
_REF_VALUES = attrgetter(*_REF_FIELDS)
_COL = _REF_FIELDS.index("col")
_NO_REF = (None,) * len(_REF_FIELDS)


def _ref(ref: Any) -> dict[str, Any] | None:
    """A source reference as stored: only the fields it has (a missing field loads back as None)."""
    if ref is None:
        return None
    if isinstance(ref, dict):
        return {k: v for k, v in ref.items() if v is not None}
    return {k: v for k, v in zip(_REF_FIELDS, _REF_VALUES(ref), strict=True) if v is not None}


def _cell_diff(cell: Any, base: tuple[Any, ...]) -> dict[str, Any] | int:
    """A cell's reference as stored: the fields that differ from its row's source (None where the cell lacks
    one the row has); just the column number when that is all that differs (the usual case)."""
    values = _REF_VALUES(cell)
    if values[:_COL] == base[:_COL] and values[_COL + 1 :] == base[_COL + 1 :] and type(values[_COL]) is int:
        col: int = values[_COL]
        return col
    return {k: v for k, v, b in zip(_REF_FIELDS, values, base, strict=True) if v != b}


def _cell_ref(diff: dict[str, Any] | int, base: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`_cell_diff`."""
    if isinstance(diff, int):
        return {**base, "col": diff}
    return {k: v for k, v in {**base, **diff}.items() if v is not None}


_TRACE = frozenset({"source", "cells"})


@lru_cache(maxsize=64)
def _row_keys(cls: type[BaseModel], columns: frozenset[str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The plain columns a model's rows fill and the fields no column holds (its ``extra``), once per model."""
    plain = tuple(sorted(columns - _TRACE))
    return plain, frozenset(cls.model_fields.keys() - columns)


def _traced_row(obj: BaseModel, columns: frozenset[str], document_id: int, ordinal: int) -> dict[str, Any]:
    """A row's columns straight from the model's field values (no serialiser pass: rows are many)."""
    values = obj.__dict__
    plain, beyond = _row_keys(type(obj), columns)
    source = values.get("source")
    base = _REF_VALUES(source) if source is not None else _NO_REF
    cells = values.get("cells") or {}
    row: dict[str, Any] = {
        "document_id": document_id,
        "ordinal": ordinal,
        "source": _ref(source),
        "cells": {k: _cell_diff(v, base) for k, v in cells.items()} or None,
    }
    for key in plain:
        row[key] = values.get(key)
    extra_keys = beyond & values.keys()
    row["extra"] = obj.model_dump(mode="json", include=set(extra_keys)) if extra_keys else None
    return row


_FINDING_FIELDS = tuple(Finding.model_fields)


def finding_rows(findings: Iterable[Finding], sha256: str, document_id: int | None) -> list[dict[str, Any]]:
    """Each finding's row, from its field values as they are (a Finding's fields are plain values and a
    SourceRef, so no serialiser pass is needed but for the fields no column holds)."""
    rows: list[dict[str, Any]] = []
    for n, f in enumerate(findings, 1):
        data = f.__dict__
        row: dict[str, Any] = {"sha256": sha256, "document_id": document_id, "ordinal": n}
        extra_keys = set()
        for key in _FINDING_FIELDS:
            value = data[key]
            if key == "source":
                row[key] = _ref(value)
            elif key in FINDING_COLUMNS:
                row[key] = str(value) if key == "severity" else value
            else:
                extra_keys.add(key)
        row["extra"] = f.model_dump(mode="json", include=extra_keys) if extra_keys else None
        rows.append(row)
    return rows


def _present(row: Mapping[Any, Any], columns: Iterable[str]) -> dict[str, Any]:
    """Non-NULL columns of a row; NULL leaves the model default (None or an empty list) in place."""
    return {c: row[c] for c in columns if row[c] is not None}


def load_row(kind: str, row: Mapping[Any, Any]) -> BaseModel:
    """A fund line, indicator or subproject from its table row."""
    cls, _table = ROW_LISTS[kind]
    data = _present(row, ROW_COLUMNS[kind])
    if "cells" in data:
        base = data.get("source") or {}
        data["cells"] = {k: _cell_ref(v, base) for k, v in data["cells"].items()}
    if row["extra"]:
        data.update(row["extra"])
    return cls.model_validate(data)


def load_finding(row: Mapping[Any, Any]) -> Finding:
    data = _present(row, FINDING_COLUMNS)
    if row["extra"]:
        data.update(row["extra"])
    return Finding.model_validate(data)


def load_document(
    row: Mapping[Any, Any],
    orgs: Mapping[int, str],
    children: Mapping[str, list[BaseModel]],
    findings: list[Finding],
) -> AnyDocument:
    """One document from its ``documents`` row, organisation names by id, its rows and its findings."""
    cls = DOCUMENT_CLASSES[row["kind"]]
    fields = cls.model_fields
    data: dict[str, Any] = {"kind": row["kind"], "findings": findings}
    for field, column in DOC_FIELDS.items():
        if field in fields and row[column] is not None:
            data[field] = row[column]
    for field, column in ORG_FIELDS.items():
        if field in fields and row[column] is not None:
            data[field] = orgs[row[column]]
    for field in ROW_LISTS:
        if field in fields:
            data[field] = children.get(field, [])
    if row["extra"]:
        data.update(row["extra"])
    return cls.model_validate(data)


# --- a parsed file, prepared for writing --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bulk:
    """Rows of one table as the driver takes them.

    Attributes:
        columns: column names; ``document_id`` first, holding the document's index in the file (None for a
            finding about the whole file) until the writer puts the id there.
        rows: one tuple per row, JSON columns already serialised.
    """

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class PreparedFile:
    """A parsed file turned into rows where it was parsed (a worker process); the writer adds only ids.

    Attributes:
        documents: ``documents`` rows in file order (JSON columns serialised), organisations still by name
            in ``organisations``.
        organisations: per document, ``{column: organisation name}`` (``unit_id``, ``department_id``).
        parents: (实施单位, 主管部门) name pairs the self-evaluations state.
        bulk: rows of ``funds``, ``indicators``, ``subprojects`` and ``findings``.
        refusal: why the file cannot go in (it holds no document), else None.
    """

    documents: list[dict[str, Any]]
    organisations: list[dict[str, str]]
    parents: list[tuple[str, str]]
    bulk: dict[str, Bulk]
    refusal: str | None = None


def _json_chunks() -> Callable[[Any], str] | None:
    """:func:`json_text` without its per-call set-up: ``JSONEncoder.encode`` builds a C encoder for every value
    (a third of serialising a file's rows); this one is built once, with the same settings, so the text is the
    same.  None where the interpreter has no C encoder."""
    make = getattr(_json_encoder, "c_make_encoder", None)
    quote = getattr(_json_encoder, "c_encode_basestring", None)
    if make is None or quote is None:  # pragma: no cover - CPython has both
        return None
    default = json.JSONEncoder().default  # raises TypeError for what JSON cannot hold, as json_text does
    # markers None: no circularity check (stored values are trees); a check's leftovers after an error would
    # otherwise stay in a shared dict
    chunks = make(None, default, quote, None, ":", ",", False, False, True)

    def text(value: Any) -> str:
        return quote(value) if isinstance(value, str) else "".join(chunks(value, 0))

    return text


_to_json: Callable[[Any], str] = _json_chunks() or json_text


@lru_cache(maxsize=32)
def _layout(table: str, keys: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The columns a table's prepared rows with these keys fill (``document_id`` first, then table order) and
    the positions of the JSON ones among them: worked out once per table, not per row."""
    t = schema.metadata.tables[table]
    columns = ("document_id", *(c.name for c in t.columns if c.name in keys and c.name != "document_id"))
    json_cols = {c.name for c in t.columns if isinstance(c.type, sqltypes.JSON)}
    return columns, tuple(i for i, c in enumerate(columns) if c in json_cols)


def _bulk(table: Any, rows: list[dict[str, Any]]) -> Bulk:
    columns, json_at = _layout(table.name, tuple(rows[0]))
    values = itemgetter(*columns)
    to_json = _to_json
    out = []
    for row in rows:
        got = list(values(row))
        for i in json_at:
            if (v := got[i]) is not None:
                got[i] = to_json(v)
        out.append(tuple(got))
    return Bulk(columns, out)


class FileContents(Protocol):
    """What a file is to the store: its name, its documents (each with its findings) and the findings about the
    file as a whole; the pipeline's ``FileResult`` (and the parsers' ``ParseResult``) are such."""

    @property
    def path(self) -> str: ...

    @property
    def documents(self) -> Sequence[AnyDocument]: ...

    @property
    def findings(self) -> Sequence[Finding]: ...


def prepare(result: FileContents, sha256: str) -> PreparedFile:
    """Everything a file's documents, rows and findings become, without ids (see :class:`PreparedFile`)."""
    docs = result.documents
    if not docs:
        why = next((f.message for f in result.findings if f.severity == "error"), "未识别到绩效文档")
        return PreparedFile([], [], [], {}, f"{result.path}: {why}")
    organisations = []
    for doc in docs:
        names = organisation_names(doc)
        organisations.append({ORG_FIELDS[f]: n for f, n in names.items()})
    parents = sorted(
        {
            (d.implementing_unit, d.department)
            for d in docs
            if isinstance(d, SelfEvaluation) and d.implementing_unit and d.department
        }
    )
    doc_json = [c.name for c in schema.documents.columns if isinstance(c.type, sqltypes.JSON)]
    doc_rows = [document_row(doc, None) for doc in docs]
    for row in doc_rows:  # serialised here (in the worker), as the bulk rows are
        for col in doc_json:
            if row[col] is not None:
                row[col] = _to_json(row[col])
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in ROW_LISTS}
    found = finding_rows(result.findings, sha256, None)
    for i, doc in enumerate(docs):
        for name, items in child_rows(doc, i).items():
            rows[name].extend(items)
        found.extend(finding_rows(doc.findings, sha256, i))
    bulk = {name: _bulk(ROW_LISTS[name][1], items) for name, items in rows.items() if items}
    if found:
        bulk["findings"] = _bulk(schema.findings, found)
    return PreparedFile(doc_rows, organisations, parents, bulk)
