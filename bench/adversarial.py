"""A fresh adversarial run (issue 14): hostile vaults thrown at the CLI, the engine, the watcher
and the page view (offscreen), each step in a process of its own with a time limit.

    python -m bench.adversarial [--only NAME] [--timeout 90] [--keep]

Each case builds a vault next to an ``outside/`` folder of private files, then runs steps. A step
is a crash when its process dies of a signal, prints a traceback, or exits with a code other than
0 or 2 (2: a clear one-line refusal); a hang when it outlives the time limit (its process group
is killed). After every case the folders around the vault (``outside/``, the working directory,
the case folder) are compared with a snapshot taken before it: any file made, changed or removed
there is "touched outside the vault". Prints one line per step and the totals.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECRET = "root:x:0:0:PRIVATE-LINE-NEVER-IN-THE-VAULT\n"
ARTICLE = ("A Visit to the Engine\n\nAda Lovelace met Charles Babbage in London. Ada Lovelace "
           "wrote notes on the Analytical Engine, and Charles Babbage built it.\n")


@dataclass
class Case:
    name: str
    setup: Callable[[Path, Path], None]  # (vault, outside)
    steps: list[list[str]]  # commands: ["wiki", ...], ["py", code], ["app", page]
    expect_in_vault: str | None = None  # text that must never reach the vault's pages
    # where a step was asked to write outside (``export --html OUT``): not counted
    asked_outside: tuple[str, ...] = ()


@dataclass
class Totals:
    cases: int = 0
    steps: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)


# -- what the cases write -------------------------------------------------------------------
def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def base_pages(root: Path) -> None:
    write(root, "Home.md", "# Home\n\nSee [[Other]] and [[Missing]].\n")
    write(root, "Other.md", "---\ntags: [x]\n---\n# Other\n\ncommon words here\n")


def words(vocab: list[str], size: int) -> str:
    out, n, i = [], 0, 0
    while n < size:
        w = vocab[(i * 7919) % len(vocab)]
        out.append(w)
        n += len(w) + 1
        i += 1
    return " ".join(out)


def symlink(link: Path, target: Path | str) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)


def fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def _setups() -> dict[str, Callable[[Path, Path], None]]:
    s: dict[str, Callable[[Path, Path], None]] = {}

    def add(name: str):
        def deco(fn: Callable[[Path, Path], None]):
            s[name] = fn
            return fn
        return deco

    @add("raw symlink to an outside file")
    def _(v, o):
        base_pages(v)
        symlink(v / "raw/passwd.txt", o / "secret.txt")
        write(v, "raw/real.txt", ARTICLE)

    @add("generated folder linked outside")
    def _(v, o):
        write(v, "raw/real.txt", ARTICLE)
        symlink(v / "people", o)
        symlink(v / "organizations", o)

    @add("raw linked outside")
    def _(v, o):
        base_pages(v)
        symlink(v / "raw", o)

    @add(".wiki linked outside")
    def _(v, o):
        base_pages(v)
        symlink(v / ".wiki", o)

    @add(".wiki is a file")
    def _(v, o):
        base_pages(v)
        write(v, ".wiki", "junk")

    @add("write.lock is a folder")
    def _(v, o):
        base_pages(v)
        (v / ".wiki/write.lock").mkdir(parents=True)

    @add("yaml self alias and billion laughs")
    def _(v, o):
        base_pages(v)
        write(v, "self.md", "---\na: &a [*a]\n---\n# Self\n")
        lol = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n"
            for i in range(8))
        write(v, "lol.md", f"---\n{lol}---\n# Lol\n")
        write(v, "raw/lol.md", f"---\n{lol}---\n# Lol article\n\nAda Lovelace wrote.\n")

    @add("frontmatter of 400 KB and 200 levels deep")
    def _(v, o):
        base_pages(v)
        write(v, "big-fm.md", "---\nx: '" + "y" * 400_000 + "'\n---\n# Big\n")
        write(v, "deep-fm.md", "---\na: " + "[" * 200 + "]" * 200 + "\n---\n# Deep\n")

    @add("file names: not UTF-8, newline, 250 bytes, leading dash, case twins")
    def _(v, o):
        base_pages(v)
        with open(os.path.join(os.fsencode(v), b"bad\xff.md"), "wb") as fh:
            fh.write(b"# Bad\n\nhello\n")
        write(v, "new\nline.md", "# NL\n")
        write(v, "L" * 247 + ".md", "# Long\n")
        write(v, "-rf.md", "# Dash\n\n[[Home]]\n")
        write(v, "Twin.md", "# Twin\n")
        write(v, "twin.md", "# twin\n")

    @add("fifos, devices and link loops as pages and raw files")
    def _(v, o):
        base_pages(v)
        fifo(v / "pipe.md")
        fifo(v / "raw/pipe.txt")
        symlink(v / "zero.md", "/dev/zero")
        symlink(v / "raw/zero.txt", "/dev/zero")
        symlink(v / "loop-a.md", v / "loop-b.md")
        symlink(v / "loop-b.md", v / "loop-a.md")
        symlink(v / "out.md", o / "secret.md")
        (v / "folder.md").mkdir()

    @add("binary and odd encodings")
    def _(v, o):
        base_pages(v)
        write(v, "nul.md", b"# Nul\x00\x00\n\x00binary\xff\xfe junk" * 100)
        write(v, "utf16.md", "# Wide\n\nSee [[Home]] \u2014 caf\xe9\n".encode("utf-16"))
        write(v, "random.md", bytes(range(256)) * 40)
        write(v, "raw/utf16.txt", ARTICLE.encode("utf-16"))

    @add("pathological articles")
    def _(v, o):
        write(v, "raw/deep.html", "<html><body>" + "<div>" * 5000 + "<p>Ada Lovelace wrote "
              "the first program.</p>" + "</div>" * 5000 + "</body></html>")
        write(v, "raw/capital.txt", "Title\n\n" + "A" + "Bc" * 100_000 + " met Ada Lovelace.\n")
        write(v, "raw/names.txt", "Names\n\n" + " ".join(f"Name{i} Person{i}"
                                                        for i in range(20_000)) + "\n")
        write(v, "raw/broken.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
        write(v, "raw/empty.txt", "")

    @add("markup that nests thousands deep")
    def _(v, o):
        base_pages(v)
        write(v, "lists.md", "".join("  " * i + "- item\n" for i in range(3000)))
        write(v, "quotes.md", ">" * 3000 + " deep\n")
        write(v, "callouts.md", "".join("> " * i + "[!note]\n" for i in range(500)))
        write(v, "tables.md", "<table><tr><td>" * 500 + "x" + "</td></tr></table>" * 500)
        write(v, "brackets.md", "[" * 20_000 + "]" * 20_000 + "\n")

    @add("pages of 1.5 MB")
    def _(v, o):
        base_pages(v)
        write(v, "stray-bracket.md", "# A\n\n" + words(["alpha", "[beta", "gamma"], 1_500_000))
        write(v, "stray-tag.md", "# B\n\n" + words(["alpha", "<beta", "gamma", "<a"], 1_500_000))
        write(v, "links.md", "# C\n\n" + words(["[[Home]]", "**b**", "word", "[x](Other.md)"],
                                               1_500_000))
        write(v, "table.md", "| a | b |\n|---|---|\n" + "| [[Home]] | **b** [c |\n" * 60_000)

    @add("raw HTML and links that point out of the vault")
    def _(v, o):
        base_pages(v)
        secret = o / "secret.png"
        write(v, "hostile.md",
              f'# H\n\n<img src="{secret.as_uri()}"> <img src="{secret}"> <img src="/dev/zero">'
              f' <img src="../outside/secret.png"> <iframe src="{secret.as_uri()}"></iframe>'
              f'<script>alert(1)</script> <p style="background-image:url({secret})">x</p>\n\n'
              "[[../../outside/secret]] ![[../outside/secret.png]] [x](../outside/secret.md) "
              f"![y]({secret.as_uri()}) [m](mailto:a@b.org?attach=/etc/passwd)\n")

    @add("hostile search queries")
    def _(v, o):
        base_pages(v)

    @add("damaged search index")
    def _(v, o):
        for i in range(60):
            write(v, f"n{i}.md", f"# N{i}\n\nword{i} common\n")

    @add("torn compiler state")
    def _(v, o):
        write(v, "raw/real.txt", ARTICLE)

    @add("a burst of files while watching")
    def _(v, o):
        base_pages(v)

    @add("rename, delete and export aimed outside")
    def _(v, o):
        base_pages(v)
        symlink(v / "linked.md", o / "secret.md")

    return s


SETUPS = _setups()
QUERIES = ["Title:home", "foo:bar", "(((", ")", "AND", "NOT", "*", "?", "\"unclosed", "a" * 5000,
           " OR ".join(f"w{i}" for i in range(2000)), "path:../../etc", "tag:#", "type:",
           "a\x01b\x7f", "\u202eevil", "العربية", "🙂🙂", "title:(a OR", "**", "a* b* c* d*"]

PY_DAMAGE = """
import os, random, sys
from pathlib import Path
root = Path(sys.argv[1]) / ".wiki/index"
seg = max(root.glob("*.seg"), key=lambda p: p.stat().st_size)
with open(seg, "r+b") as fh:
    fh.seek(seg.stat().st_size // 2); fh.write(os.urandom(512))
"""
PY_TOC = """
import sys
from pathlib import Path
for toc in (Path(sys.argv[1]) / ".wiki/index").glob("*.toc"):
    toc.write_bytes(b"")
"""
PY_INDEX_FILE = """
import shutil, sys
from pathlib import Path
index = Path(sys.argv[1]) / ".wiki/index"
shutil.rmtree(index); index.write_text("junk")
"""
PY_SQLITE = """
import sys
from pathlib import Path
(Path(sys.argv[1]) / ".wiki/state.sqlite").write_bytes(b"not a database" * 100)
"""
PY_TEAR = """
import sys
from pathlib import Path
p = Path(sys.argv[1]) / ".wiki/compile-facts.jsonl"
data = p.read_bytes() + "{\\"x\\": \\"caf\\u00e9".encode()
p.write_bytes(data[:-1])
"""
PY_RENDER = """
import sys, time
from wiki.vault.facade import Vault, VaultError
from wiki.markup.vault_page import render_vault_page
from wiki.markup.render import parse_href
try:
    v = Vault.open(sys.argv[1])
except VaultError as e:  # the engine's one-line refusal, as the CLI gives it
    print(e, file=sys.stderr)
    sys.exit(2)
with v:
    v.refresh()
    for info in v.pages():
        t = time.perf_counter()
        page = render_vault_page(v, info.path)
        took = time.perf_counter() - t
        bad = [u for u in page.resources if not (u.startswith("math:") or u.startswith("vault:"))]
        assert not bad, bad
        if took > 5:
            print(f"slow render: {info.path} {took:.1f}s")
    assert "attach" not in parse_href("mailto:a@b.org?attach=/etc/passwd")[1]
"""
PY_WATCH = """
import sys, time
from pathlib import Path
from wiki.core.worker import Worker
from wiki.vault.facade import Vault
from wiki.watch.watcher import VaultWatcher
root = Path(sys.argv[1])
v = Vault.open(root); v.refresh(); w = Worker()
watcher = VaultWatcher(v, w); watcher.start().result(60)
for i in range(1000):
    (root / "burst").mkdir(exist_ok=True)
    (root / f"burst/b{i}.md").write_text(f"# B{i}\\n\\nburstword{i}\\n")
(root / "burst/b5.md").unlink()
(root / "burst/b6.md").rename(root / "burst/moved.md")
(root / "Other.md").unlink(); (root / "Other.md").symlink_to(Path(sys.argv[2]) / "secret.md")
deadline = time.time() + 60
while time.time() < deadline and v.search("burstword999").total != 1:
    time.sleep(0.2)
assert v.search("burstword999").total == 1, "burst not indexed"
time.sleep(2)
assert v.search("PRIVATE").total == 0, "outside file indexed"
watcher.stop(); w.close(); v.close()
"""


def cases() -> list[Case]:
    every = [["wiki", "index"], ["wiki", "search", "common"], ["wiki", "show", "Home"],
             ["wiki", "lint"], ["wiki", "pages", "--json"], ["wiki", "build"],
             ["wiki", "index", "--rebuild"], ["py", PY_RENDER]]
    out: list[Case] = []
    for name, setup in SETUPS.items():
        steps = list(every)
        if name == "hostile search queries":
            steps = [["wiki", "index"]] + [["wiki", "search", q] for q in QUERIES]
        elif name == "damaged search index":
            steps = [["wiki", "index"], ["py", PY_DAMAGE], ["wiki", "search", "word7"],
                     ["py", PY_TOC], ["wiki", "search", "word8"], ["py", PY_INDEX_FILE],
                     ["wiki", "search", "word9"], ["py", PY_SQLITE], ["wiki", "show", "n3"]]
        elif name == "torn compiler state":
            steps = [["wiki", "build"], ["py", PY_TEAR], ["wiki", "build"], ["wiki", "build"]]
        elif name == "a burst of files while watching":
            steps = [["py", PY_WATCH]]
        elif name == "rename, delete and export aimed outside":
            steps = [["wiki", "index"], ["wiki", "mv", "Home", "../outside/Home"],
                     ["wiki", "mv", "Home", "/tmp/evil"], ["wiki", "rm", "linked"],
                     ["wiki", "show", "linked"], ["wiki", "export", "--html", "OUTSIDE_EXPORT"],
                     ["wiki", "ingest", "OUTSIDE_SECRET"]]
        elif name in ("pages of 1.5 MB", "raw HTML and links that point out of the vault"):
            steps = [["wiki", "index"], ["py", PY_RENDER], ["app", "stray-bracket" if "1.5" in
                                                            name else "hostile"]]
        if name == "rename, delete and export aimed outside":
            # `wiki ingest FILE` copies the file the user named into raw/ (then refuses it):
            # asked for, so the private text is expected there; the export goes where asked
            out.append(Case(name, setup, steps, asked_outside=("outside/export/",)))
        else:
            out.append(Case(name, setup, steps, expect_in_vault="PRIVATE-LINE"))
    return out


# -- running --------------------------------------------------------------------------------
def snapshot(base: Path, vault: Path) -> dict[str, tuple[int, str]]:
    """Every file around the vault (not inside it): size and a hash of its first 1 MB."""
    out: dict[str, tuple[int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(dirpath)
        if here == vault or vault in here.parents or here.name == "home":
            dirnames[:] = []
            continue
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            path = here / name
            try:
                st = path.lstat()
                digest = ""
                if path.is_file() and not path.is_symlink():
                    with open(path, "rb") as fh:
                        digest = hashlib.sha1(fh.read(1 << 20)).hexdigest()
                out[str(path.relative_to(base))] = (st.st_size, digest)
            except OSError:
                continue
    return out


def run_step(step: list[str], vault: Path, outside: Path, work: Path, env: dict[str, str],
             timeout: float) -> tuple[str, str]:
    """('ok' | 'crash' | 'hang', detail)."""
    kind = step[0]
    if kind == "wiki":
        args = [a.replace("OUTSIDE_EXPORT", str(outside / "export"))
                .replace("OUTSIDE_SECRET", str(outside / "secret.txt")) for a in step[1:]]
        cmd = [sys.executable, "-m", "wiki", *args, "--vault", str(vault)]
    elif kind == "py":
        cmd = [sys.executable, "-c", step[1], str(vault), str(outside)]
    else:  # the app, offscreen: open a page and take a screenshot
        cmd = [sys.executable, str(REPO / "main.py"), "--vault", str(vault), "--open", step[1],
               "--screenshot", str(work / "shot.png")]
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return "hang", f"still running after {timeout:.0f} s"
    if proc.returncode < 0:
        return "crash", f"killed by signal {-proc.returncode}"
    if "Traceback" in stderr or proc.returncode not in (0, 2):
        last = (stderr.strip().splitlines() or [""])[-1]
        return "crash", f"exit {proc.returncode}: {last[:160]}"
    if kind == "wiki" and proc.returncode == 2 and stderr.strip().count("\n") > 0:
        lines = [ln for ln in stderr.strip().splitlines() if not ln.startswith("warning:")]
        if len(lines) > 1:
            return "crash", f"exit 2 with {len(lines)} lines on stderr"
    first = (stderr.strip().splitlines() or stdout.strip().splitlines() or [""])[-1]
    return "ok", f"exit {proc.returncode} {first[:100]}"


def run_case(case: Case, base: Path, timeout: float, totals: Totals) -> None:
    vault, outside, work, home = base / "vault", base / "outside", base / "work", base / "home"
    for folder in (vault, outside, work, home):
        folder.mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "secret.md").write_text("# Secret\n\n" + SECRET, encoding="utf-8")
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    case.setup(vault, outside)
    before = snapshot(base, vault)
    env = dict(os.environ, PYTHONPATH=str(REPO), HOME=str(home), QT_QPA_PLATFORM="offscreen",
               XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_STATE_HOME=str(home / "state"), COMMONPLACE_SKIP_QT_CHECK="1")
    env.pop("WIKI_VAULT", None)
    totals.cases += 1
    for step in case.steps:
        totals.steps += 1
        started = time.perf_counter()
        verdict, detail = run_step(step, vault, outside, work, env, timeout)
        took = time.perf_counter() - started
        label = " ".join(s if len(s) < 40 else s[:37] + "..." for s in step[:3]).replace(
            "\n", " ")
        print(f"  {verdict:5} {took:6.1f}s  {label[:70]:70} {detail}", flush=True)
        if verdict == "crash":
            totals.crashes.append(f"{case.name}: {label[:60]}: {detail}")
        elif verdict == "hang":
            totals.hangs.append(f"{case.name}: {label[:60]}")
    after = snapshot(base, vault)
    made = [p for p in after if p not in before and not p.startswith("work/shot.png")
            and not p.startswith(case.asked_outside or ("\0",))]
    changed = [p for p in before if p in after and before[p] != after[p]]
    gone = [p for p in before if p not in after]
    for kind, paths in (("made", made), ("changed", changed), ("removed", gone)):
        totals.outside += [f"{case.name}: {kind} {p}" for p in paths]
    if case.expect_in_vault:
        for path in vault.rglob("*"):
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_size < 5_000_000 \
                        and case.expect_in_vault.encode() in path.read_bytes():
                    totals.leaks.append(f"{case.name}: {path.relative_to(vault)}")
            except OSError:
                continue


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="run the cases whose name contains this")
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds per step")
    ap.add_argument("--keep", action="store_true", help="keep the case folders")
    args = ap.parse_args()
    totals = Totals()
    top = Path(tempfile.mkdtemp(prefix="commonplace-adversarial-"))
    started = time.perf_counter()
    try:
        for n, case in enumerate(cases()):
            if args.only and args.only not in case.name:
                continue
            print(f"[{case.name}]", flush=True)
            run_case(case, top / f"case{n}", args.timeout, totals)
    finally:
        if not args.keep:
            shutil.rmtree(top, ignore_errors=True)
    print(json.dumps({"cases": totals.cases, "steps": totals.steps,
                      "crashes": len(totals.crashes), "hangs": len(totals.hangs),
                      "touched_outside_the_vault": len(totals.outside),
                      "private_text_in_vault": len(totals.leaks),
                      "seconds": round(time.perf_counter() - started)}, indent=1))
    for title, items in (("crashes", totals.crashes), ("hangs", totals.hangs),
                         ("touched outside the vault", totals.outside),
                         ("private text copied into the vault", totals.leaks)):
        for item in items:
            print(f"{title}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
