"""The command line: thin over the library. Each command module registers its commands on ``app``."""

from __future__ import annotations

from jixiao.cli import check as _check  # noqa: F401
from jixiao.cli import parse as _parse  # noqa: F401  (registers parse, demo)
from jixiao.cli import store as _store  # noqa: F401
from jixiao.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
