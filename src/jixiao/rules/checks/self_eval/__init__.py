"""Self-evaluation checks (C-SE-*, rules.md §8.1): the explicit list of the group."""

from __future__ import annotations

from typing import Any

from jixiao.rules.base import Check
from jixiao.rules.registry import hookimpl


@hookimpl
def jixiao_checks() -> list[type[Check[Any]]]:
    """Every C-SE check, in code order."""
    from jixiao.rules.checks.self_eval import (
        C_SE_01,
        C_SE_02,
        C_SE_03,
        C_SE_04,
        C_SE_05,
        C_SE_06,
        C_SE_07,
        C_SE_08,
        C_SE_09,
        C_SE_10,
        C_SE_11,
        C_SE_12,
        C_SE_13,
        C_SE_14,
        C_SE_15,
        C_SE_16,
        C_SE_17,
        C_SE_18,
        C_SE_19,
        C_SE_20,
        C_SE_21,
        C_SE_22,
    )  # fmt: skip

    return [
        C_SE_01.ExecutionRate,
        C_SE_02.ExecutionScore,
        C_SE_03.FundSublines,
        C_SE_04.ScoreWithinWeight,
        C_SE_05.QuantitativeScore,
        C_SE_06.QuantitativeActual,
        C_SE_07.QualitativeTier,
        C_SE_08.DeviationExplained,
        C_SE_09.OverAchievement,
        C_SE_10.WeightSum,
        C_SE_11.Level1Split,
        C_SE_12.CategoryCoverage,
        C_SE_13.TotalScore,
        C_SE_14.GradeBand,
        C_SE_15.LowExecution,
        C_SE_16.OutputsVersusBudget,
        C_SE_17.BudgetAdjusted,
        C_SE_18.GoalCopied,
        C_SE_19.DeclarationDrift,
        C_SE_20.UnitMismatch,
        C_SE_21.SatisfactionEvidence,
        C_SE_22.MetButMarkedDown,
    ]
