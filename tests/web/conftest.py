"""A store with the bundled seeds and one hostile document, served by the web application."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from jixiao.cli.parse import sample_paths
from jixiao.ingest import ingest_files
from jixiao.store import open_engine, schema, writing
from jixiao.web import create_app

HOSTILE_NAME = '<script>alert("x")</script>测试经费'


def hostile_copy(folder: Path) -> Path:
    """The first seed with its projects renamed (the markup itself is put in by :func:`poison`: the text
    reader drops tags, a stored string from another source need not)."""
    seed = sample_paths()[0]
    text = seed.read_text(encoding="utf-8")
    assert "在线学习工作经费" in text
    assert "领导干部培训经费" in text
    text = text.replace("在线学习工作经费", "测试经费").replace("领导干部培训经费", "粗体培训经费")
    out = folder / "hostile.txt"
    out.write_text(text, encoding="utf-8")
    return out


def poison(engine: Engine) -> None:
    """Markup in the stored names and indicator texts of the hostile copy's documents."""
    pr, d, ind = schema.projects, schema.documents, schema.indicators
    bold = "<b onmouseover=x()>粗体</b>培训经费"
    with writing(engine) as conn:
        conn.execute(update(pr).where(pr.c.name == "测试经费").values(name=HOSTILE_NAME))
        conn.execute(update(pr).where(pr.c.name == "粗体培训经费").values(name=bold))
        conn.execute(update(d).where(d.c.project_name == "测试经费").values(project_name=HOSTILE_NAME))
        ids = select(d.c.id).where(d.c.project_name == HOSTILE_NAME).scalar_subquery()
        conn.execute(
            update(ind).where(ind.c.document_id.in_(ids), ind.c.ordinal == 1).values(name=HOSTILE_NAME)
        )


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    folder = tmp_path_factory.mktemp("web")
    db = str(folder / "web.db")
    engine = open_engine(db)
    ingest_files(engine, [*sample_paths(), hostile_copy(folder)], workers=1)
    poison(engine)
    yield db, engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(store: tuple[str, Engine]) -> FastAPI:
    return create_app(engine=store[1])


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


SHARED = Path(__file__).resolve().parents[3] / "shared"
SHARED_REAL = SHARED / "corpus" / "real"
SHARED_RENDERED = SHARED / "corpus" / "rendered"
