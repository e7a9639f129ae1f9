"""A vault of real notes for the first-open benchmarks: the first N Markdown files of a
public repository's folder (sorted by path), copied with their folders.

    python -m bench.real_vault SOURCE DEST [--n 13415] [--first FOLDER]

SOURCE is a checkout, or a bare git mirror (its HEAD is read with ``git archive``). Issue 13
names a real vault of 13,415 notes; this machine has none, so the benchmarks use, for instance,
the tldr-pages (CC BY 4.0: https://github.com/tldr-pages/tldr): short command pages in 40
languages, real text nobody in this project wrote.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import tarfile
from pathlib import Path


def markdown_files(source: Path) -> list[tuple[str, bytes]]:
    """(path, bytes) of every ``.md`` file of ``source``, sorted by path."""
    if (source / "HEAD").is_file() and not (source / ".git").exists():  # a bare repository
        data = subprocess.run(["git", "--git-dir", str(source), "archive", "HEAD"],
                              check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            out = []
            for member in tar.getmembers():
                if member.isfile() and member.name.endswith(".md"):
                    f = tar.extractfile(member)
                    if f is not None:
                        out.append((member.name, f.read()))
        return sorted(out)
    return sorted((str(p.relative_to(source)), p.read_bytes()) for p in source.rglob("*.md")
                  if not any(part.startswith(".") for part in p.relative_to(source).parts))


def make_real_vault(source: Path, dest: Path, n: int, first: str | None = None) -> int:
    """Copy the first ``n`` Markdown files of ``source`` into a new vault at ``dest``, those
    under the folder ``first`` before the others (e.g. the English pages of tldr-pages)."""
    shutil.rmtree(dest, ignore_errors=True)
    files = markdown_files(source)
    if first:
        prefix = first.strip("/") + "/"
        files.sort(key=lambda f: not f[0].startswith(prefix))  # (stable: sorted within)
    files = files[:n]
    for rel, data in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(files)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--n", type=int, default=13_415)
    parser.add_argument("--first", help="take the files under this folder first")
    args = parser.parse_args(argv)
    count = make_real_vault(args.source, args.dest, args.n, args.first)
    print(f"{count:,} notes in {args.dest}")


if __name__ == "__main__":
    main()
