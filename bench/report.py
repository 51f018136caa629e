"""One JSON line per measurement, shared by every benchmark script."""

from __future__ import annotations

import json
import statistics


def emit(metric: str, case: str, runs: list[float] | None = None, **extra: object) -> None:
    """Print ``{"metric", "case", "median", "runs", ...extra}`` as one line."""
    line: dict[str, object] = {"metric": metric, "case": case}
    if runs:
        line["median"] = round(statistics.median(runs), 1)
        line["runs"] = [round(r, 1) for r in runs]
    line.update(extra)
    print(json.dumps(line), flush=True)
