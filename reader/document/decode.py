"""File bytes to text: the encoding the rest of the project re-reads it with, and the
refusals (binary files, documents of other kinds) in one line each."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reader.document.model import ArticleError
from reader.formats.sniffing import ARTICLE_SUFFIXES

#: What to open instead, said after a refusal.
OPEN_INSTEAD = f"open a {', '.join(ARTICLE_SUFFIXES[:-1])} or {ARTICLE_SUFFIXES[-1]} file"

#: Leading bytes of files that are not text, and what to call them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document (not supported"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image (not text"),
    (b"\xff\xd8\xff", "a JPEG image (not text"),
    (b"GIF8", "a GIF image (not text"),
    (b"PK\x03\x04", "a zip archive that is not an EPUB book (not text"),
    (b"\x7fELF", "a program (an ELF executable, not text"),
)

#: Byte-order marks of the encodings read besides UTF-8 (UTF-32 first: its little-endian
#: mark begins with UTF-16's).
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def decode(raw: bytes, p: Path | str = "") -> tuple[str, str, str | None]:
    """Decode file bytes the way the rest of the project will re-read them.

    Returns (text, encoding, notice). Newlines are normalised as universal-newline mode
    does, so ``text`` equals ``open(p, encoding=encoding).read()``. UTF-16 and UTF-32 text
    is read when it starts with a byte-order mark (which is not part of ``text``).
    """
    notice = None
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                text, encoding = raw.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise ArticleError(f"{p}: starts as {name} text but is not valid {name} "
                                   f"(bad bytes at byte {exc.start})") from None
            break
    else:
        for magic, what in _MAGIC:
            if raw.startswith(magic):
                raise ArticleError(f"{p}: {what}; {OPEN_INSTEAD})")
        nul = raw.find(b"\x00")
        if nul >= 0:
            if _utf16_without_bom(raw):
                raise ArticleError(f"{p}: looks like UTF-16 text without a byte-order mark, "
                                   "which reader cannot tell apart from binary data (save it "
                                   "as UTF-8)")
            raise ArticleError(f"{p}: text with NUL bytes at byte {nul}, which is not plain "
                               f"text ({OPEN_INSTEAD})")
        try:
            text, encoding = raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            try:
                text, encoding = raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, encoding = raw.decode("latin-1"), "latin-1"
            notice = f"not valid UTF-8: read as {encoding}"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text[:4096] if c < " " and c not in "\n\t\f")
    if controls > 0.05 * min(len(text), 4096):
        raise ArticleError(f"{p}: binary data, not text ({controls} control characters in "
                           f"its first {min(len(text), 4096)} characters; {OPEN_INSTEAD})")
    return text, encoding, notice


def _utf16_without_bom(raw: bytes) -> bool:
    """Mostly ASCII text in UTF-16: every other byte of the first few hundred is NUL."""
    head = raw[:512]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    for zeros, chars in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and chars.count(0) < 0.1 * len(chars):
            return True
    return False


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

