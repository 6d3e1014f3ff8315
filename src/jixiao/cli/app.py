"""The Typer application and the consoles every command module shares."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="jixiao (绩效): 读取、评分、检查、存储预算绩效文档。",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
