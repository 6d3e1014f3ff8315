"""The store: parsed documents, their source files and the projects they link into, in SQLite or PostgreSQL.

Library first; ``jixiao link/projects/show/export`` are thin over these functions, and ``jixiao ingest`` over
:func:`jixiao.ingest.ingest_files` (reading, parsing and checking are the pipeline's; the store only keeps)::

    engine = open_engine("jixiao.db")                   # migrates to the newest schema
    report = jixiao.ingest.ingest_files(engine, ["../shared/seeds"])
    for p in projects_of(engine): ...

Names are imported lazily, so that importing :mod:`jixiao.store.cluster` (pure clustering, used by check runs)
does not load SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from jixiao.store.engine import StoreError, open_engine, resolve_url, writing
    from jixiao.store.ingest import FileOutcome, IngestReport
    from jixiao.store.link import ensure_linked, relink
    from jixiao.store.query import DocumentEntry, ProjectEntry, load_documents, projects

__all__ = [
    "DocumentEntry",
    "FileOutcome",
    "IngestReport",
    "ProjectEntry",
    "StoreError",
    "ensure_linked",
    "load_documents",
    "open_engine",
    "projects",
    "projects_of",
    "relink",
    "resolve_url",
    "writing",
]

_HOMES = {
    "StoreError": "engine",
    "open_engine": "engine",
    "resolve_url": "engine",
    "writing": "engine",
    "FileOutcome": "ingest",
    "IngestReport": "ingest",
    "ensure_linked": "link",
    "relink": "link",
    "DocumentEntry": "query",
    "ProjectEntry": "query",
    "load_documents": "query",
    "projects": "query",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'jixiao.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f"jixiao.store.{home}"), name)


def projects_of(engine: Engine) -> list[ProjectEntry]:
    """Every project with its current documents (linking first where needed)."""
    from jixiao.store.link import ensure_linked
    from jixiao.store.query import projects

    ensure_linked(engine)
    with engine.connect() as conn:
        return projects(conn)
