"""The README's screenshots in one command: the seed wiki and a 10,000-note synthetic vault, in
the light and the dark theme, rendered by the app itself (``main.py --screenshot``, offscreen).

    python3 dev.py screenshots            # or: .venv/bin/python -m bench.screenshots
    python -m bench.screenshots --out docs/screenshots --work /tmp/shots --n 10000

The seed wiki is compiled from ``seeds/`` with ``wiki build``; the synthetic vault comes from
``bench/synth.py`` and is indexed with ``wiki index`` first, so each shot shows a settled
window. ``--work`` keeps both vaults for the next run (the 10k build is the slow part). Every
PNG is checked to be a real picture (not blank, the window's size) before it is reported.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THEMES = ("light", "dark")
# (file stem, vault, page): the pages a reader of the README should see
SEED_SHOTS = (("seed-entity", "Anthropic"),
              ("seed-source",
               "Composer - Building a Fast Frontier Model with Reinforcement Learning"))


def run(*cmd: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COMMONPLACE_SKIP_QT_CHECK="1")
    done = subprocess.run(list(cmd), cwd=ROOT, env=env, text=True, capture_output=True,
                          timeout=timeout)
    if done.returncode != 0:
        sys.exit(f"screenshots: {' '.join(cmd[:4])}… failed:\n{done.stderr.strip()[-2000:]}")
    return done


def wiki(*args: str) -> None:
    run(sys.executable, "-m", "wiki", *args)


def seed_vault(work: Path) -> Path:
    vault = work / "seed"
    if not (vault / "index.md").exists():
        print("building the seed wiki …", flush=True)
        wiki("build", "--vault", str(vault))
    return vault


def synthetic_vault(work: Path, n: int) -> Path:
    from bench.synth import make_vault

    vault = work / f"synth-{n}"
    if not (vault / ".wiki").is_dir():
        print(f"writing {n:,} synthetic notes and indexing them (a few minutes) …", flush=True)
        make_vault(vault, n)
        started = time.monotonic()
        wiki("index", "--vault", str(vault))
        print(f"  indexed in {time.monotonic() - started:.0f} s", flush=True)
    return vault


def busiest_page(vault: Path) -> str:
    """The synthetic note with the most backlinks: a full links panel and graph."""
    from wiki.vault.facade import Vault

    opened = Vault.open(vault)
    try:
        opened.refresh(search_later=True)  # names and links are enough to choose
        pages = opened.pages()
        best = max(pages[:2000], key=lambda p: (len(opened.backlinks(p.path)), p.path))
        return best.path
    finally:
        opened.close()


def check_png(path: Path) -> str:
    """Size and colour count of a screenshot; exits when it is blank or missing."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull() or image.width() < 800:
        sys.exit(f"screenshots: {path} is not a window picture")
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    if len(colours) < 20:
        sys.exit(f"screenshots: {path} looks blank ({len(colours)} colours)")
    return f"{image.width()}x{image.height()}, {len(colours)} colours sampled"


def shoot(vault: Path, page: str, theme: str, target: Path) -> None:
    run(sys.executable, str(ROOT / "main.py"), "--vault", str(vault), "--open", page,
        "--theme", theme, "--screenshot", str(target), timeout=600)
    print(f"  {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
          f"{check_png(target)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--work", type=Path, help="keep the vaults here between runs")
    ap.add_argument("--n", type=int, default=10_000, help="notes in the synthetic vault")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="commonplace-shots-"))
    work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication([sys.argv[0]])  # noqa: F841 - QImage checks need one
    seed = seed_vault(work)
    synth = synthetic_vault(work, args.n)
    synth_page = busiest_page(synth)
    shots = [(stem, seed, page) for stem, page in SEED_SHOTS]
    shots.append((f"synth-{args.n // 1000}k", synth, synth_page))
    for theme in THEMES:
        print(f"{theme}:", flush=True)
        for stem, vault, page in shots:
            shoot(vault, page, theme, args.out / f"{stem}-{theme}.png")
    print(f"done: {len(shots) * len(THEMES)} screenshots in {args.out} (vaults in {work})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
