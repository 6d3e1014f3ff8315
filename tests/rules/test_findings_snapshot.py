"""Every finding the checks give, recorded: a speed-up of the rules must change none of them.

Three inputs, each under the built-in profiles and one with integer rounding and a wider tolerance:

* the seeds and the real corpus (``../shared``), read and checked by the pipeline as ``jixiao check`` does;
* generated self-evaluations drawn with a fixed seed from the value shapes of the property tests (quantitative,
  reverse, ranges, ± tolerances, deadlines, compounds, qualitative tiers, target-shaped and missing actuals,
  scores off the rule, missing weights, cut tables, ``weighted-scores`` variants, rows whose name is a value),
  checked by :func:`check_documents` in one run and, for a slice, one document at a time.

Each finding is one JSON line (source, code, severity, subject, numbers, message), in the order the run gives
them, and the lines are kept gzip-compressed beside this file.  After a change that is meant to change findings
(a new check, a parser fix), regenerate with ``JIXIAO_UPDATE_FINDINGS=1 pytest tests/rules/test_findings_snapshot.py``
and review the difference (``zcat`` both versions and diff them).
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
import random
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

import pytest

from jixiao.model import AnyDocument, Finding, FundLine, Indicator, SelfEvaluation, Severity, SourceRef
from jixiao.pipeline import Options, check_paths
from jixiao.rules import PROFILES, Profile, check_document, check_documents, default_registry
from tests.conftest import SHARED, needs_shared

SNAPSHOT = Path(__file__).with_name("findings_snapshot.jsonl.gz")
UPDATE = bool(os.environ.get("JIXIAO_UPDATE_FINDINGS"))

# The built-in profiles, and one that accepts integer-rounded scores within a wider tolerance (the tolerance
# paths of C-SE-05, 07, 08 and 22).
PROFILE_SET: dict[str, Profile] = {
    **PROFILES,
    "rounded": Profile(name="rounded", integer_rounding=True, score_tolerance=0.1),
}

_SOURCE_FIELDS = tuple(f.name for f in fields(SourceRef))


def _source(src: SourceRef | None) -> dict[str, object] | None:
    if src is None:
        return None
    out: dict[str, object] = {}
    for name in _SOURCE_FIELDS:
        value = getattr(src, name)
        if value is None:
            continue
        if name == "path":
            value = str(value).replace(str(SHARED) + "/", "")
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


def line(tag: str, f: Finding) -> str:
    """One finding as one JSON line, ``tag`` naming the input and profile."""
    return json.dumps(
        [tag, _source(f.source), f.code, f.severity.value, f.subject, f.expected, f.actual, f.tolerance,
         f.message],
        ensure_ascii=False,
    )  # fmt: skip


# --- generated documents --------------------------------------------------------------------------------------

NUMBERS = ["0", "1", "2.5", "4.00", "10", "30", "36.5", "90", "95", "98", "100", "100.00", "150000", "2.5万"]
UNITS = ["", "%", "(%)", "（%）", "人", "(人)", "人次", "课时", "万", "万元", "(次)", "天", "kb", "个"]
OPS = ["≥", ">=", "≧", "大于等于", "不低于", ">", "≤", "<=", "<", "=", "═", ""]
QUALITATIVE = ["及时", "是", "达成指标", "部分达成", "未达成", "未完成", "专题班未开展", "有效", "尚未全部对接",
               "稳定", "示范引领", "合理", "按期完成", "基本达成"]  # fmt: skip
DEADLINES = ["10月底", "6月底前", "10月前", "11月", "12月", "3月底前", "年内完成", "9月"]
ODD = ["二100百分比", "举办1期培训", "1小时响应，2小时抵达", "约3成", "100%以上"]
NAMES = ["培训人数", "满意度", "及时性", "故障次数", "成本控制率", "服务对象满意度", "验收合格率", "95%",
         "产出指标", "访问次数"]  # fmt: skip
LEVELS = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("成本指标", "经济成本指标"),
          ("效益指标", "社会效益指标"), ("效益指标", "可持续影响指标"), ("满意度指标", "服务对象满意度指标")]  # fmt: skip
WEIGHTS = [1.0, 2.0, 2.5, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0]


def _target(rng: random.Random) -> str:
    shape = rng.choice(
        ["quant", "quant", "quant", "quant", "range", "within", "qual", "deadline", "compound", "odd"]
    )
    if shape == "quant":
        return rng.choice(OPS) + rng.choice(NUMBERS) + rng.choice(UNITS)
    if shape == "range":
        lo = rng.randint(0, 500)
        return f"{lo}-{lo + rng.randint(0, 500)}{rng.choice(UNITS)}"
    if shape == "within":
        return f"±{rng.randint(0, 10)}%以内"
    if shape == "compound":
        return f"{rng.randint(1, 5)}小时内响应，{rng.randint(1, 9)}小时内抵达现场"
    if shape == "odd":
        return rng.choice([*ODD, ""])
    return rng.choice(QUALITATIVE if shape == "qual" else DEADLINES)


def _actual(rng: random.Random, target: str) -> str | None:
    shape = rng.choice(["number"] * 6 + ["qual", "deadline", "shaped", "empty", "odd", "same"])
    if shape == "number":
        value = round(rng.choice([rng.uniform(-10, 200), rng.uniform(0, 200000), rng.uniform(80, 100)]), 2)
        return f"{value:g}{rng.choice(UNITS)}"
    if shape == "shaped":
        return rng.choice([o for o in OPS if o]) + rng.choice(NUMBERS) + rng.choice(UNITS)
    if shape == "empty":
        return rng.choice(["", None])
    if shape == "odd":
        return rng.choice(ODD)
    if shape == "same":
        return target
    return rng.choice(QUALITATIVE if shape == "qual" else DEADLINES)


def _row(rng: random.Random, path: str, line_no: int) -> Indicator:
    level1, level2 = rng.choice(LEVELS)
    target = _target(rng)
    weight = rng.choice([*WEIGHTS, *WEIGHTS, None, -1.0])
    draw = rng.random()
    if weight is None or draw < 0.1:
        score: float | None = None if draw < 0.05 else round(rng.uniform(-2, 40), 2)
    elif draw < 0.55:
        score = weight
    elif draw < 0.8:
        score = round(weight * rng.choice([0.0, 0.3, 0.45, 0.6, 0.7, 0.79, 0.8, 0.9, 0.95, 0.99, 1.0]), 2)
    else:
        score = round(rng.uniform(0, weight * 1.2), rng.choice([0, 1, 2]))
    src = SourceRef(path=path, table=1, line=line_no)
    cells = {"score": SourceRef(path=path, table=1, line=line_no, col=7)} if rng.random() < 0.5 else {}
    return Indicator(
        source=src, cells=cells, level1=level1, level2=level2, name=rng.choice(NAMES), target=target,
        actual=_actual(rng, target), weight=weight, score=score,
        deviation=rng.choice([None, None, None, "预算调减", "—", " ", "受疫情影响，部分培训取消"]),
    )  # fmt: skip


def generated(n: int, seed: int) -> list[SelfEvaluation]:
    """``n`` self-evaluations of 1–14 rows drawn with ``seed``."""
    rng = random.Random(seed)
    docs: list[SelfEvaluation] = []
    for k in range(n):
        path = f"gen/{k}.txt"
        rows = [_row(rng, path, 10 + i) for i in range(rng.randint(1, 14))]
        if rng.random() < 0.1:
            rows[0] = rows[0].model_copy(update={"level1": None})  # a table starting mid-table
        budget = round(rng.uniform(1, 5000), 2)
        executed = round(budget * rng.choice([0.0, 0.5, 0.85, 0.95, 1.0, 1.1]), 2)
        fund = FundLine(
            source=SourceRef(path=path, table=1, line=5), line="年度资金总额", initial_budget=budget,
            annual_budget=rng.choice([budget, round(budget * 1.3, 2)]), executed=executed,
            weight=rng.choice([None, 10.0]), execution_rate=rng.choice([None, round(executed / budget * 100, 2)]),
            score=rng.choice([None, 10.0, round(rng.uniform(0, 10), 2)]),
        )  # fmt: skip
        total = round(sum(i.score or 0.0 for i in rows) + (fund.score or 0.0), 2)
        variant = Finding(
            code="PARSE-VARIANT", name="weighted-scores", severity=Severity.INFO, message="权重占比"
        )
        docs.append(SelfEvaluation(
            source=SourceRef(path=path, table=1, line=1), year=rng.choice([2022, 2023, 2024]),
            project=f"生成项目{k % 400}", money_unit="万元", funds=[fund], indicators=rows,
            total_weight=rng.choice([None, 100.0, 90.0]), total_score=rng.choice([None, total, total, 88.0]),
            grade=rng.choice([None, "优", "良", "差"]), findings=[variant] if rng.random() < 0.05 else [],
        ))  # fmt: skip
    return docs


# --- the snapshot ---------------------------------------------------------------------------------------------


def corpus_paths() -> list[Path]:
    seeds = needs_shared(SHARED / "seeds")
    real = needs_shared(SHARED / "corpus" / "real")
    return sorted(seeds.glob("*.txt")) + sorted(real.glob("*.txt"))


def current() -> list[str]:
    """Every finding of the three inputs, as lines."""
    out: list[str] = []
    paths = corpus_paths()
    docs = generated(750, 13)
    registry = default_registry()
    for name, profile in PROFILE_SET.items():
        run = check_paths(paths, Options(profile=profile, registry=registry))
        out.extend(line(f"corpus/{name}", f) for f in run.findings)
        out.extend(line(f"generated/{name}", f) for f in check_documents(docs, profile=profile))
        alone: Iterable[Finding] = (
            f for d in docs[:150] for f in check_document(d, registry.checks, documents=docs, profile=profile)
        )
        out.extend(line(f"alone/{name}", f) for f in alone)
        # C-SE-22 alone: beside C-SE-08 its findings are merged into C-SE-08's (one fact, one finding)
        single = check_documents(docs, profile=profile, select=["C-SE-22"], registry=registry)
        out.extend(line(f"C-SE-22/{name}", f) for f in single)
    return out


def test_findings_match_the_snapshot() -> None:
    got = current()
    if UPDATE:
        SNAPSHOT.write_bytes(gzip.compress(("\n".join(got) + "\n").encode(), mtime=0))
        pytest.skip(f"snapshot written: {len(got)} findings")
    assert SNAPSHOT.exists(), "no snapshot: run with JIXIAO_UPDATE_FINDINGS=1"
    want = gzip.decompress(SNAPSHOT.read_bytes()).decode().splitlines()
    if got != want:
        diff = list(difflib.unified_diff(want, got, "snapshot", "now", n=0, lineterm=""))
        shown = "\n".join(diff[:60])
        pytest.fail(f"findings differ from the snapshot ({len(want)} recorded, {len(got)} now; "
                    f"JIXIAO_UPDATE_FINDINGS=1 regenerates):\n{shown}")  # fmt: skip


def test_the_snapshot_covers_the_row_checks() -> None:
    """The recorded findings exercise every check whose speed-ups the snapshot guards."""
    want = gzip.decompress(SNAPSHOT.read_bytes()).decode().splitlines()
    codes = {json.loads(x)[2] for x in want}
    row_checks = {"C-SE-04", "C-SE-05", "C-SE-06", "C-SE-07", "C-SE-08", "C-SE-20", "C-SE-22", "C-VAL-01"}
    assert row_checks <= codes, sorted(row_checks - codes)


def test_documents_are_generated_alike() -> None:
    a: list[AnyDocument] = list(generated(5, 2))
    b: list[AnyDocument] = list(generated(5, 2))
    assert a == b
