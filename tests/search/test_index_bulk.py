"""The bulk writer must build exactly the index Whoosh's own writer builds, only faster."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as wi

from bench.bench_index import load_pages
from bench.synth import make_vault
from wiki.core.model import Page
from wiki.search import index as wiki_index
from wiki.search.index import SearchIndex
from wiki.search.schema import make_schema, page_document
from wiki.search.whoosh_internals import flat_build
from wiki.search.whoosh_internals.bulk import BulkWriter, analyzer_plan, bulk_supported

MULTILINGUAL = Path(__file__).parent.parent / "data" / "multilingual"
TRICKY = [
    "",
    "the",
    "The cat and the hat sat on a mat; THE END.",
    "a a a b b c",
    "Ada's engine, 3.14 and snake_case_name, e.g. x.y; İstanbul ǅemal Straße ﬁne",
    "  leading spaces\n\nand *emphasis* _under_ `code` [[Link|shown]] #tag",
    "running runs ran runner — stemming, stemmed; STEMS!",
    "日本語のテキスト と English mixed 123 4567",
    "x " * 50 + "end",
    "强化学习是机器学习的一个分支。日本語の検索もテストします。",
    "Café … Naïve résumé über straße; İSTANBUL ıspanak ŒUVRE Ærø",
    "学 a 学习 b 机器学习abc x学y",
    "ٱللُّغَةُ ٱلْعَرَبِيَّة هي — ภาษาไทย ง่าย — हिन्दी भाषा — 한국어(韓國語)는",
    "\u0301stray mark, Ελληνικά ΣΟΦΟΣ σοφός, tiếng Việt, ﬁ ①",
] + [p.read_text(encoding="utf-8") for p in sorted(MULTILINGUAL.glob("*.md"))]


def test_bulk_writer_is_supported_by_the_installed_whoosh():
    assert bulk_supported()
    assert wiki_index.BULK_WRITER


def _flat_values(texts: list[str], ascii_texts: bool,
                 vocab: flat_build.Vocabulary | None = None) -> list[dict]:
    """What flat_build makes of ``texts`` analysed as one batch, per text as
    ``Analyzer.word_values`` gives it: {term: [(position, start, end), ...]}."""
    vocab = vocab or flat_build.Vocabulary(make_schema()["body"].analyzer)
    doc, tid, pos, start, end = flat_build.occurrences(vocab, texts, ascii_texts)
    out: list[dict] = [{} for _ in texts]
    for d, t, p, a, b in zip(doc.tolist(), tid.tolist(), pos.tolist(), start.tolist(),
                             end.tolist(), strict=True):
        out[d].setdefault(vocab.terms[t].decode("utf-8"), []).append((p, a, b))
    return out


@pytest.mark.parametrize("text", TRICKY)
def test_a_batch_analysed_flat_gives_what_word_values_gives(text):
    plan = make_schema()["body"].analyzer
    neighbours = ["before it, Café", text, "and after: 机器学习 x.y"]
    assert _flat_values(neighbours, False)[1] == plan.word_values(text)
    assert _flat_values([text], False)[0] == plan.word_values(text)
    if text.isascii():
        assert _flat_values(["Before IT", text, "after"], True)[1] == plan.word_values(text)


def _random_texts(n: int, seed: int = 5) -> list[str]:
    """Texts mixing every script the analyzer treats differently, marks and punctuation."""
    rng = random.Random(seed)
    pool = list("abcXYZ019 ._-'*#\n\t.,;") + list("éèüÜßİıøŒ\u0301\u0308ʼ") + \
        list("αΣςжЖ") + list("ٱلعربيةَُِّ\u0640") + list("हिन्दीक़") + list("机器学习语") + \
        list("日本語のテスト・ー") + list("한국어") + list("ภาษาไทย่้") + list("ＡＢ１①ﬁ") + \
        ["𠀋", "🎉"]
    return ["".join(rng.choice(pool) for _ in range(rng.randrange(0, 40))) for _ in range(n)]


def test_a_batch_analysed_flat_gives_what_word_values_gives_on_random_text():
    plan = make_schema()["body"].analyzer
    texts = _random_texts(400)
    vocab = flat_build.Vocabulary(plan)  # one vocabulary for every batch, as a writer has
    for start in range(0, len(texts), 50):
        batch = texts[start:start + 50]
        for text, got in zip(batch, _flat_values(batch, False, vocab), strict=True):
            assert got == plan.word_values(text), repr(text)
    ascii_texts = ["".join(c for c in t if c.isascii()) for t in texts]
    for text, got in zip(ascii_texts, _flat_values(ascii_texts, True), strict=True):
        assert got == plan.word_values(text), repr(text)


def test_a_batch_analysed_flat_keeps_offsets_past_two_bytes():
    plan = make_schema()["body"].analyzer
    text = "alpha beta " * 4000 + "gamma " * 9000 + "Ünïcode beta alpha"  # offsets > 65,535
    assert _flat_values(["x", text], False)[1] == plan.word_values(text)


def test_other_analyzers_are_not_taken_for_the_stemming_chain():
    from whoosh.analysis import SimpleAnalyzer, StandardAnalyzer

    assert analyzer_plan(SimpleAnalyzer()) is None
    assert analyzer_plan(StandardAnalyzer()) is None


def _dump(index_dir: Path) -> dict:
    """Everything a search can see in an index: terms, postings, lengths, stored fields."""
    ix = wi.open_dir(str(index_dir), indexname=wiki_index.INDEX_NAME)
    out: dict = {}
    with ix.reader() as r:
        out["docs"] = r.doc_count_all()
        out["stored"] = [r.stored_fields(d) for d in range(r.doc_count_all())]
        names = ix.schema.names()
        out["field_length"] = {n: r.field_length(n) for n in names}
        out["doc_lengths"] = {n: [r.doc_field_length(d, n) for d in range(out["docs"])]
                              for n in names}
        posts = {}
        for fieldname, tbytes in r.all_terms():
            fmt = ix.schema[fieldname].format
            info = r.term_info(fieldname, tbytes)
            m = r.postings(fieldname, tbytes)
            items = []
            while m.is_active():
                items.append((m.id(), m.weight(), m.value() if fmt.fixed_value_size() != 0
                              else None))
                m.next()
            posts[(fieldname, tbytes)] = (
                items, info.weight(), info.doc_frequency(), info.min_length(),
                info.max_length(), info.max_weight(), info.min_id(), info.max_id())
        out["postings"] = posts
        out["columns"] = {n: list(r.column_reader(n)) for n in names
                          if r.has_column(n)}
    ix.close()
    return out


def _build(index_dir: Path, pages: list[Page], *, bulk: bool) -> None:
    index_dir.mkdir()
    ix = wi.create_in(str(index_dir), make_schema(), indexname=wiki_index.INDEX_NAME)
    writer = BulkWriter(ix) if bulk else ix.writer()
    for p in pages:
        writer.add_document(**page_document(p))
    writer.commit()
    ix.close()


@pytest.fixture(scope="module")
def synthetic_pages(tmp_path_factory) -> list[Page]:
    root = tmp_path_factory.mktemp("synth")
    make_vault(root, 300)
    pages, _ = load_pages(root)
    # and some awkward ones: empty, no title, unicode, many blocks' worth of one word
    pages += [Page("empty.md", "", ""),
              Page("ünï/Çödé.md", "Çödé", "Ünïcode wörds ﬁne İstanbul", aliases=["Kod"]),
              Page("many.md", "Many", "word " * 2000, tags=["a/b", "c"], type="note")]
    pages += [Page(f"ml/{p.stem}.md", p.read_text(encoding="utf-8").split("\n")[0][2:],
                   p.read_text(encoding="utf-8")) for p in sorted(MULTILINGUAL.glob("*.md"))]
    pages.append(Page("机器学习.md", "机器学习", "强化学习是机器学习的一个分支。" * 300,
                      aliases=["きかいがくしゅう"]))  # many blocks of CJK postings
    return pages


def test_bulk_build_equals_whoosh_build(tmp_path, synthetic_pages):
    _build(tmp_path / "stock", synthetic_pages, bulk=False)
    _build(tmp_path / "bulk", synthetic_pages, bulk=True)
    stock, bulk = _dump(tmp_path / "stock"), _dump(tmp_path / "bulk")
    assert bulk["docs"] == stock["docs"] == len(synthetic_pages)
    for key in ("stored", "field_length", "doc_lengths", "columns"):
        assert bulk[key] == stock[key], key
    assert bulk["postings"].keys() == stock["postings"].keys()
    diff = [k for k in stock["postings"] if bulk["postings"][k] != stock["postings"][k]]
    assert not diff, diff[:5]


def test_search_index_built_in_bulk_finds_and_updates(tmp_path, synthetic_pages):
    ix = SearchIndex(tmp_path / "ix")
    ix.open()
    ix.build(synthetic_pages, total=len(synthetic_pages))
    assert ix.doc_count() == len(synthetic_pages)
    assert [h.path for h in ix.search("Çödé").hits] == ["ünï/Çödé.md"]
    assert [h.path for h in ix.search("kod").hits] == ["ünï/Çödé.md"]
    ix.update([Page("many.md", "Many", "changed text entirely")], ["empty.md"])
    assert [h.path for h in ix.search("changed entirely").hits] == ["many.md"]
    assert ix.search("word").total == 0 or "many.md" not in {
        h.path for h in ix.search("word", limit=500).hits}
    assert ix.doc_count() == len(synthetic_pages) - 1
    ix.close()
