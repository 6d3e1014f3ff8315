"""``search_document_figures``: per current linked document its findings and its file's newest path, kept by
the facts refresh with the project's other facts, so that ``projects`` reads both by the document's key instead
of two correlated subqueries per document; the ``file_paths`` triggers below mark the projects of a file's
current documents when its paths change (a copy seen at a new path changes no document).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_OF_FILE = (  # the projects of a file's current documents (by the (current, sha256) index of 0004)
    "SELECT l.project_id{one} FROM documents d JOIN links l ON l.document_id = d.id WHERE d.current = {t} AND "
)
_SQLITE = (  # row triggers, as those of 0007 (one writer at a time)
    ("ai", "AFTER INSERT ON file_paths", "d.sha256 = new.sha256"),
    ("ad", "AFTER DELETE ON file_paths", "d.sha256 = old.sha256"),
    ("au", "AFTER UPDATE OF path, sha256, seen_at ON file_paths", "d.sha256 IN (old.sha256, new.sha256)"),
)
_PG_MARK = (  # as 0007's: a mark already there is counted up
    "INSERT INTO search_dirty (project_id, mark) SELECT DISTINCT p, 1 FROM ({rows}) AS m (p) "
    "WHERE p IS NOT NULL ORDER BY p ON CONFLICT (project_id) DO UPDATE SET mark = search_dirty.mark + 1"
)
_PG = (
    ("ai", "INSERT", "NEW TABLE AS n", "SELECT sha256 FROM n"),
    ("ad", "DELETE", "OLD TABLE AS o", "SELECT sha256 FROM o"),
    ("au", "UPDATE", "OLD TABLE AS o NEW TABLE AS n", "SELECT sha256 FROM o UNION SELECT sha256 FROM n"),
)
_FILL = (  # what the refresh keeps (search._document_figures), for the facts kept before this migration
    "INSERT INTO search_document_figures (document_id, project_id, findings, path) "
    "SELECT d.id, l.project_id, (SELECT count(*) FROM findings f WHERE f.document_id = d.id), "
    "(SELECT fp.path FROM file_paths fp WHERE fp.sha256 = d.sha256 ORDER BY fp.seen_at DESC, fp.id DESC LIMIT 1) "
    "FROM links l JOIN documents d ON d.id = l.document_id WHERE d.current IS NOT {f}"
)


def upgrade() -> None:
    op.create_table(
        "search_document_figures",
        sa.Column("document_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("document_id", name="pk_search_document_figures"),
    )
    op.create_index("ix_search_document_figures_project", "search_document_figures", ["project_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(_FILL.format(f="0"))
        for name, when, which in _SQLITE:
            body = f"INSERT OR IGNORE INTO search_dirty (project_id, mark) {_OF_FILE.format(one=', 1', t='1')}{which}"
            op.execute(f"CREATE TRIGGER search_dirty_file_paths_{name} {when} BEGIN {body}; END")
    elif dialect == "postgresql":
        op.execute(_FILL.format(f="false"))
        for name, event, referencing, shas in _PG:
            rows = f"{_OF_FILE.format(one='', t='true')}d.sha256 IN ({shas})"
            op.execute(
                f"CREATE FUNCTION search_dirty_file_paths_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{_PG_MARK.format(rows=rows)}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER search_dirty_file_paths_{name} AFTER {event} ON file_paths "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION search_dirty_file_paths_{name}()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, _when, _which in _SQLITE:
            op.execute(f"DROP TRIGGER IF EXISTS search_dirty_file_paths_{name}")
    elif dialect == "postgresql":
        for name, _event, _referencing, _shas in _PG:
            op.execute(f"DROP TRIGGER IF EXISTS search_dirty_file_paths_{name} ON file_paths")
            op.execute(f"DROP FUNCTION IF EXISTS search_dirty_file_paths_{name}()")
    op.drop_index("ix_search_document_figures_project", table_name="search_document_figures")
    op.drop_table("search_document_figures")
