"""`reader index` throughput on a folder of articles, next to raw ``nlp.pipe``.

The folder: BENCH_INDEX_COPIES (default 20) copies of the sample, each with a small edit so
every copy is a distinct text (its own hash, so nothing comes from the cache), plus the
bundled seeds. Each `reader index` run is a fresh process with a cold cache, so it pays
spaCy's import and the model load like a user's first run; it is run with the default
worker choice, in-process (``--workers 0``) and with two worker processes. Then a warm run
(everything from the mention cache). In the same run, raw ``nlp.pipe`` over the same
blocks in this process (model loaded with ``nlp.load_pipeline``; load time reported
apart). Prints JSON lines; never fails (exit 0).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from report import emit  # noqa: E402

SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"
COPIES = int(os.environ.get("BENCH_INDEX_COPIES", "20"))


def make_folder(folder: Path) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    paths = []
    for i in range(COPIES):
        path = folder / f"copy_{i:03d}.txt"
        # a different closing line: a different text, so a different cache key
        path.write_text(text.rstrip("\n") + f"\n\nEdition {i + 1}, revised.\n", encoding="utf-8")
        paths.append(path)
    for seed in sorted((ROOT / "seeds").iterdir()):
        if seed.suffix in (".txt", ".md"):
            target = folder / "seeds" / seed.name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(seed.read_bytes())
            paths.append(target)
    return paths


def index_run(folder: Path, home: Path, case: str, *extra: str) -> dict[str, object] | None:
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_CONFIG_HOME": str(home / "config"),
           "READER_DB": str(home / "notes.json")}
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reader", "index", str(folder), "--json",
                           *extra], capture_output=True, text=True, env=env, timeout=3600,
                          stdin=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        emit("error", f"index_{case}", why=done.stderr.strip()[-300:])
        return None
    out: dict[str, object] = json.loads(done.stdout)
    emit("index_chars_per_s", case, value=out["chars_per_s"], seconds=out["seconds"],
         wall_s=round(wall, 2), files=out["files"], chars=out["chars"],
         cached=out["cached"], note="in-process time, including spaCy import + model load")
    return out


def raw_pipe(paths: list[Path], model: str) -> None:
    from reader import nlp
    from reader.document import load

    chunks = [b.text for p in paths for b in load(p).blocks]
    chars = sum(len(c) for c in chunks)
    t0 = time.perf_counter()
    pipeline = nlp.load_pipeline(model)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in pipeline.pipe(chunks, batch_size=nlp.BATCH_SIZE):
        pass
    pipe_s = time.perf_counter() - t0
    emit("index_chars_per_s", "raw_nlp_pipe_1_process", value=round(chars / pipe_s),
         seconds=round(pipe_s, 2), chars=chars,
         with_load_chars_per_s=round(chars / (pipe_s + load_s)),
         load_s=round(load_s, 2), note="NER only, model already loaded (load_s apart)")


def main() -> int:
    from reader import nlp

    model = nlp.find_model()
    if model is None:
        emit("skipped", "bench_index", why="no spaCy model installed")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "articles"
        paths = make_folder(folder)
        label = f"{COPIES}_copies_plus_seeds"
        for case, extra in (("default", ()), ("workers_0", ("--workers", "0")),
                            ("workers_2", ("--workers", "2"))):
            index_run(folder, root / f"home_{case}", f"{label}_cold_{case}", *extra)
        index_run(folder, root / "home_default", f"{label}_warm_cache")
        raw_pipe(paths, model)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except Exception as exc:  # a benchmark reports, it does not fail the build
        emit("error", "bench_index", why=repr(exc))
        raise SystemExit(0) from None
