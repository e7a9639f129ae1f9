"""Per-article extraction: candidate names, handles, acronyms and concept phrases, with cues.

The result (:class:`Facts`) is plain JSON-friendly data kept in the compile state, so that later
articles can be resolved against everything compiled before without re-reading old raw files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wiki.compile.entities.lexicon import COMMON_CAPS, FIRST_NAMES, GENERIC_ACRONYMS, STOPWORDS
from wiki.compile.entities.names import at_sentence_start, name_runs
from wiki.compile.entities.terms import acronyms, handles, phrases
from wiki.compile.types import HEADING, Article

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9@])")
_ABBREV = re.compile(r"(?:\b(?:vs|e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Inc|Corp|Ltd|Co|No|"
                     r"approx|cf|al|Fig|Vol)|\b[A-Z])\.$")
_LOWER_WORD = re.compile(r"[a-z][a-z\-]*[a-z]")
_DEFINITION = re.compile(
    r"^([A-Za-z][a-z\-]+(?: [a-z\-]+){1,2}) (?:is|are|means|refers to|describes|was)\s+"
    r"(?!not\b|also\b|that\b|why\b|what\b|how\b)")
_LED_BY = re.compile(
    r"([A-Z][\w’'\-]*(?:\s(?:and\s|of\s|for\s|&\s)?[A-Z][\w’'\-]*)*)"
    r"(?:\s\([^)]*\))?(?:\s(?:episode|team|unit|group|lab|show|series|project))?,?\s"
    r"(?:is\s|was\s)?(led|run|headed|founded|co-founded|hosted|created)\sby\s"
    r"([A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+){1,2})")
_LED_VERBS = {"led": "Leads", "run": "Runs", "headed": "Heads", "founded": "Founder of",
              "co-founded": "Co-founder of", "hosted": "Host of", "created": "Creator of"}
# "HELEN MARSH: Thank you." - a transcript's speaker label, in capitals
_SPEAKER = re.compile(r"^([A-Z][A-Z’'\-]+(?: [A-Z][A-Z’'\-]+){0,3})(?=:\s)")
_CREDIT = re.compile(r"^\(?(?i:(?:posted |written |words |story )?by|(?:additional )?reporting by|"
                     r"editing by|writing by|compiled by)\s+[A-Z][\w’'\-.]*(?:\s[A-Z][\w’'\-.]*)+"
                     r"\s*(?:$|,|and\b|;|\bin\b|\bon\b|\(|\|)")
MAX_CONTEXT = 300
MAX_PHRASES = 200


@dataclass(slots=True)
class Facts:
    """What one article says, before any global decision about entities."""

    names: dict[str, dict] = field(default_factory=dict)  # surface -> {n, mid, pos, cues, desc}
    handles: dict[str, dict] = field(default_factory=dict)  # "@x" -> {n, pos, name}
    acronyms: dict[str, str] = field(default_factory=dict)  # "MSL" -> "Meta Superintelligence Labs"
    phrases: dict[str, list] = field(default_factory=dict)  # phrase -> [n, pos]
    lower_words: list[str] = field(default_factory=list)  # capitalised words also seen lower-case
    sents: dict[str, str] = field(default_factory=dict)  # sentence number -> the sentence (trimmed)
    defs: dict[str, str] = field(default_factory=dict)  # "vibe coding" -> "Vibe coding is ..."

    def to_json(self) -> dict:
        return {"names": self.names, "handles": self.handles, "acronyms": self.acronyms,
                "phrases": self.phrases, "lower_words": self.lower_words, "sents": self.sents,
                "defs": self.defs}

    @classmethod
    def from_json(cls, data: dict) -> Facts:
        return cls(data.get("names", {}), data.get("handles", {}), data.get("acronyms", {}),
                   data.get("phrases", {}), data.get("lower_words", []), data.get("sents", {}),
                   data.get("defs", {}))


def sentences(article: Article) -> list[str]:
    """Body sentences of an article (headings excluded), in order."""
    out: list[str] = []
    for block in article.blocks:
        if block.kind != HEADING:
            out.extend(split_sentences(block.text))
    return out


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if out and _ABBREV.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def extract(article: Article) -> Facts:
    facts = Facts()
    sents = sentences(article)
    lower_vocab = {w for s in sents for w in _LOWER_WORD.findall(s)}
    credits: list[str] = []
    for pos, sent in enumerate(sents):
        body = sent
        if _CREDIT.match(body):
            # "By Jane Doe", "(Reporting by ...; Editing by ...)": a byline makes no page of
            # its own, but counts for someone the article also names
            credits.append(body)
            continue
        label = _SPEAKER.match(body)
        if label and not any(w in GENERIC_ACRONYMS for w in label.group(1).split()):
            # "DAVID CHEN:" is David Chen, who speaks
            body = " ".join(w.capitalize() for w in label.group(1).split()) + body[label.end():]
        for name, start, cues, desc in name_runs(body, lower_vocab):
            rec = facts.names.setdefault(name, {"n": 0, "mid": 0, "pos": pos, "cues": {},
                                                "desc": ""})
            rec["n"] += 1
            if not at_sentence_start(body, start):
                rec["mid"] += 1
            for cue in cues:
                if cue == "lead":
                    rec.setdefault("lead", pos)
                    continue
                if cue.startswith("weak:"):
                    rec.setdefault("weak", cue[5:])
                    continue
                rec["cues"][cue] = rec["cues"].get(cue, 0) + 1
            if desc and not rec["desc"]:
                rec["desc"] = desc
        for m in _LED_BY.finditer(body):  # "Meta Compute, run by Daniel Gross"
            rec = facts.names.get(m.group(3))
            if rec is not None and not rec["desc"]:
                rec["desc"] = f"{_LED_VERBS[m.group(2)]} {m.group(1)}"
        acronyms(body, facts)
        handles(body, pos, facts)
        phrases(body, pos, facts)
        d = _DEFINITION.match(body)
        if d and d.group(1).casefold() not in facts.defs:
            facts.defs[d.group(1).casefold()] = _trim(re.split(r"[;:]|,\s", body)[0], 200) \
                .rstrip(".") + "."
    for head, pos in _heading_names(article):
        # "## Lorraine Daston" over a section that says "Daston ...": the heading names her
        last = facts.names.get(head.split()[-1])
        if head not in facts.names and pos < len(sents) and (
                head.split()[0].casefold() in FIRST_NAMES
                or (last and last["mid"] and head.split()[-1].casefold() not in lower_vocab)):
            facts.names[head] = {"n": 1, "mid": 1, "pos": pos, "cues": {}, "desc": ""}
    for body in credits:
        for name, _start, _cues, _desc in name_runs(body, lower_vocab):
            if name in facts.names:
                facts.names[name]["n"] += 1
                facts.names[name]["mid"] += 1
    if article.kind == "profile":
        meta = article.meta
        rec = facts.names.setdefault(meta["name"], {"n": 0, "mid": 0, "pos": -1, "cues": {},
                                                    "desc": ""})
        rec["n"] += 1
        rec["mid"] += 1
        rec["cues"]["owner"] = 1
        rec["desc"] = _trim(meta["bio"], 160)
        h = facts.handles.setdefault(meta["handle"], {"n": 0, "pos": -1, "name": ""})
        h["name"] = meta["name"]
    subject = re.match(r"^((?:[A-Z][\w’'\-]+\s){1,3})(?:on|at|with|talks|explains)\s",
                       article.title + " ")
    if subject:
        name = subject.group(1).strip()
        if name in facts.names:
            facts.names[name]["cues"]["subject"] = 1
    for name, rec in facts.names.items():  # "Why We Moved to Bazel": Bazel is the topic
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", article.title):
            rec["cues"]["title"] = 1
    titles = " ".join([article.title] + [b.text for b in article.blocks if b.kind == HEADING])
    titles = " ".join(re.findall(r"[a-z][a-z\-]*", titles.casefold()))
    for phrase, rec in facts.phrases.items():
        if phrase in titles:
            rec[0] += len(re.findall(rf"\b{re.escape(phrase)}\b", titles))
    if len(facts.phrases) > MAX_PHRASES:
        keep = sorted(facts.phrases.items(), key=lambda kv: (-kv[1][0], kv[1][1], kv[0]))
        facts.phrases = dict(keep[:MAX_PHRASES])
    used = {r["pos"] for d in (facts.names, facts.handles) for r in d.values()}
    used |= {r["lead"] for r in facts.names.values() if "lead" in r}
    used |= {r[1] for r in facts.phrases.values()}
    bio = _trim(article.meta.get("bio", "")) if article.kind == "profile" else ""
    facts.sents = {str(p): (_trim(sents[p]) if p >= 0 else bio) for p in sorted(used)}
    # canonical order, so facts read back from the state behave exactly like fresh ones
    facts.names = dict(sorted(facts.names.items()))
    facts.phrases = dict(sorted(facts.phrases.items()))
    facts.handles = dict(sorted(facts.handles.items()))
    facts.acronyms = dict(sorted(facts.acronyms.items()))
    facts.lower_words = sorted(w for w in {n.split()[0].casefold() for n in facts.names}
                               if w in lower_vocab)
    return facts


def _heading_names(article: Article) -> list[tuple[str, int]]:
    """Headings that are a name of two or three words, with the first sentence under each."""
    out: list[tuple[str, int]] = []
    pos = 0
    for block in article.blocks:
        if block.kind != HEADING:
            pos += len(split_sentences(block.text))
        elif re.fullmatch(r"[A-Z][a-z’'\-]+(?: [A-Z][a-z’'\-]+){1,2}", block.text) and not any(
                w.casefold() in STOPWORDS or w.casefold() in COMMON_CAPS
                for w in block.text.split()):
            out.append((block.text, pos))
    return out


def _trim(text: str, limit: int = MAX_CONTEXT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


