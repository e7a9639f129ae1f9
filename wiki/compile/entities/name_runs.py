"""Capitalised names in a sentence: runs of capitalised words, cleaned, with cues and descriptions.

Sentence-initial ordinary words ("Seeing", "The"), role words ("CEO", "Secretary of War") and
lower-case suffixes ("Meta-shaped") are stripped; what is left comes with cues for its kind
(``verb``: "Wang says"; ``role``; ``org``: "founder of X"; ``product``: "X glasses"; ``lead``:
the sentence starts with it) and a description when the text gives one (an appositive such as
"Alex Wang, head of Meta Superintelligence Labs," or "QwQ-32B is a reasoning model ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from wiki.compile.entities import lexicon as L
from wiki.compile.entities.facts import Cue, NameHit

# a word: letters of any script and digits, with inner hyphens, apostrophes, dots, & and +
_TOKEN = re.compile(r"@?[^\W_](?:[\-’'&.]*+[^\W_]|\++)*+")  # linear: possessive
_NUMBER = re.compile(r"\d+(?:\.\d+)*[A-Za-z]?")


def _is_cap(tok: str) -> bool:
    if tok.startswith("@"):
        return False
    return tok[0].isupper() or (tok[0].islower() and any(c.isupper() for c in tok[1:]))


def name_runs(sent: str, lower_vocab: set[str]) -> Iterator[NameHit]:
    """A :class:`NameHit` for each run of capitalised words in a sentence."""
    toks = list(_TOKEN.finditer(sent))
    runs: list[list[re.Match[str]]] = []
    cur: list[re.Match[str]] = []
    pending: list[re.Match[str]] = []
    for i, m in enumerate(toks):
        tok = m.group()
        gap = sent[toks[i - 1].end():m.start()] if i else ""
        broken = bool(gap.strip()) and not (gap.strip() in ("&",) and cur) and not (
            gap == ". " and cur and re.fullmatch(r"[A-Z]", toks[i - 1].group())
            and len(cur) >= 2 and _is_cap(tok))  # "Mary K. Donovan": a middle initial
        if broken and cur:
            runs.append(cur)
            cur, pending = [], []
        if _is_cap(tok) or (cur and not pending and _version(tok, sent, m.end())
                            and not _NUMBER.fullmatch(cur[-1].group())):
            if pending:
                cur.extend(pending)
                pending = []
            cur.append(m)
            if tok.endswith(("’s", "'s")):
                runs.append(cur)
                cur = []
        elif cur and not pending and (tok.casefold() in L.NAME_CONNECTORS or (
                tok == "for" and cur[-1].group() in L.ORG_PREFIXES)):  # "Department for X"
            pending = [m]
        else:
            if cur:
                runs.append(cur)
            cur, pending = [], []
    if cur:
        runs.append(cur)
    for run in runs:
        yield from _clean_run(sent, run, lower_vocab)


def _version(tok: str, sent: str, end: int) -> bool:
    """A version number continuing a name ("Opus 4.5", "Llama 2"), not a time or a year."""
    if not _NUMBER.fullmatch(tok) or sent[end:end + 1] in (":", "%", "-"):
        return False
    return not re.fullmatch(r"(?:19|20)\d\d|\d{3,}", tok)


def _clean_run(sent: str, run: list[re.Match[str]], lower_vocab: set[str]) -> Iterator[NameHit]:
    words = [m.group() for m in run]
    words[-1] = re.sub(r"[’']s$", "", words[-1])
    # "Meta-shaped", "Chinese-born": a lower-case suffix is not part of the name
    stem = re.sub(r"-[a-z][a-z\-]*$", "", words[-1])
    if stem != words[-1] and len(words) == 1 and at_sentence_start(sent, run[0].start()):
        return  # "Agent-based models ...": an ordinary word, capitalised to start a sentence
    words[-1] = stem
    if re.fullmatch(r"[A-Z]{2,}s", words[-1]):
        words[-1] = words[-1][:-1]  # LLMs -> LLM
    if len(words) > 1 and words[-1] in L.GENERIC_ACRONYMS and (
            words[-2] in L.ORG_SUFFIXES or words[-2] in L.NATIONALITIES or words[-2] in L.PLACES):
        words.pop()  # "New York Times AI war ad", "Chinese AI startup"
        run = run[:-1]
    at_start = at_sentence_start(sent, run[0].start())
    while words and not (words[0] == "The" and not at_start and len(words) > 1) and not (
            words[0] in L.ORG_PREFIXES and len(words) > 2 and words[1] in ("of", "for")) and (
            words[0].casefold() in L.STOPWORDS or words[0].casefold() in L.COMMON_CAPS
            or (at_start and words[0].casefold() in lower_vocab
                and words[0] not in L.KNOWN_ORGS and words[0] not in L.KNOWN_PRODUCTS)):
        words.pop(0)
        run = run[1:]
        at_start = False
    while words and words[-1].casefold() in L.NAME_CONNECTORS:
        words.pop()
        run = run[:-1]
    while len(words) > 2 and words[-1] in L.POST_NOMINALS and words[-1] not in ("II", "III", "IV"):
        words.pop()  # "Jane Marriott CMG OBE"
        run = run[:-1]
    if not words:
        return
    # split at role words: "Anthropic CEO Dario Amodei", "Secretary of War Pete Hegseth"
    role: list[str] = []
    cur: list[str] = []
    cur_start = 0
    for k, w in enumerate(words):
        if w.casefold() in L.ROLE_WORDS or w in ("CEO", "CFO", "CTO", "COO"):
            role.extend(cur)
            role.append(w)
            cur = []
            continue
        if cur and w.casefold() in L.FIRST_NAMES and role:
            role.extend(cur)
            cur = []
        if not cur:
            cur_start = k
        cur.append(w)
    object_of_role = False
    while role and cur and cur[0].casefold() in L.NAME_CONNECTORS:
        object_of_role = True  # "Chief Financial Officer of Anthropic": Anthropic is the org
        cur.pop(0)
        cur_start += 1
    if not cur:
        return
    parts = [(cur, cur_start)]
    if len(cur) >= 2 and cur[0] in L.KNOWN_ORGS and all(
            w in L.KNOWN_PRODUCTS or w in L.GENERIC_ACRONYMS for w in cur[1:]):
        parts = [([cur[0]], cur_start), (cur[1:], cur_start + 1)]  # "Google TPU", "AWS Trainium"
    for name_words, a in parts:
        b = a + len(name_words)
        hit = NameHit("", run[a].start())
        cues = hit.cues
        desc = ""
        if role and not object_of_role:
            desc = " ".join(w for w in role if w.casefold() not in ("majesty", "highness"))
            cues.append(Cue.ROLE)
        elif object_of_role:
            cues.append(Cue.ORG)
        name = " ".join(w + "." if len(w) == 1 and w.isupper() and 0 < k < len(name_words) - 1
                        and sent[run[a + k].end():run[a + k].end() + 1] == "." else w
                        for k, w in enumerate(name_words))
        end = run[min(b, len(run)) - 1].end()
        after = sent[end:end + 40].casefold()
        before = sent[max(0, run[a].start() - 40):run[a].start()].casefold()
        nxt = re.match(r"[’']?s?\s*([a-z\-]+)", after)
        nxt_word = nxt.group(1) if nxt else ""
        if nxt_word in L.PERSON_VERBS:
            cues.append(Cue.VERB)
        if nxt_word in L.PRODUCT_WORDS or nxt_word in _PRODUCT_NEXT or re.search(
                r"\b(?:model|called|launched|released|version of|app)\s+$", before):
            cues.append(Cue.PRODUCT)
        if re.search(r"\b(?:ceo|cfo|cto|founder|co-?founder|head|president|employees?|acquired|"
                     r"acquisition of|investors? in|company|startup|lab|labs|operator|regulator|"
                     r"agency|firm|maker|consultancy|bank|broker|insurer|retailer|utility|"
                     r"carrier|airline|publisher|charity|watchdog),?\s+(?:of|at|in)?"
                     r"\s*$", before) or nxt_word in ("company", "lab", "startup", "firm", "team") \
                or re.search(r"\b(?:ceo|cfo|cto|founder|head|president|chief|director|engineer|"
                             r"researcher|scientist|partner|employee|manager|analyst|vp|works?|"
                             r"worked|chemist)\b[^,.;]{0,30}\bat\s*$", before):
            cues.append(Cue.ORG)
        prev_role = re.search(r"\b([a-z\-]+\s)?([a-z\-]+)\s+$", before)
        if prev_role and prev_role.group(2) in L.ROLE_WORDS and not desc:
            adj = prev_role.group(1) or ""
            if not re.fullmatch(r"(?:[a-z\-]+(?:al|ary|ic|ive|ian|ese)|former|senior|chief) ",
                                adj):
                adj = ""
            if prev_role.group(2) != "colleague":  # "my colleague X" says nothing of X
                desc = adj + prev_role.group(2)
            cues.append(Cue.ROLE)
        titled = _TITLED.search(before)
        if titled:  # "a book titled X", "his new company, X": a weak description, a kind
            hit.weak_kind = re.sub(r"^(?:new|latest|own)\s+", "", titled.group(1))
            head = titled.group(2)
            cues.append(Cue.ORG if head in ("company", "startup", "lab", "firm") else Cue.PRODUCT)
        if not desc and b == len(words) and not re.search(
                r"(?:,|\b(?:of|at|for|with|and|or|from|to|in|by|like|as))\s*$",
                sent[max(0, run[a].start() - 60):run[a].start()]):  # (not all before: quadratic)
            desc = _appositive(sent, end)
            if any(w.strip(",").casefold() in L.ROLE_WORDS for w in desc.split()[:4]):
                cues.append(Cue.ROLE)
        if run[a].start() == 0 and re.match(r"\s+[a-z]", sent[end:]) and b == len(words) \
                and not run[min(b, len(run)) - 1].group().endswith(("’s", "'s")) \
                and ":" not in sent[:80]:
            hit.leads = True  # the sentence is about it: "Composer represents ..."
        if _good_name(name):
            hit.name, hit.desc = name, desc.strip()
            yield hit


def _good_name(name: str) -> bool:
    words = name.split()
    if len(name) < 2 or not any(c.isalpha() for c in name):
        return False
    if any("." in w and not re.search(r"\d\.\d", w) and not re.fullmatch(r"[A-Z]\.", w)
           for w in words):
        return False
    if all(w in L.NATIONALITIES for w in words) or name in L.PLACES:
        return False
    if len(words) == 1 and (name.casefold() in L.STOPWORDS or name.casefold() in L.COMMON_CAPS):
        return False
    return not name.startswith(("’", "'"))


def at_sentence_start(sent: str, start: int) -> bool:
    # (looks only at what stands next to ``start``: copying all of ``sent[:start]`` for every
    # run of a sentence thousands of words long was quadratic)
    end = start
    while end > 0 and sent[end - 1].isspace():
        end -= 1
    if end == 0 or sent[end - 1] in ":—":
        return True
    begin = 0
    while begin < end and sent[begin].isspace():
        begin += 1
    return end - begin == 1 and sent[begin] in "“\"‘(-"


_TITLED = re.compile(
    r"\b(?:a|an|his|her|their|its|the)\s+((?:[a-z\-]+\s){0,3}?"
    r"(book|podcast|paper|film|album|novel|show|company|startup|lab|firm))"
    r"(?:,\s*|\s+(?:titled|called|named)\s+)$")
_APPOS_START = re.compile(
    r"^,\s+((?:a|an|the|its|his|her|their|our|co-?founder|founder|head|ceo|chief|former|"
    r"author|host|creator|director|president|one)\b[^,;.()]{3,110})[,.;]", re.IGNORECASE)
_PRODUCT_NEXT = frozenset("installer prompt plugin feature release launch api sdk library repo "
                          "extension service update demo prototype".split())
_LISTISH = re.compile(r"\s*(?:why|how|what|where|when|whether|which|or)\b")
_COPULA = re.compile(r"^(?:\s*\([^)]*\))?\s+is\s+((?:a|an|the)\s[^,;.:]{3,110})", re.IGNORECASE)


def _appositive(sent: str, end: int) -> str:
    rest = sent[end:]
    rest = re.sub(r"^[’']s\b", "", rest)
    paren = re.match(r"^\s*\([^)]*\)", rest)
    if paren:
        rest = rest[paren.end():]
    m = _APPOS_START.match(rest)
    if m and (len(m.group(1).split()) >= 3 or m.group(1).split()[0].casefold() in L.ROLE_WORDS):
        if m.group(0).endswith(",") and _LISTISH.match(rest[m.end():]):
            return ""  # a list ("covered X, the limits of Y, why Z, and ..."), not an appositive
        return m.group(1).strip()
    if sent[:end].strip() == sent[:end].strip().split(" ", 3)[0] or _first_name_at_start(sent, end):
        m = _COPULA.match(sent[end:])
        if m and len(m.group(1).split()) >= 3 and not (
                sent[end + m.end():].startswith(":") and len(m.group(1).split()) <= 4):
            return m.group(1).strip()
    return ""


def _first_name_at_start(sent: str, end: int) -> bool:
    """The name ending at ``end`` is the subject at the start of the sentence."""
    head = sent[:end]
    return len(head.split()) <= 5 and all(w[:1].isupper() or w[:1].isdigit() for w in head.split())


