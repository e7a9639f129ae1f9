"""The search index built by worker processes: each part adopted by one commit must give the
index one process would build (the same documents, terms, postings, lengths, scores and
words for "did you mean"), and a stop request commits what was read."""

from __future__ import annotations

import functools
import json
import threading
from pathlib import Path

import pytest
from whoosh import index as wi

from bench.synth import make_vault
from wiki.core.model import Page
from wiki.markup.pages import read_page
from wiki.search import index as wiki_index
from wiki.search.index import SearchIndex
from wiki.search.parallel import PartBuilder, parts_dir_of
from wiki.search.whoosh_internals import segments
from wiki.search.whoosh_internals.segments import segment_count
from wiki.vault.backlog import part_chunks

MULTILINGUAL = Path(__file__).parent.parent / "data" / "multilingual"
QUERIES = ["learning", "memory model", '"neural network"', "lear*", "title:river", "tag:ml",
           "type:person data", "path:concepts/ graph", "music OR poetry", "energy NOT water",
           "强化学习", "istanbul", "cafe", "zzzunknown", "lerning"]


@pytest.fixture(scope="module")
def vault(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("vault")
    make_vault(root, 400)
    for p in sorted(MULTILINGUAL.glob("*.md")):
        (root / "ml").mkdir(exist_ok=True)
        (root / "ml" / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "empty.md").write_text("", encoding="utf-8")
    paths = sorted(str(p.relative_to(root)) for p in root.rglob("*.md"))
    return root, paths


def _by_path(index_dir: Path) -> dict:
    """What a search can see, with documents named by path (not by their number, which
    depends on the order the parts finished in)."""
    ix = wi.open_dir(str(index_dir), indexname=wiki_index.INDEX_NAME)
    out: dict = {}
    with ix.reader() as r:
        paths = {d: r.stored_fields(d)["path"] for d in r.all_doc_ids()}
        out["stored"] = {paths[d]: r.stored_fields(d) for d in paths}
        names = ix.schema.names()
        out["field_length"] = {n: r.field_length(n) for n in names}
        out["doc_lengths"] = {(paths[d], n): r.doc_field_length(d, n) for d in paths
                              for n in names}
        posts = {}
        for fieldname, tbytes in r.all_terms():
            fixed = ix.schema[fieldname].format.fixed_value_size() != 0
            m = r.postings(fieldname, tbytes)
            items = []
            while m.is_active():
                items.append((paths[m.id()], m.weight(), m.value() if fixed else None))
                m.next()
            info = r.term_info(fieldname, tbytes)
            posts[(fieldname, tbytes)] = (sorted(items), info.weight(), info.doc_frequency(),
                                          info.min_length(), info.max_length())
        out["postings"] = posts
    ix.close()
    return out


def _parallel_build(index_dir: Path, root: Path, paths: list[str], procs: int = 2,
                    stop: threading.Event | None = None, first: int = 100,
                    largest: int = 150) -> SearchIndex:
    index = SearchIndex(index_dir)
    index.open()
    read = functools.partial(read_page, root, links=False)
    builder = PartBuilder(parts_dir_of(index_dir), read, procs)
    for part in builder.run(part_chunks(paths, first=first, largest=largest),
                             stop or threading.Event()):
        index.adopt(part)
    return index


def test_parts_built_by_worker_processes_equal_one_build(tmp_path, vault):
    root, paths = vault
    one = SearchIndex(tmp_path / "one")
    one.open()
    one.build((read_page(root, p, links=False) for p in paths), total=len(paths))
    many = _parallel_build(tmp_path / "many", root, paths)

    assert many.doc_count() == one.doc_count() == len(paths)
    assert segment_count(many._ix) == len(part_chunks(paths, first=100, largest=150)) > 2
    assert not parts_dir_of(tmp_path / "many").exists()  # the parts were moved, then removed
    a, b = _by_path(tmp_path / "one"), _by_path(tmp_path / "many")
    for key in ("stored", "field_length", "doc_lengths"):
        assert a[key] == b[key], key
    assert a["postings"].keys() == b["postings"].keys()
    assert [k for k in a["postings"] if a["postings"][k] != b["postings"][k]] == []
    for q in QUERIES:  # what a user sees: the same hits, scores, snippets and suggestions
        ra, rb = one.search(q, limit=10), many.search(q, limit=10)
        assert (ra.total, ra.suggestion, ra.error) == (rb.total, rb.suggestion, rb.error), q
        assert sorted((round(h.score, 6), h.path, h.snippet) for h in ra.hits) == \
            sorted((round(h.score, 6), h.path, h.snippet) for h in rb.hits), q
    assert one.search("lerning").suggestion == "learning"
    one.close()
    many.close()


def test_a_stopped_parallel_build_commits_what_it_read_and_resumes(tmp_path, vault):
    root, paths = vault
    stop = threading.Event()
    stop.set()  # asked to stop at once: the workers index nothing more
    index = _parallel_build(tmp_path / "ix", root, paths, stop=stop)
    got = index.all_paths()
    assert len(got) < len(paths)
    rest = [p for p in paths if p not in got]
    index.close()
    again = _parallel_build(tmp_path / "ix", root, rest)  # the next open goes on from there
    assert again.doc_count() == len(paths) and again.all_paths() == set(paths)
    assert again.search("learning").total > 0
    again.close()


def test_damage_in_an_adopted_part_is_found_when_the_index_opens(tmp_path, vault):
    from wiki.search import health

    root, paths = vault
    index = _parallel_build(tmp_path / "ix", root, paths)
    index.close()
    sums = json.loads((tmp_path / "ix" / health.CHECKSUMS_FILE).read_text(encoding="utf-8"))
    segs = sorted((tmp_path / "ix").glob("*.seg"), key=lambda p: p.stat().st_size)
    assert len(segs) > 2 and all(seg.name in sums for seg in segs)  # every part is summed
    with open(segs[-1], "r+b") as fh:  # garbage in the middle, the size kept
        fh.seek(segs[-1].stat().st_size // 2)
        fh.write(bytes(range(256)) * 2)
    again = SearchIndex(tmp_path / "ix")
    warnings = again.open()
    assert again.was_reset and any("damaged" in w for w in warnings), warnings
    assert again.doc_count() == 0  # emptied, for the vault to index again from the pages
    again.close()


def test_updates_after_a_parallel_build_keep_the_parts(tmp_path, vault, monkeypatch):
    """Updates merge only the small segments: the parts of a big build are never rewritten
    (here a part of 120 pages or more counts as big, as one of 1,000 does in a real vault)."""
    monkeypatch.setattr(segments, "BIG_SEGMENT", 120)
    root, paths = vault
    index = _parallel_build(tmp_path / "ix", root, paths, first=130, largest=130)
    parts = {s.segment_id() for s in index._ix._segments() if s.doc_count_all() >= 130}
    assert len(parts) == 3  # and the last, smaller one
    updates = 2 * wiki_index.MAX_SEGMENTS
    for i in range(updates):
        index.update([Page(f"new{i}.md", f"New {i}", "quokkas everywhere")], [])
    assert index.search("quokkas").total == updates
    assert index.doc_count() == len(paths) + updates
    after = {s.segment_id() for s in index._ix._segments()}
    assert parts <= after  # every part is still there, as it was written
    assert len(after) <= wiki_index.MAX_SEGMENTS + 1 < len(parts) + updates  # updates merged
    index.close()


def test_opening_an_index_does_not_copy_its_segments_into_memory(tmp_path, vault):
    """Whoosh wrapped each file of a memory-mapped segment in io.BytesIO (a copy): a reopened
    100k vault held its whole index in memory. Now a search reads the map in place."""
    import gc
    import tracemalloc

    root, paths = vault
    built = _parallel_build(tmp_path / "ix", root, paths)
    assert built.search("learning").total > 0
    built.close()
    on_disk = sum(f.stat().st_size for f in (tmp_path / "ix").glob("*.seg"))
    index = SearchIndex(tmp_path / "ix")
    tracemalloc.start()
    try:
        index.open()
        found = index.search("learning memory")
        gc.collect()  # what is held, not garbage a collection has not reached yet
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert found.total > 0 and found.hits[0].snippet
    assert held < on_disk / 2, (held, on_disk)
    index.close()
