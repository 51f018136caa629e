"""Write docs/keys.md from the key bindings themselves (reader/ui/key_reference.py).

usage: python tools/keys_doc.py [--check]

The tables are the help screen's sections (every place's bindings, in the order the
help shows them); the text around them is fixed here. ``--check`` writes nothing and
exits 1 when docs/keys.md differs from what this would write (the tests run it, so a
binding added or reworded without regenerating the page fails the suite).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "keys.md"

INTRO = """\
# Keys

Every key is shown in `?` (help), with the binding id used to remap it; the key bar at
the bottom shows the most used ones. Keys marked (Textual) are Textual's own and are not
remapped by id.

This page is written by `python tools/keys_doc.py` from the key bindings (their
`description`, or their `tooltip` when it says more): change a key there, then run it.
"""

OUTRO = """\
A search is a regular expression (an invalid one is searched as plain text, and the
status line says so) with smart case: all lower case finds any case, a capital makes it
case-sensitive. `?`, which searches backward in less and vim, is help here (`\\` searches
backward), and `m` is the notes panel (`"` sets a mark).

Clicking a highlighted name selects its row in the panel. In the text every name is
underlined (so it never looks like the text's own bold or italic), people **bold**,
organizations plain and places *italic*, so the groups stay apart without colour
(`NO_COLOR=1` works). Every style of the page (the cursor, a selection, each group, notes,
search hits) reads in every theme Textual offers, dark and light, and with `NO_COLOR`: the
page moves a text colour that would fall below WCAG's 4.5:1 on its background towards
black or white; `python bench/contrast.py [--no-color]` prints the ratios per theme.

Keys are remapped by binding id in the settings file ([settings.md](settings.md)).
"""


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    """docs/keys.md as the bindings say it."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from reader.ui.key_reference import TEXTUAL, sections

    parts = [INTRO]
    for section in sections():
        lines = [f"## {section.title}", "", "| keys | does | binding id |", "|---|---|---|"]
        for row in section.rows:
            keys = " ".join(f"`{cell(k)}`" for k in row.keys)
            ident = row.binding_id if row.binding_id == TEXTUAL else f"`{row.binding_id}`"
            lines.append(f"| {keys} | {cell(row.does)} | {ident} |")
        parts.append("\n".join(lines) + "\n")
    parts.append(OUTRO)
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if docs/keys.md is not what would be written")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if DOC.read_text(encoding="utf-8") != text:
            print("docs/keys.md is out of date with the key bindings: "
                  "run python tools/keys_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
