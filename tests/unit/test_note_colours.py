"""A note's highlight colour: its own or its tag's (settings), cycled in the editor, and
written in the export as the Obsidian callout of the nearest colour."""

from __future__ import annotations

from pathlib import Path

from reader.config import config_values, load_config
from reader.document import parse
from reader.export import export_markdown
from reader.export.escape import CALLOUT, COLOUR_CALLOUTS, extract_note_text
from reader.notes import NOTE_COLOURS, new_note, next_colour, note_colour, place

TEXT = "# Harbour news\n\nThe bay was calm. The boats stayed in.\n"


def test_a_notes_own_colour_wins_over_its_tags() -> None:
    colours = {"todo": "green", "Check": "pink"}
    assert note_colour({"tags": ["x", "check"]}, colours) == "pink"  # case aside
    assert note_colour({"tags": ["todo"], "colour": "blue"}, colours) == "blue"
    assert note_colour({"tags": ["todo"], "colour": "mauve"}, colours) == "green"
    assert note_colour({"tags": ["other"]}, colours) is None
    assert note_colour({"tags": ["todo"]}, {"todo": "mauve"}) is None


def test_the_editor_cycles_every_colour_then_none() -> None:
    seen, colour = [], None
    for _ in range(len(NOTE_COLOURS) + 1):
        colour = next_colour(colour)
        seen.append(colour)
    assert seen == [*NOTE_COLOURS, None]


def test_notes_colours_from_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[notes.colours]\ntodo = "yellow"\n"#source" = "blue"\nbad = "mauve"\n',
                    encoding="utf-8")
    cfg = load_config(path)
    assert cfg.note_colours == {"todo": "yellow", "source": "blue"}
    assert any("notes.colours.bad" in m and "mauve" in m for m in cfg.messages)
    assert config_values(cfg)["notes"] == {"colours": {"todo": "yellow", "source": "blue"}}


def test_the_export_writes_a_coloured_note_in_its_callout_and_reads_it_back() -> None:
    article = parse(TEXT, path=Path("/tmp/harbour.md"))
    at = article.text.index("The bay was calm.")
    plain = {**new_note(article, at, at + 17, "plain one", tags=[]), "id": "a1"}
    green = {**new_note(article, at, at + 17, "green one", tags=[]), "id": "b2",
             "colour": "green"}
    md = export_markdown(article, [], [place(plain, article), place(green, article)],
                         timestamp=None)
    lines = md.split("\n")
    assert lines[lines.index("> plain one") - 1] == CALLOUT
    assert lines[lines.index("> green one") - 1] == COLOUR_CALLOUTS["green"] == \
        "> [!SUCCESS] Note"
    assert extract_note_text(md, "b2") == "green one"
    assert len(set(COLOUR_CALLOUTS.values())) == len(NOTE_COLOURS)
