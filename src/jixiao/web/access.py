"""The one permission filter: what a reader may see and do.

Every list, JSON twin, chart and export asks its :class:`Scope` for the projects it may show (``within``, a
SELECT of project ids, or None for all) and every single page asks whether its project or document is visible.
Nothing else in the web application decides visibility, so that users and roles (issue 11) change this module
only.  Published documents read from files are public: anonymous readers see every project; writing (upload,
合并/拆分) is allowed unless the server runs ``--read-only``.  The cycle's own forms (issue 11) are not public:
:func:`forms_scope` turns the signed-in :class:`~jixiao.cycle.access.Actor` into the units they may read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import Connection, Select, select

from jixiao.cycle import access as cycle_access
from jixiao.cycle.orgs import OrgTree
from jixiao.store import schema
from jixiao.store.search import FindingFilter, ProjectFilter

Action = Literal["upload", "link"]


@dataclass(frozen=True, slots=True)
class Reader:
    """Who is asking.  ``user`` is None for an anonymous reader (the only kind until issue 11)."""

    user: str | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """What one reader may see and do on one store."""

    reader: Reader
    read_only: bool

    @property
    def within(self) -> Select[Any] | None:
        """The projects the reader may see; None: every project (a public store read anonymously)."""
        return None

    def projects(self, f: ProjectFilter) -> ProjectFilter:
        return replace(f, within=self.within)

    def findings(self, f: FindingFilter) -> FindingFilter:
        return replace(f, within=self.within)

    def sees_project(self, conn: Connection, project_id: int) -> bool:
        pr = schema.projects
        q = select(pr.c.id).where(pr.c.id == project_id)
        if self.within is not None:
            q = q.where(pr.c.id.in_(self.within))
        return conn.execute(q).first() is not None

    def sees_document(self, conn: Connection, document_id: int) -> bool:
        d, ln = schema.documents, schema.links
        q = select(d.c.id).where(d.c.id == document_id)
        if self.within is not None:
            q = q.where(d.c.id.in_(select(ln.c.document_id).where(ln.c.project_id.in_(self.within))))
        return conn.execute(q).first() is not None

    def sees_file(self, conn: Connection, sha256: str) -> bool:
        """A stored original is visible when one of its documents is."""
        d = schema.documents
        ids = [int(i) for i in conn.execute(select(d.c.id).where(d.c.sha256 == sha256)).scalars()]
        return any(self.sees_document(conn, i) for i in ids)

    def may(self, action: Action) -> bool:
        return not self.read_only


def scope_for(reader: Reader, *, read_only: bool) -> Scope:
    return Scope(reader, read_only)


def forms_scope(actor: cycle_access.Actor, tree: OrgTree) -> cycle_access.Scope:
    """The cycle's forms (drafts, their versions, comments, audit entries and exports): the units whose forms
    ``actor`` may read, from :func:`jixiao.cycle.access.scope`.  Every cycle page, JSON twin and export filters
    by it (in SQL) and answers 404 for a form outside it, as for one that does not exist."""
    return cycle_access.scope(actor, tree)
