"""Link: which documents are one project, across years and kinds.

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

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from jixiao.store import schema
from jixiao.store.engine import writing
from jixiao.store.query import unlinked
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
    reason: str
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
    ha, hb = na.head, nb.head
    if score >= 1.0:
        why = f"名称规范化后相同（{na.core}）"
    else:
        why = f"名称相似度 {score:.2f}（{na.core} ↔ {nb.core}）"
    if unit:
        why += f"；单位相同（{ha.unit}）"
    else:
        missing = hb if not nb.units else ha
        why += f"；{_KIND_TITLE[missing.kind]}{missing.year or ''}未写单位，按名称关联"
    if dept:
        why += "；主管部门相同"
    return Edge(score, a, b, why, evidence=2 if unit else (1 if dept else 0))


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


def _pair(a: str, b: str) -> tuple[str, str]:
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
            links[head.id] = Link(head.id, nodes[i].head.id, e.score, e.method, e.reason)
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


# --- database -----------------------------------------------------------------------------------------------------


def current_documents(conn: Connection, ids: Iterable[int] | None = None) -> list[DocInfo]:
    """What linking needs of every current document (or of those with the given ids)."""
    d, org = schema.documents, schema.organisations
    unit, dept = org.alias("unit"), org.alias("dept")
    q = (
        select(d.c.id, d.c.kind, d.c.year, d.c.project_name, unit.c.name, dept.c.name)
        .select_from(
            d.outerjoin(unit, unit.c.id == d.c.unit_id).outerjoin(dept, dept.c.id == d.c.department_id)
        )
        .where(d.c.current.is_(True))
    )
    if ids is not None:
        q = q.where(d.c.id.in_(list(ids)))
    return [DocInfo(int(r[0]), str(r[1]), r[2], r[3] or "", r[4], r[5]) for r in conn.execute(q)]


def decisions(conn: Connection) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    ld = schema.link_decisions
    merges: list[tuple[str, str]] = []
    splits: list[tuple[str, str]] = []
    for action, a, b in conn.execute(select(ld.c.action, ld.c.key_a, ld.c.key_b).order_by(ld.c.id)):
        (merges if action == "merge" else splits).append((str(a), str(b)))
    return merges, splits


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":  # one linker at a time; SQLite's BEGIN IMMEDIATE already is
        conn.execute(text("SELECT pg_advisory_xact_lock(7242002)"))


def relink(engine: Engine) -> int:
    """Recompute every project from the current documents and the user's decisions; returns the project count."""
    with writing(engine) as conn:
        _lock(conn)
        return relink_in(conn)


def ensure_linked(engine: Engine) -> None:
    """Link when some current document has no project yet (e.g. an ingest stopped before it linked)."""
    with engine.connect() as conn:
        missing = unlinked(conn)
    if missing:
        relink(engine)


def relink_in(conn: Connection) -> int:
    docs = current_documents(conn)
    merges, splits = decisions(conn)
    plans = cluster(docs, merges, splits)
    _save(conn, plans, {d.id for d in docs})
    return len(plans)


def _org_ids(conn: Connection, names: set[str]) -> dict[str, int]:
    org = schema.organisations
    out: dict[str, int] = {}
    items = sorted(names)
    for i in range(0, len(items), 500):
        q = select(org.c.name, org.c.id).where(org.c.name.in_(items[i : i + 500]))
        out.update({str(n): int(x) for n, x in conn.execute(q)})
    return out


def _save(conn: Connection, plans: list[ProjectPlan], current: set[int]) -> None:
    """Write plans as projects and links, keeping each project's id where it keeps most of its documents."""
    ln, pr = schema.links, schema.projects
    link_cols = (ln.c.project_id, ln.c.via_document_id, ln.c.score, ln.c.method, ln.c.reason)
    old_rows = {int(r[0]): tuple(r[1:]) for r in conn.execute(select(ln.c.document_id, *link_cols))}
    old = {d: int(row[0]) for d, row in old_rows.items()}
    overlap: list[tuple[int, int, int]] = []  # (-shared documents, plan index, old project id)
    for k, plan in enumerate(plans):
        counts: dict[int, int] = defaultdict(int)
        for link in plan.links:
            if link.document_id in old:
                counts[old[link.document_id]] += 1
        overlap.extend((-n, k, pid) for pid, n in counts.items())
    overlap.sort()
    assigned: dict[int, int] = {}
    used: set[int] = set()
    for _n, k, pid in overlap:
        if k not in assigned and pid not in used:
            assigned[k] = pid
            used.add(pid)
    orgs = _org_ids(conn, {x for p in plans for x in (p.unit, p.department) if x})
    now = dt.datetime.now(dt.UTC)
    project_cols = (pr.c.name, pr.c.name_key, pr.c.unit_id, pr.c.department_id)
    existing = {int(r[0]): tuple(r[1:]) for r in conn.execute(select(pr.c.id, *project_cols))}
    new_rows: list[tuple[int, Link]] = []
    for k, plan in enumerate(plans):
        values = {
            "name": plan.name,
            "name_key": plan.name_key,
            "unit_id": orgs.get(plan.unit) if plan.unit else None,
            "department_id": orgs.get(plan.department) if plan.department else None,
        }
        kept = assigned.get(k)
        if kept is None:
            pid = int(
                conn.execute(insert(pr).values(**values, updated_at=now).returning(pr.c.id)).scalar_one()
            )
        else:
            pid = kept
        if kept is not None and existing.get(pid) != tuple(values.values()):
            conn.execute(update(pr).where(pr.c.id == pid).values(**values, updated_at=now))
        for link in plan.links:
            new = (pid, link.via_document_id, link.score, link.method, link.reason)
            if old_rows.get(link.document_id) != new:
                new_rows.append((pid, link))
    stale = [d for d in old_rows if d not in current]
    changed = [link.document_id for _pid, link in new_rows if link.document_id in old_rows]
    for batch in _chunks(stale + changed, 500):
        conn.execute(delete(ln).where(ln.c.document_id.in_(batch)))
    if new_rows:
        conn.execute(
            insert(ln),
            [
                {
                    "document_id": link.document_id,
                    "project_id": pid,
                    "via_document_id": link.via_document_id,
                    "score": link.score,
                    "method": link.method,
                    "reason": link.reason,
                }
                for pid, link in new_rows
            ],
        )
    gone = set(existing) - set(assigned.values())
    for batch in _chunks(sorted(gone), 500):
        conn.execute(delete(pr).where(pr.c.id.in_(batch)))


def _chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


# --- user decisions ---------------------------------------------------------------------------------------------


def record_merge(conn: Connection, identities: Sequence[str], note: str | None = None) -> None:
    """The user says these documents are one project: link each to the first, forget splits between them."""
    first, rest = identities[0], [k for k in identities[1:] if k != identities[0]]
    for other in rest:
        _decide(conn, "merge", first, other, note)
    for i, a in enumerate(identities):
        for b in identities[i + 1 :]:
            _forget(conn, "split", a, b)


def record_split(conn: Connection, identity: str, others: Sequence[str], note: str | None = None) -> None:
    """The user says this document is not the same project as ``others``; merges involving it are forgotten."""
    ld = schema.link_decisions
    conn.execute(
        delete(ld).where(ld.c.action == "merge", (ld.c.key_a == identity) | (ld.c.key_b == identity))
    )
    for other in others:
        if other != identity:
            _decide(conn, "split", identity, other, note)


def _decide(conn: Connection, action: str, a: str, b: str, note: str | None) -> None:
    ka, kb = _pair(a, b)
    _forget(conn, action, ka, kb)
    conn.execute(
        insert(schema.link_decisions).values(
            action=action, key_a=ka, key_b=kb, created_at=dt.datetime.now(dt.UTC), note=note
        )
    )


def _forget(conn: Connection, action: str, a: str, b: str) -> None:
    ld = schema.link_decisions
    ka, kb = _pair(a, b)
    conn.execute(delete(ld).where(ld.c.action == action, ld.c.key_a == ka, ld.c.key_b == kb))
