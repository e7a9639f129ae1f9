"""Which scripts are written without spaces between words (Chinese, Japanese, Korean, Thai,
Lao, Khmer, Myanmar), and the combining marks that belong inside words: one rule for search
(which indexes such text as character bigrams), unlinked mentions and the highlighting of an
opened page (where a name in such a script has no word boundaries)."""

from __future__ import annotations

import functools
import re
import unicodedata

# Code points of scripts written without spaces between words (letters, marks, digits of them).
_NO_SPACE_BLOCKS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def _class(ranges: list[tuple[int, int]]) -> str:
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in ranges)


def _ranges(cps: list[int]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for c in cps:
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return [(a, b) for a, b in out]


# Combining marks of the Basic Multilingual Plane: all lie in these blocks (Unicode 14).
_MARK_BLOCKS = ((0x0300, 0x3100), (0xA600, 0xAC00), (0xFB00, 0xFE30))
MARKS = _class(_ranges([c for a, b in _MARK_BLOCKS for c in range(a, b)
                        if unicodedata.category(chr(c)).startswith("M")]))
_NO_SPACE = _class(list(_NO_SPACE_BLOCKS))


@functools.cache
def _no_space_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a run of CJK/Thai... text, any such character): compiled when first needed, since
    their huge character classes take ~30 ms to compile and ASCII text never needs them."""
    return (re.compile(rf"[{_NO_SPACE}][{_NO_SPACE}{MARKS}]*"), re.compile(f"[{_NO_SPACE}]"))


def no_space_run_regex() -> re.Pattern[str]:
    """Matches a run of text in those scripts (with its marks)."""
    return _no_space_regexes()[0]


def has_no_space_script(text: str) -> bool:
    """Whether ``text`` has characters of a script written without spaces (CJK, Thai...)."""
    return not text.isascii() and _no_space_regexes()[1].search(text) is not None


def no_space_runs(text: str) -> list[str]:
    """The runs of Chinese, Japanese, Thai... text in ``text``."""
    return no_space_run_regex().findall(text) if has_no_space_script(text) else []
