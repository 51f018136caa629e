"""`reader corrections` and the corrections applied by `reader entities`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reader.corrections import make_correction
from reader.store import Store, default_path


def reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, env=dict(os.environ))


def test_listing_with_no_notes_file_says_so_and_creates_nothing() -> None:
    run = reader("corrections")
    assert run.returncode == 0 and "No corrections" in run.stdout
    run = reader("corrections", "--json")
    assert run.returncode == 0 and json.loads(run.stdout) == []
    assert not default_path().exists()


def test_corrections_list_as_table_and_json_in_creation_order() -> None:
    with Store() as store:
        store.add_correction(make_correction("relabel", "Tessmoor", group="places"))
        store.add_correction(make_correction("merge", "Ondrel Pike", target="Quillon Varga",
                                             article="f" * 64))
    run = reader("corrections", "--json")
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert [(c["kind"], c["form"], c["group"], c["target"], c["article"]) for c in got] == [
        ("relabel", "tessmoor", "places", None, None),
        ("merge", "ondrel pike", None, "Quillon Varga", "f" * 64)]
    table = reader("corrections")
    assert table.returncode == 0
    assert "Tessmoor" in table.stdout and "every article" in table.stdout
    assert "Quillon Varga" in table.stdout


def test_patterns_export_and_import_round_trip(tmp_path: Path) -> None:
    with Store() as store:
        store.add_correction(make_correction("add", "Zephyrine Oduya", group="people"))
        store.add_correction(make_correction("relabel", "Tessmoor", group="places"))
        store.add_correction(make_correction("remove", "Brightwater"))
    out = tmp_path / "patterns.jsonl"
    run = reader("corrections", "export", "--patterns", str(out))
    assert run.returncode == 0, run.stderr
    assert "2 patterns" in run.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(ln) for ln in lines] == [
        {"label": "PERSON", "pattern": "Zephyrine Oduya"}, {"label": "GPE", "pattern": "Tessmoor"}]

    other = tmp_path / "other.json"
    out.write_text(out.read_text(encoding="utf-8") + "not json\n", encoding="utf-8")
    run = reader("corrections", "import", str(out), "--db", str(other))
    assert run.returncode == 0, run.stderr
    assert "added 2 corrections, skipped 1 line" in run.stdout
    assert "line 3" in run.stderr
    with Store(other) as store:
        got = store.corrections()
    assert sorted((c["kind"], c["surface"], c["group"], c["article"]) for c in got) == [
        ("add", "Tessmoor", "places", None), ("add", "Zephyrine Oduya", "people", None)]


def test_a_bad_patterns_file_exits_2_with_one_line(tmp_path: Path) -> None:
    run = reader("corrections", "import", str(tmp_path / "missing.jsonl"))
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("reader: ") and run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr
    (tmp_path / "blob.jsonl").write_bytes(b"\xff\xfe\x00bad")
    run = reader("corrections", "import", str(tmp_path / "blob.jsonl"))
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    run = reader("corrections", "export", "--patterns", str(tmp_path / "no" / "dir" / "p.jsonl"))
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert not default_path().exists()


def test_entities_reflect_a_relabel_and_a_removal_made_through_the_store(sample: Path) -> None:
    before = reader("entities", str(sample), "--json")
    assert before.returncode == 0, before.stderr
    assert not default_path().exists()  # listing entities never creates the notes file
    rows = json.loads(before.stdout)["entities"]
    person = next(e for e in rows if e["group"] == "people")
    place = next(e for e in rows if e["group"] == "places")
    with Store() as store:
        store.add_correction(make_correction("relabel", person["name"], group="organizations"))
        store.add_correction(make_correction("remove", place["name"]))
    after = reader("entities", str(sample), "--json")
    assert after.returncode == 0, after.stderr
    got = {e["name"]: e for e in json.loads(after.stdout)["entities"]}
    assert got[person["name"]]["group"] == "organizations"
    assert got[person["name"]]["count"] == person["count"]
    assert place["name"] not in got


def test_the_list_names_an_article_by_its_title_not_its_hash(sample: Path) -> None:
    from reader.document import load

    article = load(sample)
    with Store() as store:
        store.add_correction(make_correction("remove", "Tessmoor", article=article.hash))
        store.add_correction(make_correction("remove", "Brightwater", article="e" * 64))
        store.add_note({"text": "a note", "quote": "", "tags": [],
                        "article": {"path": str(sample), "hash": article.hash,
                                    "title": article.title}})
    run = reader("corrections")
    assert run.returncode == 0, run.stderr
    assert article.title and article.title.split()[0] in run.stdout
    assert article.hash[:12] not in run.stdout
    assert "e" * 12 in run.stdout  # an article the reader never saw keeps its hash


def test_an_article_opened_before_is_named_by_its_title_and_nothing_is_written(
        tmp_path: Path) -> None:
    from reader.document import load

    path = tmp_path / "piece.md"
    path.write_text("# Notes from Tessmoor harbour\n\nTessmoor is quiet.\n", encoding="utf-8")
    article = load(path)
    with Store() as store:
        store.add_correction(make_correction("remove", "Tessmoor", article=article.hash))
        store.set_position(article.hash, 0, str(path))
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    run = reader("corrections")
    assert run.returncode == 0, run.stderr
    assert "harbour" in run.stdout
    assert article.hash[:12] not in run.stdout
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == before
