"""maintained aggregates: the facet facts kept by delta, and per-project figures for the 工作台 and ``summary``

``search_dirty``: the projects whose facts or figures may be out of date, marked by triggers on ``links``,
``projects``, ``documents`` and ``findings`` in the transaction that changes them (so an ingest, a link decision
or a removal by any path is never missed); ``search.refresh_facts`` recomputes those projects only and clears
their marks.  ``mark`` counts the marks, so a refresh clears only the marks it has seen (on PostgreSQL a
concurrent writer may mark a project again meanwhile).

``search_project_stats``: per project its documents, years, kinds, findings by severity and its latest scored
document (the 工作台's measure and ``summary``'s), indexed for the lowest-scored and most-flagged lists.
``search_project_counts``: per project its current documents per (kind, year) and findings per (severity, code);
``search_totals``: their sums over the store, with the project counts (kept by delta, never summed on read).
``search_cache``: the dashboards of the whole store and of each 主管部门 as JSON, computed by a refresh for the
departments of the projects it redid (the whole store's rank and sample 100k projects: seconds, once per refresh
instead of on a page's first request).

The facts' state row is removed, so that the first refresh after the upgrade rebuilds everything.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_DOC_COLUMNS = (
    "current", "kind", "year", "grade", "conclusion", "total_score", "total_weight", "score", "department_id",
)  # fmt: skip

# SQLite: row triggers (the store has one writer at a time, so a mark is inserted once and cleared once)
_MARK = "INSERT OR IGNORE INTO search_dirty (project_id, mark) "
_SQLITE = (
    ("links_ai", "AFTER INSERT ON links", f"{_MARK}VALUES (new.project_id, 1);"),
    ("links_ad", "AFTER DELETE ON links", f"{_MARK}VALUES (old.project_id, 1);"),
    (
        "links_au",
        "AFTER UPDATE OF project_id, document_id ON links",
        f"{_MARK}VALUES (old.project_id, 1); {_MARK}VALUES (new.project_id, 1);",
    ),
    ("projects_ai", "AFTER INSERT ON projects", f"{_MARK}VALUES (new.id, 1);"),
    ("projects_ad", "AFTER DELETE ON projects", f"{_MARK}VALUES (old.id, 1);"),
    (
        "projects_au",
        "AFTER UPDATE OF name, department_id, unit_id ON projects",
        f"{_MARK}VALUES (new.id, 1);",
    ),
    (
        "documents_au",
        f"AFTER UPDATE OF {', '.join(_DOC_COLUMNS)} ON documents",
        f"{_MARK}SELECT project_id, 1 FROM links WHERE document_id IN (old.id, new.id);",
    ),
    (
        "documents_ad",
        "AFTER DELETE ON documents",
        f"{_MARK}SELECT project_id, 1 FROM links WHERE document_id = old.id;",
    ),
    (
        "findings_ai",
        "AFTER INSERT ON findings",
        f"{_MARK}SELECT project_id, 1 FROM links WHERE document_id = new.document_id;",
    ),
    (
        "findings_ad",
        "AFTER DELETE ON findings",
        f"{_MARK}SELECT project_id, 1 FROM links WHERE document_id = old.document_id;",
    ),
    (
        "findings_au",
        "AFTER UPDATE OF code, severity, document_id ON findings",
        f"{_MARK}SELECT project_id, 1 FROM links WHERE document_id IN (old.document_id, new.document_id);",
    ),
)

# PostgreSQL: statement triggers over the transition tables (one statement per bulk insert, not one per row);
# a mark already there is counted up, so that a refresh running meanwhile keeps it (see the module's text)
_PG_MARK = (
    "INSERT INTO search_dirty (project_id, mark) SELECT DISTINCT p, 1 FROM ({rows}) AS m (p) "
    "WHERE p IS NOT NULL ORDER BY p ON CONFLICT (project_id) DO UPDATE SET mark = search_dirty.mark + 1"
)
_DOC_CHANGED = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in _DOC_COLUMNS)
_PG = (
    ("links_ai", "INSERT", "links", "NEW TABLE AS n", "SELECT project_id FROM n"),
    ("links_ad", "DELETE", "links", "OLD TABLE AS o", "SELECT project_id FROM o"),
    (
        "links_au",
        "UPDATE",
        "links",
        "OLD TABLE AS o NEW TABLE AS n",
        "SELECT project_id FROM o UNION ALL SELECT project_id FROM n",
    ),
    ("projects_ai", "INSERT", "projects", "NEW TABLE AS n", "SELECT id FROM n"),
    ("projects_ad", "DELETE", "projects", "OLD TABLE AS o", "SELECT id FROM o"),
    (
        "projects_au",
        "UPDATE",
        "projects",
        "OLD TABLE AS o NEW TABLE AS n",
        "SELECT n.id FROM n JOIN o ON o.id = n.id WHERE o.name IS DISTINCT FROM n.name "
        "OR o.department_id IS DISTINCT FROM n.department_id OR o.unit_id IS DISTINCT FROM n.unit_id",
    ),
    (
        "documents_au",
        "UPDATE",
        "documents",
        "OLD TABLE AS o NEW TABLE AS n",
        f"SELECT l.project_id FROM n JOIN o ON o.id = n.id JOIN links l ON l.document_id = n.id "
        f"WHERE {_DOC_CHANGED}",
    ),
    (
        "documents_ad",
        "DELETE",
        "documents",
        "OLD TABLE AS o",
        "SELECT l.project_id FROM o JOIN links l ON l.document_id = o.id",
    ),
    (
        "findings_ai",
        "INSERT",
        "findings",
        "NEW TABLE AS n",
        "SELECT l.project_id FROM n JOIN links l ON l.document_id = n.document_id",
    ),
    (
        "findings_ad",
        "DELETE",
        "findings",
        "OLD TABLE AS o",
        "SELECT l.project_id FROM o JOIN links l ON l.document_id = o.document_id",
    ),
    (
        "findings_au",
        "UPDATE",
        "findings",
        "OLD TABLE AS o NEW TABLE AS n",
        "SELECT l.project_id FROM (SELECT document_id FROM o UNION SELECT document_id FROM n) AS x "
        "JOIN links l ON l.document_id = x.document_id",
    ),
)


def upgrade() -> None:
    op.create_table(
        "search_dirty",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("project_id", name="pk_search_dirty"),
    )
    op.create_table(
        "search_project_stats",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("kinds", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("infos", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),  # errors + warnings
        sa.Column("latest_document_id", sa.Integer(), nullable=True),  # the 工作台's latest scored document
        sa.Column("latest_score", sa.Double(), nullable=True),  # … its score on 100
        sa.Column("summary_document_id", sa.Integer(), nullable=True),  # summary's latest scored document
        sa.Column("summary_share", sa.Double(), nullable=True),  # … its score as a share of its total
        sa.PrimaryKeyConstraint("project_id", name="pk_search_project_stats"),
    )
    op.execute("CREATE INDEX ix_search_stats_latest ON search_project_stats (latest_score, name)")
    op.execute("CREATE INDEX ix_search_stats_share ON search_project_stats (summary_share)")
    op.execute(
        "CREATE INDEX ix_search_stats_flagged ON search_project_stats "
        "(errors DESC, flagged DESC, infos DESC, name)"
    )
    op.create_table(
        "search_project_counts",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("k1", sa.Text(), nullable=False),
        sa.Column("k2", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "what", "k1", "k2", name="pk_search_project_counts"),
    )
    op.create_table(
        "search_totals",
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("k1", sa.Text(), nullable=False),
        sa.Column("k2", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("what", "k1", "k2", name="pk_search_totals"),
    )
    op.create_table(
        "search_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_search_cache"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, when, body in _SQLITE:
            op.execute(f"CREATE TRIGGER search_dirty_{name} {when} BEGIN {body} END")
    elif dialect == "postgresql":
        for name, event, table, referencing, rows in _PG:
            op.execute(
                f"CREATE FUNCTION search_dirty_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{_PG_MARK.format(rows=rows)}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER search_dirty_{name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION search_dirty_{name}()"
            )
    op.execute("DELETE FROM search_facts_state")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, _when, _body in _SQLITE:
            op.execute(f"DROP TRIGGER IF EXISTS search_dirty_{name}")
    elif dialect == "postgresql":
        for name, _event, table, _referencing, _rows in _PG:
            op.execute(f"DROP TRIGGER IF EXISTS search_dirty_{name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS search_dirty_{name}()")
    op.drop_table("search_cache")
    op.drop_table("search_totals")
    op.drop_table("search_project_counts")
    op.drop_index("ix_search_stats_flagged", table_name="search_project_stats")
    op.drop_index("ix_search_stats_share", table_name="search_project_stats")
    op.drop_index("ix_search_stats_latest", table_name="search_project_stats")
    op.drop_table("search_project_stats")
    op.drop_table("search_dirty")
    op.execute("DELETE FROM search_facts_state")
