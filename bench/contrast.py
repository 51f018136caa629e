"""The lowest WCAG contrast of the page's text in every theme Textual offers, colour and
NO_COLOR, for each style the page draws (prints numbers; passes or fails nothing).

usage: python bench/contrast.py [--no-color] [--256]
(--256: as a terminal of 256 colours shows them, e.g. tmux without COLORTERM=truecolor)
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.document import parse  # noqa: E402
from reader.ui.app import ReaderApp  # noqa: E402
from reader.ui.article_view import ArticleView, style_combinations  # noqa: E402

STYLES = ("article--cursor", "article--selection", "entity--people", "entity--organizations",
          "entity--places", "entity--other", "entity--selected", "article--noted",
          "article--match", "article--match-current")


async def table(no_color: bool, colors_256: bool = False) -> None:
    from rich.color import ColorSystem

    if no_color:
        os.environ["NO_COLOR"] = "1"
    app = ReaderApp(parse("# A title\n\nSome text.\n"))
    app.console._color_system = ColorSystem.EIGHT_BIT if colors_256 else ColorSystem.TRUECOLOR
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.query_one(ArticleView)
        stacks = style_combinations()
        print(f"NO_COLOR={int(no_color)} colours={app.console.color_system}  (lowest ratio "
              f"of any stack holding the style; {len(stacks)} stacks)")
        print(f"{'theme':<20}" + " ".join(f"{s.split('--')[1][:9]:>9}" for s in STYLES)
              + "      all   mark")
        for theme in sorted(app.available_themes):
            app.theme = theme
            await pilot.pause()
            t0 = time.perf_counter()
            ratios = {stack: view.drawn_contrast(*stack) for stack in stacks}
            cells = [min(r for st, r in ratios.items() if name in st) for name in STYLES]
            mark = view.drawn_contrast("article--gutter")
            print(f"{theme:<20}" + " ".join(f"{c:9.2f}" for c in cells)
                  + f" {min(ratios.values()):8.2f} {mark:6.2f}"
                  + f"  ({1000 * (time.perf_counter() - t0):.0f} ms)")


if __name__ == "__main__":
    asyncio.run(table(no_color="--no-color" in sys.argv, colors_256="--256" in sys.argv))
