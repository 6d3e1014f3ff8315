"""Linking one project across years and kinds: the seed acceptance groups, the rules behind them, user decisions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select

from jixiao.ingest import ingest_files
from jixiao.store import projects_of, relink, schema, writing
from jixiao.store.cluster import reach
from jixiao.store.link import (
    DocInfo,
    Linked,
    LinkError,
    cluster,
    current_documents,
    link_documents,
    merge,
    name_key,
    split,
)

KIND = {"申报": "target_declaration", "评价": "evaluation_result", "自评": "self_evaluation"}


def _groups(engine: Engine) -> list[set[tuple[str, int | None, str]]]:
    return [{(d.kind, d.year, d.name) for d in p.documents} for p in projects_of(engine)]


def _doc(kind: str, year: int, name: str) -> tuple[str, int, str]:
    return (KIND[kind], year, name)


ACCEPTANCE = [
    {
        _doc("申报", 2018, "在线学习工作经费"),
        _doc("评价", 2018, "在线学习工作经费项目"),
        _doc("自评", 2022, "在线学习工作经费"),
    },
    {_doc("申报", 2018, "干部考评和人才发展工作经费"), _doc("评价", 2018, "干部考评和人才发展工作经费")},
    {_doc("评价", 2018, "基层党建及队伍教育管理"), _doc("自评", 2023, "基层党建及队伍教育管理")},
    {_doc("评价", 2018, "党建服务工作经费项目"), _doc("自评", 2024, "党建服务工作经费")},
    {_doc("评价", 2018, "领导干部培训经费项目"), _doc("自评", 2022, "领导干部培训经费")},
    {_doc("评价", 2018, "组织部门建设和管理工作"), _doc("自评", 2023, "组织部门建设和管理工作经费")},
    {
        _doc("申报", 2018, "上海市党员干部现代远程网络体系运维费(非信息化项目)"),
        _doc("自评", 2024, "上海市党员干部现代远程教育网络体系运维（非信息化项目）"),
    },
]


def test_seed_projects_link_across_years(engine: Engine, seeds: list[Path]) -> None:
    ingest_files(engine, seeds, check=False)
    groups = _groups(engine)
    linked = [g for g in groups if len(g) > 1]
    assert sorted(map(sorted, linked)) == sorted(map(sorted, ACCEPTANCE))
    for name in ("信息化运维项目", "信息化建设项目"):  # same name, different implementing units: two projects
        assert {_doc("自评", 2023, name)} in groups
        assert {_doc("自评", 2024, name)} in groups
    assert len(groups) == 19


def _info(
    i: int, kind: str, year: int, name: str, unit: str | None = None, dept: str | None = None
) -> DocInfo:
    return DocInfo(i, KIND[kind], year, name, unit, dept)


def _partition(docs: list[DocInfo], **kw: object) -> set[frozenset[int]]:
    return {frozenset(link.document_id for link in p.links) for p in cluster(docs, **kw)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("printed", "core"),
    [
        ("2018年度在线学习工作经费项目", "在线学习"),
        ("在线学习工作经费", "在线学习"),
        ("上海市党员干部现代远程网络体系运维费(非信息化项目)", "上海市党员干部现代远程网络体系运维"),
        ("组织部门建设和管理工作", "组织部门建设和管理"),
        ("可持續發展項目", "可持续发展"),
        ("经费", "经费"),  # never stripped to nothing
    ],
)
def test_name_key(printed: str, core: str) -> None:
    assert name_key(printed)[0] == core


def test_same_name_other_unit_is_another_project() -> None:
    docs = [
        _info(1, "自评", 2023, "信息化运维项目", "中共上海市委组织部", "中共上海市委组织部"),
        _info(2, "自评", 2024, "信息化运维项目", "上海市党建服务中心", "中共上海市委组织部"),
        _info(3, "自评", 2024, "信息化运维项目", "中共上海市委组织部", "中共上海市委组织部"),
    ]
    assert _partition(docs) == {frozenset({1, 3}), frozenset({2})}


def test_a_unitless_document_between_two_units_is_left_alone() -> None:
    docs = [
        _info(1, "自评", 2023, "信息化运维项目", "甲中心"),
        _info(2, "自评", 2024, "信息化运维项目", "乙中心"),
        _info(3, "评价", 2022, "信息化运维项目"),  # which one? a guess either way
    ]
    assert _partition(docs) == {frozenset({1}), frozenset({2}), frozenset({3})}


def test_one_document_per_kind_and_year_but_copies_are_one() -> None:
    docs = [
        _info(1, "自评", 2023, "培训经费", "甲中心"),
        _info(2, "自评", 2023, "培训经费项目", "甲中心"),  # a second 2023 self-evaluation: another project
        _info(3, "自评", 2023, "培训经费", "甲中心"),  # the same form again (another file): a copy
    ]
    parts = _partition(docs)
    assert frozenset({1, 3}) in parts
    assert frozenset({2}) in parts
    (plan,) = [p for p in cluster(docs) if any(link.document_id == 3 for link in p.links)]
    assert {link.document_id: link.method for link in plan.links} == {1: "first", 3: "copy"}


def test_names_need_to_be_closer_without_a_unit() -> None:
    docs = [
        _info(
            1, "自评", 2024, "上海市党员干部现代远程教育网络体系运维（非信息化项目）", "上海市党建服务中心"
        ),
        _info(2, "申报", 2018, "上海市党员干部现代远程网络体系运维费(非信息化项目)", "上海市党建服务中心"),
        _info(3, "评价", 2018, "上海市党员干部现代远程教育工作经费"),
        _info(4, "自评", 2024, "组织部弱电会议系统（建设）", "甲中心"),
        _info(5, "申报", 2018, "组织部弱电会议系统（运维）", "甲中心"),  # other qualifier: another project
    ]
    assert _partition(docs) == {frozenset({1, 2}), frozenset({3}), frozenset({4}), frozenset({5})}


def test_linking_does_not_depend_on_ingest_order() -> None:
    names = [
        "在线学习工作经费",
        "在线学习工作经费项目",
        "领导干部培训经费",
        "领导干部培训经费项目",
        "党建服务工作经费",
    ]
    docs = [
        _info(i, kind, year, names[(i * 7) % 5], unit)
        for i, (kind, year, unit) in enumerate(
            [
                ("自评", 2022, "甲"),
                ("评价", 2018, None),
                ("申报", 2018, "甲"),
                ("自评", 2023, "乙"),
                ("评价", 2019, None),
                ("申报", 2020, "乙"),
                ("自评", 2021, None),
                ("评价", 2020, None),
            ],
            start=1,
        )
    ]
    expected = _partition(docs)
    rng = random.Random(7)
    for _ in range(20):
        shuffled = docs[:]
        rng.shuffle(shuffled)
        ids = rng.sample(range(100, 200), len(docs))  # other ids, as another ingest order would give
        renamed = {d.id: new for d, new in zip(shuffled, ids, strict=True)}
        got = _partition(
            [DocInfo(renamed[d.id], d.kind, d.year, d.name, d.unit, d.department) for d in shuffled]
        )
        back = {v: k for k, v in renamed.items()}
        assert {frozenset(back[i] for i in part) for part in got} == expected


def _project_of(engine: Engine, kind: str, year: int, name: str) -> set[tuple[str, int | None, str]]:
    (group,) = [g for g in _groups(engine) if _doc(kind, year, name) in g]
    return group


def _doc_id(engine: Engine, kind: str, year: int, name: str) -> int:
    for p in projects_of(engine):
        for d in p.documents:
            if (d.kind, d.year, d.name) == _doc(kind, year, name):
                return d.id
    raise AssertionError(name)


def test_user_split_and_merge_survive_later_ingests(
    engine: Engine, seeds: list[Path], tmp_path: Path
) -> None:
    ingest_files(engine, seeds, check=False)
    ids_before = {p.name: p.id for p in projects_of(engine)}
    relink(engine)
    assert {p.name: p.id for p in projects_of(engine)} == ids_before  # relinking keeps project ids

    result = _doc_id(engine, "评价", 2018, "在线学习工作经费项目")
    (project,) = [p for p in projects_of(engine) if any(d.id == result for d in p.documents)]
    mate_ids = [d.id for d in project.documents if d.id != result]
    assert split(engine, [f"D{result}"], "测试：拆分") == [
        result
    ]  # what `jixiao link --split D<result>` does
    assert _project_of(engine, "评价", 2018, "在线学习工作经费项目") == {
        _doc("评价", 2018, "在线学习工作经费项目")
    }

    a, b = _doc_id(engine, "自评", 2023, "信息化运维项目"), _doc_id(engine, "自评", 2024, "信息化运维项目")
    assert merge(engine, [f"D{a}", f"D{b}"], "测试：合并") == [a, b]
    assert len(_project_of(engine, "自评", 2023, "信息化运维项目")) == 2

    extra = tmp_path / "more.txt"  # a later ingest (new file) relinks everything: the decisions hold
    extra.write_bytes(seeds[0].read_bytes() + "\n附注\n".encode())
    ingest_files(engine, [extra], check=False)
    assert _project_of(engine, "评价", 2018, "在线学习工作经费项目") == {
        _doc("评价", 2018, "在线学习工作经费项目")
    }
    assert len(_project_of(engine, "自评", 2023, "信息化运维项目")) == 2

    merge(engine, [f"D{result}", *(f"D{m}" for m in mate_ids)])  # merging back forgets the split
    assert len(_project_of(engine, "评价", 2018, "在线学习工作经费项目")) == 3


def test_a_bad_merge_or_split_is_a_store_error_not_an_exit(engine: Engine, seeds: list[Path]) -> None:
    ingest_files(engine, seeds[:1], check=False)
    (project, *_rest) = projects_of(engine)
    with pytest.raises(LinkError, match="至少两个"):
        merge(engine, [f"P{project.id}"])
    with pytest.raises(LinkError, match="P99999：没有这个项目"):
        merge(engine, [f"P{project.id}", "P99999"])
    with pytest.raises(LinkError, match="文档编号"):
        split(engine, [f"P{project.id}"])
    with pytest.raises(LinkError, match="不是项目编号"):
        split(engine, ["Dx"])


# --- incremental linking ---------------------------------------------------------------------------------------


def _partition_of(engine: Engine) -> set[frozenset[tuple[str, int | None, str]]]:
    return {frozenset(g) for g in _groups(engine)}


def test_ingesting_file_by_file_links_as_one_relink(engine: Engine, seeds: list[Path]) -> None:
    """Each later ingest links only its new documents (their blocks, their projects): the projects are those
    a relink of the whole store makes, and relinking then keeps every project's id."""
    for seed in seeds[::-1]:
        ingest_files(engine, [seed], check=False)
    incremental = _partition_of(engine)
    ids = {p.name: p.id for p in projects_of(engine)}
    relink(engine)
    assert _partition_of(engine) == incremental
    assert {p.name: p.id for p in projects_of(engine)} == ids


_POOL = [chr(0x4E00 + k) for k in range(0, 6000, 4)]  # 1,500 characters, as varied as real names


def _store(units: int) -> list[DocInfo]:
    """``units`` units, each with three projects (distinct random names) over three years of
    self-evaluations, a declaration and an evaluation result naming no unit."""
    rng = random.Random(13)
    docs: list[DocInfo] = []
    for u in range(units):
        for _p in range(3):
            name = "".join(rng.choice(_POOL) for _ in range(14)) + "项目"
            unit = f"第{u}服务中心"
            for year in (2021, 2022, 2023):
                docs.append(_info(len(docs) + 1, "自评", year, name, unit, "某部门"))
            docs.append(_info(len(docs) + 1, "申报", 2021, name, unit, "某部门"))
            docs.append(_info(len(docs) + 1, "评价", 2022, name))
    return docs


@pytest.mark.parametrize("new_kind", ["自评", "评价"])
def test_linking_a_new_document_costs_the_same_in_a_store_ten_times_larger(new_kind: str) -> None:
    comparisons = []
    for units in (40, 400):
        docs = _store(units)
        first = docs[0]
        renamed = first.name[:5] + "新" + first.name[6:]  # one character other: still the same project
        new = _info(len(docs) + 1, new_kind, 2024, renamed, first.unit if new_kind == "自评" else None)
        found = reach([*docs, new], {new.id})
        assert {d.id for d in docs if d.name == first.name} <= found.documents  # its project's documents
        assert len(found.documents) <= 8
        comparisons.append(found.comparisons)
    small, large = comparisons
    assert small >= 1, comparisons
    assert large <= 2 * small + 2, comparisons  # not ten times as many


def test_link_documents_reclusters_only_what_the_new_documents_reach(
    engine: Engine, seeds: list[Path]
) -> None:
    ingest_files(engine, seeds[1:], check=False)
    ingest_files(engine, seeds[:1], check=False)
    with engine.connect() as conn:
        total = len(current_documents(conn))
    extra = link_documents(engine, [])  # nothing new: nothing to do
    assert extra == Linked(0, 0, 0)
    with writing(engine) as conn:  # a document that lost its project is linked again, with its project only
        (doc_id,) = conn.execute(select(schema.links.c.document_id).limit(1)).scalars().all()
        conn.execute(delete(schema.links).where(schema.links.c.document_id == doc_id))
    done = link_documents(engine, [doc_id])
    assert 1 <= done.documents < total
