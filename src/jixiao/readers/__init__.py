"""Readers: bytes of any supported format → a :class:`~jixiao.readers.base.Grid` of cells with source refs.

This package is the only place that imports pdfplumber, python-docx and openpyxl.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.readers.base import Cell, Grid, ReadError, Row
from jixiao.readers.text import read_text

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".tsv", ".text", ""})

__all__ = ["Cell", "Grid", "ReadError", "Row", "read_bytes", "read_path"]


def read_bytes(data: bytes, path: str) -> Grid:
    """Read one file's bytes; raises :class:`ReadError` (one line, naming the file) when it cannot be read."""
    suffix = Path(path).suffix.lower()
    if suffix in TEXT_SUFFIXES or suffix not in _BINARY_SUFFIXES:
        return read_text(data, path)
    raise ReadError(f"{path}: unsupported format {suffix}")


_BINARY_SUFFIXES: frozenset[str] = frozenset()


def read_path(path: str | Path) -> Grid:
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError as exc:
        raise ReadError(f"{p}: is a directory") from exc
    except OSError as exc:
        raise ReadError(f"{p}: cannot open ({exc.strerror or exc})") from exc
    return read_bytes(data, str(p))
