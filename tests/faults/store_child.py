"""A child process for the store's fault tests: it plays the app, the test kills or limits it.

    store_child.py add-loop PATH             add notes forever; print each id once saved
    store_child.py add-n PATH N TAG GOFILE   wait for GOFILE, add N notes, print each id
    store_child.py disk-full PATH LIMIT      RLIMIT_FSIZE=LIMIT, then try to save a big note
    store_child.py open PATH [--as-nobody]   open, report as JSON, try to add a note

Every line on stdout is printed and flushed only after the call it reports has returned.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.store import Store, StoreError  # noqa: E402


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def note(i: int, tag: str = "child", size: int = 1) -> dict[str, Any]:
    return {
        "text": f"note {i} from {tag} " + "lorem ipsum dolor sit amet " * size,
        "tags": [tag],
        "quote": "a quoted passage of the article " * 3,
        "prefix": "some text before",
        "suffix": "some text after",
        "start": i,
        "end": i + 96,
        "article": {"path": "/articles/a.txt", "hash": "f" * 64},
        "entity": None,
    }


def add_loop(path: str) -> None:
    store = Store(path)
    say("ready " + json.dumps(store.messages))
    i = 0
    while True:
        saved = store.add_note(note(i, "loop", size=4))
        say(saved["id"])
        i += 1


def add_n(path: str, n: int, tag: str, gofile: str) -> None:
    store = Store(path)
    Path(f"{gofile}.{tag}.ready").touch()  # opened: the parent starts both writers at once
    deadline = time.monotonic() + 20
    while not os.path.exists(gofile) and time.monotonic() < deadline:
        time.sleep(0.001)
    for i in range(n):
        saved = store.add_note(note(i, tag))
        say(saved["id"])
    store.close()


def disk_full(path: str, limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    store = Store(path)
    before = len(store.notes())
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    result: dict[str, Any] = {"messages": store.messages, "before": before}
    try:
        store.add_note(note(0, "big", size=400))
        result["error"] = None
    except StoreError as e:
        result["error"] = type(e).__name__
        result["message"] = str(e)
    result["after"] = len(store.notes())
    say(json.dumps(result))


def open_and_report(path: str, as_nobody: bool) -> None:
    if as_nobody:  # root ignores permission bits: become an ordinary user first
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    store = Store(path)
    report: dict[str, Any] = {
        "messages": list(store.messages),
        "read_only": store.read_only,
        "in_memory": store.in_memory,
        "notes": [n["text"] for n in store.notes()],
        "backup": str(store.backup_path) if store.backup_path else None,
    }
    try:
        store.add_note(note(0, "new"))
        report["add"] = "ok"
    except StoreError as e:
        report["add"] = f"{type(e).__name__}: {e}"
    report["notes_after_add"] = len(store.notes())
    try:
        report["restored"] = store.restore_backup() if report["backup"] else None
    except StoreError as e:
        report["restored"] = f"{type(e).__name__}: {e}"
    report["notes_after_restore"] = [n["text"] for n in store.notes()]
    store.close()
    say(json.dumps(report))


def main() -> None:
    cmd, path, *rest = sys.argv[1:]
    if cmd == "add-loop":
        add_loop(path)
    elif cmd == "add-n":
        add_n(path, int(rest[0]), rest[1], rest[2])
    elif cmd == "disk-full":
        disk_full(path, int(rest[0]))
    elif cmd == "open":
        open_and_report(path, "--as-nobody" in rest)
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
