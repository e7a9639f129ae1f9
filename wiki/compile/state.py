"""What the compiler knows between runs, in ``<vault>/.wiki/``.

``compile-state.json`` (format ``VERSION``):

* ``raw``: per raw file (vault-relative), a :class:`RawRecord`: its size, mtime, hash, the
  articles found in it (their ids ``raw/x.txt#0``) and the error it gave, if any;
* ``sources``: per article id, a :class:`SourceRecord`: its title, ingest date, and which entity
  pages it feeds;
* ``pages``: per generated page, a :class:`PageRecord`: the hash of what the compiler last wrote,
  whether the user edited it, and its one-line summary for index.md.

``compile-facts.jsonl``: what each article says (its :class:`Facts`), one JSON line per article
compiled after a first line naming the facts' format, appended as articles are added (a later
line for the same id wins; ``null`` facts mark a removed article) and compacted when it holds too
many stale lines. Appending keeps an ingest into a large vault fast.

Older formats are upgraded when read: a state of version 3 or 4 (short keys) is converted, and
facts of another format are dropped, so the next compile re-reads those articles from ``raw/``
(the pages it then writes are the same). Both files can be lost: the next compile reads every
file in ``raw/`` again, and recognises the pages it made (edited by the user or not) by the stamp
in their frontmatter (``writer.provenance``). What is lost is the first ingest date of each
article and the log's record of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from wiki.compile.entities.facts import FACTS_VERSION, Facts
from wiki.compile.writing.writer import PageRecord, atomic_write
from wiki.core.rules import STATE_DIR

STATE_FILE = "compile-state.json"
FACTS_FILE = "compile-facts.jsonl"
VERSION = 5  # 5: typed records with long keys; 4: pages carry a stamp; 3: before stamps
_UPGRADABLE = (3, 4)
_FACTS_HEADER: list = ["#facts-format", FACTS_VERSION]


class PageKind(StrEnum):
    SOURCE = "source"
    PERSON = "person"
    ORG = "organization"
    PRODUCT = "product"
    CONCEPT = "concept"
    INDEX = "index"
    LOG = "log"
    AGENTS = "agents"  # AGENTS.md: written once, the user's from then on


@dataclass(slots=True)
class RawRecord:
    size: int
    mtime_ns: int
    sha: str  # of the file's bytes ("size:N" past the hashing limit; "" to force a re-read)
    articles: list[str] = field(default_factory=list)  # article ids
    error: str = ""  # why it could not be compiled


@dataclass(slots=True)
class SourceRecord:
    title: str
    raw: str  # the raw file, vault-relative
    ingested: str  # ISO date of the first compile
    entities_hash: str = ""  # hash of the entities found in it and their page names
    entity_pages: list[str] = field(default_factory=list)  # the entity pages it feeds


def _legacy_raw(d: dict) -> RawRecord:
    return RawRecord(d.get("size", -1), d.get("mtime_ns", 0), d.get("sha", ""),
                     list(d.get("articles", [])), d.get("error", "") or "")


def _legacy_source(d: dict) -> SourceRecord:
    return SourceRecord(d["title"], d.get("raw", ""), d.get("ingested", ""), d.get("roster", ""),
                        list(d.get("pages", [])))


def _legacy_page(d: dict) -> PageRecord:
    return PageRecord(d.get("sha", ""), d.get("kind", ""), d.get("title", ""),
                      d.get("summary", ""), d.get("fp", ""), d.get("want"),
                      bool(d.get("edited")), d.get("made_by", "") or "")


@dataclass(slots=True)
class CompileState:
    raw: dict[str, RawRecord] = field(default_factory=dict)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    pages: dict[str, PageRecord] = field(default_factory=dict)
    facts: FactsStore = field(default_factory=lambda: FactsStore())  # by article id
    problem: str | None = None  # a one-line message when the files could not be read
    unstamped: bool = False  # from before pages were stamped: build.stamp_old_pages() is due
    _saved: str = ""
    _changed_facts: set[str] = field(default_factory=set)
    _fact_lines: int = 0
    _rewrite_facts: bool = False  # another format, or a torn line: rewrite the file whole
    rederive: set[str] = field(default_factory=set)  # raw files re-read only for their facts

    @staticmethod
    def path(root: Path) -> Path:
        return root / STATE_DIR / STATE_FILE

    def source_pages_of(self, raw: str) -> list[str]:
        """The source pages made from the raw file ``raw`` (vault-relative), where they are
        now (a page the user renamed: its new path)."""
        record = self.raw.get(raw)
        titles = [self.sources[sid].title for sid in (record.articles if record else [])
                  if sid in self.sources]
        found: list[str] = []
        for title in titles:
            for rel, page in self.pages.items():
                if page.kind == PageKind.SOURCE and page.title == title:
                    found.append(page.moved_to or rel)
                    break
        return found

    @classmethod
    def load(cls, root: Path) -> CompileState:
        path = cls.path(root)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError) as exc:
            return cls(problem=f"cannot read {path.name}: {exc}")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return cls(problem=f"{path.name} is damaged ({exc.msg}); starting afresh")
        version = data.get("version") if isinstance(data, dict) else None
        if version not in (*_UPGRADABLE, VERSION):
            return cls(problem=f"{path.name} has an unknown format; starting afresh")
        try:
            if version == VERSION:
                state = cls({k: RawRecord(**v) for k, v in data["raw"].items()},
                            {k: SourceRecord(**v) for k, v in data["sources"].items()},
                            {k: PageRecord(**v) for k, v in data["pages"].items()})
                state._saved = text
            else:
                state = cls({k: _legacy_raw(v) for k, v in data.get("raw", {}).items()},
                            {k: _legacy_source(v) for k, v in data.get("sources", {}).items()},
                            {k: _legacy_page(v) for k, v in data.get("pages", {}).items()})
        except (KeyError, TypeError, AttributeError) as exc:
            return cls(problem=f"{path.name} is damaged ({exc}); starting afresh")
        state.unstamped = version == 3
        state._load_facts(root)
        return state

    def _load_facts(self, root: Path) -> None:
        path = root / STATE_DIR / FACTS_FILE
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        lines = data.splitlines()
        if lines and _header(lines[0].decode("utf-8", "replace")) != _FACTS_HEADER:
            self._rewrite_facts = True  # another format: its articles are re-read
            lines = []
        self._fact_lines = len(lines)
        for line in lines[1:]:
            try:
                sid, raw_facts = json.loads(line.decode("utf-8"))
                if raw_facts is not None and not (isinstance(raw_facts, dict)
                                                  and "names" in raw_facts):
                    raise TypeError("not facts")
            except (ValueError, TypeError):  # a torn line, maybe inside a character:
                self._rewrite_facts = True  # appending after it would glue onto it
                continue
            if raw_facts is None:
                self.facts.pop(sid, None)
            else:
                self.facts.put_json(sid, raw_facts)
        # articles whose facts are missing are re-read on the next compile
        for sid in [s for s in self.sources if s not in self.facts]:
            raw = self.raw.get(self.sources[sid].raw)
            if raw is not None:
                raw.sha = ""
                raw.size = -1
                self.rederive.add(self.sources[sid].raw)

    def set_facts(self, sid: str, facts: Facts | None) -> None:
        if facts is None:
            if self.facts.pop(sid, None) is None:
                return
        else:
            self.facts[sid] = facts
        self._changed_facts.add(sid)

    def dumps(self) -> str:
        return json.dumps({"version": VERSION,
                           "raw": {k: _fields(v) for k, v in self.raw.items()},
                           "sources": {k: _fields(v) for k, v in self.sources.items()},
                           "pages": {k: _fields(v) for k, v in self.pages.items()}},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def save(self, root: Path) -> bool:
        """Write what changed: facts first (appended), then the state file (atomically)."""
        self._save_facts(root)
        text = self.dumps()
        if text == self._saved:
            return False
        atomic_write(self.path(root), text)
        self._saved = text
        return True

    def _save_facts(self, root: Path) -> None:
        if not self._changed_facts and not self._rewrite_facts:
            return
        path = root / STATE_DIR / FACTS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        changed = sorted(self._changed_facts)
        if self._rewrite_facts or not path.exists() \
                or self._fact_lines + len(changed) > 2 * len(self.facts) + 200:
            lines = [_line(_FACTS_HEADER[0], FACTS_VERSION)] + [
                _line(sid, self.facts.json_of(sid)) for sid in sorted(self.facts)]
            atomic_write(path, "".join(lines))
            self._fact_lines = len(lines)
            self._rewrite_facts = False
        else:
            with path.open("a", encoding="utf-8", newline="\n") as fh:
                fh.write("".join(_line(sid, self.facts.json_of(sid)) for sid in changed))
            self._fact_lines += len(changed)
        self._changed_facts.clear()

    def sids_of(self, raw_rel: str) -> list[str]:
        rec = self.raw.get(raw_rel)
        return list(rec.articles) if rec else []


def _fields(record) -> dict:
    """A flat record as JSON-ready data (``dataclasses.asdict`` deep-copies: 10x slower)."""
    return {name: getattr(record, name) for name in record.__slots__}


class FactsStore:
    """Facts by article id, kept as read (JSON) until a compile asks for them: a compile with
    nothing new to do never decodes them."""

    def __init__(self) -> None:
        self._json: dict[str, dict] = {}
        self._facts: dict[str, Facts] = {}

    def put_json(self, sid: str, data: dict) -> None:
        self._facts.pop(sid, None)
        self._json[sid] = data

    def __setitem__(self, sid: str, facts: Facts) -> None:
        self._json.pop(sid, None)
        self._facts[sid] = facts

    def get(self, sid: str) -> Facts | None:
        facts = self._facts.get(sid)
        if facts is None and sid in self._json:
            try:
                facts = Facts.from_json(self._json.pop(sid))
            except (KeyError, TypeError, ValueError, AttributeError):
                return None  # damaged: the article is compiled without what it said
            self._facts[sid] = facts
        return facts

    def json_of(self, sid: str) -> dict | None:
        if sid in self._json:
            return self._json[sid]
        facts = self._facts.get(sid)
        return facts.to_json() if facts is not None else None

    def pop(self, sid: str, default=None):
        found = self._facts.pop(sid, None) or self._json.pop(sid, None)
        return default if found is None else found

    def __contains__(self, sid: object) -> bool:
        return sid in self._facts or sid in self._json

    def __len__(self) -> int:
        return len(self._facts) + len(self._json)

    def __iter__(self):
        return iter([*self._facts, *self._json])


def _header(line: str) -> list | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, list) and value[:1] == _FACTS_HEADER[:1] else None


def _line(sid: str, data: dict | int | None) -> str:
    return json.dumps([sid, data], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")) + "\n"
