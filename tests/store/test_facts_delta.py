"""The facet facts, profiles and the maintained figures (migrations 0006, 0007 and 0008) kept by delta: after
every ingest, relink, merge, split and removal, what the delta refresh left is what a full rebuild computes, and the
工作台 and ``summary`` read from them say what counting the documents says; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from jixiao.ingest import ingest_files
from jixiao.store import query, relink, schema, search
from jixiao.store.link import merge, split
from jixiao.store.remove import remove
from jixiao.store.report import _counted, summarise

KEPT = (
    search.cache_table,
    search.facts_table,
    search.facet_counts_table,
    search.stats_table,
    search.project_counts_table,
    search.totals_table,
    search.document_figures_table,
)
PROFILES = (  # the profiles by what they hold (a delta numbers a new one after the highest, a rebuild anew)
    select(search.profiles_table.c.project_id, search.profile_keys_table.c.profile)
    .add_columns(search.profiles_table.c.department, search.profiles_table.c.unit)
    .join(search.profile_keys_table, search.profile_keys_table.c.id == search.profiles_table.c.profile_id)
)


def _kept(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(
                (
                    tuple(round(v, 6) if isinstance(v, float) else v for v in r)
                    for r in conn.execute(select(t))
                ),
                key=repr,
            )
            for t in KEPT
        } | {"profiles": sorted(tuple(r) for r in conn.execute(PROFILES))}


def _marked(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(search.dirty_table)).scalar_one())


def _check(engine: Engine, *, redone_at_most: int | None = None) -> int:
    """Refresh by delta; compare with a full rebuild, and the figures read with the ones counted."""
    redone = search.refresh_store_facts(engine)
    if redone_at_most is not None:
        assert redone <= redone_at_most
    assert _marked(engine) == 0
    delta = _kept(engine)
    with engine.connect() as conn:
        assert search.facts_fresh(conn)
        kept_summary = summarise(conn).to_dict()
        kept_overview = search.overview(conn).to_dict()
        assert kept_summary == _counted(conn, 5).to_dict()
        listed = [p.to_dict() for p in query.iter_projects(conn, fresh=True)]  # the kept per-document figures
        assert listed == [p.to_dict() for p in query.iter_projects(conn, fresh=False)]
        assert any(d["findings"] for p in listed for d in p["documents"])
        files = search.overview_files(conn)  # the files figure is the kept one, not counted on read
        assert search.kept_totals(conn)["files"] == {("", ""): files}
        assert kept_summary["files"] == files
        assert kept_overview == search._live_overview(conn).to_dict()
        assert search.dashboards(conn) == search._dashboards(conn, None, None)
        d = schema.documents
        depts = [int(x) for x in conn.execute(select(d.c.department_id).distinct()).scalars() if x]
        assert depts
        keys = set(conn.execute(select(search.cache_table.c.key)).scalars())
        assert {f"dashboards:{x}" for x in depts} | {"dashboards"} <= keys
        for dept in depts:  # kept for the departments of the projects redone, the rest kept from before
            assert search.dashboards(conn, dept) == search._dashboards(conn, dept, None), dept
    search.refresh_store_facts(engine, full=True)
    assert _kept(engine) == delta
    return redone


def _doc(engine: Engine, project_name: str, kind: str) -> int:
    d = schema.documents
    with engine.connect() as conn:
        q = (
            select(d.c.id)
            .where(d.c.current.is_(True), d.c.kind == kind, d.c.project_name.contains(project_name))
            .order_by(d.c.id)
        )
        return int(conn.execute(q).scalars().first() or 0)


def test_delta_refresh_equals_a_full_rebuild(
    engine: Engine, seeds: list[Path], tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(search, "DASHBOARDS_SECONDS", 600.0)  # (a slow machine keeps every one all the same)
    ingest_files(engine, seeds[:3])
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(schema.projects)).scalar_one())
        assert total > 3
        assert search.facts_fresh(conn)  # the ingest refreshed
        assert conn.execute(select(func.count()).select_from(search.totals_table)).scalar_one() > 0
    assert _check(engine) == 0  # nothing marked since

    ingest_files(engine, seeds[3:])  # more projects: only those the run touched are redone
    assert _check(engine) == 0
    changed = tmp_path / "changed.txt"
    changed.write_bytes(seeds[0].read_bytes())
    ingest_files(engine, [changed])  # the same bytes at a new path: a copy, whose file's newest path is new
    _check(engine)  # (the ingest redid the projects of its documents: their listed path is the copy's)
    with engine.connect() as conn:
        paths = {d.path for p in query.iter_projects(conn, fresh=True) for d in p.documents}
    assert any(str(p).endswith("changed.txt") for p in paths)
    changed.write_bytes(seeds[0].read_bytes().replace("项目".encode(), "工程".encode(), 1) + b"\n")
    ingest_files(engine, [changed])  # a new version of that path: the old one stops being current
    _check(engine)

    relink(engine)  # what `jixiao link` does: no decision, the marks alone say the facts are stale
    _check(engine)

    result = _doc(engine, "在线学习工作经费", "evaluation_result")
    assert result
    split(engine, [f"D{result}"], "测试：拆分")
    with engine.connect() as conn:
        assert not search.facts_fresh(conn)
    redone = _check(engine)
    assert 0 < redone < total + 5  # the split project and its neighbours, not the store

    a = _doc(engine, "信息化运维", "self_evaluation")
    b = _doc(engine, "干部教育工作经费", "self_evaluation")
    merge(engine, [f"D{a}", f"D{b}"], "测试：合并")
    _check(engine)

    remove(engine, [f"D{b}"])  # `jixiao rm`: its own transaction takes the document off the counts
    with engine.connect() as conn:
        assert search.facts_fresh(conn)
    _check(engine)
    with engine.connect() as conn:
        project = conn.execute(select(schema.projects.c.id).order_by(schema.projects.c.id)).scalar()
    remove(engine, [f"P{project}"])  # a whole project goes
    _check(engine)


def test_a_full_rebuild_is_taken_when_too_much_is_marked(
    engine: Engine, seeds: list[Path], monkeypatch: Any
) -> None:
    ingest_files(engine, seeds)
    relink(engine)
    monkeypatch.setattr(search, "DELTA_MAX", 0)
    result = _doc(engine, "在线学习工作经费", "evaluation_result")
    split(engine, [f"D{result}"], "测试：拆分")  # a decision marks its projects and does not refresh
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(schema.projects)).scalar_one())
    assert total > 1
    assert search.refresh_store_facts(engine) == total  # every project redone, not the one marked
    assert _marked(engine) == 0


def test_a_delta_keeps_a_bounded_number_of_dashboards(
    engine: Engine, seeds: list[Path], monkeypatch: Any
) -> None:
    """Beyond the bound, a department's dashboards are forgotten (computed on request), never left stale."""
    ingest_files(engine, seeds)
    monkeypatch.setattr(search, "DASHBOARDS_PER_REFRESH", 0)
    d = schema.documents
    with engine.connect() as conn:
        depts = [int(x) for x in conn.execute(select(d.c.department_id).distinct()).scalars() if x]
    remove(engine, [f"D{_doc(engine, '信息化运维', 'self_evaluation')}"])
    search.refresh_store_facts(engine)
    with engine.connect() as conn:
        keys = set(conn.execute(select(search.cache_table.c.key)).scalars())
        assert "dashboards" in keys
        assert any(f"dashboards:{x}" not in keys for x in depts)
        for dept in depts:
            assert search.dashboards(conn, dept) == search._dashboards(conn, dept, None), dept


def test_facts_kept_before_the_files_figure_count_the_files(engine: Engine, seeds: list[Path]) -> None:
    """A store refreshed by a version that kept no ``files`` total: summary and the 工作台 count the files."""
    ingest_files(engine, seeds[:3])
    tt = search.totals_table
    with engine.begin() as conn:
        kept = conn.execute(select(tt.c.n).where(tt.c.what == "files")).scalar_one()
        assert kept > 0
        conn.execute(tt.delete().where(tt.c.what == "files"))
    with engine.connect() as conn:
        assert search.facts_fresh(conn)
        assert summarise(conn).files == kept == search.overview(conn).files
        assert summarise(conn).to_dict() == _counted(conn, 5).to_dict()
    assert search.refresh_store_facts(engine) == 0  # nothing to redo, but the total is kept from then on
    with engine.connect() as conn:
        assert conn.execute(select(tt.c.n).where(tt.c.what == "files")).scalar_one() == kept


def test_an_organisations_rename_marks_the_projects_naming_it(engine: Engine, seeds: list[Path]) -> None:
    """The kept dashboards print department names: renaming one (migration 0011's trigger) marks the projects
    naming it, the pages compute from the store until a refresh redoes them, and a rename to the same name, or
    of an organisation no project names, marks nothing."""
    ingest_files(engine, seeds)
    d, org = schema.documents, schema.organisations
    with engine.connect() as conn:
        dept = int(conn.execute(select(func.min(d.c.department_id))).scalar_one())
        old = str(conn.execute(select(org.c.name).where(org.c.id == dept)).scalar_one())
        assert search.dashboards(conn, dept)["dept_name"] == old
    with engine.begin() as conn:
        conn.execute(org.update().where(org.c.id == dept).values(name=old))  # unchanged
        conn.execute(org.insert().values(name="测试：无项目的单位"))
        conn.execute(org.update().where(org.c.name == "测试：无项目的单位").values(name="测试：改名"))
    assert _marked(engine) == 0
    with engine.begin() as conn:
        conn.execute(org.update().where(org.c.id == dept).values(name=old + "（改名）"))
    marked = _marked(engine)
    with engine.connect() as conn:
        naming = {
            int(p)
            for p in conn.execute(
                select(schema.links.c.project_id)
                .join(d, d.c.id == schema.links.c.document_id)
                .where(d.c.department_id == dept)
            ).scalars()
        }
        assert 0 < len(naming) <= marked
        assert not search.facts_fresh(conn)
        assert search.dashboards(conn, dept)["dept_name"] == old + "（改名）"  # computed, not the kept one
    assert 0 < _check(engine) == marked
    with engine.connect() as conn:
        assert search.dashboards(conn, dept)["dept_name"] == old + "（改名）"
        rollup = {r["key"]: r["name"] for r in search.dashboards(conn)["departments"]}
        assert rollup[dept] == old + "（改名）"
