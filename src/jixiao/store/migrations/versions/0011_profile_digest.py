"""facet profiles keyed by an MD5 digest of their text; an organisation's rename marks its projects

``search_profiles``: the unique key becomes ``digest`` (the MD5 of ``profile``, 32 hexadecimal characters)
instead of the profile's text (a JSON list of every year, kind, grade and code of a project: hundreds of bytes,
a wide B-tree on PostgreSQL that every refresh batch probed).  The table is made anew and the per-project rows
cleared with the facts' state row, so that the first refresh after the upgrade rebuilds everything (until then
the pages count from the documents).

``organisations``: a change of name marks the projects naming it (as 主管部门 or 实施单位) and the projects of
the current documents naming it, so that the kept dashboards (which print department names) are redone by the
next refresh and, until then, the pages compute from the store.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# the projects the organisations ``{ids}`` are named by: as their own department or unit, or by a linked
# document (each by an index of migration 0002)
_NAMED = (
    "SELECT p.id FROM projects p WHERE p.department_id IN ({ids})",
    "SELECT p.id FROM projects p WHERE p.unit_id IN ({ids})",
    "SELECT l.project_id FROM documents d JOIN links l ON l.document_id = d.id WHERE d.department_id IN ({ids})",
)
_PG_MARK = (  # as 0007's: a mark already there is counted up
    "INSERT INTO search_dirty (project_id, mark) SELECT DISTINCT p, 1 FROM ({rows}) AS m (p) "
    "WHERE p IS NOT NULL ORDER BY p ON CONFLICT (project_id) DO UPDATE SET mark = search_dirty.mark + 1"
)


def _profiles_table(*, digest: bool) -> None:
    columns: list[sa.schema.SchemaItem] = [sa.Column("id", sa.Integer(), nullable=False)]
    if digest:
        columns.append(sa.Column("digest", sa.String(length=32), nullable=False))
    columns += [
        sa.Column("profile", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_profiles"),
        sa.UniqueConstraint(
            "digest" if digest else "profile",
            name="uq_search_profiles_digest" if digest else "uq_search_profiles_profile",
        ),
    ]
    op.drop_table("search_profiles")
    op.create_table("search_profiles", *columns)
    op.execute("DELETE FROM search_project_profiles")
    op.execute("DELETE FROM search_facts_state")


def upgrade() -> None:
    _profiles_table(digest=True)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        rows = " UNION ".join(q.format(ids="new.id") for q in _NAMED)
        op.execute(
            "CREATE TRIGGER search_dirty_organisations_au AFTER UPDATE OF name ON organisations "
            "WHEN old.name IS NOT new.name BEGIN "
            f"INSERT OR IGNORE INTO search_dirty (project_id, mark) SELECT id, 1 FROM ({rows}); END"
        )
    elif dialect == "postgresql":
        renamed = "SELECT n.id FROM n JOIN o ON o.id = n.id WHERE o.name IS DISTINCT FROM n.name"
        rows = " UNION ALL ".join(q.format(ids=renamed) for q in _NAMED)
        op.execute(
            "CREATE FUNCTION search_dirty_organisations_au() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{_PG_MARK.format(rows=rows)}; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER search_dirty_organisations_au AFTER UPDATE ON organisations "
            "REFERENCING OLD TABLE AS o NEW TABLE AS n "
            "FOR EACH STATEMENT EXECUTE FUNCTION search_dirty_organisations_au()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS search_dirty_organisations_au")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS search_dirty_organisations_au ON organisations")
        op.execute("DROP FUNCTION IF EXISTS search_dirty_organisations_au()")
    _profiles_table(digest=False)
