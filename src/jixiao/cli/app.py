"""The Typer application and the consoles every command module shares.

Command modules are imported when their command runs, not before: ``jixiao --help`` and ``jixiao parse`` do not
load SQLAlchemy, the rules or the store.  :data:`COMMANDS` names each command's module and the one-line help the
command list shows (a test checks it against the command's own docstring).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
import typer.core
import typer.main
from rich.console import Console

# command → (the module that registers it, its one-line help as the command list shows it)
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("jixiao.cli.parse", "解析文件中的绩效文档：默认输出摘要，--json 输出开放 JSON 格式（v1）。"),
    "demo": ("jixiao.cli.parse", "解析随附的上海示例文档并输出摘要（make run）。"),
    "check": (
        "jixiao.cli.check",
        "按规则检查文档；human 格式每行为 `文件:行: 代码 严重程度 〔项目 (年度)〕 说明`。",
    ),
    "score": ("jixiao.cli.check", "逐行列出表中得分与按规则计算的得分及其依据（公式与数值）。"),
    "rules": ("jixiao.cli.check", "列出每项检查的代码、严重程度与摘要。"),
    "ingest": (
        "jixiao.cli.ingest",
        "把文件入库：每个文件一个事务（整份入库或完全不入），相同内容不重复入库，修改过的文件保存为新版本。",
    ),
    "link": (
        "jixiao.cli.ingest",
        "跨年度、跨类型关联项目；--merge/--split 记录用户的决定，之后的入库都会遵守。",
    ),
    "projects": ("jixiao.cli.store", "列出项目及其文档（类型、年度、印刷名称、关联分）。"),
    "show": ("jixiao.cli.store", "一个项目的时间线：申报目标、自评得分、评价结论与检查结果。"),
    "export": (
        "jixiao.cli.ingest",
        "导出：JSON（v1 格式）、CSV/Parquet（指标明细宽表）、XLSX（官方绩效自评表样式，可再读回）。",
    ),
    "summary": (
        "jixiao.cli.store",
        "库内概况：各类型、各年度文档数，跨年度关联的项目，检查结果，得分最低与问题最多的项目。",
    ),
    "rm": ("jixiao.cli.rm", "从库中删除文档、文件或项目（默认只列出将删除的内容，加 --yes 才删除）。"),
    "db": ("jixiao.cli.db", "数据库维护：完整性检查与架构升级。"),
    "serve": (
        "jixiao.cli.serve",
        "在浏览器中浏览库内文档（工作台、项目库、项目档案、官方表样、问题清单、仪表盘），每页都有 JSON。",
    ),
    "users": ("jixiao.cli.people", "用户与角色：添加、列出、停用用户，签发 API 令牌。"),
    "orgs": ("jixiao.cli.people", "组织树：从 CSV 导入（编码,名称,类型,上级编码[,归口处室]）并列出。"),
}


class LazyGroup(typer.core.TyperGroup):
    """The command group that imports a command's module only when the command is run (or its help shown);
    the command list of ``--help`` and shell completion use :data:`COMMANDS` instead."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(self.commands)
        return names + [n for n in COMMANDS if n not in self.commands]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return self.commands.get(cmd_name)
        module, short = COMMANDS[cmd_name]
        if self._listing:  # a line of the command list: the name and its help, without importing the module
            return typer.core.TyperCommand(cmd_name, help=short, short_help=short)
        importlib.import_module(module)
        built = typer.main.get_command(app)
        if isinstance(built, typer.core.TyperGroup):
            for name, command in built.commands.items():
                self.commands.setdefault(name, command)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: Any) -> Any:
        """A store error raised mid-command is one line and exit 2 (also under a test runner, which calls the
        group rather than :class:`_App`)."""
        try:
            return super().invoke(ctx)
        except Exception as exc:
            engine = sys.modules.get("jixiao.store.engine")
            if engine is None or not isinstance(exc, engine.StoreError):
                raise
            err.print(f"[red]错误[/red]：{exc}", highlight=False)
            raise typer.Exit(2) from exc

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        self._listing = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False


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
    cls=LazyGroup,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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
