"""Benchmark opening saved web pages and EPUB books: ``load()`` time in milliseconds.

Prints one JSON object per line, e.g.
``{"metric": "load_ms", "case": "html_sample_first", "median": 520.0, "runs": [...]}``.
Cases:

- ``html_sample_first``: a fresh process imports reader.document and loads the sample
  article saved as a web page (with nav, cookie banner, footer); trafilatura and lxml are
  imported by that first load, and the import is counted.
- ``html_sample_warm``: the same page loaded again in one process.
- ``epub_3mb_first`` / ``epub_3mb_warm``: an EPUB of about 3 MB of text (the sample's
  paragraphs repeated in 30 chapters), the same way.
- ``txt_sample_first``: the sample ``.txt`` in a fresh process, for comparison (it must not
  import trafilatura or lxml at all).

Never fails: a case that raises prints ``{"metric": ..., "case": ..., "error": "..."}``.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report import emit  # noqa: E402

from reader.document import Article, load  # noqa: E402

SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def page(article: Article) -> str:
    e = html.escape
    paras = "\n".join("<p>" + "<br>".join(e(x) for x in p.split("\n")) + "</p>"
                      for p in article.paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(article.title)}"
            f"</title><meta name='author' content='{e(article.author or '')}'>"
            "<link rel='canonical' href='https://example.org/a.html'></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            "<div class='cookie-banner'>We use cookies. Accept?</div>"
            f"<article><h1>{e(article.title)}</h1>{paras}</article>"
            "<footer>Copyright. All rights reserved.</footer></body></html>")


def epub(path: Path, article: Article, chapters: int, target: int) -> Path:
    e = html.escape
    one = "".join(f"<p>{e(p)}</p>" for p in article.paragraphs)
    repeat = max(1, target // chapters // len(one))
    items = "".join(f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>'
                    for i in range(chapters))
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(chapters))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml",
                   '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                   '<rootfiles><rootfile full-path="content.opf"/></rootfiles></container>')
        z.writestr("content.opf",
                   '<package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
                   '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                   f"<dc:title>{e(article.title)}</dc:title></metadata>"
                   f"<manifest>{items}</manifest><spine>{spine}</spine></package>")
        for i in range(chapters):
            z.writestr(f"c{i}.xhtml",
                       '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title>'
                       f"</head><body><h1>Chapter {i + 1}</h1>{one * repeat}</body></html>")
    return path


def first_load(path: Path) -> float:
    code = ("import time; t = time.perf_counter(); from reader.document import load; "
            f"load({str(path)!r}); print((time.perf_counter() - t) * 1000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    return float(out)


def warm_load(path: Path) -> list[float]:
    load(path)
    runs = []
    for _ in range(RUNS):
        t = time.perf_counter()
        load(path)
        runs.append((time.perf_counter() - t) * 1000)
    return runs


def case(name: str, fn: object, **extra: object) -> None:
    try:
        runs = fn()  # type: ignore[operator]
        emit("load_ms", name, runs if isinstance(runs, list) else [runs], **extra)
    except Exception as exc:  # a benchmark reports, never fails
        emit("load_ms", name, error=f"{type(exc).__name__}: {exc}")


def main() -> None:
    article = load(SAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "sample.html"
        html_path.write_text(page(article), encoding="utf-8")
        book = epub(Path(tmp) / "book.epub", article, chapters=30, target=3_000_000)
        text_len = len(load(book).text)
        case("txt_sample_first", lambda: [first_load(SAMPLE) for _ in range(RUNS)])
        case("html_sample_first", lambda: [first_load(html_path) for _ in range(RUNS)],
             bytes=html_path.stat().st_size)
        case("html_sample_warm", lambda: warm_load(html_path))
        case("epub_3mb_first", lambda: [first_load(book) for _ in range(max(1, RUNS // 2))],
             bytes=book.stat().st_size, text_chars=text_len)
        case("epub_3mb_warm", lambda: warm_load(book), text_chars=text_len)


if __name__ == "__main__":
    main()
