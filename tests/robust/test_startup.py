"""Start-up: ``jixiao --help`` and ``parse`` load no module they do not need; the lazy command list matches the
commands; shell completion works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import typer.main

from jixiao.cli import app
from jixiao.cli.app import COMMANDS

SAMPLE = sorted((Path(__file__).resolve().parents[2] / "src" / "jixiao" / "samples").glob("*.txt"))[0]
JIXIAO = str(Path(sys.executable).with_name("jixiao"))
HEAVY = (
    "sqlalchemy",
    "pdfplumber",
    "openpyxl",
    "docx",
    "alembic",
    "rapidfuzz",
    "jixiao.store.engine",
    "jixiao.store.cluster",
    "jixiao.rules",
)


def _loaded(*argv: str, modules: tuple[str, ...] = HEAVY) -> dict[str, bool]:
    """Which of ``modules`` a fresh process has imported after running ``jixiao argv``."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['jixiao', *{list(argv)!r}]\n"
        "from jixiao.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"sys.__stderr__.write(json.dumps({{m: m in sys.modules for m in {list(modules)!r}}}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    return dict(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_help_loads_no_store_parser_or_rules() -> None:
    loaded = _loaded("--help")
    assert not any(loaded.values()), loaded
    assert "jixiao.model" not in loaded


def test_parse_of_a_text_file_loads_no_store_or_office_stack() -> None:
    loaded = _loaded("parse", str(SAMPLE))
    assert not any(loaded.values()), loaded


def _sample_store(tmp_path: Path) -> Path:
    """A store holding the first sample."""
    from jixiao.ingest import ingest_files
    from jixiao.store.engine import open_store

    db = tmp_path / "s.db"
    engine = open_store(str(db), write=True, create=True)
    ingest_files(engine, [SAMPLE], check=False)
    engine.dispose()
    return db


QUERY_FREE = (
    "jixiao.pipeline",
    "jixiao.forms",
    "jixiao.readers",
    "jixiao.rules",
    "jixiao.export",
    "openpyxl",
    "rapidfuzz",
)


def test_the_store_queries_load_no_parser_rule_or_exporter(tmp_path: Path) -> None:
    """``summary``, ``show`` and ``projects`` only read the store: their start-up stays under the aim of
    ``show`` < 0.2 s beyond SQLAlchemy's own (bench/ingest.py)."""
    db = _sample_store(tmp_path)
    code = (
        "import json, sys\n"
        "from jixiao.cli import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
        f"sys.__stderr__.write(json.dumps([code, {{m: m in sys.modules for m in {list(QUERY_FREE)!r}}}]))\n"
    )
    for argv in (["summary"], ["show", "P1"], ["projects"], ["projects", "--json"]):
        proc = subprocess.run(
            [sys.executable, "-c", f"import sys; sys.argv = ['jixiao', *{[*argv, '--db', str(db)]!r}]\n{code}"],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        exit_code, loaded = json.loads(proc.stderr.strip().splitlines()[-1])
        assert exit_code in (None, 0), proc.stdout + proc.stderr
        assert not any(loaded.values()), (argv, loaded)


LISTING_FREE = ("jixiao.model", "jixiao.store.codec", "jixiao.store.views", "alembic")


def test_the_listings_load_no_document_model_nor_migration_tool(tmp_path: Path) -> None:
    """``summary`` and ``projects`` print counts and entries, never a document: the model (its pydantic
    classes), the row codec and the views stay unloaded, and opening a store at HEAD reads one row, not
    Alembic; ``show`` prints documents, rebuilt through the driver without the model (:mod:`jixiao.store.light`),
    so it loads none of them either."""
    db = _sample_store(tmp_path)
    for argv in (["summary"], ["summary", "--json"], ["projects"], ["projects", "--json"], ["show", "P1"]):
        loaded = _loaded(*argv, "--db", str(db), modules=LISTING_FREE)
        assert not any(loaded.values()), (argv, loaded)


def test_the_startup_bench_times_the_read_commands_over_a_store(tmp_path: Path) -> None:
    """bench/startup.py --db runs each read command and prints its figures (their speed is the bench's, not
    asserted here; its exit status says whether --help and parse met their limit on this machine)."""
    db = _sample_store(tmp_path)
    bench = Path(__file__).resolve().parents[2] / "bench" / "startup.py"
    done = subprocess.run(
        [sys.executable, str(bench), "--runs", "1", "--db", str(db)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-2000:]
    for line in ("jixiao summary", "jixiao show", "jixiao projects --json", "python -c 'import sqlalchemy'"):
        assert any(ln.strip().startswith(line) and "s CPU" in ln for ln in done.stdout.splitlines()), (
            done.stdout
        )


def test_the_lazy_command_list_names_every_command_with_its_own_help() -> None:
    for module in {m for m, _ in COMMANDS.values()}:
        __import__(module)
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    real = {name: cmd.get_short_help_str(1000) for name, cmd in group.commands.items()}
    assert set(COMMANDS) <= set(real)
    for name, (_module, short) in COMMANDS.items():
        assert real[name] == short, name


def test_shell_completion_is_offered_and_completes_commands() -> None:
    env = {**os.environ, "_JIXIAO_COMPLETE": "complete_bash", "COMP_WORDS": "jixiao ing", "COMP_CWORD": "1"}
    proc = subprocess.run([JIXIAO], capture_output=True, text=True, env=env, check=False, timeout=60)
    assert "ingest" in proc.stdout.split(), proc.stdout + proc.stderr
    shown = subprocess.run(
        [JIXIAO, "--show-completion", "bash"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "_JIXIAO_COMPLETE" in shown.stdout.upper(), shown.stdout + shown.stderr
