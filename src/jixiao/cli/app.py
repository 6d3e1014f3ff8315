"""The Typer application and the consoles every command module shares."""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console


class _App(typer.Typer):
    """Typer that turns a store error raised mid-command (a page found corrupted, a write to a read-only file,
    a lost connection) into one line and exit 2, like the errors found when the store is opened."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            engine = sys.modules.get("jixiao.store.engine")
            if engine is None or not isinstance(exc, engine.StoreError):
                raise
            err.print(f"[red]错误[/red]：{exc}", highlight=False)
            raise SystemExit(2) from exc


app = _App(
    add_completion=False,
    no_args_is_help=True,
    help="jixiao (绩效): 读取、评分、检查、存储预算绩效文档。",
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("jixiao")
        except PackageNotFoundError:
            number = "未安装"
        out.print(f"jixiao {number}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="显示版本号并退出"
    ),
) -> None:
    """jixiao (绩效): 读取、评分、检查、存储预算绩效文档。"""


out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
