"""The two-phase first open: the vault is navigable before the full-text index is built, search
answers from what is indexed so far and says how far it is, and an interrupted first open
resumes where it stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiki.vault import backlog
from wiki.vault.facade import Vault

N = 1_300  # three index batches: 500, 1,000 (cut to the 800 left)


def _write_vault(root: Path, n: int = N) -> None:
    (root / "notes").mkdir(parents=True)
    for i in range(n):
        links = f"See [[Note {(i + 1) % n}]] and [[Hub]]."
        word = "zanzibar" if i % 2 == 0 else "quokka"
        (root / "notes" / f"Note {i}.md").write_text(
            f"---\naliases: [N{i}]\ntags: [t{i % 7}]\n---\n# Note {i}\n\n{links}\n\n"
            f"A {word} paragraph about note number {i}.\n", encoding="utf-8")
    (root / "Hub.md").write_text("# Hub\n\nEverything links here.\n", encoding="utf-8")


class Interrupted(Exception):
    pass


def test_pages_and_backlinks_answer_before_search_and_search_fills_in(tmp_path):
    _write_vault(tmp_path)
    with Vault.open(tmp_path) as vault:
        vault.refresh(search_later=True)

        # Phase 1 is done: names, aliases, tags, links and backlinks answer ...
        assert vault.page_count() == N + 1
        assert vault.find_page("N17") == "notes/Note 17.md"
        assert {m.path for m in vault.backlinks("notes/Note 18.md")} == {"notes/Note 17.md"}
        assert len(vault.backlinks("Hub.md")) == N
        assert [r.path for r in vault.outgoing("notes/Note 3.md")] == \
            ["notes/Note 4.md", "Hub.md"]
        # ... while the full-text index is still empty, and search says so.
        assert vault.search_progress() == (0, N + 1)
        early = vault.search("zanzibar")
        assert early.hits == [] and (early.indexed, early.index_total) == (0, N + 1)

        seen: list[tuple[int, int, int | None]] = []

        def progress(done: int, total: int, message: str) -> None:
            if message.startswith("indexed ") and (not seen or seen[-1][0] != done):
                res = vault.search("zanzibar", limit=2000)  # while the index is being built
                seen.append((done, res.total, res.indexed))
                assert message == backlog.progress_text(done, total)

        assert vault.fill_search_index(progress) is True
        # Search never claims more than is indexed, and while the index is being built it
        # finds the pages indexed so far (a partial answer, labelled as such).
        assert all(indexed is None or indexed <= done for done, _, indexed in seen)
        partial = [(found, indexed) for _, found, indexed in seen
                   if indexed is not None and 0 < indexed < N + 1]
        assert partial, seen
        found, indexed = partial[0]
        assert indexed >= backlog.FIRST_BATCH
        assert 0 < found < (N + 1) // 2
        # When the fill is done, search sees everything and is no longer partial.
        assert vault.search_progress() is None
        final = vault.search("zanzibar", limit=2000)
        assert final.total == (N + 1) // 2 and final.indexed is None
        assert vault.search("quokka").total == N // 2


def test_an_interrupted_first_open_resumes_where_it_stopped(tmp_path):
    _write_vault(tmp_path)
    vault = Vault.open(tmp_path)
    vault.refresh(search_later=True)

    def crash_after_first_batch(done: int, total: int, message: str) -> None:
        if done >= backlog.FIRST_BATCH and vault.index.doc_count() >= backlog.FIRST_BATCH:
            raise Interrupted  # the app was killed here: one batch committed, the rest not

    with pytest.raises(Interrupted):
        vault.fill_search_index(crash_after_first_batch)
    vault.close()

    with Vault.open(tmp_path) as again:
        assert not again.warnings  # nothing to rebuild: the graph was complete
        assert again.page_count() == N + 1  # navigable at once, from the store
        done, total = again.search_progress() or (0, 0)
        assert done == backlog.FIRST_BATCH and total == N + 1
        reported: list[int] = []
        summary = again.refresh(lambda d, t, m: reported.append(d))
        assert not summary.rebuilt  # resumed, not started over
        assert reported and min(reported) > backlog.FIRST_BATCH
        assert again.search_progress() is None
        assert again.index.doc_count() == N + 1
        assert again.search("zanzibar", limit=2000).total == (N + 1) // 2


def test_close_stops_the_fill_and_the_next_open_finishes_it(tmp_path):
    _write_vault(tmp_path)
    vault = Vault.open(tmp_path)
    vault.refresh(search_later=True)
    vault._stop.set()  # what close() does first, from another thread, while the fill runs
    assert vault.fill_search_index() is False
    vault.close()
    with Vault.open(tmp_path) as again:
        assert again.search_progress() is not None
        again.refresh()
        assert again.search_progress() is None
        assert again.search("quokka").total == N // 2


def test_a_plain_refresh_still_builds_everything(tmp_path):
    _write_vault(tmp_path, 40)
    with Vault.open(tmp_path) as vault:
        vault.refresh()
        assert vault.search_progress() is None
        assert vault.search("zanzibar").total == 20


def test_a_read_only_process_sees_how_far_the_writer_is(tmp_path):
    _write_vault(tmp_path, 40)
    with Vault.open(tmp_path) as writer:
        writer.refresh(search_later=True)
        with Vault.open(tmp_path) as reader:
            assert reader.readonly
            assert reader.index_being_built()
            assert reader.search_progress() == (0, 41)
            writer.fill_search_index()
            assert not reader.index_being_built()
            assert reader.search_progress() is None


def test_a_big_first_open_is_indexed_by_worker_processes(tmp_path, monkeypatch):
    """Past PARALLEL_MIN pages the backlog is built by two worker processes, each part taken
    in by one commit: navigable first, search partial and labelled while it fills in."""
    from wiki.search.whoosh_internals.segments import segment_count

    monkeypatch.setattr(backlog, "PARALLEL_MIN", 1_000)
    monkeypatch.setattr(backlog, "worker_count", lambda: 2)
    monkeypatch.setattr(backlog, "MAX_PART", 400)
    _write_vault(tmp_path)
    with Vault.open(tmp_path) as vault:
        vault.refresh(search_later=True)
        assert len(vault.backlinks("Hub.md")) == N and vault.search_progress() == (0, N + 1)
        seen: list[tuple[int, int, int | None]] = []

        def progress(done: int, total: int, message: str) -> None:
            res = vault.search("zanzibar", limit=2000)
            seen.append((done, res.total, res.indexed))

        assert vault.fill_search_index(progress) is True
        partial = [(found, indexed) for _, found, indexed in seen
                   if indexed is not None and 0 < indexed < N + 1]
        assert partial and all(0 < found < (N + 1) // 2 + 1 for found, _ in partial)
        assert vault.search_progress() is None
        assert vault.search("zanzibar", limit=2000).total == (N + 1) // 2
        assert vault.search("quokka", limit=2000).total == N // 2
        assert vault.index.all_paths() == {p.path for p in vault.pages()}
        # the first batch (this process), then parts of 400 pages (the workers)
        assert segment_count(vault.index._ix) == 1 + len(backlog.part_chunks(
            [""] * (N + 1 - backlog.FIRST_BATCH), largest=400))
    with Vault.open(tmp_path) as again:
        assert not again.warnings and again.search_progress() is None
        assert again.search("quokka", limit=2000).total == N // 2


def test_worker_processes_that_fail_leave_the_work_to_this_process(tmp_path, monkeypatch,
                                                                   caplog):
    import functools

    from support import read_page_failing_in_workers

    monkeypatch.setattr(backlog, "PARALLEL_MIN", 1_000)
    monkeypatch.setattr(backlog, "worker_count", lambda: 2)
    monkeypatch.setattr("wiki.vault.facade.read_page", functools.partial(
        read_page_failing_in_workers))
    _write_vault(tmp_path)
    with Vault.open(tmp_path) as vault:
        vault.refresh(search_later=True)
        assert vault.fill_search_index() is True
        assert "indexing the rest in this process" in caplog.text
        assert vault.index.doc_count() == N + 1
        assert vault.search("zanzibar", limit=2000).total == (N + 1) // 2


def test_pages_read_by_worker_processes_give_the_same_graph(tmp_path, monkeypatch):
    """Phase 1 on every core: the rows read by worker processes equal those read here."""
    from wiki.vault import first_read

    _write_vault(tmp_path)
    paths = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md"))
    here = list(first_read.stored_rows(tmp_path, paths, procs=1))
    monkeypatch.setattr(first_read, "PARALLEL_MIN", 100)
    monkeypatch.setattr(first_read, "CHUNK", 300)
    done: list[int] = []
    there = list(first_read.stored_rows(tmp_path, paths, procs=2, progress=done.append))
    assert there == here and len(here) == N + 1
    assert done == [300, 600, 900, 1200, N + 1]
    with Vault.open(tmp_path) as vault:  # and a first open with them
        monkeypatch.setattr(first_read, "worker_count", lambda: 2)
        vault.refresh(search_later=True)
        assert len(vault.backlinks("Hub.md")) == N
        assert vault.find_page("N17") == "notes/Note 17.md"
        assert [r.path for r in vault.outgoing("notes/Note 3.md")] == \
            ["notes/Note 4.md", "Hub.md"]


def test_pages_are_read_here_when_the_worker_processes_fail(tmp_path, monkeypatch, caplog):
    from support import rows_failing_in_workers

    from wiki.vault import first_read

    _write_vault(tmp_path, 200)
    paths = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md"))
    monkeypatch.setattr(first_read, "PARALLEL_MIN", 10)
    monkeypatch.setattr(first_read, "CHUNK", 50)
    monkeypatch.setattr(first_read, "packed_rows_of", rows_failing_in_workers)
    rows = list(first_read.stored_rows(tmp_path, paths, procs=2))
    assert "reading the rest here" in caplog.text
    assert [r.info.path for r in rows] == paths
    assert rows == list(first_read.stored_rows(tmp_path, paths, procs=1))


def test_a_warm_pool_is_taken_by_the_first_read_and_let_go_when_nobody_comes(tmp_path,
                                                                            monkeypatch):
    """The app starts phase 1's workers while its window is built (first_read.warm_up): the
    read takes them, lets them go when it has too few pages for them, and workers nobody
    came for are shut down after a while."""
    import time

    from wiki.vault import first_read

    _write_vault(tmp_path, 200)
    paths = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.md"))
    monkeypatch.setattr(first_read, "PARALLEL_MIN", 10)
    monkeypatch.setattr(first_read, "CHUNK", 50)
    assert first_read.warm_up(2)
    assert not first_read.warm_up(2)  # one warm pool at a time
    rows = list(first_read.stored_rows(tmp_path, paths, procs=2))
    assert [r.info.path for r in rows] == paths
    assert rows == list(first_read.stored_rows(tmp_path, paths, procs=1))
    assert first_read.take_warm_pool(2) is None  # the read took it
    assert first_read.warm_up(2)
    assert len(list(first_read.stored_rows(tmp_path, paths[:5], procs=2))) == 5  # read here
    assert first_read._warm is None  # too few pages for the workers: let go at once

    monkeypatch.setattr(first_read, "WARM_IDLE_S", 0.3)
    assert first_read.warm_up(2)
    warm = first_read._warm
    assert warm is not None
    deadline = time.monotonic() + 10
    while len(warm[0]._processes) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = list(warm[0]._processes.values())
    assert len(workers) == 2
    while first_read._warm is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first_read._warm is None
    for worker in workers:
        worker.join(10)
    assert not any(w.is_alive() for w in workers)
