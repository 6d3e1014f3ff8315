"""The web application's reads that are not whole documents: project lists with facets, full-text search and
keyset pages, the findings list, and the dashboards' aggregates.

Every query is SQL served by the indexes of migration ``0002`` (SQLite FTS5 trigram table over project names,
PostgreSQL ``pg_trgm``); none loads documents into Python.  Lists page by keyset (``after`` = the last id of
the previous page), never by OFFSET.

At the province's size (100,000 projects) the facets come from the facet facts of migration ``0006``: one row
per (facet, value, project) and the counts per value, unfiltered and under one year, kind, grade or code,
rebuilt by :func:`refresh_facts` after an ingest run or a link decision; with them (migration ``0008``) each
project's facet profile, which a name search's facets are grouped by.  Facts of an older store generation
are never read: the same answers are then computed from the documents (slower, never wrong).  The dashboards
are bounded whatever the size (a sample of the scatter, the largest gaps, per-year counts).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    DateTime,
    Double,
    Engine,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)

from jixiao.store import schema

SCORED_KINDS = ("self_evaluation", "evaluation_result")
SEVERITIES = ("error", "warning", "info")
_FTS_MIN = 3  # the trigram tokenizer (and pg_trgm's index) match substrings of three characters or more


def _current() -> ColumnElement[bool]:
    """The document is current, written so that no index is chosen for it: every document but a replaced
    version is current, and SQLite (without statistics) would otherwise walk the ``current`` indexes of
    migration 0004 over the whole table instead of driving from the project's links."""
    return schema.documents.c.current.is_not(False)


def include_name(name: str | None, type_: str, _parent: Any = None) -> bool:
    """For schema comparisons: the search objects of migration 0002 are not part of the model's tables."""
    return not (name or "").startswith(("search_", "ix_search_"))


def _generation_columns() -> list[Any]:
    runs, dec = schema.ingest_runs, schema.link_decisions
    return [
        select(func.coalesce(func.max(runs.c.id), 0)).scalar_subquery(),
        select(func.count(runs.c.finished_at)).scalar_subquery(),
        select(func.coalesce(func.max(dec.c.id), 0)).scalar_subquery(),
    ]


Generation = tuple[int, ...]


def generation(conn: Connection) -> Generation:
    """A key that changes whenever what the lists show may have changed (an ingest run, a link decision, a
    refresh of the facts, projects marked by a relink or a removal), so results computed from the store can
    be cached until then (one statement)."""
    return snapshot(conn)[0]


def snapshot(conn: Connection) -> tuple[Generation, bool]:
    """The store's :func:`generation` and whether the facet facts (and the maintained figures) hold it, in one
    statement (a page asks once and passes both on: on PostgreSQL every statement costs a round trip).  They
    do when they were refreshed at this store generation (ingest runs and decisions) and no project has been
    marked since (a relink without a decision marks projects without a new run or decision)."""
    st = facts_state
    kept = select(st.c.run, st.c.finished, st.c.decision, st.c.refreshed_at).where(st.c.id == 1).subquery()
    dirty = exists(select(dirty_table.c.project_id))
    row = conn.execute(
        select(
            *_generation_columns(), kept.c.run, kept.c.finished, kept.c.decision, dirty, kept.c.refreshed_at
        ).select_from(select(literal(1).label("one")).subquery().outerjoin(kept, literal(True)))
    ).one()
    store = (int(row[0]), int(row[1]), int(row[2]))
    fresh = row[3] is not None and (int(row[3]), int(row[4]), int(row[5])) == store and not row[6]
    stamp = 0 if row[7] is None else int(row[7].timestamp() * 1_000_000)
    return (*store, stamp, int(bool(row[6]))), fresh


def _store_generation(conn: Connection) -> tuple[int, int, int]:
    run, fin, dec = conn.execute(select(*_generation_columns())).one()
    return int(run), int(fin), int(dec)


# --- facet facts (migration 0006) and maintained figures (migration 0007) -----------------------------------

_facts_meta = MetaData()
facts_table = Table(
    "search_facts",
    _facts_meta,
    Column("facet", String(16), primary_key=True),
    Column("value", Text, primary_key=True),
    Column("project_id", Integer, primary_key=True),
)
facet_counts_table = Table(
    "search_facet_counts",
    _facts_meta,
    Column("filter_facet", String(16), primary_key=True),
    Column("filter_value", Text, primary_key=True),
    Column("facet", String(16), primary_key=True),
    Column("value", Text, primary_key=True),
    Column("n", Integer, nullable=False),
)
facts_state = Table(
    "search_facts_state",
    _facts_meta,
    Column("id", Integer, primary_key=True),
    Column("run", Integer, nullable=False),
    Column("finished", Integer, nullable=False),
    Column("decision", Integer, nullable=False),
    Column("refreshed_at", DateTime(timezone=True), nullable=False),
)
dirty_table = Table(  # projects marked by the triggers of migration 0007
    "search_dirty",
    _facts_meta,
    Column("project_id", Integer, primary_key=True),
    Column("mark", Integer, nullable=False),
)
stats_table = Table(
    "search_project_stats",
    _facts_meta,
    Column("project_id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("years", Integer, nullable=False),
    Column("kinds", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("infos", Integer, nullable=False),
    Column("flagged", Integer, nullable=False),
    Column("latest_document_id", Integer),
    Column("latest_score", Double),
    Column("summary_document_id", Integer),
    Column("summary_share", Double),
)
project_counts_table = Table(
    "search_project_counts",
    _facts_meta,
    Column("project_id", Integer, primary_key=True),
    Column("what", String(16), primary_key=True),
    Column("k1", Text, primary_key=True),
    Column("k2", Text, primary_key=True),
    Column("n", Integer, nullable=False),
)
totals_table = Table(
    "search_totals",
    _facts_meta,
    Column("what", String(16), primary_key=True),
    Column("k1", Text, primary_key=True),
    Column("k2", Text, primary_key=True),
    Column("n", Integer, nullable=False),
)
profile_keys_table = Table(  # migration 0008: each distinct facet profile by a number (see _fill_profiles),
    "search_profiles",  # found by the MD5 of its text (migration 0011: a short unique key)
    _facts_meta,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("digest", String(32), nullable=False, unique=True),
    Column("profile", Text, nullable=False),
)
profiles_table = Table(  # per project its profile's number, 主管部门 and 实施单位
    "search_project_profiles",
    _facts_meta,
    Column("project_id", Integer, primary_key=True, autoincrement=False),
    Column("profile_id", Integer, nullable=False),
    Column("department", Integer),
    Column("unit", Integer),
)
document_figures_table = Table(  # migration 0010: per current linked document what ``projects`` lists
    "search_document_figures",
    _facts_meta,
    Column("document_id", Integer, primary_key=True, autoincrement=False),
    Column("project_id", Integer, nullable=False, index=True),
    Column("findings", Integer, nullable=False),
    Column("path", Text),
)
cache_table = Table(
    "search_cache",
    _facts_meta,
    Column("key", String(64), primary_key=True),
    Column("body", Text, nullable=False),
)
FACETS = ("year", "kind", "grade", "code", "department", "unit")
DOCUMENT_FACETS = ("year", "kind", "grade", "code")  # the filters whose counts are kept (department and unit
# select a few hundred projects each: their counts are computed when asked, from the facts, by index)
DELTA_MAX = 20_000  # more marked projects than this: rebuild everything (one pass beats many keyed ones, and
# the projects' ids stay below the database's bound-parameter limit)
_BATCH = 2000  # ids per IN list
DASHBOARDS_PER_REFRESH = (
    24  # departments whose dashboards a refresh computes at most (tens of ms each at 100k
)
DASHBOARDS_SECONDS = 2.0  # on SQLite, seconds on PostgreSQL before its statistics exist) and for how long
REBUILD_DASHBOARDS_SECONDS = 60.0  # a full rebuild (itself 20-40 s at 100k) keeps every department's in this


def _in(column: ColumnElement[Any], pids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    return [] if pids is None else [column.in_(pids)]


def _fact_sources(pids: Sequence[int] | None = None) -> list[Select[Any]]:
    """(facet, value, project) for every facet: what ``project_conditions`` tests, as rows (of the projects
    ``pids``, or of all)."""
    pr, ln, d, fi = schema.projects, schema.links, schema.documents, schema.findings
    docs = ln.join(d, d.c.id == ln.c.document_id)
    grade = func.coalesce(d.c.grade, d.c.conclusion)
    mine = _in(ln.c.project_id, pids)
    return [
        select(literal("year"), cast(d.c.year, Text), ln.c.project_id)
        .select_from(docs)
        .where(_current(), d.c.year.is_not(None), *mine),
        select(literal("kind"), d.c.kind, ln.c.project_id).select_from(docs).where(_current(), *mine),
        select(literal("grade"), grade, ln.c.project_id)
        .select_from(docs)
        .where(_current(), grade.is_not(None), *mine),
        select(literal("code"), fi.c.code, ln.c.project_id)
        .select_from(fi.join(ln, ln.c.document_id == fi.c.document_id).join(d, d.c.id == fi.c.document_id))
        .where(_current(), *mine),
        select(literal("department"), cast(pr.c.department_id, Text), pr.c.id).where(
            pr.c.department_id.is_not(None), *_in(pr.c.id, pids)
        ),
        select(literal("unit"), cast(pr.c.unit_id, Text), pr.c.id).where(
            pr.c.unit_id.is_not(None), *_in(pr.c.id, pids)
        ),
    ]


def _stats_source(pids: Sequence[int] | None = None) -> Select[Any]:
    """One row of ``search_project_stats`` per project (of ``pids``, or every one), its latest scored
    documents left for :func:`_stats_latest`."""
    pr, ln, d, fi = schema.projects, schema.links, schema.documents, schema.findings
    mine = _in(ln.c.project_id, pids)
    linked = ln.join(d, d.c.id == ln.c.document_id)
    docs = (
        select(
            ln.c.project_id.label("pid"),
            func.count().label("n"),
            func.count(func.distinct(d.c.year)).label("years"),
            func.count(func.distinct(d.c.kind)).label("kinds"),
        )
        .select_from(linked)
        .where(_current(), *mine)
        .group_by(ln.c.project_id)
        .subquery()
    )

    def severity(s: str) -> Any:
        return func.sum(case((fi.c.severity == s, 1), else_=0)).label(s)

    found = (
        select(ln.c.project_id.label("pid"), severity("error"), severity("warning"), severity("info"))
        .select_from(fi.join(linked, d.c.id == fi.c.document_id))
        .where(_current(), *mine)
        .group_by(ln.c.project_id)
        .subquery()
    )
    errors, warnings = func.coalesce(found.c.error, 0), func.coalesce(found.c.warning, 0)
    none = literal(None, Integer)
    return (
        select(
            pr.c.id,
            pr.c.name,
            func.coalesce(docs.c.n, 0),
            func.coalesce(docs.c.years, 0),
            func.coalesce(docs.c.kinds, 0),
            errors,
            warnings,
            func.coalesce(found.c.info, 0),
            errors + warnings,
            none,
            literal(None, Double),
            none,
            literal(None, Double),
        )
        .select_from(pr.outerjoin(docs, docs.c.pid == pr.c.id).outerjoin(found, found.c.pid == pr.c.id))
        .where(*_in(pr.c.id, pids))
    )


def _stats_latest(pids: Sequence[int] | None = None) -> list[Any]:
    """UPDATEs setting each project's latest scored documents and their scores: per project, its few
    documents found through the links' project index (ordered, the first kept), not a ranking of the store."""
    st, ln, d = stats_table, schema.links, schema.documents
    is_eval = case((d.c.kind == "evaluation_result", 1), else_=0)
    value, out_of = summary_value()
    share = case((func.coalesce(out_of, 0) != 0, value / out_of), else_=value / 100.0)

    def first(score: ColumnElement[Any], newest_id: bool) -> Any:
        # the 工作台's: newest year, an evaluation before a self-evaluation, the newest document;
        # summary's: the same, but the oldest document of that year first
        return (
            select(d.c.id)
            .select_from(ln.join(d, d.c.id == ln.c.document_id))
            .where(
                ln.c.project_id == st.c.project_id,
                _current(),
                d.c.kind.in_(SCORED_KINDS),
                score.is_not(None),
            )
            .order_by(
                func.coalesce(d.c.year, 0).desc(),
                is_eval.desc(),
                d.c.id.desc() if newest_id else d.c.id,
            )
            .limit(1)
            .scalar_subquery()
        )

    def of(score: ColumnElement[Any], column: Any) -> Any:
        return select(score).where(d.c.id == column).scalar_subquery()

    mine = _in(st.c.project_id, pids)
    with_docs = st.c.documents > 0
    return [
        st.update()
        .where(with_docs, *mine)
        .values(latest_document_id=first(_score_100(), True), summary_document_id=first(value, False)),
        st.update()
        .where(st.c.latest_document_id.is_not(None), *mine)
        .values(latest_score=of(_score_100(), st.c.latest_document_id)),
        st.update()
        .where(st.c.summary_document_id.is_not(None), *mine)
        .values(summary_share=of(share, st.c.summary_document_id)),
    ]


def summary_value() -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """``summary``'s score of a document and what it is out of: a self-evaluation's 总分 of its 总分值, an
    evaluation result's 评价分值 of 100."""
    d = schema.documents
    is_eval = d.c.kind == "evaluation_result"
    value = case((is_eval, d.c.score), else_=d.c.total_score)
    out_of = case((d.c.total_weight.is_not(None), d.c.total_weight), (is_eval, 100.0), else_=None)
    return value, out_of


def _count_sources(pids: Sequence[int] | None = None) -> list[Select[Any]]:
    """(project, what, k1, k2, n) of ``search_project_counts``: current documents per (kind, year) and per
    主管部门 (which departments' dashboards a change of the project touches), findings per (severity, code)."""
    ln, d, fi = schema.links, schema.documents, schema.findings
    mine = _in(ln.c.project_id, pids)
    year = func.coalesce(cast(d.c.year, Text), "")
    return [
        select(ln.c.project_id, literal("doc"), d.c.kind, year, func.count())
        .select_from(ln.join(d, d.c.id == ln.c.document_id))
        .where(_current(), *mine)
        .group_by(ln.c.project_id, d.c.kind, year),
        select(ln.c.project_id, literal("dept"), cast(d.c.department_id, Text), literal(""), func.count())
        .select_from(ln.join(d, d.c.id == ln.c.document_id))
        .where(_current(), d.c.department_id.is_not(None), *mine)
        .group_by(ln.c.project_id, d.c.department_id),
        select(ln.c.project_id, literal("finding"), fi.c.severity, fi.c.code, func.count())
        .select_from(fi.join(d, d.c.id == fi.c.document_id).join(ln, ln.c.document_id == d.c.id))
        .where(_current(), *mine)
        .group_by(ln.c.project_id, fi.c.severity, fi.c.code),
    ]


_COUNT_KEYS = ("filter_facet", "filter_value", "facet", "value")
_TOTAL_KEYS = ("what", "k1", "k2")


def _facet_contribution(pids: Sequence[int] | None) -> list[Select[Any]]:
    """The facet counts that the facts of ``pids`` (or of all) add up to: unfiltered, and under one value of
    year, kind, grade or code."""
    sf = facts_table
    a, b = sf.alias("a"), sf.alias("b")
    return [
        select(literal(""), literal(""), sf.c.facet, sf.c.value, func.count())
        .where(*_in(sf.c.project_id, pids))
        .group_by(sf.c.facet, sf.c.value),
        select(a.c.facet, a.c.value, b.c.facet, b.c.value, func.count())
        .select_from(a.join(b, b.c.project_id == a.c.project_id))
        .where(a.c.facet.in_(DOCUMENT_FACETS), b.c.facet != a.c.facet, *_in(a.c.project_id, pids))
        .group_by(a.c.facet, a.c.value, b.c.facet, b.c.value),
    ]


def _total_contribution(pids: Sequence[int] | None) -> list[Select[Any]]:
    """The totals that the kept counts and figures of ``pids`` (or of all) add up to."""
    pc, st = project_counts_table, stats_table
    return [
        select(pc.c.what, pc.c.k1, pc.c.k2, func.sum(pc.c.n))
        .where(*_in(pc.c.project_id, pids))
        .group_by(pc.c.what, pc.c.k1, pc.c.k2),
        select(literal("projects"), literal(""), literal(""), func.count())
        .select_from(st)
        .where(*_in(st.c.project_id, pids)),
        select(literal("across_years"), literal(""), literal(""), func.count())
        .select_from(st)
        .where(st.c.years > 1, *_in(st.c.project_id, pids)),
        select(literal("across_kinds"), literal(""), literal(""), func.count())
        .select_from(st)
        .where(st.c.kinds > 1, *_in(st.c.project_id, pids)),
    ]


def _fill(conn: Connection, pids: Sequence[int] | None) -> None:
    """Write the facts, figures and per-project counts of ``pids`` (or of every project)."""
    sf, st, pc = facts_table, stats_table, project_counts_table
    for source in _fact_sources(pids):
        conn.execute(sf.insert().from_select(["facet", "value", "project_id"], source.distinct()))
    conn.execute(st.insert().from_select([c.name for c in st.columns], _stats_source(pids)))
    for update in _stats_latest(pids):
        conn.execute(update)
    for source in _count_sources(pids):
        conn.execute(pc.insert().from_select(["project_id", "what", "k1", "k2", "n"], source))
    df = document_figures_table
    conn.execute(df.insert().from_select([c.name for c in df.columns], document_figures(pids)))
    _fill_profiles(conn, pids)


def counted_figures() -> tuple[Any, Any]:
    """A document's findings count and its file's newest path, as subqueries correlated to ``documents``."""
    d, f, fp = schema.documents, schema.findings, schema.file_paths
    findings = select(func.count()).select_from(f).where(f.c.document_id == d.c.id).scalar_subquery()
    path = (
        select(fp.c.path)
        .where(fp.c.sha256 == d.c.sha256)
        .order_by(fp.c.seen_at.desc(), fp.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return findings, path


def document_figures(pids: Sequence[int] | None = None) -> Select[Any]:
    """(document, project, findings, path) of the current documents of ``pids`` (or of all): how many findings
    each carries and where its file was last seen (counted and ordered by index, one document at a time)."""
    ln, d = schema.links, schema.documents
    return (
        select(d.c.id, ln.c.project_id, *counted_figures())
        .select_from(ln.join(d, d.c.id == ln.c.document_id))
        .where(_current(), *_in(ln.c.project_id, pids))
    )


def _profile(pairs: Sequence[tuple[str, str]]) -> str:
    """A project's year, kind, grade and code facts as one text: the sorted pairs, JSON."""
    return json.dumps(sorted(pairs), ensure_ascii=False, separators=(",", ":"))


def _fill_profiles(conn: Connection, pids: Sequence[int] | None) -> None:
    """Write the facet profile of ``pids`` (or of every project) from their facts just written: one row per
    project, read a batch of ids at a time (memory stays flat at any size); a profile not yet numbered is."""
    pr, sf, pp = schema.projects, facts_table, profiles_table
    ids = sorted(int(i) for i in conn.execute(select(pr.c.id).where(*_in(pr.c.id, pids))).scalars())
    for i in range(0, len(ids), _BATCH):
        batch = ids[i : i + _BATCH]
        pairs: dict[int, list[tuple[str, str]]] = defaultdict(list)
        org: dict[tuple[int, str], int] = {}
        within = (  # every project: a range of the index (a batch of all the ids holds every id in it)
            [sf.c.project_id >= batch[0], sf.c.project_id <= batch[-1]]
            if pids is None
            else [sf.c.project_id.in_(batch)]
        )
        q = select(sf.c.project_id, sf.c.facet, sf.c.value).where(*within)
        for pid, facet, value in conn.execute(q):
            if facet in DOCUMENT_FACETS:
                pairs[int(pid)].append((str(facet), str(value)))
            else:
                org[(int(pid), str(facet))] = int(value)
        profiles = {p: _profile(pairs.get(p, [])) for p in batch}
        number = _profile_numbers(conn, set(profiles.values()))
        rows = [
            {
                "project_id": p,
                "profile_id": number[profiles[p]],
                "department": org.get((p, "department")),
                "unit": org.get((p, "unit")),
            }
            for p in batch
        ]
        conn.execute(pp.insert(), rows)


def _digest(profile: str) -> str:
    """A profile's key in ``search_profiles``: the MD5 of its text, in hexadecimal (not a safeguard, a short
    index key: a clash would need two profiles of one store with the same digest)."""
    return hashlib.md5(profile.encode(), usedforsecurity=False).hexdigest()


def _profile_numbers(conn: Connection, profiles: set[str]) -> dict[str, int]:
    """The numbers of ``profiles``, found by their digests; those not yet numbered numbered after the highest."""
    pk = profile_keys_table
    digests = {_digest(t): t for t in profiles}
    known = {
        digests[str(h)]: int(n)
        for n, h in conn.execute(select(pk.c.id, pk.c.digest).where(pk.c.digest.in_(sorted(digests))))
    }
    new = sorted(profiles - set(known))
    if new:
        top = int(conn.execute(select(func.coalesce(func.max(pk.c.id), 0))).scalar_one())
        numbered = {t: top + k for k, t in enumerate(new, start=1)}
        rows = [{"id": n, "digest": _digest(t), "profile": t} for t, n in numbered.items()]
        conn.execute(pk.insert(), rows)
        known.update(numbered)
    return known


def _sums(conn: Connection, sources: list[Select[Any]]) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = defaultdict(int)
    for source in sources:
        for *key, n in conn.execute(source):
            out[tuple(str(k) for k in key)] += int(n or 0)
    return out


def _lock_facts(conn: Connection) -> None:
    """Two refreshes of one store run one after the other (SQLite: BEGIN IMMEDIATE did it).  On PostgreSQL an
    advisory lock of the store's schema: the keys are the database's, and stores in other schemas (tests,
    benches) need not wait for this one's refresh."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7242003, hashtext(current_schema()))"))


def refresh_facts(conn: Connection, *, full: bool = False) -> int:
    """Bring the facet facts, their counts and the maintained figures up to the store as it is now (in the
    caller's write transaction), and record the generation they hold; returns how many projects were redone.

    By delta: only the projects that the triggers of migration 0007 marked since the last refresh are
    recomputed, and what they added to the counts and totals is taken off and their new share added.  A full
    rebuild with ``full``, before the first refresh, or when more than :data:`DELTA_MAX` projects are marked."""
    from datetime import UTC, datetime

    _lock_facts(conn)
    dt = dirty_table
    marks = [(int(p), int(m)) for p, m in conn.execute(select(dt.c.project_id, dt.c.mark))]
    has_state = conn.execute(select(facts_state.c.id)).first() is not None
    depts: set[int] | None = None  # the departments whose dashboards to redo (None: every one)
    if full or not has_state or len(marks) > DELTA_MAX:
        done = _rebuild(conn)
    else:
        done, depts = _apply_delta(conn, sorted(p for p, _m in marks))
        for i in range(0, len(marks), _BATCH):  # the marks seen (one set again meanwhile is kept)
            conn.execute(dt.delete().where(tuple_(dt.c.project_id, dt.c.mark).in_(marks[i : i + _BATCH])))
    _keep_files(conn, redone=bool(done))
    kept = conn.execute(select(cache_table.c.key).where(cache_table.c.key == "dashboards")).first()
    if done or kept is None:  # (nothing marked: the figures they are computed from are as they were)
        _keep_dashboards(conn, depts)
    run, fin, dec = _store_generation(conn)
    conn.execute(facts_state.delete())
    conn.execute(
        facts_state.insert().values(id=1, run=run, finished=fin, decision=dec, refreshed_at=datetime.now(UTC))
    )
    return done


def _rebuild(conn: Connection) -> int:
    fc, tt = facet_counts_table, totals_table
    kept = (facts_table, stats_table, project_counts_table, profiles_table, document_figures_table)
    for table in (fc, *kept, tt, dirty_table):
        conn.execute(table.delete())
    conn.execute(profile_keys_table.delete())  # (numbered anew: the profiles no project has any more go)
    _fill(conn, None)
    for source in _facet_contribution(None):
        conn.execute(fc.insert().from_select([*_COUNT_KEYS, "n"], source))
    for source in _total_contribution(None):
        conn.execute(tt.insert().from_select([*_TOTAL_KEYS, "n"], source))
    conn.execute(tt.delete().where(tt.c.n == 0))
    return int(conn.execute(select(func.count()).select_from(stats_table)).scalar_one())


def _keep_dashboards(conn: Connection, depts: set[int] | None) -> None:
    """Compute and keep the whole store's dashboards and those of ``depts``: by a delta at most
    :data:`DASHBOARDS_PER_REFRESH` of them and for :data:`DASHBOARDS_SECONDS`, by a full rebuild (None) every
    department's for up to :data:`REBUILD_DASHBOARDS_SECONDS`; the others' kept ones are forgotten (never left
    stale), so a refresh stays bounded."""
    ct, d, pr = cache_table, schema.documents, schema.projects
    most, budget = DASHBOARDS_PER_REFRESH, DASHBOARDS_SECONDS
    if depts is None:
        conn.execute(ct.delete())
        depts = {
            int(x)
            for x in conn.execute(
                select(d.c.department_id)
                .where(d.c.department_id.is_not(None), _current())
                .union(select(pr.c.department_id).where(pr.c.department_id.is_not(None)))
            ).scalars()
        }
        most, budget = len(depts), REBUILD_DASHBOARDS_SECONDS
    keys = ["dashboards", *(f"dashboards:{x}" for x in sorted(depts))]
    for i in range(0, len(keys), _BATCH):
        conn.execute(ct.delete().where(ct.c.key.in_(keys[i : i + _BATCH])))
    rows = [{"key": "dashboards", "body": json.dumps(_dashboards(conn, None, None), ensure_ascii=False)}]
    # the departments with the most projects first (their dashboards cost the most when asked for); those
    # beyond the bounds are left out, so computed on request until a refresh redoes them
    start = time.monotonic()
    for x in _by_size(conn, depts)[:most]:
        if time.monotonic() - start > budget:
            break
        rows.append(
            {"key": f"dashboards:{x}", "body": json.dumps(_dashboards(conn, x, None), ensure_ascii=False)}
        )
    conn.execute(ct.insert(), rows)


def _by_size(conn: Connection, depts: set[int]) -> list[int]:
    """``depts`` by their number of projects, most first (the kept facet counts), then by id."""
    fc = facet_counts_table
    q = select(fc.c.value, fc.c.n).where(fc.c.filter_facet == "", fc.c.facet == "department")
    size = {int(v): int(n) for v, n in conn.execute(q)}
    return sorted(depts, key=lambda x: (-size.get(x, 0), x))


def _departments_of(conn: Connection, pids: list[int]) -> set[int]:
    """The 主管部门 of the projects and of their current documents, as the facts and counts hold them."""
    sf, pc = facts_table, project_counts_table
    q = (
        select(sf.c.value)
        .where(sf.c.facet == "department", sf.c.project_id.in_(pids))
        .union(select(pc.c.k1).where(pc.c.what == "dept", pc.c.project_id.in_(pids)))
    )
    return {int(x) for x in conn.execute(q).scalars()}


def _apply_delta(conn: Connection, pids: list[int]) -> tuple[int, set[int]]:
    """Recompute the projects ``pids``: their old share of the counts and totals off, their rows rewritten,
    their new share on; returns how many and the departments they had or have."""
    if not pids:
        return 0, set()
    depts: set[int] = set()
    batches = [pids[i : i + _BATCH] for i in range(0, len(pids), _BATCH)]
    facets: dict[tuple[str, ...], int] = defaultdict(int)
    totals: dict[tuple[str, ...], int] = defaultdict(int)
    for batch in batches:
        for k, n in _sums(conn, _facet_contribution(batch)).items():
            facets[k] -= n
        for k, n in _sums(conn, _total_contribution(batch)).items():
            totals[k] -= n
        depts |= _departments_of(conn, batch)
        for table in (facts_table, stats_table, project_counts_table, profiles_table, document_figures_table):
            conn.execute(table.delete().where(table.c.project_id.in_(batch)))
        _fill(conn, batch)
        depts |= _departments_of(conn, batch)
        for k, n in _sums(conn, _facet_contribution(batch)).items():
            facets[k] += n
        for k, n in _sums(conn, _total_contribution(batch)).items():
            totals[k] += n
    _add(conn, facet_counts_table, _COUNT_KEYS, facets)
    _add(conn, totals_table, _TOTAL_KEYS, totals)
    return len(pids), depts


def _keep_files(conn: Connection, *, redone: bool) -> None:
    """Keep :func:`overview_files` as the total ``files``: a file can hold documents of several projects, so
    its count is no sum of the projects' shares and is counted anew (one index scan) when projects were
    ``redone``, or when the facts hold no such total yet (refreshed by a version before it)."""
    tt = totals_table
    if not redone and conn.execute(select(tt.c.n).where(tt.c.what == "files")).first() is not None:
        return
    conn.execute(tt.delete().where(tt.c.what == "files"))
    conn.execute(tt.insert().values(what="files", k1="", k2="", n=overview_files(conn)))  # (0 kept too)


def _add(conn: Connection, table: Table, keys: Sequence[str], delta: dict[tuple[str, ...], int]) -> None:
    """Add ``delta`` to the counts ``n`` of ``table`` by key; counts that fall to zero go."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    rows = [{**dict(zip(keys, k, strict=True)), "n": n} for k, n in sorted(delta.items()) if n]
    if not rows:
        return
    ins = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
    conn.execute(
        ins.on_conflict_do_update(index_elements=list(keys), set_={"n": table.c.n + ins.excluded.n}), rows
    )
    gone = [{f"k_{k}": v for k, v in zip(keys, key, strict=True)} for key, n in delta.items() if n < 0]
    if gone:
        conn.execute(
            table.delete().where(*(table.c[k] == bindparam(f"k_{k}") for k in keys), table.c.n <= 0), gone
        )


def refresh_store_facts(engine: Engine, *, full: bool = False) -> int:
    """:func:`refresh_facts` in a write transaction of its own."""
    from jixiao.store.engine import writing

    with writing(engine) as conn:
        return refresh_facts(conn, full=full)


def facts_fresh(conn: Connection) -> bool:
    """The facts hold the store's current generation."""
    return snapshot(conn)[1]


def _has_fact(facet: str, value: object, *, probe: bool = False) -> ColumnElement[bool]:
    """The project has the fact: as an IN over the facts' primary key (the projects having it are few), or
    with ``probe`` as a correlated EXISTS, one primary-key probe per project met (they are many, and the list
    walks projects in name order until its page is full)."""
    sf, pr = facts_table, schema.projects
    if probe:
        return exists(
            select(sf.c.project_id).where(
                sf.c.facet == facet, sf.c.value == str(value), sf.c.project_id == pr.c.id
            )
        )
    return pr.c.id.in_(select(sf.c.project_id).where(sf.c.facet == facet, sf.c.value == str(value)))


_PROBE_ABOVE = 2000  # a facet value held by more projects than this is probed, not listed (see _has_fact)


def _probe(conn: Connection, f: ProjectFilter) -> bool:
    """Whether the project list should walk the name index and probe the facts: no name search narrows it,
    and every chosen year, kind, grade or code is held by many projects (the kept unfiltered counts)."""
    fc = facet_counts_table
    chosen = [(name, str(getattr(f, name))) for name in DOCUMENT_FACETS if getattr(f, name) is not None]
    if f.q or not chosen or f.department is not None or f.unit is not None:
        return False
    least, found = conn.execute(
        select(func.min(fc.c.n), func.count()).where(
            fc.c.filter_facet == "", or_(*(and_(fc.c.facet == k, fc.c.value == v) for k, v in chosen))
        )
    ).one()
    return int(found) == len(chosen) and int(least) > _PROBE_ABOVE


# --- project list ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """The project list's filters, as the query string gives them (``None``: not filtered).

    Attributes:
        q: words in the project name (full text).
        year / kind / grade / code: a document of the project has that year, kind, grade (自评等级 or 评价结论),
            finding code.
        department / unit: the project's 主管部门 / 实施单位 (organisation ids).
        score_min / score_max: a self-evaluation (out of its 总分值, on 100) or evaluation score in the range.
        within: the ids of the projects the reader may see (a SELECT of ``projects.id``); None: every project.
            Set by the web application's permission filter, never from the query string.
    """

    q: str | None = None
    year: int | None = None
    department: int | None = None
    unit: int | None = None
    kind: str | None = None
    grade: str | None = None
    code: str | None = None
    score_min: float | None = None
    score_max: float | None = None
    within: Select[Any] | None = field(default=None, compare=False)

    def key(self) -> tuple[Any, ...]:
        return (
            self.q,
            self.year,
            self.department,
            self.unit,
            self.kind,
            self.grade,
            self.code,
            self.score_min,
            self.score_max,
        )


def _doc_exists(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """A current document of the project satisfies every condition.  An uncorrelated IN (computed once over
    the documents index, not once per project as a correlated EXISTS is)."""
    pr, ln, d = schema.projects, schema.links, schema.documents
    return pr.c.id.in_(
        select(ln.c.project_id)
        .select_from(ln.join(d, d.c.id == ln.c.document_id))
        .where(_current(), *conditions)
    )


def _score_100() -> ColumnElement[Any]:
    """A document's score on a 100-point scale (self-evaluations by their printed 总分值)."""
    d = schema.documents
    return case(
        (
            d.c.kind == "self_evaluation",
            d.c.total_score * 100.0 / func.coalesce(func.nullif(d.c.total_weight, 0), 100.0),
        ),
        else_=d.c.score,
    )


def _pattern(word: str) -> str:
    """LIKE's pattern for names containing ``word`` (escaped with a backslash)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def name_match(conn: Connection, q: str) -> ColumnElement[bool]:
    """Projects whose name contains ``q``: the FTS5 trigram index on SQLite, the pg_trgm index on PostgreSQL."""
    pr = schema.projects
    words = [w for w in q.split() if w]
    if not words:
        return pr.c.id.is_not(None)
    conds: list[ColumnElement[bool]] = []
    sqlite = conn.dialect.name == "sqlite"
    for w in words:
        if sqlite and len(w) >= _FTS_MIN:
            phrase = '"' + w.replace('"', '""') + '"'
            sub = text("SELECT rowid FROM search_projects_fts WHERE search_projects_fts MATCH :p").bindparams(
                p=phrase
            )
            conds.append(pr.c.id.in_(sub.columns(literal_column("rowid"))))
        else:  # shorter than a trigram: a substring test (PostgreSQL's LIKE and ILIKE use the trigram index)
            pattern = _pattern(w)
            # a word without cased letters (Chinese, digits) is matched by LIKE: the same rows as ILIKE, without
            # lowercasing every name it tests (ILIKE's recheck costs twice LIKE's on Chinese names)
            cased = not sqlite and any(c.lower() != c.upper() for c in w)
            conds.append(
                pr.c.name.ilike(pattern, escape="\\") if cased else pr.c.name.like(pattern, escape="\\")
            )
    return and_(*conds)


def project_conditions(
    conn: Connection, f: ProjectFilter, *, skip: str | None = None, facts: bool = False, probe: bool = False
) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``projects`` for the filter; ``skip`` leaves one facet out (for its own counts);
    ``facts``: test year, kind, grade and code on the facet facts (fresh ones only) instead of the documents."""
    pr, d, fi = schema.projects, schema.documents, schema.findings
    out: list[ColumnElement[bool]] = []
    if f.within is not None:
        out.append(pr.c.id.in_(f.within))
    if f.q:
        out.append(name_match(conn, f.q))
    if f.department is not None and skip != "department":
        out.append(pr.c.department_id == f.department)
    if f.unit is not None and skip != "unit":
        out.append(pr.c.unit_id == f.unit)
    if facts:
        for name in DOCUMENT_FACETS:
            value = getattr(f, name)
            if value is not None and skip != name:
                out.append(_has_fact(name, value, probe=probe))
        return out + _score_condition(f, skip)
    if f.year is not None and skip != "year":
        out.append(_doc_exists(d.c.year == f.year))
    if f.kind is not None and skip != "kind":
        out.append(_doc_exists(d.c.kind == f.kind))
    if f.grade is not None and skip != "grade":
        out.append(_doc_exists(or_(d.c.grade == f.grade, d.c.conclusion == f.grade)))
    if f.code is not None and skip != "code":
        out.append(
            _doc_exists(exists(select(fi.c.id).where(fi.c.document_id == d.c.id, fi.c.code == f.code)))
        )
    return out + _score_condition(f, skip)


def _score_condition(f: ProjectFilter, skip: str | None) -> list[ColumnElement[bool]]:
    if (f.score_min is None and f.score_max is None) or skip == "score":
        return []
    d, s = schema.documents, _score_100()
    conds: list[ColumnElement[bool]] = [d.c.kind.in_(SCORED_KINDS), s.is_not(None)]
    if f.score_min is not None:
        conds.append(s >= f.score_min)
    if f.score_max is not None:
        conds.append(s <= f.score_max)
    return [_doc_exists(*conds)]


@dataclass(slots=True)
class ProjectRow:
    """One line of the project list."""

    id: int
    name: str
    department_id: int | None
    department: str | None
    unit_id: int | None
    unit: str | None
    years: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    documents: int = 0
    score: float | None = None  # the latest score on 100 (self-evaluation or evaluation result)
    grade: str | None = None
    findings: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "department_id": self.department_id,
            "department": self.department,
            "unit_id": self.unit_id,
            "unit": self.unit,
            "years": self.years,
            "kinds": self.kinds,
            "documents": self.documents,
            "score": self.score,
            "grade": self.grade,
            "findings": {s: self.findings.get(s, 0) for s in SEVERITIES},
        }


@dataclass(slots=True)
class Page:
    """A keyset page: its rows and the ``after`` value of the next page (None on the last)."""

    rows: list[Any]
    after: int | None


def _org_names(conn: Connection, ids: set[int]) -> dict[int, str]:
    org = schema.organisations
    if not ids:
        return {}
    return {
        int(i): str(n) for i, n in conn.execute(select(org.c.id, org.c.name).where(org.c.id.in_(sorted(ids))))
    }


def project_page(
    conn: Connection,
    f: ProjectFilter,
    *,
    after: int | None = None,
    limit: int = 50,
    fresh: bool | None = None,
) -> Page:
    """Projects matching ``f`` ordered by name then id, ``limit`` of them after project ``after``.  ``fresh``:
    whether the facet facts are (:func:`snapshot`; asked when None), here and in the functions below."""
    pr = schema.projects
    fresh = facts_fresh(conn) if fresh is None else fresh
    conds = project_conditions(conn, f, facts=fresh, probe=fresh and _probe(conn, f))
    last: tuple[Any, ...] | None = None
    if after is not None:
        found = conn.execute(select(pr.c.name, pr.c.id).where(pr.c.id == after)).first()
        if found is None:
            return Page([], None)
        last = tuple(found)
    columns = (pr.c.id, pr.c.name, pr.c.department_id, pr.c.unit_id)
    if f.q and f.q.split():
        rows = _searched_rows(conn, f, columns, last, limit + 1, fresh=fresh)
    else:
        q = select(*columns).where(*conds, *_after(pr, last)).order_by(pr.c.name, pr.c.id)
        rows = list(conn.execute(q.limit(limit + 1)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    names = _org_names(conn, {int(x) for r in rows for x in (r.department_id, r.unit_id) if x is not None})
    out = [
        ProjectRow(
            int(r.id),
            str(r.name),
            r.department_id,
            names.get(r.department_id) if r.department_id is not None else None,
            r.unit_id,
            names.get(r.unit_id) if r.unit_id is not None else None,
        )
        for r in rows
    ]
    _fill_rows(conn, out)
    return Page(out, out[-1].id if more and out else None)


def _after(source: Any, last: tuple[Any, ...] | None) -> list[ColumnElement[bool]]:
    """The keyset condition: (name, id) of ``source`` after the previous page's last project."""
    return [] if last is None else [tuple_(source.c.name, source.c.id) > tuple_(*last)]


_WALK = 2000  # names a search's page looks through in name order before it turns to the name index


def _searched_rows(
    conn: Connection,
    f: ProjectFilter,
    columns: Sequence[Any],
    last: tuple[Any, ...] | None,
    n: int,
    *,
    fresh: bool,
) -> list[Any]:
    """The first ``n`` projects of a name search in name order (after ``last``, the previous page's name and
    id).  A common word fills the page within the next :data:`_WALK` names of the name index: one bounded
    walk, its names tested as they come (a word without cased letters: the same substring test as the
    full-text index's).  Otherwise the full-text (trigram) index's matches are gathered first, materialized so
    that no planner walks the name index past them (the projects of one district's word sit together in name
    order: a walk planned from their share of the store reads tens of thousands of names before it reaches
    them), and the page is a top-N sort of them.  Words shorter than a trigram, which no index finds, are
    tested along the name index until the page is full."""
    pr = schema.projects
    others = project_conditions(conn, replace(f, q=None), facts=fresh)
    words = (f.q or "").split()

    def page(source: Any, *tests: ColumnElement[bool]) -> list[Any]:
        within = [source.c.id.in_(select(pr.c.id).where(*others))] if others else []
        q = (
            select(*(source.c[c.name] for c in columns))
            .where(*tests, *within, *_after(source, last))
            .order_by(source.c.name, source.c.id)
            .limit(n)
        )
        return list(conn.execute(q).all())

    if all(len(w) < _FTS_MIN for w in words):  # no index finds such a word: the name index walked, tested
        return page(pr, name_match(conn, f.q or ""))
    if not any(c.lower() != c.upper() for w in words for c in w):
        walk = select(*columns).where(*_after(pr, last)).order_by(pr.c.name, pr.c.id).limit(_WALK).subquery()
        rows = page(walk, *(walk.c.name.like(_pattern(w), escape="\\") for w in words))
        if len(rows) >= n:
            return rows
    matched = select(*columns).where(name_match(conn, f.q or "")).cte("name_matches")
    return page(matched.prefix_with("MATERIALIZED"))


def _fill_rows(conn: Connection, rows: Sequence[ProjectRow]) -> None:
    """Years, kinds, latest score and grade, finding counts of each listed project (two indexed queries)."""
    if not rows:
        return
    ln, d, fi = schema.links, schema.documents, schema.findings
    by_id = {r.id: r for r in rows}
    q = (
        select(ln.c.project_id, d.c.kind, d.c.year, _score_100().label("s"), d.c.grade, d.c.conclusion)
        .join(d, d.c.id == ln.c.document_id)
        .where(ln.c.project_id.in_(list(by_id)), _current())
    )
    latest: dict[int, tuple[int, int]] = {}
    years: dict[int, set[int]] = defaultdict(set)
    kinds: dict[int, set[str]] = defaultdict(set)
    for pid, kind, year, s, grade, conclusion in conn.execute(q):
        row = by_id[int(pid)]
        row.documents += 1
        if year is not None:
            years[row.id].add(int(year))
        kinds[row.id].add(str(kind))
        if kind in SCORED_KINDS and s is not None:
            rank = (year or 0, 1 if kind == "evaluation_result" else 0)
            if row.id not in latest or rank > latest[row.id]:
                latest[row.id] = rank
                row.score = round(float(s), 2)
                row.grade = grade or conclusion
    order = {"target_declaration": 0, "self_evaluation": 1, "evaluation_result": 2}
    for row in rows:
        row.years = sorted(years[row.id])
        row.kinds = sorted(kinds[row.id], key=lambda k: order.get(k, 9))
    fq = (
        select(ln.c.project_id, fi.c.severity, func.count())
        .select_from(fi.join(ln, ln.c.document_id == fi.c.document_id).join(d, d.c.id == fi.c.document_id))
        .where(ln.c.project_id.in_(list(by_id)), _current())
        .group_by(ln.c.project_id, fi.c.severity)
    )
    for pid, sev, n in conn.execute(fq):
        by_id[int(pid)].findings[str(sev)] = int(n)


def count_projects(conn: Connection, f: ProjectFilter, *, fresh: bool | None = None) -> int:
    pr = schema.projects
    conds = project_conditions(conn, f, facts=facts_fresh(conn) if fresh is None else fresh)
    return int(conn.execute(select(func.count()).select_from(pr).where(*conds)).scalar_one())


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str | int
    label: str
    count: int


KIND_LABELS = {
    "target_declaration": "绩效目标申报表",
    "self_evaluation": "绩效自评表",
    "evaluation_result": "绩效评价结果",
}


def facets(conn: Connection, f: ProjectFilter, *, fresh: bool | None = None) -> dict[str, list[FacetValue]]:
    """For each facet, its values with the number of projects that the other filters leave (datasette's
    manner: choosing a value of a facet does not hide that facet's other values).

    From the facet facts when they are fresh: the kept counts when at most one of year, kind, grade, code is
    chosen (and nothing else), else counts over the facts of the matching projects; from the documents
    when the facts are stale."""
    if not (facts_fresh(conn) if fresh is None else fresh):
        return _facets_live(conn, f)
    chosen = {name: getattr(f, name) for name in FACETS if getattr(f, name) is not None}
    extra = f.q is not None or f.score_min is not None or f.score_max is not None or f.within is not None
    groups: dict[frozenset[str], list[str]] = defaultdict(list)  # facets by the filters that apply to them
    for name in FACETS:
        groups[frozenset(k for k in chosen if k != name)].append(name)
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for applied, names in groups.items():
        for facet, value, n in _fact_counts(conn, f, chosen, applied, names, extra):
            found[facet].append((value, n))
    out: dict[str, list[FacetValue]] = {}
    out["year"] = sorted(
        (FacetValue(int(v), f"{v}年", n) for v, n in found["year"]), key=lambda x: -int(x.value)
    )
    out["kind"] = [
        FacetValue(k, KIND_LABELS[k], n) for k in KIND_LABELS for v, n in found["kind"] if v == k
    ] + [FacetValue(v, v, n) for v, n in found["kind"] if v not in KIND_LABELS]
    out["grade"] = [FacetValue(v, v, n) for v, n in sorted(found["grade"])]
    out["code"] = sorted(
        (FacetValue(v, v, n) for v, n in found["code"]), key=lambda x: (-x.count, str(x.value))
    )
    labels = _org_names(conn, {int(v) for name in ("department", "unit") for v, _n in found[name]})
    for name in ("department", "unit"):
        values = (FacetValue(int(v), labels.get(int(v), v), n) for v, n in found[name])
        out[name] = sorted(values, key=lambda x: (-x.count, x.label))[:50]
    return out


def _fact_counts(
    conn: Connection,
    f: ProjectFilter,
    chosen: dict[str, Any],
    applied: frozenset[str],
    names: list[str],
    extra: bool,
) -> list[tuple[str, str, int]]:
    """(facet, value, projects) of ``names`` among the projects that the ``applied`` facet filters (and the
    search, score range and scope) leave: the kept counts when they cover the filters, else the matching
    projects grouped by their facet profile, 主管部门 and 实施单位 (one primary-key probe per project, a few
    thousand groups even when a common word matches half the store), the groups' facts summed here."""
    fc, pr, pp, pk = facet_counts_table, schema.projects, profiles_table, profile_keys_table
    if not extra and (not applied or (len(applied) == 1 and next(iter(applied)) in DOCUMENT_FACETS)):
        key, value = next(((k, str(chosen[k])) for k in applied), ("", ""))
        q = select(fc.c.facet, fc.c.value, fc.c.n).where(
            fc.c.filter_facet == key, fc.c.filter_value == value, fc.c.facet.in_(names)
        )
        return [(str(a), str(b), int(n)) for a, b, n in conn.execute(q)]
    g = replace(f, **{k: None for k in FACETS if k not in applied})
    matching = select(pr.c.id).where(*project_conditions(conn, g, facts=True))
    doc_facets = [n for n in names if n in DOCUMENT_FACETS]
    orgs = [n for n in ("department", "unit") if n in names]
    keys = ([pp.c.profile_id] if doc_facets else []) + [pp.c[n] for n in orgs]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    if not keys:
        return []
    by_profile: dict[int, int] = defaultdict(int)  # summed per profile first: a few hundred to expand
    q = select(*keys, func.count()).where(pp.c.project_id.in_(matching)).group_by(*keys)
    for row in conn.execute(q).all():
        n, at = int(row[-1]), 0
        if doc_facets:
            by_profile[int(row[0])] += n
            at = 1
        for name, value in zip(orgs, row[at:-1], strict=True):
            if value is not None:
                counts[(name, str(value))] += n
    numbers = sorted(by_profile)
    for i in range(0, len(numbers), _BATCH):
        q = select(pk.c.id, pk.c.profile).where(pk.c.id.in_(numbers[i : i + _BATCH]))
        for row in conn.execute(q):
            n = by_profile[int(row[0])]
            for facet, value in json.loads(str(row[1])):
                if facet in doc_facets:
                    counts[(str(facet), str(value))] += n
    return [(facet, value, n) for (facet, value), n in counts.items()]


def _facets_live(conn: Connection, f: ProjectFilter) -> dict[str, list[FacetValue]]:
    """:func:`facets` from the documents (the facts are stale: an ingest or link decision since they were
    refreshed)."""
    pr, ln, d, fi = schema.projects, schema.links, schema.documents, schema.findings
    out: dict[str, list[FacetValue]] = {}

    def matching(skip: str) -> Select[Any]:
        return select(pr.c.id).where(*project_conditions(conn, f, skip=skip))

    def over_documents(
        skip: str, column: ColumnElement[Any], *where: ColumnElement[bool]
    ) -> list[tuple[Any, int]]:
        q = (
            select(column.label("v"), func.count(func.distinct(ln.c.project_id)))
            .select_from(ln.join(d, d.c.id == ln.c.document_id))
            .where(_current(), column.is_not(None), ln.c.project_id.in_(matching(skip)), *where)
            .group_by(column)
        )
        return [(v, int(n)) for v, n in conn.execute(q)]

    out["year"] = [
        FacetValue(int(v), f"{v}年", n) for v, n in sorted(over_documents("year", d.c.year), reverse=True)
    ]
    kinds = sorted(
        over_documents("kind", d.c.kind),
        key=lambda x: (list(KIND_LABELS).index(x[0]) if x[0] in KIND_LABELS else 9, str(x[0])),
    )
    out["kind"] = [FacetValue(str(v), KIND_LABELS.get(str(v), str(v)), n) for v, n in kinds]
    grade = func.coalesce(d.c.grade, d.c.conclusion)
    out["grade"] = [FacetValue(str(v), str(v), n) for v, n in sorted(over_documents("grade", grade))]
    cq = (
        select(fi.c.code, func.count(func.distinct(ln.c.project_id)))
        .select_from(fi.join(ln, ln.c.document_id == fi.c.document_id).join(d, d.c.id == fi.c.document_id))
        .where(_current(), ln.c.project_id.in_(matching("code")))
        .group_by(fi.c.code)
    )
    out["code"] = sorted(
        (FacetValue(str(c), str(c), int(n)) for c, n in conn.execute(cq)),
        key=lambda x: (-x.count, str(x.value)),
    )
    for name, column in (("department", pr.c.department_id), ("unit", pr.c.unit_id)):
        q = (
            select(column, func.count())
            .where(column.is_not(None), *project_conditions(conn, f, skip=name))
            .group_by(column)
        )
        counts = [(int(v), int(n)) for v, n in conn.execute(q)]
        names = _org_names(conn, {v for v, _n in counts})
        out[name] = sorted(
            (FacetValue(v, names.get(v, str(v)), n) for v, n in counts), key=lambda x: (-x.count, x.label)
        )[:50]
    return out


def organisation(conn: Connection, org_id: int) -> str | None:
    return _org_names(conn, {org_id}).get(org_id)


# --- findings list --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FindingFilter:
    code: str | None = None
    severity: str | None = None
    year: int | None = None
    department: int | None = None
    project: int | None = None
    within: Select[Any] | None = field(default=None, compare=False)  # as ProjectFilter.within


@dataclass(slots=True)
class FindingRow:
    id: int
    code: str
    severity: str
    message: str
    subject: str | None
    expected: Any
    actual: Any
    source: dict[str, Any] | None
    document_id: int
    kind: str
    year: int | None
    project_id: int | None
    project: str | None
    department: str | None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def _finding_query(f: FindingFilter) -> Select[Any]:
    fi, d, ln, pr, org = (
        schema.findings,
        schema.documents,
        schema.links,
        schema.projects,
        schema.organisations,
    )
    q = (
        select(
            fi.c.id,
            fi.c.code,
            fi.c.severity,
            fi.c.message,
            fi.c.subject,
            fi.c.expected,
            fi.c.actual,
            fi.c.source,
            d.c.id.label("document_id"),
            d.c.kind,
            d.c.year,
            ln.c.project_id,
            pr.c.name.label("project"),
            org.c.name.label("department"),
        )
        .select_from(
            fi.join(d, d.c.id == fi.c.document_id)
            .outerjoin(ln, ln.c.document_id == d.c.id)
            .outerjoin(pr, pr.c.id == ln.c.project_id)
            .outerjoin(org, org.c.id == d.c.department_id)
        )
        .where(_current())
    )
    if f.code:
        q = q.where(fi.c.code == f.code)
    if f.severity:
        q = q.where(fi.c.severity == f.severity)
    if f.year is not None:
        q = q.where(d.c.year == f.year)
    if f.department is not None:
        q = q.where(d.c.department_id == f.department)
    if f.project is not None:
        q = q.where(ln.c.project_id == f.project)
    if f.within is not None:
        q = q.where(ln.c.project_id.in_(f.within))
    return q


def findings_page(conn: Connection, f: FindingFilter, *, after: int | None = None, limit: int = 100) -> Page:
    """Findings of current documents, newest first by id, ``limit`` of them after finding ``after``."""
    fi = schema.findings
    q = _finding_query(f)
    if after is not None:
        q = q.where(fi.c.id < after)
    rows = conn.execute(q.order_by(fi.c.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    out = [FindingRow(**dict(r._mapping)) for r in rows[:limit]]
    return Page(out, out[-1].id if more and out else None)


def finding_counts(conn: Connection, f: FindingFilter) -> dict[str, dict[str, int]]:
    """Counts by code and by severity under the filter (the 问题清单's facets)."""
    sub = _finding_query(f).subquery()
    by_code = {str(c): int(n) for c, n in conn.execute(select(sub.c.code, func.count()).group_by(sub.c.code))}
    by_sev = {
        str(s): int(n) for s, n in conn.execute(select(sub.c.severity, func.count()).group_by(sub.c.severity))
    }
    by_year = {
        str(y): int(n)
        for y, n in conn.execute(
            select(sub.c.year, func.count()).where(sub.c.year.is_not(None)).group_by(sub.c.year)
        )
    }
    return {"code": by_code, "severity": by_sev, "year": by_year}


# --- dashboards -----------------------------------------------------------------------------------------------


def _self_evals() -> Select[Any]:
    """Current self-evaluations with their 年度资金总额 line (the first fund line), project and department."""
    d, fu, ln, org = schema.documents, schema.funds, schema.links, schema.organisations
    return (
        select(
            d.c.id,
            d.c.year,
            d.c.project_name,
            ln.c.project_id,
            org.c.name.label("department"),
            d.c.department_id,
            fu.c.annual_budget,
            fu.c.executed,
            fu.c.execution_rate,
            _score_100().label("score"),
            d.c.grade,
        )
        .select_from(
            d.outerjoin(fu, and_(fu.c.document_id == d.c.id, fu.c.ordinal == 1))
            .outerjoin(ln, ln.c.document_id == d.c.id)
            .outerjoin(org, org.c.id == d.c.department_id)
        )
        .where(_current(), d.c.kind == "self_evaluation")
    )


def _docs_within(within: Select[Any] | None) -> list[ColumnElement[bool]]:
    """Documents linked to a project of ``within`` (no condition when None)."""
    if within is None:
        return []
    ln = schema.links
    return [schema.documents.c.id.in_(select(ln.c.document_id).where(ln.c.project_id.in_(within)))]


SCATTER_POINTS = 500  # the scatter (and the table under it) shows at most this many self-evaluations
GAP_ROWS = 100  # 自评虚高: the projects with the largest gap


def execution_vs_score(
    conn: Connection,
    department: int | None = None,
    limit: int = SCATTER_POINTS,
    *,
    within: Select[Any] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Points of 执行率 (the total fund line) against 自评分 on 100, one per self-evaluation, and how many
    self-evaluations there are: all of them up to ``limit``, beyond that an even sample (by a hash of the
    document id, so the same points every time) of about ``limit``."""
    d, fu = schema.documents, schema.funds
    q = _self_evals().where(
        fu.c.execution_rate.is_not(None), _score_100().is_not(None), *_docs_within(within)
    )
    if department is not None:
        q = q.where(d.c.department_id == department)
    sub = q.subquery()
    total = int(conn.execute(select(func.count()).select_from(sub)).scalar_one())
    if total > limit:
        step = -(-total // limit)
        spread = cast(d.c.id, BigInteger) * literal(2654435761, BigInteger) % literal(4294967296, BigInteger)
        q = q.where(spread % step == 0)
    q = q.order_by(d.c.id).limit(limit)
    points = [
        {
            "document_id": int(r.id),
            "project_id": r.project_id,
            "project": r.project_name,
            "year": r.year,
            "department": r.department,
            "execution_rate": round(float(r.execution_rate), 2),
            "score": round(float(r.score), 2),
        }
        for r in conn.execute(q)
    ]
    return points, total


def grade_distribution(
    conn: Connection, department: int | None = None, *, within: Select[Any] | None = None
) -> list[dict[str, Any]]:
    """Self-evaluation grades and evaluation conclusions per year (for the store: over every department, for a
    department: its own)."""
    d, org = schema.documents, schema.organisations
    grade = func.coalesce(d.c.grade, d.c.conclusion)
    q = (
        select(d.c.year, d.c.kind, grade.label("grade"), func.count())
        .where(_current(), d.c.kind.in_(SCORED_KINDS), grade.is_not(None), *_docs_within(within))
        .group_by(d.c.year, d.c.kind, grade)
        .order_by(d.c.year, grade, d.c.kind)
    )
    name = None
    if department is not None:
        q = q.where(d.c.department_id == department)
        name = conn.execute(select(org.c.name).where(org.c.id == department)).scalar()
    return [
        {"year": y, "department": name, "kind": str(k), "grade": str(g), "count": int(n)}
        for y, k, g, n in conn.execute(q)
    ]


def self_vs_external(
    conn: Connection,
    department: int | None = None,
    limit: int = GAP_ROWS,
    *,
    within: Select[Any] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """自评虚高: per project with both, its latest self-evaluation score against its latest evaluation score;
    the ``limit`` projects with the largest gap (self minus external) first, and how many projects have both."""
    d, ln, pr = schema.documents, schema.links, schema.projects
    s100 = _score_100()
    rank = func.row_number().over(
        partition_by=(ln.c.project_id, d.c.kind), order_by=(func.coalesce(d.c.year, 0).desc(), d.c.id.desc())
    )
    # a department's projects are found by index and their documents through the links; the store's by kind
    kind = (
        d.c.kind if department is None else d.c.kind + ""
    )  # (the concatenation keeps SQLite off the kind index)
    scored = (
        select(ln.c.project_id, d.c.kind, d.c.year, s100.label("s"), rank.label("r"))
        .select_from(ln.join(d, d.c.id == ln.c.document_id))
        .where(_current(), kind.in_(SCORED_KINDS), s100.is_not(None))
    )
    if department is not None:
        scored = scored.where(ln.c.project_id.in_(select(pr.c.id).where(pr.c.department_id == department)))
    if within is not None:
        scored = scored.where(ln.c.project_id.in_(within))
    ranked = scored.subquery()
    self_, ext = ranked.c.kind == "self_evaluation", ranked.c.kind == "evaluation_result"
    ss = func.max(case((self_, ranked.c.s))).label("ss")
    es = func.max(case((ext, ranked.c.s))).label("es")
    per_project = (
        select(
            ranked.c.project_id,
            func.max(case((self_, ranked.c.year))).label("sy"),
            ss,
            func.max(case((ext, ranked.c.year))).label("ey"),
            es,
        )
        .where(ranked.c.r == 1)
        .group_by(ranked.c.project_id)
        .having(and_(ss.is_not(None), es.is_not(None)))
        .subquery()
    )
    gap = (per_project.c.ss - per_project.c.es).label("gap")
    q = (
        select(
            per_project.c.project_id, pr.c.name, per_project.c.sy, per_project.c.ss, per_project.c.ey,
            per_project.c.es, func.count().over().label("total"),
        )
        .join(pr, pr.c.id == per_project.c.project_id)
        .order_by(gap.desc(), pr.c.name, per_project.c.project_id)
        .limit(limit)
    )  # fmt: skip
    found = conn.execute(q).all()
    total = int(found[0].total) if found else 0
    rows = [
        {
            "project_id": int(pid),
            "project": str(name),
            "self_year": sy or None,
            "self_score": round(float(ss), 2),
            "external_year": ey or None,
            "external_score": round(float(es), 2),
            "gap": round(float(ss) - float(es), 2),
        }
        for pid, name, sy, ss, ey, es, _total in found
    ]
    return rows, total


def department_rollup(
    conn: Connection, department: int | None = None, *, within: Select[Any] | None = None
) -> list[dict[str, Any]]:
    """Per 主管部门 (or, with ``department``, per project of it): projects, budget, executed, execution rate,
    mean self-evaluation score, findings."""
    d, fi, ln = schema.documents, schema.findings, schema.links
    se = _self_evals().subquery()
    label: ColumnElement[Any]
    if department is None:
        key, label = se.c.department_id, se.c.department
        where: list[ColumnElement[bool]] = []
    else:
        key, label = se.c.project_id, func.max(se.c.project_name)
        where = [se.c.department_id == department]
    if within is not None:
        where.append(se.c.project_id.in_(within))
    q = (
        select(
            key.label("key"),
            label.label("label"),
            func.count(func.distinct(se.c.project_id)),
            func.sum(se.c.annual_budget),
            func.sum(se.c.executed),
            func.avg(se.c.score),
            func.count(),
        )
        .where(*where)
        .group_by(key, *([label] if department is None else []))
    )
    rows: dict[Any, dict[str, Any]] = {}
    for k, name, projects, budget, executed, mean, docs in conn.execute(q):
        rate = None if not budget or executed is None else round(float(executed) * 100.0 / float(budget), 2)
        rows[k] = {
            "key": k,
            "name": name or "（未填主管部门）",
            "projects": int(projects),
            "documents": int(docs),
            "budget": None if budget is None else round(float(budget), 2),
            "executed": None if executed is None else round(float(executed), 2),
            "execution_rate": rate,
            "mean_score": None if mean is None else round(float(mean), 2),
            "findings": 0,
        }
    if department is None:
        fq = (
            select(d.c.department_id, func.count())
            .select_from(fi.join(d, d.c.id == fi.c.document_id))
            .where(_current(), *_docs_within(within))
            .group_by(d.c.department_id)
        )
    else:
        fq = (
            select(ln.c.project_id, func.count())
            .select_from(fi.join(d, d.c.id == fi.c.document_id).join(ln, ln.c.document_id == d.c.id))
            .where(_current(), d.c.department_id == department, *_docs_within(within))
            .group_by(ln.c.project_id)
        )
    for k, n in conn.execute(fq):
        if k in rows:
            rows[k]["findings"] = int(n)
    return sorted(rows.values(), key=lambda r: (-r["projects"], str(r["name"])))


def dashboards(
    conn: Connection,
    department: int | None = None,
    *,
    within: Select[Any] | None = None,
    fresh: bool | None = None,
) -> dict[str, Any]:
    """The dashboards' figures, of the whole store or of one 主管部门: as the last refresh kept them when the
    facts are fresh (:func:`snapshot`; asked when None), else computed (and always for a reader's scope)."""
    if within is None and (facts_fresh(conn) if fresh is None else fresh):
        key = "dashboards" if department is None else f"dashboards:{department}"
        body = conn.execute(select(cache_table.c.body).where(cache_table.c.key == key)).scalar()
        if body is not None:
            kept: dict[str, Any] = json.loads(body)
            return kept
    return _dashboards(conn, department, within)


def _dashboards(conn: Connection, dept: int | None, within: Select[Any] | None) -> dict[str, Any]:
    points, evaluations = execution_vs_score(conn, dept, within=within)
    gaps, pairs = self_vs_external(conn, dept, within=within)
    return {
        "dept": dept,
        "dept_name": organisation(conn, dept) if dept is not None else None,
        "execution_vs_score": points,
        "self_evaluations": evaluations,
        "grades": grade_distribution(conn, dept, within=within),
        "self_vs_external": gaps,
        "self_vs_external_total": pairs,
        "departments": department_rollup(conn, dept, within=within),
    }


def linked_project(conn: Connection, document_id: int) -> int | None:
    ln = schema.links
    pid = conn.execute(select(ln.c.project_id).where(ln.c.document_id == document_id)).scalar()
    return None if pid is None else int(pid)


def source_file(conn: Connection, sha256: str) -> tuple[str, bytes] | None:
    """A stored original: its first name and bytes."""
    sf = schema.source_files
    row = conn.execute(select(sf.c.name, sf.c.content).where(sf.c.sha256 == sha256)).first()
    return None if row is None else (str(row[0]), bytes(row[1]))


def document_file(conn: Connection, document_id: int) -> tuple[str, int, str | None] | None:
    """A document's file: SHA-256, position in the file, and the path it was last seen at."""
    d, fp = schema.documents, schema.file_paths
    row = conn.execute(select(d.c.sha256, d.c.ordinal).where(d.c.id == document_id)).first()
    if row is None:
        return None
    path = conn.execute(
        select(fp.c.path).where(fp.c.sha256 == row[0]).order_by(fp.c.seen_at.desc(), fp.c.id.desc()).limit(1)
    ).scalar()
    return str(row[0]), int(row[1]), None if path is None else str(path)


# --- the 工作台 ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Overview:
    """The store at a glance (what ``jixiao summary`` prints), computed in SQL so that it stays fast on a large
    store, for the projects of ``within``."""

    documents: list[dict[str, Any]]
    files: int
    projects: int
    findings: dict[str, int]
    codes: list[dict[str, Any]]
    lowest: list[dict[str, Any]]
    most_flagged: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "files": self.files,
            "projects": self.projects,
            "findings": self.findings,
            "top_codes": self.codes,
            "lowest_scored": self.lowest,
            "most_flagged": self.most_flagged,
        }


def _year(k2: str) -> int | None:
    return int(k2) if k2 else None


def _doc_order(row: dict[str, Any]) -> tuple[str, int, int]:
    return (row["kind"], 0 if row["year"] is None else 1, row["year"] or 0)


def kept_totals(conn: Connection) -> dict[str, dict[tuple[str, str], int]]:
    """The maintained totals (migration 0007), by what they count: ``doc`` (kind, year), ``finding``
    (severity, code), ``projects``, ``across_years``, ``across_kinds``, ``files`` (key ('', ''))."""
    tt = totals_table
    out: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for what, k1, k2, n in conn.execute(select(tt.c.what, tt.c.k1, tt.c.k2, tt.c.n)):
        out[str(what)][(str(k1), str(k2))] = int(n)
    return out


def overview_files(conn: Connection, within: Select[Any] | None = None) -> int:
    """Files holding a current document (counted from the ``current, sha256`` index of migration 0004)."""
    d = schema.documents
    scope = [_current(), *_docs_within(within)]
    return int(conn.execute(select(func.count(func.distinct(d.c.sha256))).where(*scope)).scalar_one())


def kept_files(conn: Connection, totals: dict[str, dict[tuple[str, str], int]]) -> int:
    """The files holding a current document, from ``totals`` (:func:`kept_totals`) as the last refresh kept
    them; counted when it kept none (facts refreshed by a version before the figure was kept)."""
    files = totals.get("files", {}).get(("", ""))
    return overview_files(conn) if files is None else files


def _kept_overview(conn: Connection, top: int) -> Overview:
    """:func:`overview` of the whole store from the maintained figures: a fixed number of short reads."""
    st, d = stats_table, schema.documents
    totals = kept_totals(conn)
    docs = sorted(
        ({"kind": k, "year": _year(y), "count": n} for (k, y), n in totals["doc"].items()), key=_doc_order
    )
    sev: dict[str, int] = defaultdict(int)
    by_code: dict[str, int] = defaultdict(int)
    for (s, c), n in totals["finding"].items():
        sev[s] += n
        by_code[c] += n
    codes = [{"code": c, "count": n} for c, n in sorted(by_code.items(), key=lambda x: (-x[1], x[0]))[:top]]
    lowest = [
        {
            "project_id": int(pid),
            "name": str(name),
            "document_id": int(did),
            "kind": str(kind),
            "year": year,
            "score": round(float(s), 2),
        }
        for pid, name, did, kind, year, s in conn.execute(
            select(st.c.project_id, st.c.name, st.c.latest_document_id, d.c.kind, d.c.year, st.c.latest_score)
            .join(d, d.c.id == st.c.latest_document_id)
            .where(st.c.latest_score.is_not(None))
            .order_by(st.c.latest_score, st.c.name, st.c.project_id)
            .limit(top)
        )
    ]
    flagged = [
        {"project_id": int(pid), "name": str(name), "errors": int(e), "warnings": int(w), "infos": int(i)}
        for pid, name, e, w, i in conn.execute(
            select(st.c.project_id, st.c.name, st.c.errors, st.c.warnings, st.c.infos)
            .where((st.c.errors + st.c.warnings + st.c.infos) > 0)
            .order_by(st.c.errors.desc(), st.c.flagged.desc(), st.c.infos.desc(), st.c.name, st.c.project_id)
            .limit(top)
        )
    ]
    projects = totals["projects"].get(("", ""), 0)
    findings = {s: sev.get(s, 0) for s in SEVERITIES}
    return Overview(docs, kept_files(conn, totals), projects, findings, codes, lowest, flagged)


def overview(
    conn: Connection, *, within: Select[Any] | None = None, top: int = 5, fresh: bool | None = None
) -> Overview:
    """The 工作台's figures: from the maintained ones for the whole store when they are fresh (``fresh``:
    :func:`snapshot`'s answer, asked when None), else counted from the documents."""
    if within is None and (facts_fresh(conn) if fresh is None else fresh):
        return _kept_overview(conn, top)
    return _live_overview(conn, within=within, top=top)


def _live_overview(conn: Connection, *, within: Select[Any] | None = None, top: int = 5) -> Overview:
    d, fi, ln, pr = schema.documents, schema.findings, schema.links, schema.projects
    scope = [_current(), *_docs_within(within)]
    docs = sorted(
        (
            {"kind": str(k), "year": y, "count": int(n)}
            for k, y, n in conn.execute(
                select(d.c.kind, d.c.year, func.count()).where(*scope).group_by(d.c.kind, d.c.year)
            )
        ),
        key=_doc_order,
    )
    files = overview_files(conn, within)
    pq = select(func.count()).select_from(pr)
    if within is not None:
        pq = pq.where(pr.c.id.in_(within))
    n_projects = int(conn.execute(pq).scalar_one())
    fjoin = fi.join(d, d.c.id == fi.c.document_id)
    sev = {
        str(s): int(n)
        for s, n in conn.execute(
            select(fi.c.severity, func.count()).select_from(fjoin).where(*scope).group_by(fi.c.severity)
        )
    }
    codes = [
        {"code": str(c), "count": int(n)}
        for c, n in conn.execute(
            select(fi.c.code, func.count().label("n"))
            .select_from(fjoin)
            .where(*scope)
            .group_by(fi.c.code)
            .order_by(func.count().desc(), fi.c.code)
            .limit(top)
        )
    ]
    # lowest: each project's latest scored document (year, evaluation over self-evaluation), lowest on 100 first
    s100 = _score_100()
    rank = func.row_number().over(
        partition_by=ln.c.project_id,
        order_by=(
            func.coalesce(d.c.year, 0).desc(),
            case((d.c.kind == "evaluation_result", 1), else_=0).desc(),
            d.c.id.desc(),
        ),
    )
    latest = (
        select(
            ln.c.project_id, d.c.id.label("document_id"), d.c.kind, d.c.year, s100.label("s"), rank.label("r")
        )
        .select_from(ln.join(d, d.c.id == ln.c.document_id))
        .where(*scope, d.c.kind.in_(SCORED_KINDS), s100.is_not(None))
        .subquery()
    )
    lowest = [
        {
            "project_id": int(pid),
            "name": str(name),
            "document_id": int(did),
            "kind": str(kind),
            "year": year,
            "score": round(float(s), 2),
        }
        for pid, name, did, kind, year, s in conn.execute(
            select(
                latest.c.project_id, pr.c.name, latest.c.document_id, latest.c.kind, latest.c.year, latest.c.s
            )
            .join(pr, pr.c.id == latest.c.project_id)
            .where(latest.c.r == 1)
            .order_by(latest.c.s, pr.c.name, latest.c.project_id)
            .limit(top)
        )
    ]
    errors = func.sum(case((fi.c.severity == "error", 1), else_=0))
    warnings = func.sum(case((fi.c.severity == "warning", 1), else_=0))
    infos = func.sum(case((fi.c.severity == "info", 1), else_=0))
    flagged = [
        {"project_id": int(pid), "name": str(name), "errors": int(e), "warnings": int(w), "infos": int(i)}
        for pid, name, e, w, i in conn.execute(
            select(ln.c.project_id, pr.c.name, errors, warnings, infos)
            .select_from(fjoin.join(ln, ln.c.document_id == d.c.id).join(pr, pr.c.id == ln.c.project_id))
            .where(*scope)
            .group_by(ln.c.project_id, pr.c.name)
            .order_by(errors.desc(), (errors + warnings).desc(), infos.desc(), pr.c.name, ln.c.project_id)
            .limit(top)
        )
    ]
    return Overview(docs, files, n_projects, {s: sev.get(s, 0) for s in SEVERITIES}, codes, lowest, flagged)
