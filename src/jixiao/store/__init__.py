"""The store: parsed documents, their source files and the projects they link into, in SQLite or PostgreSQL.

Library first; ``jixiao ingest/link/projects/show/export`` are thin over these functions::

    engine = open_engine("jixiao.db")                   # migrates to the newest schema
    report = ingest_files(engine, ["../shared/seeds"])  # group commit, a savepoint per file, then relink
    for p in projects_of(engine): ...
"""

from __future__ import annotations

from sqlalchemy import Engine

from jixiao.store.engine import StoreError, open_engine, resolve_url, writing
from jixiao.store.ingest import FileOutcome, IngestReport, ingest_files
from jixiao.store.link import ensure_linked, relink
from jixiao.store.query import DocumentEntry, ProjectEntry, load_documents, projects

__all__ = [
    "DocumentEntry",
    "FileOutcome",
    "IngestReport",
    "ProjectEntry",
    "StoreError",
    "ensure_linked",
    "ingest_files",
    "load_documents",
    "open_engine",
    "projects",
    "projects_of",
    "relink",
    "resolve_url",
    "writing",
]


def projects_of(engine: Engine) -> list[ProjectEntry]:
    """Every project with its current documents (linking first where needed)."""
    ensure_linked(engine)
    with engine.connect() as conn:
        return projects(conn)
