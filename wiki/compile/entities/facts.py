"""What one article says about names, handles, acronyms and phrases: typed records, kept in the
compile state so later articles are resolved against everything compiled before without
re-reading old raw files.

The JSON form (``Facts.to_json`` / ``Facts.from_json``) uses the field names; ``FACTS_VERSION``
changes whenever it does, and facts of another version are not read (the compile then re-reads
those articles from ``raw/``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

# 4: profile and possessive cues, the sentences of each name, names only in inline code;
# 3: code_names; 2: typed records; 1: short keys (n, mid, pos, "weak:" cues)
FACTS_VERSION = 4


class Cue(StrEnum):
    """A hint, from the words around a name, of what kind of thing it is."""

    VERB = "verb"  # "Wang says": a person's verb follows
    ROLE = "role"  # "CEO Dario Amodei", "Alex Wang, head of ...": a person with a role
    ORG = "org"  # "founder of X", "X company", "works at X"
    PRODUCT = "product"  # "X glasses", "launched X"
    SUBJECT = "subject"  # the article's title is about it: "Dwarkesh on ..."
    OWNER = "owner"  # the owner of a social profile
    TITLE = "title"  # named in the article's title
    SURNAME = "surname"  # later named by the last word alone, as people are ("Fournier, who")
    AUTHOR = "author"  # the article's author (frontmatter, meta tags, PDF metadata)
    OPENING = "opening"  # named in the article's opening sentences, where a story says who
    PROFILE = "profile"  # the text of a link to that name's own profile ("[Kobzol](github/Kobzol)")
    POSSESSIVE = "possessive"  # "Sustain's view", mid-sentence: something that owns or holds views


@dataclass(slots=True)
class NameHit:
    """One capitalised name found in one sentence, with what its neighbours say about it."""

    name: str
    start: int  # offset in the sentence
    cues: list[Cue] = field(default_factory=list)
    desc: str = ""  # a description the text gives (an appositive, a role)
    leads: bool = False  # the sentence starts with it and is about it ("Composer represents ...")
    weak_kind: str = ""  # "book" of "a book titled X": a kind, and a weak description


@dataclass(slots=True)
class NameFacts:
    """Everything one article says about one spelling of a name."""

    count: int = 0
    mid_sentence: int = 0  # mentions not at the start of a sentence
    first_sentence: int = 0  # sentence number of the first mention (-1: a profile's bio)
    cues: Counter[str] = field(default_factory=Counter)  # by Cue (a str enum: "verb" == Cue.VERB)
    desc: str = ""
    lead_sentence: int | None = None  # the first sentence that starts with it
    weak_kind: str = ""

    def to_json(self) -> dict:
        data: dict = {"count": self.count, "mid_sentence": self.mid_sentence,
                      "first_sentence": self.first_sentence,
                      "cues": {str(c): n for c, n in sorted(self.cues.items())},
                      "desc": self.desc}
        if self.lead_sentence is not None:
            data["lead_sentence"] = self.lead_sentence
        if self.weak_kind:
            data["weak_kind"] = self.weak_kind
        return data

    @classmethod
    def from_json(cls, data: dict) -> NameFacts:
        return cls(data["count"], data["mid_sentence"], data["first_sentence"],
                   Counter(data.get("cues", {})),  # Cue values as keys: equal to the Cue
                   data.get("desc", ""), data.get("lead_sentence"), data.get("weak_kind", ""))


@dataclass(slots=True)
class HandleFacts:
    """An ``@handle`` in one article: how often, where first, and the name written next to it."""

    count: int = 0
    first_sentence: int = 0
    name: str = ""


@dataclass(slots=True)
class PhraseFacts:
    """A lower-case phrase that may be a concept ("reinforcement learning")."""

    count: int = 0
    first_sentence: int = 0


@dataclass(slots=True)
class Facts:
    """What one article says, before any global decision about entities."""

    names: dict[str, NameFacts] = field(default_factory=dict)  # by the spelling in the text
    handles: dict[str, HandleFacts] = field(default_factory=dict)  # "@x" -> ...
    acronyms: dict[str, str] = field(default_factory=dict)  # "MSL" -> "Meta Superintelligence Labs"
    phrases: dict[str, PhraseFacts] = field(default_factory=dict)
    lower_words: list[str] = field(default_factory=list)  # capitalised words also seen lower-case
    sentences: dict[int, str] = field(default_factory=dict)  # number -> the sentence (trimmed)
    definitions: dict[str, str] = field(default_factory=dict)  # "vibe coding" -> "Vibe coding is"
    code_names: list[str] = field(default_factory=list)  # classes, constants of its code blocks
    # name or phrase as written -> the sentences it is in (the first ``MAX_PLACES``): what is
    # named in one sentence together is connected ("Related")
    places: dict[str, list[int]] = field(default_factory=dict)
    code_only: list[str] = field(default_factory=list)  # names only ever written as inline code

    def sentence(self, number: int | None) -> str:
        return self.sentences.get(number, "") if number is not None else ""

    def to_json(self) -> dict:
        return {
            "names": {k: v.to_json() for k, v in self.names.items()},
            "handles": {k: [v.count, v.first_sentence, v.name] for k, v in self.handles.items()},
            "acronyms": self.acronyms,
            "phrases": {k: [v.count, v.first_sentence] for k, v in self.phrases.items()},
            "lower_words": self.lower_words,
            "sentences": [[n, s] for n, s in self.sentences.items()],
            "definitions": self.definitions,
            "code_names": self.code_names,
            "places": self.places,
            "code_only": self.code_only,
        }

    @classmethod
    def from_json(cls, data: dict) -> Facts:
        return cls(
            {k: NameFacts.from_json(v) for k, v in data.get("names", {}).items()},
            {k: HandleFacts(*v) for k, v in data.get("handles", {}).items()},
            dict(data.get("acronyms", {})),
            {k: PhraseFacts(*v) for k, v in data.get("phrases", {}).items()},
            list(data.get("lower_words", [])),
            {int(n): s for n, s in data.get("sentences", [])},
            dict(data.get("definitions", {})),
            list(data.get("code_names", [])),
            {k: list(v) for k, v in data.get("places", {}).items()},
            list(data.get("code_only", [])),
        )
