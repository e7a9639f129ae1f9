"""What a sentence's markup says about the names in it, before the names are read.

Real articles carry more than prose: Markdown link definitions (``[zulip]: https://…``),
definition-list labels (``Mechanism : It uses …``), names only ever written as inline code
(`` `Send` ``), code comments, links to a person's own profile, bare site names
(``crates.io``) and editions named by a year (``Rust 2018``). These functions tell ``extract``
which of them are names, and which are not prose at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

# "[zulip]: https://rust-lang.zulipchat.com/": where a link points, not a sentence
_LINK_DEFINITION = re.compile(r"^\s*\[[^\]\n]{1,200}\]:\s*\S")
# "Mechanism : It uses …", "Network Type : The …": the label of a definition list (a space
# before the colon, as Sphinx and many converters write them), not a mention
_LABEL = re.compile(r"(?<![^\s(])[A-Z][\w\-]*(?: [A-Za-z][\w\-]*){0,3}(?: \([^)]{0,40}\))? :"
                    r"(?=\s)")
# code comments and strings: prose inside code, whose words say nothing of the code's names
_CODE_PROSE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                         r"|(?:(?<=\s)|^)(?:#(?![\[!])|//).*$", re.MULTILINE)
# "[Kobzol](https://github.com/Kobzol)": a name linked to its own profile page
_PROFILE_LINK = re.compile(
    r"\[([^\]\n]{2,60})\]\(https?://(?:www\.)?(?:github\.com|gitlab\.com|twitter\.com|x\.com"
    r"|bsky\.app/profile|linkedin\.com/in)/@?([\w.\-]{2,60})/?\)")
# "crates.io", "areweasyncyet.rs": a site named in the text (a URL is not prose at all)
_SITE = re.compile(r"(?<![\w@/.\-])([a-z][a-z0-9\-]{1,40}\.(?:io|rs|org|com|dev|net|fm|app|ai))"
                   r"(?![\w/\-]|\.\w)")
# "Rust 2018": a name with a year, an edition when said again and again
_YEAR_NAME = re.compile(r"(?<![\w’'\-])([A-Z][a-z]{2,}) ((?:19|20)\d\d)(?![\w\-%:])")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_WORD = re.compile(r"@?[^\W_](?:[\-’'&.]*+[^\W_]|\++)*+")  # a word as name_runs reads it

YEAR_NAME_MIN_MENTIONS = 3
SITE_MIN_MENTIONS = 2


def is_link_definition(sentence: str) -> bool:
    return bool(_LINK_DEFINITION.match(sentence))


def drop_labels(text: str) -> str:
    """The text without definition-list labels ("Mechanism : ...")."""
    return _LABEL.sub(" : ", text) if " :" in text else text


def code_without_prose(code: str) -> str:
    """A code block without its comments, docstrings and string literals."""
    return _CODE_PROSE.sub(" ", code)


def profile_names(sentence: str) -> Iterator[str]:
    """Names written as the text of a link to their own profile."""
    for m in _PROFILE_LINK.finditer(sentence):
        text, account = m.group(1).strip(), m.group(2)
        squashed = re.sub(r"[\W_]+", "", text).casefold()
        if squashed and squashed == re.sub(r"[\W_]+", "", account).casefold():
            yield text


def sites(text: str) -> Iterator[tuple[str, bool]]:
    """``(site, followed by "team")`` for each bare site name in the prose."""
    for m in _SITE.finditer(text):
        yield m.group(1), text[m.end():m.end() + 5].casefold() == " team"


def year_names(texts: Iterable[str]) -> Counter[str]:
    """"Rust 2018" said at least three times: a name (an edition, a release)."""
    counts: Counter[str] = Counter(f"{m.group(1)} {m.group(2)}" for t in texts
                                   for m in _YEAR_NAME.finditer(t))
    return Counter({k: n for k, n in counts.items() if n >= YEAR_NAME_MIN_MENTIONS})


def words_outside_code(texts: Iterable[str]) -> set[str]:
    """Every word of the prose outside inline code: a name never written there is code."""
    out: set[str] = set()
    for t in texts:
        for w in _WORD.findall(_INLINE_CODE.sub(" ", t)):
            out.add(w)
            out.add(re.sub(r"[’']s$", "", w))
            out.add(re.sub(r"-[a-z][a-z\-]*$", "", w))  # "Meta-shaped": Meta
    return out


def in_words(name: str, words: set[str]) -> bool:
    """Every word of ``name`` is among ``words`` (an initial's dot aside)."""
    return all(w in words for w in _WORD.findall(name))
