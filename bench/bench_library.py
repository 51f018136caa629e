"""The library screen's data: ``Library.entries()`` and ``appearances()`` over 1,000
indexed articles.

Builds, in a temporary data folder, BENCH_LIBRARY_ARTICLES (default 1,000) small article
files, each recorded through ``Library.record_many`` with ~40 synthetic entity rows (names
drawn from a shared pool, so a name appears in many articles), plus reading positions for
a fifth of them and 2,000 notes. Then, each in a fresh subprocess (cold: imports, opening
the store and reading the index included where said):

* ``library_entries_ms``: ``Library(store).entries()`` alone, and import + open + entries;
* ``library_entries_ms`` warm: a second ``entries()`` in the same process;
* ``library_appearances_ms``: the first ``appearances()`` (loads the entity shards) and a
  second one; ``entity_names()``;
* ``library_first_scan_ms``: ``entries()`` on a folder of new files (each file is read).

Target (issue 7): entries() with 1,000 indexed articles well under 100 ms.
Prints JSON lines; never fails (exit 0).
"""

from __future__ import annotations

import json
import os
import random
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

N = int(os.environ.get("BENCH_LIBRARY_ARTICLES", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))

_FIRST = ("Ada Bram Cleo Dario Elin Farid Greta Hugo Ines Jonas Kaito Lena Mira Nils Olga "
          "Pavel Quinn Rosa Sven Tomas Uma Vera Wim Xenia Yara Zeno")
_LAST = ("Abernathy Baptiste Castell Dunmore Ekwueme Falkner Grunwald Halloran Ibarra "
         "Jankowski Kowalczyk Lindqvist Marchetti Nakamura Okonkwo Petrakis Quaresma "
         "Rasmussen Szabo Thorsen Uribe Vasquez Wexler Yilmaz Zielinski")
FIRST, LAST = _FIRST.split(), _LAST.split()
ORGS = [f"{a} {b}" for a in ("Harbor", "Northwind", "Civic", "Meridian", "Federal", "Coastal",
                               "Granite", "Lumen", "Summit", "Riverside", "Atlas", "Beacon",
                               "Crescent", "Delta", "Evergreen", "Frontier", "Keystone",
                               "Pioneer", "Sterling", "Union")
        for b in ("Authority", "Trading", "Data Lab", "Bank", "Water Agency", "University",
                  "Press", "Council", "Foundation", "Holdings")]
PLACES = [a + b for a in ("Vel", "Kes", "Ans", "Drav", "Salt", "Osk", "Brenn", "Tam", "Cor",
                          "Low", "Ash", "Fen", "Gal", "Hal", "Ir")
          for b in ("mora", "trel", "elm", "ik", "mere", "vale", "holt", "sin", "vid",
                    "march", "by", "ford", "wick", "ton", "stead", "burg", "dale", "moor",
                    "port", "field")]


def build(home: Path, index_path: Path | None = None) -> tuple[Path, Path]:
    """Write the articles and record them; returns (articles folder, notes file).

    The index goes to ``index_path`` (default ``home/library``); the terminal benchmark
    passes the app's own default for its notes file."""
    from reader.document import parse
    from reader.entities import Entity, Mention
    from reader.library import Library
    from reader.store import Store

    rng = random.Random(7)
    folder = home / "articles"
    folder.mkdir()
    store = Store(home / "notes.json")
    library = Library(store, samples=False, index_path=index_path or home / "library")
    people = [f"{f} {last}" for f in FIRST for last in LAST]
    batch = []
    notes = []
    for i in range(N):
        names = (rng.sample(people, 24) + rng.sample(ORGS, 6) + rng.sample(PLACES, 8))
        body = " ".join(f"{n} spoke about the plan in paragraph {j}." for j, n in enumerate(names))
        text = f"# Article {i:04d} on the harbour plan\n\nBy Staff Writer\n\n{body}\n"
        path = folder / f"article_{i:04d}.md"
        path.write_text(text, encoding="utf-8")
        article = parse(text, path=path)
        rows = []
        for n in names:
            start = text.index(n)
            group = ("organizations" if n in ORGS else "places" if n in PLACES else "people")
            mention = Mention(start, start + len(n), n, "PERSON")
            rows.append(Entity(n, group, "PERSON", [n.split()[-1]] if group == "people" else [],
                               [mention] * rng.randint(1, 6)))
        batch.append((article, rows))
        if i % 5 == 0:
            store.set_position(article.hash, len(text) // 2, str(path))
        for _ in range(2):
            notes.append({"text": "a note", "article": {"hash": article.hash, "path": str(path)}})
        if len(batch) == 100:
            library.record_many(batch)
            batch = []
    library.record_many(batch)
    store.add_notes(notes)
    store.close()
    return folder, home / "notes.json"


CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from reader.library import Library
from reader.store import Store
home, mode = Path(sys.argv[1]), sys.argv[2]
folders = [home / "fresh"] if mode == "scan" else []
store = Store(home / "notes.json")
library = Library(store, folders=folders, samples=False, index_path=home / "library")
t1 = time.perf_counter()
rows = library.entries()
t2 = time.perf_counter()
out = {"import_open_ms": (t1 - t0) * 1000, "entries_ms": (t2 - t1) * 1000, "rows": len(rows),
       "messages": library.messages}
if mode == "entries":
    t = time.perf_counter(); library.entries(); out["warm_ms"] = (time.perf_counter() - t) * 1000
    t = time.perf_counter(); found = library.appearances("Lena Okonkwo", aliases=["Okonkwo"])
    out["appearances_cold_ms"] = (time.perf_counter() - t) * 1000
    out["found"] = len(found)
    t = time.perf_counter(); library.appearances("Harbor Authority")
    out["appearances_warm_ms"] = (time.perf_counter() - t) * 1000
    t = time.perf_counter(); names = library.entity_names()
    out["entity_names_ms"] = (time.perf_counter() - t) * 1000
    out["names"] = len(names)
print(json.dumps(out))
"""


def child(home: Path, mode: str) -> dict[str, object]:
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache"), "READER_DB": str(home / "notes.json")}
    done = subprocess.run([sys.executable, "-c", CHILD, str(home), mode], capture_output=True,
                          text=True, env=env, timeout=600, check=True, cwd=str(ROOT))
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        build(home)
        emit("library_build_s", f"{N}_articles", value=round(time.perf_counter() - t0, 1),
             note="writing the files and recording them in batches of 100")
        index = home / "library"
        emit("library_index_bytes", f"{N}_articles",
             articles_json=(index / "articles.json").stat().st_size,
             entity_shards=sum(p.stat().st_size for p in (index / "entities").iterdir()))
        runs = [child(home, "entries") for _ in range(RUNS)]
        case = f"{N}_indexed_articles"
        emit("library_entries_ms", f"{case}_cold_entries_only",
             [float(str(r["entries_ms"])) for r in runs], rows=runs[0]["rows"], goal="< 100")
        emit("library_entries_ms", f"{case}_cold_import_open_entries",
             [float(str(r["entries_ms"])) + float(str(r["import_open_ms"])) for r in runs],
             note="python start-up not included; store holds 2,000 notes")
        emit("library_entries_ms", f"{case}_warm", [float(str(r["warm_ms"])) for r in runs])
        emit("library_appearances_ms", f"{case}_first_call",
             [float(str(r["appearances_cold_ms"])) for r in runs], found=runs[0]["found"],
             note="loads every entity shard")
        emit("library_appearances_ms", f"{case}_second_call",
             [float(str(r["appearances_warm_ms"])) for r in runs])
        emit("library_entity_names_ms", case, [float(str(r["entity_names_ms"])) for r in runs],
             names=runs[0]["names"])
        if runs[0]["messages"]:
            emit("library_messages", case, messages=runs[0]["messages"])

        fresh = home / "fresh"
        fresh.mkdir()
        for i in range(N):
            (fresh / f"new_{i:04d}.txt").write_text(
                f"New article {i}\n\nIt is about the plan for Velmora, paragraph {i}.\n",
                encoding="utf-8")
        scan = child(home, "scan")
        emit("library_first_scan_ms", f"{N}_new_files",
             [float(str(scan["entries_ms"]))], rows=scan["rows"],
             note="every file read once and remembered")
        again = child(home, "scan")
        emit("library_entries_ms", f"{case}_plus_{N}_folder_files_cold",
             [float(str(again["entries_ms"]))], rows=again["rows"])
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except Exception as exc:  # a benchmark reports, it does not fail the build
        emit("error", "bench_library", why=repr(exc))
        raise SystemExit(0) from None
