"""Mutation testing of the core with mutmut: ``make mutate`` (slow; not part of ``make test``).

usage: python tools/mutate.py [--jobs N] [--report] [--no-diffs] [--only GLOB] [MODULE ...]

MODULE is one of the names in MODULES below (default: all, one after the other). Each runs
in its own folder, ``.mutmut/<module>/``: a copy of the project whose pyproject.toml tells
mutmut to mutate that one file and to run only that module's tests. mutmut then mutates the
functions listed, and runs each mutant against only the tests that reached its function.
The survivors of each module are printed with their diffs. ``--report`` prints the last
results again without running anything. ``--only reader.entities.merge.*`` tests (and
reports) only the mutants whose names match, to check the tests of one file quickly.

mutmut keeps its results in ``.mutmut/<module>/mutants/`` (git-ignored); a run re-tests
every mutant of the module. ``rm -rf .mutmut`` starts afresh. docs/testing.md has the
scores and why each mutant left alive cannot change behaviour.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutmut"
MUTMUT = Path(sys.executable).with_name("mutmut")


@dataclass(frozen=True)
class Module:
    source: str
    """The file mutated (a glob for a package: ``reader/entities/*.py``)."""
    functions: list[str]
    """mutmut mutant names (globs) of the functions that make this part of the core."""
    tests: list[str]
    """The tests that cover it: the only ones run (globs, from the project's root)."""
    skip: tuple[str, ...] = ()
    """Tests of those left out here (each says why in MODULES)."""


_STORE = "reader.store.storage.xǁAtomicJSONStorageǁ"
MODULES: dict[str, Module] = {
    "anchors": Module("reader/anchors.py", ["reader.anchors.*"],
                      ["tests/unit/test_anchors.py", "tests/unit/test_notes.py"]),
    "paragraph-repair": Module("reader/document/*.py", [
        "reader.document.repair.x_repair__mutmut_*",
        "reader.document.repair.x__broken__mutmut_*",
        "reader.document.blocks.x__add_line__mutmut_*",  # where a hard line break is read
    ], ["tests/unit/test_paragraph_repair.py", "tests/unit/test_document.py"]),
    "store-write": Module("reader/store/*.py", [
        f"{_STORE}write__mutmut_*",
        f"{_STORE}_write_file__mutmut_*",
        f"{_STORE}_keep_backup__mutmut_*",
        f"{_STORE}_unlink_later__mutmut_*",
        "reader.store.render.x_render__mutmut_*",
        "reader.store.render.x__table_lines__mutmut_*",
        "reader.store.render.x__line__mutmut_*",
    ], ["tests/unit/test_store.py", "tests/unit/test_store_write.py",
        "tests/faults/test_store_faults.py"], skip=(
        # Loops of real processes: a mutant that breaks saving makes them wait out their
        # own time limits (minutes each). test_store.py and the other fault tests (torn
        # files, a full disk, two stores at once) cover the same code.
        "tests/faults/test_store_faults.py::"
        "test_killing_the_app_mid_save_50_times_never_loses_a_reported_note",
        "tests/faults/test_store_faults.py::"
        "test_two_apps_adding_200_notes_each_at_once_keep_all_400",
    )),
    "export-quoting": Module("reader/export/*.py", [
        *(f"reader.export.escape.x_{name}__mutmut_*" for name in (
            "escape_text", "escape_fragment", "one_line", "link_name", "front_name",
            "normalise_note_text", "quote_note_text", "unquote_note_text",
            "extract_note_text", "block_id", "yaml_str", "yaml_list", "tag_md")),
        *(f"reader.export.passages.x_{name}__mutmut_*" for name in (
            "_emphasis", "_is_punct", "_quote_piece", "quote_lines", "plain_paragraphs",
            "_one_line_keep")),
    ], ["tests/unit/test_export.py"]),
    "corrections": Module("reader/corrections.py", ["reader.corrections.*"],
                          ["tests/unit/test_corrections.py",
                           "tests/unit/test_corrections_cli.py"]),
    "entities": Module("reader/entities/*.py", ["reader.entities.*"],
                       ["tests/unit/test_entities.py", "tests/unit/test_entity_*.py"]),
}

#: pytest options for every module. The child that drops to user "nobody" cannot load
#: mutmut's hook (it cannot read the copy's pyproject.toml): that one test is left out. So
#: are the tests of speed alone (marked ``timing``): mutmut's trampolines slow every call.
PYTEST_ARGS = [
    "-p", "no:cacheprovider", "-m", "not timing",
    "--deselect",
    "tests/faults/test_store_faults.py::"
    "test_a_read_only_data_folder_shows_the_notes_and_keeps_new_ones_in_memory",
]

#: mutmut's exit codes (mutmut.stats.status_by_exit_code), as this report counts them.
CAUGHT = {1: "killed", 3: "killed", -9: "killed", 36: "timeout", -24: "timeout",
          24: "timeout", 152: "timeout", 37: "type check"}
ALIVE = {0: "survived", 5: "no tests", 33: "no tests"}


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def test_files(module: Module) -> list[str]:
    """The module's test files, its globs expanded (mutmut hands them to pytest as they are)."""
    return sorted({str(p.relative_to(ROOT)) for t in module.tests for p in ROOT.glob(t)})


def prepare(name: str) -> Path:
    """The module's folder: a fresh copy of the code and tests, its own mutmut settings."""
    module = MODULES[name]
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("reader", "tests", "seeds", "styles"):
        shutil.rmtree(folder / sub, ignore_errors=True)
        shutil.copytree(ROOT / sub, folder / sub,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config += (
        "\n[tool.mutmut]\n"
        'source_paths = ["reader"]\n'
        f"only_mutate = {_toml_list([module.source])}\n"
        'also_copy = ["styles", "seeds"]\n'
        f"pytest_add_cli_args = "
        f"{_toml_list(PYTEST_ARGS + [a for t in module.skip for a in ('--deselect', t)])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(test_files(module))}\n"
        # A mutant that makes a test hang (a save loop that never ends) is cut off after
        # 4 times its tests' usual time (mutmut's default of 15 made one run take hours).
        "timeout_multiplier = 4.0\n"
        "timeout_constant = 2.0\n"
    )
    (folder / "pyproject.toml").write_text(config, encoding="utf-8")
    return folder


def results(name: str, only: list[str] | None = None) -> dict[str, int | None]:
    module = MODULES[name]
    codes: dict[str, int | None] = {}
    for meta in sorted((WORK / name / "mutants").glob(module.source + ".meta")):
        codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    return {k: v for k, v in codes.items() if any(fnmatch(k, p) for p in module.functions)
            and (not only or any(fnmatch(k, p) for p in only))}


def diff(name: str, mutant: str) -> str:
    out = subprocess.run([str(MUTMUT), "show", mutant], cwd=WORK / name, capture_output=True,
                         text=True, check=False).stdout
    lines = [ln for ln in out.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
    return "\n".join("      " + ln for ln in lines)


def _natural(mutant: str) -> tuple[str, int]:
    head, _, number = mutant.rpartition("_")
    return head, int(number) if number.isdigit() else 0


def report(name: str, *, diffs: bool = True, only: list[str] | None = None) -> tuple[int, int]:
    module = MODULES[name]
    codes = results(name, only)
    if not codes:
        print(f"{name}: not run yet")
        return 0, 0
    status = Counter(CAUGHT.get(c, ALIVE.get(c, "not checked")) if c is not None
                     else "not checked" for c in codes.values())
    alive = sorted((k for k, c in codes.items() if c in ALIVE), key=_natural)
    total = len(codes)
    caught = total - len(alive) - status["not checked"]
    print(f"{name} ({module.source}): {total} mutants, {caught} caught "
          f"({status['killed']} killed, {status['timeout']} timeout), {len(alive)} alive "
          f"({status['survived']} survived, {status['no tests']} no tests), "
          f"{status['not checked']} not checked: {100 * len(alive) / total:.1f}% alive")
    for mutant in alive:
        print(f"  {ALIVE[codes[mutant] or 0]}: {mutant}")
        if diffs:
            print(diff(name, mutant))
    return total, len(alive)


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", "2")),
                    help="mutants tested at once (default 2, or $MUTATE_JOBS)")
    ap.add_argument("--report", action="store_true", help="print the last results only")
    ap.add_argument("--no-diffs", action="store_true", help="survivors' names only")
    ap.add_argument("--only", action="append", metavar="GLOB",
                    help="only the mutants whose names match (repeatable)")
    args = ap.parse_args()
    chosen = args.modules or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        ap.error(f"unknown module {', '.join(unknown)}; one of: {', '.join(MODULES)}")
    for name in chosen:
        if args.report:
            continue
        folder = prepare(name)
        log = folder / "mutmut.log"
        print(f"== {name} (mutmut's progress: {log.relative_to(ROOT)})", flush=True)
        with open(log, "w") as out:
            run = subprocess.run([str(MUTMUT), "run", "--max-children", str(args.jobs),
                                  *(args.only or MODULES[name].functions)], cwd=folder,
                                 check=False,
                                 stdout=out, stderr=subprocess.STDOUT)
        if run.returncode != 0:
            print(f"mutmut failed on {name} (exit {run.returncode}): see {log}")
            return run.returncode
        report(name, diffs=False, only=args.only)
    print()
    for name in chosen:
        report(name, diffs=not args.no_diffs, only=args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
