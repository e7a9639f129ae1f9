"""Debouncer timing and FileSettler decisions, tested directly (generous margins, no tight
timing asserts)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from support import wait_until

from wiki.watch.debounce import CREATED, WRITTEN, Debouncer, FileSettler


class Recorder:
    def __init__(self) -> None:
        self.batches: list[set[str]] = []
        self.lock = threading.Lock()

    def __call__(self, paths: set[str]) -> None:
        with self.lock:
            self.batches.append(set(paths))

    def delivered(self) -> list[str]:
        with self.lock:
            return [p for batch in self.batches for p in batch]


@pytest.fixture
def rec():
    return Recorder()


def test_single_touch_is_delivered_once_after_the_quiet_window(rec):
    deb = Debouncer(0.3, 2.0, on_ready=rec)
    try:
        deb.touch("a.md")
        assert rec.delivered() == []  # not at once
        assert wait_until(lambda: rec.delivered() == ["a.md"])
        time.sleep(0.5)
        assert rec.batches == [{"a.md"}]
        assert deb.pending() == 0
    finally:
        deb.close()


def test_events_keep_a_path_pending_until_quiet(rec):
    deb = Debouncer(0.5, 30.0, on_ready=rec)
    try:
        for _ in range(20):  # 1 s of events 0.05 s apart: never quiet for 0.5 s
            deb.touch("a.md")
            time.sleep(0.05)
        assert rec.delivered() == []
        assert wait_until(lambda: rec.delivered() == ["a.md"])
    finally:
        deb.close()


def test_ceiling_delivers_a_path_that_never_goes_quiet(rec):
    deb = Debouncer(0.3, 0.6, on_ready=rec)
    try:
        end = time.monotonic() + 3.0
        while time.monotonic() < end:
            deb.touch("busy.md")
            time.sleep(0.03)
        # 3 s of continuous events with a 0.6 s ceiling: delivered several times meanwhile
        assert len(rec.delivered()) >= 2
        assert set(rec.delivered()) == {"busy.md"}
    finally:
        deb.close()


def test_burst_of_a_thousand_paths_comes_in_a_few_batches(rec):
    deb = Debouncer(0.3, 2.0, on_ready=rec)
    try:
        paths = [f"notes/n{i}.md" for i in range(1000)]
        for i, path in enumerate(paths):
            deb.touch(path)
            deb.touch(path)  # duplicates coalesce
            if i % 100 == 0:
                time.sleep(0.02)
        assert wait_until(lambda: len(rec.delivered()) >= 1000)
        time.sleep(0.4)
        delivered = rec.delivered()
        assert sorted(delivered) == sorted(paths)  # each exactly once
        assert len(rec.batches) <= 20
        assert deb.batches == len(rec.batches)
    finally:
        deb.close()


def test_touch_from_many_threads(rec):
    deb = Debouncer(0.2, 1.0, on_ready=rec)
    try:
        def touch_some(k: int) -> None:
            for i in range(200):
                deb.touch(f"t{k}/{i}.md")

        threads = [threading.Thread(target=touch_some, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert wait_until(lambda: len(rec.delivered()) >= 800)
        assert len(set(rec.delivered())) == 800 == len(rec.delivered())
    finally:
        deb.close()


def test_flush_delivers_at_once_and_close_drops_pending(rec):
    deb = Debouncer(5.0, 10.0, on_ready=rec)
    deb.touch("a.md")
    deb.flush()
    assert wait_until(lambda: rec.delivered() == ["a.md"], timeout=3)
    deb.touch("b.md")
    deb.close()
    time.sleep(0.2)
    assert rec.delivered() == ["a.md"]
    deb.touch("c.md")  # ignored after close
    assert deb.pending() == 0


def test_close_with_flush_delivers_pending(rec):
    deb = Debouncer(5.0, 10.0, on_ready=rec)
    deb.touch_many(["a.md", "b.md"])
    deb.close(flush=True)
    assert rec.batches == [{"a.md", "b.md"}]


def test_a_failing_callback_does_not_stop_delivery():
    seen: list[set[str]] = []

    def flaky(paths: set[str]) -> None:
        seen.append(paths)
        if len(seen) == 1:
            raise RuntimeError("boom")

    deb = Debouncer(0.1, 1.0, on_ready=flaky)
    try:
        deb.touch("a.md")
        assert wait_until(lambda: len(seen) == 1)
        deb.touch("b.md")
        assert wait_until(lambda: len(seen) == 2)
        assert seen == [{"a.md"}, {"b.md"}]
    finally:
        deb.close()


def test_bad_settings_are_refused(rec):
    with pytest.raises(ValueError):
        Debouncer(0.0, 1.0, on_ready=rec)
    with pytest.raises(ValueError):
        Debouncer(2.0, 1.0, on_ready=rec)


# -- FileSettler: is a changed file complete? (real files; events recorded as the watcher does)


def test_settler_a_page_without_open_writes_is_ready_at_once(tmp_path: Path):
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    settler = FileSettler(tmp_path)
    assert settler.ready("a.md", strict=False)
    assert settler.ready("gone.md", strict=False)  # deleted: ready (to be dropped)


def test_settler_raw_file_needs_two_equal_checks(tmp_path: Path):
    path = tmp_path / "r.txt"
    path.write_text("part one", encoding="utf-8")
    settler = FileSettler(tmp_path)
    assert not settler.ready("r.txt", strict=True)  # first look: remember size and mtime
    with open(path, "a", encoding="utf-8") as out:
        out.write(" and part two")
    assert not settler.ready("r.txt", strict=True)  # it changed: look again later
    assert settler.ready("r.txt", strict=True)  # unchanged across two checks


def test_settler_waits_for_the_close_of_a_file_held_open(tmp_path: Path):
    settler = FileSettler(tmp_path, grace=30)
    with open(tmp_path / "r.txt", "w", encoding="utf-8") as out:
        settler.event("r.txt", strict=True, writing=CREATED)
        out.write("chunk")
        out.flush()
        settler.event("r.txt", strict=True, writing=WRITTEN)
        for _ in range(3):  # idle writer, file open: never ready
            assert not settler.ready("r.txt", strict=True)
    settler.event("r.txt", strict=True, complete=True)  # the close-after-write event
    assert settler.ready("r.txt", strict=True)


def test_settler_grace_ends_the_wait_when_no_close_comes(tmp_path: Path):
    (tmp_path / "a.md").write_text("", encoding="utf-8")
    settler = FileSettler(tmp_path, grace=0.3)
    settler.event("a.md", strict=False, writing=CREATED)
    assert not settler.ready("a.md", strict=False)
    assert not settler.ready("a.md", strict=False)  # still empty: someone may write it
    time.sleep(0.4)
    assert settler.ready("a.md", strict=False)


def test_settler_without_close_events_does_not_wait_for_one(tmp_path: Path):
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    settler = FileSettler(tmp_path, grace=30)
    settler.use_close = False  # polling
    settler.event("a.md", strict=False, writing=WRITTEN)
    assert settler.ready("a.md", strict=False)
