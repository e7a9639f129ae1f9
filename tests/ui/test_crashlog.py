"""A native crash leaves the Python stacks in crash.log in the user's state folder."""

from __future__ import annotations

import os
import subprocess
import sys

from test_ui_app import ROOT, run_app

from ui import crashlog


def test_starting_the_app_enables_the_crash_log(write_files, tmp_path):
    root = write_files({"Bee.md": "# Bee\n\nA page.\n"})
    state = tmp_path / "state"
    result = run_app("--vault", str(root), "--open", "Bee", "--screenshot",
                     str(tmp_path / "shot.png"), env={"XDG_STATE_HOME": str(state)})
    assert result.returncode == 0, result.stderr
    log = state / "Commonplace" / "crash.log"
    assert log.read_text().startswith("--- Commonplace started ")


def test_a_segfault_is_written_to_the_log(tmp_path):
    state = tmp_path / "state"
    code = ("from ui import crashlog; crashlog.enable(); import ctypes; ctypes.string_at(0)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=False,
                         env=dict(os.environ, XDG_STATE_HOME=str(state)))
    assert run.returncode != 0
    text = (state / "Commonplace" / "crash.log").read_text()
    assert "Fatal Python error: Segmentation fault" in text
    assert 'File "<string>", line 1' in text


def test_a_big_log_is_rotated_and_an_unwritable_folder_is_no_error(tmp_path, monkeypatch):
    path = tmp_path / "crash.log"
    path.write_text("x" * (crashlog.MAX_BYTES + 1))
    assert crashlog.enable(path) == path
    assert (tmp_path / "crash.log.1").stat().st_size == crashlog.MAX_BYTES + 1
    assert path.read_text().startswith("--- Commonplace started")
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert crashlog.enable(blocked / "crash.log") is None  # a file where the folder should be
    assert crashlog.log_path().name == "crash.log"


def teardown_module() -> None:
    import faulthandler

    faulthandler.enable(all_threads=True)  # the test run's own faulthandler goes to stderr
