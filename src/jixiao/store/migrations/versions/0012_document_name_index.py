"""an index on the name each document prints: `show NAME` finds a project by it without a scan of documents

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 20:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_documents_project_name", "documents", ["project_name"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_documents_project_name", table_name="documents")
