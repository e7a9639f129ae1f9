"""Starting the app: arguments, missing vaults, first run, screenshots, and the Qt library check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from test_ui_support import PAGES

from ui import app, qtcheck
from wiki.core.paths import default_vault_path

ROOT = Path(__file__).resolve().parents[2]


def run_app(*args: str, env: dict | None = None, timeout: int = 180,
            module: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", module] if module else [sys.executable, str(ROOT / "main.py")]
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env=environment, check=False)


def assert_real_screenshot(path: Path) -> None:
    image = QImage(str(path))
    assert not image.isNull() and image.width() >= 800 and image.height() >= 500
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
               for y in range(0, image.height(), 23)}
    assert len(colours) > 8  # not a blank window


def test_missing_vault_folder_is_one_clear_line(tmp_path):
    missing = tmp_path / "no such vault"
    result = run_app("--vault", str(missing))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert lines == [f"commonplace: No vault at {missing}: the folder does not exist."]
    assert not missing.exists()


def test_screenshot_of_an_existing_vault_opens_the_requested_page(write_files, tmp_path):
    root = write_files(PAGES)
    shot = tmp_path / "shots" / "window.png"
    result = run_app("--vault", str(root), "--open", "Bee", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert_real_screenshot(shot)
    assert (root / ".wiki").is_dir()  # indexed on the way


def test_wiki_without_subcommand_opens_the_app(write_files, monkeypatch):
    from wiki.cli import main as cli

    root = write_files(PAGES)
    started = []
    monkeypatch.setattr(app, "run", lambda args: started.append(args) or 0)
    assert cli.main(["--vault", str(root)]) == 0
    assert len(started) == 1 and started[0].vault == str(root)


def test_first_run_compiles_the_seeds_into_the_default_vault(tmp_path):
    vault = default_vault_path()
    assert not vault.exists()
    shot = tmp_path / "first-run.png"
    result = run_app("--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert (vault / "index.md").is_file()
    assert_real_screenshot(shot)


def test_vault_choice_order(tmp_path, monkeypatch):
    last = tmp_path / "last"
    last.mkdir()
    assert app.choose_vault(str(tmp_path / "arg"), str(last)) == (tmp_path / "arg").resolve()
    assert app.choose_vault(None, str(last)) == last
    assert app.choose_vault(None, str(tmp_path / "gone")) == default_vault_path()
    assert app.choose_vault(None, None) == default_vault_path()
    monkeypatch.setenv("WIKI_VAULT", str(tmp_path / "env"))
    assert app.choose_vault(None, str(last)) == (tmp_path / "env").resolve()


def test_qtcheck_names_missing_libraries_and_packages(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(qtcheck, "missing_in", lambda lib: ["libEGL.so.1", "libxkbcommon.so.0"])
    message = qtcheck.problem()
    assert message is not None and "\n" not in message
    assert "libEGL.so.1, libxkbcommon.so.0" in message
    assert "sudo apt install libegl1 libxkbcommon0" in message
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert qtcheck.problem() is None


def test_qtcheck_package_guesses():
    assert qtcheck.apt_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert qtcheck.apt_package("libfoo.so.3") == "libfoo3"
    assert qtcheck.apt_package("libbar2.so.1") == "libbar2-1"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and xcb are Linux only")
def test_main_prints_one_line_when_qt_libraries_are_missing(tmp_path):
    fake_ldd = tmp_path / "bin" / "ldd"
    fake_ldd.parent.mkdir()
    fake_ldd.write_text("#!/bin/sh\necho '\tlibxcb-cursor.so.0 => not found'\n"
                        "echo '\tlibc.so.6 => /lib/libc.so.6'\n")
    fake_ldd.chmod(0o755)
    env = {"PATH": f"{fake_ldd.parent}{os.pathsep}{os.environ['PATH']}", "QT_QPA_PLATFORM": "xcb",
           "DISPLAY": ":99"}
    result = subprocess.run([sys.executable, str(ROOT / "main.py")], capture_output=True,
                            text=True, timeout=60, cwd=ROOT, env=dict(os.environ, **env),
                            check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Commonplace cannot start: Qt (xcb) needs missing system libraries libxcb-cursor.so.0 "
        "(on Debian/Ubuntu: sudo apt install libxcb-cursor0; "
        "on Fedora: sudo dnf install xcb-util-cursor)"
    ]
