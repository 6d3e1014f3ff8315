"""A self-evaluation draft's link to the declaration draft it was made from (0009): drafts made before the
column are linked from their audit log's ``create`` entry on upgrade, the others stay unlinked, and the column
comes off again on downgrade.  SQLite and PostgreSQL (``db_url``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, select

from jixiao.store import drafts, schema
from jixiao.store.engine import make_engine, migrate, migrations_dir, writing

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _alembic(engine: object, fn: str, rev: str) -> None:
    from alembic import command
    from alembic.config import Config

    with writing(engine) as conn:  # type: ignore[arg-type]
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations_dir()))
        cfg.attributes["connection"] = conn
        getattr(command, fn)(cfg, rev)


def test_0009_links_the_drafts_made_before_it_from_their_audit_entries(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        _alembic(engine, "upgrade", "0008")
        made = [
            (1, "target_declaration", "空白表样"),
            (2, "self_evaluation", "由申报表草稿 1（第 3 版，0123456789ab）生成"),
            (3, "self_evaluation", "由申报表 7 生成"),  # from a stored declaration: no draft to link
        ]
        with writing(engine) as conn:
            for draft_id, kind, reason in made:
                conn.execute(
                    schema.drafts.insert().values(
                        id=draft_id,
                        org_code="U1",
                        project="教师培训经费",
                        kind=kind,
                        year=2026,
                        state="草稿",
                        level=0,
                        version=1,
                        approvals=[],
                        created_by="u1",
                        created_at=T0,
                        updated_at=T0,
                    )
                )
                conn.execute(
                    schema.audit_log.insert().values(
                        at=T0, actor="u1", action="create", subject=f"draft:{draft_id}", reason=reason
                    )
                )
        migrate(engine)
        with engine.connect() as conn:
            got = dict(conn.execute(select(schema.drafts.c.id, schema.drafts.c.declaration_draft_id)).all())
        assert got == {1: None, 2: 1, 3: None}
        linked = drafts.made_from(engine, 1)
        assert linked is not None
        assert (linked.id, linked.declaration_draft_id) == (2, 1)
        assert drafts.made_from(engine, 2) is None
        _alembic(engine, "downgrade", "0008")
        assert "declaration_draft_id" not in {c["name"] for c in inspect(engine).get_columns("drafts")}
        with engine.connect() as conn:  # the drafts themselves are kept
            assert conn.execute(select(schema.drafts.c.id).order_by(schema.drafts.c.id)).scalars().all() == [
                1,
                2,
                3,
            ]
    finally:
        engine.dispose()
