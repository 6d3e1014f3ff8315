"""a self-evaluation draft's source declaration draft: ``drafts.declaration_draft_id`` (the ``drafts.id`` of the
approved 申报表 draft it was made from; ``declaration_id`` keeps naming a stored declaration document), indexed to
find the one self-evaluation draft of a declaration draft.  Drafts made before it are linked from their audit
log's ``create`` entry (``由申报表草稿 N（…）生成``), the only place that named the source until now.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:55:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SOURCE = re.compile(r"^由申报表草稿 (\d+)（")


def upgrade() -> None:
    op.add_column("drafts", sa.Column("declaration_draft_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_drafts_declaration_draft_id"), "drafts", ["declaration_draft_id"], unique=False)
    conn = op.get_bind()
    made = conn.execute(
        sa.text(
            "SELECT subject, reason FROM audit_log WHERE action = 'create' AND subject LIKE 'draft:%' "
            "AND reason LIKE '由申报表草稿 %'"
        )
    )
    links = []
    for subject, reason in made:
        found = _SOURCE.match(reason or "")
        draft = str(subject).removeprefix("draft:")
        if found and draft.isdigit():
            links.append({"id": int(draft), "source": int(found.group(1))})
    if links:
        conn.execute(sa.text("UPDATE drafts SET declaration_draft_id = :source WHERE id = :id"), links)


def downgrade() -> None:
    op.drop_index(op.f("ix_drafts_declaration_draft_id"), table_name="drafts")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("declaration_draft_id")
