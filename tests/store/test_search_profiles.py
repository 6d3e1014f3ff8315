"""A name search's facets from the facet profiles (migration 0008): a common word (matching half the store)
groups the matching projects' profile rows by primary key, never the facts of every matching project, and the
counts, alone or with facet filters, are the ones counted from the documents; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text

from jixiao.store import search
from tests.store.test_scale import _bench_store

COMMON = ("工作经费", "干部")  # a seed name's part (FTS5 trigram match) and a two-character word (LIKE)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = _bench_store(f"sqlite:///{tmp_path_factory.mktemp('profiles') / 'web.db'}", 300)
        yield engine
        engine.dispose()
        return
    from tests.store.conftest import _pg_schema_url

    urls = _pg_schema_url(request)
    engine = _bench_store(next(urls), 300)
    try:
        yield engine
    finally:
        engine.dispose()
        next(urls, None)


def _facet_statements(conn: Connection, f: search.ProjectFilter) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(conn.engine, "before_cursor_execute", record)
    try:
        search.facets(conn, f, fresh=True)
    finally:
        event.remove(conn.engine, "before_cursor_execute", record)
    return seen


def _plan(conn: Connection, statement: str, parameters: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join(" ".join(str(x) for x in r) for r in rows)


@pytest.mark.parametrize("word", COMMON)
def test_a_common_words_facets_read_the_profiles_by_key(store: Engine, word: str) -> None:
    with store.connect() as conn:
        assert search.facts_fresh(conn)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
        total = search.count_projects(conn, search.ProjectFilter())
        assert search.count_projects(conn, search.ProjectFilter(q=word)) * 5 > total  # a common word
        statements = _facet_statements(conn, search.ProjectFilter(q=word))
        assert statements
        assert not [s for s, _p in statements if "search_facts" in s]  # no fact of a matching project read
        grouped = [(s, p) for s, p in statements if "search_project_profiles" in s]
        assert len(grouped) == 1  # every facet in one grouped statement
        plan = _plan(conn, *grouped[0])
        if conn.dialect.name == "sqlite":
            assert "search_project_profiles USING INTEGER PRIMARY KEY" in plan, plan
        else:  # a 300-project table: PostgreSQL may scan it whole, but it reads no facts
            assert "search_project_profiles" in plan, plan
            assert "search_facts" not in plan, plan


def test_profiles_give_the_live_counts_under_every_filter(store: Engine) -> None:
    P = search.ProjectFilter
    with store.connect() as conn:
        year = int(conn.execute(text("SELECT max(year) FROM documents")).scalar_one())
        dept = int(conn.execute(text("SELECT min(department_id) FROM projects")).scalar_one())
        unit = int(conn.execute(text("SELECT min(unit_id) FROM projects")).scalar_one())
        code = str(conn.execute(text("SELECT min(code) FROM findings")).scalar_one())
        filters = [
            P(q="工作经费"),
            P(q="干部", year=year),
            P(q="工作经费", kind="self_evaluation", grade="优"),
            P(q="信息化", department=dept),
            P(q="工作经费", code=code, score_min=60),
            P(department=dept, year=year - 1),
            P(unit=unit, kind="evaluation_result"),
        ]
        kept = [search.facets(conn, f, fresh=True) for f in filters]
        live = [search._facets_live(conn, f) for f in filters]
    for f, a, b in zip(filters, kept, live, strict=True):
        assert a == b, f
    assert all(sum(v.count for v in a["year"]) for a in kept[:5])  # each search matches something


ABSENT = ("Ab", "不存在的词")  # (a word with cased letters is matched without the bounded walk)


@pytest.mark.parametrize("walk", [5, 2000])
@pytest.mark.parametrize("word", ["工作经费", "干部", "徐汇区", "00007", "徐汇区 工作", *ABSENT])
def test_a_searchs_pages_are_its_matches_in_name_order(
    store: Engine, word: str, walk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether the bounded walk fills the page (``walk`` names) or the index's matches are sorted, page after
    page the search lists every project whose name holds each word, in name order, and no other."""
    monkeypatch.setattr(search, "_WALK", walk)
    with store.connect() as conn:
        names = conn.execute(text("SELECT id, name FROM projects")).all()
        expected = sorted(
            ((n, i) for i, n in names if all(w.lower() in n.lower() for w in word.split())),
            key=lambda x: (x[0].encode(), x[1]),
        )
        dept = conn.execute(text("SELECT min(department_id) FROM projects")).scalar_one()
        for f in (search.ProjectFilter(q=word), search.ProjectFilter(q=word, department=dept)):
            listed: list[tuple[str, int]] = []
            after = None
            while True:
                page = search.project_page(conn, f, after=after, limit=7, fresh=True)
                listed += [(r.name, r.id) for r in page.rows]
                if page.after is None:
                    break
                after = page.after
            ids = {
                i
                for (i,) in conn.execute(
                    text("SELECT id FROM projects WHERE department_id = :d"), {"d": dept}
                )
            }
            want = expected if f.department is None else [x for x in expected if x[1] in ids]
            assert listed == want, f
    assert bool(expected) == (word not in ABSENT)
