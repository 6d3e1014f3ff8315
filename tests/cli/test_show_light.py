"""``jixiao show`` without the Typer app (:mod:`jixiao.console` over :mod:`jixiao.store.light`) prints what the
full command prints, over the same stores (SQLite and PostgreSQL), and leaves to it whatever it is not sure of."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from jixiao import ParseResult
from jixiao import console as light_show
from jixiao.cli import app
from jixiao.model import AnyDocument, Finding, Severity, SourceRef, to_v1
from jixiao.store import codec, light, load_documents, open_engine, query, schema
from jixiao.store.engine import HEAD
from jixiao.store.ingest import FileJob, sha256, start_run, store_file
from tests.pg import fresh_schema
from tests.store.conftest import SEEDS
from tests.strategies import declaration, evaluation, self_evaluation

WIDTH = "160"
runner = CliRunner()
JIXIAO = str(Path(sys.executable).with_name("jixiao"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seeds ingested with their checks, in a SQLite file or a PostgreSQL schema of its own."""

    def ingest(url: str) -> str:
        result = runner.invoke(app, ["ingest", *map(str, SEEDS), "--db", url, "--quiet", "-j", "1"])
        assert result.exit_code == 0, result.output
        return url

    if request.param == "sqlite":
        yield ingest(f"sqlite:///{tmp_path_factory.mktemp('light') / 'jixiao.db'}")
    else:
        with fresh_schema(request.getfixturevalue("pg_database")) as url:
            yield ingest(url)


def _both(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[str, str]:
    """What the light path and the full command print for ``show argv``."""
    monkeypatch.setenv("COLUMNS", WIDTH)
    capsys.readouterr()
    assert light_show.run(argv) == 0, argv  # answered here, not left to the full command
    fast = capsys.readouterr().out
    full = runner.invoke(app, ["show", *argv], env={"COLUMNS": WIDTH})
    assert full.exit_code == 0, full.output
    return fast, full.stdout


def _refs(db: str) -> list[str]:
    """Every project by id, by a document of it and, where its name is its own, by name."""
    listed = json.loads(runner.invoke(app, ["projects", "--json", "--db", db]).stdout)
    names = [p["name"] for p in listed]
    refs = [f"P{p['id']}" for p in listed] + [
        f"D{p['documents'][-1]['id']}" for p in listed if p["documents"]
    ]
    return refs + [n for n in names if names.count(n) == 1 and not any(n in m and n != m for m in names)]


def test_the_light_show_prints_what_the_command_prints(
    store: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refs = _refs(store)
    assert len(refs) > 30
    for ref in refs:
        for extra in ([], ["--json"]):
            fast, full = _both([ref, "--db", store, *extra], monkeypatch, capsys)
            assert fast == full, (ref, extra)


def test_stale_facts_are_counted_as_the_command_counts_them(
    store: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = open_engine(store)
    try:
        with engine.begin() as conn:
            kept = [dict(r._mapping) for r in conn.execute(text("SELECT * FROM search_facts_state"))]
            conn.execute(text("DELETE FROM search_facts_state"))
        try:
            with light.open_reader(store) as reader:
                assert not light.facts_fresh(reader)
            for ref in _refs(store)[:8]:
                for extra in ([], ["--json"]):
                    fast, full = _both([ref, "--db", store, *extra], monkeypatch, capsys)
                    assert fast == full, (ref, extra)
        finally:
            with engine.begin() as conn:
                for row in kept:
                    conn.execute(
                        text(
                            "INSERT INTO search_facts_state VALUES (:id, :run, :finished, :decision, :refreshed_at)"
                        ),
                        row,
                    )
    finally:
        engine.dispose()


def test_what_it_is_not_sure_of_goes_to_the_command(store: str) -> None:
    assert light_show.run(["信息化运维项目", "--db", store]) is None  # several projects
    assert light_show.run(["不存在的项目", "--db", store]) is None
    assert light_show.run(["P999999", "--db", store]) is None
    assert light_show.run(["P1", "--db", store, "--help"]) is None
    assert light_show.run(["--db", store]) is None
    assert light_show.run(["P1", "P2", "--db", store]) is None
    assert light_show.run(["P1", "--db", store, "--unknown"]) is None


def test_the_console_script_gives_the_commands_errors(store: str) -> None:
    for ref, words in (("信息化运维项目", "多个项目"), ("不存在的项目", "没有找到项目")):
        done = subprocess.run(
            [JIXIAO, "show", ref, "--db", store], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 1, done.stdout + done.stderr
        assert words in done.stderr


def test_arguments() -> None:
    assert light_show.parse(["P1"]) == ("P1", None, False)
    assert light_show.parse(["--json", "--db", "x.db", "P1"]) == ("P1", "x.db", True)
    assert light_show.parse(["P1", "--db=x.db"]) == ("P1", "x.db", False)
    for argv in (
        ["P1", "--help"],
        ["-h"],
        [],
        ["P1", "--db"],
        ["P1", "--db", "a", "--db", "b"],
        ["P1", "-x"],
    ):
        assert light_show.parse(argv) is None, argv


def test_an_unlinked_store_is_linked_by_the_command(tmp_path: Path) -> None:
    db = tmp_path / "u.db"
    result = runner.invoke(app, ["ingest", str(SEEDS[0]), "--db", str(db), "--quiet", "--no-check"])
    assert result.exit_code == 0, result.output
    engine = open_engine(str(db))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM links"))
        conn.execute(text("DELETE FROM search_facts_state"))
    engine.dispose()
    assert light_show.run(["P1", "--db", str(db)]) is None


# --- the light module's copies of what the store and the model define --------------------------------------------


def test_the_schema_head_tables_and_labels_are_the_stores() -> None:
    assert light.HEAD == HEAD
    assert set(schema.metadata.tables) | {"alembic_version"} == light.TABLES
    assert (light.KIND_ORDER, light.KIND_SHORT, light.KIND_TITLE) == (
        query.KIND_ORDER,
        query.KIND_SHORT,
        query.KIND_TITLE,
    )
    assert light.DOC_COLUMNS == codec.DOC_FIELDS
    assert light.ORG_COLUMNS == codec.ORG_FIELDS
    assert {k: t.name for k, (_c, t) in codec.ROW_LISTS.items()} == light.ROW_TABLES
    for v in (None, 0.0, 3.0, 1234567.0, 12.345, 0.1, -5.5, 90):
        assert light.fmt(v) == query.fmt(v)


def _code(annotation: Any) -> str:
    """The type code of :data:`jixiao.store.light.FIELDS` for a model field's annotation."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (Union, types.UnionType):
        return _code(args[0]) if len(args) == 1 else "ef" if set(args) == {float, str} else "?"
    if get_origin(annotation) is Literal:
        return "kind" if len(args) == 1 else "s"
    if get_origin(annotation) is list:
        inner = _code(args[0])
        return "[s]" if inner == "s" else "findings" if inner == "Finding" else f"[{inner}]"
    if get_origin(annotation) is dict:
        return "cells" if args[1] is SourceRef else "{i}" if args[1] is int else "?"
    codes = {int: "i", float: "f", str: "s", bool: "b", dt.date: "d", SourceRef: "ref", Severity: "s"}
    if annotation in codes:
        return codes[annotation]
    return annotation.__name__ if isinstance(annotation, type) and issubclass(annotation, BaseModel) else "?"


def _default(field: Any) -> Any:
    if field.default_factory is not None:
        return {list: "[]", dict: "{}"}[field.default_factory]
    return None if field.is_required() else field.default


def test_the_fields_are_the_models() -> None:
    from jixiao import model

    classes = {
        "self_evaluation": model.SelfEvaluation,
        "target_declaration": model.TargetDeclaration,
        "evaluation_result": model.EvaluationResult,
        **{n: getattr(model, n) for n in light.FIELDS if n[:1].isupper()},
    }
    derived = {
        name: tuple((k, _code(f.annotation), _default(f)) for k, f in cls.model_fields.items())
        for name, cls in classes.items()
    }
    assert derived == light.FIELDS
    finding = tuple((k, _code(f.annotation)) for k, f in Finding.model_fields.items())
    assert finding == light.FINDING_FIELDS
    assert tuple(SourceRef.__slots__) == light.REF_FIELDS


# --- documents the strategies draw, stored and read back both ways -----------------------------------------------


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('drawn') / 'd.db'}")
    yield engine
    engine.dispose()


FINDING = Finding(
    code="C-SE-05",
    severity=Severity.WARNING,
    message="得分与规则不符",
    source=SourceRef(path="x.xlsx", sheet="表1", row=12, col=7, cell="G12", bbox=(1, 2, 3.5, 4)),
    subject="在线学习 / 出勤率",
    expected=8,
    actual="10",
    tolerance=0.01,
    name="self_eval.score_vs_rule",
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.one_of(self_evaluation(), declaration(), evaluation()), with_finding=st.booleans())
def test_drawn_documents_read_back_as_the_codec_reads_them(
    drawn: Engine, doc: AnyDocument, with_finding: bool
) -> None:
    doc = doc.model_copy(update={"source": SourceRef(path="g.txt", table=1, line=3)})
    if with_finding:
        doc.findings.append(FINDING)
    data = uuid.uuid4().bytes
    job = FileJob(f"/generated/{uuid.uuid4().hex}.txt", data, sha256(data))
    run = start_run(drawn, ["test"])
    assert (
        store_file(drawn, run, job, codec.prepare(ParseResult(job.path, [doc]), job.sha256)).outcome
        == "added"
    )
    with drawn.connect() as conn:
        (i,) = conn.execute(text("SELECT id FROM documents WHERE sha256 = :s"), {"s": job.sha256}).scalars()
        want = to_v1(load_documents(conn, [i])[i])
    with light.open_reader(str(drawn.url.database)) as reader:
        got = light.load_documents(reader, [i])[i]
    assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)


# --- what the show path loads ------------------------------------------------------------------------------------

HEAVY = ("sqlalchemy", "typer", "pydantic", "jixiao.model", "jixiao.store.engine", "jixiao.cli.app", "click")


@pytest.mark.parametrize("as_json", [False, True])
def test_the_show_path_loads_no_sqlalchemy_typer_or_pydantic(tmp_path: Path, as_json: bool) -> None:
    db = tmp_path / "s.db"
    assert runner.invoke(app, ["ingest", str(SEEDS[0]), "--db", str(db), "--quiet"]).exit_code == 0
    argv = ["show", "P1", "--db", str(db), *(["--json"] if as_json else [])]
    modules = [*HEAVY, "rich"]
    code = (
        "import json, sys\n"
        f"sys.argv = ['jixiao', *{argv!r}]\n"
        "from jixiao.console import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"sys.__stderr__.write(json.dumps({{m: m in sys.modules for m in {modules!r}}}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert done.stdout.strip(), done.stderr
    assert loaded == {m: m == "rich" and not as_json for m in modules}, loaded


# --- bad stores: the console script says what the command says ---------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "random", "text", "half", "corrupt", "other"])
def test_a_bad_store_is_reported_by_the_command(kind: str, tmp_path: Path) -> None:
    from tests.robust.test_bad_stores import STORES

    path = tmp_path / f"{kind}.db"
    make, cause = STORES[kind]
    if make is not None:
        make(path)
    before = path.read_bytes() if path.exists() else None
    done = subprocess.run(
        [JIXIAO, "show", "P1", "--db", str(path)], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [ln for ln in (done.stdout + done.stderr).splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    assert str(path) in lines[0]
    assert cause in lines[0]
    assert (path.read_bytes() if path.exists() else None) == before


def test_a_store_of_an_older_schema_is_left_to_the_command(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    assert runner.invoke(app, ["ingest", str(SEEDS[0]), "--db", str(db), "--quiet"]).exit_code == 0
    engine = open_engine(str(db))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0009'"))
    engine.dispose()
    assert light_show.run(["P1", "--db", str(db)]) is None
    done = subprocess.run(
        [JIXIAO, "show", "P1", "--db", str(db)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "jixiao db upgrade" in done.stderr
