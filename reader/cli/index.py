"""``reader index DIR``: find the entities of a folder's articles for the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.common import (
    DB,
    MODEL,
    CommandError,
    dump_json,
    index_dir,
    model_setting,
    say,
    stored_corrections,
)

if TYPE_CHECKING:
    from reader.library import IndexRun

__all__ = ["cmd_index"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reader index", parents=[MODEL, DB],
        description="Find the people, organizations and places of every article in DIR "
                    "(recursively: .txt .md .html .htm .epub) and remember them in the "
                    "library index, for `reader mentions NAME` and the library screen. "
                    "Texts analysed before come from the entity cache. Ctrl+C stops and "
                    "keeps what was done.")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--workers", type=int, metavar="N",
                   help="NER processes: 0 runs NER in this process, N starts N worker "
                        "processes (default: two when there is much text and a second core)")
    p.add_argument("--json", action="store_true",
                   help="the summary as a JSON object: files, indexed, cached, duplicates, "
                        "skipped [{path, why}], chars, ner_chars, seconds, chars_per_s, "
                        "model, interrupted")
    return p


def _files(args: argparse.Namespace) -> list[Path]:
    folder = Path(args.dir).expanduser()
    if not folder.exists():
        raise CommandError(f"{args.dir}: no such folder")
    if not folder.is_dir():
        raise CommandError(f"{args.dir}: not a folder (give a folder of articles)")
    if args.workers is not None and args.workers < 0:
        raise CommandError(f"--workers {args.workers}: give 0 or more")
    from reader.library import article_files

    files = article_files([folder])
    if not files:
        raise CommandError(f"{args.dir}: no article files (.txt .md .html .htm .epub) in it")
    return files


def cmd_index(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    files = _files(args)
    from reader import nlp
    from reader.library import Library, index_files
    from reader.store import Store

    model = nlp.find_model(model_setting(args.model))
    if model is None:
        raise CommandError(str(nlp.ModelMissing()))
    corrections = stored_corrections(args.db)
    library = Library(Store(memory=True), samples=False, index_path=index_dir(args.db))
    bar = _IndexBar(len(files)) if sys.stderr.isatty() and not args.json else None
    try:
        run = index_files(library, files, model=model, workers=args.workers,
                          corrections=corrections,
                          progress=bar.update if bar is not None else None)
    except nlp.ModelMissing as exc:
        raise CommandError(str(exc)) from None
    except RuntimeError as exc:  # the NER worker processes died (what was done is kept)
        say([str(exc)])
        return 1
    finally:
        if bar is not None:
            bar.close()
        say(library.messages)
    say(f"skipped {why}" for _path, why in run.skipped)
    _report(run, model, as_json=args.json)
    if run.interrupted:
        return 130
    return 0 if run.indexed or run.duplicates else 1


def _report(run: IndexRun, model: str, *, as_json: bool) -> None:
    speed = run.chars / run.seconds if run.seconds > 0 else 0.0
    if as_json:
        dump_json({"files": run.files, "indexed": run.indexed, "cached": run.cached,
                   "duplicates": run.duplicates,
                   "skipped": [{"path": str(p), "why": why} for p, why in run.skipped],
                   "chars": run.chars, "ner_chars": run.ner_chars,
                   "seconds": round(run.seconds, 3), "chars_per_s": round(speed),
                   "model": model, "interrupted": run.interrupted})
        return
    extra = [f"{run.cached} from the cache"]
    if run.duplicates:
        extra.append(f"{run.duplicates} duplicate{'s' if run.duplicates != 1 else ''}")
    if run.skipped:
        extra.append(f"{len(run.skipped)} skipped")
    stopped = "stopped: " if run.interrupted else ""
    print(f"{stopped}indexed {run.indexed} of {run.files} file"
          f"{'s' if run.files != 1 else ''} ({', '.join(extra)}): {run.chars:,} chars "
          f"in {run.seconds:.1f} s, {speed:,.0f} chars/s")


class _IndexBar:
    """rich.progress on stderr: bytes of article files done, and files done."""

    def __init__(self, files: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.files = files
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 TaskProgressColumn(), TimeElapsedColumn(),
                                 TimeRemainingColumn(), console=Console(stderr=True),
                                 transient=True)
        self.task = self.progress.add_task(f"indexing 0/{files} files", total=None)
        self.progress.start()

    def update(self, done: float, total: float, files_done: int) -> None:
        self.progress.update(self.task, completed=done, total=total,
                             description=f"indexing {files_done}/{self.files} files")

    def close(self) -> None:
        self.progress.stop()
