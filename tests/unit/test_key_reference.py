"""One key reference: the help screen and docs/keys.md come from the bindings."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from test_keys import interface_binding_ids

ROOT = Path(__file__).resolve().parents[2]


def keys_doc() -> ModuleType:
    spec = importlib.util.spec_from_file_location("keys_doc", ROOT / "tools" / "keys_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_keys_md_is_what_the_bindings_say(capsys: pytest.CaptureFixture[str]) -> None:
    code = keys_doc().main(["--check"])
    assert code == 0, capsys.readouterr().err


def test_the_check_fails_with_what_to_run_when_the_page_differs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tool = keys_doc()
    tool.DOC = tmp_path / "keys.md"
    tool.DOC.write_text(tool.render().replace("`line_down`", "`down`"), encoding="utf-8")
    assert tool.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "run python tools/keys_doc.py" in err and len(err.strip().splitlines()) == 1
    assert tool.main([]) == 0 and tool.main(["--check"]) == 0


def test_the_tool_writes_the_same_page_twice() -> None:
    tool = keys_doc()
    assert tool.render() == tool.render()


@pytest.mark.parametrize(("key", "typed"), [
    ("slash", "/"), ("right_square_bracket", "]"), ("left_parenthesis", "("),
    ("question_mark", "?"), ("plus", "+"), ("space", "space"), ("escape", "escape"),
    ("tab", "tab"), ("shift+tab", "shift+tab"), ("ctrl+s", "ctrl+s"), ("down", "↓"),
    ("pagedown", "PgDn"), ("home", "Home"), ("enter", "enter"), ("G", "G"),
    ("backslash", "\\"), ("quotation_mark", '"'), ("apostrophe", "'"),
])
def test_keys_are_shown_as_they_are_typed(key: str, typed: str) -> None:
    from reader.ui.key_names import shown

    assert shown(key) == typed


def test_every_binding_of_the_interface_is_in_the_key_reference() -> None:
    from textual.binding import Binding

    from reader.ui.key_reference import sections
    from reader.ui.rows import RowList

    listed = {row.binding_id for section in sections() for row in section.rows}
    # RowList is only a base: each list of rows replaces its keys with ids of its own.
    base = {b.id for b in RowList.BINDINGS if isinstance(b, Binding)}
    missing = sorted(set(interface_binding_ids()) - base - listed)
    assert not missing, f"add the classes of these bindings to reader/ui/key_reference.py's " \
                        f"places: {missing}"


def test_sections_come_in_the_order_asked_for_and_none_is_lost() -> None:
    from reader.ui.key_reference import sections

    every = [s.key for s in sections()]
    first = [s.key for s in sections(first=("library", "all_notes"))]
    assert first[:2] == ["library", "all_notes"] and sorted(first) == sorted(every)
    assert every[0] == "page" and all(s.rows for s in sections())
