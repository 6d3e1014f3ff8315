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
from sqlalchemy import Engine, event, text

from jixiao import ParseResult, parse_file
from jixiao.model import AnyDocument, SelfEvaluation, TargetDeclaration
from jixiao.store import open_engine, relink
from jixiao.store.codec import prepare
from jixiao.store.ingest import FileJob, GroupWriter, sha256, start_run
from jixiao.store.query import _entries_query, document_ids, iter_documents, iter_projects, resolve_project
from jixiao.store.report import summarise
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
                    update: dict[str, Any] = {"project": f"{doc.project}{k // 7}", "year": (doc.year or 2020) + k % 7}
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


COMMANDS: dict[str, Callable[[Engine], None]] = {
    "summary": _summary,
    "projects": _project_list,
    "show": _show,
    "show by name": _show_by_name,
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Engine]]:
    folder = tmp_path_factory.mktemp("scale")
    made = {n: generate(f"sqlite:///{folder / f'{n}.db'}", n) for n in (1000, 3000)}
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
    assert counts[1000] <= 12, counts  # a handful of statements, not one per project or document


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
            compiled = _entries_query(conn, [3]).compile(engine, compile_kwargs={"literal_binds": True})
            plan = "\n".join(str(r[0]) for r in conn.execute(text(f"EXPLAIN {compiled}")))
        engine.dispose()
        assert "Index" in plan and "links" in plan, plan
        assert "Seq Scan on links" not in plan and "Seq Scan on documents" not in plan, plan
    finally:
        next(urls, None)
