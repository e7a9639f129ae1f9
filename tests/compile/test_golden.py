"""Golden compile tests: raw articles in, the exact pages out.

Each case compiles a fixed set of raw files into an empty vault (on a fixed date) and compares
every page written (everything outside ``raw/`` and ``.wiki/``) with the files stored under
``tests/data/golden/<case>/``. A heuristic change that alters the output fails here with a diff
of what it did to the pages; when the change is wanted, regenerate the expected pages on purpose
and review the diff in git:

    python tests/compile/test_golden.py            # rewrite every case
    python tests/compile/test_golden.py seeds      # or only some
"""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
if __name__ == "__main__":  # run as a script: import the worktree's code
    sys.path[:0] = [str(TESTS.parent), str(TESTS)]

from wiki.compile import compile_vault  # noqa: E402

DATA = TESTS / "data"
GOLDEN = DATA / "golden"
SEEDS = TESTS.parent / "seeds"
TODAY = dt.date(2024, 3, 20)
REVIEW = DATA / "review"
CORPUS = DATA / "corpus"

CASES: dict[str, list[Path]] = {
    "seeds": sorted(SEEDS.iterdir()),
    "review": [REVIEW / n for n in ("blog.html", "note.md", "news.txt", "interview.txt",
                                    "short.txt", "profile.txt")],
    "review-scraped": [REVIEW / "lumora.txt", REVIEW / "reading.md"],
    "review-theatre": [REVIEW / "theatre.txt"],
    "review-wordpress": [REVIEW / "loaf.html"],
}


def compile_case(files: list[Path], root: Path) -> dict[str, bytes]:
    """Compile ``files`` in a fresh vault at ``root``; every page written, by relative path."""
    raw = root / "raw"
    raw.mkdir(parents=True)
    for f in files:
        shutil.copyfile(f, raw / f.name)
    report = compile_vault(root, today=TODAY)
    assert report.errors == [], report.errors
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*.md"))
            if p.relative_to(root).parts[0] not in ("raw", ".wiki")}


def stored(case: str) -> dict[str, bytes]:
    base = GOLDEN / case
    return {p.relative_to(base).as_posix(): p.read_bytes()
            for p in sorted(base.rglob("*.md"))}


def describe_change(want: dict[str, bytes], got: dict[str, bytes], limit: int = 120) -> str:
    lines: list[str] = []
    for rel in sorted(set(want) - set(got)):
        lines.append(f"page no longer made: {rel}")
    for rel in sorted(set(got) - set(want)):
        lines.append(f"new page: {rel}")
    for rel in sorted(set(want) & set(got)):
        if want[rel] != got[rel]:
            lines.extend(difflib.unified_diff(
                want[rel].decode().splitlines(), got[rel].decode().splitlines(),
                f"expected/{rel}", f"compiled/{rel}", n=1, lineterm=""))
    more = len(lines) - limit
    return "\n".join(lines[:limit] + ([f"... {more} more lines"] if more > 0 else []))


@pytest.mark.parametrize("case", sorted(CASES))
def test_compiled_pages_match_the_golden_files(case, tmp_path):
    want = stored(case)
    assert want, f"no golden files for {case}: run python tests/compile/test_golden.py {case}"
    got = compile_case(CASES[case], tmp_path / "vault")
    assert got == want, ("the compiled pages changed (if wanted, regenerate with "
                         f"python tests/compile/test_golden.py {case}):\n"
                         + describe_change(want, got))


def regenerate(cases: list[str]) -> None:
    import tempfile

    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            got = compile_case(CASES[case], Path(tmp) / "vault")
        target = GOLDEN / case
        old = stored(case) if target.is_dir() else {}
        shutil.rmtree(target, ignore_errors=True)
        for rel, data in got.items():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / rel).write_bytes(data)
        changed = sum(1 for r in set(old) | set(got) if old.get(r) != got.get(r))
        print(f"{case}: {len(got)} pages, {changed} changed")


if __name__ == "__main__":
    wanted = sys.argv[1:] or sorted(CASES)
    unknown = [c for c in wanted if c not in CASES]
    if unknown:
        sys.exit(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(sorted(CASES))}")
    regenerate(wanted)
