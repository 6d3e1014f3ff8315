"""Live scoring of a draft against the worked examples of shared/spec/rules.md, and a draft from its declaration."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import parse_file
from jixiao.cycle.live import DRAFT_PATH, check_declaration, draft_from_declaration, score_draft
from jixiao.model import SelfEvaluation, TargetDeclaration, from_v1, to_v1
from jixiao.pipeline import FileResult, Options, check
from jixiao.rules import PROFILES
from tests.conftest import SEEDS


def row(name: str, target: str, actual: str | None, weight: float, *, level1: str = "产出指标",
        level2: str | None = "数量指标", score: float | None = None, deviation: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"level1": level1, "level2": level2, "name": name, "target": target, "actual": actual,
            "weight": weight, "score": score, "deviation": deviation}  # fmt: skip


def draft(rows: list[dict[str, Any]], budget: float = 312.73, executed: float = 284.27) -> dict[str, Any]:
    """A 2023 self-evaluation draft: the R2 worked example's weights (产出 50 / 效益 30 / 满意度 10 / 执行 10)
    with ``rows`` replacing the first 产出 rows."""
    base = [row(f"产出{k}", "≥10(次)", "10次", w) for k, w in enumerate((5, 5, 5, 5, 5, 5, 10, 10))]
    base += [
        row(f"效益{k}", "≥90%", "95%", w, level1="效益指标", level2="社会效益指标")
        for k, w in enumerate((5, 5, 10, 10))
    ]
    base.append(row("服务对象满意度", "≥90%", "96%", 10, level1="满意度指标", level2="服务对象满意度指标"))
    used = 0.0
    for r in rows:
        used += r["weight"]
    taken = 0.0
    while base and taken < used:  # the rows given take the place of as many 产出 points
        taken += base.pop(0)["weight"]
    assert taken == used, "the example rows must replace whole 产出 rows"
    return {
        "kind": "self_evaluation", "year": 2023, "project": "测试项目", "money_unit": "万元",
        "department": "某主管部门", "implementing_unit": "某单位",
        "funds": [{"line": "年度资金总额", "initial_budget": budget, "annual_budget": budget, "executed": executed,
                   "weight": 10}],
        "goal": {"expected": "完成年度任务", "actual": "已完成年度任务，问卷调查满意度 96%"},
        "indicators": rows + base,
    }  # fmt: skip


def by_name(result: Any, name: str) -> Any:
    return next(r for r in result.rows if r.name == name)


@pytest.mark.parametrize(
    ("budget", "executed", "rate", "score"),
    [
        (312.73, 284.27, 90.90, 9.09),
        (1329.20, 1286.17, 96.76, 9.68),
        (234.00, 184.65, 78.91, 7.89),
        (1145000, 119132, 10.40, 1.04),  # printed 10.41%: the rate is recomputed from the amounts
    ],
)
def test_execution_rate_and_score_follow_r3(
    budget: float, executed: float, rate: float, score: float
) -> None:
    got = score_draft(draft([], budget, executed))
    assert got.error is None
    assert (got.execution_rate, got.execution_weight, got.execution_score) == (rate, 10, score)
    assert "R3" in got.execution_formula


def test_a_stale_rate_or_score_in_the_draft_never_counts() -> None:
    d = draft([])
    d["funds"][0].update(execution_rate=100, score=10)
    d["indicators"][0].update(actual="5次", score=5)  # missed by half: the rules give 2.5, not the 5 typed
    d.update(total_score=100, grade="优")
    got = score_draft(d)
    assert got.execution_score == 9.09
    assert got.rows[0].score == 2.5
    assert got.total_score == 96.59
    assert got.grade == "优"


@pytest.mark.parametrize(
    ("target", "actual", "weight", "score"),
    [("=100(%)", "85%", 2, 1.70), ("≥60(期)", "37期", 3, 1.85), ("≥300课时", "32课时", 1, 0.11)],
)
def test_positive_rows_score_in_proportion_r5(target: str, actual: str, weight: float, score: float) -> None:
    filler = [row("补足", "≥1(次)", "1次", 5 - weight)] if weight < 5 else []
    got = score_draft(draft([row("指标", target, actual, weight), *filler]))
    r = by_name(got, "指标")
    assert (r.method, r.rule, r.score, r.met) == ("positive", "R5", score, False)
    assert r.deviation == "required"
    assert "未达到目标" in (r.why or "")
    assert 0 in got.deviation_required
    assert not got.submittable
    assert any(f.code == "C-SE-08" for f in r.findings)


def test_an_explained_row_keeps_its_requirement_and_loses_its_error() -> None:
    got = score_draft(draft([row("印发内刊数量", "≥60(期)", "37期", 3, deviation="2024年预算已调减"),
                             row("补足", "≥1(次)", "1次", 2)]))  # fmt: skip
    r = by_name(got, "印发内刊数量")
    assert r.deviation == "required"
    assert not r.findings
    assert not [f for f in got.findings if f.code == "C-SE-08"]


def test_reverse_rows_follow_the_profiles_formula_r6() -> None:
    rows = [row("投诉次数", "≤10(次)", "15次", 4, level2="质量指标"), row("事故次数", "≤5 (次)", "0次", 1)]
    national = by_name(score_draft(draft(rows)), "投诉次数")
    provincial = by_name(score_draft(draft(rows), "provincial"), "投诉次数")
    assert (national.method, national.score) == ("reverse", 2.67)  # A: 4 × 10 / 15
    assert provincial.score == 2.0  # B: 4 × max(0, 2 − 15/10)
    assert "公式A" in national.formula
    assert "采用公式B" in provincial.formula
    assert by_name(score_draft(draft(rows)), "事故次数").score == 1  # ≤5, actual 0: full marks
    complaints = [row("投诉", "≤8(件)", "5件", 5, level2="质量指标")]
    assert by_name(score_draft(draft(complaints)), "投诉").score == 5  # ≤8, actual 5: full marks


def test_ranges_and_deadlines_r7() -> None:
    got = score_draft(
        draft(
            [
                row("培训人数", "300-400(人)", "354人", 5),
                row("完成时间", "10月底", "11月", 5, level2="时效指标"),
            ]
        )
    )
    assert by_name(got, "培训人数").score == 5
    assert by_name(got, "培训人数").method == "range"
    late = by_name(got, "完成时间")
    assert late.method == "deadline"
    assert (late.low, late.high, late.high_open) == (3.0, 4.0, True)
    assert late.deviation is not None


def test_qualitative_rows_keep_the_units_score_inside_the_tier_band_r8() -> None:
    rows = [
        row("培训及时性", "及时", "专题班未开展", 2, level2="时效指标", score=1),
        row("补足", "≥1(次)", "1次", 3),
    ]
    r = by_name(score_draft(draft(rows)), "培训及时性")
    assert (r.method, r.score, r.low, r.high, r.high_open) == ("qualitative", 1, 0.0, 1.2, True)
    assert r.deviation == "required"  # its score is below its weight (R12 a)
    rows[0]["score"] = 2  # full marks for a missed row: clamped into the band's top
    assert by_name(score_draft(draft(rows)), "培训及时性").score == 1.19
    rows[0].update(actual="达成年度指标", score=None)  # a stated tier 1 and no proposal: the band's top
    stated = by_name(score_draft(draft(rows)), "培训及时性")
    assert (stated.score, stated.deviation) == (2, None)


def test_total_and_grade_by_the_profiles_bands_r11() -> None:
    # execution 9.09; a 10-point row at nought: 89.09 in all
    d = draft([row("产出甲", "≥10(次)", "0次", 10, deviation="受疫情影响停办，转为线上")])
    national, provincial = score_draft(d), score_draft(d, PROFILES["provincial"])
    assert national.total_weight == 100
    assert national.total_score == 89.09
    assert (national.grade, provincial.grade) == ("良", "优")
    assert national.submittable  # explained; every other check passes on the worked example's weights


@pytest.mark.parametrize(("actual", "total", "grade"), [("100次", 90, "优"), ("99.8次", 89.99, "良")])
def test_the_grade_compares_the_unrounded_total_r11(actual: str, total: float, grade: str) -> None:
    rows = [
        row("停办的专题班", "≥10(次)", "0次", 10, deviation="受疫情影响停办"),
        row("送教次数", "≥100(次)", actual, 5, deviation="年底集中送教未全部完成"),
    ]
    got = score_draft(draft(rows, budget=100, executed=100))
    assert (got.execution_score, got.total_score, got.grade) == (10, total, grade)


def test_the_worked_example_weights_raise_no_weight_finding_r2() -> None:
    got = score_draft(draft([]))
    assert not [f for f in got.findings if f.code in ("C-SE-10", "C-SE-11", "C-SE-12", "C-SE-13", "C-SE-14")]
    assert got.total_score == 99.09
    assert got.grade == "优"


def test_reweighting_is_found_by_the_weight_checks() -> None:
    d = draft([])
    d["indicators"][0]["weight"] = 20  # Σ = 110
    assert any(f.code == "C-SE-10" for f in score_draft(d).errors)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"kind": "target_declaration"}, "绩效自评表"),
        ({"kind": "self_evaluation", "indicators": [{"weight": 5}]}, "indicators.0.name 缺少必填项"),
        ({"kind": "self_evaluation", "year": "明年"}, "字段 year 应为整数"),
        ({"kind": "self_evaluation", "funds": "abc"}, "字段 funds 应为列表"),
        ([1, 2], "JSON 对象"),
    ],
)
def test_a_bad_draft_is_one_chinese_line(data: Any, words: str) -> None:
    got = score_draft(data)
    assert got.error is not None
    assert words in got.error
    assert "\n" not in got.error
    assert not got.rows
    assert not got.submittable


def test_an_unknown_profile_is_one_chinese_line() -> None:
    got = score_draft(draft([]), "nowhere")
    assert got.error
    assert "未知配置" in got.error


def test_findings_point_at_their_rows_and_the_result_is_json() -> None:
    import json

    got = score_draft(draft([row("印发内刊数量", "≥60(期)", "37期", 3), row("补足", "≥1(次)", "1次", 2)]))
    f = next(f for f in got.findings if f.code == "C-SE-08")
    assert f.source is not None
    assert (f.source.path, f.source.row) == (DRAFT_PATH, 1)
    out = json.loads(json.dumps(got.to_dict(), ensure_ascii=False))
    assert out["deviation_required"] == [0]
    assert out["rows"][0]["findings"][0]["code"] == "C-SE-08"
    assert out["total_score"] == got.total_score
    assert out["submittable"] is False


def test_a_seed_self_evaluation_scores_as_its_rescored_table() -> None:
    """Every seed table re-scored live: the totals are the rules' (rescore), row by row."""
    from jixiao.rules import rescore, score_document

    for path in SEEDS:
        for doc in parse_file(path).documents:
            if not isinstance(doc, SelfEvaluation):
                continue
            got = score_draft(to_v1(doc))
            assert got.error is None, doc.project
            # a stale 执行率 is not the basis live: the rules' rescore of the same table without it
            # nor a score typed for a row whose actual is not a measured value (until it is)
            plain = doc.model_copy(deep=True)
            for fund in plain.funds:
                fund.execution_rate = None
            for ind, rs in zip(
                plain.indicators, score_document(plain, PROFILES["national"]).rows, strict=True
            ):
                if rs.problem_kind in ("missing", "shaped", "text"):
                    ind.score = None
            want = rescore(plain, PROFILES["national"])
            assert got.total_score == want.total_score, doc.project
            assert [r.weight for r in got.rows] == [i.weight or 0 for i in doc.indicators]


# --- a draft from its declaration (R1) --------------------------------------------------------------------------


def declarations() -> list[TargetDeclaration]:
    return [d for p in SEEDS for d in parse_file(p).documents if isinstance(d, TargetDeclaration)]


@pytest.mark.parametrize("decl", declarations(), ids=lambda d: d.project)
def test_a_draft_carries_the_declared_indicators_over(decl: TargetDeclaration) -> None:
    made = draft_from_declaration(decl)
    doc = from_v1(made)
    assert isinstance(doc, SelfEvaluation)
    scored = [i for i in decl.indicators if not (i.level1 or "").startswith("投入")]
    assert [(i.name, i.target) for i in doc.indicators] == [(i.name, i.target) for i in scored]
    assert all(i.actual is None and i.score is None for i in doc.indicators)
    assert (doc.project, doc.year, doc.implementing_unit) == (decl.project, decl.year, decl.unit)
    assert doc.funds[0].initial_budget == decl.annual_budget
    assert doc.funds[0].weight == 10
    # the seeds declare no weights: the defaults, split evenly, and a note saying so
    notes = {f.code: f.message for f in doc.findings}
    assert "DRAFT-WEIGHTS" in notes
    assert "平均分配" in notes["DRAFT-WEIGHTS"]
    groups: dict[str, float] = {}
    for i in doc.indicators:
        groups[i.level1 or ""] = groups.get(i.level1 or "", 0) + (i.weight or 0)
    assert all(groups.get(k, 0) in (0, w) for k, w in (("满意度指标", 10), ("效益指标", 30)))
    assert groups.get("产出指标", 0) + groups.get("成本指标", 0) in (0, 50)
    # the draft scores, carries its notes, and its declaration finds no drift (C-SE-19)
    live = score_draft(made)
    assert live.error is None
    assert any(f.code == "DRAFT-WEIGHTS" for f in live.findings)
    run = check([FileResult("d", [live.document]), FileResult("t", [decl])], Options())  # type: ignore[list-item]
    assert not [f for f in run.findings if f.code == "C-SE-19"]


def test_declared_weights_are_carried_as_declared() -> None:
    decl = copy.deepcopy(declarations()[0])
    scored = [i for i in decl.indicators if not (i.level1 or "").startswith("投入")]
    for k, ind in enumerate(scored):
        ind.weight = float(k + 1)
    doc = from_v1(draft_from_declaration(decl))
    assert isinstance(doc, SelfEvaluation)
    assert [i.weight for i in doc.indicators] == [float(k + 1) for k in range(len(scored))]
    assert not [f for f in doc.findings if f.code == "DRAFT-WEIGHTS"]


def test_a_draft_needs_a_declaration() -> None:
    se = next(d for p in SEEDS for d in parse_file(p).documents if isinstance(d, SelfEvaluation))
    with pytest.raises(ValueError, match="应为绩效目标申报表"):
        draft_from_declaration(to_v1(se))


def test_a_draft_is_held_to_its_declaration_r1() -> None:
    decl = declarations()[0]
    made = draft_from_declaration(decl)
    assert not [f for f in score_draft(made, declaration=decl).findings if f.code == "C-SE-19"]
    declared = copy.deepcopy(decl)
    for ind in declared.indicators:
        ind.weight = 10  # a declaration with weights: the draft must keep them
    made = draft_from_declaration(declared)
    made["indicators"][0]["weight"] = 20
    made["indicators"][1]["target"] = "≥1"
    dropped = {**made, "indicators": made["indicators"][:-1]}
    got = score_draft(made, declaration=to_v1(declared))
    drift = sorted(f.message for f in got.findings if f.code == "C-SE-19")
    assert len(drift) == 2
    assert any("分值由申报的 10 改为 20" in m for m in drift)
    assert got.rows[0].findings
    assert got.rows[0].findings[0].code == "C-SE-19"
    assert not got.submittable
    assert any("未在自评表中评价" in f.message for f in score_draft(dropped, declaration=declared).errors)
    bad = score_draft(made, declaration={"kind": "self_evaluation"})
    assert bad.error
    assert "应为绩效目标申报表" in bad.error


def test_a_draft_from_a_national_declaration_keeps_its_categories(shared: Path) -> None:
    from tests.zoo.declaration import declarations as national

    for gold in national():
        decl = from_v1({k: v for k, v in gold.items() if k != "source"})
        assert isinstance(decl, TargetDeclaration)
        doc = from_v1(draft_from_declaration(decl))
        assert isinstance(doc, SelfEvaluation)
        assert [(i.level1, i.level2, i.name) for i in doc.indicators] == [
            (i.level1, i.level2, i.name) for i in decl.indicators
        ]
        assert (doc.department, doc.implementing_unit) == (decl.department, decl.unit)
        want = decl.total_budget if decl.total_budget is not None else decl.annual_budget
        assert doc.funds[0].initial_budget == want  # 年度资金总额, not its 本级 part
        assert score_draft(to_v1(doc)).error is None


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_FIELDS = st.sampled_from(
    ["funds", "indicators", "goal", "findings", "year", "total_score", "money_unit", "grade"]
)


@settings(max_examples=150, deadline=None)
@given(base=st.sampled_from([0, 1]), broken=st.dictionaries(_FIELDS, _JSON, max_size=3))
def test_any_draft_gives_a_result_or_one_line_never_a_traceback(base: int, broken: dict[str, Any]) -> None:
    data = {**(draft([]) if base else {"kind": "self_evaluation"}), **broken}
    got = score_draft(data)
    assert (got.error is None) == (got.document is not None)
    if got.error is not None:
        assert "\n" not in got.error
        assert got.error.strip()


# --- a declaration draft checked live (C-TD) --------------------------------------------------------------------


def test_a_declaration_draft_is_checked_live_row_by_row() -> None:
    decl = next(d for d in declarations() if d.project == "组织部弱电会议系统（运维）")
    got = check_declaration(to_v1(decl))
    assert got.error is None
    assert not got.submittable  # 满意值 0: C-TD-08 is an error
    k = next(k for k, i in enumerate(decl.indicators) if "满意" in i.name)
    assert [f.code for f in got.rows[k] if f.severity.value == "error"] == ["C-TD-08"]
    fixed = to_v1(decl)
    fixed["indicators"][k]["target"] = "≥90%"
    again = check_declaration(fixed)
    assert again.submittable
    assert not [f for f in again.rows[k] if f.code == "C-TD-08"]


def test_a_declarations_subprojects_must_add_up_c_td_10() -> None:
    decl = next(d for d in declarations() if d.subprojects)
    data = to_v1(decl)
    data["subprojects"][0]["amount"] += 1
    got = check_declaration(data)
    assert any(f.code == "C-TD-10" and f.severity.value == "error" for f in got.findings)
    assert not got.submittable
    assert got.to_dict()["submittable"] is False


def test_a_declaration_draft_that_is_not_one_is_one_line() -> None:
    got = check_declaration(draft([]))
    assert got.error
    assert "绩效目标申报表" in got.error
    assert "\n" not in got.error
