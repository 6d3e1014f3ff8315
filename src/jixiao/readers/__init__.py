"""Readers: bytes of any supported format → a :class:`~jixiao.readers.base.Grid` of cells with source refs.

This package is the only place that imports pdfplumber, python-docx and openpyxl.

The format is decided by the content when the content says it (``%PDF``, a ZIP holding ``word/`` or ``xl/``,
an OLE2 compound file, an HTML document) and by the suffix otherwise; a file whose suffix and content disagree
is read by its content with a ``READ-EXTENSION`` warning, and a file that is none of what its suffix claims is
refused with one line saying what it is.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from jixiao.model import Finding, Severity, SourceRef
from jixiao.readers.base import ZIP_ERRORS, Cell, Grid, ReadError, Row
from jixiao.readers.limits import check_cells, check_file_size
from jixiao.readers.text import read_text

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".tsv", ".text", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
LEGACY_SUFFIXES = frozenset({".doc", ".xls", ".wps", ".et", ".rtf", ".odt", ".ods"})

__all__ = ["Cell", "Grid", "ReadError", "Row", "read_bytes", "read_path", "sniff"]

_NAMES = {
    "pdf": "PDF",
    "docx": "Word（DOCX）",
    "xlsx": "Excel（XLSX）",
    "html": "HTML",
    "legacy": "旧版 Office/WPS",
    "text": "文本",
}
_SUFFIX_FORMAT = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    **dict.fromkeys(HTML_SUFFIXES, "html"),
    **dict.fromkeys(LEGACY_SUFFIXES, "legacy"),
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str | None:
    """The format the content announces: pdf, docx, xlsx, legacy (OLE2, RTF, OpenDocument), html, zip (another
    archive), badzip (a damaged or truncated archive); None when the content does not say (text, unknown bytes)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = z.namelist()
        except ZIP_ERRORS:
            return "badzip"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "mimetype" in names:  # OpenDocument
            return "legacy"
        return "zip"
    if data.startswith(_OLE_MAGIC) or data.startswith(b"{\\rtf"):
        return "legacy"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml"))
        and b"<table" in data[:200_000].lower()
    ):
        return "html"
    return None


def read_bytes(data: bytes, path: str) -> Grid:
    """Read one file's bytes; raises :class:`ReadError` (one line, naming the file) when it cannot be read."""
    check_file_size(len(data), path)
    if not data.strip():
        raise ReadError(f"{path}: 空文件（没有内容）")
    suffix = Path(path).suffix.lower()
    claimed = _SUFFIX_FORMAT.get(suffix)
    found = sniff(data)
    if found == "badzip":
        what = _NAMES[claimed] if claimed in ("docx", "xlsx") else "ZIP"
        raise ReadError(f"{path}: {what} 文件已损坏或不完整（ZIP 压缩包残缺）")
    if found == "zip":
        raise ReadError(f"{path}: 是 ZIP 压缩包，但不是 Word（DOCX）或 Excel（XLSX）文档")
    if found is None:
        if claimed in ("pdf", "docx", "xlsx"):
            raise ReadError(f"{path}: 不是 {_NAMES[claimed]} 文件（{_describe(data)}）")
        return _bounded(_READERS[claimed or "text"](data, path))
    grid = _bounded(_READERS[found](data, path))
    if (claimed is not None and claimed != found) or (claimed is None and found != "html"):
        grid.findings.append(
            Finding(
                code="READ-EXTENSION",
                severity=Severity.WARNING,
                message=f"扩展名为 {suffix or '（无）'}，内容实为 {_NAMES[found]}，已按内容读取",
                source=SourceRef(path=path),
                expected=suffix or None,
                actual=found,
            )
        )
    return grid


def _bounded(grid: Grid) -> Grid:
    check_cells(sum(len(r.cells) for r in grid.rows), grid.path)
    return grid


def _describe(data: bytes) -> str:
    """What a file that is not its suffix's format holds, for the error line."""
    try:
        read_text(data, "")
    except ReadError:
        return f"内容是无法识别的二进制数据，开头为 {data[:8].hex(' ')}"
    return "内容是纯文本"


def _read_pdf(data: bytes, path: str) -> Grid:
    from jixiao.readers.pdf import read_pdf

    return read_pdf(data, path)


def _read_docx(data: bytes, path: str) -> Grid:
    from jixiao.readers.docx import read_docx

    return read_docx(data, path)


def _read_xlsx(data: bytes, path: str) -> Grid:
    from jixiao.readers.xlsx import read_xlsx

    return read_xlsx(data, path)


def _read_html(data: bytes, path: str) -> Grid:
    from jixiao.readers.html import read_html

    return read_html(data, path)


def _read_legacy(data: bytes, path: str) -> Grid:
    from jixiao.readers.legacy import read_legacy

    return read_legacy(data, path)


_READERS: dict[str, Callable[[bytes, str], Grid]] = {
    "pdf": _read_pdf,
    "docx": _read_docx,
    "xlsx": _read_xlsx,
    "html": _read_html,
    "legacy": _read_legacy,
    "text": read_text,
}


def read_path(path: str | Path) -> Grid:
    p = Path(path)
    try:
        if p.is_file():
            check_file_size(p.stat().st_size, str(p))
        data = p.read_bytes()
    except IsADirectoryError as exc:
        raise ReadError(f"{p}: 是文件夹，不是文件") from exc
    except OSError as exc:
        raise ReadError(f"{p}: 无法打开（{exc.strerror or exc}）") from exc
    return read_bytes(data, str(p))
