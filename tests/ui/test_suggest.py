"""Path completion in the library's "open a file" box."""

from __future__ import annotations

from pathlib import Path

from reader.ui.suggest import complete_path


def test_completion_offers_folders_first_then_article_files(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "news.txt").write_text("x", encoding="utf-8")
    (tmp_path / "nothing.png").write_bytes(b"x")
    assert complete_path(f"{tmp_path}/n") == f"{tmp_path}/notes/"
    assert complete_path(f"{tmp_path}/ne") == f"{tmp_path}/news.txt"
    assert complete_path(f"{tmp_path}/not") == f"{tmp_path}/notes/"
    assert complete_path(f"{tmp_path}/noth") is None  # not an article


def test_completion_keeps_a_typed_tilde_and_hides_dot_files(tmp_path: Path,
                                                           monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    home = tmp_path / "user"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    (home / ".hidden.txt").write_text("x", encoding="utf-8")
    (home / "book.epub").write_bytes(b"x")
    assert complete_path("~/b") == "~/book.epub"
    assert complete_path("~/") == "~/book.epub"
    assert complete_path("~/.h") == "~/.hidden.txt"
    assert complete_path("/no/such/folder/x") is None


def test_a_folder_that_cannot_be_entered_is_skipped_not_a_crash(
        tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    (tmp_path / "locked").mkdir()
    (tmp_path / "letter.txt").write_text("x", encoding="utf-8")
    real = Path.is_dir

    def is_dir(self: Path) -> bool:
        if self.name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    assert complete_path(f"{tmp_path}/l") == f"{tmp_path}/letter.txt"
    assert complete_path("bad\x00name") is None
