"""facet profiles: what the facets of a name search (or of any filter the kept counts do not cover) are
counted from, one row per project

``search_project_profiles``: per project its facet profile — the sorted (facet, value) pairs of its year,
kind, grade and code facts as one JSON text — and its 主管部门 and 实施单位 as the facts hold them.  A search
matching half the store groups its projects by (profile, department, unit): a primary-key probe per project
and a few hundred distinct profiles, instead of grouping every fact of every matching project (about nine
each).  Kept by ``search.refresh_facts`` with the facts, by delta.

The facts' state row is removed, so that the first refresh after the upgrade rebuilds everything (until then
the pages count from the documents).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_project_profiles",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("department", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", name="pk_search_project_profiles"),
    )
    op.execute("DELETE FROM search_facts_state")


def downgrade() -> None:
    op.drop_table("search_project_profiles")
    op.execute("DELETE FROM search_facts_state")
