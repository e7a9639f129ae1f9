"""The postings of a bulk-built segment's text fields, built with numpy a batch at a time.

``Analyzer.word_values`` walks a page word by word in Python, and a posting per word and page
then costs more Python in the writer: at 100,000 notes that was most of a first index.
``FlatFieldBuilder`` gets the same terms, positions and characters another way:

- a batch of pages is joined into one string (with a separator no word holds) and cut into
  words and the gaps between them by one ``re.split``: the offsets of every word come from the
  lengths of the pieces, in C;
- each distinct word is analysed once per writer (``Vocabulary``): what it becomes is a few
  *pieces* (a term, its position offset and characters within the word; a stop word has none,
  an accented word two, a run of Chinese its bigrams and characters: ``Analyzer._pieces``), so
  every word of the batch is expanded to its pieces by array indexing;
- at the end, every occurrence of the segment is sorted by term once, and postings, weights and
  W3's per-term statistics fall out of that order.

What comes out is what ``word_values`` gives, page by page (the probe checks it against Whoosh's
own writer): the same terms, the same positions, characters and frequencies, the same lengths.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from whoosh.codec.whoosh3 import byte_to_length

from wiki.core.arrays import unique
from wiki.search.analysis import WORD_PATTERN, Analyzer
from wiki.search.whoosh_internals.flat_codec import TERMINFO

# lower-cased ASCII text: what WORD_PATTERN matches there (its marks are not ASCII)
_ASCII_SPLIT = re.compile(r"([a-z0-9]+(?:[._][a-z0-9]+)*)")
_WORD_SPLIT = re.compile(f"({WORD_PATTERN})")
SEPARATOR = "\x00"  # never part of a word
BATCH_CHARS = 1 << 20  # a batch is analysed once it holds this much text
BATCH_DOCS = 1024


class Vocabulary:
    """Every word seen by one writer (as it appears in the text: lower-cased in ASCII pages),
    with what the analyzer makes of it, and every term with its number; with ``spell``, also
    the words for "did you mean" inside each word (``SpellWords.words_in``)."""

    def __init__(self, plan: Analyzer, spell: Callable[[str], list[str]] | None = None) -> None:
        self.plan = plan
        self.spell = spell
        self.spell_words: list[str] = []
        self._spell_id: dict[str, int] = {}
        self._spell: list[list[int]] = [[], [], []]  # per code: start, count; then the ids
        self.code_of: dict[str, int] = {}
        self.term_of: dict[str, int] = {}
        self.terms: list[bytes] = []  # term number -> its UTF-8 bytes
        # per word code: positions it takes, where its pieces begin, how many
        self._npos: list[int] = []
        self._pstart: list[int] = []
        self._pcount: list[int] = []
        # per piece: position offset, start and end within the word, term number
        self._pieces: list[list[int]] = [[], [], [], []]
        self._tables: tuple[np.ndarray, ...] | None = None

    def _term(self, term: str) -> int:
        got = self.term_of.get(term)
        if got is None:
            got = self.term_of[term] = len(self.terms)
            self.terms.append(term.encode("utf-8"))
        return got

    def learn(self, words: Iterable[str]) -> None:
        plan = self.plan
        dpos, dstart, dend, tids = self._pieces
        for word in words:
            self.code_of[word] = len(self._npos)
            self._pstart.append(len(tids))
            if self.spell is not None:
                self._learn_spelling(word)
            if word.isascii():
                stem = plan.stem(word.lower())
                if stem is False:
                    self._npos.append(0)
                    self._pcount.append(0)
                    continue
                dpos.append(0)
                dstart.append(0)
                dend.append(len(word))
                tids.append(self._term(str(stem)))
                self._npos.append(1)
                self._pcount.append(1)
                continue
            pieces, npos = plan._pieces(word)  # noqa: SLF001 - the analyzer's own rules
            for p, start, end, term, _kind in pieces:
                dpos.append(p)
                dstart.append(start)
                dend.append(end)
                tids.append(self._term(term))
            self._npos.append(npos)
            self._pcount.append(len(pieces))
        self._tables = None

    def _learn_spelling(self, word: str) -> None:
        starts, counts, ids = self._spell
        found = self.spell(word) if self.spell is not None else []
        starts.append(len(ids))
        counts.append(len(found))
        for w in found:
            got = self._spell_id.get(w)
            if got is None:
                got = self._spell_id[w] = len(self.spell_words)
                self.spell_words.append(w)
            ids.append(got)

    def spelling_tables(self) -> tuple[np.ndarray, ...]:
        """(start, count) of each word code's spelling words, and their ids."""
        return self.tables()[7:]

    def tables(self) -> tuple[np.ndarray, ...]:
        """(npos, piece start, piece count) per word code, (position offset, start, end, term)
        per piece, then the spelling tables."""
        if self._tables is None:
            self._tables = tuple(np.array(a, dtype=np.int64) for a in (
                self._npos, self._pstart, self._pcount, *self._pieces, *self._spell))
        return self._tables


Occurrences = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
Words = tuple[np.ndarray, np.ndarray]  # each word's text index and code


def occurrences(vocab: Vocabulary, texts: list[str], ascii_texts: bool) -> Occurrences:
    """Every term occurrence of ``texts``: (text index, term, position, start, end), in text
    order and, within a text, in the order ``word_values`` lists them."""
    return analyse_texts(vocab, texts, ascii_texts)[0]


def analyse_texts(vocab: Vocabulary, texts: list[str],
                  ascii_texts: bool) -> tuple[Occurrences, Words]:
    """``occurrences``, and each word's text index and code (for ``spelling_pairs``)."""
    joined = SEPARATOR.join(texts)
    if ascii_texts:
        joined = joined.lower()  # (ASCII: every offset stays)
    parts = (_ASCII_SPLIT if ascii_texts else _WORD_SPLIT).split(joined)
    words = parts[1::2]
    empty = np.zeros(0, dtype=np.int64)
    if not words:
        return (empty, empty, empty, empty, empty), (empty, empty)
    new = set(words).difference(vocab.code_of)
    if new:
        vocab.learn(sorted(new))
    npos, pstart, pcount, p_dpos, p_dstart, p_dend, p_tid = vocab.tables()[:7]
    codes = np.fromiter(map(vocab.code_of.__getitem__, words), np.int64, len(words))
    lens = np.fromiter(map(len, parts), np.int64, len(parts))
    wstart = (np.cumsum(lens) - lens)[1::2]
    doc_start = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        doc_start[1:] = np.cumsum(np.fromiter(map(len, texts[:-1]), np.int64, len(texts) - 1)
                                  + len(SEPARATOR))
    wdoc = np.searchsorted(doc_start, wstart, side="right") - 1
    # positions: the words' positions taken so far, counted again from 0 in each text
    taken = npos[codes]
    before = np.cumsum(taken) - taken
    first = np.minimum(np.searchsorted(wdoc, np.arange(len(texts))), len(words) - 1)
    wpos = before - before[first][wdoc]
    # each word expanded to its pieces
    count = pcount[codes]
    word_of = np.repeat(np.arange(len(words)), count)
    piece = np.repeat(pstart[codes] - (np.cumsum(count) - count), count) + np.arange(len(word_of))
    doc = wdoc[word_of]
    rel = wstart[word_of] - doc_start[doc]
    return ((doc, p_tid[piece], wpos[word_of] + p_dpos[piece], rel + p_dstart[piece],
             rel + p_dend[piece]), (wdoc, codes))


def spelling_pairs(vocab: Vocabulary, words: Words) -> tuple[np.ndarray, np.ndarray]:
    """Each (text index, spelling word id) found in the texts, once."""
    wdoc, codes = words
    starts, counts, ids = vocab.spelling_tables()
    if not len(codes) or not len(ids):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    count = counts[codes]
    word_of = np.repeat(np.arange(len(codes)), count)
    at = np.repeat(starts[codes] - (np.cumsum(count) - count), count) + np.arange(len(word_of))
    keys = unique(wdoc[word_of] * len(vocab.spell_words) + ids[at])
    return keys // len(vocab.spell_words), keys % len(vocab.spell_words)


def spelling_counts(vocab: Vocabulary, pairs: Sequence[tuple[np.ndarray, np.ndarray]]
                    ) -> Counter[str]:
    """How many documents hold each spelling word, from (docnum, id) pairs of any fields."""
    if not pairs or not vocab.spell_words:
        return Counter()
    n = len(vocab.spell_words)
    keys = unique(np.concatenate([d * n + i for d, i in pairs]))
    found = np.bincount(keys % n, minlength=n)
    words = vocab.spell_words
    return Counter({words[i]: c for i, c in enumerate(found.tolist()) if c})


class FlatFieldBuilder:
    """One text field's occurrences in the segment being built, analysed a batch at a time."""

    def __init__(self, vocab: Vocabulary, field_boost: float, spelling: bool = False) -> None:
        self.vocab = vocab
        self.field_boost = field_boost
        self.spelling = spelling  # (docnum, spelling word id) pairs kept in spelled
        self.spelled: list[tuple[np.ndarray, np.ndarray]] = []
        self._pending: list[tuple[int, str, float]] = []
        self.pending_chars = 0
        self._parts: list[Occurrences] = []  # (docnum, term, position, start, end)
        self.boosts: dict[int, float] = {}  # docnum -> boost, where it is not 1
        self.occurrences = 0

    def add(self, docnum: int, text: str, boost: float) -> list[tuple[int, int]] | None:
        """Queue a document's text; when that fills a batch, analyse it and return each of its
        documents' (docnum, length): lengths are known only once a batch is analysed."""
        self._pending.append((docnum, text, boost))
        self.pending_chars += len(text)
        if self.pending_chars >= BATCH_CHARS or len(self._pending) >= BATCH_DOCS:
            return self.analyse()
        return None

    def analyse(self) -> list[tuple[int, int]]:
        """Analyse the queued documents; their (docnum, length)."""
        pending, self._pending, self.pending_chars = self._pending, [], 0
        if not pending:
            return []
        docnums = np.array([d for d, _, _ in pending], dtype=np.int64)
        plain = [text.isascii() for _, text, _ in pending]
        groups = [[i for i, a in enumerate(plain) if a], [i for i, a in enumerate(plain) if not a]]
        got: list[Occurrences] = []
        for ascii_texts, group in zip((True, False), groups, strict=True):
            if group:
                occ, words = analyse_texts(self.vocab, [pending[i][1] for i in group],
                                           ascii_texts)
                index = np.array(group, dtype=np.int64)
                got.append((index[occ[0]], *occ[1:]))
                if self.spelling:
                    docs, ids = spelling_pairs(self.vocab, words)
                    self.spelled.append((docnums[index[docs]], ids))
        columns = [np.concatenate(parts) for parts in zip(*got, strict=True)]
        if len(got) > 1:  # back into document order, each document's own order kept
            order = np.argsort(columns[0], kind="stable")
            columns = [a[order] for a in columns]
        local, tid, pos, start, end = columns
        # held until the segment is written: four bytes a number (a page is far below 2 GB)
        self._parts.append(tuple(a.astype(np.int32) for a in (  # type: ignore[arg-type]
            docnums[local], tid, pos, start, end)))
        self.occurrences += len(local)
        for d, _, boost in pending:
            if boost != 1.0:
                self.boosts[d] = boost
        lengths = np.bincount(local, minlength=len(pending))
        return list(zip(docnums.tolist(), lengths.tolist(), strict=True))

    def postings(self, lengths: np.ndarray) -> tuple[list[bytes], bytes, dict[str, np.ndarray]]:
        """Everything analysed, as the segment keeps it: the field's terms in order, their W3
        term infos (packed, TERMINFO.itemsize bytes each) and the flat arrays (flat_codec).
        ``lengths``: each document's field length as W3 quantises it."""
        if self._pending:
            raise RuntimeError("analyse() the queued documents first")
        if not self._parts:
            return [], b"", {}
        doc, tid, pos, start, end = (np.concatenate(a) for a in zip(*self._parts, strict=True))
        self._parts.clear()
        if not len(tid):
            return [], b"", {}
        present = unique(tid)
        terms = self.vocab.terms
        names = [terms[t] for t in present.tolist()]
        order = sorted(range(len(names)), key=names.__getitem__)
        rank = np.zeros(len(terms), dtype=np.int64)
        rank[present[order]] = np.arange(len(order))
        r = rank[tid]
        o = np.argsort(r, kind="stable")  # by term; each term's in document and text order
        r, doc, pos, start, end = r[o], doc[o], pos[o], start[o], end[o]
        k = len(r)
        new = np.ones(k, dtype=bool)
        new[1:] = (r[1:] != r[:-1]) | (doc[1:] != doc[:-1])
        first = np.flatnonzero(new)  # each posting's first occurrence
        pdoc, pterm = doc[first], r[first]
        counts = np.diff(np.append(first, k))
        boost = np.full(len(pdoc), self.field_boost, dtype=np.float64)
        if self.boosts:
            docboost = np.ones(int(pdoc.max()) + 1)
            for d, b in self.boosts.items():
                if d < len(docboost):
                    docboost[d] = b
            boost *= docboost[pdoc]
        weights = (counts * boost).astype(np.float32)
        nterms = len(order)
        term_posts = np.searchsorted(pterm, np.arange(nterms + 1))
        term_tokens = np.append(first, k)[term_posts]
        starts = term_posts[:-1]
        plen = lengths[pdoc]
        info = np.zeros(nterms, dtype=TERMINFO)
        info["weight"] = np.add.reduceat(weights.astype(np.float64), starts)
        info["df"] = np.diff(term_posts)
        info["minlen"] = _length_bytes(np.minimum.reduceat(plen, starts))
        info["maxlen"] = _length_bytes(np.maximum.reduceat(plen, starts))
        info["maxweight"] = np.maximum.reduceat(weights, starts)
        info["minid"] = pdoc[starts]
        info["maxid"] = pdoc[term_posts[1:] - 1]
        info["offset"] = np.arange(nterms)
        info["length"] = info["df"]
        wide = int(max(counts.max(), pos.max())) >= 1 << 16
        cwide = int(end.max()) >= 1 << 16
        small, chars = (np.uint32 if wide else np.uint16), (np.uint32 if cwide else np.uint16)
        arrays: dict[str, np.ndarray] = {
            "term_posts": term_posts.astype(np.uint32), "term_tokens": term_tokens.astype(np.int64),
            "docs": pdoc.astype(np.uint32), "weights": weights, "counts": counts.astype(small),
            "positions": pos.astype(small), "starts": start.astype(chars),
            "ends": end.astype(chars),
        }
        return [names[i] for i in order], info.tobytes(), arrays


# W3's length bytes decoded, in order (they increase): a quantised length's byte is its index
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


def _length_bytes(quantised: np.ndarray) -> np.ndarray:
    """W3's length byte of each length already quantised (``byte_to_length(length_to_byte(n))``)."""
    return np.searchsorted(_LENGTH_OF_BYTE, quantised).astype(np.uint8)
