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

import math
import re
import struct
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


def grams(core: str) -> frozenset[str]:
    """The blocking keys of a core name: its distinct character bigrams (a one-character core: itself).
    Two cores whose ratio can reach :data:`SAME_UNIT_THRESHOLD` share enough of them (:func:`probe_size`)."""
    if len(core) < 2:
        return frozenset((core,))
    return frozenset(core[i : i + 2] for i in range(len(core) - 1))


@lru_cache(maxsize=4096)
def probe_size(length: int, threshold: float = SAME_UNIT_THRESHOLD) -> int | None:
    """How many of its bigrams a core of ``length`` characters must look up (the rarest first) so that every
    core scoring at least ``threshold`` against it holds one of them; None when no number is enough (very
    short cores, which are compared with every core instead).

    Why: a ratio r between lengths a and b means a longest common subsequence L ≥ r(a+b)/2; its matches run
    in at most d + 1 stretches adjacent in both strings (d = a + b − 2L breaks at most), so at least
    L − d − 1 bigram positions of the core also occur in the other.  With n distinct bigrams in a − 1
    positions, at least k = L − d − 1 − (a − 1 − n) distinct ones are shared, and any n − k + 1 of them
    hold one; n − k + 1 = a − (L − d − 1), whatever n is, taken at the other length that needs the most.
    """
    t = threshold
    need = 0
    for other in range(max(1, math.floor(length * t / (2 - t)) - 1), math.ceil(length * (2 - t) / t) + 2):
        lcs = max(0, math.ceil(t * (length + other) / 2 - 1e-6))  # rounded down a hair: never too few probes
        if lcs > min(length, other):
            continue  # no pair of these lengths reaches the threshold
        shared = lcs - (length + other - 2 * lcs) - 1  # bigram positions of the core found in the other
        if shared < 1 or length < 2:
            return None
        need = max(need, length - shared)
    return need


class GramIndex:
    """Core names by their bigrams, in memory: the candidates a core must be scored against to find every
    core scoring at least ``threshold`` against it (a superset; :func:`probe_size`)."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.unblocked: list[int] = []  # cores too short for the bigram guarantee: candidates of everyone
        self.members: list[int] = []

    def add(self, i: int, core: str) -> None:
        self.members.append(i)
        for g in grams(core):
            self.postings[g].append(i)
        if probe_size(len(core), self.threshold) is None:
            self.unblocked.append(i)

    def candidates(self, core: str) -> set[int]:
        size = probe_size(len(core), self.threshold)
        if size is None:
            return set(self.members)
        freq = self.postings
        wanted = sorted(grams(core), key=lambda g: (len(freq.get(g, ())), g))[:size]
        found = {j for g in wanted for j in freq.get(g, ())}
        found.update(self.unblocked)
        return found


class Blocks:
    """Where to look for a node's possible links: an automatic link needs names scoring
    :data:`SAME_UNIT_THRESHOLD` between documents of one unit, or :data:`OPEN_UNIT_THRESHOLD` when one of
    them names none (:func:`_edge`), so each unit's cores are indexed on their own, the cores of documents
    naming no unit together, and every core once more for those to look in.  ``comparisons`` counts the
    name scores computed (the cost of linking, which stays flat per document as the store grows)."""

    def __init__(self, nodes: Sequence[Node]) -> None:
        self.nodes = nodes
        self.by_core: dict[str, list[int]] = defaultdict(list)
        for i, n in enumerate(nodes):
            self.by_core[n.core].append(i)
        self.cores = list(self.by_core)
        self.units: dict[str, GramIndex] = {}
        self.open = GramIndex(OPEN_UNIT_THRESHOLD)
        self.every = GramIndex(OPEN_UNIT_THRESHOLD)
        self.comparisons = 0
        for k, core in enumerate(self.cores):
            self.every.add(k, core)
            aliases, is_open = self._orgs(k)
            for alias in aliases:
                index = self.units.get(alias)
                if index is None:
                    index = self.units[alias] = GramIndex(SAME_UNIT_THRESHOLD)
                index.add(k, core)
            if is_open:
                self.open.add(k, core)

    def _orgs(self, k: int) -> tuple[set[str], bool]:
        aliases: set[str] = set()
        is_open = False
        for i in self.by_core[self.cores[k]]:
            units = self.nodes[i].units
            aliases |= units
            is_open = is_open or not units
        return aliases, is_open

    def similar(self, k: int) -> list[tuple[int, float]]:
        """(core, name score) of every other core that may link with core ``k``: at least the threshold its
        organisations ask for, and the same numbers."""
        core = self.cores[k]
        aliases, is_open = self._orgs(k)
        found: set[int] = set()
        for alias in aliases:
            found |= self.units[alias].candidates(core)
        if is_open:
            found |= self.every.candidates(core)
        elif aliases:
            found |= self.open.candidates(core)
        found.discard(k)
        if not found:
            return []
        order = sorted(found)
        self.comparisons += len(order)
        mine = numbers(core)
        out = []
        for _other, score, j in process.extract(
            core, [self.cores[j] for j in order], scorer=fuzz.ratio, score_cutoff=SAME_UNIT_THRESHOLD * 100,
            limit=None,
        ):  # fmt: skip
            if numbers(self.cores[order[j]]) == mine:
                out.append((order[j], score / 100))
        return out


def _candidate_pairs(nodes: Sequence[Node]) -> Iterable[tuple[int, int, float]]:
    """(node a, node b, name score) for every pair whose core names are similar enough to matter, carry the
    same numbers, and whose kind or year differ (two forms of one kind and year are two projects anyway).
    Each core is scored only against the cores of its blocks (:class:`Blocks`)."""
    blocks = Blocks(nodes)
    by_core = blocks.by_core
    kind_year = [(n.head.kind, n.head.year) for n in nodes]
    for k, core in enumerate(blocks.cores):
        group = by_core[core]
        for x, a in enumerate(group):
            for b in group[x + 1 :]:
                if kind_year[a] != kind_year[b]:
                    yield a, b, 1.0
        for j, score in blocks.similar(k):
            if j < k:
                continue  # each pair once: core k was among core j's, which are complete
            for a in group:
                for b in by_core[blocks.cores[j]]:
                    if kind_year[a] != kind_year[b]:
                        yield a, b, score


def _evidence(nodes: Sequence[Node], a: int, b: int, score: float) -> int | None:
    """The evidence of the automatic link a–b (2: same unit, 1: same department only, 0: names alone), or
    None when the evidence says they are different projects."""
    na, nb = nodes[a], nodes[b]
    if na.qualifiers and nb.qualifiers and na.qualifiers != nb.qualifiers:
        return None
    unit = compatible(na.units, nb.units)
    dept = compatible(na.departments, nb.departments)
    if unit is False or dept is False:
        return None
    if score < (SAME_UNIT_THRESHOLD if unit else OPEN_UNIT_THRESHOLD):
        return None
    return 2 if unit else (1 if dept else 0)


def _edge(nodes: Sequence[Node], a: int, b: int, score: float) -> Edge | None:
    """The automatic link a–b, or None when the evidence says they are different projects."""
    evidence = _evidence(nodes, a, b, score)
    return None if evidence is None else Edge(score, a, b, "", evidence=evidence)


# A candidate link packed in one int, so that a province's million links sort as plain numbers (no key tuple per
# link) and take a fraction of the memory of objects: best score first (the bits of a positive float order as
# the float does), then stronger evidence, then the nodes (their index order is their key order).
_SIDE = 24  # bits per node index
_MASK = (1 << _SIDE) - 1
_TOP = 0x7FF0000000000000  # the bits of +inf: above every score
_DOUBLE = struct.Struct("<d")
_BITS = struct.Struct("<Q")


def _pack(score: float, evidence: int, a: int, b: int) -> int:
    if a > b:
        a, b = b, a
    bits: int = _BITS.unpack(_DOUBLE.pack(score))[0]
    return ((_TOP - bits) << (2 * _SIDE + 2)) | ((2 - evidence) << (2 * _SIDE)) | (a << _SIDE) | b


def _unpack(key: int) -> tuple[float, int, int, int]:
    """(score, evidence, a, b) of a packed link."""
    bits = _TOP - (key >> (2 * _SIDE + 2))
    score: float = _DOUBLE.unpack(_BITS.pack(bits))[0]
    return score, 2 - ((key >> (2 * _SIDE)) & 3), (key >> _SIDE) & _MASK, key & _MASK


def _why(nodes: Sequence[Node], e: Edge) -> str:
    """The reason an automatic link was made, in words (written only for the links kept: a large store has
    millions of candidate edges)."""
    na, nb = nodes[e.a], nodes[e.b]
    ha, hb = na.head, nb.head
    if e.score >= 1.0:
        why = f"名称规范化后相同（{na.core}）"
    else:
        first, second = sorted(
            (na, nb), key=lambda n: (n.head.year or 0, n.core)
        )  # the same words however indexed
        why = f"名称相似度 {e.score:.2f}（{first.core} ↔ {second.core}）"
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
    if len(nodes) > _MASK:  # pragma: no cover - sixteen million forms
        raise ValueError("too many documents to link at once")
    edges = [
        _pack(s, ev, a, b)
        for a, b, s in _candidate_pairs(nodes)
        if (ev := _evidence(nodes, a, b, s)) is not None
    ]
    edges.sort()
    adjacent: dict[int, list[int]] = defaultdict(list)
    for key in edges:
        adjacent[(key >> _SIDE) & _MASK].append(key)
        adjacent[key & _MASK].append(key)
    for key in edges:
        score, evidence, x, y = _unpack(key)
        ra, rb = uf.find(x), uf.find(y)
        if ra == rb or _conflict(uf.cluster[ra], uf.cluster[rb], cannot):
            continue
        if _ambiguous(uf, ra, rb, score, adjacent) or _ambiguous(uf, rb, ra, score, adjacent):
            continue
        uf.union(Edge(score, x, y, "", evidence=evidence))
    return [_plan(nodes, c) for _root, c in sorted(uf.cluster.items())]


def _ambiguous(
    uf: _Clusters, open_root: int, unit_root: int, score: float, adjacent: dict[int, list[int]]
) -> bool:
    """A cluster naming no unit, about to join one that does (by a link of ``score``), while an equally good
    match lies in a cluster of another unit: which of the two it belongs to is a guess, so it joins neither."""
    mine, theirs = uf.cluster[open_root], uf.cluster[unit_root]
    if mine.units or not theirs.units:
        return False
    for n in mine.nodes:
        for key in adjacent.get(n, ()):
            other, _evidence, a, b = _unpack(key)
            if other < score - AMBIGUITY_MARGIN:
                continue
            root = uf.find(b if uf.find(a) == open_root else a)
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


# --- linking new documents into a store -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reach:
    """The documents new ones may link with, and what finding them cost.

    Attributes:
        documents: ids of the new documents and of every document an automatic link could join them with.
        comparisons: name scores computed (flat per new document as the store grows: only the new
            documents' blocks are searched, :class:`Blocks`).
    """

    documents: set[int]
    comparisons: int


def reach(docs: Sequence[DocInfo], new: set[int]) -> Reach:
    """The documents of ``docs`` the ``new`` ones may link with: copies of one form, the documents a valid
    automatic link (:func:`_edge`) joins them with, and, for those naming no unit, their own such links (the
    rivals that make joining one unit's project a guess, :func:`_ambiguous`).  Linking then reclusters these
    and their projects only."""
    nodes = _nodes(docs)
    blocks = Blocks(nodes)
    index = {core: k for k, core in enumerate(blocks.cores)}
    similar: dict[int, list[tuple[int, float]]] = {}
    found = set(new)

    def around(a: int) -> list[int]:
        node = nodes[a]
        k = index[node.core]
        if k not in similar:
            similar[k] = [(k, 1.0), *blocks.similar(k)]
        out = []
        for j, score in similar[k]:
            for b in blocks.by_core[blocks.cores[j]]:
                if b == a or nodes[b].key == node.key or _edge(nodes, a, b, score) is not None:
                    out.append(b)
        return out

    seeds = [a for a, node in enumerate(nodes) if any(d.id in new for d in node.docs)]
    near = {b for a in seeds for b in around(a)}
    rivals = {c for b in near if not nodes[b].units for c in around(b)}
    for b in near | rivals:
        found.update(d.id for d in nodes[b].docs)
    return Reach(found, blocks.comparisons)
