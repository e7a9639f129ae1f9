"""wiki.core.fileio: one bounded read, one decoding policy, one atomic durable write."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from wiki.core.fileio import Unreadable, atomic_write, decode, read_bytes, read_text


def test_a_fifo_is_refused_at_once_instead_of_blocking(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    done = threading.Event()
    errors: list[str] = []

    def read() -> None:
        try:
            read_bytes(fifo, max_bytes=100)
        except Unreadable as exc:
            errors.append(str(exc))
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(5), "reading a FIFO blocked"
    assert errors == ["not a regular file"]


def test_a_device_is_refused_and_nothing_is_read_past_the_limit(tmp_path):
    with pytest.raises(Unreadable, match="not a regular file"):
        read_bytes("/dev/zero", max_bytes=10)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    data, st, truncated = read_bytes(big, max_bytes=1000)
    assert len(data) == 1000 and truncated and st.st_size == 5000


def test_a_file_is_read_whole_up_to_the_limit_whatever_its_stat_said(tmp_path, monkeypatch):
    exact = tmp_path / "exact.md"
    exact.write_bytes(b"y" * 1000)
    assert read_bytes(exact, max_bytes=1000)[0] == b"y" * 1000
    assert not read_bytes(exact, max_bytes=1000)[2]
    assert read_bytes(exact, max_bytes=999)[2]
    # A file that grew between its stat and the read (an editor still writing it), or that
    # says 0 bytes (/proc): read to its end, or to the limit.
    from wiki.core import fileio

    real_fstat = os.fstat

    def stale_fstat(fd):
        st = real_fstat(fd)
        return os.stat_result((*st[:6], 10, *st[7:]))  # st_size=10

    monkeypatch.setattr(fileio.os, "fstat", stale_fstat)
    grown = tmp_path / "grown.md"
    grown.write_bytes(b"z" * 200_000)
    assert read_bytes(grown, max_bytes=500_000)[0] == b"z" * 200_000
    data, _st, truncated = read_bytes(grown, max_bytes=150_000)
    assert data == b"z" * 150_000 and truncated
    monkeypatch.undo()
    cpuinfo = Path("/proc/self/status")
    if cpuinfo.exists() and cpuinfo.stat().st_size == 0:
        assert b"Name:" in read_bytes(cpuinfo, max_bytes=100_000)[0]


def test_a_symlink_inside_the_root_is_read_as_its_target(tmp_path):
    root = tmp_path / "vault"
    (root / "real").mkdir(parents=True)
    (root / "real" / "note.md").write_text("inside", encoding="utf-8")
    (root / "alias.md").symlink_to(root / "real" / "note.md")
    data, st, _ = read_bytes(root / "alias.md", max_bytes=100, root=root)
    assert data == b"inside" and st.st_size == 6 and stat.S_ISREG(st.st_mode)


def test_a_symlink_out_of_the_root_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("password", encoding="utf-8")
    root = tmp_path / "vault"
    root.mkdir()
    (root / "link.md").symlink_to(outside)
    with pytest.raises(Unreadable, match="outside the vault"):
        read_bytes(root / "link.md", max_bytes=100, root=root)
    assert read_bytes(root / "link.md", max_bytes=100)[0] == b"password"  # no root: allowed


@pytest.mark.parametrize("data, text, encoding, problem", [
    (b"plain ascii", "plain ascii", "utf-8", None),
    ("caf\xe9".encode(), "caf\xe9", "utf-8", None),
    (b"\xef\xbb\xbfbom", "bom", "utf-8", None),
    ("wide \u2014 text".encode("utf-16"), "wide \u2014 text", "utf-16", None),
    ("caf\xe9 au lait".encode("cp1252"), "caf\xe9 au lait", "cp1252",
     "not UTF-8: read as Windows-1252 text"),
])
def test_decoding_policy(data, text, encoding, problem):
    got = decode(data)
    assert (got.text, got.encoding, got.problem) == (text, encoding, problem)


def test_binary_is_binary_and_a_cut_character_is_not_an_error():
    assert decode(b"\x89PNG\r\n\x1a\n\x00\x00").binary
    assert decode(bytes(range(1, 9)) * 200).binary  # control characters, no NUL
    cut = "caf\xe9".encode()[:-1]
    got = decode(cut, truncated=True)
    assert got.text == "caf" and got.problem is None
    assert decode(cut).lossy or decode(cut).encoding == "cp1252"


def test_atomic_write_keeps_the_mode_and_leaves_no_temporary_file(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("old", encoding="utf-8")
    page.chmod(0o640)
    st = atomic_write(page, "new \u2014 text")
    assert page.read_text(encoding="utf-8") == "new \u2014 text"
    assert stat.S_IMODE(st.st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]
    assert read_text(page, max_bytes=100).text == "new \u2014 text"


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_text("old", encoding="utf-8")

    def boom(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(page, "new")
    assert page.read_text(encoding="utf-8") == "old"
    assert [p.name for p in Path(tmp_path).iterdir()] == ["page.md"]
