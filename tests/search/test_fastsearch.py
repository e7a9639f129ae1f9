"""wiki.search.whoosh_internals.fastsearch against Whoosh's own collector on a real index of a
synthetic vault: the same
hits, in the same order, with the same scores and totals (also after updates and deletions)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.collectors import TopCollector

from bench.bench_index import load_pages, make_queries
from bench.synth import make_vault
from wiki.core.model import Page
from wiki.search.index import SearchIndex
from wiki.search.whoosh_internals import fast_postings, fastsearch

HAND_WRITTEN = [
    "learning", "reinforcement learning", "learn*", "re*", "da*", "d*", "dat?", "m*ry",
    "memory NOT network", "NOT memory", "memory AND NOT (network OR data)",
    "(memory OR network) (data OR theory)", "((memory OR data) network) OR theory",
    "memory^2 data", "title:memory", "title:mem*", "alias:data", "tag:ml", "tag:ml memory",
    "tags:ml/core", "type:person", "type:person data", "type:concept OR type:person",
    "path:concepts/", "path:Concepts/ data", "path:peo", "path:journal/2", "body:data",
    "head:memory", '"memory model"', '"data system" network', '"learning" theory',
    "café", "naïve données", "zoë*", "emoji 🎉 data", "memory ANDMAYBE data",
    "memory ANDNOT data", "memory OR 12", "x", "the of and", "nonexistentword",
    "nonexistentword OR data", "data nonexistentword", "path:/ memory", "path:/",
]
MULTILINGUAL_QUERIES = [
    "汉藏语系", "学习", "汉", "语*", "公用語 日本", "公用語 OR 문법", "enthalt", "enthält",
    "cinquième OR iberico", "Güneydoğu", "OSMANLI", "العربية", "العَرَبِيَّة", "ภาษาราชการ",
    '"langue indo"', "résumé", "café memory", "title:日本語", "强化学习 NOT 汉语", "한국어 OR data",
]
UNSUPPORTED = ["[a TO c]", "head:*", '"memory data"~3', "memory^0 OR data^0 OR theory^0"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Page]:
    root = tmp_path_factory.mktemp("fast") / "vault"
    make_vault(root, 300)
    got, _ = load_pages(root)
    data = Path(__file__).parent.parent / "data" / "multilingual"
    got += [Page(f"ml/{p.stem}.md", p.read_text(encoding="utf-8").split("\n")[0][2:],
                 p.read_text(encoding="utf-8")) for p in sorted(data.glob("*.md"))]
    got += [Page("ml/机器学习.md", "机器学习", "强化学习是机器学习的一个分支。日本語の検索も。"),
            Page("ml/Café.md", "Café", "Café … Naïve résumé über straße, memory café.")]
    return got


@pytest.fixture(scope="module")
def queries(pages) -> list[str]:
    return make_queries(pages) + HAND_WRITTEN + MULTILINGUAL_QUERIES


@pytest.fixture
def ix(tmp_path: Path, pages):
    index = SearchIndex(tmp_path / "index")
    index.open()
    index.build(pages, total=len(pages))
    assert index._fast_fault is None  # the fast path is on: these tests compare it with Whoosh
    yield index
    index.close()


def whoosh_top(ix: SearchIndex, q: wq.Query, limit: int) -> tuple[list[tuple[int, float]], int]:
    with ix._lock:
        s = ix._get_searcher()
        collector = TopCollector(limit=limit, usequality=False, replace=0)
        s.search_with_collector(q, collector)
        res = collector.results()
        return [(h.docnum, h.score) for h in res], len(res)


def fast_top(ix: SearchIndex, q: wq.Query, limit: int,
             bonus: wq.Query | None = None) -> fastsearch.Ranked | None:
    with ix._lock:
        return fastsearch.top_docs(ix._get_searcher(), q, limit, bonus)


def differences(ix: SearchIndex, qs: str, *, limit: int = 10_000, tamper=None,
                bonus: bool = False, prepare=None) -> list[str]:
    """What fastsearch gets wrong for this query string (empty when it agrees with Whoosh);
    'unsupported' when it declines it. ``prepare`` changes the query for both; ``tamper``
    for fastsearch only."""
    base = ix._parse(qs, bonus=False)
    base = prepare(base) if prepare else base
    extra = ix._phrase_bonus(qs) if bonus else None
    want, total = whoosh_top(ix, wq.AndMaybe(base, extra) if extra else base, limit)
    got = fast_top(ix, tamper(base) if tamper else base, limit, extra)
    if got is None:
        return ["unsupported"]
    out = []
    if got.total != total:
        out.append(f"total {got.total} != {total}")
    if [d for d, _ in got.hits] != [d for d, _ in want]:
        out.append(f"order {got.hits[:5]} != {want[:5]}")
    for (d, s), (_, w) in zip(got.hits, want, strict=False):
        if abs(s - w) > 1e-4 * abs(w):
            out.append(f"doc {d}: score {s} != {w}")
            break
    return out


def check_all(ix: SearchIndex, queries: list[str]) -> int:
    """Assert agreement on every supported query; return how many were supported."""
    supported = 0
    for qs in queries:
        diff = differences(ix, qs)
        if diff != ["unsupported"]:
            supported += 1
            assert diff == [], (qs, ix._parse(qs, bonus=False), diff)
    return supported


def test_same_hits_order_scores_and_totals_as_whoosh(ix, queries):
    assert ix._segment_count() == 1
    assert check_all(ix, queries) == len(queries)  # quoted phrases included


def test_multilingual_queries_find_something(ix):
    empty = [q for q in MULTILINGUAL_QUERIES if not ix.search(q).total]
    assert empty == []  # so that the comparisons above compare real hits


def churn(ix: SearchIndex, pages: list[Page]) -> None:
    """Edit, add and delete pages in two commits: three segments, with deletions."""
    edited = [dataclasses.replace(p, body=p.body + "\n\nMore about memory and data systems.")
              for p in pages[10:40]]
    ix.update(edited[:15], [p.path for p in pages[100:120]])
    ix.update(edited[15:] + [Page("new/Memory Data.md", "Memory Data", "memory data " * 5)],
              [p.path for p in pages[200:205]])
    assert ix._segment_count() >= 3
    with ix._lock:
        assert ix._get_searcher().reader().has_deletions()


def test_same_after_updates_and_deletions(ix, pages, queries):
    churn(ix, pages)
    assert check_all(ix, queries) == len(queries)


def test_prefix_scores_follow_whoosh_segment_rules(ix, pages, monkeypatch):
    # Whoosh's constant-scored prefix (which SearchIndex switches off: see rewrite()): over
    # 5000 documents a segment sums BM25F; at most, every match scores 1.0.
    def constant(q: wq.Query) -> wq.Query:
        if isinstance(q, wq.Prefix):
            q.constantscore = True
            return q
        return q if q.is_leaf() else q.apply(constant)

    assert differences(ix, "re*", prepare=constant) == []
    assert differences(ix, "re*") == []
    monkeypatch.setattr(fastsearch, "_PRELOAD_MAX_DOCS", 10)
    assert differences(ix, "re*", prepare=constant) != []
    assert differences(ix, "re*") == []  # ours is scored alike in any segment


def test_a_wrong_boost_is_caught(ix):
    def reboost(q: wq.Query) -> wq.Query:
        if isinstance(q, wq.Term) and q.fieldname == "head":
            return wq.Term("head", q.text, boost=2.0)
        return q if q.is_leaf() else q.apply(reboost)

    assert differences(ix, "memory data") == []
    assert differences(ix, "memory data", tamper=reboost) != []


def check_bonus(ix: SearchIndex, queries: list[str]) -> int:
    """Assert agreement with the phrase bonus on every query whose matches are all
    candidates; return how many were checked."""
    checked = 0
    for qs in queries:
        if ix._phrase_bonus(qs) is None:
            continue
        base = ix._parse(qs, bonus=False)
        if whoosh_top(ix, base, 1)[1] > fastsearch.BONUS_CANDIDATES:
            continue
        assert differences(ix, qs, bonus=True) == [], qs
        checked += 1
    return checked


def test_phrase_bonus_same_as_whoosh_when_all_matches_are_candidates(ix, queries):
    assert check_bonus(ix, queries) >= 20


def test_phrase_bonus_only_reranks_the_best_candidates(ix, monkeypatch):
    qs = "memory data"
    base = ix._parse(qs, bonus=False)
    bonus = ix._phrase_bonus(qs)
    everywhere = fast_top(ix, base, 10_000, bonus)  # every match is a candidate here
    assert differences(ix, qs, bonus=True) == []
    monkeypatch.setattr(fastsearch, "BONUS_CANDIDATES", 10)
    plain = fast_top(ix, base, 10_000)
    with_bonus = fast_top(ix, base, 10, bonus)
    assert plain.total == with_bonus.total == everywhere.total > 10
    top10 = {d for d, _ in plain.hits[:10]}
    assert {d for d, _ in with_bonus.hits} == top10  # reordered, nobody new
    base_score = dict(plain.hits)
    raised = {d for d, s in with_bonus.hits if s > base_score[d]}
    raised_everywhere = {d for d, s in everywhere.hits if s > base_score[d]}
    assert raised == raised_everywhere & top10
    assert {d for d, _ in everywhere.hits[:10]} != top10  # a bonus from further down
    assert differences(ix, qs, limit=10, bonus=True) != []


def test_unsupported_queries_fall_back_and_still_answer(ix):
    for qs in UNSUPPORTED:
        assert differences(ix, qs) == ["unsupported"], qs
    assert ix.search("[a TO c]").hits
    assert ix.search("head:*").total == ix.doc_count()


def test_search_gives_the_same_pages_with_or_without_the_fast_path(ix, queries, monkeypatch):
    phrase = next(q for q in queries if q.startswith('"') and ix.search(q).total > 1)
    qs_list = ["memory", "memory data", "learn*", "memory NOT data", phrase, "tag:ml memory"]
    fast = [ix.search(q) for q in qs_list]
    monkeypatch.setattr(fastsearch, "ENABLED", False)
    slow = [ix.search(q) for q in qs_list]
    for a, b in zip(fast, slow, strict=True):
        assert a.total == b.total > 0
        assert [h.path for h in a.hits] == [h.path for h in b.hits]
        assert [h.snippet for h in a.hits] == [h.snippet for h in b.hits]
        assert [h.terms for h in a.hits] == [h.terms for h in b.hits]


@pytest.mark.parametrize("updated", [False, True])
def test_snippets_and_terms_match_the_whoosh_path(ix, pages, queries, monkeypatch, updated):
    if updated:
        churn(ix, pages)
    # Every match is a phrase-bonus candidate in this small vault: the pages are the same too.
    monkeypatch.setattr(fastsearch, "BONUS_CANDIDATES", len(ix.all_paths()))
    fast = {q: ix.search(q) for q in queries}
    monkeypatch.setattr(fastsearch, "ENABLED", False)
    for q in queries:
        a, b = fast[q], ix.search(q)
        assert a.total == b.total, q
        assert [(h.path, h.snippet, h.snippet_html, h.terms) for h in a.hits] == \
            [(h.path, h.snippet, h.snippet_html, h.terms) for h in b.hits], q


def test_an_and_with_a_word_that_matches_nothing_reads_no_other_postings(ix, monkeypatch):
    # What typing "reinforcement le" does: "le" matches nothing, so the long posting lists
    # of the other word are never read.
    read: list[tuple[str, bytes]] = []
    original = fastsearch._Segment.postings

    def postings(self, field, tb):
        read.append((field, tb))
        return original(self, field, tb)

    monkeypatch.setattr(fastsearch._Segment, "postings", postings)
    common = ix.search("data").total
    assert common > 50 and read  # a common word, read when searched alone
    read.clear()
    res = ix.search("data qqzx")
    assert res.total == 0 and not res.hits
    assert read == []


@pytest.fixture
def flat_ix(tmp_path, pages, monkeypatch):
    """An index whose every term of two postings or more is also in the flat arrays."""
    monkeypatch.setattr(fast_postings, "MIN_POSTINGS", 2)
    index = SearchIndex(tmp_path / "flat")
    index.open()
    index.build(pages, total=len(pages))
    yield index
    index.close()


def test_posting_lists_read_from_the_flat_arrays_score_as_whoosh(flat_ix, pages, queries,
                                                                 monkeypatch):
    with flat_ix._lock:
        readers = [r for r, _ in flat_ix._get_searcher().reader().leaf_readers()]
    assert sum(len(fast_postings.load(r) or ()) for r in readers) > 1000
    blocks: list[bytes] = []
    original = fastsearch._Segment._read_blocks

    def read_blocks(self, field, tb):
        blocks.append((field, tb))
        return original(self, field, tb)

    monkeypatch.setattr(fastsearch._Segment, "_read_blocks", read_blocks)
    res = flat_ix.search("data")
    assert res.total > 50 and ">data</b>" in res.hits[0].snippet_html
    # every text field's postings came from the flat arrays, none block by block
    assert blocks == []
    block_reads: list[bytes] = []
    monkeypatch.setattr(fastsearch._Segment, "_block_values",
                        lambda self, field, tb, wanted: block_reads.append(tb))
    assert check_all(flat_ix, queries) == len(queries)
    assert check_bonus(flat_ix, queries) >= 20
    assert block_reads == []  # every phrase was checked on the positions in the flat arrays
    churn(flat_ix, pages)  # deletions apply to the flat arrays too; new segments have none
    assert check_all(flat_ix, queries) == len(queries)
    assert check_bonus(flat_ix, queries) >= 20


def test_positions_past_65535_are_kept_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(fast_postings, "MIN_POSTINGS", 2)
    long_body = "filler " * 70_000 + "deep sea creature at the very end"
    pages = [Page("Long.md", "Long", long_body),
             Page("Short.md", "Short", "a deep sea creature near the start"),
             Page("Other.md", "Other", "sea and deep, but not together: sea creature")]
    index = SearchIndex(tmp_path / "long")
    index.open()
    index.build(pages, total=len(pages))
    try:
        with index._lock:
            readers = [r for r, _ in index._get_searcher().reader().leaf_readers()]
            flat = readers[0]._terms.flat.fields["body"]
            assert flat.positions.dtype == np.uint32 and flat.counts.dtype == np.uint32
        for qs in ('"deep sea creature"', '"sea creature"', "deep sea", '"filler deep"'):
            assert differences(index, qs) == [], qs
        hits = index.search('"deep sea creature"').hits
        assert {h.path for h in hits} == {"Long.md", "Short.md"}
    finally:
        index.close()
