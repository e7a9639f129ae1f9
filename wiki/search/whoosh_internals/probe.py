"""Self-tests of the two fast paths that read or write Whoosh's private internals, run once per
process on a tiny index in memory: the bulk writer must build the segment Whoosh's own writer
builds, and the fast scorer must rank as Whoosh's collector does. A Whoosh whose internals have
changed then costs speed, not search: the caller logs the fault and uses Whoosh's own code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.fields import Schema
from whoosh.filedb.filestore import RamStorage

from wiki.core.model import Page
from wiki.search.schema import page_document
from wiki.search.whoosh_internals import fastsearch
from wiki.search.whoosh_internals.bulk import BulkWriter, bulk_supported

Documents = Iterable[dict[str, str]]
Parse = Callable[[str], wq.Query]

PROBE_QUERIES = ("alpha", "alpha beta", '"alpha beta"', "alp*", "alpha NOT gamma",
                 "gamma OR delta", "title:alpha")


class _InMemory(RamStorage):
    """A RamStorage whose temporary files stay in memory too. Whoosh's writer keeps a
    segment's columns in ``temp_storage("<index name>.tmp")``, which for a RamStorage is the
    folder ``/tmp/PROBE.tmp``, shared by every probe on the machine: two probes at once (a
    search and a build on two threads, two worker processes starting) deleted each other's
    files, and the loser ran on Whoosh's slow paths for the rest of its life."""

    def temp_storage(self, name: str | None = None) -> RamStorage:
        return RamStorage()


def _build(schema: Schema, docs: Documents, bulk: bool):
    ix = _InMemory().create_index(schema, indexname="PROBE")
    writer = BulkWriter(ix) if bulk else ix.writer()
    if bulk:
        writer.fast_min = 1  # every term in the flat arrays too, so that they are probed
    try:
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return ix


def _contents(ix) -> tuple:
    """Every term with its postings (ids, weights, values) and statistics, the stored fields
    and the field lengths."""
    with ix.reader() as r:
        posts = []
        for field, tb in r.all_terms():
            m = r.postings(field, tb)
            items = []
            while m.is_active():
                items.append((m.id(), m.weight(), m.value()))
                m.next()
            info = r.term_info(field, tb)
            posts.append((field, tb, items, info.weight(), info.doc_frequency(),
                          info.min_length(), info.max_length(), info.max_weight()))
        stored = [r.stored_fields(d) for d in range(r.doc_count_all())]
        lengths = [[r.doc_field_length(d, n) for n in ix.schema.names()]
                   for d in range(r.doc_count_all())]
    return posts, stored, lengths


def probe_bulk_writer(schema: Schema, docs: Documents) -> str | None:
    """None when BulkWriter builds exactly Whoosh's index of ``docs``; else what went wrong."""
    docs = list(docs)
    if not bulk_supported():
        return "this Whoosh lacks the writer internals the bulk writer fills in"
    reference = _reference(schema, docs)
    if reference is None:
        return None
    try:
        same = _contents(_build(schema, docs, True)) == _contents(reference)
    except Exception as e:  # noqa: BLE001 - any fault of the fast writer means "do not use it"
        return f"the bulk writer failed: {type(e).__name__}: {e}"
    return None if same else "the bulk writer built another index than Whoosh's writer"


def _reference(schema: Schema, docs: list[dict[str, str]]):
    """The probe index built by Whoosh's own writer, or None if even that fails twice (then
    the probe cannot tell anything; the fast paths still fall back on any fault at run time)."""
    for _ in range(2):
        try:
            return _build(schema, docs, False)
        except Exception:  # noqa: BLE001 - Whoosh's own failure, not the fast path's
            continue
    return None


def probe_fast_search(schema: Schema, docs: Documents, parse: Parse) -> str | None:
    """None when fastsearch ranks ``PROBE_QUERIES`` exactly as Whoosh does (or when Whoosh
    cannot build the probe index at all); else the fault."""
    docs = list(docs)
    ix = _reference(schema, docs)
    if ix is None:
        return None
    try:
        # built by the bulk writer too: every term is then in its flat arrays (fast_postings)
        flat = _build(schema, docs, True) if bulk_supported() else ix
        with ix.searcher() as s, flat.searcher() as fs:
            for qs in PROBE_QUERIES:
                q = parse(qs)
                top = fastsearch.top_docs(fs, q, 10)
                if top is None:
                    return f"the fast path declined the probe query {qs!r}"
                collector = TopCollector(limit=10, usequality=False, replace=0)
                s.search_with_collector(q, collector)
                want = [(h.docnum, round(h.score, 4)) for h in collector.results()]
                got = [(d, round(score, 4)) for d, score in top.hits]
                if got != want or top.total != len(collector.results()):
                    return f"the fast path ranked {qs!r} otherwise than Whoosh"
    except Exception as e:  # noqa: BLE001 - any fault of the fast path means "do not use it"
        return f"the fast path failed: {type(e).__name__}: {e}"
    return None


_SAMPLES = (
    ("Alpha Beta.md", "Alpha beta", "Alpha beta gamma, the alphabet. Alpha again and alpha."),
    ("notes/Gamma.md", "Gamma", "Gamma rays and delta waves; beta alpha."),
    ("notes/Delta.md", "Delta", "Delta only, and alphas. Café, naïve, Straße; 机器学习的分支。"),
    ("Empty.md", "", ""),
)


def sample_documents() -> list[dict[str, str]]:
    """A few pages' documents, as SearchIndex indexes them, for the probes."""
    return [page_document(Page(path, title, body, aliases=["Alias"] if i == 1 else [],
                                tags=["t/x"] if i == 2 else []))
            for i, (path, title, body) in enumerate(_SAMPLES)]
