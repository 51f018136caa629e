"""A re-export that would only change the `exported:` time leaves the file as it was, so a
vault under version control sees no change; any other change rewrites it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from reader.document import load
from reader.export import export_article
from reader.notes import new_note
from reader.store import Store

NO_MODEL = ("--model", "en_core_web_nonexistent")
OLD = "exported: \"2020-01-02T03:04:05+00:00\""


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, env=dict(os.environ))


def test_a_re_export_that_changes_only_the_time_leaves_the_file(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Harbour plan\n\nMara Quell spoke in Velmora on Monday.\n",
                      encoding="utf-8")
    article = load(source)
    start = article.text.index("spoke")
    with Store() as store:
        [note] = store.add_notes([new_note(article, start, start + 5, "Where?")])
    out = tmp_path / "vault" / "out.md"
    out.parent.mkdir()
    assert reader("export", str(source), "-o", str(out), *NO_MODEL).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert re.search(r"^exported: ", text, re.M)
    # As an export of an earlier day: only its time differs from a new export.
    out.write_text(re.sub(r"^exported: .*$", OLD, text, flags=re.M), encoding="utf-8")
    os.utime(out, (1_000_000_000, 1_000_000_000))
    before = out.read_bytes()
    again = reader("export", str(source), "-o", str(out), *NO_MODEL)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"unchanged {out} (1 note)"
    assert out.read_bytes() == before and out.stat().st_mtime == 1_000_000_000

    # A changed note rewrites the file, with the new time.
    with Store() as store:
        store.update_note(note["id"], {"text": "Edited."})
    edited = reader("export", str(source), "-o", str(out), *NO_MODEL)
    assert edited.returncode == 0, edited.stderr
    assert edited.stdout.strip() == f"wrote {out} (1 note)"
    now = out.read_text(encoding="utf-8")
    assert "Edited." in now and OLD not in now and re.search(r"^exported: ", now, re.M)
    assert out.stat().st_mtime != 1_000_000_000


def test_without_a_timestamp_the_same_export_is_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Bridge vote\n\nIn Velmora, Mara Quell voted no.\n", encoding="utf-8")
    article = load(source)
    out = tmp_path / "out.md"
    first = export_article(article, None, [], target=out, timestamp=None)
    assert not first.unchanged and out.read_text(encoding="utf-8") == first.text
    assert "exported:" not in first.text and f"# {article.title}\n" in first.text
    os.utime(out, (1_000_000_000, 1_000_000_000))
    second = export_article(article, None, [], target=out, timestamp=None)
    assert second.unchanged and out.stat().st_mtime == 1_000_000_000
    stamped = export_article(article, None, [], target=out, timestamp="2024-05-01T10:00:00+00:00")
    assert not stamped.unchanged and "exported: " in out.read_text(encoding="utf-8")
