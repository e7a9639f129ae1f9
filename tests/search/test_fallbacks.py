"""When a Whoosh internal that the fast paths rely on changes, search and build still work: the
fault is logged once and Whoosh's own collector and writer take over, with the same results."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bench.bench_index import load_pages
from bench.synth import make_vault
from wiki.core.model import Page
from wiki.search import index as search_index
from wiki.search.index import SearchIndex
from wiki.search.whoosh_internals import bulk, fast_postings, fastsearch, flat_build, probe

QUERIES = ["memory", "memory data", "learn*", "memory NOT data", '"memory of"',
           "tag:ml memory", "title:memory", "path:concepts/ data", "café"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Page]:
    root = tmp_path_factory.mktemp("fallback") / "vault"
    make_vault(root, 120)
    got, _ = load_pages(root)
    return got + [Page("Café.md", "Café", "Un café au lait, s'il vous plaît. Memory of Paris.")]


@pytest.fixture(autouse=True)
def fresh_probes():
    """Each test probes again (the probes run once per process), and leaves no verdict behind."""
    search_index.fast_search_fault.cache_clear()
    search_index.bulk_writer_fault.cache_clear()
    yield
    search_index.fast_search_fault.cache_clear()
    search_index.bulk_writer_fault.cache_clear()


def built(tmp_path: Path, pages: list[Page], name: str = "ix") -> SearchIndex:
    ix = SearchIndex(tmp_path / name)
    ix.open()
    ix.build(pages, total=len(pages))
    return ix


def answers(ix: SearchIndex) -> list[tuple]:
    out = []
    for q in QUERIES:
        res = ix.search(q)
        assert res.error is None, (q, res.error)
        out.append((res.total, [(h.path, round(h.score, 4), h.snippet, h.terms)
                                for h in res.hits]))
    return out


def broken(*_args, **_kwargs):
    raise AttributeError("'W3LeafMatcher' object has no attribute '_data'")


def test_a_fast_path_failing_mid_search_falls_back_to_whoosh_with_the_same_hits(
        tmp_path, pages, monkeypatch, caplog):
    ix = built(tmp_path, pages)
    want = answers(ix)
    assert all(total for total, _ in want)
    calls = []

    def failing(self, field, tb):
        calls.append(tb)
        broken()

    monkeypatch.setattr(fastsearch._Segment, "postings", failing)
    with caplog.at_level(logging.WARNING, logger="wiki.search.index"):
        got = answers(ix)
    assert got == want  # same pages, order, scores, snippets: not "search failed"
    assert len(calls) == 1  # tried once, then the fast path stays off for this index
    faults = [r for r in caplog.records if "fast path failed" in r.getMessage()]
    assert len(faults) == 1 and "_data" in faults[0].getMessage()
    ix.close()


def test_a_fault_in_the_highlighting_read_falls_back_too(tmp_path, pages, monkeypatch):
    ix = built(tmp_path, pages)
    want = answers(ix)
    monkeypatch.setattr(fastsearch.Ranked, "term_chars", broken)
    assert answers(ix) == want
    ix.close()


def test_the_probe_at_open_finds_a_broken_internal(tmp_path, pages, monkeypatch, caplog):
    monkeypatch.setattr(fastsearch._Segment, "_lengths", broken)
    with caplog.at_level(logging.WARNING, logger="wiki.search.index"):
        ix = built(tmp_path, pages, "broken")
    assert ix._fast_fault and "AttributeError" in ix._fast_fault
    assert any("collector answers every search" in r.getMessage() for r in caplog.records)
    got = answers(ix)
    monkeypatch.undo()
    search_index.fast_search_fault.cache_clear()
    healthy = built(tmp_path, pages, "healthy")
    assert healthy._fast_fault is None
    assert answers(healthy) == got
    ix.close()
    healthy.close()


def test_the_probe_catches_wrong_scores_not_only_exceptions(monkeypatch):
    original = fastsearch._Segment.term
    monkeypatch.setattr(fastsearch._Segment, "term",
                        lambda self, f, t, boost=1.0: original(self, f, t, boost).scaled(2.0))
    fault = search_index.fast_search_fault()
    assert fault and "otherwise than Whoosh" in fault


def test_the_probe_checks_the_flat_posting_arrays_too(monkeypatch):
    assert search_index.fast_search_fault() is None
    search_index.fast_search_fault.cache_clear()
    original = fast_postings.FastPostings.get

    def doubled(self, field, tb):
        got = original(self, field, tb)
        return None if got is None else (got[0], got[1] * 2)

    monkeypatch.setattr(fast_postings.FastPostings, "get", doubled)
    fault = search_index.fast_search_fault()
    assert fault and "otherwise than Whoosh" in fault


@pytest.mark.parametrize("where", ["add_document", "commit"])
def test_a_bulk_writer_failing_mid_build_falls_back_to_whoosh_writer(
        tmp_path, pages, monkeypatch, caplog, where):
    want = answers(built(tmp_path, pages, "reference"))
    if where == "add_document":
        seen = []

        def fail_later(*args):  # fails on the 50th page: the first 49 must not be lost
            seen.append(1)
            if len(seen) >= 50 * 4:
                broken()
            return original(*args)

        original = flat_build.FlatFieldBuilder.add
        monkeypatch.setattr(flat_build.FlatFieldBuilder, "add", fail_later)
    else:
        monkeypatch.setattr(bulk, "_fill_postings", broken)
    with caplog.at_level(logging.WARNING, logger="wiki.search.index"):
        ix = built(tmp_path, pages)
    assert any("bulk writer failed" in r.getMessage() for r in caplog.records)
    assert ix.doc_count() == len(pages)
    assert answers(ix) == want
    ix.close()


def test_the_bulk_probe_catches_a_different_index(tmp_path, pages, monkeypatch, caplog):
    monkeypatch.setattr(bulk, "_quantised", lambda n: n + 1)  # lengths off by one: wrong scores
    fault = probe.probe_bulk_writer(search_index.make_schema(), probe.sample_documents())
    assert fault == "the bulk writer built another index than Whoosh's writer"
    with caplog.at_level(logging.WARNING, logger="wiki.search.index"):
        ix = built(tmp_path, pages)
    assert any("building with Whoosh's own writer" in r.getMessage() for r in caplog.records)
    monkeypatch.undo()
    search_index.bulk_writer_fault.cache_clear()
    assert answers(ix) == answers(built(tmp_path, pages, "reference"))


def test_a_probe_index_whoosh_itself_cannot_build_is_no_verdict(monkeypatch):
    original = probe._build
    failures = {"left": 1}

    def flaky(schema, docs, bulk_writer):
        if not bulk_writer and failures["left"]:
            failures["left"] -= 1
            raise ValueError("This file is already closed")
        return original(schema, docs, bulk_writer)

    monkeypatch.setattr(probe, "_build", flaky)
    assert search_index.fast_search_fault() is None  # tried again, and it probed
    failures["left"] = 10
    search_index.fast_search_fault.cache_clear()
    assert search_index.fast_search_fault() is None  # Whoosh's own failure: no verdict
    failures["left"] = 10
    assert probe.probe_bulk_writer(search_index.make_schema(), probe.sample_documents()) is None


def test_probes_running_at_once_do_not_fail_each_other(tmp_path, monkeypatch):
    """A search's probe and a build's probe on two threads (or two processes) at the same
    time: Whoosh kept the probe index's temporary files in /tmp/PROBE.tmp, shared by all of
    them, and one deleted the other's (3 in 30 pairs failed), leaving that process on Whoosh's
    slow paths. Each probe now keeps them in its own memory."""
    import tempfile
    import threading

    from wiki.search.query import make_parser, rewrite
    from wiki.search.schema import make_schema

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where Whoosh put them
    faults: list[str | None] = []

    def build_probe() -> None:
        faults.append(probe.probe_bulk_writer(make_schema(), probe.sample_documents()))

    def search_probe() -> None:
        schema = make_schema()
        parser = make_parser(schema)
        faults.append(probe.probe_fast_search(schema, probe.sample_documents(),
                                              lambda qs: rewrite(parser.parse(qs))))

    for _ in range(20):
        threads = [threading.Thread(target=f) for f in (build_probe, search_probe, build_probe)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert faults == [None] * 60
    assert list(tmp_path.iterdir()) == []  # nothing written to disk
