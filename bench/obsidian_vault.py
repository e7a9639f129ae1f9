"""Check a real Obsidian vault against Obsidian: raw syntax left after rendering, backlinks as
Obsidian resolves them, and whether searching a note's own name finds it first.

    python bench/obsidian_vault.py PATH/TO/VAULT [--sample 20] [--seed 1]

Works on a copy (``.wiki/`` is written next to the notes). For the Obsidian help vault, put the
``en/`` folder of obsidianmd/obsidian-help somewhere and point at it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "engine"))

from obsidian_check import backlink_agreement, leftovers  # noqa: E402

from wiki.markup.vault_page import render_vault_page  # noqa: E402
from wiki.vault.facade import Vault  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("vault", type=Path)
    ap.add_argument("--sample", type=int, default=20, help="notes whose name is searched")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "vault"
        shutil.copytree(args.vault, root, ignore=shutil.ignore_patterns(".wiki", ".git"))
        with Vault.open(root, create=True) as vault:
            started = time.perf_counter()
            vault.refresh()
            print(f"{vault.page_count()} notes indexed in {time.perf_counter() - started:.1f} s")
            untitled = [i for i in vault.pages()
                        if "title" not in (vault.read_page(i.path).frontmatter or {})]
            named = sum(1 for i in untitled if i.title == i.name)
            print(f"notes without a frontmatter title showing their file name: "
                  f"{named}/{len(untitled)}")
            counts, where = leftovers(vault)
            print(f"raw syntax left after rendering: {sum(counts.values())} {dict(counts)}")
            for kind, found in where.items():
                print(f"  {kind}: {found[:3]}")
            for top in (20, 50, vault.page_count()):
                agree, checked, differ = backlink_agreement(vault, top)
                print(f"backlinks agree with Obsidian on {agree}/{checked} of the most-linked "
                      f"pages (top {top})")
                for line in differ[:3]:
                    print(f"  {line}")
            rng = random.Random(args.seed)
            pages = vault.pages()
            sample = rng.sample(pages, min(args.sample, len(pages)))
            first = sum(1 for i in sample
                        if (hits := vault.search(i.title, limit=3).hits) and
                        hits[0].path == i.path)
            print(f"searching a note's own name finds it first: {first}/{len(sample)} "
                  f"(seed {args.seed})")
            times = []
            for info in sample:
                t = time.perf_counter()
                render_vault_page(vault, info.path)
                times.append(time.perf_counter() - t)
            print(f"render median {statistics.median(times) * 1000:.1f} ms "
                  f"over {len(times)} notes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
