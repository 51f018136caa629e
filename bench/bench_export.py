"""Benchmark the Markdown export: 1,000 notes of one article.

Prints one JSON object per line, e.g.
``{"metric": "export_ms", "case": "1000_notes", "median": 41.0, "runs": [...]}``.
A run is what `reader export` does past loading the file and NER: place the notes in the
article, build the Markdown (entity index of 40 entities, passage quotes, tags, a few
entity notes and orphans), and write the file atomically.
Never fails: a case that raises prints ``{"metric": ..., "case": ..., "error": "..."}``.
Target (issue 5): export_ms 1000_notes median <= 500.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report import emit  # noqa: E402

from reader.document import Article, load  # noqa: E402
from reader.entities import Entity, Mention  # noqa: E402
from reader.export import export_markdown, write_export  # noqa: E402
from reader.notes import new_note, place_notes  # noqa: E402

SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
NOTES = 1000


def make_notes(article: Article, rng: random.Random) -> list[dict[str, Any]]:
    text = article.text
    body = article.body
    notes = []
    for i in range(NOTES):
        b = rng.choice(body)
        lo, hi = b.source_start, b.source_end
        start = rng.randrange(lo, max(lo + 1, hi - 40))
        end = min(hi, start + rng.randrange(5, 120))
        words = " ".join(rng.choice(text[lo:hi].split()) for _ in range(rng.randrange(5, 60)))
        body_text = f"{words}\n\n- point {i}\n- #tag{i % 17}" if i % 3 else words
        if i % 50 == 0:
            note = new_note(article, None, None, body_text, [f"t{i % 7}"],
                            entity=f"Name {i % 5}")
        else:
            note = new_note(article, start, end, body_text, [f"t{i % 7}", "bench"])
        if i % 97 == 0 and note["quote"] is not None:
            note.update(quote="a passage that is gone " + str(i), prefix="", suffix="",
                        start=0, end=10)
        note.update(id=f"{i:032x}", created=f"2024-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}",
                    updated="2024-01-01T00:00:00")
        notes.append(note)
    return notes


def make_entities(article: Article, rng: random.Random) -> list[Entity]:
    groups = [("people", "PERSON"), ("organizations", "ORG"), ("places", "GPE"),
              ("other", "NORP")]
    out = []
    for i in range(40):
        group, label = groups[i % 4]
        mentions = sorted(
            (Mention(s, s + 4, article.text[s:s + 4], label)
             for s in rng.sample(range(len(article.text) - 4), rng.randrange(1, 30))),
            key=lambda m: m.start)
        out.append(Entity(f"Name {i}", group, label, [f"N{i}"], mentions))
    return out


def bench_export() -> None:
    rng = random.Random(5)
    article = load(SAMPLE)
    notes = make_notes(article, rng)
    entities = make_entities(article, rng)
    runs = []
    with tempfile.TemporaryDirectory(prefix="reader-bench-export-") as tmp:
        target = Path(tmp) / "out.md"
        size = 0
        for _ in range(RUNS):
            t0 = time.perf_counter()
            placed = place_notes(notes, article)
            text = export_markdown(article, entities, placed, wikilinks=True, timestamp=None)
            write_export(target, text)
            runs.append((time.perf_counter() - t0) * 1000)
            size = len(text.encode("utf-8"))
    emit("export_ms", "1000_notes", runs, target_ms=500, bytes=size)


def main() -> int:
    for name, fn in (("export_ms/1000_notes", bench_export),):
        try:
            fn()
        except Exception as exc:  # a benchmark reports, never fails the build
            metric, case = name.split("/")
            emit(metric, case, [], error=f"{type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
