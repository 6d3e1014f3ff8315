"""The organisation tree: 财政局 with its 业务处室, 主管部门 with their 实施单位, and which 处室 reviews which 部门.

A tree is read from a CSV with the columns ``编码,名称,类型,上级编码[,归口处室]`` (code, name, kind, parent code and,
for a 主管部门, the code of the 处室 of the finance bureau it is assigned to). Errors name the line and the cause.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class OrgKind(StrEnum):
    """What an organisation is in the cycle."""

    FINANCE = "财政局"
    DIVISION = "业务处室"
    DEPARTMENT = "主管部门"
    UNIT = "实施单位"


# Which kind may sit under which: a unit under a department (or a department's own sub-unit), a division under
# the finance bureau, a department under the finance bureau or at the root.
_PARENTS: dict[OrgKind, frozenset[OrgKind | None]] = {
    OrgKind.FINANCE: frozenset({None}),
    OrgKind.DIVISION: frozenset({OrgKind.FINANCE}),
    OrgKind.DEPARTMENT: frozenset({None, OrgKind.FINANCE}),
    OrgKind.UNIT: frozenset({OrgKind.DEPARTMENT, OrgKind.UNIT}),
}


class OrgError(ValueError):
    """An organisation file or tree that cannot be used (the message is one Chinese line)."""


@dataclass(frozen=True)
class Org:
    """One organisation, known by its code."""

    code: str
    name: str
    kind: OrgKind
    parent: str | None = None
    division: str | None = None  # for a 主管部门: the finance bureau's 处室 that reviews it (level 2)


@dataclass
class OrgTree:
    """Organisations by code, with parent links checked (no unknown parent, no cycle, kinds that fit)."""

    orgs: dict[str, Org] = field(default_factory=dict)

    @classmethod
    def of(cls, orgs: Iterable[Org]) -> OrgTree:
        tree = cls()
        for org in orgs:
            if org.code in tree.orgs:
                raise OrgError(f"组织编码重复：{org.code}")
            tree.orgs[org.code] = org
        tree.check()
        return tree

    def check(self) -> None:
        for org in self.orgs.values():
            parent = self.orgs.get(org.parent) if org.parent else None
            if org.parent and parent is None:
                raise OrgError(f"{org.code} {org.name}：上级编码 {org.parent} 不存在")
            if (parent.kind if parent else None) not in _PARENTS[org.kind]:
                where = parent.kind.value if parent else "顶层"
                raise OrgError(f"{org.code} {org.name}：{org.kind.value}不能位于{where}之下")
            if org.division is not None:
                division = self.orgs.get(org.division)
                if (
                    org.kind is not OrgKind.DEPARTMENT
                    or division is None
                    or division.kind is not OrgKind.DIVISION
                ):
                    raise OrgError(f"{org.code} {org.name}：归口处室 {org.division} 不是业务处室")
            seen = {org.code}
            for up in self.ancestors(org.code):
                if up.code in seen:
                    raise OrgError(f"{org.code} {org.name}：上级关系成环")
                seen.add(up.code)

    def __getitem__(self, code: str) -> Org:
        try:
            return self.orgs[code]
        except KeyError:
            raise OrgError(f"组织编码不存在：{code}") from None

    def __contains__(self, code: object) -> bool:
        return code in self.orgs

    def ancestors(self, code: str) -> Iterator[Org]:
        """The parents of ``code``, nearest first (stops at a cycle's second visit)."""
        seen: set[str] = set()
        org = self.orgs.get(code)
        while org is not None and org.parent and org.parent not in seen:
            seen.add(org.parent)
            org = self.orgs.get(org.parent)
            if org is not None:
                yield org

    def within(self, code: str, root: str) -> bool:
        """Whether ``code`` is ``root`` or below it."""
        return code == root or any(up.code == root for up in self.ancestors(code))

    def department_of(self, code: str) -> Org | None:
        """The 主管部门 a unit belongs to (itself for a department)."""
        org = self.orgs.get(code)
        if org is not None and org.kind is OrgKind.DEPARTMENT:
            return org
        return next((up for up in self.ancestors(code) if up.kind is OrgKind.DEPARTMENT), None)

    def subtree(self, root: str) -> frozenset[str]:
        return frozenset(code for code in self.orgs if self.within(code, root))


COLUMNS = ("编码", "名称", "类型", "上级编码")


def read_csv(text: str, name: str = "组织文件") -> OrgTree:
    """An organisation tree from CSV text (a BOM, as Excel writes it, is accepted); the file is the whole tree."""
    try:
        return OrgTree.of(read_rows(text, name))
    except OrgError as exc:
        raise OrgError(f"{name}：{exc}") from None


def read_rows(text: str, name: str = "组织文件") -> list[Org]:
    """The organisations a CSV lists, each row checked on its own (a partial file may name parents it lacks)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise OrgError(f"{name}：缺少列 {'、'.join(missing)}（需要 {','.join(COLUMNS)}[,归口处室]）")
    kinds = {k.value: k for k in OrgKind}
    orgs: list[Org] = []
    for line, row in enumerate(reader, start=2):
        code, title, kind = ((row.get(c) or "").strip() for c in COLUMNS[:3])
        if not code or not title:
            raise OrgError(f"{name} 第 {line} 行：编码和名称不能为空")
        if kind not in kinds:
            raise OrgError(f"{name} 第 {line} 行：类型“{kind}”应为 {'、'.join(kinds)} 之一")
        parent = (row.get("上级编码") or "").strip() or None
        division = (row.get("归口处室") or "").strip() or None
        orgs.append(Org(code, title, kinds[kind], parent, division))
    return orgs
