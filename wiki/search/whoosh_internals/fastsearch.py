"""Fast query scoring for SearchIndex.search: the hits, order, scores and exact total that Whoosh's
TopCollector gives for a parsed query, computed with dict algebra over whole posting lists (read
block by block) instead of Whoosh's matcher tree, which costs ~5 µs per matching document.

It knows Term, And, Or, Not, AndNot, AndMaybe, Require, Prefix, Wildcard, Every and Phrase
(slop 1, checked on the stored positions). For anything else (TermRange, a phrase with slop,
fielded Every...) ``top_docs`` returns None and the caller runs Whoosh. Whoosh's own choices are
reproduced on purpose (tests/search/test_fastsearch.py compares every score with Whoosh's):
- the query tree is turned into matchers once per segment; idf and average lengths are global;
- a one-child And/Or drops its boost; a Prefix/Wildcard expanding to one term in a segment is
  that Term without the boost; to several terms, an Or that sums BM25F times the boost when the
  segment has over 5000 documents (or two terms), else scores 1.0 per document (constant score);
- a Not inside And/Or matches with a score of 1.0; a query with a boost <= 0 is left to Whoosh.
"""

from __future__ import annotations

import heapq
import weakref
from bisect import bisect_left
from collections.abc import Iterable

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.matching import ListMatcher
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from wiki.search.snippets import MAX_HIGHLIGHT_TERMS

ENABLED = True  # a switch for benchmarks and tests: False makes top_docs return None
# The phrase bonus is scored on this many best documents of the query. Scoring it on every
# match cost up to 20 ms on 10k notes; with 300, 4 of the bench's 200 queries show another page
# in their top 20 than when scored on every match (100: 12, 1000: 0).
BONUS_CANDIDATES = 300
_PRELOAD_MAX_DOCS = 5000  # Whoosh's Or picks its matcher kind by segment size (query/compound.py)
_TOO_MANY_CLAUSES = 1024
_LENGTH = [byte_to_length(b) for b in range(256)]
_NORMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # searcher -> length factors

Scores = dict[int, float]
Postings = tuple[list[int], list[float], list | None]  # ids, weights, encoded values


class Unsupported(Exception):
    """The query holds a node this module does not evaluate."""


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
        """As snippets.term_chars, from the postings this search read already (None when the
        field keeps no positions: use snippets.term_chars)."""
        out: dict[int, dict[str, list[tuple[int, int]]]] = {d: {} for d in docnums}
        wanted = sorted(set(docnums))
        for i, tb in enumerate(terms):
            if i >= MAX_HIGHLIGHT_TERMS:
                break
            text = tb.decode("utf-8") if isinstance(tb, bytes) else tb
            for seg, offset in self._segs:
                if (field, tb) not in seg.reader:
                    continue
                ids, _, values = seg.postings(field, tb)
                if values is None:
                    return None
                decode = seg.schema[field].format.decoder("characters")
                for d in wanted:
                    local = d - offset
                    if not 0 <= local < seg.size:
                        continue
                    j = bisect_left(ids, local)
                    if j < len(ids) and ids[j] == local:
                        out[d][text] = [(sc, ec) for _, sc, ec in decode(values[j])]
        return out


def _segments(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)


class _Segment:
    """Evaluates query nodes on one segment: {segment docnum: score}."""

    def __init__(self, top: Searcher, sub: Searcher, norms: dict) -> None:
        self.top = top
        self.reader = sub.reader()
        self.size = self.reader.doc_count_all()
        self.deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else None
        self.schema = top.schema
        w = top.weighting
        self.k1, self.b, self.field_b = w.K1, w.B, w._field_B  # noqa: SLF001
        self.norms = norms
        self.postings_cache: dict[tuple[str, bytes], Postings] = {}

    # ----- postings -----
    def postings(self, field: str, tb: bytes) -> Postings:
        """Every (docnum, weight) of a term in this segment, deleted documents left out, and
        the encoded posting values (positions) when the field has positions."""
        key = (field, tb)
        cached = self.postings_cache.get(key)
        if cached is not None:
            return cached
        fmt = self.schema[field].format
        keep = fmt.supports("positions") and fmt.fixed_value_size() in (None, -1)
        m = self.reader._terms.matcher(field, tb, fmt)  # noqa: SLF001
        values: list | None = [] if keep else None
        if isinstance(m, ListMatcher):
            ids = list(m._ids)  # noqa: SLF001
            ws = m._weights  # noqa: SLF001
            weights = list(ws) if ws else [m.weight()] * len(ids)
            if values is not None:
                values = list(m._values)  # noqa: SLF001
        else:  # W3LeafMatcher: read each block's arrays whole
            ids, weights = [], []
            while True:
                m._read_ids()  # noqa: SLF001
                m._read_weights()  # noqa: SLF001
                ids.extend(m._ids)  # noqa: SLF001
                weights.extend(m._weights)  # noqa: SLF001
                if values is not None:
                    values.extend(m._data[2])  # noqa: SLF001 - already unpickled with the ids
                if m._lastblock:  # noqa: SLF001
                    break
                m._goto(m._nextoffset)  # noqa: SLF001
        if self.deleted:
            dead = self.deleted
            live = [i for i, d in enumerate(ids) if d not in dead]
            ids, weights = [ids[i] for i in live], [weights[i] for i in live]
            if values is not None:
                values = [values[i] for i in live]
        got: Postings = (ids, weights, values)
        self.postings_cache[key] = got
        return got

    def norm(self, field: str) -> list[float]:
        """Per document K1 * ((1 - B) + B * length / average length), as BM25F computes it."""
        key = (id(self.reader), field)
        got = self.norms.get(key)
        if got is not None:
            return got
        avgfl = self.top.avg_field_length(field) or 1
        k1, b = self.k1, self.field_b.get(field, self.b)
        lengths = self._lengths(field)
        got = [k1 * ((1 - b) + b * fl / avgfl) for fl in lengths]
        self.norms[key] = got
        return got

    def _lengths(self, field: str) -> list[int]:
        n = self.size
        perdoc = self.reader._perdoc  # noqa: SLF001
        col = perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)  # noqa: SLF001
        if col is None:
            return [1] * n
        try:
            raw = col._dbfile.get(col._basepos, col._count)  # noqa: SLF001
            return [_LENGTH[b] for b in raw] + [0] * (n - len(raw))
        except AttributeError:  # another column reader: the slow, sure way
            return [perdoc.doc_field_length(d, field, 1) or 0 for d in range(n)]

    # ----- terms -----
    def term(self, field: str, text, boost: float = 1.0) -> Scores:
        if field not in self.schema:
            return {}
        fobj = self.schema[field]
        try:
            tb = fobj.to_bytes(text)
        except ValueError:
            return {}
        if (field, tb) not in self.reader:
            return {}
        ids, weights, _ = self.postings(field, tb)
        if fobj.scorable:
            idf = self.top.idf(field, tb)
            k1p = self.k1 + 1
            norm = self.norm(field)
            out = {d: idf * ((w * k1p) / (w + norm[d])) for d, w in zip(ids, weights, strict=True)}
        else:
            out = dict(zip(ids, weights, strict=True))
        if boost != 1.0:
            out = {d: s * boost for d, s in out.items()}
        return out

    def multiterm(self, q: wq.PatternQuery, scored: bool) -> Scores:
        if q.text == "" or (isinstance(q, wq.Wildcard) and q.text == "*"):
            raise Unsupported("Every on a field")
        words = [w for w in q._btexts(self.reader) if w]  # noqa: SLF001
        if not words:
            return {}
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
        out: Scores = {}
        get = out.get
        if preload:  # ArrayUnionMatcher: each child's score times the boost, summed
            if not scored:
                for sub in subs:
                    out.update(dict.fromkeys(self.eval(sub, False), 1.0))
                return out
            for sub in subs:  # (Whoosh also drops some documents scored <= 0: see eval())
                for d, s in self.eval(sub, True).items():
                    out[d] = get(d, 0) + s * boost
            return out
        for sub in subs:  # a tree of UnionMatchers: the sum, then the boost
            for d, s in self.eval(sub, scored).items():
                out[d] = get(d, 0) + s
        if boost != 1.0:
            out = {d: s * boost for d, s in out.items()}
        return out

    def and_(self, subs: list[wq.Query], boost: float, scored: bool) -> Scores:
        if len(subs) == 1:
            return self.eval(subs[0], scored)
        # The rarest first: as you type "reinforcement le", "le" matches nothing and the
        # thousands of postings of "reinforcement" are never read.
        out: Scores | None = None
        for sub in sorted(subs, key=self.estimate):
            part = self.eval(sub, scored)
            out = part if out is None else {d: s + part[d] for d, s in out.items() if d in part}
            if not out:
                return {}
        assert out is not None
        if boost != 1.0:
            out = {d: s * boost for d, s in out.items()}
        return out

    def not_(self, q: wq.Query) -> Scores:
        excluded = self.eval(q, False)
        dead = self.deleted or ()
        return {d: 1.0 for d in range(self.size) if d not in excluded and d not in dead}

    def phrase(self, q: wq.Phrase, only: Iterable[int] | None = None) -> Scores:
        """Documents with the words at consecutive positions: boost x the words' BM25F sum."""
        field = q.fieldname
        if q.slop != 1:
            raise Unsupported("phrase with slop")
        if field not in self.schema:
            return {}
        fobj = self.schema[field]
        if not fobj.format or not fobj.format.supports("positions"):
            raise Unsupported("phrase on a field without positions")
        words = []
        for w in q.words:
            try:
                words.append(fobj.to_bytes(w))
            except ValueError:
                return {}
        if not words or any((field, w) not in self.reader for w in words):
            return {}
        lists = [self.postings(field, w) for w in words]
        if lists[0][2] is None:
            raise Unsupported("positions kept in another form")
        cand = set(lists[0][0]).intersection(*(ids for ids, _, _ in lists[1:]))
        if only is not None:
            cand.intersection_update(only)
        decode = fobj.format.decoder("positions")
        idfs = [self.top.idf(field, w) for w in words]
        k1p = self.k1 + 1
        norm = self.norm(field)
        scorable = fobj.scorable
        out: Scores = {}
        for d in sorted(cand):
            at = [bisect_left(ids, d) for ids, _, _ in lists]
            starts = None
            for i, ((_, _, values), j) in enumerate(zip(lists, at, strict=True)):
                pos = decode(values[j]) if values is not None else ()
                starts = set(pos) if starts is None else starts.intersection(p - i for p in pos)
                if not starts:
                    break
            if not starts:
                continue
            total = 0.0
            for (_, weights, _), j, idf in zip(lists, at, idfs, strict=True):
                w = weights[j]
                total += idf * ((w * k1p) / (w + norm[d])) if scorable else w
            out[d] = total * q.boost if q.boost != 1.0 else total
        return out

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
            if not a:
                return a
            b = self.eval(q.b, scored)
            return {d: s + b[d] if d in b else s for d, s in a.items()}
        if t is wq.AndNot:
            a = self.eval(q.a, scored)
            if not a:
                return a
            b = self.eval(q.b, False)
            return {d: s for d, s in a.items() if d not in b}
        if t is wq.Require:
            a = self.eval(q.a, scored)
            if not a:
                return a
            b = self.eval(q.b, False)
            return {d: s for d, s in a.items() if d in b}
        if t is wq.Phrase:
            return self.phrase(q)
        if t is wq.Every and q.fieldname in (None, "", "*"):
            dead = self.deleted or ()
            return {d: q.boost for d in range(self.size) if d not in dead}
        if q is wq.NullQuery:
            return {}
        raise Unsupported(t.__name__)


def _best(scores: Scores, k: int) -> list[tuple[int, float]]:
    """The k best (docnum, score): higher score first, then the lower docnum (Whoosh's order)."""
    if not scores or k <= 0:
        return []
    if len(scores) > k:
        kth = heapq.nlargest(k, scores.values())[-1]
        pool = [(-s, d) for d, s in scores.items() if s >= kth]
    else:
        pool = [(-s, d) for d, s in scores.items()]
    pool.sort()
    return [(d, -s) for s, d in pool[:k]]


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
        segs: list[tuple[_Segment, int, Scores]] = []
        total = 0
        for sub, offset in _segments(searcher):
            seg = _Segment(searcher, sub, norms)
            local = seg.eval(q)
            total += len(local)
            segs.append((seg, offset, local))
        scores = {d + offset: s for _, offset, local in segs for d, s in local.items()}
        segments = [(seg, offset) for seg, offset, _ in segs]
        if not phrases:
            return Ranked(_best(scores, limit), total, segments)
        cands = _best(scores, max(limit, BONUS_CANDIDATES))
        final = dict(cands)
        for seg, offset, _ in segs:
            mine = [d - offset for d, _ in cands if offset <= d < offset + seg.size]
            if not mine:
                continue
            extra: Scores = {}
            for p in phrases:  # DefaultOr of two phrases: their sum
                for d, s in seg.phrase(p, only=mine).items():
                    extra[d] = extra.get(d, 0) + s
            for d, s in extra.items():
                final[d + offset] += s
        return Ranked(_best(final, limit), total, segments)
    except Unsupported:
        return None
