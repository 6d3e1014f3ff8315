"""Evaluation-result checks (C-ER-*, rules.md §8.4): the explicit list of the group."""

from __future__ import annotations

from typing import Any

from jixiao.rules.base import Check
from jixiao.rules.registry import hookimpl


@hookimpl
def jixiao_checks() -> list[type[Check[Any]]]:
    """Every C-ER check, in code order."""
    from jixiao.rules.checks.result import C_ER_01, C_ER_02, C_ER_03, C_ER_04, C_ER_05

    return [
        C_ER_01.ConclusionBand,
        C_ER_02.ScoreRange,
        C_ER_03.Rectification,
        C_ER_04.QuotedExecutionRate,
        C_ER_05.FrameworkWeights,
    ]
