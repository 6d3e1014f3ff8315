"""`jixiao check`, `jixiao score` and `jixiao rules` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jixiao.cli import app
from tests.conftest import SEEDS

runner = CliRunner()


def test_human_format_lines_and_exit_status(bad_file: Path) -> None:
    result = runner.invoke(app, ["check", str(bad_file), "--select", "C-SE-05"])
    assert result.exit_code == 1
    assert f"{bad_file}:4: C-SE-05 error " in result.stdout


def test_fail_on_and_ignore(bad_file: Path) -> None:
    assert (
        runner.invoke(app, ["check", str(bad_file), "--select", "C-SE-05", "--fail-on", "never"]).exit_code
        == 0
    )
    result = runner.invoke(app, ["check", str(bad_file), "--ignore", "C-SE,C-VAL"])
    assert result.exit_code == 0
    assert " C-SE-" not in result.stdout
    assert " C-VAL-" not in result.stdout
    assert "错误 0" in result.stdout.splitlines()[-1]


def test_severity_override_from_the_command_line(bad_file: Path) -> None:
    result = runner.invoke(
        app, ["check", str(bad_file), "--select", "C-SE-05", "--set", "severity.C-SE-05=warning"]
    )
    assert result.exit_code == 0
    assert "C-SE-05 warning" in result.stdout


def test_json_and_sarif(bad_file: Path) -> None:
    data = json.loads(
        runner.invoke(app, ["check", str(bad_file), "--format", "json", "--select", "C-SE-05"]).stdout
    )
    assert [(f["code"], f["subject"], f["expected"], f["actual"]) for f in data] == [
        ("C-SE-05", "测试项目 (2023) / 培训人数", 8.0, 10.0)
    ]
    sarif = json.loads(
        runner.invoke(app, ["check", str(bad_file), "--format", "sarif", "--select", "C-SE-05"]).stdout
    )
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert run["results"][0]["ruleId"] == "C-SE-05"
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"C-SE-05", "C-TD-08", "C-ER-01"}


def test_usage_errors(bad_file: Path) -> None:
    assert runner.invoke(app, ["check", str(bad_file), "--select", "NOPE"]).exit_code == 2
    assert runner.invoke(app, ["check", str(bad_file), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["check", str(bad_file), "--set", "reverse_formula=Z"]).exit_code == 2


def test_seeds_json_has_only_warnings_on_self_evaluations() -> None:
    result = runner.invoke(app, ["check", *map(str, SEEDS), "--format", "json"])
    data = json.loads(result.stdout)
    errors = [f for f in data if f["severity"] == "error"]
    assert [f["code"] for f in errors] == ["C-TD-08"]
    assert result.exit_code == 1


def test_score_prints_rule_beside_printed(bad_file: Path) -> None:
    result = runner.invoke(app, ["score", str(bad_file)])
    assert result.exit_code == 0
    assert "✗ 培训人数：≥100人 → 80人  分值 10  得分 10  规则 8" in result.stdout
    assert "10 × 80 / 100 = 8" in result.stdout
    data = json.loads(
        runner.invoke(app, ["score", str(bad_file), "--json", "--profile", "provincial"]).stdout
    )
    assert data[0]["rows"][0]["rule"] == 8
    assert data[0]["profile"] == "provincial"


def test_rules_lists_every_check() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 42
    assert lines[0].startswith("C-ER-01   error")
    data = json.loads(runner.invoke(app, ["rules", "--json"]).stdout)
    assert all(r["summary"] for r in data)
    page = runner.invoke(app, ["rules", "C-SE-05"]).stdout
    assert "Failing example" in page
    assert "Why it matters" in page
    assert "reverse_formula" in runner.invoke(app, ["rules", "--settings"]).stdout


def test_stage_codes_select_and_ignore_like_checks(bad_file: Path) -> None:
    only_parse = runner.invoke(app, ["check", str(bad_file), "--select", "PARSE"]).stdout.splitlines()[:-1]
    assert only_parse
    assert all(" PARSE-" in line for line in only_parse)
    no_parse = runner.invoke(app, ["check", str(bad_file), "--ignore", "PARSE"]).stdout
    assert " PARSE-" not in no_parse
    assert " C-SE-05 " in no_parse
