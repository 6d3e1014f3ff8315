"""store/search.py over the ingested seeds: full-text search, keyset pages, facets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from jixiao.cli.parse import sample_paths
from jixiao.ingest import ingest_files
from jixiao.store import open_engine
from jixiao.store import search as s


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    db: Path = tmp_path_factory.mktemp("search") / "s.db"
    eng = open_engine(str(db))
    ingest_files(eng, sample_paths(), workers=1)
    yield eng
    eng.dispose()


def test_name_search_uses_trigrams_and_short_words(engine: Engine) -> None:
    with engine.connect() as conn:
        long = s.project_page(conn, s.ProjectFilter(q="在线学习")).rows
        short = s.project_page(conn, s.ProjectFilter(q="在线")).rows
        none = s.project_page(conn, s.ProjectFilter(q="不存在的项目名称")).rows
    assert [r.name for r in long] == ["在线学习工作经费"]
    assert {r.id for r in long} <= {r.id for r in short}
    assert none == []


def test_keyset_pages_cover_every_project_once(engine: Engine) -> None:
    with engine.connect() as conn:
        total = s.count_projects(conn, s.ProjectFilter())
        seen: list[int] = []
        after: int | None = None
        while True:
            page = s.project_page(conn, s.ProjectFilter(), after=after, limit=2)
            seen.extend(r.id for r in page.rows)
            if page.after is None:
                break
            after = page.after
    assert len(seen) == total == len(set(seen)) > 2


def test_facet_counts_match_the_filtered_list(engine: Engine) -> None:
    with engine.connect() as conn:
        years = s.facets(conn, s.ProjectFilter())["year"]
        assert years
        for fv in years:
            assert isinstance(fv.value, int)
            assert s.count_projects(conn, s.ProjectFilter(year=fv.value)) == fv.count
