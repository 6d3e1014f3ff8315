"""Profiles: the named settings behind every [R-M] / [I] choice of the spec, declared as data.

A :class:`Profile` holds every setting the scoring rules and checks read (the reverse formula, tolerances, the
execution threshold, grade bands, the over-achievement ratio …).  Each field declares its default, a Chinese help
text, the evidence tag of the spec and a converter that raises :class:`ProfileError`; ``jixiao rules --settings``
and TOML validation both come from that one declaration.

Profiles are built in (``national``, the default, and ``provincial``, the variant of one provincial system) or read
from a TOML file whose top-level keys are setting names, with an optional ``base`` profile::

    base = "national"
    name = "hebei"
    reverse_formula = "B"
    [grade_bands]          # TOML keys outside ASCII are quoted
    "优" = 80
    "良" = 70
    "中" = 60
    [severity]
    "C-SE-11" = "info"

Command-line overrides use the same names, dotted for one entry of a table: ``--set reverse_formula=B
--set severity.C-SE-11=info --set grade_bands.优=85``.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jixiao.model import Severity

__all__ = ["PROFILES", "Profile", "ProfileError", "SettingInfo", "load_profile", "settings"]


class ProfileError(ValueError):
    """A profile name, file or setting value that cannot be used."""


Converter = Callable[[Any], Any]


def _setting(default: Any, help: str, convert: Converter, tag: str = "[I]") -> Any:
    return field(default=default, metadata={"help": help, "convert": convert, "tag": tag})


def _number(lo: float = 0.0, hi: float = float("inf")) -> Converter:
    def convert(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise ProfileError(f"应为数值，得到 {v!r}")
        try:
            x = float(v)
        except ValueError as exc:
            raise ProfileError(f"应为数值，得到 {v!r}") from exc
        if not lo <= x <= hi:
            raise ProfileError(f"应在 [{lo:g}, {hi:g}] 之间，得到 {x:g}")
        return x

    return convert


def _choice(*options: str) -> Converter:
    def convert(v: Any) -> str:
        s = str(v).strip().upper()
        if s not in options:
            raise ProfileError(f"应为 {' / '.join(options)} 之一，得到 {v!r}")
        return s

    return convert


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("true", "1", "yes", "on"):
        return True
    if s in ("false", "0", "no", "off"):
        return False
    raise ProfileError(f"应为 true / false，得到 {v!r}")


def _pairs(keys: tuple[str, ...], *, decreasing: bool) -> Converter:
    def convert(v: Any) -> tuple[tuple[str, float], ...]:
        items = dict(v) if isinstance(v, Mapping | tuple | list) else None
        if items is None or set(items) != set(keys):
            raise ProfileError(f"应给出 {'、'.join(keys)} 各项数值，得到 {v!r}")
        out = tuple((k, _number()(items[k])) for k in keys)
        values = [x for _, x in out]
        if decreasing and values != sorted(values, reverse=True):
            raise ProfileError(f"{'、'.join(keys)} 的下限应依次递减，得到 {values}")
        return out

    return convert


def _severities(v: Any) -> tuple[tuple[str, Severity], ...]:
    items = dict(v) if isinstance(v, Mapping | tuple | list) else None
    if items is None:
        raise ProfileError(f"应为 检查代码 = 严重程度 的表，得到 {v!r}")
    try:
        return tuple(sorted((str(k), Severity(str(s).lower())) for k, s in items.items()))
    except ValueError as exc:
        raise ProfileError(f"严重程度应为 error / warning / info：{exc}") from exc


@dataclass(frozen=True)
class Profile:
    """Every configurable choice of the rules, with its default under the national rules.

    Attributes:
        name: the profile's name, shown in reports.
        reverse_formula: R6 shortfall formula for reverse (≤) indicators, A = w×t/a or B = w×max(0, 2−a/t).
        score_tolerance: accepted |printed − rule| for a row or execution score.
        score_tolerance_one_decimal: the same when the printed score has one decimal (0.1 for 0.107).
        integer_rounding: accept integer-rounded scores (|diff| < 0.5) as a local rounding rule.
        rate_tolerance: accepted |printed − recomputed| execution rate, in percentage points.
        total_weight: the 总分 a table's weights add up to.
        execution_weight: the weight of the execution rate when the table does not print it.
        execution_threshold: C-SE-15, execution rate (%) below which the reason must be explained.
        low_execution: C-SE-16, execution rate (%) below which full output marks are suspicious.
        budget_adjustment_ratio: C-SE-17, relative change between 年初 and 全年预算数 worth a note.
        over_achievement_ratio: C-SE-09, actual ÷ target of a positive indicator that counts as far exceeding.
        reverse_over_achievement_ratio: C-SE-09, actual ÷ target of a reverse indicator that counts as far better.
        grade_bands: R11 lower bounds of 优, 良 and 中 (below 中 is 差).
        level1_weights: R2 default weights of 产出(+成本), 效益 and 满意度.
        satisfaction_floor: C-TD-08, satisfaction target (%) below which a declaration is warned.
        previous_execution_threshold: C-TD-11, previous-year execution rate (%) below which a note is made.
        severity: per-code severity overrides.
    """

    name: str = "national"
    reverse_formula: str = _setting(
        "A", "反向指标未达标时的计分公式：A = w×t/a，B = w×max(0, 2−a/t)", _choice("A", "B")
    )
    score_tolerance: float = _setting(0.01, "得分容差（分）", _number(0, 10), "[D]")
    score_tolerance_one_decimal: float = _setting(
        0.05, "表格得分只保留一位小数时的容差（分）", _number(0, 10), "[D]"
    )
    integer_rounding: bool = _setting(False, "地方表格按整数取分时，接受 ±0.5 的取整差", _bool)
    rate_tolerance: float = _setting(0.02, "执行率容差（百分点）", _number(0, 100), "[D]")
    total_weight: float = _setting(100.0, "各项分值合计（总分）", _number(0), "[R-H]")
    execution_weight: float = _setting(10.0, "预算执行率分值（表格未列时采用）", _number(0, 100), "[R-H]")
    execution_threshold: float = _setting(
        90.0, "执行率低于该值（%）须说明原因（C-SE-15）", _number(0, 100), "[S]"
    )
    low_execution: float = _setting(
        80.0, "执行率低于该值（%）而产出数量指标全部满分视为不匹配（C-SE-16）", _number(0, 100), "[I]"
    )
    budget_adjustment_ratio: float = _setting(
        0.2, "年初预算与全年预算相差超过该比例时提示（C-SE-17）", _number(0), "[S]"
    )
    over_achievement_ratio: float = _setting(
        1.5, "正向指标实际值达到目标值该倍数视为大幅超额（C-SE-09）", _number(1), "[I]"
    )
    reverse_over_achievement_ratio: float = _setting(
        0.5, "反向指标实际值不高于目标值该倍数视为大幅超额（C-SE-09）", _number(0, 1), "[I]"
    )
    grade_bands: tuple[tuple[str, float], ...] = _setting(
        (("优", 90.0), ("良", 80.0), ("中", 60.0)),
        "评分等级下限：优 / 良 / 中（以下为差）",
        _pairs(("优", "良", "中"), decreasing=True),
        "[R-H]",
    )
    level1_weights: tuple[tuple[str, float], ...] = _setting(
        (("产出", 50.0), ("效益", 30.0), ("满意度", 10.0)),
        "一级指标默认分值：产出（含成本）/ 效益 / 满意度",
        _pairs(("产出", "效益", "满意度"), decreasing=False),
        "[R-H]",
    )
    satisfaction_floor: float = _setting(
        80.0, "满意度目标值低于该值（%）时提示（C-TD-08）", _number(0, 100), "[D]"
    )
    previous_execution_threshold: float = _setting(
        90.0, "上年执行率低于该值（%）而本年预算不减时提示（C-TD-11）", _number(0, 100), "[I]"
    )
    severity: tuple[tuple[str, Severity], ...] = _setting((), "按检查代码覆盖严重程度", _severities)

    def severity_for(self, code: str) -> Severity | None:
        """The overriding severity of one check code, if the profile sets one."""
        for c, s in self.severity:
            if c == code:
                return s
        return None

    def grade(self, score: float) -> str:
        """The grade band (优 / 良 / 中 / 差) of an unrounded score (R11)."""
        for grade, floor in self.grade_bands:
            if score >= floor:
                return grade
        return "差"

    def level1_weight(self, group: str) -> float:
        """The default weight of one 一级 group (产出 / 效益 / 满意度)."""
        return dict(self.level1_weights)[group]

    def with_settings(self, values: Mapping[str, Any], *, origin: str = "") -> Profile:
        """A copy with the given settings converted and applied; unknown names raise :class:`ProfileError`."""
        known = {f.name: f for f in dataclasses.fields(self)}
        changes: dict[str, Any] = {}
        for key, raw in values.items():
            f = known.get(key)
            if f is None:
                raise ProfileError(f"{origin}未知设置「{key}」；可用：{'、'.join(known)}")
            if key == "name":
                changes[key] = str(raw)
                continue
            try:
                changes[key] = f.metadata["convert"](raw)
            except ProfileError as exc:
                raise ProfileError(f"{origin}设置「{key}」{exc}") from exc
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class SettingInfo:
    """One declared setting: what ``jixiao rules --settings`` prints and the docs list."""

    name: str
    default: Any
    help: str
    tag: str


def settings() -> tuple[SettingInfo, ...]:
    """The declared settings of :class:`Profile`, in declaration order."""
    return tuple(
        SettingInfo(f.name, f.default, f.metadata["help"], f.metadata["tag"])
        for f in dataclasses.fields(Profile)
        if "help" in f.metadata
    )


PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        "national": Profile(),
        "provincial": Profile(
            name="provincial",
            reverse_formula="B",
            over_achievement_ratio=1.2,
            grade_bands=(("优", 80.0), ("良", 70.0), ("中", 60.0)),
        ),
    }
)


def _parse_override(item: str) -> tuple[str, Any]:
    key, sep, raw = item.partition("=")
    if not sep or not key.strip():
        raise ProfileError(f"覆盖设置应写作 名称=值，得到「{item}」")
    try:
        value: Any = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return key.strip(), value


def _merge_overrides(base: Profile, items: Iterable[str]) -> Profile:
    plain: dict[str, Any] = {}
    for item in items:
        key, value = _parse_override(item)
        head, dot, sub = key.partition(".")
        if dot:
            current = dict(plain.get(head) or getattr(base, head, ()) or ())
            current[sub] = value
            plain[head] = current
        else:
            plain[key] = value
    return base.with_settings(plain, origin="命令行：")


def load_profile(spec: str | Path | None = None, overrides: Iterable[str] = ()) -> Profile:
    """The profile named ``spec`` (or read from the TOML file ``spec``), with ``key=value`` overrides applied."""
    if spec is None or str(spec) == "":
        profile = PROFILES["national"]
    elif str(spec) in PROFILES:
        profile = PROFILES[str(spec)]
    else:
        path = Path(spec)
        if not path.is_file():
            raise ProfileError(
                f"未知配置「{spec}」：既不是内置配置（{'、'.join(PROFILES)}），也不是 TOML 文件"
            )
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ProfileError(f"无法读取配置文件 {path}：{exc}") from exc
        base_name = str(data.pop("base", "national"))
        if base_name not in PROFILES:
            raise ProfileError(f"{path}：未知的基础配置「{base_name}」")
        data.setdefault("name", path.stem)
        profile = PROFILES[base_name].with_settings(data, origin=f"{path}：")
    return _merge_overrides(profile, overrides)
