"""reader/keys.py lists the binding ids of the interface, for headless commands."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from reader.keys import BINDING_IDS


def interface_binding_ids() -> dict[str, str]:
    """Every binding id of a class in reader/ui -> the class that has it."""
    from textual.binding import Binding

    import reader.ui

    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(reader.ui.__path__, "reader.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith("reader.ui"):
                continue
            for b in cls.__dict__.get("BINDINGS", ()):
                if isinstance(b, Binding) and b.id:
                    found.setdefault(b.id, f"{cls.__module__}.{cls.__qualname__}")
    return found


def test_reader_keys_lists_every_binding_id_of_the_interface() -> None:
    found = interface_binding_ids()
    missing = sorted(set(found) - BINDING_IDS)
    assert not missing, (
        "add these binding ids to BINDING_IDS in reader/keys.py (reader config checks "
        "[keys] against it without importing Textual): "
        + ", ".join(f"{i} ({found[i]})" for i in missing))
    gone = sorted(BINDING_IDS - set(found))
    assert not gone, ("remove these ids from BINDING_IDS in reader/keys.py: no binding in "
                      f"reader/ui has them any more: {', '.join(gone)}")


def test_the_interface_has_bindings_to_check() -> None:
    assert {"line_down", "panel.toggle", "app.quit"} <= set(interface_binding_ids())
