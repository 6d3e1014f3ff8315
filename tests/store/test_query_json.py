"""The read commands' JSON: the fast indented writer gives exactly the standard library's text, and
``projects --json`` streams the same array ``json.dumps`` gives for the whole list."""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.cli.store import _print_json, _stream_json, indented_json

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_indented_json_is_the_standard_text(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)


@settings(max_examples=100, deadline=None)
@given(st.lists(VALUES, max_size=4))
def test_a_streamed_array_is_the_whole_list_printed(items: list[Any]) -> None:
    streamed, whole = io.StringIO(), io.StringIO()
    with redirect_stdout(streamed):
        _stream_json(iter(items))
    with redirect_stdout(whole):
        _print_json(items)
    assert streamed.getvalue() == whole.getvalue() == json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def test_keys_and_values_the_fast_path_does_not_name_are_still_standard() -> None:
    odd = {1: (1, 2), 2.5: [], None: {}, False: '中文\n"引号"', "x": [math.inf, -math.inf, 1e-300]}
    assert indented_json(odd) == json.dumps(odd, ensure_ascii=False, indent=1)
