"""Benchmark the notes store: saving a note into a big store, and opening it.

Prints one JSON object per line, e.g.
``{"metric": "save_note_ms", "case": "10k_notes", "median": 31.2, "runs": [...]}``.
Never fails: a case that raises prints ``{"metric": ..., "case": ..., "error": "..."}``.
Targets (issue 4): save_note_ms 10k_notes median <= 50; open_store_ms 10k_notes <= 100.
"""

from __future__ import annotations

import functools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.store import Store  # noqa: E402

_TEXT = (
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were her she there one all we their government minister "
    "company said year city people market report policy council university research water"
)
WORDS = _TEXT.split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_note(rng: random.Random, i: int) -> dict[str, Any]:
    """A note shaped like the app's: ~650 bytes of JSON."""
    start = rng.randrange(0, 50_000)
    quote = sentence(rng, 22).capitalize() + "."
    return {
        "text": sentence(rng, 25) + " #" + rng.choice(WORDS),
        "tags": [rng.choice(WORDS) for _ in range(rng.randrange(0, 3))],
        "quote": quote,
        "prefix": sentence(rng, 6)[:32],
        "suffix": sentence(rng, 6)[:32],
        "start": start,
        "end": start + len(quote),
        "article": {
            "path": f"/home/user/articles/{i % 200:03d}_{uuid.uuid4().hex[:16]}.txt",
            "hash": uuid.uuid4().hex + uuid.uuid4().hex,
        },
        "entity": rng.choice([None, None, None, "European Commission", "Berlin"]),
    }


def emit(metric: str, case: str, runs_ms: list[float], **extra: Any) -> None:
    rounded = [round(r, 2) for r in runs_ms]
    print(
        json.dumps(
            {
                "metric": metric,
                "case": case,
                "median": round(statistics.median(runs_ms), 2),
                "runs": rounded,
                **extra,
            }
        ),
        flush=True,
    )


def guarded(metric: str, case: str, fn: Callable[[], None]) -> None:
    try:
        fn()
    except Exception as e:  # a benchmark never fails the build
        print(json.dumps({"metric": metric, "case": case, "error": repr(e)}), flush=True)
        traceback.print_exc(file=sys.stderr)


def build(path: Path, n: int, rng: random.Random) -> None:
    with Store(path) as store:
        store.add_notes([make_note(rng, i) for i in range(n)])


def bench_save(folder: Path, n: int, case: str, rng: random.Random, runs: int = 21) -> None:
    path = folder / f"save-{n}" / "notes.json"
    build(path, n, rng)
    size_mb = round(path.stat().st_size / 1e6, 2)
    with Store(path) as store:
        t = time.perf_counter()
        store.add_note(make_note(rng, 0))
        first = (time.perf_counter() - t) * 1000
        times = []
        for i in range(runs):
            note = make_note(rng, i)
            t = time.perf_counter()
            store.add_note(note)
            times.append((time.perf_counter() - t) * 1000)
        emit("save_note_ms", case, times, notes=n, file_mb=size_mb, first_save_ms=round(first, 2),
             target_ms=50 if n >= 10_000 else None)
        ids = [nt["id"] for nt in store.notes()[:runs]]
        times = []
        for note_id in ids:
            t = time.perf_counter()
            store.update_note(note_id, {"text": sentence(rng, 20)})
            times.append((time.perf_counter() - t) * 1000)
        emit("update_note_ms", case, times, notes=n)
        # Another process (here: another Store) saved in between: each save re-reads.
        other = Store(path)
        times = []
        for i in range(5):
            other.add_note(make_note(rng, i))
            t = time.perf_counter()
            store.add_note(make_note(rng, i))
            times.append((time.perf_counter() - t) * 1000)
        other.close()
        emit("save_note_ms", case + "_after_other_process_saved", times, notes=n)


def bench_open(folder: Path, n: int, case: str, rng: random.Random, runs: int = 7) -> None:
    path = folder / f"open-{n}" / "notes.json"
    build(path, n, rng)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        store = Store(path)
        times.append((time.perf_counter() - t) * 1000)
        assert not store.messages, store.messages
        store.close()
    emit("open_store_ms", case, times, notes=n, file_mb=round(path.stat().st_size / 1e6, 2),
         target_ms=100 if n >= 10_000 else None)
    # What a fresh app process pays: importing the store module (TinyDB) and opening it.
    code = (
        "import time, sys; t0 = time.perf_counter(); from reader.store import Store; "
        "t1 = time.perf_counter(); s = Store(sys.argv[1]); t2 = time.perf_counter(); "
        "print((t1 - t0) * 1000, (t2 - t1) * 1000)"
    )
    imports, opens = [], []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True,
            check=True, cwd=ROOT,
        ).stdout.split()
        imports.append(float(out[0]))
        opens.append(float(out[1]))
    emit("import_store_ms", "fresh_process", imports)
    emit("open_store_ms", case + "_fresh_process", opens, notes=n)


def main() -> None:
    rng = random.Random(4)
    with tempfile.TemporaryDirectory(prefix="reader-bench-store-") as tmp:
        folder = Path(tmp)
        for n, case in ((0, "empty"), (1_000, "1k_notes"), (10_000, "10k_notes")):
            guarded("save_note_ms", case, functools.partial(bench_save, folder, n, case, rng))
        for n, case in ((1_000, "1k_notes"), (10_000, "10k_notes")):
            guarded("open_store_ms", case, functools.partial(bench_open, folder, n, case, rng))


if __name__ == "__main__":
    os.environ.pop("READER_STORE_VERIFY", None)
    main()
