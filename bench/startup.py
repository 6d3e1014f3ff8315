"""Start-up time: ``jixiao --help`` and ``jixiao parse`` of one small file, beside ``python -c pass``.

Each command runs several times in a fresh process; the best time counts (the others measure the machine's other
load).  The package's bytecode is compiled first, as ``pip install`` does: a machine that sets
``PYTHONDONTWRITEBYTECODE`` (this one does) would otherwise compile every module from source at every start.
Run: ``python bench/startup.py [--runs N]``; exits 1 when ``jixiao --help`` or the parse takes 0.3 s or more.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

LIMIT_S = 0.3
SAMPLE = sorted((Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples").glob("*.txt"))[0]


def best_of(cmd: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = shutil.which("jixiao") or str(Path(sys.executable).with_name("jixiao"))
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "jixiao --help": [exe, "--help"],
        f"jixiao parse {SAMPLE.name}": [exe, "parse", str(SAMPLE)],
    }
    import compileall

    import jixiao

    compileall.compile_dir(str(Path(jixiao.__file__).parent), quiet=1)
    times = {name: best_of(cmd, args.runs) for name, cmd in cases.items()}
    base = times["python -c pass"]
    for name, t in times.items():
        print(f"{name:40s} {t * 1000:7.0f} ms   (+{(t - base) * 1000:.0f} ms over python)")
    slow = [name for name, t in times.items() if name != "python -c pass" and t >= LIMIT_S]
    for name in slow:
        print(f"{name}: {times[name] * 1000:.0f} ms ≥ {LIMIT_S * 1000:.0f} ms")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
