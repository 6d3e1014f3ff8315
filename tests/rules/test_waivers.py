"""Waiver files (craft practice 6): accepted findings recorded once, matched like ``noqa``, stale ones reported."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.model import AnyDocument, Finding, Severity
from jixiao.rules import (
    WAIVER_FILE,
    Registry,
    WaiverError,
    apply_waivers,
    default_registry,
    draft_waivers,
    load_waivers,
)
from jixiao.rules.waivers import EXPIRED_CODE, INVALID_CODE, UNUSED_CODE

runner = CliRunner(env={"COLUMNS": "240"})

TARGET = ("C-SE-05", "干部教育工作经费 (2023) / 领导干部外向型培训人次")
ACCEPT = """
[[waiver]]
check = "C-SE-05"
project = "干部教育工作经费"
year = 2023
indicator = "领导干部外向型培训人次"
reason = "按实际培训人次计分，经主管部门确认"
"""


@pytest.fixture(scope="module")
def target(findings: list[Finding]) -> Finding:
    (hit,) = [f for f in findings if (f.code, f.subject) == TARGET]
    return hit


def write(tmp_path: Path, text: str, name: str = WAIVER_FILE) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def waived_subjects(
    tmp_path: Path, text: str, findings: list[Finding], **kw: Any
) -> list[tuple[str, str | None]]:
    waivers, invalid = load_waivers(write(tmp_path, text), **kw)
    assert invalid == []
    return [(w.finding.code, w.finding.subject) for w in apply_waivers(findings, waivers).waived]


# --- matching --------------------------------------------------------------------------------------------------


def test_a_waiver_suppresses_exactly_the_matching_finding(
    tmp_path: Path, findings: list[Finding], target: Finding
) -> None:
    waivers, invalid = load_waivers(write(tmp_path, ACCEPT))
    kept, waived, about = apply_waivers(findings, waivers)
    assert [w.finding for w in waived] == [target]
    assert waived[0].waiver.reason == "按实际培训人次计分，经主管部门确认"
    assert kept == [f for f in findings if f is not target]
    assert about == []
    assert invalid == []


@pytest.mark.parametrize(
    ("project", "indicator"),
    [
        ("干部教育工作经费项目", "领导干部外向型培训人次"),
        (" 干部教育 工作经费 ", "领导干部 外向型培训人次"),
        ("干部教育工作经费经费项目", "领导干部外向型培训人次 "),
    ],
)
def test_project_and_indicator_names_are_folded(
    tmp_path: Path, findings: list[Finding], project: str, indicator: str
) -> None:
    text = ACCEPT.replace('"干部教育工作经费"', f'"{project}"').replace(
        '"领导干部外向型培训人次"', f'"{indicator}"'
    )
    assert waived_subjects(tmp_path, text, findings) == [TARGET]


def test_full_width_brackets_match_and_a_waiver_without_indicator_covers_the_project(
    tmp_path: Path, findings: list[Finding]
) -> None:
    head = "上海市党员干部现代远程网络体系运维费(非信息化项目) (2018) / "
    expected = [
        (f.code, f.subject) for f in findings if f.code == "C-TD-03" and (f.subject or "").startswith(head)
    ]
    assert len(expected) >= 5
    text = """
[[waiver]]
check = "C-TD-03"
project = "上海市党员干部现代远程网络体系运维费（非信息化项目）"
reason = "申报表为 2018 年旧格式，定性指标已另行说明"
"""
    assert waived_subjects(tmp_path, text, findings) == expected


def test_check_name_and_former_code_resolve_through_the_registry(
    tmp_path: Path, findings: list[Finding]
) -> None:
    by_name = ACCEPT.replace('check = "C-SE-05"', 'check = "self_eval.quantitative_score"')
    assert waived_subjects(tmp_path, by_name, findings) == [TARGET]

    current = type(default_registry().by_code["C-SE-05"])

    class Renamed(current):  # type: ignore[valid-type, misc]
        aliases: ClassVar[tuple[str, ...]] = ("C-SE-OLD",)

    registry = Registry.of([Renamed if type(c) is current else type(c) for c in default_registry().checks])
    by_alias = ACCEPT.replace('check = "C-SE-05"', 'check = "C-SE-OLD"')
    assert waived_subjects(tmp_path, by_alias, findings, registry=registry) == [TARGET]
    # The same file against a registry without that alias: the entry is invalid, not silently ignored.
    waivers, invalid = load_waivers(tmp_path / WAIVER_FILE)
    assert waivers == []
    assert [f.code for f in invalid] == [INVALID_CODE]


@pytest.mark.parametrize(
    ("extra", "hits"),
    [
        ("year = 2023", 1),
        ("year = 2022", 0),
        ('indicator = "领导干部外向型培训人次"', 1),
        ('indicator = "领导干部培训人次"', 0),
        ('path = "samples/001_*.txt"', 1),
        ('path = "001_9228f5698196810c.txt"', 1),
        ('path = "samples/000_*.txt"', 0),
    ],
)
def test_year_indicator_and_path_restrict(
    tmp_path: Path, findings: list[Finding], extra: str, hits: int
) -> None:
    text = f"""
[[waiver]]
check = "C-SE-05"
project = "干部教育工作经费"
reason = "已确认"
{extra}
"""
    assert waived_subjects(tmp_path, text, findings) == [TARGET] * hits


def test_the_readme_sample_waives_the_finding_it_names(tmp_path: Path, findings: list[Finding]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"```toml\n(.*?)```", readme, re.S)
    assert sample is not None
    waivers, invalid = load_waivers(write(tmp_path, sample[1]))
    assert invalid == []
    assert len(waivers) == 1
    outcome = apply_waivers(findings, waivers, today=waivers[0].until)
    assert [(w.finding.code, w.finding.subject) for w in outcome.waived] == [TARGET]


# --- reporting the waivers themselves --------------------------------------------------------------------------


UNUSED = """# 2024 年复核
[[waiver]]
check = "C-SE-05"
project = "干部教育工作经费"
indicator = "领导干部外向型培训人次"
reason = "已确认"

[[waiver]]
check = "C-SE-05"
project = "干部教育工作经费"
indicator = "不存在的指标"
reason = "指标已更名"
"""


def test_an_unused_waiver_is_reported_with_its_file_and_line(
    tmp_path: Path, findings: list[Finding], seed_docs: list[AnyDocument]
) -> None:
    path = write(tmp_path, UNUSED)
    waivers, _ = load_waivers(path)
    assert [w.source.line if w.source else None for w in waivers] == [2, 8]
    _, waived, about = apply_waivers(findings, waivers, documents=seed_docs)
    assert len(waived) == 1
    (unused,) = about
    assert (unused.code, unused.severity, unused.source and unused.source.label()) == (
        UNUSED_CODE,
        Severity.WARNING,
        f"{path}:8",
    )
    assert f"{path}:8" in unused.message
    assert "不存在的指标" in unused.message
    # Not reported when the run did not run its check.
    assert apply_waivers(findings, waivers, codes={"C-SE-06"}, documents=seed_docs).findings == []


def test_unused_is_reported_only_for_what_the_run_covered(
    tmp_path: Path, findings: list[Finding], seed_docs: list[AnyDocument]
) -> None:
    text = """
[[waiver]]
check = "C-SE-05"
project = "本次未检查的项目"
reason = "另一文件中的项目"

[[waiver]]
check = "C-SE-05"
project = "干部教育工作经废"
path = "001_*.txt"
reason = "项目名称写错，但文件已检查"
"""
    waivers, _ = load_waivers(write(tmp_path, text))
    about = apply_waivers(findings, waivers, documents=seed_docs).findings
    assert [(f.code, f.source and f.source.line) for f in about] == [(UNUSED_CODE, 7)]
    # Without documents every unused waiver is reported.
    assert len(apply_waivers(findings, waivers).findings) == 2


def test_an_expired_waiver_no_longer_suppresses(
    tmp_path: Path, findings: list[Finding], target: Finding
) -> None:
    waivers, _ = load_waivers(write(tmp_path, ACCEPT + "until = 2024-06-30\n"))
    assert [w.finding for w in apply_waivers(findings, waivers, today=date(2024, 6, 30)).waived] == [target]
    kept, waived, about = apply_waivers(findings, waivers, today=date(2024, 7, 1))
    assert waived == []
    assert target in kept
    assert [(f.code, f.severity) for f in about] == [(EXPIRED_CODE, Severity.WARNING)]
    assert "2024-06-30" in about[0].message


def test_invalid_entries_are_findings_and_the_others_still_apply(
    tmp_path: Path, findings: list[Finding]
) -> None:
    text = (
        ACCEPT
        + """
[[waiver]]
check = "C-SE-05"
project = "干部教育工作经费"

[[waiver]]
check = "C-NOPE-01"
project = "干部教育工作经费"
indicatr = "拼错的字段"
reason = "x"
year = "2023年"
until = "明年"
"""
    )
    path = write(tmp_path, text)
    waivers, invalid = load_waivers(path)
    assert len(waivers) == 1
    assert [(f.code, f.severity, f.source and f.source.line) for f in invalid] == [
        (INVALID_CODE, Severity.ERROR, 9),
        (INVALID_CODE, Severity.ERROR, 13),
    ]
    assert "reason" in invalid[0].message
    assert all(word in invalid[1].message for word in ("C-NOPE-01", "indicatr", "year", "until"))


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[[waiver]]\ncheck = "C-SE-05\n', "line 2"),
        ('[[waivers]]\ncheck = "C-SE-05"\n', "waivers"),
        ('waiver = "C-SE-05"\n', "waiver"),
    ],
)
def test_a_malformed_file_is_one_error_naming_the_file(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(WaiverError) as caught:
        load_waivers(path)
    message = str(caught.value)
    assert str(path) in message
    assert where in message
    assert "\n" not in message


# --- the command line ------------------------------------------------------------------------------------------


BAD_WAIVER = """
[[waiver]]
check = "C-SE-05"
project = "测试项目"
indicator = "培训人数"
reason = "按培训计划计分"
by = "李四"
"""


def check(*args: str) -> Any:
    return runner.invoke(app, ["check", *args, "--select", "C-SE-05"])


def test_fail_on_ignores_waived_findings(tmp_path: Path, bad_file: Path) -> None:
    waivers = write(tmp_path, BAD_WAIVER)
    assert check(str(bad_file), "--no-waivers").exit_code == 1
    result = check(str(bad_file), "--waivers", str(waivers), "--fail-on", "info")
    assert result.exit_code == 0, result.stdout
    assert " C-SE-05 " not in result.stdout
    assert "已豁免 1 条" in result.stdout
    assert "按培训计划计分" not in result.stdout
    shown = check(str(bad_file), "--waivers", str(waivers), "--show-waived")
    assert f"{bad_file}:4: C-SE-05 error" in shown.stdout
    assert "按培训计划计分" in shown.stdout


def test_json_leaves_waived_findings_out_unless_asked_then_gives_the_reason(
    tmp_path: Path, bad_file: Path
) -> None:
    waivers = write(tmp_path, BAD_WAIVER)
    assert json.loads(check(str(bad_file), "--waivers", str(waivers), "--format", "json").stdout) == []
    data = json.loads(
        check(str(bad_file), "--waivers", str(waivers), "--format", "json", "--show-waived").stdout
    )
    assert [(w["code"], w["subject"], w["waiver"]["reason"], w["waiver"]["line"]) for w in data] == [
        ("C-SE-05", "测试项目 (2023) / 培训人数", "按培训计划计分", 2)
    ]


def test_sarif_marks_waived_findings_as_external_suppressions(tmp_path: Path, bad_file: Path) -> None:
    waivers = write(tmp_path, BAD_WAIVER)
    sarif = json.loads(check(str(bad_file), "--waivers", str(waivers), "--format", "sarif").stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "C-SE-05"
    (suppression,) = result["suppressions"]
    assert (suppression["kind"], suppression["justification"]) == ("external", "按培训计划计分")
    plain = json.loads(check(str(bad_file), "--no-waivers", "--format", "sarif").stdout)
    assert "suppressions" not in plain["runs"][0]["results"][0]


def test_unused_and_expired_waivers_are_ordinary_findings(tmp_path: Path, bad_file: Path) -> None:
    stale = (
        BAD_WAIVER.replace("培训人数", "结业人数")
        + BAD_WAIVER.replace("李四", "王五")
        + "until = 2020-01-01\n"
    )
    waivers = write(tmp_path, stale)
    result = check(str(bad_file), "--waivers", str(waivers), "--fail-on", "warning")
    assert result.exit_code == 1
    assert f"{waivers}:2: {UNUSED_CODE} warning" in result.stdout
    assert f"{waivers}:9: {EXPIRED_CODE} warning" in result.stdout
    assert f"{bad_file}:4: C-SE-05 error" in result.stdout
    quiet = check(str(bad_file), "--waivers", str(waivers), "--ignore", "WAIVER-UNUSED")
    assert UNUSED_CODE not in quiet.stdout
    assert EXPIRED_CODE in quiet.stdout


def test_the_waiver_file_of_the_current_directory_is_used(
    tmp_path: Path, bad_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, BAD_WAIVER)
    monkeypatch.chdir(tmp_path)
    assert "已豁免 1 条" in check(str(bad_file)).stdout
    assert "已豁免" not in check(str(bad_file), "--no-waivers").stdout


def test_a_malformed_waiver_file_exits_2_with_one_line(tmp_path: Path, bad_file: Path) -> None:
    waivers = write(tmp_path, '[[waiver]]\ncheck = "C-SE-05\n')
    result = check(str(bad_file), "--waivers", str(waivers))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(waivers) in lines[0]
    assert "line 2" in lines[0]
    assert "Traceback" not in result.output


# --- drafting --------------------------------------------------------------------------------------------------


def test_a_draft_waives_nothing_until_each_reason_is_written(tmp_path: Path, bad_file: Path) -> None:
    draft = tmp_path / "draft.toml"
    assert check(str(bad_file), "--no-waivers", "--draft-waivers", str(draft)).exit_code == 1
    waivers, invalid = load_waivers(draft)
    assert waivers == []
    assert [f.code for f in invalid] == [INVALID_CODE]
    assert "reason" in invalid[0].message
    filled = draft.read_text(encoding="utf-8").replace('reason = ""', 'reason = "按培训计划计分"')
    draft.write_text(filled, encoding="utf-8")
    result = check(str(bad_file), "--waivers", str(draft))
    assert result.exit_code == 0
    assert "已豁免 1 条" in result.stdout


def test_a_draft_never_overwrites_a_file(tmp_path: Path, bad_file: Path) -> None:
    kept = write(tmp_path, BAD_WAIVER, "mine.toml")
    result = check(str(bad_file), "--no-waivers", "--draft-waivers", str(kept))
    assert result.exit_code == 2
    assert "已存在" in result.stderr
    assert kept.read_text(encoding="utf-8") == BAD_WAIVER


def test_draft_entries_read_back_as_the_findings_they_came_from(tmp_path: Path) -> None:
    """Names with quotes, backslashes and brackets survive the TOML; one entry per finding subject and code."""
    name = '培训"提升"项目\\（二期）'
    findings = [
        Finding(
            code="C-SE-05",
            severity=Severity.ERROR,
            message="得分与规则不符",
            subject=f"{name} (2023) / 出勤率",
        ),
        Finding(code="C-SE-05", severity=Severity.ERROR, message="again", subject=f"{name} (2023) / 出勤率"),
        Finding(code="C-SE-21", severity=Severity.INFO, message="未提及来源", subject=f"{name} (2023)"),
        Finding(code="PARSE-MISSING", severity=Severity.ERROR, message="未找到项目名称"),
    ]
    text, count = draft_waivers(findings)
    assert count == 2
    filled = text.replace('reason = ""', 'reason = "已核实"')
    path = write(tmp_path, filled, "d.toml")
    waivers, invalid = load_waivers(path)
    assert invalid == []
    assert [(w.code, w.project, w.year, w.indicator) for w in waivers] == [
        ("C-SE-05", name, 2023, "出勤率"), ("C-SE-21", name, 2023, None),
    ]  # fmt: skip
    assert all(any(w.matches(f) for w in waivers) for f in findings[:3])
