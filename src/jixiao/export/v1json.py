"""JSON export: an array of documents in the open v1 format, with provenance, findings and store ids."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from jixiao.export.items import ExportItem
from jixiao.model import to_v1


def document(item: ExportItem) -> dict[str, Any]:
    """One v1 object; ``store`` (an extra field, allowed by v1) says where the document sits in the store."""
    out = to_v1(item.document)
    store = {
        "document_id": item.document_id,
        "project_id": item.project_id,
        "project_name": item.project_name,
        "sha256": item.sha256,
    }
    if any(v is not None for v in store.values()):
        out["store"] = {k: v for k, v in store.items() if v is not None}
    return out


def to_json(items: Sequence[ExportItem]) -> bytes:
    text = json.dumps([document(i) for i in items], ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")
