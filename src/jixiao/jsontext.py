"""JSON as the commands print it: ``json.dumps(value, ensure_ascii=False, indent=1)``, several times faster, in a
module of its own so that the light ``show`` (:mod:`jixiao.console`) prints it without loading the Typer app."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

_SCALARS: dict[Any, str] = {True: "true", False: "false", None: "null"}


def indented_json(value: Any, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=1)`` for the plain data the commands print (dicts with
    string keys, lists, strings, numbers, booleans, None), nested ``level`` deep, several times faster: the
    standard library encodes an indented document in Python generator by generator, which made
    ``projects --json`` spend most of its time at 100,000 projects encoding."""
    parts: list[str] = []
    _encode(value, level, parts.append)
    return "".join(parts)


def _encode(value: Any, level: int, put: Any) -> None:
    if isinstance(value, str):
        put(encode_basestring(value))
    elif value is None or value is True or value is False:
        put(_SCALARS[value])
    elif isinstance(value, int):
        put(int.__repr__(value))
    elif isinstance(value, float):
        put(_float(value))
    elif isinstance(value, dict):
        if not value:
            put("{}")
            return
        inner = "\n" + " " * (level + 1)
        sep = "{" + inner
        for key, item in value.items():
            put(sep + encode_basestring(_key(key)) + ": ")
            _encode(item, level + 1, put)
            sep = "," + inner
        put("\n" + " " * level + "}")
    elif isinstance(value, list | tuple):
        if not value:
            put("[]")
            return
        inner = "\n" + " " * (level + 1)
        sep = "[" + inner
        for item in value:
            put(sep)
            _encode(item, level + 1, put)
            sep = "," + inner
        put("\n" + " " * level + "]")
    else:  # what the fast path does not know: the standard encoder, re-indented to this depth
        put(json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level))


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    return _SCALARS[key] if key is None or key is True or key is False else json.dumps(key)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
