"""What the page draws: decoration layers, the classes text can carry, search matches."""

from __future__ import annotations

from dataclasses import dataclass

#: A decoration over a block's display text: (start, end, component class).
Span = tuple[int, int, str]


#: Decoration layers in the order they are drawn (a later one's colour wins), each with
#: the classes it can put on the text; "" for none.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("", "article--cursor"),
    ("", "entity--people", "entity--organizations", "entity--places", "entity--other"),
    ("", "entity--selected"),
    ("", "article--noted", "note--yellow", "note--green", "note--blue", "note--pink",
     "note--purple"),
    ("", "article--selection"),
    ("", "article--match", "article--match-current"),
)
#: What the text itself carries: a kind of block, or a Markdown mark.
TEXT_CLASSES = ("", "article--title", "article--byline", "article--date",
                "article--heading", "article--quote", "article--code", "article--strong",
                "article--em", "article--link")


def style_combinations() -> list[tuple[str, ...]]:
    """Every stack of classes the page can draw text under, in drawing order."""
    stacks: list[tuple[str, ...]] = [()]
    for choices in ((TEXT_CLASSES,) + LAYERS):
        stacks = [stack + ((c,) if c else ()) for stack in stacks for c in choices]
    # A selected entity's emphasis only comes with its group's style.
    return [s for s in stacks if "entity--selected" not in s
            or any(c.startswith("entity--") and c != "entity--selected" for c in s)]


@dataclass(frozen=True, slots=True)
class Match:
    block: int
    start: int
    end: int


