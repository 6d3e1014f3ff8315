"""What an export receives: documents with where they sit in the store (all optional outside a store)."""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.model import AnyDocument


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One document to export.

    Attributes:
        document: the parsed document.
        document_id: its id in the store, when it comes from one.
        project_id / project_name: the project it is linked to.
        sha256: the content address of the file it was read from.
    """

    document: AnyDocument
    document_id: int | None = None
    project_id: int | None = None
    project_name: str | None = None
    sha256: str | None = None
