"""Named-entity recognition: model resolution, chunked NER, and the on-disk mention cache.

The only package that imports spaCy, and only inside functions: importing ``reader.nlp``
(to resolve a model name, or to read the cache) costs nothing, so a reopened article is
highlighted at first paint without spaCy being imported at all. Past this package nothing
touches spaCy objects: mentions leave it as ``(start, end, label)`` tuples or as plain
:class:`Mention` spans of the source text, and nothing here knows the entity model.

* ``models``: which model (the official pipelines first, then the PyPI re-upload), its
  version, loading it with only what NER needs.
* ``chunks``: cutting texts into pieces, batches and worker tasks.
* ``extract``: NER over chunks, in this process or in ``workers`` (worker processes).
* ``cache``: the mention cache on disk.
* ``jobs``: an article's mentions, in batches or on a background thread.

How texts are processed (measured with ``bench/bench_ner.py``):

* NER holds the GIL most of the time, so in the UI process it competes with the UI.
* spaCy's import plus the model load cost seconds in any process (a worker leaves out
  spaCy's command line, a quarter of the import); two processes give well under twice the
  throughput of one (less when another program is busy on the second core).
* Texts under :data:`PROCESS_MIN_CHARS` run in the calling thread, and the model stays
  loaded for the next article. Bigger texts go to :data:`WORKERS` worker processes, so the
  calling thread only waits on a queue and the UI keeps its core; on a long book the
  worker start-up is small beside the NER itself.
* Workers are plain ``python -c`` subprocesses speaking length-prefixed pickles over
  pipes, not ``multiprocessing``: spawn re-imports the parent's ``__main__`` (which breaks
  under launchers without a main guard) and fork is unsafe in a threaded UI process. The
  second worker starts only when the first is ready, so the first results (the visible
  page, sent first in small tasks) are not slowed by two imports at once. Worker stderr
  goes to /dev/null so nothing writes over the terminal UI; failures come back as frames.
"""

from __future__ import annotations

from reader.nlp.cache import SETTINGS, cache_dir, is_cached, load_cached, save_cached
from reader.nlp.chunks import (
    BATCH_SIZE,
    HEAD_CHARS,
    PIECE_CHARS,
    PROCESS_MIN_CHARS,
    TASK_CHARS,
    WORKERS,
)
from reader.nlp.extract import extract
from reader.nlp.jobs import Cancelled, MentionJob, article_mentions, iter_article_mentions
from reader.nlp.models import (
    EXCLUDE,
    INSTALL_HINT,
    MODEL_CANDIDATES,
    ModelMissing,
    find_model,
    load_pipeline,
    model_version,
    preload,
)
from reader.nlp.spans import Mention, Span
from reader.nlp.workers import prestart

__all__ = [
    "BATCH_SIZE",
    "EXCLUDE",
    "HEAD_CHARS",
    "INSTALL_HINT",
    "MODEL_CANDIDATES",
    "PIECE_CHARS",
    "PROCESS_MIN_CHARS",
    "SETTINGS",
    "TASK_CHARS",
    "WORKERS",
    "Cancelled",
    "Mention",
    "MentionJob",
    "ModelMissing",
    "Span",
    "article_mentions",
    "cache_dir",
    "extract",
    "find_model",
    "is_cached",
    "iter_article_mentions",
    "load_cached",
    "load_pipeline",
    "model_version",
    "preload",
    "prestart",
    "save_cached",
]
