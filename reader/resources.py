"""Where the bundled styles and sample articles live.

In a source checkout (or an editable install) they sit at the top of the repository; an
installed wheel carries them inside the package as ``reader/_data/`` (hatch force-include).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled '{name}' folder is missing from this installation")


def styles_dir() -> Path:
    return _find("styles")


def seeds_dir() -> Path:
    return _find("seeds")


def sample_article() -> Path:
    """The bundled sample that `reader` opens when given no file."""
    return sorted(p for p in seeds_dir().iterdir() if p.suffix in (".txt", ".md"))[0]
