"""The key bar on a narrow terminal keeps help and quit in sight."""

from __future__ import annotations

from reader.ui.keybar import KeyBar


def entry(key: str, description: str, always: bool = False) -> tuple[str, str, bool, bool]:
    return (key, description, True, always)


def test_a_narrow_bar_drops_the_last_keys_but_keeps_help_and_quit() -> None:
    entries = [entry("space", "Page"), entry("/", "Search"), entry("t", "Contents"),
               entry("x", "Export"), entry("?", "Help", True), entry("q", "Quit", True)]
    assert [k for k, *_ in KeyBar._fitted(entries, 80)] == ["space", "/", "t", "x", "?", "q"]
    assert [k for k, *_ in KeyBar._fitted(entries, 48)] == ["space", "/", "t", "?", "q"]
    assert [k for k, *_ in KeyBar._fitted(entries, 20)] == ["?", "q"]
    assert str(KeyBar._line(KeyBar._fitted(entries, 47))) == (
        "space Page  / Search  ? Help  q Quit")
