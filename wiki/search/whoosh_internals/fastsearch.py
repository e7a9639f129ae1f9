"""Fast query scoring for SearchIndex.search: the hits, order, scores and exact total that Whoosh's
TopCollector gives for a parsed query, computed with array algebra (numpy) over whole posting
lists (read block by block) instead of Whoosh's matcher tree, which costs ~5 µs per matching
document; a query matching most of a 100,000-note vault is then a few vector operations.

It knows Term, And, Or, Not, AndNot, AndMaybe, Require, Prefix, Wildcard, Every and Phrase
(slop 1, checked on the stored positions). For anything else (TermRange, a phrase with slop,
fielded Every...) ``top_docs`` returns None and the caller runs Whoosh. Whoosh's own choices are
reproduced on purpose (tests/search/test_fastsearch.py compares every score with Whoosh's):
- the query tree is turned into matchers once per segment; idf and average lengths are global;
- a one-child And/Or drops its boost; a Prefix/Wildcard expanding to one term in a segment is
  that Term without the boost; to several terms, an Or that sums BM25F times the boost when the
  segment has over 5000 documents (or two terms), else scores 1.0 per document (constant score);
- a Not inside And/Or matches with a score of 1.0; a query with a boost <= 0 is left to Whoosh.
Scores are float64 and every sum is taken in Whoosh's order, so they are Whoosh's to the bit.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.matching import ListMatcher
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from wiki.core.arrays import intersect, unique
from wiki.search.snippets import MAX_HIGHLIGHT_TERMS
from wiki.search.whoosh_internals import fast_postings
from wiki.search.whoosh_internals.fast_postings import positions_of_many, restarting_sums

ENABLED = True  # a switch for benchmarks and tests: False makes top_docs return None
# The phrase bonus is scored on this many best documents of the query. Scoring it on every
# match cost up to 20 ms on 10k notes; with 300, 4 of the bench's 200 queries show another page
# in their top 20 than when scored on every match (100: 12, 1000: 0).
BONUS_CANDIDATES = 300
_PRELOAD_MAX_DOCS = 5000  # Whoosh's Or picks its matcher kind by segment size (query/compound.py)
_TOO_MANY_CLAUSES = 1024
_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_NORMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # searcher -> length factors
_NO_IDS = np.zeros(0, dtype=np.int64)


class Unsupported(Exception):
    """The query holds a node this module does not evaluate."""


class Scores:
    """Matching documents of one segment with their scores: ``ids`` ascending, no repeats."""

    __slots__ = ("ids", "vals")

    def __init__(self, ids: np.ndarray, vals: np.ndarray) -> None:
        self.ids = ids
        self.vals = vals

    @classmethod
    def empty(cls) -> Scores:
        return cls(_NO_IDS, np.zeros(0))

    def __len__(self) -> int:
        return len(self.ids)

    def scaled(self, boost: float) -> Scores:
        return self if boost == 1.0 else Scores(self.ids, self.vals * boost)

    def as_dict(self) -> dict[int, float]:
        return dict(zip(self.ids.tolist(), self.vals.tolist(), strict=True))


class Postings:
    """A term's postings in one segment, deleted documents left out: docnums (ascending),
    weights (float64, as Whoosh reads them) and the encoded values (positions) or None; for
    a list read from the flat arrays, ``raw`` is every docnum of it, deleted ones too (where
    a posting stands in the segment's blocks)."""

    __slots__ = ("ids", "raw", "values", "weights")

    def __init__(self, ids: np.ndarray, weights: np.ndarray, values: list | None,
                 raw: np.ndarray | None = None) -> None:
        self.ids = ids
        self.weights = weights
        self.values = values
        self.raw = raw


class Ranked:
    """The best documents (global docnum, score), best first, and how many matched."""

    __slots__ = ("_segs", "hits", "total")

    def __init__(self, hits: list[tuple[int, float]], total: int,
                 segs: list[tuple[_Segment, int]] | None = None) -> None:
        self.hits = hits
        self.total = total
        self._segs = segs or []

    def term_chars(self, field: str, terms: Iterable[bytes],
                   docnums: list[int]) -> dict[int, dict[str, list[tuple[int, int]]]] | None:
        """As snippets.term_chars: from the postings this search read already where it read
        their values, else from the few blocks that hold these documents (None when the field
        keeps no positions: use snippets.term_chars)."""
        out: dict[int, dict[str, list[tuple[int, int]]]] = {d: {} for d in docnums}
        wanted = sorted(set(docnums))
        for i, tb in enumerate(terms):
            if i >= MAX_HIGHLIGHT_TERMS:
                break
            text = tb.decode("utf-8") if isinstance(tb, bytes) else tb
            for seg, offset in self._segs:
                local = [d - offset for d in wanted if 0 <= d - offset < seg.size]
                if not local or (field, tb) not in seg.reader:
                    continue
                if not seg._keeps_values(field):  # noqa: SLF001
                    return None
                for d, chars in seg.chars_of(field, tb, local):
                    out[d + offset][text] = chars
        return out


def _segments(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)


class _Segment:
    """Evaluates query nodes on one segment: the matching segment docnums with their scores."""

    def __init__(self, top: Searcher, sub: Searcher, norms: dict) -> None:
        self.top = top
        self.reader = sub.reader()
        self.size = self.reader.doc_count_all()
        deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else None
        self.deleted = (np.array(sorted(deleted), dtype=np.int64) if deleted else None)
        self.schema = top.schema
        w = top.weighting
        self.k1, self.b, self.field_b = w.K1, w.B, w._field_B  # noqa: SLF001
        self.norms = norms
        self.postings_cache: dict[tuple[str, bytes], Postings] = {}
        self.fast = fast_postings.load(self.reader)
        self.flat_positions: dict[tuple[str, bytes], tuple[np.ndarray, ...]] = {}

    def live(self) -> np.ndarray:
        """Every docnum of the segment that is not deleted."""
        every = np.arange(self.size, dtype=np.int64)
        if self.deleted is None:
            return every
        return every[~np.isin(every, self.deleted, assume_unique=True)]

    # ----- postings -----
    def postings(self, field: str, tb: bytes) -> Postings:
        """Every (docnum, weight) of a term in this segment, deleted documents left out; the
        encoded posting values (positions) too when they were read with them (a long list
        comes from the segment's flat arrays, without them: see ``_block_values``)."""
        key = (field, tb)
        cached = self.postings_cache.get(key)
        if cached is not None:
            return cached
        flat = self.fast.get(field, tb) if self.fast is not None else None
        if flat is not None:
            got = self._alive(flat[0].astype(np.int64), flat[1].astype(np.float64), None)
            got.raw = flat[0]
        else:
            got = self._read_blocks(field, tb)
        self.postings_cache[key] = got
        return got

    def _keeps_values(self, field: str) -> bool:
        fmt = self.schema[field].format
        return bool(fmt.supports("positions")) and fmt.fixed_value_size() in (None, -1)

    def _read_blocks(self, field: str, tb: bytes) -> Postings:
        fmt = self.schema[field].format
        m = self.reader._terms.matcher(field, tb, fmt)  # noqa: SLF001
        values: list | None = [] if self._keeps_values(field) else None
        if isinstance(m, ListMatcher):
            ids = np.array(m._ids, dtype=np.int64)  # noqa: SLF001
            ws = m._weights  # noqa: SLF001
            weights = (np.array(ws, dtype=np.float64) if ws
                       else np.full(len(ids), float(m.weight())))
            if values is not None:
                values = list(m._values)  # noqa: SLF001
            return self._alive(ids, weights, values)
        # W3LeafMatcher: each block's arrays, as unpickled, decoded together
        deltas: list[int] = []
        lengths: list[int] = []
        weight_parts: list = []
        while True:
            if m._data is None:  # noqa: SLF001
                m._read_data()  # noqa: SLF001
            block_ids, block_weights, block_values = m._data  # noqa: SLF001
            n = m._blocklength  # noqa: SLF001
            if m._byteids:  # noqa: SLF001 - (term vectors: never in these fields)
                raise Unsupported("byte ids")
            deltas.extend(block_ids)
            lengths.append(n)
            if block_weights is None:
                weight_parts.append(np.ones(n))
            elif isinstance(block_weights, float):
                weight_parts.append(np.full(n, block_weights))
            else:  # a tuple of (float32) values, or an array("f")
                weight_parts.append(np.array(block_weights, dtype=np.float64))
            if values is not None:
                values.extend(block_values)
            if m._lastblock:  # noqa: SLF001
                break
            m._goto(m._nextoffset)  # noqa: SLF001
        ids = restarting_sums(deltas, lengths)  # each block's ids are deltas from 0
        return self._alive(ids, np.concatenate(weight_parts), values)

    def _alive(self, ids: np.ndarray, weights: np.ndarray, values: list | None) -> Postings:
        if self.deleted is not None and len(ids):
            alive = ~np.isin(ids, self.deleted, assume_unique=True)
            if not alive.all():
                ids, weights = ids[alive], weights[alive]
                if values is not None:
                    values = [v for v, a in zip(values, alive.tolist(), strict=True) if a]
        return Postings(ids, weights, values)

    def _flat_positions(self, field: str, tb: bytes, post: Postings,
                        docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(positions, how many per document) of the term in ``docnums`` (ascending; each
        holds it), gathered from the segment's flat arrays; None when they have none."""
        if self.fast is None or post.raw is None:
            return None
        key = (field, tb)
        got = self.flat_positions.get(key)
        if got is None:
            stored = self.fast.positions(field, tb)
            if stored is None:
                return None
            counts, allpos = stored
            got = self.flat_positions[key] = (
                counts, allpos, np.concatenate(([0], np.cumsum(counts, dtype=np.int64))))
        counts, allpos, offsets = got
        js = np.searchsorted(post.raw, docnums)
        lens = counts[js].astype(np.int64)
        begin = offsets[js]
        # every position of each wanted posting: begin, begin + 1, ... begin + len - 1
        runs = np.concatenate(([0], np.cumsum(lens)[:-1]))
        idx = np.repeat(begin - runs, lens) + np.arange(int(lens.sum()), dtype=np.int64)
        return allpos[idx].astype(np.int64), lens

    def _candidate_values(self, field: str, tb: bytes, post: Postings, at: list[int],
                          docnums: list[int]) -> list[bytes]:
        """The encoded values of the term in ``docnums`` (ascending), at ``at`` in its
        postings: from the postings when they hold them, else from only the blocks that hold
        these documents."""
        if post.values is None and post.raw is not None:
            return self._block_values(field, tb, np.searchsorted(post.raw, docnums).tolist())
        if post.values is None:
            post = self.postings_cache[(field, tb)] = self._read_blocks(field, tb)
        assert post.values is not None
        return [post.values[j] for j in at]

    def _block_values(self, field: str, tb: bytes, wanted: list[int]) -> list[bytes]:
        """The encoded values of the postings at ``wanted`` (ascending indexes into the term's
        whole posting list): block headers are read up to the last one, block data only where
        a wanted posting is (~150 µs a block, against ~10 µs a posting to skip through)."""
        m = self.reader._terms.matcher(field, tb, self.schema[field].format)  # noqa: SLF001
        if isinstance(m, ListMatcher):
            values = m._values  # noqa: SLF001
            return [values[j] for j in wanted]
        out: list[bytes] = []
        start, k = 0, 0
        while k < len(wanted):
            n = m._blocklength  # noqa: SLF001
            if wanted[k] < start + n:
                if m._data is None:  # noqa: SLF001
                    m._read_data()  # noqa: SLF001
                block = m._data[2]  # noqa: SLF001
                while k < len(wanted) and wanted[k] < start + n:
                    out.append(block[wanted[k] - start])
                    k += 1
            start += n
            if k < len(wanted):
                if m._lastblock:  # noqa: SLF001
                    raise ValueError(f"the postings of {tb!r} are shorter than their arrays")
                m._goto(m._nextoffset)  # noqa: SLF001
        return out

    def chars_of(self, field: str, tb: bytes,
                 docnums: list[int]) -> Iterable[tuple[int, list[tuple[int, int]]]]:
        """(docnum, character ranges of the term) for those of ``docnums`` (ascending) that
        hold it."""
        decode = self.schema[field].format.decoder("characters")
        post = self.postings_cache.get((field, tb))
        if post is not None and post.values is None and post.raw is not None:
            at = np.searchsorted(post.raw, docnums).tolist()
            held = [(d, j) for d, j in zip(docnums, at, strict=True)
                    if j < len(post.raw) and post.raw[j] == d]
            values = self._block_values(field, tb, [j for _, j in held])
            for (d, _), v in zip(held, values, strict=True):
                yield d, [(sc, ec) for _, sc, ec in decode(v)]
            return
        if post is not None and post.values is not None:
            at = np.searchsorted(post.ids, docnums).tolist()
            for d, j in zip(docnums, at, strict=True):
                if j < len(post.ids) and post.ids[j] == d:
                    yield d, [(sc, ec) for _, sc, ec in decode(post.values[j])]
            return
        m = self.reader.postings(field, tb)  # skips to the blocks of these documents only
        for d in docnums:
            if not m.is_active():
                return
            if m.id() < d:
                m.skip_to(d)
                if not m.is_active():
                    return
            if m.id() == d:
                yield d, [(sc, ec) for _, sc, ec in m.value_as("characters")]

    def norm(self, field: str) -> np.ndarray:
        """Per document K1 * ((1 - B) + B * length / average length), as BM25F computes it."""
        key = (id(self.reader), field)
        got = self.norms.get(key)
        if got is not None:
            return got
        avgfl = self.top.avg_field_length(field) or 1
        k1, b = self.k1, self.field_b.get(field, self.b)
        fl = self._lengths(field)
        got = k1 * ((1 - b) + b * fl / avgfl)
        self.norms[key] = got
        return got

    def _lengths(self, field: str) -> np.ndarray:
        n = self.size
        perdoc = self.reader._perdoc  # noqa: SLF001
        col = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)  # noqa: SLF001
        if col is None:
            return np.ones(n)
        try:
            raw = col._dbfile.get(col._basepos, col._count)  # noqa: SLF001
        except AttributeError:  # another column reader: the slow, sure way
            return np.array([perdoc.doc_field_length(d, field, 1) or 0 for d in range(n)],
                            dtype=np.float64)
        out = np.zeros(n)
        got = _LENGTH[np.frombuffer(raw, dtype=np.uint8)[:n]]
        out[:len(got)] = got
        return out

    # ----- terms -----
    def term(self, field: str, text, boost: float = 1.0) -> Scores:
        if field not in self.schema:
            return Scores.empty()
        fobj = self.schema[field]
        try:
            tb = fobj.to_bytes(text)
        except ValueError:
            return Scores.empty()
        if (field, tb) not in self.reader:
            return Scores.empty()
        post = self.postings(field, tb)
        w = post.weights
        if fobj.scorable:
            idf = self.top.idf(field, tb)
            k1p = self.k1 + 1
            vals = idf * ((w * k1p) / (w + self.norm(field)[post.ids]))
        else:
            vals = w
        return Scores(post.ids, vals).scaled(boost)

    def multiterm(self, q: wq.PatternQuery, scored: bool) -> Scores:
        if q.text == "" or (isinstance(q, wq.Wildcard) and q.text == "*"):
            raise Unsupported("Every on a field")
        words = [w for w in q._btexts(self.reader) if w]  # noqa: SLF001
        if not words:
            return Scores.empty()
        if len(words) == 1:
            return self.term(q.fieldname, words[0])
        subs = [wq.Term(q.fieldname, w) for w in words]
        return self.or_(subs, q.boost, scored=scored and not q.constantscore)

    # ----- compounds -----
    def or_(self, subs: list[wq.Query], boost: float, scored: bool) -> Scores:
        if len(subs) == 1:
            return self.eval(subs[0], scored)
        preload = len(subs) >= _TOO_MANY_CLAUSES or (
            len(subs) != 2 and self.size <= _PRELOAD_MAX_DOCS)
        acc = np.zeros(self.size)
        hit = np.zeros(self.size, dtype=bool)
        if preload:  # ArrayUnionMatcher: each child's score times the boost, summed
            for sub in subs:  # (Whoosh also drops some documents scored <= 0: see eval())
                part = self.eval(sub, scored)
                hit[part.ids] = True
                if scored:
                    acc[part.ids] += part.vals * boost
            ids = np.flatnonzero(hit)
            return Scores(ids, acc[ids] if scored else np.ones(len(ids)))
        for sub in subs:  # a tree of UnionMatchers: the sum, then the boost
            part = self.eval(sub, scored)
            hit[part.ids] = True
            acc[part.ids] += part.vals
        ids = np.flatnonzero(hit)
        return Scores(ids, acc[ids]).scaled(boost)

    def and_(self, subs: list[wq.Query], boost: float, scored: bool) -> Scores:
        if len(subs) == 1:
            return self.eval(subs[0], scored)
        # The rarest first: as you type "reinforcement le", "le" matches nothing and the
        # thousands of postings of "reinforcement" are never read.
        out: Scores | None = None
        for sub in sorted(subs, key=self.estimate):
            part = self.eval(sub, scored)
            if out is None:
                out = part
            else:
                ids, ia, ib = np.intersect1d(out.ids, part.ids, assume_unique=True,
                                             return_indices=True)
                out = Scores(ids, out.vals[ia] + part.vals[ib])
            if not len(out):
                return Scores.empty()
        assert out is not None
        return out.scaled(boost)

    def not_(self, q: wq.Query) -> Scores:
        excluded = self.eval(q, False)
        live = self.live()
        ids = live[~np.isin(live, excluded.ids, assume_unique=True)]
        return Scores(ids, np.ones(len(ids)))

    def phrase(self, q: wq.Phrase, only: Iterable[int] | None = None) -> Scores:
        """Documents with the words at consecutive positions: boost x the words' BM25F sum."""
        field = q.fieldname
        if q.slop != 1:
            raise Unsupported("phrase with slop")
        if field not in self.schema:
            return Scores.empty()
        fobj = self.schema[field]
        if not fobj.format or not fobj.format.supports("positions"):
            raise Unsupported("phrase on a field without positions")
        words = []
        for w in q.words:
            try:
                words.append(fobj.to_bytes(w))
            except ValueError:
                return Scores.empty()
        if not words or any((field, w) not in self.reader for w in words):
            return Scores.empty()
        if not self._keeps_values(field):
            raise Unsupported("positions kept in another form")
        lists = [self.postings(field, w) for w in words]
        cand = lists[0].ids
        for post in lists[1:]:
            cand = np.intersect1d(cand, post.ids, assume_unique=True)
        if only is not None:
            cand = np.intersect1d(cand, np.array(sorted(set(only)), dtype=np.int64),
                                  assume_unique=True)
        if not len(cand):
            return Scores.empty()
        decode = fobj.format.decoder("positions")
        at = [np.searchsorted(post.ids, cand).tolist() for post in lists]
        docs = cand.tolist()
        fmt = fobj.format
        # Where the phrase may start, as candidate index << 32 | position: the first word's
        # positions, then those of each next word minus its place in the phrase, intersected.
        starts = np.zeros(0, dtype=np.int64)
        alive = np.arange(len(docs), dtype=np.int64)
        for i, (post, js, w) in enumerate(zip(lists, at, words, strict=True)):
            # word by word, only in the candidates still alive
            flat = self._flat_positions(field, w, post, cand[alive])
            if flat is None:
                mine = self._candidate_values(field, w, post, [js[k] for k in alive.tolist()],
                                              [docs[k] for k in alive.tolist()])
                flat = positions_of_many(fmt, mine)
                if flat is None:
                    decoded = [decode(v) for v in mine]
                    flat = (np.array([p for pos in decoded for p in pos], dtype=np.int64),
                            np.array([len(pos) for pos in decoded], dtype=np.int64))
            positions, counts = flat
            keys = (np.repeat(alive, counts) << 32) + positions - i
            keys = keys[positions >= i]
            keys = unique(keys)
            starts = keys if i == 0 else intersect(starts, keys)
            alive = unique(starts >> 32)
            if not len(alive):
                break
        found = alive.tolist()
        if not found:
            return Scores.empty()
        pick = np.array(found, dtype=np.int64)
        ids = cand[pick]
        total = np.zeros(len(ids))
        norm = self.norm(field)[ids] if fobj.scorable else None
        k1p = self.k1 + 1
        for post, j, word in zip(lists, at, words, strict=True):
            w = post.weights[np.array(j, dtype=np.int64)[pick]]
            if norm is not None:
                total = total + self.top.idf(field, word) * ((w * k1p) / (w + norm))
            else:
                total = total + w
        return Scores(ids, total).scaled(q.boost)

    def estimate(self, q: wq.Query) -> int:
        """About how many documents ``q`` matches here, cheaply (an upper bound, mostly)."""
        t = type(q)
        if t is wq.Term:
            try:
                tb = self.schema[q.fieldname].to_bytes(q.text)
                return self.reader.doc_frequency(q.fieldname, tb)
            except (KeyError, ValueError):
                return 0
        if t is wq.Or:
            return sum(self.estimate(sub) for sub in q.subqueries)
        if t is wq.And:
            return min((self.estimate(sub) for sub in q.subqueries), default=0)
        if t is wq.Phrase:
            return min((self.estimate(wq.Term(q.fieldname, w)) for w in q.words), default=0)
        if t in (wq.AndMaybe, wq.AndNot, wq.Require):
            return self.estimate(q.a)
        return self.size

    def eval(self, q: wq.Query, scored: bool = True) -> Scores:
        t = type(q)
        if getattr(q, "boost", 1.0) <= 0:  # scores <= 0: Whoosh's preloaded Or keeps or drops
            raise Unsupported("boost <= 0")  # such documents depending on where they fall
        if t is wq.Term:
            return self.term(q.fieldname, q.text, q.boost)
        if t is wq.Or:
            return self.or_(list(q.subqueries), q.boost, scored)
        if t is wq.And:
            return self.and_(list(q.subqueries), q.boost, scored)
        if t in (wq.Prefix, wq.Wildcard):
            return self.multiterm(q, scored)
        if t is wq.Not:
            return self.not_(q.query)
        if t is wq.AndMaybe:
            a = self.eval(q.a, scored)
            if not len(a):
                return a
            b = self.eval(q.b, scored)
            _, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
            vals = a.vals.copy()
            vals[ia] = a.vals[ia] + b.vals[ib]
            return Scores(a.ids, vals)
        if t is wq.AndNot:
            a = self.eval(q.a, scored)
            if not len(a):
                return a
            b = self.eval(q.b, False)
            keep = ~np.isin(a.ids, b.ids, assume_unique=True)
            return Scores(a.ids[keep], a.vals[keep])
        if t is wq.Require:
            a = self.eval(q.a, scored)
            if not len(a):
                return a
            b = self.eval(q.b, False)
            keep = np.isin(a.ids, b.ids, assume_unique=True)
            return Scores(a.ids[keep], a.vals[keep])
        if t is wq.Phrase:
            return self.phrase(q)
        if t is wq.Every and q.fieldname in (None, "", "*"):
            ids = self.live()
            return Scores(ids, np.full(len(ids), float(q.boost)))
        if q is wq.NullQuery:
            return Scores.empty()
        raise Unsupported(t.__name__)


def _best(ids: np.ndarray, vals: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k best (docnum, score): higher score first, then the lower docnum (Whoosh's order)."""
    n = len(ids)
    if not n or k <= 0:
        return []
    if n > k:
        kth = np.partition(vals, n - k)[n - k]  # the k-th highest score
        pool = vals >= kth
        ids, vals = ids[pool], vals[pool]
    order = np.lexsort((ids, -vals))[:k]
    return list(zip(ids[order].tolist(), vals[order].tolist(), strict=True))


def _bonus_phrases(bonus: wq.Query) -> list[wq.Phrase]:
    subs = list(bonus.subqueries) if type(bonus) is wq.Or else [bonus]
    if not all(type(p) is wq.Phrase for p in subs):
        raise Unsupported("bonus")
    if type(bonus) is wq.Or and (bonus.boost != 1.0 or len(subs) > 2):
        raise Unsupported("bonus")
    return subs


def top_docs(searcher: Searcher, q: wq.Query, limit: int,
             bonus: wq.Query | None = None) -> Ranked | None:
    """The ``limit`` best matches of ``q`` as Whoosh ranks them, or None if ``q`` is not
    supported. ``bonus`` (an Or of Phrases) adds its score, as AndMaybe(q, bonus) would, but
    only to the BONUS_CANDIDATES best documents of ``q``."""
    if not ENABLED or not isinstance(searcher.weighting, BM25F) or \
            type(searcher.weighting).scorer is not BM25F.scorer or searcher.weighting.use_final:
        return None
    if searcher.doc_count_all() == 0:
        return Ranked([], 0)
    norms = _NORMS.setdefault(searcher, {})
    try:
        phrases = _bonus_phrases(bonus) if bonus is not None else []
        segs: list[tuple[_Segment, int]] = []
        id_parts, val_parts = [], []
        for sub, offset in _segments(searcher):
            seg = _Segment(searcher, sub, norms)
            local = seg.eval(q)
            segs.append((seg, offset))
            id_parts.append(local.ids + offset)
            val_parts.append(local.vals)
        ids = np.concatenate(id_parts) if id_parts else _NO_IDS
        vals = np.concatenate(val_parts) if val_parts else np.zeros(0)
        total = len(ids)
        if not phrases:
            return Ranked(_best(ids, vals, limit), total, segs)
        cands = _best(ids, vals, max(limit, BONUS_CANDIDATES))
        final = dict(cands)
        for seg, offset in segs:
            mine = [d - offset for d, _ in cands if offset <= d < offset + seg.size]
            if not mine:
                continue
            extra: dict[int, float] = {}
            for p in phrases:  # DefaultOr of two phrases: their sum
                for d, s in seg.phrase(p, only=mine).as_dict().items():
                    extra[d] = extra.get(d, 0) + s
            for d, s in extra.items():
                final[d + offset] += s
        best = sorted(final.items(), key=lambda ds: (-ds[1], ds[0]))[:limit]
        return Ranked(best, total, segs)
    except Unsupported:
        return None
