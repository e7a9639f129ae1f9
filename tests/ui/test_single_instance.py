"""A second launch on an open vault brings the running window to the front (on the page it
asked for) and exits, instead of opening a read-only copy."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtNetwork import QLocalServer
from test_ui_support import PAGES, close_window, make_window

from ui import single_instance

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def launch(root: Path, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COMMONPLACE_SKIP_QT_CHECK="1")
    return subprocess.Popen([sys.executable, str(MAIN), "--vault", str(root), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_exit(qtbot, proc: subprocess.Popen[str], timeout_ms: int = 60_000) -> tuple[str, str]:
    """Keep the event loop running (the window answers the socket) until ``proc`` ends."""
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=timeout_ms)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.communicate(timeout=10)


HAND_OVER = """
import sys
from PySide6.QtCore import QCoreApplication
from ui.single_instance import hand_over
app = QCoreApplication([])
sys.exit(0 if hand_over(sys.argv[1], sys.argv[2] or None, int(sys.argv[3])) else 3)
"""


def hand_over(qtbot, root: Path, page: str | None = None, timeout_ms: int = 1500) -> bool:
    """What a second launch sends, from another process, while this one's event loop lets
    the window answer."""
    proc = subprocess.Popen([sys.executable, "-c", HAND_OVER, str(root), page or "",
                             str(timeout_ms)], cwd=MAIN.parent, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = wait_exit(qtbot, proc)
    assert proc.returncode in (0, 3), (out, err)
    return proc.returncode == 0


def test_second_launch_focuses_the_running_window(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    window = make_window(qtbot, root, tmp_path / "s.ini")
    server = single_instance.serve(window)
    try:
        assert server.listen(str(root))  # what the window does when a vault opens
        window.showMinimized()
        started = time.monotonic()
        out, err = wait_exit(qtbot, launch(root, "--open", "Bee"))  # Beta's alias
        assert "brought it to the front" in out, (out, err)
        assert time.monotonic() - started < 30
        assert server.requests == 1
        qtbot.waitUntil(lambda: window.page_view.current_path == "notes/Beta.md",
                        timeout=10_000)
        assert not window.isMinimized()
        assert not window.session.ctx.vault.readonly  # and no second writer ever appeared
    finally:
        server.close()
        close_window(window, qtbot)


def test_a_launch_on_another_vault_is_not_handed_over(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    window = make_window(qtbot, root, tmp_path / "s.ini")
    server = single_instance.serve(window)
    try:
        assert server.listen(str(root))
        other = tmp_path / "other"
        other.mkdir()
        assert not hand_over(qtbot, other)  # nobody has that one open
        assert server.requests == 0
        assert hand_over(qtbot, root, "Gamma Ray")  # same vault: taken
        qtbot.waitUntil(lambda: window.page_view.current_path == "Gamma Ray.md",
                        timeout=10_000)
    finally:
        server.close()
        close_window(window, qtbot)


def test_switching_vaults_moves_the_listener(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    window = make_window(qtbot, root, tmp_path / "s.ini")
    server = single_instance.serve(window)
    other = tmp_path / "other"
    other.mkdir()
    (other / "Solo.md").write_text("# Solo\n", encoding="utf-8")
    try:
        assert server.listen(str(root))
        with qtbot.waitSignal(window.vault_opened, timeout=20_000):
            window.open_vault(other)
        assert server.root == os.path.realpath(other)
        assert not hand_over(qtbot, root, timeout_ms=500)
        assert hand_over(qtbot, other)
    finally:
        server.close()
        close_window(window, qtbot)


def test_a_stale_socket_of_a_dead_app_is_taken_over(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    name = single_instance.server_name(root)
    dead = QLocalServer()
    assert dead.listen(name)
    socket_file = dead.fullServerName()
    dead.close()  # what a crash leaves behind on Unix: the socket file, nobody listening
    if os.name != "nt" and not os.path.exists(socket_file):
        Path(socket_file).touch()
    window = make_window(qtbot, root, tmp_path / "s.ini")
    server = single_instance.serve(window)
    try:
        assert server.listen(str(root))
        assert hand_over(qtbot, root)
    finally:
        server.close()
        close_window(window, qtbot)
