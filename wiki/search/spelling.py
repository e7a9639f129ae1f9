"""'Did you mean': the words the pages use, and the closest known one to a misspelt word."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from wiki.core.model import Page
from wiki.core.scripts import MARKS, has_no_space_script
from wiki.search.analysis import fold

# Words of letters (with their combining marks); runs of Chinese, Japanese, Thai... are left out:
# they are sentences, not words, and bigrams are no dictionary.
_SPELL_WORD = re.compile(rf"[^\W\d_]+(?:[{MARKS}]+[^\W\d_]*)*")
MIN_LENGTH = 3


def _is_spelt(word: str) -> bool:
    return len(word) >= MIN_LENGTH and (word.isascii() or not has_no_space_script(word))


class SpellWords:
    """Words the pages use as written (not stemmed), with how many pages use each: the
    dictionary for "did you mean". Kept in a text file beside the index; it only grows, which is
    harmless because a suggestion is only offered when it finds something."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.counts: Counter[str] = Counter()
        self._mtime_ns = -1
        self._pending: Counter[str] = Counter()
        self._choices: tuple[tuple[int, int], list[str], list[str]] = ((0, 0), [], [])

    @staticmethod
    def words_of(page: Page) -> set[str]:
        text = " ".join((page.title, " ".join(page.aliases), page.body)).lower()
        return {w for w in set(_SPELL_WORD.findall(text)) if _is_spelt(w)}

    @staticmethod
    def words_in(word: str) -> list[str]:
        """The words for "did you mean" inside one word of the search index's analysis (a
        word of letters and digits, maybe joined by '.' or '_'): the bulk writer counts
        these, once per word it has seen (wiki/search/whoosh_internals/flat_build.py)."""
        return [w for w in _SPELL_WORD.findall(word.lower()) if _is_spelt(w)]

    def add(self, counts: Counter[str]) -> None:
        """Count these words (call with the index lock held: searches read the counts)."""
        self._pending.update(w for w in counts if w not in self.counts)
        self.counts.update(counts)

    def flush(self) -> None:
        """Append words seen for the first time since the last flush."""
        if not self._pending:
            return
        with self.path.open("a", encoding="utf-8") as f:
            f.write("".join(f"{w}\t{self.counts[w]}\n" for w in self._pending))
        self._pending.clear()
        self._mtime_ns = self.path.stat().st_mtime_ns

    def reset(self) -> None:
        self.counts.clear()
        self._pending.clear()
        self._mtime_ns = -1

    def load(self) -> None:
        """(Re)read the file if it changed on disk (another process may be writing it)."""
        try:
            mtime = self.path.stat().st_mtime_ns
            if mtime == self._mtime_ns:
                return
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return
        counts: Counter[str] = Counter()
        for line in lines:
            word, _, n = line.partition("\t")
            if word:
                counts[word] = max(counts[word], int(n) if n.isdigit() else 1)
        self.counts = counts
        self._mtime_ns = mtime

    def known(self, word: str) -> bool:
        return word.lower() in self.counts

    def _folded_choices(self) -> tuple[list[str], list[str]]:
        """The known words, and each without accents (cached until the counts change)."""
        key = (id(self.counts), len(self.counts))
        if self._choices[0] != key:
            words = list(self.counts)
            self._choices = (key, words, [fold(w) for w in words])
        return self._choices[1], self._choices[2]

    def suggest(self, word: str) -> str | None:
        """The closest known word (edit distance 1-2 once accents are set aside, the most used
        on ties), or None. None for words of Chinese, Japanese, Thai...: no dictionary."""
        word = word.lower()
        if len(word) < MIN_LENGTH or not self.counts or has_no_space_script(word):
            return None
        maxdist = 1 if len(word) <= 4 else 2
        words, folded = self._folded_choices()
        near = process.extract(fold(word), folded, scorer=Levenshtein.distance,
                               score_cutoff=maxdist, limit=20)
        found = [(words[i], d) for _, d, i in near if words[i] != word]
        if not found:
            return None
        return min(found, key=lambda wd: (wd[1], -self.counts[wd[0]], wd[0]))[0]
