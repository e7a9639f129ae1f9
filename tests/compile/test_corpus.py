"""The compiler on real articles (tests/data/corpus): junk share, recall and duplicate pairs.

All thirty articles are compiled into one vault, as a user would have them. Then:

* **recall**: of the entities a reader expects (``expected.toml``, written before the output was
  seen), the share that has an entity page (by title or alias) listed on that article's source
  page;
* **junk share**: of all entity pages, those judged junk in ``reviewed.toml`` plus those nobody
  has judged yet (an unjudged page counts as junk until someone looks at it);
* **duplicate pairs**: two entity pages for one thing: found by rule (same words but for a
  plural, an acronym next to its long form, a name that is the start or end of another's in the
  same source) or listed in ``reviewed.toml``.

The thresholds are the issue's: junk at most 3 %, recall at least 85 %, at most 2 duplicates.
``python tests/compile/test_corpus.py [VAULT]`` prints the report with every miss, junk page,
unjudged page and duplicate, to review a change (and keeps the compiled vault in VAULT).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if __name__ == "__main__":
    sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

from wiki.compile import compile_vault  # noqa: E402
from wiki.markup.frontmatter import split_frontmatter  # noqa: E402

CORPUS = HERE.parent / "data" / "corpus"
ARTICLE_SUFFIXES = (".md", ".html", ".pdf", ".txt")
ENTITY_FOLDERS = ("people", "organizations", "products", "concepts")
MAX_JUNK_SHARE = 0.03
MIN_RECALL = 0.85
MAX_DUPLICATES = 2


def norm(name: str) -> str:
    key = " ".join(name.casefold().replace("’", "'").split())
    return key[4:] if key.startswith("the ") else key


@dataclass
class EntityPage:
    rel: str
    title: str
    kind: str
    names: set[str]  # normalised title and aliases
    sources: set[str] = field(default_factory=set)  # raw files whose source page lists it


@dataclass
class Report:
    articles: int
    errors: list[tuple[str, str]]
    entities: list[EntityPage]
    found: list[tuple[str, str]]
    missed: list[tuple[str, str]]
    junk: list[str]
    unjudged: list[str]
    duplicates: list[tuple[str, str, str]]

    @property
    def recall(self) -> float:
        return len(self.found) / max(1, len(self.found) + len(self.missed))

    @property
    def junk_share(self) -> float:
        return (len(self.junk) + len(self.unjudged)) / max(1, len(self.entities))

    def summary(self) -> str:
        return (f"{self.articles} articles, {len(self.entities)} entity pages: "
                f"recall {self.recall:.1%} "
                f"({len(self.found)}/{len(self.found) + len(self.missed)}), "
                f"junk {self.junk_share:.1%} ({len(self.junk)} judged junk + "
                f"{len(self.unjudged)} unjudged), duplicate pairs {len(self.duplicates)}, "
                f"input errors {len(self.errors)}")

    def details(self) -> str:
        lines = [self.summary(), ""]
        lines += [f"input error: {f}: {m}" for f, m in self.errors]
        lines += [f"missed: {a}: {e}" for a, e in self.missed]
        lines += [f"junk: {t}" for t in self.junk]
        lines += [f"unjudged: {t}" for t in self.unjudged]
        lines += [f"duplicate: {a} / {b} ({why})" for a, b, why in self.duplicates]
        return "\n".join(lines)


def articles() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in ARTICLE_SUFFIXES
                  and p.parent != CORPUS and "LICENSES" not in p.parts)


def compile_corpus(root: Path) -> list[tuple[str, str]]:
    for p in articles():
        target = root / "raw" / p.relative_to(CORPUS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, target)
    return compile_vault(root, today=dt.date(2026, 11, 30)).errors


def _meta(path: Path) -> dict:
    meta, _, _, _ = split_frontmatter(path.read_text(encoding="utf-8"))
    return meta


def measure(root: Path) -> Report:
    errors = compile_corpus(root)
    pages: list[EntityPage] = []
    by_title: dict[str, EntityPage] = {}
    for folder in ENTITY_FOLDERS:
        for p in sorted((root / folder).glob("*.md")):
            meta = _meta(p)
            title = str(meta.get("title") or p.stem)
            names = {norm(title), norm(p.stem)} | {norm(str(a)) for a in meta.get("aliases") or []}
            page = EntityPage(f"{folder}/{p.name}", title, folder, names)
            pages.append(page)
            by_title[title] = page
    listed: dict[str, set[str]] = {}  # raw file (corpus-relative) -> entity titles on its page
    for p in sorted((root / "sources").glob("*.md")):
        meta = _meta(p)
        raw = str(meta.get("source", "")).removeprefix("raw/")
        listed.setdefault(raw, set()).update(str(t) for t in meta.get("entities") or [])
    for raw, titles in listed.items():
        for t in titles:
            if t in by_title:
                by_title[t].sources.add(raw)
    expected = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
    reviewed = tomllib.loads((CORPUS / "reviewed.toml").read_text(encoding="utf-8"))
    found, missed = [], []
    expected_names: set[str] = set()
    for article, spec in expected.items():
        for wanted in spec["entities"]:
            alternatives = {norm(w) for w in wanted.split("|")}
            expected_names |= alternatives
            hit = any(alternatives & page.names and article in page.sources for page in pages)
            (found if hit else missed).append((article, wanted))
    ok = {norm(t) for t in reviewed.get("ok", [])}
    junk_titles = {norm(t) for t in reviewed.get("junk", [])}
    junk, unjudged = [], []
    for page in pages:
        if page.names & expected_names or norm(page.title) in ok:
            continue
        (junk if norm(page.title) in junk_titles else unjudged).append(page.title)
    return Report(len(articles()), errors, pages, found, missed, sorted(junk), sorted(unjudged),
                  duplicates(pages, reviewed.get("duplicates", [])))


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name)
                   if w.casefold() not in ("of", "and", "for", "the", "&")).casefold()


def duplicates(pages: list[EntityPage], listed: list[list[str]]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    by_title = {norm(p.title): p for p in pages}
    for i, a in enumerate(pages):
        wa = [_singular(w) for w in norm(a.title).replace("-", " ").split()]
        for b in pages[i + 1:]:
            wb = [_singular(w) for w in norm(b.title).replace("-", " ").split()]
            shared = a.sources & b.sources
            if wa == wb:
                out.append((a.title, b.title, "same words"))
            elif shared and re.fullmatch(r"[A-Z]{2,}s?", a.title) \
                    and a.title.rstrip("s").casefold() == _initials(b.title):
                out.append((a.title, b.title, "acronym"))
            elif shared and re.fullmatch(r"[A-Z]{2,}s?", b.title) \
                    and b.title.rstrip("s").casefold() == _initials(a.title):
                out.append((a.title, b.title, "acronym"))
            elif shared and a.kind == b.kind and min(len(wa), len(wb)) >= 1 \
                    and len(wa) != len(wb) and (
                        wa[:len(wb)] == wb or wb[:len(wa)] == wa) and a.kind == "concepts":
                out.append((a.title, b.title, "truncation"))
    for pair in listed:
        if all(norm(t) in by_title for t in pair):
            out.append((pair[0], pair[1], "reviewed"))
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Report:
    return measure(tmp_path_factory.mktemp("corpus") / "vault")


def test_every_article_compiles(report):
    assert report.errors == []


def test_junk_share_recall_and_duplicates_are_within_the_issues_thresholds(report):
    print(report.summary())
    assert report.recall >= MIN_RECALL, report.details()
    assert report.junk_share <= MAX_JUNK_SHARE, report.details()
    assert len(report.duplicates) <= MAX_DUPLICATES, report.details()


# What the compiler reaches today (the issue's goals are above): a heuristic change that makes
# the output worse on real articles fails here, with the report of what it missed or made.
HELD_RECALL = 0.857  # 120/140
HELD_JUNK_SHARE = 0.011  # 2 of 190 pages


def test_no_heuristic_change_makes_the_corpus_worse_than_it_is_now(report):
    print(report.summary())
    assert report.recall >= HELD_RECALL, report.details()
    assert report.junk_share <= HELD_JUNK_SHARE, report.details()
    assert len(report.duplicates) <= MAX_DUPLICATES, report.details()


if __name__ == "__main__":
    import tempfile

    if len(sys.argv) > 1:  # python tests/compile/test_corpus.py VAULT: keep the vault to look at
        shutil.rmtree(sys.argv[1], ignore_errors=True)
        print(measure(Path(sys.argv[1])).details())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            print(measure(Path(tmp) / "vault").details())
