"""The layers stay clean: the core imports neither Textual nor (outside nlp) spaCy.

This also keeps start-up fast: spaCy must never stand between launch and the first page.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CORE = ["reader.document", "reader.formats", "reader.layout", "reader.entities", "reader.store",
        "reader.nlp", "reader.config", "reader.resources", "reader.cli", "reader.anchors",
        "reader.notes", "reader.export", "reader.sentences", "reader.library", "reader.files",
        "reader.analysis", "reader.corrections"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_textual_nor_spacy(module: str) -> None:
    code = (f"import sys, json, {module}; "
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('textual', 'spacy', 'tinydb', 'thinc'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    loaded = set(json.loads(out))
    assert not {m for m in loaded if m.startswith("textual")}, module
    assert not {m for m in loaded if m.startswith(("spacy", "thinc"))}, module
    if module != "reader.store":
        assert not {m for m in loaded if m.startswith("tinydb")}, module


def test_only_the_store_imports_tinydb_and_only_nlp_imports_spacy() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "reader"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(root).as_posix()
        if not name.startswith("store/"):
            assert "import tinydb" not in text and "from tinydb" not in text, name
        if not name.startswith("nlp/"):
            assert "import spacy" not in text and "from spacy" not in text, name
        if not name.startswith("ui/"):
            assert "from textual" not in text and "import textual" not in text, name


def test_the_key_reference_lists_every_key_binding_id() -> None:
    from pathlib import Path

    from textual.binding import Binding

    from reader.ui.app import ReaderApp
    from reader.ui.article_view import ArticleView
    from reader.ui.entity_panel import EntityList, EntityPanel
    from reader.ui.notes_panel import NoteList, NotesPanel
    from reader.ui.screens.article import ArticleScreen
    from reader.ui.screens.note_editor import NoteEditor

    readme = (Path(__file__).resolve().parents[2] / "docs" / "keys.md").read_text(encoding="utf-8")
    from reader.ui.screens.all_notes import AllNotesScreen, NoteRows
    from reader.ui.screens.article_notes import ArticleNotesScreen, FullNoteList
    from reader.ui.screens.library import LibraryList, LibraryScreen

    classes = (ArticleView, ArticleScreen, EntityPanel, EntityList, ReaderApp, NotesPanel,
               NoteList, NoteEditor, LibraryScreen, LibraryList, AllNotesScreen, NoteRows,
               ArticleNotesScreen, FullNoteList)
    ids = [b.id for cls in classes
           for b in cls.BINDINGS if isinstance(b, Binding) and b.id]
    missing = [i for i in ids if f"`{i}`" not in readme]
    assert not missing, f"docs/keys.md lacks {missing}"
    assert len(ids) == len(set(ids)), "two bindings share an id"


def test_no_two_bindings_of_one_screen_share_a_key() -> None:
    """Keys that clash on a screen would make one of them unreachable."""
    from textual.binding import Binding

    from reader.ui.app import ReaderApp
    from reader.ui.article_view import ArticleView
    from reader.ui.notes_panel import NoteList, NotesPanel
    from reader.ui.screens.all_notes import AllNotesScreen, NoteRows
    from reader.ui.screens.article import ArticleScreen
    from reader.ui.screens.article_notes import ArticleNotesScreen, FullNoteList
    from reader.ui.screens.library import LibraryList, LibraryScreen

    for screen in ((ArticleView, ArticleScreen, ReaderApp), (LibraryList, LibraryScreen,
                                                             ReaderApp),
                   (NoteRows, AllNotesScreen, ReaderApp),
                   (FullNoteList, ArticleNotesScreen, ReaderApp),
                   (NoteList, NotesPanel, ReaderApp)):
        seen: dict[str, str] = {}
        for cls in screen:
            for b in cls.BINDINGS:
                assert isinstance(b, Binding)
                for key in b.key.split(","):
                    assert key not in seen, f"{key} is bound to {seen[key]} and {b.id}"
                    seen[key] = str(b.id)


def _headless_runs(tmp: Path) -> list[list[str]]:
    from reader import nlp
    from reader.resources import sample_article

    sample = str(sample_article())
    folder = tmp / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("A title\n\nAda Lovelace wrote to Charles Babbage in "
                                    "London.\n", encoding="utf-8")
    model = ["--model", nlp.find_model() or "en_core_web_nonexistent"]
    return [["config"], ["config", "--json"], ["entities", sample, *model],
            ["notes"], ["notes", sample, "--json"],
            ["export", sample, "--no-timestamp", *model],
            ["export", "--entities", str(tmp / "vault"), *model],
            ["corrections"], ["index", str(folder), "--workers", "0", *model],
            ["mentions", "Lovelace"]]


def test_headless_commands_never_import_textual(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "READER_DB": str(tmp_path / "notes.json")}
    code = ("import sys\nfrom reader.cli import main\n"
            "try:\n    code = main(sys.argv[1:])\nfinally:\n"
            "    print('TEXTUAL', sorted(m for m in sys.modules if m.startswith('textual')),"
            " file=sys.stderr)\n"
            "raise SystemExit(code)\n")
    for argv in _headless_runs(tmp_path):
        run = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                             text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
        assert run.returncode in (0, 1), (argv, run.stderr)
        assert "TEXTUAL []" in run.stderr.splitlines(), (argv, run.stderr[-500:])


def test_every_core_module_is_named_in_the_import_contracts() -> None:
    """A new module outside the contracts' lists could import Textual, spaCy or TinyDB unseen."""
    import tomllib

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}
    core = {f"reader.{p.stem}" for p in (root / "reader").iterdir()
            if (p.suffix == ".py" or (p / "__init__.py").exists())
            and p.stem not in ("__init__", "__main__", "ui")}
    homes = {"Textual only under reader.ui": set(),
             "spaCy only in reader.nlp": {"reader.nlp"},
             "TinyDB only in reader.store": {"reader.store"}}
    for name, home in homes.items():
        listed = set(contracts[name]["source_modules"])
        missing = core - home - listed
        assert not missing, f"add {sorted(missing)} to source_modules of {name!r} in pyproject"


def test_every_package_of_reader_is_a_layer_and_every_layer_a_package_or_module() -> None:
    import tomllib

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c["layers"] for c in config["tool"]["importlinter"]["contracts"]
                if c["type"] == "layers"]
    named = {m.strip() for layer in layers for m in layer.split("|")}
    packages = {f"reader.{p.parent.name}" for p in (root / "reader").glob("*/__init__.py")}
    assert packages <= named, packages - named
    for module in named:
        path = root / module.replace(".", "/")
        assert path.is_dir() or path.with_suffix(".py").is_file(), module
