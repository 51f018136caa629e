"""`make bench`: the project's numbers as JSON lines, one object per measurement.

Through a real terminal (tmux, 120x40): first paint of the sample and of a 3 MB text, a
PageDown in the middle of the 3 MB text, and how soon entities are highlighted (cold and
warm cache). A bare Textual app with one Static is measured in the same run, so the
figures can be read against what the machine itself costs. Then the other bench_*.py
scripts (NER throughput, store, corrections, export, `reader index` throughput, the
library's entries() and appearances() over 1,000 articles) run and print their own lines.

Prints numbers; never fails a build (exit 0 even when a case cannot run).
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
sys.path.insert(0, str(HERE))

from report import emit  # noqa: E402
from terminal import Pane, have_tmux  # noqa: E402

SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SIZE = "120x40"


def private_env(home: Path) -> dict[str, str]:
    return {"XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_CONFIG_HOME": str(home / "config"), "READER_DB": str(home / "notes.json")}


def reader_cmd(path: Path) -> list[str]:
    return [sys.executable, "-m", "reader", str(path)]


def first_text(path: Path) -> str:
    """A piece of the first body paragraph that fits on one screen line."""
    from reader.document import load

    return load(path).paragraphs[0][:24]


def time_until(argv: list[str], marker: str, env: dict[str, str],
               timeout: float = 30) -> float | None:
    pane = Pane(argv, SIZE, env)
    try:
        return pane.wait_for(lambda screen: marker in screen, timeout)
    finally:
        pane.close()


def first_paint(case: str, path: Path, home: Path) -> None:
    """Launch until the first paragraph is on screen (with whatever cache ``home`` has:
    the first cases run cold, so NER starts in the background at the same time)."""
    marker = first_text(path)
    runs = [t for _ in range(RUNS)
            if (t := time_until(reader_cmd(path), marker, private_env(home))) is not None]
    emit("first_paint_ms", case, runs, bytes=path.stat().st_size)


def bare_textual(home: Path) -> None:
    script = home / "bare.py"
    script.write_text("from textual.app import App\nfrom textual.widgets import Static\n"
                      "class Bare(App):\n    def compose(self):\n"
                      "        yield Static('bare textual app ready')\nBare().run()\n")
    runs = [t for _ in range(RUNS) if (t := time_until([sys.executable, str(script)],
                                                       "bare textual app ready", {})) is not None]
    emit("first_paint_ms", "bare_textual_static", runs, note="reference: the machine's floor")


def bare_textual_text(home: Path, path: Path) -> None:
    """A second floor: Textual showing the same text in one ``Static`` (the page a reader
    must draw costs more than one line, in any program)."""
    script = home / "bare_text.py"
    script.write_text("import sys\nfrom textual.app import App\n"
                      "from textual.containers import VerticalScroll\n"
                      "from textual.widgets import Static\n"
                      "TEXT = open(sys.argv[1], encoding='utf-8').read()\n"
                      "class Bare(App):\n    def compose(self):\n"
                      "        with VerticalScroll():\n"
                      "            yield Static(TEXT, markup=False)\nBare().run()\n")
    marker = first_text(path)
    runs = [t for _ in range(RUNS) if (t := time_until([sys.executable, str(script), str(path)],
                                                       marker, {})) is not None]
    emit("first_paint_ms", "bare_textual_static_with_the_sample", runs,
         note="reference: the same text in one Static")


def page_down_middle(path: Path, home: Path) -> None:
    """Open the 3 MB text at its middle, press PageDown, time until the screen changes."""
    from reader.document import load
    from reader.store import Store

    article = load(path)
    env = private_env(home)
    store = Store(Path(env["READER_DB"]))
    store.set_position(article.hash, len(article.text) // 2, str(path))
    store.close()
    runs: list[float] = []
    for _ in range(RUNS):
        pane = Pane(reader_cmd(path), SIZE, env)
        try:
            if pane.wait_for(lambda s: "%" in s and " 0%" not in s, 30) is None:
                continue
            time.sleep(0.5)
            before = pane.screen()
            t0 = time.perf_counter()
            pane.keys("PageDown")
            if pane.wait_for(lambda s, b=before: s != b, 5) is not None:
                runs.append((time.perf_counter() - t0) * 1000)
        finally:
            pane.close()
    emit("page_down_ms", "3mb_middle", runs, note="includes tmux send/capture latency")


def page_down_floor(home: Path) -> None:
    """The same keypress in a bare Textual app whose PageDown changes one line: what tmux's
    send and capture and Textual's input handling cost before any page is drawn."""
    script = home / "bare_keys.py"
    script.write_text("from textual.app import App\nfrom textual.widgets import Static\n"
                      "class Bare(App):\n    BINDINGS = [('pagedown', 'next', 'Next')]\n"
                      "    n = 0\n    def compose(self):\n"
                      "        yield Static('bare page 0', id='s')\n"
                      "    def action_next(self):\n        self.n += 1\n"
                      "        self.query_one('#s', Static).update(f'bare page {self.n}')\n"
                      "Bare().run()\n")
    runs: list[float] = []
    for _ in range(RUNS):
        pane = Pane([sys.executable, str(script)], SIZE, {})
        try:
            if pane.wait_for(lambda s: "bare page 0" in s, 30) is None:
                continue
            time.sleep(0.5)
            t0 = time.perf_counter()
            pane.keys("PageDown")
            if pane.wait_for(lambda s: "bare page 1" in s, 5) is not None:
                runs.append((time.perf_counter() - t0) * 1000)
        finally:
            pane.close()
    emit("page_down_ms", "bare_textual_one_line", runs,
         note="reference: tmux send/capture and Textual's key handling alone")


def highlighted(case: str, path: Path, home: Path, warm: bool) -> None:
    """Time until the panel lists entities (the text is highlighted at the same moment)."""
    runs: list[float] = []
    env = private_env(home)
    for _ in range(RUNS if warm else max(1, RUNS // 2)):
        if not warm:
            subprocess.run(["rm", "-rf", env["XDG_CACHE_HOME"]], check=False)
        pane = Pane(reader_cmd(path), SIZE, env)
        try:
            t = pane.wait_for(lambda s: "People (" in s, 60)
            if t is not None:
                runs.append(t)
            if not warm:
                # Let the run finish, so the cache is written for the warm case.
                cache = Path(env["XDG_CACHE_HOME"])
                deadline = time.monotonic() + 600
                while not any(cache.rglob("*.json")) and time.monotonic() < deadline:
                    time.sleep(0.1)
        finally:
            pane.close()
    emit("highlighted_ms", f"{case}_{'warm' if warm else 'cold'}_cache", runs)


def library_open(home: Path) -> None:
    """`reader` with no file and 1,000 indexed articles (plus the sample): launch until the
    library's rows are read and shown (the title line then says how many there are)."""
    import bench_library

    lib = home / "library_1000"
    env = private_env(lib)
    for sub in ("data", "cache", "config"):
        (lib / sub).mkdir(parents=True, exist_ok=True)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # so the index lands where the app will look for it
    try:
        from reader.library import default_index_dir

        bench_library.build(lib, index_path=default_index_dir(Path(env["READER_DB"])))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    marker = f"{bench_library.N + 1} articles"
    runs = [t for _ in range(RUNS)
            if (t := time_until([sys.executable, "-m", "reader"], marker, env)) is not None]
    emit("library_open_ms", f"{bench_library.N}_indexed_articles", runs,
         note="until the rows are on screen; target 500 ms")


def main() -> int:
    if not have_tmux():
        print(json.dumps({"metric": "skipped", "case": "terminal", "why": "tmux not installed"}))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            big = home / "sample_x300.txt"
            text = SAMPLE.read_text(encoding="utf-8")
            big.write_text("\n".join([text] * 300), encoding="utf-8")
            bare_textual(home)
            bare_textual_text(home, SAMPLE)
            first_paint("sample", SAMPLE, home)
            first_paint("3mb", big, home)
            page_down_middle(big, home)
            page_down_floor(home)
            highlighted("sample", SAMPLE, home, warm=False)
            highlighted("sample", SAMPLE, home, warm=True)
            first_paint("sample_warm_cache", SAMPLE, home)
            highlighted("3mb_visible_page", big, home, warm=False)
            library_open(home)
    for script in sorted(HERE.glob("bench_*.py")):
        subprocess.run([sys.executable, str(script)], check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
