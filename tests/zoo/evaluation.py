"""The 绩效评价结果信息表 in the zoo: each seed result's gold printed in every extraction style and wording."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tests.zoo import (
    SEED_GOLD,
    STYLES,
    Gold,
    Grid,
    Score,
    Variant,
    _label,
    _number,
    _row,
    compare,
    gold_documents,
    vocab,
)


def evaluations() -> list[Gold]:
    """Every evaluation result of the seed gold files, in file order."""
    return gold_documents(SEED_GOLD, "evaluation_result")


@dataclass(frozen=True)
class EvaluationVariant:
    style: str = "markdown"
    title: int = 0
    labels: int = 0
    grade_word: int = 0  # 优 or 优秀
    numbered: str = "（{n}）"  # how problems/suggestions are numbered
    year_in_name: bool = True  # 2018年基层党建… (the spec: the leading year is the year, not the name)
    traditional: bool = False  # labels in Traditional forms, glossed as doc-sites gloss them
    banner: bool = False  # a site's page furniture before the table (breadcrumbs, dates, print links)


def build(doc: Gold, v: EvaluationVariant) -> tuple[Grid, Gold]:
    script = Variant(traditional=v.traditional)
    labels = tuple(_label(lb, script) for lb in vocab.EVALUATION_LABELS[v.labels])
    expected: Gold = {
        k: doc.get(k) for k in ("kind", "year", "project", "money_unit", "final_accounts", "score")
    }
    name = f"{doc['year']}年{doc['project']}" if v.year_in_name and doc.get("year") else doc["project"]
    if not v.year_in_name:
        expected["year"] = None  # printed nowhere else: the spec's year is null where the file prints none
    grid: Grid = [_row(_label(vocab.EVALUATION_TITLES[v.title], script)), _row(labels[0], name)]
    if doc.get("final_accounts") is not None:
        grid.append(_row(labels[1], _number(doc["final_accounts"], "") + (doc.get("money_unit") or "")))
    if doc.get("score") is not None:
        grid.append(_row(labels[2], _number(doc["score"], "")))
    if doc.get("conclusion"):
        words = vocab.GRADES[doc["conclusion"]]
        grid.append(_row(labels[3], words[min(v.grade_word, len(words) - 1)]))
        expected["conclusion"] = doc["conclusion"]
    if doc.get("performance"):
        grid.append(_row(labels[4], doc["performance"]))
        expected["performance"] = doc["performance"]
    for label, key in ((labels[5], "problems"), (labels[6], "suggestions"), (labels[7], "rectification")):
        items = doc.get(key) or []
        if items:
            text = "".join(v.numbered.format(n=i + 1) + item for i, item in enumerate(items))
            grid.append(_row(label, text if len(items) > 1 else items[0]))
            expected[key] = list(items)
    return grid, expected


def render(doc: Gold, v: EvaluationVariant) -> tuple[str, Gold]:
    grid, expected = build(doc, v)
    text = STYLES[v.style](grid)
    if v.banner:
        text = "\n".join(vocab.BANNERS) + "\n\n" + text
    return text + "\n", expected


def variants(style: str) -> dict[str, EvaluationVariant]:
    base = EvaluationVariant(style=style)
    return {
        "seed": base,
        "wording1": replace(base, title=1, labels=1, grade_word=1, numbered="{n}."),
        "wording2": replace(base, title=2, labels=2, numbered="{n}、", year_in_name=False),
        "traditional": replace(base, traditional=True),
        "banner": replace(base, banner=True),
    }


EVALUATION_FIELDS = ("year", "project", "money_unit", "final_accounts", "score", "conclusion", "performance")


def compare_evaluation(expected: Gold, got: Gold | None) -> Score:
    score = compare(expected, got, common=EVALUATION_FIELDS)
    got = got or {}
    for key in ("problems", "suggestions", "rectification"):
        want = expected.get(key)
        if want is None:
            continue
        have = got.get(key)
        if not have:
            score.missing += 1
        elif ["".join(w.split()) for w in want] == ["".join(str(h).split()) for h in have]:  # as goldcheck
            score.matched += 1
        else:
            assert score.wrong is not None
            score.wrong.append(f"{key}: {want[:1]!r} ≠ {have[:1]!r}")
    return score
