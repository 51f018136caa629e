"""Export for a notes vault: ISO dates, file names every system accepts, citations, entity
pages that re-export byte for byte and never replace a page the user edited, and a vault
whose front matter parses and whose every ``[[link]]`` leads to a file.

Each test name says what a user would notice if it failed.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from reader.config import load_config
from reader.document import Article, parse
from reader.entities import Entity, Mention
from reader.export import (
    MANIFEST,
    MAX_NAME_BYTES,
    ExportSettings,
    LibraryEntity,
    article_stem,
    citation,
    export_article,
    export_markdown,
    iso_date,
    library_entities,
    target_in_dir,
    write_entity_pages,
)
from reader.notes import new_note, place_notes

# --------------------------------------------------------------------------- dates

#: One date of each form the article model reads in a text's header (see
#: reader/document.py), and what it is in ISO 8601.
HEADER_DATES = [
    ("29 May 2023", "2023-05-29"),
    ("29th May, 2023", "2023-05-29"),
    ("Monday, 29 May 2023", "2023-05-29"),
    ("May 29, 2023", "2023-05-29"),
    ("May 29th 2023", "2023-05-29"),
    ("Sept. 5, 2023", "2023-09-05"),
    ("September 5, 2023", "2023-09-05"),
    ("Tuesday, 2 Jan. 2024", "2024-01-02"),
    ("2023-05-29", "2023-05-29"),
    ("5/29/2023", "2023-05-29"),
    ("29/05/23", "2023-05-29"),
    ("May 29, 2023 10:30 am EST", "2023-05-29"),
    ("29 May 2023, 09:15", "2023-05-29"),
]


@pytest.mark.parametrize("written, iso", HEADER_DATES)
def test_a_header_date_the_reader_finds_becomes_an_iso_date(written: str, iso: str) -> None:
    article = parse(f"# Rivers rise\n\nBy Ana Lima\n\n{written}\n\nWater came.\n")
    assert article.date == written  # the article model reads this form...
    assert iso_date(article.date) == iso  # ...and the export gives its ISO date
    meta = front_matter(export_markdown(article, None, []))
    assert meta["date"] == datetime.date.fromisoformat(iso)
    assert meta["date_text"] == written


@pytest.mark.parametrize("written, iso", [
    ("2023-05-29", "2023-05-29"),  # a web page's date
    ("2023-05-29T10:00:00+00:00", "2023-05-29"),  # with its time
    ("1911-04-02", "1911-04-02"),  # an EPUB's dc:date
])
def test_web_page_and_book_dates_become_iso_dates(written: str, iso: str) -> None:
    assert iso_date(written) == iso


@pytest.mark.parametrize("written", ["04/05/2023", "1911", "spring 2023", "31 Feb 2023",
                                     "", None])
def test_no_iso_date_when_the_text_does_not_say_which_day(written: str | None) -> None:
    assert iso_date(written) is None
    article = dataclasses.replace(parse("# Rivers\n\nWater came.\n"), date=written)
    meta = front_matter(export_markdown(article, None, []))
    assert "date" not in meta
    assert meta.get("date_text") == (written or None)


def test_each_notes_created_and_updated_times_are_in_the_export() -> None:
    article = parse("# Rivers\n\nWater came over the banks.\n")
    note = new_note(article, 9, 19, "A note.")
    note.update(id="n1", created="2024-05-01T10:00:00.000+00:00",
                updated="2024-06-01T08:30:00.000+00:00")
    md = export_markdown(article, None, place_notes([note], article))
    assert ("Created: 2024-05-01T10:00:00.000+00:00 · "
            "Updated: 2024-06-01T08:30:00.000+00:00") in md
    note.update(updated=note["created"])
    md = export_markdown(article, None, place_notes([note], article))
    assert "Created: 2024-05-01T10:00:00.000+00:00\n" in md and "Updated" not in md


# --------------------------------------------------------------------------- file names

FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
            *(f"LPT{i}" for i in range(10))}


def assert_safe(name: str) -> None:
    """``name`` (a whole file name) is accepted by Windows, macOS and Linux."""
    assert name and not FORBIDDEN.search(name), name
    assert not name.startswith(".") and not name.startswith(" "), name
    stem = name.removesuffix(".md")
    assert stem == stem.rstrip(". "), name
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES, name
    assert stem.split(".")[0].strip().upper() not in RESERVED, name


@pytest.mark.parametrize("title, stem", [
    ("Pentagon sending troops to train Peruvian coup regime's killers",
     "Pentagon sending troops to train Peruvian coup regime's killers"),
    ("AC/DC: live at 9 p.m.?", "AC DC live at 9 p.m"),
    ('Back\\slash "quoted" <tag> a|b *star*', "Back slash quoted tag a b star"),
    (".hidden title...", "hidden title"),
    ("  trailing space and dot. ", "trailing space and dot"),
    ("Rivers 🌊 rise 🇵🇪", "Rivers 🌊 rise 🇵🇪"),
    ("CON", "CON_"),
    ("nul.txt", "nul_.txt"),
    ("Lpt1", "Lpt1_"),
    ("Tab\tand\nnewline\x07bell", "Tab and newline bell"),
    ("#tag ^id [[link]]", "tag id link"),
])
def test_hostile_titles_give_file_names_every_system_accepts(title: str, stem: str) -> None:
    assert article_stem(title, "/x/a.txt") == stem
    assert_safe(stem + ".md")


def test_a_300_character_title_is_cut_to_200_bytes_at_a_character() -> None:
    for title in ("word " * 60, "é" * 300, "🌊" * 300, "a" + "🇵🇪" * 150):
        stem = article_stem(title, "/x/a.txt")
        assert_safe(stem + ".md")
        assert title.startswith(stem) or title.strip().startswith(stem)
        assert len((stem + ".md").encode("utf-8")) > MAX_NAME_BYTES - 8  # cut, not dropped


def test_a_title_with_nothing_safe_in_it_is_named_from_the_file() -> None:
    assert article_stem("???", "/x/river-notes.txt") == "river-notes"
    assert article_stem("...", "/x/...") == "article"


@given(st.text(max_size=400))
def test_any_title_gives_a_safe_stable_name(title: str) -> None:
    stem = article_stem(title, "/x/a.txt")
    assert_safe(stem + ".md")
    assert article_stem(title, "/x/a.txt") == stem


def test_title_names_are_the_same_on_re_export_and_never_replace_another_file(
        tmp_path: Path) -> None:
    title = "Peru: the coup / the regime"
    taken: set[Path] = set()
    a = target_in_dir(tmp_path, title, "/x/a.txt", taken, file_names="title")
    b = target_in_dir(tmp_path, title, "/y/b.txt", taken, file_names="title")
    assert a.name == "Peru the coup the regime.md" and a != b
    assert b.name.startswith("Peru the coup the regime-")
    assert_safe(b.name)
    long = target_in_dir(tmp_path, "x" * 300, "/y/b.txt", {tmp_path / f"{'x' * 197}.md"},
                         file_names="title")
    assert_safe(long.name)


def test_the_export_entry_point_names_files_by_the_setting(tmp_path: Path) -> None:
    article = parse("# Peru: a coup?\n\nWater came.\n")
    by_title = export_article(article, None, [], folder=tmp_path / "t",
                              source="/x/a.txt")
    by_slug = export_article(article, None, [], folder=tmp_path / "s", source="/x/a.txt",
                             settings=ExportSettings(file_names="slug"))
    assert by_title.path == tmp_path / "t" / "Peru a coup.md"
    assert by_slug.path == tmp_path / "s" / "peru-a-coup.md"
    assert by_title.path.read_text(encoding="utf-8") == by_title.text
    again = export_article(article, None, [], folder=tmp_path / "t", source="/x/a.txt")
    assert again.path == by_title.path and sorted(p.name for p in (tmp_path / "t").iterdir()
                                                   ) == ["Peru a coup.md"]
    printed = export_article(article, None, [])
    assert printed.path is None and printed.text == by_title.text.replace(
        '"/x/a.txt"', json.dumps(str(Path(article.path).resolve())))


def test_the_settings_choose_file_names_and_wikilinks(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[export]\nfile_names = "slug"\nwikilinks = true\n', encoding="utf-8")
    cfg = load_config(path)
    assert ExportSettings.from_config(cfg) == ExportSettings("slug", True)
    assert cfg.messages == []
    path.write_text('[export]\nfile_names = "uuid"\nwikilinks = "yes"\nstyle = 1\n',
                    encoding="utf-8")
    cfg = load_config(path)
    assert ExportSettings.from_config(cfg) == ExportSettings()
    assert [m.split(":")[0] for m in cfg.messages] == ["config.toml line 2", "config.toml line 3",
                                                       "config.toml line 4"]
    assert ExportSettings.from_config(load_config(tmp_path / "none.toml")) == ExportSettings()


def test_a_citation_is_a_wikilink_or_a_markdown_link_per_the_setting() -> None:
    article = dataclasses.replace(parse("# Peru: [a] coup\n\nWater.\n"), path=Path("/x/a.txt"))
    assert citation(article, ExportSettings(wikilinks=True)) == "[[Peru a coup]]"
    assert citation(article, ExportSettings()) == r"[Peru: \[a\] coup](Peru%20a%20coup.md)"
    assert citation(article, ExportSettings(file_names="slug")) == (
        r"[Peru: \[a\] coup](peru-a-coup.md)")


# --------------------------------------------------------------------------- entity pages


@dataclasses.dataclass(frozen=True)
class Seen:
    """One article that mentions an entity, as the library gives it."""

    title: str
    path: Path
    count: int


def library_notes() -> list[dict[str, Any]]:
    article = parse("# Delta report\n\nThe Delta Water Board met.\n")
    article = dataclasses.replace(article, path=Path("/lib/delta.txt"))
    note = new_note(article, None, None, "Check the board's minutes. #follow-up",
                    entity="delta water board")
    note.update(id="n1", created="2024-05-01T10:00:00+00:00",
                updated="2024-05-01T10:00:00+00:00")
    return [note]


def some_entities() -> list[LibraryEntity]:
    rivers = Seen("Rivers rise: a report", Path("/lib/rivers.txt"), 3)
    delta = Seen("Delta report", Path("/lib/delta.txt"), 2)
    return [
        LibraryEntity("Ana Lima", "people", ["Lima", "Ana Lima"], [rivers, delta]),
        LibraryEntity("Delta Water Board", "organizations", ["Board"], [delta]),
        LibraryEntity("Rio Verde", "places", [], [delta, rivers]),
        LibraryEntity("Only Once", "people", [], [rivers]),  # one article, no notes
        LibraryEntity("Tuesday", "other", [], [rivers, delta]),  # not a name
        LibraryEntity("AC/DC", "organizations", [], [rivers, delta]),
    ]


def test_entity_pages_are_written_for_names_with_notes_or_in_two_articles(
        tmp_path: Path) -> None:
    tmp_path = tmp_path / "pages"
    done = write_entity_pages(tmp_path, some_entities(), library_notes())
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [MANIFEST, "AC DC.md", "Ana Lima.md", "Delta Water Board.md",
                     "Rio Verde.md"]
    assert sorted(p.name for p in done.written) == names[1:]
    page = (tmp_path / "Ana Lima.md").read_text(encoding="utf-8")
    meta = front_matter(page)
    assert meta == {"type": "person", "aliases": ["Lima"]}
    assert "- [[Rivers rise a report]] — 3 mentions\n- [[Delta report]] — 2 mentions" in page
    board = (tmp_path / "Delta Water Board.md").read_text(encoding="utf-8")
    assert "From [[Delta report]]" in board and "> Check the board's minutes." in board
    assert "Tags: #follow-up" in board and "^note-n1" in board
    assert done.links["lima"] == "Ana Lima" and done.links["ac/dc"] == "AC DC"


def test_entity_pages_re_export_byte_for_byte_with_a_manifest_of_hashes(
        tmp_path: Path) -> None:
    tmp_path = tmp_path / "pages"
    write_entity_pages(tmp_path, some_entities(), library_notes())
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = write_entity_pages(tmp_path, some_entities()[::-1], library_notes())
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first
    assert not again.written and not again.beside and len(again.unchanged) == 4
    manifest = json.loads(first[MANIFEST])
    assert manifest["pages"] == {name: hashlib.sha256(data).hexdigest()
                                 for name, data in first.items() if name != MANIFEST}


def test_a_page_the_user_edited_is_never_replaced_the_new_one_goes_beside_it(
        tmp_path: Path) -> None:
    tmp_path = tmp_path / "pages"
    write_entity_pages(tmp_path, some_entities(), library_notes())
    edited = tmp_path / "Ana Lima.md"
    mine = edited.read_text(encoding="utf-8") + "\nMy own thoughts.\n"
    edited.write_text(mine, encoding="utf-8")
    more = [dataclasses.replace(e, articles=[*e.articles, Seen("Third", Path("/c.txt"), 1)])
            for e in some_entities()]
    done = write_entity_pages(tmp_path, more, library_notes())
    assert edited.read_text(encoding="utf-8") == mine
    beside = tmp_path / "Ana Lima (reader).md"
    assert done.beside == [(edited, beside)]
    assert "[[Third]] — 1 mention" in beside.read_text(encoding="utf-8")
    # pages the user did not touch follow the library
    assert "[[Third]]" in (tmp_path / "Rio Verde.md").read_text(encoding="utf-8")
    # ...and the edit is still recognised as one on the next export
    assert write_entity_pages(tmp_path, more, library_notes()).beside == [(edited, beside)]
    assert edited.read_text(encoding="utf-8") == mine


def test_a_file_of_the_users_own_by_a_pages_name_is_never_replaced(tmp_path: Path) -> None:
    tmp_path = tmp_path / "pages"
    tmp_path.mkdir()
    (tmp_path / "Rio Verde.md").write_text("# my river\n", encoding="utf-8")
    done = write_entity_pages(tmp_path, some_entities(), library_notes())
    assert (tmp_path / "Rio Verde.md").read_text(encoding="utf-8") == "# my river\n"
    assert (tmp_path / "Rio Verde.md", tmp_path / "Rio Verde (reader).md") in done.beside


def test_library_entities_look_up_only_names_that_may_get_a_page() -> None:
    class FakeLibrary:
        looked_up: list[str] = []

        def entity_names(self) -> list[tuple[str, str, int]]:
            return [("Ana Lima", "people", 2), ("Delta Water Board", "organizations", 1),
                    ("Only Once", "people", 1), ("Tuesday", "other", 5)]

        def appearances(self, name: str, *, group: str | None = None) -> list[Seen]:
            self.looked_up.append(name)
            return [Seen("A", Path("/a.txt"), 1)]

    library = FakeLibrary()
    found = library_entities(library, library_notes())
    assert [(e.name, e.group) for e in found] == [("Ana Lima", "people"),
                                                  ("Delta Water Board", "organizations")]
    assert library.looked_up == ["Ana Lima", "Delta Water Board"]


# --------------------------------------------------------------------------- the vault

WIKILINK = re.compile(r"\[\[([^\]|#^]+)(?:[|#^][^\]]*)?\]\]")


def front_matter(md: str) -> dict[str, Any]:
    assert md.startswith("---\n")
    data = yaml.safe_load(md[4:md.index("\n---\n", 3)])
    assert isinstance(data, dict)
    return data


def entities_of(article: Article, names: dict[str, tuple[str, str]]) -> list[Entity]:
    out = []
    for name, (group, label) in names.items():
        found = [Mention(m.start(), m.end(), name, label)
                 for m in re.finditer(re.escape(name), article.text)]
        if found:
            out.append(Entity(name, group, label, [], found))
    return out


def test_an_exported_vault_parses_and_every_link_leads_to_a_file(tmp_path: Path) -> None:
    """What Obsidian needs: front matter that YAML reads, and links that resolve."""
    names = {"Ana Lima": ("people", "PERSON"), "Rio Verde": ("places", "LOC"),
             "AC/DC": ("organizations", "ORG"), "Only Once": ("people", "PERSON")}
    texts = {
        "rivers.txt": "# Rivers rise: a report\n\nBy Ana Lima\n\n29 May 2023\n\n"
                           "Ana Lima saw the Rio Verde rise. AC/DC played. Only Once came.\n",
        "delta.txt": "# Delta report\n\n04/05/2023\n\nAna Lima and AC/DC at the "
                          "Rio Verde.\n",
    }
    vault = tmp_path / "vault"
    notes: list[dict[str, Any]] = []
    articles = []
    for name, text in texts.items():
        article = dataclasses.replace(parse(text), path=tmp_path / name)
        note = new_note(article, None, None, "About her.", entity="Ana Lima")
        note.update(id=f"n{len(notes)}", created="2024-05-01T10:00:00+00:00")
        notes.append(note)
        articles.append((article, entities_of(article, names)))
    library = [LibraryEntity(name, group, [], [
        Seen(a.title, a.path, sum(e.count for e in ents if e.name == name))
        for a, ents in articles if any(e.name == name for e in ents)])
        for name, (group, _label) in names.items()]
    pages = write_entity_pages(vault, library, notes, ExportSettings(wikilinks=True))
    for article, ents in articles:
        placed = place_notes([n for n in notes if n["article"]["path"] == str(article.path)],
                             article)
        export_article(article, ents, placed, folder=vault, source=str(article.path),
                       settings=ExportSettings(wikilinks=True), pages=pages.links)
    files = sorted(p.name for p in vault.glob("*.md"))
    assert "Rivers rise a report.md" in files and "AC DC.md" in files
    stems = {name.removesuffix(".md") for name in files}
    links = set()
    for name in files:
        md = (vault / name).read_text(encoding="utf-8")
        front_matter(md)
        assert_safe(name)
        links |= set(WIKILINK.findall(md))
    assert links and links <= stems, links - stems
    assert {"Ana Lima", "AC DC", "Rivers rise a report", "Delta report"} <= links
    rivers = (vault / "Rivers rise a report.md").read_text(encoding="utf-8")
    assert "[[AC DC|AC/DC]]" in rivers and "Only Once" in rivers
    assert "[[Only Once]]" not in rivers  # no page: no link that leads nowhere
    assert "### [[Ana Lima]] (person)" in rivers and "^note-n0" in rivers
