"""Shared fixtures: real temporary vaults on disk; Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(autouse=True)
def _isolate_user_dirs(tmp_path_factory, monkeypatch):
    """Tests never touch the user's real default vault or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.delenv("WIKI_VAULT", raising=False)


WriteFiles = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    return root


@pytest.fixture
def write_files(vault_dir: Path) -> WriteFiles:
    """Write {relative path: text or bytes} into the temporary vault and return its root."""

    def write(files: dict[str, str | bytes]) -> Path:
        for rel, content in files.items():
            target = vault_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return vault_dir

    return write


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def window(qtbot, write_files, tmp_path):
    """The app's main window on a small linked vault (tests/test_ui_support.PAGES), closed
    afterwards; imports Qt only for the tests that use it."""
    from test_ui_support import PAGES, close_window, make_window

    win = make_window(qtbot, write_files(PAGES), tmp_path / "settings.ini")
    yield win
    if win.session is not None and win.session.page_view.is_editing():
        win.session.page_view._leave_editor()  # a failed test must not leave a dialog up
    close_window(win, qtbot)


@pytest.fixture
def open_vault():
    """Open (and refresh) a vault on a folder; every vault opened is closed afterwards."""
    from wiki.vault.facade import Vault

    opened: list = []

    def do(root):
        v = Vault.open(root)
        v.refresh()
        opened.append(v)
        return v

    yield do
    for v in opened:
        v.close()
