"""NER in worker processes: plain ``python -c`` subprocesses speaking length-prefixed
pickles over pipes (see the package docstring for why not ``multiprocessing``)."""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import IO, Any

from reader.nlp.chunks import BATCH_SIZE, Piece, ents, tasks
from reader.nlp.models import ModelMissing, installed, load_pipeline
from reader.nlp.spans import Cancel, Span

__all__ = ["extract_in_workers", "prestart", "serve"]

#: Niceness of worker processes. 0: a waking UI process is scheduled promptly anyway,
#: and at 5 the workers lost half their throughput whenever another program was busy.
WORKER_NICE = 0


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


def serve() -> None:
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
        _send(out, ("ok", [ents(doc, off) for doc, off in zip(docs, offsets, strict=True)]))


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
    here = str(Path(__file__).resolve().parents[2])  # so the child imports this reader
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (here, env.get("PYTHONPATH"))))
    # -P: the current folder is not put first on sys.path, so a `reader` folder where the
    # reader is started cannot stand in for this package.
    return subprocess.Popen(
        [sys.executable, "-P", "-c", "from reader.nlp.workers import serve; serve()", model],
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
    if not Path(model).is_dir() and not installed(model):
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


class _Pool:
    """The worker processes of one extraction and the threads that feed them."""

    def __init__(self, pieces: list[Piece], model: str, workers: int) -> None:
        self.model = model
        self.workers = workers
        self.todo: queue.Queue[tuple[list[int], list[str], list[int]] | None] = queue.Queue()
        for task in tasks(pieces):
            self.todo.put(task)
        self.done: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.procs: list[subprocess.Popen[bytes]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def start(self, n: int) -> None:
        with self.lock:
            if self.stopping.is_set():
                return
            proc = _take_prestarted(self.model) or _spawn(self.model)
            self.procs.append(proc)
        threading.Thread(target=self.feed, args=(proc, n), daemon=True).start()

    def feed(self, proc: subprocess.Popen[bytes], n: int) -> None:
        """One thread per worker: hand it the next task, pass its answer on."""
        assert proc.stdin is not None and proc.stdout is not None
        try:
            first = _receive(proc.stdout)
            if first[0] != "ready":
                self.done.put(("error", first[1]))
                return
            # The next worker starts only now, and only when a core has time to spare:
            # two processes importing spaCy at once beside the UI would delay the first
            # (visible) results, and while another program keeps a core busy a second
            # worker adds its start-up and gains nothing (the kernel shares the CPU
            # between sessions, not processes).
            spare = _SpareCpu() if n + 1 < self.workers else None
            while (task := self.todo.get()) is not None:
                keys, texts, offsets = task
                try:
                    _send(proc.stdin, (texts, offsets))
                    reply = _receive(proc.stdout)
                except BaseException:
                    self.todo.put(task)  # another worker takes it over
                    raise
                if reply[0] != "ok":
                    self.todo.put(task)
                    self.done.put(("error", reply[1]))
                    return
                self.done.put(("ok", (keys, reply[1])))
                if spare is not None and spare():
                    self.start(n + 1)
                    spare = None
        except (OSError, EOFError, ValueError) as exc:
            self.done.put(("gone", repr(exc)))

    def stop(self) -> None:
        with self.lock:
            self.stopping.set()
        for _ in range(self.workers):
            self.todo.put(None)
        for proc in self.procs:
            _close(proc)


def extract_in_workers(
    pieces: list[Piece], model: str, workers: int, cancelled: Cancel | None
) -> Generator[tuple[int, list[Span]], None, None]:
    """Yield ``(piece index, spans)`` from ``workers`` processes, in any order."""
    if not Path(model).is_dir() and not installed(model):
        raise ModelMissing(model)
    pool = _Pool(pieces, model, workers)
    pool.start(0)
    pending = len(pieces)
    failures = 0
    try:
        while pending:
            if cancelled is not None and cancelled():
                return
            try:
                kind, payload = pool.done.get(timeout=0.1)
            except queue.Empty:
                continue
            if kind != "ok":
                failures += 1  # each worker reports at most one failure
                with pool.lock:
                    if failures >= len(pool.procs):
                        raise RuntimeError(f"NER worker processes failed: {payload}")
                continue
            keys, out = payload
            for k, spans in zip(keys, out, strict=True):
                pending -= 1
                yield k, spans
    finally:
        pool.stop()
