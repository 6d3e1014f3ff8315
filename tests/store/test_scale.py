"""The store's commands at scale: the SQL statements a command or page sends do not grow with the store (a
regression to per-project or per-document Python loops fails here), and on PostgreSQL the list and ``show``
queries are answered through indexes.

The stores are generated from the parsed seeds (renamed projects, shifted years, other units), written as
``jixiao ingest`` writes (group commit) and linked; no timing is asserted (speed lives in ``bench/``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text

from jixiao import ParseResult, parse_file
from jixiao.model import AnyDocument, SelfEvaluation, TargetDeclaration
from jixiao.store import open_engine, relink
from jixiao.store.codec import prepare
from jixiao.store.ingest import FileJob, GroupWriter, sha256, start_run
from jixiao.store.query import _entries_query, document_ids, iter_documents, iter_projects, resolve_project
from jixiao.store.report import summarise
from jixiao.store.search import facts_fresh, refresh_store_facts
from jixiao.store.views import timeline_of
from tests.store.conftest import SEEDS

UNITS = ["东江区教育中心", "南河县服务中心", "西湖市信息中心", "北山区委组织部"]


@cache
def _seeds() -> list[tuple[bytes, list[AnyDocument]]]:
    return [(p.read_bytes(), list(parse_file(p).documents)) for p in SEEDS]


def generate(url: str, documents: int) -> Engine:
    """A store of at least ``documents`` documents, linked: seven years of each generated project."""
    engine = open_engine(url)
    run = start_run(engine, ["test"])
    total, k = 0, 0
    with GroupWriter(engine, run) as writer:
        while total < documents:
            for n, (data, docs) in enumerate(_seeds()):
                made = []
                for doc in docs:
                    update: dict[str, Any] = {
                        "project": f"{doc.project}{k // 7}",
                        "year": (doc.year or 2020) + k % 7,
                    }
                    if isinstance(doc, SelfEvaluation):
                        update["implementing_unit"] = UNITS[(k // 7) % len(UNITS)]
                    elif isinstance(doc, TargetDeclaration):
                        update["unit"] = UNITS[(k // 7) % len(UNITS)]
                    made.append(doc.model_copy(update=update))
                body = data + f"\n生成 {k}\n".encode()
                path = f"/generated/{k:05d}_{n}.txt"
                job = FileJob(path, body, sha256(body))
                writer.add(job, prepare(ParseResult(path, made, []), job.sha256))
                total += len(made)
            k += 1
    relink(engine)
    return engine


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _summary(engine: Engine) -> None:
    with engine.connect() as conn:
        summarise(conn)


def _project_list(engine: Engine) -> None:
    with engine.connect() as conn:
        assert sum(1 for _p in iter_projects(conn)) > 0


def _show(engine: Engine) -> None:
    with engine.connect() as conn:
        (project,) = resolve_project(conn, "P3")
        timeline_of(conn, project)


def _show_by_name(engine: Engine) -> None:
    with engine.connect() as conn:
        found = resolve_project(conn, "干部教育工作经费3")
        assert found
        timeline_of(conn, found[0])


def _summary_counted(engine: Engine) -> None:
    from jixiao.store.report import _counted

    with engine.connect() as conn:
        _counted(conn, 5)


def _page(call: Callable[[Any, Any], Any]) -> Callable[[Engine], None]:
    """A web page kind's reads, its memo emptied first (so the count is the page's own, not a memo hit)."""

    def run(engine: Engine) -> None:
        from jixiao.web import pages
        from jixiao.web.access import Reader, scope_for

        pages.MEMO.data.clear()
        with engine.connect() as conn:
            call(conn, scope_for(Reader(), read_only=True))

    return run


def _web_pages_by_kind() -> dict[str, Callable[[Engine], None]]:
    from jixiao.store import search
    from jixiao.web import pages

    return {
        "web 工作台": _page(lambda c, s: pages.overview(c, s)),
        "web project list": _page(lambda c, s: pages.project_list(c, s, search.ProjectFilter(), None, 50)),
        "web search": _page(
            lambda c, s: pages.project_list(c, s, search.ProjectFilter(q="干部教育"), None, 50)
        ),
        "web timeline": _page(lambda c, s: pages.project_timeline(c, s, 3)),
        "web document": _page(lambda c, s: pages.document_page(c, s, 5)),
        "web findings": _page(lambda c, s: pages.finding_list(c, s, search.FindingFilter(), None, 100)),
        "web rules": _page(lambda c, s: pages.rules(c, s)),
        "web dashboards": _page(lambda c, s: pages.dashboards(c, s, None)),
    }


COMMANDS: dict[str, Callable[[Engine], None]] = {
    "summary": _summary,
    "summary counted": _summary_counted,
    "projects": _project_list,
    "show": _show,
    "show by name": _show_by_name,
    **_web_pages_by_kind(),
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Engine]]:
    folder = tmp_path_factory.mktemp("scale")
    made = {n: generate(f"sqlite:///{folder / f'{n}.db'}", n) for n in (1000, 3000)}
    for engine in made.values():  # as an ingest ends: the summary and the web read the maintained figures
        refresh_store_facts(engine)
        with engine.connect() as conn:
            assert facts_fresh(conn)
    yield made
    for engine in made.values():
        engine.dispose()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_statements_do_not_grow_with_the_store(stores: dict[int, Engine], command: str) -> None:
    counts = {}
    for n, engine in stores.items():
        with counted(engine) as statements:
            COMMANDS[command](engine)
        counts[n] = len(statements)
    assert counts[1000] == counts[3000], counts
    # a handful of statements, not one per project or document (a web page: a few more, for its parts)
    assert counts[1000] <= (30 if command.startswith("web") else 12), counts


def test_export_loads_documents_in_chunks(stores: dict[int, Engine]) -> None:
    """An export streams: a fixed number of statements per chunk of documents, never per document."""
    for engine in stores.values():
        with engine.connect() as conn:
            ids = document_ids(conn)
            with counted(engine) as statements:
                assert sum(1 for _d in iter_documents(conn, ids, chunk=500)) == len(ids)
        chunks = -(-len(ids) // 500)
        assert len(statements) <= 7 * chunks, (len(statements), chunks)  # rows, orgs, 4 child tables, links


def test_postgresql_answers_the_list_and_show_by_index(request: pytest.FixtureRequest) -> None:
    from tests.store.conftest import _pg_schema_url

    urls = _pg_schema_url(request)
    url = next(urls)
    try:
        engine = generate(url, 3000)
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            plans = []
            for fresh in (False, True):  # the figures counted per document, or kept by the facts refresh
                q = _entries_query(conn, [3], fresh=fresh)
                compiled = q.compile(engine, compile_kwargs={"literal_binds": True})
                plans.append("\n".join(str(r[0]) for r in conn.execute(text(f"EXPLAIN {compiled}"))))
        engine.dispose()
        for plan in plans:
            assert "Index" in plan, plan
            assert "links" in plan, plan
            assert "Seq Scan on links" not in plan, plan
            assert "Seq Scan on documents" not in plan, plan
    finally:
        next(urls, None)


# --- the web application's lists, facets and dashboards at scale (facet facts, migration 0006) ---------------


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """bench/web.py's store at 400 projects: the seeds ingested (checked, so with findings) and copied in SQL
    under 120 主管部门, eleven years, lowered scores."""
    engine = _bench_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}", 400)
    yield engine
    engine.dispose()


def _bench_store(url: str, projects: int) -> Engine:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "bench_web", Path(__file__).resolve().parents[2] / "bench" / "web.py"
    )
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    engine = open_engine(url)
    bench.build(engine, projects)
    return engine


def _filters(conn: Any) -> list[Any]:
    from jixiao.store import schema, search

    dept = conn.execute(
        text("SELECT department_id FROM projects WHERE department_id IS NOT NULL LIMIT 1")
    ).scalar()
    code = conn.execute(text("SELECT code FROM findings ORDER BY code LIMIT 1")).scalar()
    year = conn.execute(text("SELECT max(year) FROM documents")).scalar()
    assert dept is not None
    assert code is not None
    assert year is not None
    P = search.ProjectFilter
    return [
        P(),
        P(year=int(year)),
        P(year=int(year) - 3, kind="self_evaluation"),
        P(kind="evaluation_result", grade="优"),
        P(code=str(code)),
        P(department=int(dept)),
        P(department=int(dept), year=int(year)),
        P(q="干部"),
        P(q="徐汇区"),
        P(q="00012"),
        P(score_min=90),
        P(within=select(schema.projects.c.id).where(schema.projects.c.id % 2 == 0)),
    ]


def _lists(conn: Any, f: Any) -> tuple[Any, ...]:
    from jixiao.store import search

    first = search.project_page(conn, f, limit=20)
    second = search.project_page(conn, f, after=first.after, limit=20) if first.after else None
    return (
        search.facets(conn, f),
        search.count_projects(conn, f),
        [r.to_dict() for r in first.rows],
        None if second is None else [r.to_dict() for r in second.rows],
    )


def test_facet_facts_give_the_live_answers(web_store: Engine) -> None:
    """Facets, counts and keyset pages from the facts are those computed from the documents, filter by filter;
    facts of an older generation are not used."""
    from jixiao.store import search
    from jixiao.store.ingest import start_run

    engine = web_store
    with engine.connect() as conn:
        assert search.facts_fresh(conn)
        filters = _filters(conn)
        from_facts = [_lists(conn, f) for f in filters]
        conn.rollback()
        with conn.begin():
            conn.execute(search.facts_state.delete())
            assert not search.facts_fresh(conn)
            live = [_lists(conn, f) for f in filters]
            conn.rollback()
    for f, a, b in zip(filters, from_facts, live, strict=True):
        assert a == b, f
    assert any(a[0]["code"] for a in from_facts)
    assert from_facts[1][1] > 0  # the filters do select something
    start_run(engine, ["test"])  # a new ingest run: the facts are stale until refreshed
    with engine.connect() as conn:
        assert not search.facts_fresh(conn)
    search.refresh_store_facts(engine)


def _plans(engine: Engine, calls: Callable[[Any], None]) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        with counted(engine) as statements:
            calls(conn)
        out = []
        for statement in statements:
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            # the parameters do not change the plan's shape: bind NULLs of the right number
            n = statement.count("?")
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, (None,) * n).all()
            out.append((statement, "\n".join(str(r[3]) for r in plan)))
    return out


def _web_pages(conn: Any) -> None:
    from jixiao.store import search
    from jixiao.web import pages
    from jixiao.web.access import Reader, scope_for

    scope = scope_for(Reader(), read_only=True)
    pages.MEMO.data.clear()
    dept = int(
        conn.execute(
            text("SELECT department_id FROM projects WHERE department_id IS NOT NULL LIMIT 1")
        ).scalar()
    )
    for f in _filters(conn)[:-1]:  # (the permission scope's own SELECT is the web application's business)
        pages.project_list(conn, scope, f, None, 50)
    pages.project_timeline(conn, scope, 3)
    pages.document_page(conn, scope, 5)
    pages.dashboards(conn, scope, dept)
    points, total = search.execution_vs_score(conn, None, limit=5)  # a sample (hashed ids) at any size
    assert 0 < len(points) <= 5 < total


def test_sqlite_serves_the_web_pages_by_index(web_store: Engine) -> None:
    """EXPLAIN QUERY PLAN of every statement the lists (with facets), a timeline, a document and a department's
    dashboards send: no table is scanned whole (an index walked in order for a LIMIT is fine)."""

    plans = _plans(web_store, _web_pages)
    assert len(plans) > 20
    for statement, plan in plans:
        for line in plan.splitlines():
            words = line.split()
            assert not line.endswith("(current=?)"), (statement, plan)  # every document, through an index
            if words[:1] == ["SCAN"] and "USING" not in words:
                # a scan of a subquery or a CTE is of rows already found by index
                assert words[1] not in BIG, (statement, plan)


# the tables that grow with the store (ingest runs, link decisions and organisations stay small)
BIG = {
    "documents", "links", "findings", "funds", "indicators", "subprojects", "projects", "file_paths",
    "source_files", "search_facts", "search_facet_counts",
}  # fmt: skip


def test_postgresql_serves_the_facets_and_dashboards_by_index(request: pytest.FixtureRequest) -> None:
    """On PostgreSQL (planner told to avoid sequential scans where an index can serve, as it does at 100,000
    projects): the list with facets and a department's dashboards read no large table sequentially."""
    from tests.store.conftest import _pg_schema_url

    urls = _pg_schema_url(request)
    url = next(urls)
    try:
        engine = _bench_store(url, 400)
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.execute(text("SET enable_seqscan = off"))
            sent: list[tuple[str, Any]] = []

            def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
                sent.append((statement, parameters))

            event.listen(engine, "before_cursor_execute", keep)
            try:
                _web_pages(conn)
            finally:
                event.remove(engine, "before_cursor_execute", keep)
            plans = []
            for statement, parameters in sent:
                if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters)
                    plans.append((statement, "\n".join(str(r[0]) for r in rows)))
        engine.dispose()
        assert len(plans) > 20
        for statement, plan in plans:
            for table in BIG:
                assert f"Seq Scan on {table} " not in plan + " ", (statement, plan)
    finally:
        next(urls, None)
