"""Shared fixtures: every test runs with its own data, cache and config folders."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the user's real notes, cache and settings."""
    home = tmp_path / "home"
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_CONFIG_HOME", "config")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("READER_DB", str(home / "notes.json"))
    monkeypatch.delenv("READER_MODEL", raising=False)
    monkeypatch.delenv("READER_CONFIG", raising=False)
    return home


@pytest.fixture
def sample() -> Path:
    return SAMPLE


async def wait_for_entities(pilot: Any) -> Any:
    """Wait (at most a minute) until the article screen's background NER has settled."""
    from reader.ui.screens.article import ArticleScreen

    screen = next(s for s in pilot.app.screen_stack if isinstance(s, ArticleScreen))
    for _ in range(1200):
        if screen.entities_settled:
            break
        await pilot.pause(0.05)
    assert screen.entities_settled, "entities never arrived"
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def mentions_in(text: str, *pairs: tuple[str, str]) -> list[Any]:
    """Every occurrence of each (surface, label) in ``text`` as a mention, sorted: what the
    model would report, made by hand so a test needs no model."""
    from reader.entities import Mention

    out = []
    for surface, label in pairs:
        at = text.find(surface)
        while at >= 0:
            out.append(Mention(at, at + len(surface), surface, label))
            at = text.find(surface, at + 1)
    return sorted(out, key=lambda m: m.start)


_WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT


class FailingDisk:
    """A fake file-system layer for the store's file (``monkeypatch.setattr(
    reader.store.storage, "os", FailingDisk(errno.ENOSPC))``): reading works, writing
    fails with ``err`` (ENOSPC: every write of bytes; EROFS: every open for writing)."""

    def __init__(self, err: int) -> None:
        self.err = err

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _fail(self, path: object = None) -> OSError:
        return OSError(self.err, os.strerror(self.err), *([str(path)] if path else []))

    def open(self, path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if self.err == errno.EROFS and flags & _WRITES:
            raise self._fail(path)
        return os.open(path, flags, mode, **kw)

    def writev(self, fd: int, buffers: Any) -> int:
        raise self._fail()
