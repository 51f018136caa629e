"""Benchmark entity corrections: 1,000 of them applied to the sample's entities.

Prints one JSON object per line, e.g.
``{"metric": "corrections_ms", "case": "1000_on_sample", "median": 3.1, "runs": [...]}``.
The mentions are the real model's on the bundled sample (from the NER cache when warm);
without a model the cases print ``{"metric": ..., "case": ..., "skipped": "..."}``.
Cases: ``resolve_ms`` (resolve alone, the baseline), ``corrections_ms`` on 1,000 corrections
of every kind (mostly names the article lacks, as a long-used store would hold, plus one of
each kind that hits a real row) and on 1,000 that all hit rows.
Never fails: a case that raises prints ``{"metric": ..., "case": ..., "error": "..."}``.
Target (issue 6): corrections_ms 1000_on_sample median <= 50.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report import emit  # noqa: E402

SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
N = 1000


def stamped(cs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(c, id=f"{i:032x}", created=f"2024-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}"
                 f".{i % 1000:03d}+00:00") for i, c in enumerate(cs)]


def main() -> None:
    from reader import nlp
    from reader.corrections import apply_corrections, make_correction
    from reader.document import load
    from reader.entities import resolve

    model = nlp.find_model(None)
    if model is None:
        for case in ("resolve_ms", "corrections_ms"):
            emit(case, "1000_on_sample", skipped="no spaCy model installed")
        return
    article = load(SAMPLE)
    mentions = nlp.article_mentions(article, model)
    rows = resolve(mentions, article.text)
    groups = ("people", "organizations", "places", "other")
    real = [e for e in rows if e.count > 0]

    def one(i: int, name: str, target: str) -> dict[str, Any]:
        kind = ("relabel", "remove", "merge", "split", "add")[i % 5]
        group = groups[i % 4] if kind in ("relabel", "add") else None
        return make_correction(kind, name, group=group, target=target if kind == "merge"
                               else None, article=article.hash if i % 3 == 0 else None)

    misses = [one(i, f"Invented Name{i}", "Invented Name0") for i in range(N - 5)]
    hits = [one(i, real[(i * 7) % len(real)].name, real[0].name) for i in range(5)]
    cases = {
        "1000_on_sample": stamped(misses + hits),
        "1000_all_hit_rows": stamped([one(i, real[(i * 7) % len(real)].name,
                                          real[(i * 3) % len(real)].name) for i in range(N)]),
    }
    base: list[float] = []
    for _ in range(RUNS):
        t = time.perf_counter()
        resolve(mentions, article.text)
        base.append((time.perf_counter() - t) * 1000)
    emit("resolve_ms", "sample", base, rows=len(rows), mentions=len(mentions))
    for case, cs in cases.items():
        try:
            runs = []
            out: list[Any] = []
            for _ in range(RUNS):
                t = time.perf_counter()
                out = apply_corrections(rows, cs, article.text, article.hash)
                runs.append((time.perf_counter() - t) * 1000)
            emit("corrections_ms", case, runs, rows_before=len(rows), rows_after=len(out))
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, never fails
            traceback.print_exc(file=sys.stderr)
            emit("corrections_ms", case, error=f"{type(exc).__name__}: {exc}")


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        emit("corrections_ms", "1000_on_sample", error=f"{type(exc).__name__}: {exc}")
