"""NER throughput: raw single-process ``nlp.pipe`` against ``reader.nlp.extract``.

Both runs use the same components (``reader.nlp.load_pipeline``: NER only) over the same
chunks: the blocks of the sample repeated 300 times (about 3 MB; set BENCH_NER_REPEAT to
change). Also: time to the first mentions (the visible page), resolution of all mentions
beside its NER time (and the same for the development novel when ``../shared`` is there),
the sample alone, and peak memory. Prints JSON lines; never fails (exit 0).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "seeds" / "000_30010e33f959fb06.txt"
REPEAT = int(os.environ.get("BENCH_NER_REPEAT", "300"))


def emit(metric: str, case: str, **values: object) -> None:
    print(json.dumps({"metric": metric, "case": case, **values}), flush=True)


def chunks_of(text: str) -> list[str]:
    """The texts the app hands to NER: the document's blocks (blank-line split if the
    document layer cannot be imported)."""
    try:
        from reader.document import parse

        return [b.text for b in parse(text).blocks]
    except Exception:  # the document layer is not there yet: plain paragraphs
        return [p for p in text.split("\n\n")]


def parse_or_none(text: str) -> Any:
    try:
        from reader.document import parse

        return parse(text)
    except Exception:  # the document layer is not there yet
        return None


def resolve_case(case: str, article: Any, mentions: list[Any], ner_s: float) -> None:
    """Time resolution (best of three) beside the NER time of the same text."""
    from reader.analysis import article_entities

    runs = []
    rows: list[Any] = []
    for _ in range(3):
        t0 = time.perf_counter()
        rows = article_entities(article, mentions)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    emit("resolve_ms", case, value=round(best * 1000), mentions=len(mentions), rows=len(rows),
         ner_s=round(ner_s, 1), share_of_ner=round(best / ner_s, 3))


def peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # ru_maxrss is in KiB


def main() -> int:
    from reader import nlp
    from reader.entities import Mention

    model = nlp.find_model()
    if model is None:
        emit("skipped", "ner", why="no spaCy model installed")
        return 0
    sample = SAMPLE.read_text(encoding="utf-8")
    big = "\n".join([sample] * REPEAT)
    chunks = chunks_of(big)
    case = f"sample_x{REPEAT}"
    chars = sum(len(c) for c in chunks)

    # ours first, so its worker processes start on an idle machine like in the app
    t0 = time.perf_counter()
    first_ms = None
    found: list[tuple[int, list[tuple[int, int, str]]]] = []
    for i, spans in nlp.extract(chunks, model=model):
        if first_ms is None and spans:
            first_ms = (time.perf_counter() - t0) * 1000
        found.append((i, spans))
    ours_s = time.perf_counter() - t0

    pipeline = nlp.load_pipeline(model)
    t0 = time.perf_counter()
    tokens = sum(len(doc) for doc in pipeline.pipe(chunks, batch_size=nlp.BATCH_SIZE))
    raw_s = time.perf_counter() - t0

    raw_tps = tokens / raw_s
    ours_tps = tokens / ours_s
    emit("ner_tokens_per_s", f"{case}_raw_nlp_pipe_1_process", value=round(raw_tps),
         seconds=round(raw_s, 1), tokens=tokens, chars=chars, components=pipeline.pipe_names)
    emit("ner_tokens_per_s", f"{case}_reader_extract", value=round(ours_tps),
         seconds=round(ours_s, 1), workers=nlp.WORKERS if chars >= nlp.PROCESS_MIN_CHARS else 0)
    emit("ner_throughput_ratio", f"{case}_extract_vs_raw", value=round(ours_tps / raw_tps, 2),
         goal=">= 0.9")
    emit("ner_first_mentions_ms", f"{case}_extract", value=round(first_ms or -1),
         note="includes worker start-up (spaCy import + model load)")

    # resolution (reader.analysis.article_entities) over every mention, as the app does it
    # when NER is done, and its share of the NER time
    article = parse_or_none(big)
    if article is not None and len(article.blocks) == len(chunks):
        mentions = [Mention(a, z, big[a:z], lab) for i, spans in found
                    for s, e, lab in spans
                    for a, z in [(article.blocks[i].to_source(s),
                                  article.blocks[i].to_source_end(e))]]
        resolve_case(case, article, mentions, ours_s)
    novel = ROOT.parent / "shared" / "dev" / "pride-and-prejudice.txt"
    if novel.exists():
        from reader.document import load

        book = load(novel)
        t0 = time.perf_counter()
        book_found = list(nlp.extract([b.text for b in book.blocks], model=model))
        book_ner_s = time.perf_counter() - t0
        mentions = [Mention(a, z, book.text[a:z], lab) for i, spans in book_found
                    for s, e, lab in spans
                    for a, z in [(book.blocks[i].to_source(s), book.blocks[i].to_source_end(e))]]
        resolve_case("dev_novel", book, mentions, book_ner_s)

    # the sample alone, model already loaded: what the app pays after spaCy is up
    small = chunks_of(sample)
    nlp.preload(model)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in nlp.extract(small, model=model):
            pass
        runs.append((time.perf_counter() - t0) * 1000)
    runs.sort()
    emit("ner_ms", "sample_model_loaded", median=round(runs[2]), runs=[round(r) for r in runs])

    emit("peak_rss_mb", f"{case}_bench_process", value=peak_mb(resource.RUSAGE_SELF),
         note="raw run loads the model here")
    emit("peak_rss_mb", f"{case}_largest_worker", value=peak_mb(resource.RUSAGE_CHILDREN))
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except Exception as exc:  # a benchmark reports, it does not fail the build
        emit("error", "bench_ner", why=repr(exc))
        raise SystemExit(0) from None
