"""Check throughput: indicator rows checked per second, on one core, over generated self-evaluations.

Generates --rows indicator rows (default 1,000,000) in 20-row self-evaluations whose targets and actuals are drawn
from the shapes of the seed tables with random numbers (so the run's memo of parsed values, row scores and trusted
texts is exercised as on real data, not saturated), then times ``check_documents`` with every check of the national
profile.
The baseline, measured in the same run over the same rows, is a trivial loop that reads each row's target, actual,
weight and score; the ratio says how many baseline loops one checking pass costs.

Only checking is timed: the check registry is built (plugins imported) before the clock starts, and the garbage the
generator left is collected first, so that a full collection of the generated heap does not land in the timed region
by chance. Each of the --repeat passes starts cold (a fresh run memo, the process-wide caches cleared) and is timed
against its own baseline loop; the medians are reported (and the best pass: on a shared machine noise only slows a
pass), in wall time and in the process's CPU time (what the checks cost, whatever else the machine runs meanwhile).

    .venv/bin/python bench/check.py [--rows 1000000] [--seed 1] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from collections import Counter

from jixiao.model import Finding, FundLine, Goal, Indicator, SelfEvaluation, SourceRef
from jixiao.rules import check_documents, clear_caches, default_registry

ROWS_PER_DOC = 20
# 20 rows weighted as the national default: 产出 10 × 5 = 50, 效益 6 × 5 = 30, 满意度 4 × 2.5 = 10 (+ 执行 10).
LAYOUT = (
    [("产出指标", "数量指标", 5.0)] * 4
    + [("产出指标", "质量指标", 5.0)] * 3
    + [("产出指标", "时效指标", 5.0)] * 3
    + [("效益指标", "社会效益指标", 5.0)] * 4
    + [("效益指标", "可持续影响指标", 5.0)] * 2
    + [("满意度指标", "服务对象满意度指标", 2.5)] * 4
)
UNITS = ["人", "(人)", "次", "(次)", "个", "期", "课时", "人次", "天", "家"]
QUALITATIVE = [("及时", "及时"), ("是", "是"), ("合理", "合理"), ("及时", "达成指标"), ("有效", "有效"),
               ("稳定", "稳定"), ("建立健全", "健全"), ("按期完成", "均按时完成"), ("提升", "达成指标")]  # fmt: skip


def _quantity(rng: random.Random, weight: float) -> tuple[str, str, float, str | None]:
    unit = rng.choice(UNITS)
    t = rng.randint(2, 5000)
    if rng.random() < 0.9:  # met, mostly by a little
        return (
            f"{rng.choice(['≥', '>=', '='])}{t}{unit}",
            f"{int(t * rng.uniform(1.0, 1.4))}{unit}",
            weight,
            None,
        )
    a = rng.randint(0, t - 1)
    return f"≥{t}{unit}", f"{a}{unit}", round(weight * a / t, 2), "受疫情影响，部分培训取消"


def _row(rng: random.Random, path: str, line: int, level1: str, level2: str, weight: float) -> Indicator:
    shape = rng.random()
    deviation: str | None = None
    score = weight
    if level1 == "满意度指标":
        t = rng.choice([80, 85, 90, 95])
        target, actual = f"≥{t}(%)", f"{rng.randint(t, 100)}%"
    elif shape < 0.55:
        target, actual, score, deviation = _quantity(rng, weight)
    elif shape < 0.70:
        t = rng.choice([90, 95, 98])
        target, actual = f"≥{t}(%)", f"{round(rng.uniform(t, 100), 1)}%"
    elif shape < 0.78:
        t = rng.randint(10, 30)
        target, actual = f"≤{t}(分钟)", f"{rng.randint(t // 2 + 1, t)}分钟"
    elif shape < 0.84:
        month = rng.randint(9, 12)
        target, actual = f"{month}月底", f"{rng.randint(6, month)}月"
    else:
        target, actual = rng.choice(QUALITATIVE)
    if rng.random() < 0.01:  # a lenient evaluator: full marks for a missed target, nothing explained
        t = rng.randint(10, 500)
        target, actual, score, deviation = f"≥{t}人", f"{t // 2}人", weight, None
    return Indicator.model_construct(
        source=SourceRef(path=path, table=1, line=line), cells={}, level1=level1, level2=level2,
        name=f"指标{line}", target=target, actual=actual, weight=weight, score=score, deviation=deviation,
    )  # fmt: skip


def generate(rows: int, seed: int) -> list[SelfEvaluation]:
    rng = random.Random(seed)
    docs: list[SelfEvaluation] = []
    for n in range(0, rows, ROWS_PER_DOC):
        path = f"gen/{n // ROWS_PER_DOC}.txt"
        layout = LAYOUT[: min(ROWS_PER_DOC, rows - n)]
        indicators = [_row(rng, path, 10 + i, *cat) for i, cat in enumerate(layout)]
        budget = round(rng.uniform(10, 2000), 2)
        executed = round(budget * rng.uniform(0.9, 1.0), 2)
        rate = round(executed / budget * 100, 2)
        fund = FundLine.model_construct(
            source=SourceRef(path=path, table=1, line=5), cells={}, line="年度资金总额", initial_budget=budget,
            annual_budget=budget, executed=executed, weight=10.0, execution_rate=rate, score=round(rate / 10, 2),
        )  # fmt: skip
        total = round(sum(i.score for i in indicators) + fund.score, 2)
        docs.append(SelfEvaluation.model_construct(
            kind="self_evaluation", year=2023, project=f"项目{n}", money_unit="万元", findings=[],
            source=SourceRef(path=path, table=1, line=1), department=None, implementing_unit=None, funds=[fund],
            goal=Goal.model_construct(source=None, cells={}, expected="完成年度任务", actual="经问卷调查，任务完成"),
            indicators=indicators, total_weight=100.0, total_score=total, grade=None, total_source=None,
        ))  # fmt: skip
    return docs


def baseline(docs: list[SelfEvaluation]) -> int:
    """The trivial loop: touch every row's four cells."""
    seen = 0
    for doc in docs:
        for ind in doc.indicators:
            if ind.target and ind.actual and ind.weight is not None and ind.score is not None:
                seen += 1
    return seen


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5, help="timed passes over the same rows, each cold")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    t0 = time.perf_counter()
    docs = generate(args.rows, args.seed)
    rows = sum(len(d.indicators) for d in docs)
    print(f"generated {rows:,} rows in {len(docs):,} documents ({time.perf_counter() - t0:.1f} s, not timed)")

    default_registry()  # import the checks and plugins once, outside the clock

    speeds: list[float] = []
    cpu_speeds: list[float] = []
    ratios: list[float] = []
    findings: list[Finding] = []
    for n in range(1, args.repeat + 1):
        gc.collect()
        start = time.perf_counter()
        assert baseline(docs) >= 0
        base = time.perf_counter() - start

        findings = []
        clear_caches()
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        findings = check_documents(docs)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        speeds.append(rows / took)
        cpu_speeds.append(rows / cpu)
        ratios.append(took / base)
        print(f"pass {n}        : {rows / took:>12,.0f} rows/s ({took:.2f} s; CPU {rows / cpu:,.0f} rows/s; baseline "
              f"{rows / base:,.0f} rows/s, {took / base:,.0f}×)")  # fmt: skip

    print(f"check (all)   : {statistics.median(speeds):>12,.0f} rows/s (median of {len(speeds)}, best "
          f"{max(speeds):,.0f}; {len(findings):,} findings; aim 100,000)")  # fmt: skip
    print(f"check (CPU)   : {statistics.median(cpu_speeds):>12,.0f} rows/s of CPU time (median; best "
          f"{max(cpu_speeds):,.0f})")  # fmt: skip
    print(f"ratio         : {statistics.median(ratios):,.0f}× the baseline loop (median)")
    texts = {t for d in docs for i in d.indicators for t in (i.target, i.actual)}
    triples = {(i.target, i.actual, i.weight) for d in docs for i in d.indicators}
    print(f"distinct      : {len(texts):,} value texts, {len(triples):,} (target, actual, weight) triples, each "
          f"parsed and scored once per pass")  # fmt: skip
    top = Counter(f.code for f in findings).most_common(5)
    print("most found    : " + ", ".join(f"{c} {n:,}" for c, n in top))


if __name__ == "__main__":
    main()
