"""How text becomes search terms, in every script.

- Words of scripts written with spaces (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari...)
  are lower-cased and folded: accents and other diacritics dropped (Café → cafe, Straße →
  strasse, İstanbul → istanbul, مُحَمَّد → محمد), then stemmed (English rules) and English stop
  words dropped. A word that folding changed is also indexed as written (lower-cased, stemmed)
  at the same position, so an exact accented query can rank exact matches first
  (``exact_terms``).
- Scripts written without spaces (Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar) are
  indexed as overlapping character bigrams (机器学习 → 机器 器学 学习), plus every single
  character, as Lucene's CJK analysis does; a query of several characters is the phrase of its
  bigrams, so a word is found inside a sentence and ranked by BM25 like any other term.

``Analyzer.word_values`` is the one implementation; the Whoosh analyzer interface
(``__call__``) replays it as tokens, so the bulk writer and Whoosh's writer index the same terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Analyzer as WhooshAnalyzer
from whoosh.analysis import Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

from wiki.core.scripts import MARKS, has_no_space_script, no_space_run_regex

# Diacritics that folding removes (Latin, Greek, Cyrillic accents; Hebrew points; Arabic
# harakat). Vowel signs of Indic and South-East Asian scripts are letters' parts and stay.
_FOLDED_MARKS = frozenset(
    c for a, b in ((0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A),
                   (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x1AB0, 0x1AFF),
                   (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
    for c in range(a, b + 1))
_SPECIAL = str.maketrans({
    "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th",
    "ł": "l", "ŀ": "l", "ı": "i", "ħ": "h", "ŧ": "t", "ſ": "s", "ς": "σ",
    "ٱ": "ا", "\u0640": "",  # Arabic alef wasla, tatweel (a stretch, not a letter)
})


# Words: letters and digits (with the combining marks inside them), joined by '.' (3.14, e.g)
# or '_' (snake_case); Markdown's * and _ emphasis marks and apostrophes split words (so "Ada's"
# finds "Ada"). A run of Chinese (or Thai...) text is one match, split into bigrams below.
_LETTERS = rf"[^\W_]+(?:[{MARKS}]+[^\W_]*)*"
WORD_PATTERN = rf"{_LETTERS}(?:[._]{_LETTERS})*"
_WORD = re.compile(WORD_PATTERN)


MIN_WORD = 2  # shorter words of spaced scripts are dropped, as Whoosh's StopFilter does
MAX_CACHED = 24  # longer words (mostly runs of Chinese text) are not kept in the word cache

Entry = tuple[int, int, int]  # (position, start char, end char)
WordValues = dict[str, list[Entry]]
_Piece = tuple[int, int, int, str, int]  # (position offset, start, end, term, kind)
QUERIED, EXACT, CHARACTER = 0, 1, 2  # kinds of terms: the last two only in documents


def fold(word: str) -> str:
    """``word`` (lower-cased) without accents and other diacritics: café → cafe."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_SPECIAL))
    kept = "".join(c for c in decomposed if ord(c) not in _FOLDED_MARKS)
    return unicodedata.normalize("NFC", kept.translate(_SPECIAL))


class Analyzer(WhooshAnalyzer):
    """The analyzer of every text field (see the module docstring)."""

    def __init__(self) -> None:
        self.stops = STOP_WORDS
        self._stems: dict[str, str | bool] = {}  # folded word -> its stem, False if dropped
        self._words: dict[str, tuple[tuple[_Piece, ...], int]] = {}  # non-ASCII word -> pieces

    def __eq__(self, other: object) -> bool:
        return type(other) is Analyzer

    def __hash__(self) -> int:
        return hash(Analyzer)

    def __getstate__(self) -> dict:  # Whoosh pickles the schema into its table of contents
        return {"analyzer": 1}  # the caches stay out (and a false value would skip setstate)

    def __setstate__(self, state: dict) -> None:
        Analyzer.__init__(self)

    def __repr__(self) -> str:
        return f"{type(self).__module__}.Analyzer()"

    # ----- words -----
    def stem(self, word: str) -> str | bool:
        """The stem of a folded, lower-cased word; False for stop words and one letter."""
        got = self._stems.get(word)
        if got is None:
            if len(word) < MIN_WORD or word in self.stops:
                got = False
            else:
                got = porter_stem(word)
            self._stems[word] = got
        return got

    def _pieces(self, word: str) -> tuple[tuple[_Piece, ...], int]:
        """What a non-ASCII word becomes: its terms with positions and character offsets
        relative to the word, and how many positions it takes."""
        got = self._words.get(word)
        if got is not None:
            return got
        pieces: list[_Piece] = []
        pos = 0
        at = 0
        runs = no_space_run_regex().finditer(word) if has_no_space_script(word) else ()
        for run in runs:
            if run.start() > at:
                pos = self._spaced(word[at:run.start()], at, pos, pieces)
            pos = _bigrams(run.group(), run.start(), pos, pieces)
            at = run.end()
        if at < len(word):
            pos = self._spaced(word[at:], at, pos, pieces)
        got = (tuple(pieces), pos)
        if len(word) <= MAX_CACHED:
            self._words[word] = got
        return got

    def _spaced(self, word: str, start: int, pos: int, out: list[_Piece]) -> int:
        lower = word.lower()
        folded = fold(lower)
        if not folded:
            return pos
        stemmed = self.stem(folded)
        if stemmed is False:
            return pos
        end = start + len(word)
        out.append((pos, start, end, str(stemmed), QUERIED))
        if folded != lower:
            exact = porter_stem(lower)
            if exact != stemmed:
                out.append((pos, start, end, exact, EXACT))
        return pos + 1

    def exact_terms(self, text: str) -> list[str]:
        """The as-written terms of the accented words in ``text`` (for the exact-match bonus)."""
        if text.isascii():
            return []
        out: list[str] = []
        for m in _WORD.finditer(text):
            for _, _, _, term, kind in self._pieces(m.group())[0]:
                if kind == EXACT and term not in out:
                    out.append(term)
        return out

    # ----- analysis -----
    def word_values(self, text: str, index: bool = True) -> WordValues:
        """Every term of ``text`` with its (position, start, end) entries, terms in order of
        first occurrence. ``index``: also the as-written forms and the single characters of
        CJK runs, which documents carry and queries do not."""
        seen: WordValues = {}
        pos = 0
        ascii_text = text.isascii()
        if ascii_text:  # lower-casing ASCII all at once keeps every offset
            text = text.lower()
        stem = self.stem
        stems = self._stems
        for m in _WORD.finditer(text):
            word = m.group()
            if ascii_text or word.isascii():
                if not ascii_text:
                    word = word.lower()
                got = stems.get(word)
                if got is None:
                    got = stem(word)
                if got is False:
                    continue
                entry = (pos, *m.span())
                entries = seen.get(got)  # type: ignore[arg-type]
                if entries is None:
                    seen[got] = [entry]  # type: ignore[index]
                else:
                    entries.append(entry)
                pos += 1
                continue
            pieces, npos = self._pieces(word)
            base = m.start()
            for dpos, start, end, term, kind in pieces:
                if kind and not index:
                    continue
                entry = (pos + dpos, base + start, base + end)
                entries = seen.get(term)
                if entries is None:
                    seen[term] = [entry]
                else:
                    entries.append(entry)
            pos += npos
        return seen

    def _one(self, value: str) -> str:
        """An untokenised value (the text of a prefix or wildcard query), as terms are."""
        lower = value.lower()
        if has_no_space_script(lower):
            return lower
        folded = fold(lower)
        return folded if folded in self.stops else porter_stem(folded)

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        if not tokenize:
            t.original = value
            t.text = self._one(value)
            t.pos, t.startchar, t.endchar = start_pos, start_char, start_char + len(value)
            yield t
            return
        values = self.word_values(value, index=mode == "index")
        flat = sorted((entry, i, term) for i, (term, entries) in enumerate(values.items())
                      for entry in entries)
        for (pos, start, end), _, term in flat:
            t.text = term
            if keeporiginal:
                t.original = value[start:end]
            t.pos = start_pos + pos
            t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def _bigrams(run: str, start: int, pos: int, out: list[_Piece]) -> int:
    """A run of CJK (or Thai...) text: its bigrams, and every character (index only)."""
    n = len(run)
    if n == 1:
        out.append((pos, start, start + 1, run, QUERIED))
        return pos + 1
    for i in range(n - 1):
        out.append((pos + i, start + i, start + i + 1, run[i], CHARACTER))
        out.append((pos + i, start + i, start + i + 2, run[i:i + 2], QUERIED))
    out.append((pos + n - 2, start + n - 1, start + n, run[n - 1], CHARACTER))
    return pos + n - 1
