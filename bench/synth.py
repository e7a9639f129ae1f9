"""A deterministic synthetic vault of linked notes, for benchmarks.

``make_vault(root, n, seed)`` writes ``n`` Markdown notes (1-3 KB of English-like text drawn from a
fixed vocabulary with a Zipf-like distribution) in a few folders, with frontmatter (tags, aliases,
type), headings, 3-8 ``[[wikilinks]]`` each and the odd code block. Same seed, same bytes.

    python -m bench.synth DIR --n 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

COMMON = """the of and to in is that for it as with was on be by this are from or at an
which not have has but can their more they one all its also been were when there into other than
these some such only about over many most time may after both new between each where how through
""".split()

TOPICAL = """learning reinforcement network memory model data system theory history language
research science process structure method function value energy light water city river market
trade music painting poetry philosophy mathematics physics biology chemistry evolution protein
genome neuron brain signal pattern graph algorithm search index query reader writer notebook
archive library garden forest mountain island ocean climate weather season harvest bread coffee
engine machine robot circuit software compiler kernel protocol server client browser interface
design architecture bridge tower castle empire kingdom republic revolution election economy
capital labour money bank credit debt price supply demand policy culture religion myth ritual
story novel author critic review journal letter diary essay lecture seminar student teacher school
university museum gallery theatre film camera photograph image colour shape space planet star
galaxy telescope orbit gravity quantum particle field wave atom molecule cell organism species
ecology habitat migration population disease vaccine medicine doctor hospital patient health
sleep dream attention habit emotion reason belief knowledge truth argument evidence experiment
observation measurement statistics probability inference prediction optimisation gradient
training dataset benchmark latency throughput storage database transaction consistency
""".split()

SYLLABLES = """ka lo mi ne ra su ti vo be da fi gu ho je ku la me no pa qui re si to va wa xe
yo zu an el in on ur ar er ir or ul as es is os us al il ol""".split()

FOLDERS = [("concepts", 0.35), ("people", 0.15), ("projects", 0.15), ("sources", 0.25),
           ("journal", 0.10)]
TYPES = {"concepts": "concept", "people": "person", "projects": "project", "sources": "source",
         "journal": "journal"}
TAGS = [f"{a}/{b}" if b else a for a, b in itertools.product(
    ["ml", "history", "science", "reading", "ideas", "work", "health", "music"],
    ["", "todo", "draft", "core", "archive"])]


def _pseudo_words(count: int) -> list[str]:
    rng = random.Random(20240607)  # the vocabulary is fixed whatever the seed
    words: list[str] = []
    seen = set(COMMON) | set(TOPICAL)
    while len(words) < count:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


VOCAB: list[str] = COMMON + TOPICAL + _pseudo_words(4000)
_CUM: list[float] = list(itertools.accumulate(1.0 / (r + 2) ** 1.02 for r in range(len(VOCAB))))


class _Writer:
    def __init__(self, seed: int, n: int) -> None:
        self.rng = random.Random(seed)
        self.n = n

    def words(self, k: int) -> list[str]:
        return self.rng.choices(VOCAB, cum_weights=_CUM, k=k)

    def title(self) -> str:
        rng = self.rng
        words = [rng.choice(TOPICAL) if rng.random() < 0.6 else
                 VOCAB[rng.randrange(len(COMMON), len(VOCAB))] for _ in range(rng.randint(1, 3))]
        return " ".join(w.capitalize() for w in words)

    def sentence(self, links: list[str]) -> str:
        words = self.words(self.rng.randint(6, 18))
        words[0] = words[0].capitalize()
        if links and self.rng.random() < 0.35:
            target = links.pop()
            link = f"[[{target}]]" if self.rng.random() < 0.7 else \
                f"[[{target}|{' '.join(self.words(2))}]]"
            words.insert(self.rng.randrange(1, len(words)), link)
        return " ".join(words) + "."

    def note(self, title: str, folder: str, others: list[str]) -> str:
        rng = self.rng
        lines: list[str] = []
        if rng.random() < 0.7:
            lines.append("---")
            lines.append(f"type: {TYPES[folder]}")
            lines.append("tags: [" + ", ".join(rng.sample(TAGS, rng.randint(1, 3))) + "]")
            if rng.random() < 0.3:
                aliases = [" ".join(self.words(2)).title() for _ in range(rng.randint(1, 2))]
                lines.append("aliases: [" + ", ".join(aliases) + "]")
            lines.append("---")
        lines.append(f"# {title}")
        lines.append("")
        links = rng.sample(others, rng.randint(3, 8))
        target = rng.randint(1000, 3000)
        size = 0
        code_done = rng.random() > 0.08
        while size < target or links:
            if rng.random() < 0.3:
                lines.append("## " + " ".join(self.words(rng.randint(1, 4))).capitalize())
                lines.append("")
            para = " ".join(self.sentence(links) for _ in range(rng.randint(2, 5)))
            if rng.random() < 0.1:
                para += " #" + rng.choice(TAGS)
            lines.append(para)
            lines.append("")
            size += len(para)
            if not code_done and size > target / 2:
                code_done = True
                lines += ["```python", f"def {self.words(1)[0]}(x):",
                          f"    return x * {rng.randint(2, 99)}", "```", ""]
        return "\n".join(lines)


def make_vault(root: Path, n: int = 10_000, seed: int = 1) -> None:
    """Write ``n`` deterministic linked notes under ``root`` (created if missing)."""
    w = _Writer(seed, n)
    titles: list[str] = []
    seen: set[str] = set()
    while len(titles) < n:
        t = w.title()
        if t.lower() in seen:
            t = f"{t} {len(titles)}"
        seen.add(t.lower())
        titles.append(t)
    folders = w.rng.choices([f for f, _ in FOLDERS], weights=[p for _, p in FOLDERS], k=n)
    root = Path(root)
    for folder in {f for f, _ in FOLDERS}:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for title, folder in zip(titles, folders, strict=True):
        others = w.rng.sample(titles, 12)
        others = [o for o in others if o != title][:10]
        text = w.note(title, folder, others)
        (root / folder / f"{title}.md").write_text(text, encoding="utf-8")


def note_paths(root: Path) -> list[str]:
    """Vault-relative paths of every note under ``root``, sorted."""
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*.md"))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    make_vault(args.dir, args.n, args.seed)
    print(f"wrote {args.n} notes to {args.dir}")


if __name__ == "__main__":
    main()
