"""Value-shape checks (C-VAL-*): the explicit list of the group."""

from __future__ import annotations

from typing import Any

from jixiao.rules.base import Check
from jixiao.rules.registry import hookimpl


@hookimpl
def jixiao_checks() -> list[type[Check[Any]]]:
    """Every C-VAL check."""
    from jixiao.rules.checks.values import C_VAL_01

    return [C_VAL_01.UnknownValue]
