"""Fuzz: random mutations of the seed texts and the rendered originals never raise out of the parser.

Every mutated input either parses (documents plus findings) or is refused with a ReadError; anything else is
a bug.  The mutations are seeded, so a failure names the seed that reproduces it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from jixiao import ReadError, parse_bytes
from tests.conftest import SEEDS

SPECIALS = ["|", "\t", "\n", " ", "≥", "≤", "<=", "%", "—", "-", "0", "9", ".", ",", "总分", "项目名称", "<p>", "☑",
            "产出指标", "\u3000", "（1）", "分值", "年度资金总额", "\ufeff"]  # fmt: skip


def mutate_text(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(7)
        if not lines:
            break
        i = rng.randrange(len(lines))
        line = lines[i]
        if op == 0:  # delete a line
            del lines[i]
        elif op == 1:  # duplicate a line elsewhere
            lines.insert(rng.randrange(len(lines) + 1), line)
        elif op == 2 and line:  # cut a line mid-way (a table cut mid-row)
            lines[i] = line[: rng.randrange(len(line))]
        elif op == 3:  # insert a special token
            pos = rng.randrange(len(line) + 1)
            lines[i] = line[:pos] + rng.choice(SPECIALS) + line[pos:]
        elif op == 4 and line:  # delete a span
            a = rng.randrange(len(line))
            lines[i] = line[:a] + line[a + rng.randint(1, 12) :]
        elif op == 5:  # swap two lines (scrambled reading order)
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:  # truncate the file
            lines = lines[: i + 1]
    return "\n".join(lines)


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not buf:
            break
        op = rng.randrange(4)
        i = rng.randrange(len(buf))
        if op == 0:
            buf[i] = rng.randrange(256)
        elif op == 1:
            del buf[i : i + rng.randint(1, 64)]
        elif op == 2:
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            del buf[i:]
    return bytes(buf)


def _parse_or_refuse(data: bytes, name: str, seed: int) -> None:
    try:
        result = parse_bytes(data, name)
    except ReadError:
        return
    except Exception as exc:  # pragma: no cover - the assertion below reports it
        pytest.fail(f"seed {seed} on {name}: {type(exc).__name__}: {exc}")
    crashes = [f for f in result.all_findings if f.code == "PARSE-CRASH"]
    assert not crashes, f"seed {seed} on {name}: {crashes[0].message}"


TEXT_CASES = 10_000


def _documents_of_seeds() -> list[tuple[str, str]]:
    """Each seed cut at its titles: one document's text per piece (mutating a 3 KB form, not a 20 KB file)."""
    pieces: list[tuple[str, str]] = []
    for path in SEEDS:
        lines = path.read_text(encoding="utf-8").split("\n")
        starts = [i for i, line in enumerate(lines) if ("自评表" in line or "申报表" in line or "信息表" in line)
                  and len(line) < 60] or [0]  # fmt: skip
        starts[0] = 0
        for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
            pieces.append((path.name, "\n".join(lines[a:b])))
    return pieces


@pytest.mark.slow
def test_mutated_seed_texts_never_raise() -> None:
    texts = _documents_of_seeds()
    assert len(texts) >= 27
    for seed in range(TEXT_CASES):
        rng = random.Random(seed)
        name, text = texts[seed % len(texts)]
        # one in five mutates the encoded bytes instead of the text
        if seed % 5 == 4:
            data = mutate_bytes(text.encode(rng.choice(["utf-8", "gb18030", "utf-16"])), rng)
        else:
            data = mutate_text(text, rng).encode("utf-8")
        _parse_or_refuse(data, name, seed)


def _rendered(shared: Path) -> list[Path]:
    root = shared / "corpus" / "rendered"
    return sorted(p for p in root.iterdir() if p.suffix in (".pdf", ".docx", ".xlsx") and "-" not in p.stem)


@pytest.mark.slow
def test_mutated_rendered_originals_never_raise(shared: Path) -> None:
    files = [(p.name, p.read_bytes()) for p in _rendered(shared)]
    assert files
    cases = 120  # PDFs dominate: about 0.5 s each on this machine
    for seed in range(cases):
        rng = random.Random(100_000 + seed)
        name, data = files[seed % len(files)]
        _parse_or_refuse(mutate_bytes(data, rng), name, seed)
