"""Saved web pages and EPUB books open like any article: same model, offsets into the text."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reader import cli
from reader.document import Article, ArticleError, load
from reader.entities import Entity
from reader.export import export_markdown
from reader.formats import escape_markdown, sniff

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"
URL = "https://news.example.org/2023/05/29/troops.html"
BOILERPLATE = ("Subscribe today", "World news", "We use cookies", "Accept all cookies",
               "All rights reserved", "Privacy policy")


def page_from(article: Article, *, canonical: str | None = URL, saved_from: str | None = None,
              date: str = "2023-05-29") -> str:
    """A saved news page holding ``article``, with the usual boilerplate around it."""
    e = html.escape
    paras = "\n".join("<p>" + "<br>\n".join(e(line) for line in p.split("\n")) + "</p>"
                      for p in article.paragraphs)
    comment = (f"<!-- saved from url=({len(saved_from):04d}){saved_from} -->\n"
               if saved_from else "")
    link = f'<link rel="canonical" href="{e(canonical)}">' if canonical else ""
    return f"""{comment}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(article.title)}</title>
<meta name="author" content="{e(article.author or '')}">
<meta property="article:published_time" content="{date}">
{link}
</head><body>
<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/subscribe">Subscribe today</a></li></ul></nav>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience
on this site. Accept all cookies?</p><button>Accept</button></div>
<main><article>
<h1>{e(article.title)}</h1>
<p class="byline">{e(article.author or '')}</p>
<p><time datetime="{date}">{e(article.date or '')}</time></p>
{paras}
</article></main>
<footer><p>Copyright 2023 Example Publishing. All rights reserved. Privacy policy.</p>
</footer></body></html>"""


@pytest.fixture
def txt_article() -> Article:
    return load(SAMPLE)


@pytest.fixture
def page(tmp_path: Path, txt_article: Article) -> Path:
    p = tmp_path / "troops.html"
    p.write_text(page_from(txt_article), encoding="utf-8")
    return p


# --------------------------------------------------------------------------- HTML


def test_saved_page_reads_like_the_text_file_without_its_boilerplate(
        page: Path, txt_article: Article) -> None:
    article = load(page)
    assert article.title == txt_article.title
    assert article.author == txt_article.author
    assert article.date == "2023-05-29"
    assert article.paragraphs == txt_article.paragraphs
    for junk in BOILERPLATE:
        assert junk not in article.text, junk
    assert [b.kind for b in article.blocks[:3]] == ["title", "byline", "date"]
    assert article.encoding == "html"


def test_every_block_of_a_page_maps_into_the_extracted_text(page: Path) -> None:
    article = load(page)
    for b in article.blocks:
        for i in (0, len(b.text) // 2, len(b.text) - 1):
            if b.text[i] not in " \n":
                assert article.text[b.to_source(i)] == b.text[i], (b.kind, i)


def test_page_metadata_wins_over_a_body_that_looks_like_a_header(tmp_path: Path) -> None:
    # The body opens with a short line that header detection would take for a title.
    p = tmp_path / "note.html"
    p.write_text("<html><head><title>The real title</title>"
                 '<meta name="author" content="Ann Writer"></head><body><article>'
                 "<p>Breaking</p>" + "<p>A paragraph of the article, long enough to be read "
                 "as text by any extractor that looks at it.</p>" * 6 + "</article></body></html>",
                 encoding="utf-8")
    article = load(p)
    assert article.title == "The real title"
    assert article.author == "Ann Writer"
    assert article.paragraphs[0] == "Breaking"


def test_canonical_url_is_kept_and_exported_in_the_front_matter(page: Path) -> None:
    article = load(page)
    assert article.source_url == URL
    assert article.header()["source_url"] == URL
    md = export_markdown(article, None, [], timestamp=None)
    front = md.split("---\n")[1]
    assert f'url: "{URL}"' in front.splitlines()
    assert f'source: "{page}"' in front.splitlines()
    # The template value is there for custom layouts too.
    assert export_markdown(article, None, [], template="<$url>") == f"<{URL}>"


def test_browser_saved_from_comment_gives_the_url_when_the_page_has_no_canonical(
        tmp_path: Path, txt_article: Article) -> None:
    p = tmp_path / "saved.htm"
    p.write_text(page_from(txt_article, canonical=None, saved_from=URL), encoding="utf-8")
    assert load(p).source_url == URL


def test_text_files_have_no_url_and_export_writes_none(txt_article: Article) -> None:
    assert txt_article.source_url is None
    assert "\nurl:" not in export_markdown(txt_article, None, [], timestamp=None)


def test_page_formatting_survives_as_marks_links_lists_and_quotes(tmp_path: Path) -> None:
    body = ("<p>Filler paragraph of reasonable length so the extractor keeps the page as an "
            "article and not as a fragment of navigation.</p>") * 4
    p = tmp_path / "fmt.html"
    p.write_text(
        "<html><head><title>Formatting</title></head><body><article>"
        "<h2>Section two</h2>"
        '<p>An <em>emphasised</em> word, a <strong>strong</strong> one and a '
        '<a href="https://example.org/x">link</a>; stars * and [brackets] stay text.</p>'
        "<ul><li>first point</li><li>second point</li></ul>"
        "<blockquote><p>A quoted sentence from someone.</p></blockquote>"
        "<p>1999. A year that starts a paragraph is not a list number.</p>"
        f"{body}</article></body></html>", encoding="utf-8")
    article = load(p)
    kinds = {b.text: b for b in article.body}
    assert kinds["Section two"].kind == "heading"
    para = next(b for b in article.body if b.text.startswith("An emphasised"))
    assert para.text == ("An emphasised word, a strong one and a link; stars * and [brackets] "
                         "stay text.")
    assert {k for _, _, k in para.marks} == {"em", "strong", "link"}
    assert para.links[0][2] == "https://example.org/x"
    assert [b.text for b in article.body if b.kind == "item"] == ["first point", "second point"]
    assert any(b.kind == "quote" and b.text == "A quoted sentence from someone."
               for b in article.body)
    year = next(b for b in article.body if b.text.startswith("1999"))
    assert year.kind == "paragraph" and year.text.startswith("1999. A year")


@pytest.mark.parametrize("text", ["# not a heading", "> not a quote", "- not an item",
                                  "12. not a number", "*not emphasis*", "a_b_c and _x_",
                                  "`not code`", "[not](a link)", "back\\slash", "==="])
def test_markdown_characters_in_page_text_are_shown_as_written(text: str) -> None:
    from reader.document import parse

    article = parse(escape_markdown(text), header=False)
    assert article.paragraphs == [text]


@pytest.mark.parametrize("text", ["-5 degrees overnight", "#hashtags trend", "3.5 million",
                                  "snake_case names", "R&D, 100% <b> tags", "+1 for that"])
def test_ordinary_page_text_keeps_no_escape_backslashes(text: str) -> None:
    # Entity mentions quote the text: "3\\.5 million" would be a wrong quote.
    assert escape_markdown(text) == text


def test_an_html_file_that_holds_plain_text_opens_as_text(tmp_path: Path) -> None:
    p = tmp_path / "notes.html"
    p.write_text("Just a title\n\nA paragraph of plain text, no tags at all.\n", encoding="utf-8")
    article = load(p)
    assert article.encoding == "utf-8-sig"
    assert article.paragraphs == ["A paragraph of plain text, no tags at all."]


def test_a_txt_file_holding_html_stays_text(tmp_path: Path) -> None:
    p = tmp_path / "source.txt"
    p.write_text("<html><body><p>Hello there, this is the page's source.</p></body></html>\n",
                 encoding="utf-8")
    article = load(p)
    assert article.encoding == "utf-8-sig"
    assert "<p>" in article.text


def test_sniffing_uses_suffix_first_and_content_for_unknown_suffixes() -> None:
    doc = b"<!DOCTYPE html><html><body><p>x</p></body></html>"
    assert sniff(Path("a.html"), doc) == "html"
    assert sniff(Path("a.txt"), doc) == "text"
    assert sniff(Path("saved-page"), doc) == "html"
    assert sniff(Path("readme"), b"Plain words <b>bold</b>") == "text"
    assert sniff(Path("book.zip"), b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/epub+zip") \
        == "epub"


def test_an_empty_page_is_refused_in_one_line(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("<html><head><title>Nothing here</title></head><body></body></html>",
                 encoding="utf-8")
    with pytest.raises(ArticleError) as err:
        load(p)
    msg = str(err.value)
    assert "\n" not in msg and str(p) in msg and "no article text" in msg


# --------------------------------------------------------------------------- EPUB

CHAPTERS = {  # file -> (title, body); the spine reads them c, a, b
    "text/ch_a.xhtml": ("The Harbour", "<h1>The Harbour</h1><p>Ships came in at dawn.</p>"
                                       "<p>The quay was full&nbsp;of people.</p>"),
    "text/ch_b.xhtml": ("A Storm at Sea", "<p>The wind rose in the night.</p>"),
    "text/ch_c.xhtml": ("Landfall", "<section><h2>Landfall</h2>"
                                    "<p>They saw land on the third day.</p></section>"),
}
SPINE = ["text/ch_c.xhtml", "text/ch_a.xhtml", "text/ch_b.xhtml"]


def xhtml(title: str, body: str) -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
            f"<head><title>{title}</title></head><body>{body}</body></html>")


def make_epub(path: Path, chapters: dict[str, tuple[str, str]], spine: list[str],
              title: str = "Voyages", author: str = "Mara Quill") -> Path:
    """An EPUB 3 (with an EPUB 2 NCX as well) written by hand, as a packager would."""
    ids = {name: f"id{i}" for i, name in enumerate(chapters)}
    manifest = "".join(f'<item id="{ids[n]}" href="{n}" media-type="application/xhtml+xml"/>'
                       for n in chapters)
    itemrefs = "".join(f'<itemref idref="{ids[n]}"/>' for n in spine)
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">urn:uuid:0000</dc:identifier><dc:title>{title}</dc:title>
<dc:creator>{author}</dc:creator><dc:date>1911-04-02</dc:date><dc:language>en</dc:language>
</metadata>
<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>{manifest}</manifest>
<spine toc="ncx">{itemrefs}</spine></package>"""
    nav = xhtml("Contents", '<nav epub:type="toc"><h1>Contents</h1><ol>' + "".join(
        f'<li><a href="{n}">{chapters[n][0]}</a></li>' for n in spine) + "</ol></nav>")
    ncx = ('<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>'
           + "".join(f'<navPoint id="p{i}"><navLabel><text>{chapters[n][0]}</text></navLabel>'
                     f'<content src="{n}"/></navPoint>' for i, n in enumerate(spine))
           + "</navMap></ncx>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")  # stored, first
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                   '<rootfile full-path="OEBPS/content.opf" '
                   'media-type="application/oebps-package+xml"/></rootfiles></container>',
                   compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/nav.xhtml", nav, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/toc.ncx", ncx, compress_type=zipfile.ZIP_DEFLATED)
        for name, (t, body) in chapters.items():
            z.writestr(f"OEBPS/{name}", xhtml(t, body), compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_epub_chapters_come_in_spine_order_under_their_titles(tmp_path: Path) -> None:
    article = load(make_epub(tmp_path / "voyages.epub", CHAPTERS, SPINE))
    assert article.title == "Voyages"
    assert article.author == "Mara Quill"
    assert article.date == "1911-04-02"
    assert article.encoding == "epub"
    assert [b.text for _, b in article.headings] == ["Landfall", "The Harbour", "A Storm at Sea"]
    assert [b.text for b in article.body if b.kind == "paragraph"] == [
        "They saw land on the third day.", "Ships came in at dawn.",
        "The quay was full\xa0of people.", "The wind rose in the night."]
    # The table of contents itself is not read out as text.
    assert "Contents" not in article.text


def test_epub_chapter_without_a_nav_document_takes_its_title_from_the_ncx(
        tmp_path: Path) -> None:
    p = make_epub(tmp_path / "old.epub", CHAPTERS, SPINE)
    # Rewrite the book as EPUB 2: no nav document, only the NCX.
    with zipfile.ZipFile(p) as z:
        files = {n: z.read(n) for n in z.namelist() if n != "OEBPS/nav.xhtml"}
    opf = files["OEBPS/content.opf"].decode().replace(
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        "")
    files["OEBPS/content.opf"] = opf.encode()
    with zipfile.ZipFile(p, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    article = load(p)
    assert [b.text for _, b in article.headings] == ["Landfall", "The Harbour", "A Storm at Sea"]


@pytest.mark.parametrize("make, why", [
    (lambda p: p.write_bytes(os.urandom(4096)), "not a readable EPUB"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + os.urandom(2000)), "not a readable EPUB"),
    (lambda p: zipfile.ZipFile(p, "w").close(), "no package document"),
    (lambda p: _zip(p, {"mimetype": "application/epub+zip", "OEBPS/a.xhtml": "<p>x</p>"}),
     "no package document"),
])
def test_a_damaged_epub_is_refused_in_one_line(tmp_path: Path, make: object, why: str) -> None:
    p = tmp_path / "bad.epub"
    make(p)  # type: ignore[operator]
    with pytest.raises(ArticleError) as err:
        load(p)
    msg = str(err.value)
    assert "\n" not in msg and why in msg and str(p) in msg


def _zip(p: Path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(p, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)


def test_an_epub_with_no_text_is_refused(tmp_path: Path) -> None:
    p = make_epub(tmp_path / "blank.epub", {"c.xhtml": ("Cover", "<div><img src='c.jpg'/></div>")},
                  ["c.xhtml"])
    with pytest.raises(ArticleError, match="no readable text"):
        load(p)


def test_a_drm_protected_epub_says_so_instead_of_showing_ciphertext(tmp_path: Path) -> None:
    p = make_epub(tmp_path / "locked.epub", CHAPTERS, SPINE)
    with zipfile.ZipFile(p, "a") as z:
        z.writestr("META-INF/encryption.xml",
                   '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                   'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                   '<enc:CipherData><enc:CipherReference URI="OEBPS/text/ch_a.xhtml"/>'
                   "</enc:CipherData></enc:EncryptedData></encryption>")
    with pytest.raises(ArticleError, match="DRM-protected"):
        load(p)


def test_a_book_chapter_missing_from_the_zip_is_skipped_with_a_notice(tmp_path: Path) -> None:
    p = make_epub(tmp_path / "gap.epub", CHAPTERS, SPINE)
    with zipfile.ZipFile(p) as z:
        files = {n: z.read(n) for n in z.namelist() if n != "OEBPS/text/ch_a.xhtml"}
    with zipfile.ZipFile(p, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    article = load(p)
    assert [b.text for _, b in article.headings] == ["Landfall", "A Storm at Sea"]
    assert article.notice == "1 part of the book could not be read"


def test_reader_entities_on_a_damaged_epub_exits_2_with_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "bad.epub"
    p.write_bytes(os.urandom(3000))
    assert cli.main(["entities", str(p)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("reader: ")
    assert "Traceback" not in captured.err


# --------------------------------------------------------------------------- start-up


def test_opening_a_text_file_does_not_import_the_html_and_epub_libraries() -> None:
    code = ("import sys, json; import reader.document as d; import reader.formats; "
            f"d.load({str(SAMPLE)!r}); "
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('trafilatura', 'lxml', 'ebooklib', 'htmldate'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == []


# --------------------------------------------------------------------------- entities


def test_entity_offsets_of_a_page_index_its_extracted_text(
        page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader import nlp

    model = nlp.find_model()
    if model is None:
        pytest.skip("no spaCy model installed")
    assert cli.main(["entities", str(page), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    article = load(page)
    assert out["article"]["source_url"] == URL
    mentions = [m for e in out["entities"] for m in e["mentions"]]
    assert len(mentions) > 20
    for m in mentions:
        assert m["text"] == article.text[m["start"]:m["end"]]
    names = {e["name"] for e in out["entities"]}
    txt_names = {e.name for e in _entities_of(load(SAMPLE), model)}
    # The same article in another format finds the same names (header lines aside).
    assert len(names & txt_names) >= 0.9 * len(txt_names)


def _entities_of(article: Article, model: str) -> list[Entity]:
    from reader import nlp
    from reader.entities import resolve

    return list(resolve(nlp.article_mentions(article, model), article.text))
