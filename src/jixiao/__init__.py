"""jixiao (绩效): read, score, check, store and serve budget performance documents."""

from __future__ import annotations

from pathlib import Path

from jixiao.forms import ParseResult, parse_grid
from jixiao.model import (
    AnyDocument,
    EvaluationResult,
    Finding,
    SelfEvaluation,
    Severity,
    SourceRef,
    TargetDeclaration,
    from_v1,
    to_v1,
)
from jixiao.readers import ReadError, read_bytes, read_path

__version__ = "0.1.0"

__all__ = [
    "AnyDocument",
    "EvaluationResult",
    "Finding",
    "ParseResult",
    "ReadError",
    "SelfEvaluation",
    "Severity",
    "SourceRef",
    "TargetDeclaration",
    "from_v1",
    "parse_bytes",
    "parse_file",
    "to_v1",
]


def parse_file(path: str | Path) -> ParseResult:
    """Read and parse one file. Raises :class:`ReadError` only when the file cannot be read at all."""
    return parse_grid(read_path(path))


def parse_bytes(data: bytes, name: str) -> ParseResult:
    return parse_grid(read_bytes(data, name))
