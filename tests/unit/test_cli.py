"""The command line: entities as JSON and table, bad input, a missing model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def reader(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, env=env)


def test_entities_json_offsets_index_the_file_exactly(sample: Path) -> None:
    run = reader("entities", str(sample), "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    with open(sample, encoding="utf-8-sig") as fh:
        text = fh.read()
    assert out["article"]["title"].startswith("Pentagon sending troops")
    assert out["article"]["author"] == "Bill Van Auken"
    assert out["model"].startswith("en_core_web")
    assert len(out["entities"]) > 20
    for e in out["entities"]:
        assert e["group"] in ("people", "organizations", "places", "other")
        assert e["count"] == len(e["mentions"]) > 0
        for m in e["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_entities_table_shows_every_row_of_the_json_with_its_group_count_and_aliases(
        sample: Path) -> None:
    # Compared with the JSON of the same text, not with frozen model output: the table must
    # show exactly those rows, in that order, whatever the model finds.
    wide = {"COLUMNS": "250"}  # no wrapped cells
    run = reader("entities", str(sample), env_extra=wide)
    assert run.returncode == 0, run.stderr
    expected = json.loads(reader("entities", str(sample), "--json", env_extra=wide).stdout)
    lines = run.stdout.splitlines()
    assert lines[0].strip() == expected["article"]["title"]
    header = next(line for line in lines if line.startswith("┃"))
    assert [c.strip() for c in header.strip("┃").split("┃")] == [
        "group", "name", "mentions", "also"]
    rows = [[c.strip() for c in line.strip("│").split("│")]
            for line in lines if line.startswith("│")]
    assert rows == [[e["group"], e["name"], str(e["count"]), ", ".join(e["aliases"])]
                    for e in expected["entities"]]
    assert {r[0] for r in rows} >= {"people", "organizations", "places"}


def test_entities_without_the_model_exits_2_naming_the_install_command(sample: Path) -> None:
    run = reader("entities", str(sample), "--model", "en_core_web_nonexistent")
    assert run.returncode == 2
    assert run.stdout == ""
    line = run.stderr.strip()
    assert "\n" not in line and "pip install" in line and "Traceback" not in line


def test_entities_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    run = reader("entities", str(tmp_path / "nope.txt"), "--json")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("reader: ") and "no such file" in run.stderr


def test_ner_starts_early_only_for_a_long_text_not_yet_analysed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A long text's worker starts before the interface (its import overlaps the first
    # paint); a short one's waits, so it does not compete with that paint.
    from reader import nlp
    from reader.cli.read import prestart_ner
    from reader.document import parse

    started: list[str] = []
    monkeypatch.setattr(nlp, "prestart", lambda model: started.append(model) or True)
    monkeypatch.setattr(nlp, "find_model", lambda name=None: "some_model")
    cached = {"yes": False}
    monkeypatch.setattr(nlp, "is_cached", lambda h, m: cached["yes"])
    short = parse("A title\n\nA short text.\n")
    long = parse("A title\n\n" + "A long text about nothing much. " * 10_000)
    prestart_ner(short, None)
    assert started == []
    prestart_ner(long, None)
    assert started == ["some_model"]
    cached["yes"] = True
    prestart_ner(long, None)
    assert started == ["some_model"]
