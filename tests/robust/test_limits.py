"""Each reader limit is a setting: lowering it refuses a file the default reads, with one line naming the file,
the limit and the setting; real documents are far inside every default."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from jixiao import ReadError
from jixiao.readers import read_bytes, read_path
from jixiao.readers.limits import Limits
from jixiao.store.engine import _create_sqlite, open_store

SAMPLE = sorted((Path(__file__).resolve().parents[2] / "src" / "jixiao" / "samples").glob("*.txt"))[0]


def _refused(data: bytes, name: str, setting: str) -> str:
    with pytest.raises(ReadError) as refused:
        read_bytes(data, name)
    message = str(refused.value)
    assert message.startswith(f"{name}: "), message
    assert "\n" not in message, message
    assert setting in message, message
    return message


def _workbook() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for r in range(1, 41):
        ws.append([f"指标{r}", r, f"{r}%"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_defaults_read_a_real_document() -> None:
    assert read_path(SAMPLE).rows
    assert read_bytes(_workbook(), "a.xlsx").rows


@pytest.mark.parametrize(
    ("setting", "value", "make", "name"),
    [
        ("JIXIAO_MAX_TEXT_CHARS", "100", lambda: SAMPLE.read_bytes(), "a.txt"),
        ("JIXIAO_MAX_CELLS", "20", lambda: SAMPLE.read_bytes(), "b.txt"),
        ("JIXIAO_MAX_CELLS", "20", _workbook, "c.xlsx"),
        ("JIXIAO_MAX_INFLATED_MB", "1", lambda: _padded(3), "d.xlsx"),
        ("JIXIAO_MAX_ZIP_RATIO", "2", lambda: _padded(2), "e.xlsx"),
        ("JIXIAO_MAX_FILE_MB", "1", lambda: SAMPLE.read_bytes() * 200, "f.txt"),
    ],
)
def test_a_lowered_limit_refuses_with_the_setting_named(
    setting: str, value: str, make: object, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert callable(make)
    data = make()
    monkeypatch.setenv(setting, value)
    _refused(data, name, setting)


def _padded(mb: int) -> bytes:
    """A workbook with a ``mb`` MB part of repeated bytes (compresses about 1000 times)."""
    src = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info))
        z.writestr("xl/media/padding.bin", b"\x00" * (mb * 2**20))
    return out.getvalue()


def test_a_bad_setting_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_MAX_PAGES", "many")
    monkeypatch.setenv("JIXIAO_MAX_CELLS", "-5")
    assert Limits.current().pages == Limits().pages
    assert Limits.current().cells == Limits().cells


def test_a_new_store_is_created_whole_and_never_replaces_one_made_meanwhile(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    (tmp_path / ".jixiao-new-1-s.db").write_bytes(b"")  # what a process killed while creating leaves
    engine = open_store(str(db), write=True, create=True)
    engine.dispose()
    first = db.stat().st_ino
    _create_sqlite(db, str(db))  # another process that found no store a moment ago
    assert db.stat().st_ino == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".jixiao-new-") and "1-s.db" not in p.name]
    engine = open_store(str(db), write=False)
    engine.dispose()


def test_the_limits_follow_the_environment_as_it_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """:meth:`Limits.current` remembers what it read, but a changed variable is seen at once (and changed back)."""
    from jixiao.readers.limits import Limits

    monkeypatch.delenv("JIXIAO_MAX_PAGES", raising=False)
    assert Limits.current().pages == Limits().pages
    monkeypatch.setenv("JIXIAO_MAX_PAGES", "7")
    assert Limits.current().pages == 7
    monkeypatch.delenv("JIXIAO_MAX_PAGES")
    assert Limits.current().pages == Limits().pages
