"""Property: a document rendered as its printed form, in any text layout, parses back to itself."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import parse_bytes
from jixiao.forms.render import Layout, layout, to_flat, to_markdown, to_tsv
from jixiao.model import AnyDocument, SelfEvaluation, to_v1
from tests.strategies import declaration, evaluation, self_evaluation

PRINTERS = {"markdown": to_markdown, "tsv": to_tsv, "flat": to_flat}


def _indicator_rows(rows: Layout) -> range:
    start = next(i for i, r in enumerate(rows) if "三级指标" in r) + 1
    end = next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] == "总分")
    return range(start, end)


@st.composite
def mangled_layout(draw: st.DrawFn, doc: AnyDocument, style: str) -> tuple[list[str], Layout]:
    """The printed layout as extraction gives it: rows slid left or right, labels repeated after a page
    break, null fund cells printed empty."""
    before, rows = layout(doc)
    rows = [list(r) for r in rows]
    if isinstance(doc, SelfEvaluation) and style != "flat":
        for i in _indicator_rows(rows):
            move = draw(st.sampled_from(["keep", "keep", "keep", "left", "right"]))
            if move == "left" and rows[i][0] == "":
                rows[i] = [*rows[i][1:], ""]
            elif move == "right":
                rows[i] = ["", *rows[i]]
        for r in rows:
            if len(r) > 2 and r[1] in ("上年结转资金", "其他资金") and draw(st.booleans()):
                r[2:] = ["" if c in ("-", "—") else c for c in r[2:]]
    return before, rows


def _roundtrip(doc: AnyDocument, style: str, data: st.DataObject) -> None:
    before, rows = data.draw(mangled_layout(doc, style))
    text = PRINTERS[style](before, rows)
    result = parse_bytes(text.encode("utf-8"), f"generated.{'md' if style == 'markdown' else 'txt'}")
    assert len(result.documents) == 1, (text, result.all_findings)
    got = to_v1(result.documents[0], provenance=False)
    want = to_v1(doc, provenance=False)
    if "funds" in want:  # a fund line printed with no value at all is left out, as real forms mean it
        blank = {r[1] for r in rows if len(r) > 2 and r[1] and not any(c.strip() for c in r[2:])}
        want["funds"] = [f for f in want["funds"] if f["line"] not in blank]
    assert got == want, text


STYLES = st.sampled_from(sorted(PRINTERS))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(doc=self_evaluation(), style=STYLES, data=st.data())
def test_self_evaluation_roundtrip(doc: SelfEvaluation, style: str, data: st.DataObject) -> None:
    _roundtrip(doc, style, data)


@SETTINGS
@given(doc=declaration(), style=STYLES, data=st.data())
def test_declaration_roundtrip(doc: AnyDocument, style: str, data: st.DataObject) -> None:
    _roundtrip(doc, style, data)


@settings(max_examples=80, deadline=None)
@given(doc=evaluation(), style=STYLES, data=st.data())
def test_evaluation_roundtrip(doc: AnyDocument, style: str, data: st.DataObject) -> None:
    _roundtrip(doc, style, data)
