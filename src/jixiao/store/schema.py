"""The tables (SQLAlchemy Core).  ``migrations/versions`` create exactly these; a test compares the two.

Layout:

* ``source_files``: every file's original bytes, addressed by SHA-256 (nothing a user gave is lost).
* ``file_paths``: where each file was seen; a path whose bytes change gets a new ``version``, the old stays.
* ``ingest_runs`` / ``run_files``: one row per ``jixiao ingest`` and per file it looked at (outcome, reason).
* ``organisations``: 主管部门 and 实施单位/申报单位 as printed; a unit points at its department.
* ``documents``: one row per parsed form, the three kinds in one table (columns of the other kinds are NULL),
  with the rows of each form in ``funds``, ``indicators``, ``subprojects`` and its ``findings``.
  Every row keeps its ``source`` and per-field ``cells`` (JSON) so each value traces back to a file position.
* ``projects`` / ``links``: which project each document belongs to, with the score and reason of the link;
  ``link_decisions``: what a user confirmed (merge) or split, by document identity, respected by later links.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql import sqltypes

JSON = sqltypes.JSON(none_as_null=True)  # Python None is SQL NULL, not the JSON text 'null'

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _row_of_document() -> list[Column[int]]:
    """A row of a document: its id, the document (deleted with it) and its 1-based position there."""
    return [
        _id(),
        Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("ordinal", Integer, nullable=False),
    ]


def _trace() -> list[Column[object]]:
    """Where a row came from (its own source and one per field) and fields the columns do not hold."""
    return [Column("source", JSON), Column("cells", JSON), Column("extra", JSON)]


ingest_runs = Table(
    "ingest_runs",
    metadata,
    _id(),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("version", String(32), nullable=False),
    Column("host", String(255)),
    Column("pid", Integer),
    Column("args", JSON),
    Column("files_added", Integer, nullable=False, default=0),
    Column("files_unchanged", Integer, nullable=False, default=0),
    Column("files_refused", Integer, nullable=False, default=0),
    Column("documents_added", Integer, nullable=False, default=0),
)

source_files = Table(
    "source_files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("name", Text, nullable=False),  # the file name it was first seen under
    Column("content", LargeBinary, nullable=False),
    Column("run_id", ForeignKey("ingest_runs.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

file_paths = Table(
    "file_paths",
    metadata,
    _id(),
    Column("path", Text, nullable=False),
    Column("sha256", ForeignKey("source_files.sha256"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("run_id", ForeignKey("ingest_runs.id"), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("path", "version"),
    Index(None, "sha256", "seen_at", "id"),  # where a file was last seen, per document listed (0004)
)

run_files = Table(
    "run_files",
    metadata,
    _id(),
    Column("run_id", ForeignKey("ingest_runs.id"), nullable=False, index=True),
    Column("path", Text, nullable=False),
    Column("sha256", String(64)),
    Column("outcome", String(16), nullable=False),  # added | new_version | unchanged | refused
    Column("reason", Text),
    Column("documents", Integer, nullable=False, default=0),
)

organisations = Table(
    "organisations",
    metadata,
    _id(),
    Column("name", Text, nullable=False, unique=True),
    Column("parent_id", ForeignKey("organisations.id")),  # 实施单位 → 主管部门, when a form says so
)

projects = Table(
    "projects",
    metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, index=True),
    Column("unit_id", ForeignKey("organisations.id")),
    Column("department_id", ForeignKey("organisations.id")),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index(None, "name", "id"),  # the project list in name order, streamed (0004)
)

documents = Table(
    "documents",
    metadata,
    _id(),
    Column("sha256", ForeignKey("source_files.sha256"), nullable=False),
    Column("ordinal", Integer, nullable=False),  # 1-based position of the form in its file
    Column("current", Boolean, nullable=False, default=True),  # False once a newer version replaced the file
    Column("run_id", ForeignKey("ingest_runs.id"), nullable=False),
    Column("kind", String(32), nullable=False, index=True),
    Column("year", Integer, index=True),
    Column("project_name", Text),  # as printed
    Column("money_unit", String(8)),
    Column("department_id", ForeignKey("organisations.id")),
    Column("unit_id", ForeignKey("organisations.id")),  # 实施单位 (self-evaluation) or 申报单位 (declaration)
    # self-evaluation
    Column("goal", JSON),
    Column("total_weight", Double),
    Column("total_score", Double),
    Column("grade", String(16)),
    Column("total_source", JSON),
    # target declaration
    Column("project_type", JSON),
    Column("fund_use", JSON),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("total_budget", Double),
    Column("annual_budget", Double),
    Column("previous_budget", Double),
    Column("previous_executed", Double),
    Column("overall_goal", Text),
    Column("annual_goal", Text),
    # evaluation result
    Column("final_accounts", Double),
    Column("score", Double),
    Column("conclusion", String(8)),
    Column("performance", Text),
    Column("problems", JSON),
    Column("suggestions", JSON),
    Column("rectification", JSON),
    Column("source", JSON),
    Column("extra", JSON),
    UniqueConstraint("sha256", "ordinal"),
    Index(None, "current", "kind", "year"),  # documents per kind and year (summary, facets) (0004)
    Index(None, "current", "sha256"),  # files with current documents, counted from the index alone (0004)
    Index(None, "project_name"),  # a project found by the name its documents print (show NAME) (0012)
)

funds = Table(
    "funds",
    metadata,
    *_row_of_document(),
    Column("line", Text, nullable=False),
    Column("initial_budget", Double),
    Column("annual_budget", Double),
    Column("executed", Double),
    Column("weight", Double),
    Column("execution_rate", Double),
    Column("score", Double),
    *_trace(),
)

indicators = Table(
    "indicators",
    metadata,
    *_row_of_document(),
    Column("level1", Text),
    Column("level2", Text),
    Column("name", Text, nullable=False),
    Column("target", Text),
    Column("actual", Text),
    Column("weight", Double),
    Column("score", Double),
    Column("deviation", Text),
    *_trace(),
)

subprojects = Table(
    "subprojects",
    metadata,
    *_row_of_document(),
    Column("name", Text, nullable=False),
    Column("amount", Double),
    *_trace(),
)

findings = Table(
    "findings",
    metadata,
    _id(),
    Column("sha256", ForeignKey("source_files.sha256"), nullable=False, index=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), index=True),  # NULL: about the file
    Column("ordinal", Integer, nullable=False),
    Column("code", String(32), nullable=False, index=True),
    Column("severity", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("subject", Text),
    Column("name", Text),
    Column("expected", JSON),
    Column("actual", JSON),
    Column("tolerance", Double),
    Column("source", JSON),
    Column("extra", JSON),
    Index(None, "document_id", "severity", "code"),  # finding counts per document, severity, code (0004)
)

links = Table(
    "links",
    metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("via_document_id", ForeignKey("documents.id", ondelete="SET NULL")),
    Column("score", Double, nullable=False),
    Column("method", String(16), nullable=False),  # first | copy | auto | user
    Column("reason", Text, nullable=False),
)

link_decisions = Table(
    "link_decisions",
    metadata,
    _id(),
    Column("action", String(8), nullable=False),  # merge | split
    Column("key_a", Text, nullable=False),
    Column("key_b", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("note", Text),
    Index(None, "key_a", "key_b"),
)


# --- the cycle's people (issue 11): the organisation tree of the workflow, users, their grants, tokens, audit ---
# ``cycle_orgs`` is the administered tree (codes from an orgs CSV), apart from ``organisations``, which holds the
# names documents print; the two are matched by name when a unit's published forms are shown.

cycle_orgs = Table(
    "cycle_orgs",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # 财政局 | 业务处室 | 主管部门 | 实施单位
    Column("parent_code", String(64)),
    Column("division_code", String(64)),  # a 主管部门's 归口处室
)

users = Table(
    "users",
    metadata,
    _id(),
    Column("login", String(128), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("password_hash", Text),  # NULL until the user sets one through a one-time link
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

user_grants = Table(
    "user_grants",
    metadata,
    _id(),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("org_code", String(64), nullable=False),
    UniqueConstraint("user_id", "role", "org_code"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _id(),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column(
        "digest", String(64), nullable=False, unique=True
    ),  # SHA-256 of the token; the token is shown once
    Column("purpose", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", Text, nullable=False),  # what was acted on: "user:alice", "orgs", "form:17"
    Column("before", String(16)),
    Column("after", String(16)),
    Column("level", Integer),
    Column("version", Integer),
    Column("snapshot", String(64)),
    Column("reason", Text),
    Index("ix_audit_log_subject_at", "subject", "at"),
)


# --- the yearly cycle in the browser (issue 11, 0005): sessions, login throttle, campaigns, drafts, reviews ---
# A draft is a form the cycle produces (v1 JSON, one row per version, never updated or deleted); ``drafts`` holds
# its workflow state (cycle.workflow.Form) and the number of its current version, which a save must name.

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 of the session id; the id is only in the cookie
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),  # absolute expiry, whatever the activity
)

login_failures = Table(
    "login_failures",
    metadata,
    _id(),
    Column("login", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index(None, "login", "at"),
)

login_locks = Table(
    "login_locks",
    metadata,
    Column("login", String(128), primary_key=True),
    Column("locked_until", DateTime(timezone=True), nullable=False),
)

login_links = Table(
    "login_links",
    metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 of a one-time login link's token
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

campaigns = Table(
    "campaigns",
    metadata,
    _id(),
    Column("year", Integer, nullable=False),
    Column("kind", String(32), nullable=False),  # self_evaluation | target_declaration
    Column("title", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("year", "kind"),
)

campaign_extensions = Table(
    "campaign_extensions",
    metadata,
    _id(),
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("org_code", String(64), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("granted_by", String(128), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    _id(),
    Column("org_code", String(64), nullable=False, index=True),
    Column("project", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("year", Integer, nullable=False),
    Column("campaign_id", ForeignKey("campaigns.id")),
    Column("declaration_id", Integer),  # the stored declaration (documents.id) the draft was made from
    # or the approved declaration draft (drafts.id) a self-evaluation draft was made from (0009)
    Column("declaration_draft_id", Integer, index=True),
    Column("state", String(16), nullable=False),
    Column("level", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False),  # the current version; a save names it or is refused
    Column("submitter", String(128)),
    Column("approvals", JSON),  # who approved each level so far
    Column("created_by", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index(None, "state", "org_code"),
)

draft_versions = Table(
    "draft_versions",
    metadata,
    _id(),
    Column("draft_id", ForeignKey("drafts.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", Text, nullable=False),  # the v1 JSON text, exactly as hashed
    Column("snapshot", String(64), nullable=False),  # SHA-256 of body
    Column("author", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("draft_id", "version"),
)

draft_comments = Table(
    "draft_comments",
    metadata,
    _id(),
    Column("draft_id", ForeignKey("drafts.id"), nullable=False, index=True),
    Column("row", Integer, nullable=False),  # 1-based indicator row the comment is pinned to (0: the form)
    Column("author", String(128), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("answer", Text),
    Column("answered_by", String(128)),
    Column("answered_at", DateTime(timezone=True)),
)

draft_reviews = Table(
    "draft_reviews",
    metadata,
    _id(),
    Column("draft_id", ForeignKey("drafts.id"), nullable=False, index=True),
    Column("row", Integer, nullable=False),
    Column("level", Integer, nullable=False),
    Column("reviewer", String(128), nullable=False),
    Column("score", Double),  # the reviewer's 核定分
    Column("note", Text),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("draft_id", "row", "level"),
)

draft_files = Table(
    "draft_files",
    metadata,
    _id(),
    Column("draft_id", ForeignKey("drafts.id"), nullable=False, index=True),
    Column(
        "row", Integer, nullable=False
    ),  # the indicator row the evidence (佐证材料) is for; 0: the whole form
    Column("sha256", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("author", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("draft_id", "row", "sha256"),
)
