"""indexes for a store of 100,000 documents: the queries of summary, the project list and show run on them

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 19:15:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_INDEXES = [
    ("ix_file_paths_sha256_seen_at_id", "file_paths", ["sha256", "seen_at", "id"]),
    ("ix_projects_name_id", "projects", ["name", "id"]),
    ("ix_documents_current_kind_year", "documents", ["current", "kind", "year"]),
    ("ix_documents_current_sha256", "documents", ["current", "sha256"]),
    ("ix_findings_document_id_severity_code", "findings", ["document_id", "severity", "code"]),
]


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
