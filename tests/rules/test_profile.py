"""Profiles: named settings, TOML files and command-line overrides, validated from one declaration."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.model import Severity
from jixiao.rules import PROFILES, Profile, ProfileError, load_profile, settings


def test_default_is_national() -> None:
    p = load_profile()
    assert p == PROFILES["national"]
    assert p.name == "national"
    assert (p.reverse_formula, p.execution_threshold, p.over_achievement_ratio) == ("A", 90.0, 1.5)
    assert dict(p.grade_bands) == {"优": 90, "良": 80, "中": 60}


def test_builtin_provincial_profile() -> None:
    p = load_profile("provincial")
    assert (p.reverse_formula, p.grade(75)) == ("B", "良")


def test_toml_file_overrides_a_base(tmp_path: Path) -> None:
    path = tmp_path / "hebei.toml"
    path.write_text(
        'base = "national"\nreverse_formula = "b"\nexecution_threshold = 85\n'
        '[grade_bands]\n"优" = 80\n"良" = 70\n"中" = 60\n[severity]\n"C-SE-11" = "info"\n',
        encoding="utf-8",
    )
    p = load_profile(path)
    assert p.name == "hebei"
    assert p.reverse_formula == "B"
    assert p.execution_threshold == 85
    assert p.grade(79.9) == "良"
    assert p.severity_for("C-SE-11") is Severity.INFO


def test_command_line_overrides_win(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("reverse_formula = 'B'\n", encoding="utf-8")
    p = load_profile(
        path, ["reverse_formula=A", "severity.C-SE-05=info", "grade_bands.优=95", "grade_bands.良=85"]
    )
    assert p.reverse_formula == "A"
    assert p.severity_for("C-SE-05") is Severity.INFO
    assert p.grade(90) == "良"


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["reverse_formula=C"], "reverse_formula"),
        (["execution_threshold=120"], "execution_threshold"),
        (["no_such_setting=1"], "no_such_setting"),
        (['grade_bands={"优"=60,"良"=70,"中"=80}'], "递减"),
        (["severity.C-SE-05=fatal"], "严重程度"),
        (["integer_rounding=maybe"], "integer_rounding"),
        (["reverse_formula"], "名称=值"),
    ],
)
def test_bad_settings_are_rejected_with_the_setting_named(items: list[str], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        load_profile(None, items)


def test_unknown_profile_and_bad_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="未知配置"):
        load_profile("nowhere")
    bad = tmp_path / "bad.toml"
    bad.write_text("reverse_formula = [", encoding="utf-8")
    with pytest.raises(ProfileError, match="无法读取"):
        load_profile(bad)


def test_every_setting_is_declared_with_help() -> None:
    declared = {s.name for s in settings()}
    fields = set(Profile.__dataclass_fields__) - {"name"}
    assert declared == fields
    assert all(s.help and s.tag.startswith("[") for s in settings())
