"""search indexes for the web application: project names in full text, facet and keyset indexes

SQLite: an FTS5 table with the trigram tokenizer over ``projects.name`` (external content, kept by triggers, so
ingest and linking write ``projects`` as before).  PostgreSQL: ``pg_trgm`` with a GIN trigram index on the name.
Both dialects: indexes the project list (keyset on name, id), its facets and the findings list are served by.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 08:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (index name, table, columns): named ``ix_search_*`` so schema comparisons can tell them from the model's own.
INDEXES = (
    ("ix_search_projects_name_id", "projects", "name, id"),
    ("ix_search_projects_department", "projects", "department_id, name, id"),
    ("ix_search_projects_unit", "projects", "unit_id, name, id"),
    ("ix_search_documents_current_kind_year", "documents", "current, kind, year"),
    ("ix_search_documents_department", "documents", "department_id"),
    ("ix_search_documents_grade", "documents", "grade"),
    ("ix_search_links_project_document", "links", "project_id, document_id"),
    ("ix_search_findings_code_document", "findings", "code, document_id"),
    ("ix_search_findings_severity_document", "findings", "severity, document_id"),
)

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_projects_fts USING fts5("
    "name, content='projects', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_projects_ai AFTER INSERT ON projects BEGIN "
    "INSERT INTO search_projects_fts(rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER search_projects_ad AFTER DELETE ON projects BEGIN "
    "INSERT INTO search_projects_fts(search_projects_fts, rowid, name) VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER search_projects_au AFTER UPDATE OF name ON projects BEGIN "
    "INSERT INTO search_projects_fts(search_projects_fts, rowid, name) VALUES ('delete', old.id, old.name); "
    "INSERT INTO search_projects_fts(rowid, name) VALUES (new.id, new.name); END",
    "INSERT INTO search_projects_fts(search_projects_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} ({columns})")
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # the extension lives in one schema of the database (the first store's, or public): name the operator
        # class with it, so a store in another schema (search_path) finds it too
        home = (
            op.get_bind()
            .exec_driver_sql(
                "SELECT n.nspname FROM pg_catalog.pg_extension e "
                "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
            )
            .scalar_one()
        )
        quoted = '"' + str(home).replace('"', '""') + '"'
        op.execute(
            f"CREATE INDEX ix_search_projects_name_trgm ON projects USING gin (name {quoted}.gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_projects_ai", "search_projects_ad", "search_projects_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_projects_fts")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_projects_name_trgm")
    for name, _table, _columns in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
