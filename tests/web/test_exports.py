"""A project's documents as downloads: every format the project page offers answers, and the official forms
(XLSX, Word, the print page) read back to the documents the JSON export holds."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from jixiao import parse_bytes
from jixiao.model import from_v1, to_v1
from jixiao.store import schema


def _busiest_project(engine: Engine) -> int:
    """The project with the most documents (a timeline of several kinds and years)."""
    lk = schema.links
    with engine.connect() as conn:
        row = conn.execute(
            select(lk.c.project_id)
            .group_by(lk.c.project_id)
            .order_by(func.count().desc(), lk.c.project_id)
            .limit(1)
        ).one()
    return int(row[0])


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_the_official_forms_read_back_to_the_json_export(
    client: TestClient, store: tuple[str, Engine], fmt: str
) -> None:
    pid = _busiest_project(store[1])
    page = client.get(f"/projects/{pid}")
    assert f"/projects/{pid}/export.{fmt}" in page.text  # the page offers it
    as_json = client.get(f"/projects/{pid}/export.json")
    assert as_json.status_code == 200
    expected = [to_v1(from_v1(d), provenance=False) for d in as_json.json()]
    got = client.get(f"/projects/{pid}/export.{fmt}")
    assert got.status_code == 200, got.text
    assert "attachment" in got.headers["content-disposition"]
    back = parse_bytes(got.content, f"project.{fmt}").documents
    assert [to_v1(d, provenance=False) for d in back] == expected


def test_an_unknown_export_format_is_refused(client: TestClient, store: tuple[str, Engine]) -> None:
    pid = _busiest_project(store[1])
    assert client.get(f"/projects/{pid}/export.exe").status_code in (404, 422)
