"""`wiki watch` through the real entry point: one line per change, clean stop on signals."""

from __future__ import annotations

import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import REPO, popen_wiki


class WatchProcess:
    def __init__(self, vault: Path) -> None:
        self.proc = popen_wiki("watch", vault=vault)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, wanted: str, timeout: float = 20.0) -> str:
        """Wait for a line starting with ``wanted``; return it."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if line.startswith(wanted):
                return line
        raise AssertionError(f"no line starting {wanted!r}; saw {self.seen}")

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str]:
        self.proc.send_signal(sig)
        self.proc.wait(30)
        assert self.proc.stderr is not None
        return self.proc.returncode, self.proc.stderr.read()


@pytest.fixture
def watching(vault_dir: Path) -> Iterator[WatchProcess]:
    (vault_dir / "notes").mkdir()
    (vault_dir / "notes/a.md").write_text("# A\n\nalpha\n", encoding="utf-8")
    proc = WatchProcess(vault_dir)
    proc.expect("watching")
    proc.expect("rebuilt the index (1 pages)")
    yield proc
    if proc.proc.poll() is None:
        proc.proc.kill()
        proc.proc.wait(30)


def test_prints_one_line_per_change_and_stops_on_ctrl_c(watching: WatchProcess,
                                                        vault_dir: Path):
    (vault_dir / "notes/b.md").write_text("# B\n\nbravo\n", encoding="utf-8")
    watching.expect("indexed notes/b.md")
    (vault_dir / "notes/b.md").unlink()
    watching.expect("removed notes/b.md")
    code, stderr = watching.stop(signal.SIGINT)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    watching.expect("stopping", timeout=5)


def test_compiles_raw_articles_and_stops_on_sigterm(watching: WatchProcess, vault_dir: Path,
                                                    seeds_dir: Path):
    (vault_dir / "raw").mkdir()
    shutil.copy(seeds_dir / "004_f826b17d9f37c0ee.txt", vault_dir / "raw/profile.txt")
    line = watching.expect("compiled raw/profile.txt -> ", timeout=30)
    assert "sources/Posts by Dan Mason (@danmason).md" in line and "pages)" in line
    watching.expect("indexed people/Julian Schrittwieser.md")
    code, stderr = watching.stop(signal.SIGTERM)
    assert code == 0, stderr
    assert "Traceback" not in stderr


def test_missing_vault_is_one_clear_line(tmp_path: Path):
    out = subprocess.run([sys.executable, "-m", "wiki", "watch", "--vault",
                          str(tmp_path / "nowhere")], capture_output=True, text=True, cwd=REPO,
                         timeout=60)
    assert out.returncode == 2
    assert "no vault at" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "nowhere").exists()
