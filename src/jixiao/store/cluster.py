"""Which documents are one project, across years and kinds: pure clustering, no database.

The store links what it holds with it (:mod:`jixiao.store.link`), and a check run groups its documents with it
(:mod:`jixiao.pipeline`), so cross-document checks see the same projects in both.

Evidence, in order of strength:

1. **What a user decided** (``jixiao link --merge/--split``): merges are applied first and never undone by
   the rules; a split keeps two documents apart for good.
2. **The name**, normalised: full-width forms folded, traditional characters simplified, a leading year
   (``2018年度``) and generic tails (``项目``, ``经费``, ``工作``, ``费`` …) removed, a trailing bracketed qualifier
   (``（非信息化项目）``) set aside.  Names are compared with rapidfuzz's ``ratio`` (0–1): the link score.
3. **The organisations**: the implementing unit (实施单位 of a self-evaluation, 申报单位 of a declaration) and
   the 主管部门.  Two different units (or departments) mean two projects, whatever the name; a document that
   prints no unit (evaluation results do not) is compatible with any, and then needs a closer name.
4. **Structure**: a project has one document of each kind per year, so two self-evaluations of 2023 are two
   projects; copies of one form (the same form in another file) are one.

Pairs are merged best-first (single linkage) while these hold.  A document without a unit whose best matches
lie in projects of different units is ambiguous and stays on its own.  The result depends only on the
documents and the decisions, not on the order they were ingested in.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from jixiao.model import AnyDocument, SelfEvaluation, TargetDeclaration
from jixiao.text import simplify

SAME_UNIT_THRESHOLD = 0.85  # name score needed when both documents name the same unit
OPEN_UNIT_THRESHOLD = 0.92  # … when one of them names none
AMBIGUITY_MARGIN = 0.02  # matches this close to the best count as equally good
_KIND_ORDER = {"self_evaluation": 0, "target_declaration": 1, "evaluation_result": 2}
_KIND_TITLE = {"self_evaluation": "自评", "target_declaration": "申报", "evaluation_result": "评价"}

_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年(?:度)?")
_TRAILING_QUALIFIER = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]$")
_GENERIC_TAILS = ("经费", "费用", "资金", "专项", "项目", "工作", "费")
_BRACKETS = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]")


# --- keys ---------------------------------------------------------------------------------------------------------


def _fold(s: str) -> str:
    return simplify("".join(unicodedata.normalize("NFKC", s).split()))


def strip_year(name: str) -> str:
    """The name without a leading year (``2018年度在线学习工作经费项目`` → ``在线学习工作经费项目``)."""
    return _LEADING_YEAR.sub("", name.strip()) or name.strip()


@lru_cache(maxsize=65536)
def name_key(name: str) -> tuple[str, tuple[str, ...]]:
    """(core name, qualifiers): ``上海市…运维费(非信息化项目)`` → (``上海市…运维``, (``非信息化``,))."""
    s = _LEADING_YEAR.sub("", _fold(name)) or _fold(name)
    qualifiers: list[str] = []
    changed = True
    while changed:
        changed = False
        m = _TRAILING_QUALIFIER.search(s)
        if m and m.start() > 0:
            q = _strip_tails(m.group(1))
            if q:
                qualifiers.append(q)
            s, changed = s[: m.start()], True
        stripped = _strip_tails(s)
        if stripped != s:
            s, changed = stripped, True
    return s, tuple(sorted(qualifiers))


def _strip_tails(s: str) -> str:
    for tail in _GENERIC_TAILS:
        if s.endswith(tail) and len(s) - len(tail) >= 2:
            return s[: -len(tail)]
    return s


@lru_cache(maxsize=65536)
def unit_aliases(name: str | None) -> frozenset[str]:
    """Names an organisation goes by: ``A（B）`` is A, B and ``A（B）``; empty for no organisation."""
    if not name:
        return frozenset()
    s = _fold(name)
    inner = _BRACKETS.findall(s)
    outer = _BRACKETS.sub("", s)
    return frozenset(x for x in (s, outer, *inner) if x)


def compatible(a: frozenset[str], b: frozenset[str]) -> bool | None:
    """True (same organisation), False (different), None (one side names none)."""
    if not a or not b:
        return None
    return bool(a & b)


# --- documents and nodes ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What linking looks at in one document."""

    id: int
    kind: str
    year: int | None
    name: str
    unit: str | None
    department: str | None

    @property
    def identity(self) -> str:
        """A key that stays the same for the same form in another file or a re-ingest (user decisions use it)."""
        name = _fold(self.name)
        name = _LEADING_YEAR.sub("", name) or name
        unit = _fold(self.unit) if self.unit else ""
        dept = _fold(self.department) if self.department else ""
        return "|".join([self.kind, str(self.year or ""), name, unit, dept])


@dataclass(slots=True)
class Node:
    """Copies of one form (same kind, year, printed name, unit and department): always one project."""

    key: str
    docs: list[DocInfo]
    core: str
    qualifiers: tuple[str, ...]
    units: frozenset[str]
    departments: frozenset[str]

    @property
    def head(self) -> DocInfo:
        return self.docs[0]


@dataclass(frozen=True, slots=True)
class Edge:
    score: float
    a: int  # node indexes
    b: int
    reason: str  # empty for an automatic link: :func:`_why` writes it when the link is kept
    method: str = "auto"
    evidence: int = 0  # 2: same unit, 1: same department only, 0: names alone


@dataclass(slots=True)
class Cluster:
    nodes: list[int]
    kind_years: set[tuple[str, int | None]]
    units: set[frozenset[str]]
    departments: set[frozenset[str]]
    edges: list[Edge] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Link:
    """How one document joined its project."""

    document_id: int
    via_document_id: int | None
    score: float
    method: str  # first | copy | auto | user
    reason: str


@dataclass(slots=True)
class ProjectPlan:
    name: str
    name_key: str
    unit: str | None
    department: str | None
    links: list[Link]


def _nodes(docs: Iterable[DocInfo]) -> list[Node]:
    by_key: dict[str, list[DocInfo]] = defaultdict(list)
    for d in sorted(docs, key=lambda d: d.id):
        by_key[d.identity].append(d)
    nodes: list[Node] = []
    for key in sorted(by_key):
        group = by_key[key]
        core, quals = name_key(group[0].name)
        nodes.append(
            Node(key, group, core, quals, unit_aliases(group[0].unit), unit_aliases(group[0].department))
        )
    return nodes


_NUMBER = re.compile(r"\d+|[一二三四五六七八九十百零]+(?=期|号|批|标段|届|轮)")


@lru_cache(maxsize=65536)
def numbers(core: str) -> tuple[str, ...]:
    """The numbers a name carries (``二期``, ``3号``, ``2025``): names with other numbers are other projects."""
    return tuple(_NUMBER.findall(core))


def _candidate_pairs(nodes: Sequence[Node]) -> Iterable[tuple[int, int, float]]:
    """(node a, node b, name score) for every pair whose core names are similar enough to matter, carry the
    same numbers, and whose kind or year differ (two forms of one kind and year are two projects anyway)."""
    by_core: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(nodes):
        by_core[n.core].append(i)
    kind_year = [(n.head.kind, n.head.year) for n in nodes]
    cores = sorted(by_core, key=len)
    cutoff = SAME_UNIT_THRESHOLD * 100
    stretch = 2 / SAME_UNIT_THRESHOLD - 1  # ratio ≥ t needs len(b) ≤ len(a)·(2/t − 1)
    for i, core in enumerate(cores):
        group = by_core[core]
        for x, a in enumerate(group):
            for b in group[x + 1 :]:
                if kind_year[a] != kind_year[b]:
                    yield a, b, 1.0
        # cores are sorted by length: compare each with the longer ones that can still reach the cutoff
        hi = i + 1
        while hi < len(cores) and len(cores[hi]) <= len(core) * stretch:
            hi += 1
        if hi == i + 1:
            continue
        mine = numbers(core)
        for other, score, _ in process.extract(
            core, cores[i + 1 : hi], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            if numbers(other) != mine:
                continue
            for a in group:
                for b in by_core[other]:
                    if kind_year[a] != kind_year[b]:
                        yield a, b, score / 100


def _edge(nodes: Sequence[Node], a: int, b: int, score: float) -> Edge | None:
    """The automatic link a–b, or None when the evidence says they are different projects."""
    na, nb = nodes[a], nodes[b]
    if na.qualifiers and nb.qualifiers and na.qualifiers != nb.qualifiers:
        return None
    unit = compatible(na.units, nb.units)
    dept = compatible(na.departments, nb.departments)
    if unit is False or dept is False:
        return None
    if score < (SAME_UNIT_THRESHOLD if unit else OPEN_UNIT_THRESHOLD):
        return None
    return Edge(score, a, b, "", evidence=2 if unit else (1 if dept else 0))


def _why(nodes: Sequence[Node], e: Edge) -> str:
    """The reason an automatic link was made, in words (written only for the links kept: a large store has
    millions of candidate edges)."""
    na, nb = nodes[e.a], nodes[e.b]
    ha, hb = na.head, nb.head
    if e.score >= 1.0:
        why = f"名称规范化后相同（{na.core}）"
    else:
        why = f"名称相似度 {e.score:.2f}（{na.core} ↔ {nb.core}）"
    if e.evidence == 2:
        why += f"；单位相同（{ha.unit}）"
    else:
        missing = hb if not nb.units else ha
        why += f"；{_KIND_TITLE[missing.kind]}{missing.year or ''}未写单位，按名称关联"
    if compatible(na.departments, nb.departments):
        why += "；主管部门相同"
    return why


def _conflict(x: Cluster, y: Cluster, cannot: dict[int, set[int]]) -> bool:
    """Whether two clusters cannot be one project: a kind and year twice, two units or departments, or a
    user's split between them."""
    if x.kind_years & y.kind_years:
        return True
    if any(compatible(u, v) is False for u in x.units for v in y.units):
        return True
    if any(compatible(u, v) is False for u in x.departments for v in y.departments):
        return True
    if cannot:
        others = set(y.nodes)
        return any(cannot.get(i, set()) & others for i in x.nodes)
    return False


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class _Clusters:
    """Union–find over nodes, each root holding its cluster's constraints."""

    def __init__(self, nodes: Sequence[Node]) -> None:
        self.parent = list(range(len(nodes)))
        self.cluster: dict[int, Cluster] = {
            i: Cluster(
                [i],
                {(n.head.kind, n.head.year)},
                {n.units} if n.units else set(),
                {n.departments} if n.departments else set(),
            )
            for i, n in enumerate(nodes)
        }

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, edge: Edge) -> None:
        ra, rb = self.find(edge.a), self.find(edge.b)
        if ra == rb:
            return
        x, y = self.cluster.pop(ra), self.cluster.pop(rb)
        root = min(ra, rb)
        self.parent[ra] = self.parent[rb] = root
        self.cluster[root] = Cluster(
            x.nodes + y.nodes,
            x.kind_years | y.kind_years,
            x.units | y.units,
            x.departments | y.departments,
            [*x.edges, *y.edges, edge],
        )


def cluster(
    docs: Iterable[DocInfo], merges: Iterable[tuple[str, str]] = (), splits: Iterable[tuple[str, str]] = ()
) -> list[ProjectPlan]:
    """Group documents into projects.  ``merges``/``splits`` are pairs of document identities a user decided."""
    nodes = _nodes(docs)
    index = {n.key: i for i, n in enumerate(nodes)}
    cannot: dict[int, set[int]] = defaultdict(set)
    for a, b in splits:
        if a in index and b in index:
            cannot[index[a]].add(index[b])
            cannot[index[b]].add(index[a])
    uf = _Clusters(nodes)
    for a, b in merges:
        if a in index and b in index:
            uf.union(Edge(1.0, index[a], index[b], "用户确认合并", "user"))
    edges = [e for a, b, s in _candidate_pairs(nodes) if (e := _edge(nodes, a, b, s)) is not None]
    edges.sort(key=lambda e: (-e.score, -e.evidence, nodes[e.a].key, nodes[e.b].key))
    adjacent: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        adjacent[e.a].append(e)
        adjacent[e.b].append(e)
    for e in edges:
        ra, rb = uf.find(e.a), uf.find(e.b)
        if ra == rb or _conflict(uf.cluster[ra], uf.cluster[rb], cannot):
            continue
        if _ambiguous(uf, ra, rb, e, adjacent) or _ambiguous(uf, rb, ra, e, adjacent):
            continue
        uf.union(e)
    return [_plan(nodes, c) for _root, c in sorted(uf.cluster.items())]


def _ambiguous(
    uf: _Clusters, open_root: int, unit_root: int, e: Edge, adjacent: dict[int, list[Edge]]
) -> bool:
    """A cluster naming no unit, about to join one that does, while an equally good match lies in a cluster of
    another unit: which of the two it belongs to is a guess, so it joins neither."""
    mine, theirs = uf.cluster[open_root], uf.cluster[unit_root]
    if mine.units or not theirs.units:
        return False
    for n in mine.nodes:
        for other in adjacent.get(n, ()):
            if other.score < e.score - AMBIGUITY_MARGIN:
                continue
            root = uf.find(other.b if uf.find(other.a) == open_root else other.a)
            if root in (open_root, unit_root):
                continue
            rival = uf.cluster[root]
            if any(compatible(u, v) is False for u in rival.units for v in theirs.units):
                return True
    return False


def _plan(nodes: Sequence[Node], c: Cluster) -> ProjectPlan:
    members = [nodes[i] for i in c.nodes]
    anchor = min(c.nodes, key=lambda i: _anchor_rank(nodes[i].head))
    links: dict[int, Link] = {}
    # walk the spanning tree from the anchor: each node joins through the edge that brought it in
    tree: dict[int, list[Edge]] = defaultdict(list)
    for e in c.edges:
        tree[e.a].append(e)
        tree[e.b].append(e)
    order, seen = [anchor], {anchor}
    first = nodes[anchor].head
    links[first.id] = Link(first.id, None, 1.0, "first", "项目的代表文档")
    while order:
        i = order.pop()
        for e in tree[i]:
            j = e.b if e.a == i else e.a
            if j in seen:
                continue
            seen.add(j)
            order.append(j)
            head = nodes[j].head
            links[head.id] = Link(head.id, nodes[i].head.id, e.score, e.method, e.reason or _why(nodes, e))
    for n in members:
        for d in n.docs[1:]:
            links[d.id] = Link(d.id, n.head.id, 1.0, "copy", "同一表格的另一份文件")
    unit = next((d.unit for d in _by_rank(members) if d.unit), None)
    dept = next((d.department for d in _by_rank(members) if d.department), None)
    return ProjectPlan(
        name=strip_year(first.name),
        name_key=nodes[anchor].core,
        unit=unit,
        department=dept,
        links=sorted(links.values(), key=lambda x: x.document_id),
    )


def _anchor_rank(d: DocInfo) -> tuple[int, int, int]:
    """The newest self-evaluation first (its name is the official one), then declarations, then results."""
    return (-(d.year or 0), _KIND_ORDER.get(d.kind, 9), d.id)


def _by_rank(nodes: Iterable[Node]) -> list[DocInfo]:
    return sorted((n.head for n in nodes), key=_anchor_rank)


# --- documents in memory -----------------------------------------------------------------------------------------


def _org(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def doc_info(doc: AnyDocument, ident: int) -> DocInfo:
    """What linking looks at in a document held in memory (the store reads the same from its rows)."""
    unit = doc.implementing_unit if isinstance(doc, SelfEvaluation) else None
    if isinstance(doc, TargetDeclaration):
        unit = doc.unit
    return DocInfo(
        ident, str(doc.kind), doc.year, doc.project or "", _org(unit), _org(getattr(doc, "department", None))
    )


def group_documents(documents: Sequence[AnyDocument]) -> list[list[AnyDocument]]:
    """The documents grouped into projects as the store would link them (no user decisions), each group in
    the order given."""
    plans = cluster(doc_info(d, i) for i, d in enumerate(documents))
    return [
        [documents[link.document_id] for link in sorted(p.links, key=lambda x: x.document_id)] for p in plans
    ]
