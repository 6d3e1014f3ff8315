"""Official forms out: forms per second of the XLSX, DOCX and HTML print writers, beside the v1 JSON export of the
same documents in the same run (the baseline every export pays: the documents themselves).

The documents are the seed tables (自评表, 申报表, 评价结果) repeated to ``--forms``; each writer lays every one out
from the one layout engine and writes one file.  Run: ``python bench/forms.py [--forms N]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

SEEDS = sorted((Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples").glob("*.txt"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=108)
    args = parser.parse_args()
    from jixiao import parse_file
    from jixiao.export import ExportItem, export

    docs = [ExportItem(d) for p in SEEDS for d in parse_file(p).documents]
    items = (docs * (args.forms // len(docs) + 1))[: args.forms]
    export(items[:3], "docx")  # imports and styles loaded once, outside the timing
    print(f"{len(items)} forms ({len(docs)} seed documents repeated)")
    for fmt in ("json", "html", "xlsx", "docx"):
        t0 = time.perf_counter()
        data = export(items, fmt)
        took = time.perf_counter() - t0
        print(f"{fmt:5s} {took:7.2f} s   {len(items) / took:8.1f} forms/s   {len(data) / 1024:8.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
