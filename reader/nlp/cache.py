"""The on-disk mention cache: one JSON file per text, model, version and settings.

Reading it needs no spaCy, so a reopened article is highlighted at first paint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from reader.files import atomic_write
from reader.nlp.chunks import PIECE_CHARS
from reader.nlp.models import EXCLUDE, model_version
from reader.nlp.spans import Span

__all__ = ["SETTINGS", "cache_dir", "is_cached", "load_cached", "save_cached"]

#: Everything besides the model that changes the mentions: part of the cache key.
SETTINGS = f"ner2;exclude={','.join(EXCLUDE)};piece={PIECE_CHARS}"
_CACHE_FORMAT = 1


def cache_dir() -> Path:
    """Where mention caches live (platformdirs' user cache dir; honours XDG_CACHE_HOME)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("reader"))


def _cache_path(content_hash: str, model: str, version: str) -> Path:
    key = hashlib.sha256(
        "\0".join((content_hash, model, version, SETTINGS)).encode("utf-8")
    ).hexdigest()[:40]
    return cache_dir() / "mentions" / f"{key}.json"


def is_cached(content_hash: str, model: str) -> bool:
    """Whether mentions for this text and model are cached (without reading them)."""
    return _cache_path(content_hash, model, model_version(model)).is_file()


def load_cached(content_hash: str, model: str, version: str) -> list[Span] | None:
    """Cached mentions (source offsets) for this text and model, or None."""
    path = _cache_path(content_hash, model, version)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if (
            data.get("format") != _CACHE_FORMAT
            or data.get("hash") != content_hash
            or data.get("model") != model
            or data.get("version") != version
            or data.get("settings") != SETTINGS
        ):
            return None
        return [(int(s), int(e), str(label)) for s, e, label in data["mentions"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, torn or foreign: recompute



def save_cached(content_hash: str, model: str, version: str, mentions: Sequence[Span]) -> None:
    """Write the cache as a whole (:func:`reader.files.atomic_write`).

    A cache that cannot be written (read-only home, full disk) is skipped silently:
    it only saves time.
    """
    path = _cache_path(content_hash, model, version)
    data = {
        "format": _CACHE_FORMAT,
        "hash": content_hash,
        "model": model,
        "version": version,
        "settings": SETTINGS,
        "mentions": [[s, e, label] for s, e, label in mentions],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, separators=(",", ":")), keep_mode=False)
    except OSError:
        pass
