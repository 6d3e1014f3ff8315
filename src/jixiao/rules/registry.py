"""The check registry: built-in groups and outside packages through one pluggy hook.

Each group package (``jixiao.rules.checks.self_eval`` …) implements ``jixiao_checks()`` returning the explicit
list of its check classes.  The built-in groups are registered through the same hook a province-specific package
uses from its ``[project.entry-points."jixiao.checks"]``; nothing is discovered by scanning modules.

Selection (``--select`` / ``--ignore``) accepts codes (``C-SE-05``), code families (``C-SE``), slugs
(``self_eval.score_vs_rule``), groups (``arithmetic``) and former codes (aliases).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import pluggy

from jixiao.rules.base import Check

__all__ = [
    "BUILTIN_GROUPS",
    "ENTRY_POINT_GROUP",
    "Registry",
    "RegistryError",
    "default_registry",
    "hookimpl",
    "hookspec",
]

PROJECT = "jixiao"
ENTRY_POINT_GROUP = "jixiao.checks"
BUILTIN_GROUPS = (
    "jixiao.rules.checks.values",
    "jixiao.rules.checks.self_eval",
    "jixiao.rules.checks.declaration",
    "jixiao.rules.checks.result",
)

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


class RegistryError(ValueError):
    """A duplicate code or an unknown selector."""


class _Specs:
    @hookspec
    def jixiao_checks(self) -> list[type[Check[Any]]]:  # type: ignore[empty-body]
        """Return the check classes a plugin contributes."""


@dataclass(frozen=True)
class Registry:
    """An immutable set of checks, by code.

    Attributes:
        checks: one instance per check class, sorted by code.
    """

    checks: tuple[Check[Any], ...]

    @classmethod
    def of(cls, classes: Iterable[type[Check[Any]]]) -> Registry:
        """Instantiate and index check classes; a code or alias used twice is a :class:`RegistryError`."""
        seen: dict[str, str] = {}
        out: list[Check[Any]] = []
        for c in classes:
            for code in (c.code, *c.aliases):
                if code in seen:
                    raise RegistryError(f"检查代码 {code} 重复：{seen[code]} 与 {c.__module__}")
                seen[code] = c.__module__
            out.append(c())
        return cls(tuple(sorted(out, key=lambda c: _code_key(c.code))))

    @property
    def by_code(self) -> Mapping[str, Check[Any]]:
        """Checks by code and by alias."""
        table: dict[str, Check[Any]] = {}
        for c in self.checks:
            table[c.code] = c
            for alias in c.aliases:
                table[alias] = c
        return MappingProxyType(table)

    def _matches(self, check: Check[Any], token: str) -> bool:
        return (
            token == check.code
            or check.code.startswith(token + "-")
            or token == check.name
            or token in check.groups
            or token in check.aliases
        )

    def resolve(self, tokens: Iterable[str]) -> set[str]:
        """The codes a list of selectors means; an unknown selector is a :class:`RegistryError`."""
        codes: set[str] = set()
        for raw in tokens:
            for token in (t.strip() for t in raw.split(",")):
                if not token:
                    continue
                hit = {c.code for c in self.checks if self._matches(c, token)}
                if not hit:
                    raise RegistryError(f"未知的检查选择「{token}」（可用代码、代码前缀、名称或分组）")
                codes |= hit
        return codes

    def select(
        self, select: Sequence[str] | None = None, ignore: Sequence[str] | None = None
    ) -> tuple[Check[Any], ...]:
        """The checks chosen by ``select`` (all when empty) minus those matched by ``ignore``."""
        chosen = self.resolve(select) if select else {c.code for c in self.checks}
        dropped = self.resolve(ignore) if ignore else set()
        return tuple(c for c in self.checks if c.code in chosen and c.code not in dropped)


def _code_key(code: str) -> tuple[str, int, str]:
    head, _, num = code.rpartition("-")
    return (head, int(num), code) if num.isdigit() else (code, 0, code)


def plugin_manager(*, entry_points: bool = True) -> pluggy.PluginManager:
    """A plugin manager with the built-in groups registered and, optionally, outside plugins loaded."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(_Specs)
    for name in BUILTIN_GROUPS:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """Every check of the built-in groups and of installed plugins (built once, immutable)."""
    pm = plugin_manager()
    classes = [c for group in pm.hook.jixiao_checks() for c in group]
    return Registry.of(classes)
