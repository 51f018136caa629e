"""Paragraph repair: line breaks that stay, and paragraphs that extraction broke joined."""

from __future__ import annotations

import re

from reader.document.blocks import Raw

_CLOSING = frozenset('.!?:;"”’\')]…*_`')


#: A paragraph whose lines are all this short is written line by line (an address, a
#: list, a title page, verse), not wrapped prose: its line breaks stay.
SHORT_LINE = 48


def keep_short_lines(raws: list[Raw]) -> list[Raw]:
    """Keep the line breaks of paragraphs written line by line: every line short, and
    each starting with a capital or a digit (wrapped prose goes on in lower case)."""
    for r in raws:
        if r.kind != "paragraph" or len(r.pieces) < 2:
            continue
        lines = [t for _, t in r.pieces]
        if all(len(t) <= SHORT_LINE for t in lines) and all(
                t[:1].isupper() or t[:1].isdigit() or not t[:1].isalpha() for t in lines):
            r.hard = [True] * len(r.hard)
    return raws


def repair(raws: list[Raw]) -> list[Raw]:
    """Join paragraphs that text extraction broke in the middle of a sentence.

    Evidence (general, not about any one text): a prose paragraph that does not end with
    closing punctuation, followed by a paragraph that starts in lower case; or a long
    prose paragraph (it has finished sentences of its own) that stops mid-sentence,
    followed by one whose first sentence ends shortly after.
    """
    out: list[Raw] = []
    for r in raws:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "paragraph" and r.kind == "paragraph"
                and _broken(prev, r)):
            prev.hard[-1] = False
            prev.pieces.extend(r.pieces)
            prev.hard.extend(r.hard)
            continue
        out.append(r)
    return out


def _broken(a: Raw, b: Raw) -> bool:
    tail = a.pieces[-1][1].rstrip()
    head = b.pieces[0][1].lstrip()
    if not tail or not head or a.hard[-1] or tail[-1] in _CLOSING:
        return False
    if not (tail[-1].isalnum() or tail[-1] in ",-–"):
        return False
    if head[0].islower():
        return True
    # A long prose paragraph that stops mid-sentence, continued by text that starts with a
    # capitalised word finishing that sentence ("... part of the Belt and Road" / "Initiative.").
    body = " ".join(t for _, t in a.pieces)
    finished = len(re.findall(r"[.!?][\"”’)]?\s+[A-Z\"“]", body))
    first_sentence = re.match(r"[^.!?]{1,80}[.!?]", head)
    return len(body) > 120 and finished >= 1 and first_sentence is not None and len(head) > 80

