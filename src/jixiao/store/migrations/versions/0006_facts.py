"""facet facts for the web application at 100,000 projects: what each project has, and the counts of the
project list's facets (unfiltered and under one filter), rebuilt by ``search.refresh_facts``

``search_facts``: one row per (facet, value, project): the project has a current document of that year, kind,
grade (自评等级 or 评价结论) or finding code, or has that 主管部门 / 实施单位.  ``search_facet_counts``: the
number of projects per facet value, unfiltered (``filter_facet`` '') and among the projects having one value of
year, kind, grade or code.  ``search_facts_state``: the store generation they were computed at (a stale table
is never read: the lists fall back to the live queries).

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-03 10:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"  # after the cycle tables (0005)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_facts",
        sa.Column("facet", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("facet", "value", "project_id", name="pk_search_facts"),
    )
    op.create_index("ix_search_facts_project", "search_facts", ["project_id", "facet", "value"])
    op.create_table(
        "search_facet_counts",
        sa.Column("filter_facet", sa.String(length=16), nullable=False),
        sa.Column("filter_value", sa.Text(), nullable=False),
        sa.Column("facet", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "filter_facet", "filter_value", "facet", "value", name="pk_search_facet_counts"
        ),
    )
    op.create_table(
        "search_facts_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run", sa.Integer(), nullable=False),
        sa.Column("finished", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_facts_state"),
    )


def downgrade() -> None:
    op.drop_table("search_facts_state")
    op.drop_table("search_facet_counts")
    op.drop_index("ix_search_facts_project", table_name="search_facts")
    op.drop_table("search_facts")
