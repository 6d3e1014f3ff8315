"""Target-declaration checks (C-TD-*, rules.md §8.2): the explicit list of the group."""

from __future__ import annotations

from typing import Any

from jixiao.rules.base import Check
from jixiao.rules.registry import hookimpl


@hookimpl
def jixiao_checks() -> list[type[Check[Any]]]:
    """Every C-TD check, in code order."""
    from jixiao.rules.checks.declaration import (
        C_TD_01,
        C_TD_02,
        C_TD_03,
        C_TD_04,
        C_TD_05,
        C_TD_06,
        C_TD_07,
        C_TD_08,
        C_TD_09,
        C_TD_10,
        C_TD_11,
        C_TD_12,
        C_TD_13,
        C_TD_14,
    )  # fmt: skip

    return [
        C_TD_01.RowComplete,
        C_TD_02.QuantitativeForm,
        C_TD_03.VagueTarget,
        C_TD_04.Coverage,
        C_TD_05.ProcessItem,
        C_TD_06.TautologicalCost,
        C_TD_07.Direction,
        C_TD_08.SatisfactionTarget,
        C_TD_09.WeakerThanHistory,
        C_TD_10.FundsAndDates,
        C_TD_11.PreviousExecution,
        C_TD_12.Misfiled,
        C_TD_13.Duplicate,
        C_TD_14.AnnualGoal,
    ]
