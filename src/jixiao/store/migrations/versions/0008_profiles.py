"""facet profiles: what the facets of a name search (or of any filter the kept counts do not cover) are
counted from, one row per project

``search_profiles``: each distinct facet profile — the sorted (facet, value) pairs of a project's year, kind,
grade and code facts as one JSON text — by a number.  ``search_project_profiles``: per project its profile's
number and its 主管部门 and 实施单位 as the facts hold them (four integers: a narrow row).  A search matching
half the store groups its projects by (profile, department, unit): a primary-key probe per project and a few
hundred distinct profiles, instead of grouping every fact of every matching project (about nine each).  Kept
by ``search.refresh_facts`` with the facts, by delta (a profile no project has any more stays until a full
rebuild: it counts nothing).

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
        "search_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_profiles"),
        sa.UniqueConstraint("profile", name="uq_search_profiles_profile"),
    )
    op.create_table(
        "search_project_profiles",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.Integer(), nullable=True),
        sa.Column("unit", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", name="pk_search_project_profiles"),
    )
    op.execute("DELETE FROM search_facts_state")


def downgrade() -> None:
    op.drop_table("search_project_profiles")
    op.drop_table("search_profiles")
    op.execute("DELETE FROM search_facts_state")
