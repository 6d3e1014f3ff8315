"""The command line: thin over the library.  Each command module registers its commands on ``app``; the
modules are imported when their command runs (see :data:`jixiao.cli.app.COMMANDS`)."""

from __future__ import annotations

from jixiao.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """The console script's entry (:func:`jixiao.console.main`: ``show`` first without the app)."""
    from jixiao.console import main as console_main

    console_main()
