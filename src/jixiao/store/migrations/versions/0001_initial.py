"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 22:43:18.659132
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("args", sa.JSON(), nullable=True),
        sa.Column("files_added", sa.Integer(), nullable=False),
        sa.Column("files_unchanged", sa.Integer(), nullable=False),
        sa.Column("files_refused", sa.Integer(), nullable=False),
        sa.Column("documents_added", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_runs")),
    )
    op.create_table(
        "link_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("key_a", sa.Text(), nullable=False),
        sa.Column("key_b", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_decisions")),
    )
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_decisions_key_a_key_b"), ["key_a", "key_b"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["organisations.id"], name=op.f("fk_organisations_parent_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["organisations.id"], name=op.f("fk_projects_department_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["organisations.id"], name=op.f("fk_projects_unit_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_name_key"), ["name_key"], unique=False)

    op.create_table(
        "run_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["ingest_runs.id"], name=op.f("fk_run_files_run_id_ingest_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_files")),
    )
    with op.batch_alter_table("run_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_files_run_id"), ["run_id"], unique=False)

    op.create_table(
        "source_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_runs.id"], name=op.f("fk_source_files_run_id_ingest_runs")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_source_files")),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("project_name", sa.Text(), nullable=True),
        sa.Column("money_unit", sa.String(length=8), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("goal", sa.JSON(), nullable=True),
        sa.Column("total_weight", sa.Double(), nullable=True),
        sa.Column("total_score", sa.Double(), nullable=True),
        sa.Column("grade", sa.String(length=16), nullable=True),
        sa.Column("total_source", sa.JSON(), nullable=True),
        sa.Column("project_type", sa.JSON(), nullable=True),
        sa.Column("fund_use", sa.JSON(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("total_budget", sa.Double(), nullable=True),
        sa.Column("annual_budget", sa.Double(), nullable=True),
        sa.Column("previous_budget", sa.Double(), nullable=True),
        sa.Column("previous_executed", sa.Double(), nullable=True),
        sa.Column("overall_goal", sa.Text(), nullable=True),
        sa.Column("annual_goal", sa.Text(), nullable=True),
        sa.Column("final_accounts", sa.Double(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("conclusion", sa.String(length=8), nullable=True),
        sa.Column("performance", sa.Text(), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=True),
        sa.Column("suggestions", sa.JSON(), nullable=True),
        sa.Column("rectification", sa.JSON(), nullable=True),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["organisations.id"], name=op.f("fk_documents_department_id_organisations")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["ingest_runs.id"], name=op.f("fk_documents_run_id_ingest_runs")),
        sa.ForeignKeyConstraint(
            ["sha256"], ["source_files.sha256"], name=op.f("fk_documents_sha256_source_files")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["organisations.id"], name=op.f("fk_documents_unit_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("sha256", "ordinal", name=op.f("uq_documents_sha256_ordinal")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_year"), ["year"], unique=False)

    op.create_table(
        "file_paths",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_runs.id"], name=op.f("fk_file_paths_run_id_ingest_runs")
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["source_files.sha256"], name=op.f("fk_file_paths_sha256_source_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_paths")),
        sa.UniqueConstraint("path", "version", name=op.f("uq_file_paths_path_version")),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("expected", sa.JSON(), nullable=True),
        sa.Column("actual", sa.JSON(), nullable=True),
        sa.Column("tolerance", sa.Double(), nullable=True),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_findings_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["source_files.sha256"], name=op.f("fk_findings_sha256_source_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_sha256"), ["sha256"], unique=False)

    op.create_table(
        "funds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("initial_budget", sa.Double(), nullable=True),
        sa.Column("annual_budget", sa.Double(), nullable=True),
        sa.Column("executed", sa.Double(), nullable=True),
        sa.Column("weight", sa.Double(), nullable=True),
        sa.Column("execution_rate", sa.Double(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.Column("cells", sa.JSON(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_funds_document_id_documents"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funds")),
    )
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funds_document_id"), ["document_id"], unique=False)

    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("level1", sa.Text(), nullable=True),
        sa.Column("level2", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
        sa.Column("weight", sa.Double(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("deviation", sa.Text(), nullable=True),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.Column("cells", sa.JSON(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_indicators_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicators_document_id"), ["document_id"], unique=False)

    op.create_table(
        "links",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("via_document_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_links_document_id_documents"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_links_project_id_projects"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["via_document_id"],
            ["documents.id"],
            name=op.f("fk_links_via_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_links")),
    )
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_links_project_id"), ["project_id"], unique=False)

    op.create_table(
        "subprojects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("amount", sa.Double(), nullable=True),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.Column("cells", sa.JSON(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_subprojects_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subprojects")),
    )
    with op.batch_alter_table("subprojects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subprojects_document_id"), ["document_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("subprojects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subprojects_document_id"))

    op.drop_table("subprojects")
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_links_project_id"))

    op.drop_table("links")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_document_id"))

    op.drop_table("indicators")
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funds_document_id"))

    op.drop_table("funds")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_sha256"))
        batch_op.drop_index(batch_op.f("ix_findings_document_id"))
        batch_op.drop_index(batch_op.f("ix_findings_code"))

    op.drop_table("findings")
    op.drop_table("file_paths")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_year"))
        batch_op.drop_index(batch_op.f("ix_documents_kind"))

    op.drop_table("documents")
    op.drop_table("source_files")
    with op.batch_alter_table("run_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_files_run_id"))

    op.drop_table("run_files")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_name_key"))

    op.drop_table("projects")
    op.drop_table("organisations")
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_decisions_key_a_key_b"))

    op.drop_table("link_decisions")
    op.drop_table("ingest_runs")
