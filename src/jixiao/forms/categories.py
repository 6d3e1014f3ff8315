"""Indicator categories (一级/二级指标): canonical names and their hierarchy."""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.forms.common import fold_glosses
from jixiao.text import nospace, simplify

LEVEL1 = ("产出指标", "成本指标", "效益指标", "满意度指标")

# 二级指标 -> its 一级指标 (cost sub-categories belong to 成本指标, which the 2022 template prints under 产出指标)
LEVEL2_PARENT: dict[str, str] = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "成本指标",
    "经济成本指标": "成本指标",
    "社会成本指标": "成本指标",
    "生态环境成本指标": "成本指标",
    "社会效益指标": "效益指标",
    "经济效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
}

# 分解目标 groups of the 2018 Shanghai declaration layout
DECLARATION_GROUPS = ("投入和管理目标", "产出目标", "效果目标", "影响力目标")

_SCORE_SUFFIX = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


@lru_cache(maxsize=8192)
def canonical(label: str | None) -> str | None:
    """The canonical category a printed label means, or None when it is no category.

    Whitespace is removed (``可持 续影 响指 标``), traditional forms folded (``可持續影响指标``), a score suffix
    dropped (``产出指标(50分)``) and a missing ``指标`` suffix added (``服务对象满意度``)."""
    if not label:
        return None
    s = simplify(fold_glosses(nospace(label)))
    if s.endswith((")", "）")):
        s = _SCORE_SUFFIX.sub("", s)
    s = s.rstrip(":：")
    if not s:
        return None
    if s in LEVEL1 or s in LEVEL2_PARENT:
        return s
    if s + "指标" in LEVEL1 or s + "指标" in LEVEL2_PARENT:
        return s + "指标"
    if s.endswith("类指标") and s[:-3] + "指标" in LEVEL2_PARENT:
        return s[:-3] + "指标"
    return None


def is_level1(cat: str) -> bool:
    return cat in LEVEL1 and cat != "成本指标"


def parent(cat: str) -> str | None:
    if cat in LEVEL1:
        return cat
    return LEVEL2_PARENT.get(cat)


def export_levels(level1: str | None, level2: str | None) -> tuple[str | None, str | None]:
    """Levels as the v1 format exports them: every cost row is ``成本指标`` with its sub-category or None."""
    if level2 is not None and parent(level2) == "成本指标":
        return "成本指标", (None if level2 == "成本指标" else level2)
    if level1 == "成本指标":
        return "成本指标", level2 if level2 != "成本指标" else None
    return level1, level2


def canonical_group(label: str | None) -> str | None:
    """The 分解目标 group of a declaration (``投入和管理目标`` …), or None."""
    if not label:
        return None
    s = simplify(fold_glosses(nospace(label)))
    if s in DECLARATION_GROUPS:
        return s
    if s + "目标" in DECLARATION_GROUPS:
        return s + "目标"
    return None
