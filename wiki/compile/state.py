"""What the compiler knows between runs, in ``<vault>/.wiki/``.

``compile-state.json``:

* ``raw``: per raw file (vault-relative), its size, mtime, hash, the articles found in it (their
  ids ``raw/x.txt#0``) and the error it gave, if any;
* ``sources``: per article id, its title, ingest date, and which entity pages it feeds;
* ``pages``: per generated page, the hash of what the compiler last wrote, whether the user
  edited it, and its one-line summary for index.md.

``compile-facts.jsonl``: what each article says (its extracted facts), one JSON line per article
compiled, appended as articles are added (a later line for the same id wins; ``null`` facts mark
a removed article) and compacted when it holds too many stale lines. Appending keeps an ingest
into a large vault fast.

Both can be lost: the next compile reads every file in ``raw/`` again, and recognises the pages it
made (edited by the user or not) by the stamp in their frontmatter (``writer.provenance``). What
is lost is the first ingest date of each article and the log's record of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from wiki.compile.writing.writer import atomic_write
from wiki.core.rules import STATE_DIR

STATE_FILE = "compile-state.json"
FACTS_FILE = "compile-facts.jsonl"
VERSION = 4  # 4: generated pages carry a stamp (version 3 states are upgraded: `unstamped`)


@dataclass(slots=True)
class CompileState:
    raw: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    pages: dict[str, dict] = field(default_factory=dict)
    facts: dict[str, dict] = field(default_factory=dict)  # article id -> Facts as JSON
    problem: str | None = None  # a one-line message when the files could not be read
    unstamped: bool = False  # from before pages were stamped: build.stamp_old_pages() is due
    _saved: str = ""
    _changed_facts: set[str] = field(default_factory=set)
    _fact_lines: int = 0
    _rewrite_facts: bool = False  # a torn line was read: the next save rewrites the file

    @staticmethod
    def path(root: Path) -> Path:
        return root / STATE_DIR / STATE_FILE

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
        if not isinstance(data, dict) or data.get("version") not in (3, VERSION):
            return cls(problem=f"{path.name} has an unknown format; starting afresh")
        state = cls(data.get("raw", {}), data.get("sources", {}), data.get("pages", {}))
        state.unstamped = data["version"] == 3
        state._saved = text
        state._load_facts(root)
        return state

    def _load_facts(self, root: Path) -> None:
        path = root / STATE_DIR / FACTS_FILE
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        for line in data.splitlines():
            self._fact_lines += 1
            try:
                sid, facts = json.loads(line.decode("utf-8"))
            except (ValueError, TypeError):  # a line torn by a crash, maybe inside a character
                self._rewrite_facts = True  # appending after it would glue onto it: rewrite
                continue
            if facts is None:
                self.facts.pop(sid, None)
            else:
                self.facts[sid] = facts
        # articles whose facts are missing are re-read on the next compile
        for sid in [s for s in self.sources if s not in self.facts]:
            raw = self.sources[sid].get("raw")
            if raw in self.raw:
                self.raw[raw]["sha"] = ""
                self.raw[raw]["size"] = -1

    def set_facts(self, sid: str, facts: dict | None) -> None:
        if facts is None:
            if self.facts.pop(sid, None) is None:
                return
        else:
            self.facts[sid] = facts
        self._changed_facts.add(sid)

    def dumps(self) -> str:
        return json.dumps({"version": VERSION, "raw": self.raw, "sources": self.sources,
                           "pages": self.pages}, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))

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
        if self._rewrite_facts or self._fact_lines + len(changed) > 2 * len(self.facts) + 200:
            lines = [_line(sid, self.facts[sid]) for sid in sorted(self.facts)]
            atomic_write(path, "".join(lines))
            self._fact_lines = len(lines)
            self._rewrite_facts = False
        else:
            with path.open("a", encoding="utf-8", newline="\n") as fh:
                fh.write("".join(_line(sid, self.facts.get(sid)) for sid in changed))
            self._fact_lines += len(changed)
        self._changed_facts.clear()

    def sids_of(self, raw_rel: str) -> list[str]:
        return list(self.raw.get(raw_rel, {}).get("articles", []))


def _line(sid: str, facts: dict | None) -> str:
    return json.dumps([sid, facts], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")) + "\n"
