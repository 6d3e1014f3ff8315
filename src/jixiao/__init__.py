"""jixiao (绩效): read, score, check, store and serve budget performance documents.

The names below are imported on first use, so that ``import jixiao`` (and ``jixiao --help``) does not load the
model, the forms and the readers before a command needs them.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.forms import ParseResult
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
    from jixiao.readers import ReadError

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

_HOMES = {
    "ParseResult": "jixiao.forms",
    "ReadError": "jixiao.readers",
    **dict.fromkeys(
        (
            "AnyDocument",
            "EvaluationResult",
            "Finding",
            "SelfEvaluation",
            "Severity",
            "SourceRef",
            "TargetDeclaration",
            "from_v1",
            "to_v1",
        ),
        "jixiao.model",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'jixiao' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def parse_file(path: str | Path) -> ParseResult:
    """Read and parse one file. Raises :class:`ReadError` only when the file cannot be read at all."""
    from jixiao.forms import parse_grid
    from jixiao.readers import read_path

    return parse_grid(read_path(path))


def parse_bytes(data: bytes, name: str) -> ParseResult:
    from jixiao.forms import parse_grid
    from jixiao.readers import read_bytes

    return parse_grid(read_bytes(data, name))
