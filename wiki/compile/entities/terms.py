"""Terms found in one sentence: acronyms with their long forms, @handles (with the name written
next to them), and lower-case phrases that may be concepts. Pure functions of the sentence; the
article's :class:`~wiki.compile.entities.facts.Facts` are assembled by ``extract``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wiki.compile.entities import lexicon as L

_ACRONYM = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Z0-9]*s?|[A-Z]{2,}s?")
_HANDLE = re.compile(r"(?<![\w/.])@([A-Za-z0-9_]{2,30})\b")
_PAREN = re.compile(r"\(([^()]{1,80})\)")
# a phrase ending in an adjective or a participle is a fragment ("characterize physical",
# "two dedicated"), not the name of an idea
_COMPOUND = re.compile(r"(?<![\w\-’'`])([a-z]{3,})-([a-z]{3,})(?![\w\-`])")
_ADJECTIVE_END = re.compile(r"(?:ical|ous|ful|ive|able|ible|ed)$")


def acronyms(sent: str) -> Iterator[tuple[str, str]]:
    """``(acronym, long form)`` for each ``Long Name (LN)`` and ``LN (Long Name)`` pair."""
    for m in _PAREN.finditer(sent):
        inner = m.group(1).strip()
        before = sent[:m.start()].rstrip()
        if _ACRONYM.fullmatch(inner) and len(inner) <= 8:
            long = _expand(inner.rstrip("s") if inner.endswith("s") and inner[:-1].isupper()
                           else inner, before.split())
            if long:
                yield inner, long
        else:
            acro = re.search(r"\b([A-Z][A-Za-z]*[A-Z][A-Z0-9]*)$", before)
            if acro and len(acro.group(1)) <= 8:
                long = _expand(acro.group(1), inner.split(), from_start=True)
                if long:
                    yield acro.group(1), long


def _expand(acro: str, words: list[str], from_start: bool = False) -> str:
    letters = [c for c in acro if c.isupper()]
    if len(letters) < 2:
        return ""
    for n in range(len(letters), min(len(words), len(letters) + 3) + 1):
        cand = words[:n] if from_start else words[-n:]
        sig = [w for w in cand if w.casefold() not in ("and", "of", "for", "the", "&", "to")]
        initials = [w.lstrip("“‘\"(")[:1].upper() for w in sig]
        if initials == letters or "".join(initials) == "".join(letters):
            text = re.sub(r"[’']s$", "", " ".join(cand).strip("“”‘’\"(),;: "))
            if cand[0].casefold() not in L.STOPWORDS:
                return text  # "Chief Medical Officer’s (CMO) guidelines": the officer
    # "Safe Superintelligence (SSI)": capitalised words whose letters hold the acronym in order
    for n in range(2, min(len(words), len(letters)) + 1):
        cand = words[:n] if from_start else words[-n:]
        if not all(w[:1].isupper() for w in cand) or cand[0][0] != letters[0]:
            continue
        if _subsequence("".join(letters).casefold(), "".join(cand).casefold()) \
                and all(w[0].casefold() in acro.casefold() for w in cand):
            return " ".join(cand).strip("“”‘’\"(),;: ")
    return ""


def _subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(c in it for c in needle)


def handles(sent: str) -> Iterator[tuple[str, str]]:
    """``(@handle, name written next to it or "")`` for each handle in the sentence."""
    for m in _HANDLE.finditer(sent):
        handle = "@" + m.group(1)
        after = re.match(r"\s*[-–—:]\s*((?:[A-Z][\w’'\-]+\s?){2,3})", sent[m.end():])
        before = re.search(r"((?:[A-Z][\w’'\-]+\s){1,2}[A-Z][\w’'\-]+)\s*\(\s*$",
                           sent[:m.start()]) if sent[m.end():].lstrip().startswith(")") else None
        yield handle, (after.group(1) if after else before.group(1) if before else "").strip()


def compounds(sent: str) -> Iterator[str]:
    """Two lower-case words made one ("async-await")."""
    for m in _COMPOUND.finditer(sent):
        if m.group(1) not in L.STOPWORDS and m.group(2) not in L.STOPWORDS:
            yield m.group()


def phrases(sent: str, terms: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every two- and three-word lower-case phrase of the sentence that could name a concept;
    ``terms``: the compounds ("async-await") the article uses as a phrase of two words."""
    words = re.findall(r"[A-Za-z][A-Za-z\-’']*[A-Za-z]|[^\sA-Za-z]+", sent)
    run: list[str] = []
    for w in words + ["."]:
        if w in terms and any(True for _ in _grams(w.split("-"))):
            yield w  # "async-await": two words made one, a phrase of its own
        if w[0].isalpha() and w.islower() and w not in L.STOPWORDS and len(w) >= 3 \
                and "'" not in w and "’" not in w:  # "don't" ends a phrase
            run.append(w)
            continue
        if w == "of" and run:
            run.append(w)
            continue
        yield from _grams(run)
        run = []


def _grams(run: list[str]) -> Iterator[str]:
    while run and run[-1] == "of":
        run.pop()
    for n in (2, 3):
        for i in range(len(run) - n + 1):
            gram = run[i:i + n]
            if gram[0] == "of" or gram[-1] == "of" or (n == 2 and "of" in gram):
                continue
            if gram[0] in L.GENERIC_MODIFIERS or gram[-1] in L.GENERIC_HEADS \
                    or gram[0] in L.NUMBER_WORDS or gram[0] in L.CLAUSE_VERBS \
                    or gram[-1] in L.CLAUSE_VERBS or gram[-1] in L.PLAIN_ADJECTIVES \
                    or _ADJECTIVE_END.search(gram[-1]):
                continue
            if any(w.endswith("ly") for w in gram) or (
                    n == 3 and any(w in L.GENERIC_MODIFIERS for w in gram)):
                continue
            yield " ".join(gram)
