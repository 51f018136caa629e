"""A store written by a newer reader, from the command line: read-only, said once, and the
file is byte-for-byte what it was, whatever the layout of its tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.store import SCHEMA_VERSION

NEWER = {
    # The file: the notes table of a newer layout is a list.
    "another shape": {"_meta": {"schema": {"schema_version": SCHEMA_VERSION + 1}},
                      "notes": [{"id": "n1", "text": "x"}]},
    "the old shape": {"_meta": {"schema": {"schema_version": SCHEMA_VERSION + 1}},
                      "notes": {"n1": {"id": "n1", "text": "a note from the future",
                                       "article": {"hash": "h", "path": "/gone.txt"}}}},
}


def reader(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, env=env)


@pytest.mark.parametrize("shape", sorted(NEWER))
def test_a_newer_store_is_left_byte_identical_by_every_command_which_says_read_only_once(
    tmp_path: Path, sample: Path, shape: str
) -> None:
    db = tmp_path / "notes.json"
    db.write_text(json.dumps(NEWER[shape]), encoding="utf-8")
    before = db.read_bytes()
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text('{"label": "PERSON", "pattern": "Ada Lovelace"}\n', encoding="utf-8")
    runs = {
        "notes": reader(db, "notes"),
        "notes --json": reader(db, "notes", "--json"),
        "notes FILE": reader(db, "notes", str(sample)),
        "export": reader(db, "export", str(sample), "--output", str(tmp_path / "out.md")),
        "corrections": reader(db, "corrections"),
        "corrections export": reader(db, "corrections", "export", "--patterns",
                                     str(tmp_path / "out.jsonl")),
        # The one command here that would write: refused, and it says why.
        "corrections import": reader(db, "corrections", "import", str(patterns)),
    }
    for name, run in runs.items():
        assert run.returncode == (2 if name == "corrections import" else 0), (name, run.stderr)
        said = [line for line in run.stderr.splitlines() if "read-only" in line]
        assert len(said) == 1, (name, run.stderr)
        assert "newer version of reader" in said[0]
        assert "Traceback" not in run.stderr
        assert db.read_bytes() == before, f"`reader {name}` changed the newer store"
    assert not [p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name or
                p.name.endswith(".bak")]
    listed = json.loads(runs["notes --json"].stdout)
    expected = ["a note from the future"] if shape == "the old shape" else []
    assert [n.get("text") for n in listed] == expected
