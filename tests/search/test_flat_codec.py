"""A segment whose text fields are kept flat (flat_codec) must search, match phrases, give
spans, merge and take deletions exactly as the segment Whoosh's own writer builds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as wi
from whoosh import query as wq
from whoosh.qparser import QueryParser

from bench.bench_index import load_pages
from bench.synth import make_vault
from wiki.core.model import Page
from wiki.search import index as wiki_index
from wiki.search.schema import SPELL_FIELDS, make_schema, nfc, page_document
from wiki.search.spelling import SpellWords
from wiki.search.whoosh_internals.bulk import BulkWriter
from wiki.search.whoosh_internals.flat_codec import FlatCodec, FlatMatcher

MULTILINGUAL = Path(__file__).parent.parent / "data" / "multilingual"
QUERIES = ['"machine learning"', "learn*", "memory OR graph", "title:notes", "body:mem~",
           '"强化学习"', "café", "graph -memory", '"the of"', "*ing", "head:ada"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Page]:
    root = tmp_path_factory.mktemp("synth")
    make_vault(root, 250)
    got, _ = load_pages(root)
    got += [Page(f"ml/{p.stem}.md", p.stem, p.read_text(encoding="utf-8"))
            for p in sorted(MULTILINGUAL.glob("*.md"))]
    got += [Page("cafe.md", "Café", "Un café, naïve Straße; 强化学习是机器学习的一个分支。" * 40),
            Page("empty.md", "", "")]
    return got


def _index(root: Path, pages: list[Page], bulk: bool):
    root.mkdir()
    ix = wi.create_in(str(root), make_schema(), indexname=wiki_index.INDEX_NAME)
    writer = BulkWriter(ix) if bulk else ix.writer()
    for p in pages:
        writer.add_document(**page_document(p))
    writer.commit()
    return ix


def _results(ix) -> list:
    out = []
    with ix.searcher() as s:
        for qs in QUERIES:
            q = QueryParser("body", ix.schema).parse(qs)
            hits = s.search(q, limit=None, terms=True)
            out.append((qs, [(h.docnum, round(h.score, 5)) for h in hits],
                        sorted(hits.matched_terms())))
    return out


def _spans(ix, term: bytes) -> dict[int, list]:
    with ix.searcher() as s:
        m = wq.Term("body", term.decode()).matcher(s)
        got = {}
        while m.is_active():
            got[m.id()] = [(sp.start, sp.startchar, sp.endchar) for sp in m.spans()]
            m.next()
        return got


def test_whoosh_searches_a_flat_segment_as_its_own(tmp_path, pages):
    stock, flat = _index(tmp_path / "stock", pages, False), _index(tmp_path / "flat", pages, True)
    with flat.reader() as r:
        (segment,) = flat._segments()
        assert isinstance(segment.codec(), FlatCodec)
        assert isinstance(r.postings("body", b"learn"), FlatMatcher)
    assert _results(flat) == _results(stock)
    assert any(hits for _, hits, _ in _results(flat))
    for term in (b"learn", b"caf\xc3\xa9", b"\xe5\xad\xa6\xe4\xb9\xa0"):
        assert _spans(flat, term) == _spans(stock, term) != {}


def test_a_flat_segment_takes_deletions_and_merges_into_whoosh_segments(tmp_path, pages):
    stock, flat = _index(tmp_path / "stock", pages, False), _index(tmp_path / "flat", pages, True)
    more = [Page("new.md", "New", "machine learning memory graph, again")]
    for ix in (stock, flat):
        w = ix.writer()
        w.delete_by_term("path", pages[3].path)
        for p in more:
            w.add_document(**page_document(p))
        w.commit(merge=False)
    assert _results(flat) == _results(stock)
    for ix in (stock, flat):
        ix.optimize()  # every segment merged into one by Whoosh's writer, through our matchers
    assert len(flat._segments()) == 1 and not isinstance(flat._segments()[0].codec(), FlatCodec)
    assert _results(flat) == _results(stock)


def test_each_page_is_found_and_deleted_by_its_path_before_and_after_merging(tmp_path, pages):
    """A page's path and file name are terms of one posting each: Whoosh finds a page by
    them in a bulk-built segment, deletes by its path, and a merge keeps them."""
    flat = _index(tmp_path / "flat", pages, True)

    def by(s, field: str, value: str) -> list[str]:
        return [h["path"] for h in s.search(wq.Term(field, value), limit=None)]

    def check(ix, gone: set[str]) -> None:
        with ix.searcher() as s:
            for page in pages:
                want = [] if page.path in gone else [page.path]
                assert by(s, "path", page.path) == want
                assert page.path in by(s, "fname", page.path.lower().rpartition("/")[2]) \
                    or page.path in gone

    check(flat, set())
    w = flat.writer()
    w.delete_by_term("path", pages[0].path)
    w.add_document(**page_document(Page("new.md", "New", "machine learning")))
    w.commit(merge=False)
    check(flat, {pages[0].path})
    flat.optimize()  # merged by Whoosh's writer
    assert not isinstance(flat._segments()[0].codec(), FlatCodec)
    check(flat, {pages[0].path})
    with flat.searcher() as s:
        assert by(s, "path", "new.md") == ["new.md"]


def test_the_bulk_writer_counts_words_for_did_you_mean_as_each_page_does(tmp_path, pages):
    ix = wi.create_in(str(tmp_path), make_schema(), indexname=wiki_index.INDEX_NAME)
    writer = BulkWriter(ix, spell=SpellWords.words_in, spell_fields=SPELL_FIELDS)
    for p in pages:
        writer.add_document(**page_document(p))
    writer.commit()
    want: Counter[str] = Counter()
    for p in pages:  # (the index reads text in NFC; a title defaults to the file name)
        want.update(SpellWords.words_of(Page(p.path, nfc(p.title or p.path[:-3].split("/")[-1]),
                                             nfc(p.body), aliases=[nfc(a) for a in p.aliases])))
    assert writer.spell_counts == want
    assert writer.spell_counts["learning"] > 10
