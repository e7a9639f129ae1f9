"""Orchestration shared by every compiler: read raw/, write pages safely, state, index and log."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from pathlib import Path

from wiki.compile.compiler import Compiler, RuleCompiler, WikiView, sid_of
from wiki.compile.reading.articles import articles_from
from wiki.compile.reading.sources import BadInput, read_raw
from wiki.compile.state import CompileState, PageKind, RawRecord, SourceRecord
from wiki.compile.types import Article, CompileReport, unsupported_message
from wiki.compile.writing import agents, indexpage
from wiki.compile.writing.writer import (
    PageRecord,
    atomic_write,
    is_unedited,
    offered_keys,
    provenance,
    read_text,
    remove_page,
    sha,
    stamp,
    write_page,
)
from wiki.core import fileio
from wiki.core.fileio import Unreadable
from wiki.core.rules import MAX_RAW_BYTES, RAW_DIR, is_raw_file
from wiki.core.stamp import find_stamp
from wiki.markup.pages import iter_page_paths

Progress = Callable[[int, int, str], None] | None


def _noop(done: int, total: int, message: str) -> None:
    return None


def compile_vault(vault_root: Path, *, only: list[Path] | None = None, progress: Progress = None,
                  today: _dt.date | None = None, compiler: Compiler | None = None,
                  repeat_errors: bool | None = None) -> CompileReport:
    """Compile the raw files that are new, changed or deleted since the last compile (or just
    ``only``). ``repeat_errors``: report again the unchanged files that failed before (default:
    when compiling everything, as ``wiki build`` does; a watcher says it once).

    Never raises for bad input: each problem is one ``(file, message)`` in ``report.errors``.
    """
    report = CompileReport()
    progress = progress or _noop
    root = Path(vault_root).expanduser().resolve()
    if not root.is_dir():
        report.errors.append((str(root), "the vault folder does not exist"))
        return report
    state = CompileState.load(root)
    if state.problem:
        report.errors.append((".wiki/compile-state.json", state.problem))
    if state.unstamped:
        report.written += stamp_old_pages(root, state)
    date = (today or _dt.date.today()).isoformat()
    files, gone = _raw_files(root, state, only, report)
    cache: dict[str, list[Article]] = {}
    removed: dict[str, SourceRecord] = {}
    fresh: list[Article] = []
    new_sids: list[str] = []
    for n, (rel, path) in enumerate(files):
        progress(n, len(files), f"reading {rel}")
        repeat = only is None if repeat_errors is None else repeat_errors
        arts = _read_if_changed(root, rel, path, state, cache, report, repeat, removed)
        if arts is None:
            continue
        dates = _forget(state, rel, removed)
        for art in arts:
            sid = sid_of(art)
            state.sources[sid] = SourceRecord(art.title, rel, dates.get(art.title, date))
            if rel not in state.rederive:  # re-read for lost facts: not news for the log
                new_sids.append(sid)
        state.raw[rel].articles = [sid_of(a) for a in arts]
        fresh.extend(arts)
    for rel in gone:
        _forget(state, rel, removed)
        del state.raw[rel]
    if not fresh and not gone and not _missing_special(root, state) \
            and not _has_work(compiler, state):
        if indexpage.INDEX in state.pages:  # the user's pages may have come and gone
            _write_index(root, state, report, indexpage.user_pages(root, set(state.pages)))
        _save(root, state, report)
        progress(len(files), len(files), "nothing new to compile")
        return report
    progress(len(files), len(files) + 1, "compiling pages")
    view = WikiView(state, lambda sid: _load_article(root, sid, cache),
                    {s: r for s, r in removed.items() if s not in state.sources})
    compiled = (compiler or RuleCompiler()).compile_articles(fresh, view)
    others = indexpage.user_pages(root, set(state.pages))
    _write_pages(root, state, compiled, report, others)
    _write_index(root, state, report, others)
    _append_log(root, state, compiled, new_sids, report)
    if agents.write_once(root, state.pages):
        report.created.append(agents.AGENTS)
        report.written.append(agents.AGENTS)
    for art in fresh:
        report.source_pages.setdefault(art.raw, []).append(compiled.source_pages[sid_of(art)])
    _save(root, state, report)
    progress(len(files) + 1, len(files) + 1, "done")
    return report


def update_index(vault_root: Path) -> CompileReport:
    """Bring ``index.md`` up to date with the pages on disk, the user's own included: the
    watcher calls it when a page is added, deleted or changed outside a compile. Nothing is
    written when the index would read the same, nor in a vault the compiler never wrote an
    index for, nor over an index the user edited (a conflict is reported instead)."""
    report = CompileReport()
    root = Path(vault_root).expanduser().resolve()
    if not (root / indexpage.INDEX).exists():
        return report  # never compiled, or the user deleted it: the next compile makes one
    state = CompileState.load(root)
    if state.problem or indexpage.INDEX not in state.pages:
        return report  # an index.md of the user's, or a state to repair by a compile
    _write_index(root, state, report, indexpage.user_pages(root, set(state.pages)))
    if report.written:
        _save(root, state, report)
    return report


def _has_work(compiler: Compiler | None, state: CompileState) -> bool:
    """Pages this compiler would write again though nothing changed (see RuleCompiler.stale)."""
    stale = getattr(compiler, "stale", None)
    return stale is not None and any(
        rec.kind not in (PageKind.INDEX, PageKind.LOG, PageKind.AGENTS) and stale(rec)
        for rec in state.pages.values())


def _save(root: Path, state: CompileState, report: CompileReport) -> None:
    try:
        state.save(root)
    except OSError as exc:
        report.errors.append((".wiki/compile-state.json",
                              f"cannot save the compile state: {exc.strerror or exc}"))


def _raw_files(root: Path, state: CompileState, only: list[Path] | None,
               report: CompileReport) -> tuple[list[tuple[str, Path]], list[str]]:
    raw_dir = root / RAW_DIR
    files: list[tuple[str, Path]] = []
    gone: list[str] = []
    if only is None:
        problem = _raw_dir_problem(root)
        if problem:
            report.errors.append((RAW_DIR, problem))
            return files, gone  # nothing is known gone: the articles may still be there
        if raw_dir.is_dir():
            for rel, path, skipped in sorted(fileio.walk_files(root, RAW_DIR),
                                             key=lambda found: Path(found[0])):
                if skipped:
                    report.errors.append((rel, skipped))
                else:  # an unsupported file too: it is refused once, naming its type
                    files.append((rel, path))
            present = {rel for rel, _ in files}
            gone = sorted(r for r in state.raw if r not in present)
        return files, gone
    for item in only:
        path = Path(item)
        path = path if path.is_absolute() else root / path
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            report.errors.append((str(item), "not inside the vault's raw/ folder"))
            continue
        if not rel.startswith(RAW_DIR + "/"):
            report.errors.append((rel, "not inside the vault's raw/ folder"))
        elif not path.exists():
            if rel in state.raw:
                gone.append(rel)
            elif is_raw_file(path):  # (another file, made and deleted again: nothing to say)
                report.errors.append((rel, "file not found"))
        else:
            files.append((rel, path))
    return sorted(set(files)), sorted(set(gone))


def _read_if_changed(root: Path, rel: str, path: Path, state: CompileState,
                     cache: dict[str, list[Article]], report: CompileReport,
                     repeat_errors: bool,
                     removed: dict[str, SourceRecord]) -> list[Article] | None:
    """The articles of a new or changed raw file; None when it is unchanged or unreadable."""
    rec = state.raw.get(rel)
    try:
        st = path.stat()
    except OSError as exc:
        report.errors.append((rel, f"cannot read the file: {exc.strerror or exc}"))
        return None
    if rec and rec.size == st.st_size and rec.mtime_ns == st.st_mtime_ns:
        if rec.error and repeat_errors:
            report.refuse(rel, path, rec.error)
        return None
    try:
        digest = sha(path.read_bytes()) if st.st_size <= 64 * 1024 * 1024 \
            and is_raw_file(path) else f"size:{st.st_size}"  # (a video is not read to refuse it)
    except OSError as exc:
        report.errors.append((rel, f"cannot read the file: {exc.strerror or exc}"))
        return None
    if rec and rec.sha == digest:
        rec.size, rec.mtime_ns = st.st_size, st.st_mtime_ns
        if rec.error and repeat_errors:
            report.refuse(rel, path, rec.error)
        return None
    entry = RawRecord(st.st_size, st.st_mtime_ns, digest, list(rec.articles) if rec else [])
    try:
        raw = read_raw(path)
        arts = articles_from(rel, raw.text, raw.title, raw.info)
        if not arts:
            raise BadInput("no article text found in the file")
    except BadInput as exc:
        report.refuse(rel, path, str(exc))
        _forget(state, rel, removed)
        entry.error = str(exc)
        state.raw[rel] = entry
        return None
    state.raw[rel] = entry
    cache[rel] = arts
    return arts


def _forget(state: CompileState, rel: str,
            removed: dict[str, SourceRecord] | None = None) -> dict[str, str]:
    """Drop the articles of a raw file from the state; returns their ingest dates by title."""
    dates: dict[str, str] = {}
    for sid in state.sids_of(rel):
        state.set_facts(sid, None)
        rec = state.sources.pop(sid, None)
        if rec:
            dates[rec.title] = rec.ingested
            if removed is not None:
                removed[sid] = rec
    if rel in state.raw:
        state.raw[rel].articles = []
    return dates


def _load_article(root: Path, sid: str, cache: dict[str, list[Article]]) -> Article | None:
    rel, _, idx = sid.rpartition("#")
    if rel not in cache:
        try:
            raw = read_raw(root / rel)
            cache[rel] = articles_from(rel, raw.text, raw.title, raw.info)
        except BadInput:
            cache[rel] = []
    return next((a for a in cache[rel] if str(a.index) == idx), None)


def _missing_special(root: Path, state: CompileState) -> bool:
    return bool(state.sources) and not (root / indexpage.INDEX).exists()


def stamp_old_pages(root: Path, state: CompileState) -> list[str]:
    """Stamp the pages an older Commonplace wrote and the user has not changed, so that they
    stay recognised as the compiler's if ``.wiki/`` is ever lost. Edited pages are not touched.
    Returns the pages it rewrote."""
    done: list[str] = []
    for rel, rec in state.pages.items():
        try:
            current = read_text(root / rel)
        except Unreadable:
            continue
        if current is None or rec.edited or sha(current) != rec.sha \
                or provenance(current) is not None:
            continue
        new = stamp(current)
        try:
            atomic_write(root / rel, new)
        except OSError:
            continue  # stays unstamped; it is still known by the state
        if rec.wanted_sha == rec.sha:
            rec.wanted_sha = sha(new)
        rec.sha = sha(new)
        done.append(rel)
    state.unstamped = False
    return done


class _Renames:
    """Finds where the user moved a generated page: a page the state does not know whose text
    is exactly what the compiler last wrote at the old path (an Obsidian rename keeps the
    text, stamp included). The vault is read only when a generated page has gone missing."""

    def __init__(self, root: Path, state: CompileState) -> None:
        self.root, self.state = root, state
        self._by_sha: dict[str, str] | None = None

    def find(self, record: PageRecord) -> str:
        if self._by_sha is None:
            self._by_sha = {}
            for rel, _st in iter_page_paths(self.root):
                if rel in self.state.pages:
                    continue
                try:
                    text = read_text(self.root / rel)
                except Unreadable:
                    continue
                if text is not None and find_stamp(text) is not None:
                    self._by_sha.setdefault(sha(text), rel)
        return self._by_sha.get(record.sha, "")


def _write_pages(root: Path, state: CompileState, compiled, report: CompileReport,
                 others: list[tuple[str, str]]) -> None:
    user_names = {rel.rpartition("/")[2].removesuffix(".md").casefold(): rel
                  for rel, _ in others}
    renamed = _Renames(root, state)
    for rel in sorted(compiled.pages):
        page = compiled.pages[rel]
        name = rel.rpartition("/")[2].removesuffix(".md").casefold()
        old = state.pages.get(rel)
        if old is not None and (old.moved_to or not os.path.lexists(root / rel)):
            moved_to = old.moved_to or renamed.find(old)
            if moved_to:  # the user renamed the compiler's page: their name wins
                if not old.moved_to:
                    old.moved_to = moved_to
                    report.conflicts.append(f"{rel}: not recreated, you renamed it to "
                                            f"{moved_to}")
                continue
        if rel not in state.pages and name in user_names and user_names[name] != rel:
            # the user has a page of that name: [[Name]] goes there; never make a rival
            report.conflicts.append(f"{rel}: not created, your page {user_names[name]} has "
                                    "that name (links to it stay yours)")
            continue
        text = stamp(page.text)
        try:
            res = write_page(root, rel, text, state.pages.get(rel), page.keep_lines)
        except OSError as exc:
            report.errors.append((rel, f"cannot write the page: {exc.strerror or exc}"))
            continue
        if res.action == "skipped":
            report.conflicts.append(res.message)
            continue
        state.pages[rel] = PageRecord(res.sha or "", page.kind, page.title, page.summary,
                                      page.fingerprint, sha(text), res.edited,
                                      page.made_by, offered=offered_keys(page.keep_lines))
        if res.action == "created":
            report.created.append(rel)
        elif res.action in ("updated", "merged"):
            report.updated.append(rel)
        else:
            report.unchanged.append(rel)
        if res.action in ("merged", "kept"):
            report.conflicts.append(res.message)
        if res.action in ("created", "updated", "merged"):
            report.written.append(rel)
    for rel in sorted(state.pages):
        rec = state.pages[rel]
        if rec.kind in (PageKind.INDEX, PageKind.LOG, PageKind.AGENTS) or rel in compiled.keep:
            continue
        if remove_page(root, rel, rec):
            report.removed.append(rel)
            report.written.append(rel)
        elif (root / rel).exists():
            report.conflicts.append(f"{rel}: no longer produced, but you edited it; kept")
        del state.pages[rel]


def _write_index(root: Path, state: CompileState, report: CompileReport,
                 others: list[tuple[str, str]]) -> None:
    others = [(rel, summary) for rel, summary in others if rel not in state.pages]
    text = stamp(indexpage.render_index(
        {rel: rec for rel, rec in state.pages.items() if not rec.moved_to}, others))
    rec = state.pages.get(indexpage.INDEX)
    try:
        current = read_text(root / indexpage.INDEX)
    except Unreadable as exc:
        report.conflicts.append(f"{indexpage.INDEX}: not updated, the file there cannot be read "
                                f"as text ({exc})")
        return
    if rec is None and current is not None:
        rec = provenance(current)  # the state was lost
    if current is not None and (rec is None or not is_unedited(current, rec)):
        if current != text:
            report.conflicts.append(f"{indexpage.INDEX}: not updated, it was changed outside "
                                    "Commonplace (delete it to get a fresh one)")
        return
    try:
        res = write_page(root, indexpage.INDEX, text, rec, [])
    except OSError as exc:
        report.errors.append((indexpage.INDEX, f"cannot write the page: {exc.strerror or exc}"))
        return
    state.pages[indexpage.INDEX] = PageRecord(res.sha or "", PageKind.INDEX, "Index")
    if res.action in ("created", "updated"):
        (report.created if res.action == "created" else report.updated).append(indexpage.INDEX)
        report.written.append(indexpage.INDEX)


def _append_log(root: Path, state: CompileState, compiled, new_sids: list[str],
                report: CompileReport) -> None:
    entries = []
    written = set(report.written)
    for sid in sorted(new_sids, key=lambda s: (state.sources[s].ingested, s)):
        rec = state.sources[sid]
        touched = [r.rpartition("/")[2].removesuffix(".md")
                   for r in compiled.touched_by.get(sid, [])[1:] if r in written]
        entries.append((rec.ingested, rec.title,
                        compiled.source_pages[sid].rpartition("/")[2].removesuffix(".md"),
                        touched))
    if not entries:
        return
    try:
        action, digest = indexpage.append_log(root, state.pages.get(indexpage.LOG), entries)
    except OSError as exc:
        report.errors.append((indexpage.LOG, f"cannot write the page: {exc.strerror or exc}"))
        return
    if action == "skipped":
        report.conflicts.append(f"{indexpage.LOG}: not updated, it was not made by Commonplace")
        return
    state.pages[indexpage.LOG] = PageRecord(digest or "", PageKind.LOG, "Log")
    if action == "unchanged":
        return
    (report.created if action == "created" else report.updated).append(indexpage.LOG)
    report.written.append(indexpage.LOG)


def _free_name(raw_dir: Path, name: str, data: bytes) -> Path | None:
    """Where to copy ``data`` named ``name``: None when an identical copy is already there."""
    target = raw_dir / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while os.path.lexists(target):
        if _bytes_of(target) == data:
            return None
        target = raw_dir / f"{stem} ({n}){suffix}"
        n += 1
    return target


def _bytes_of(path: Path) -> bytes | None:
    """A file's bytes, bounded; None for anything that is not a readable regular file."""
    try:
        data, _st, truncated = fileio.read_bytes(path, max_bytes=MAX_RAW_BYTES)
    except fileio.Unreadable:
        return None
    return None if truncated else data


def _read_article_file(f: Path) -> bytes:
    """The bytes of a file to copy into raw/: only a regular file, never more than the limit
    (a FIFO or /dev/zero is refused at once). Raises ``BadInput``."""
    try:
        data, st, truncated = fileio.read_bytes(f, max_bytes=MAX_RAW_BYTES)
    except fileio.Unreadable as exc:
        reason = "is a folder, not a file" if str(exc) == "is a directory" else \
            f"cannot read the file: {exc}"
        raise BadInput(reason) from None
    if truncated:
        raise BadInput(f"too large to import: {st.st_size / 1e6:.1f} MB "
                       f"(the limit is {MAX_RAW_BYTES / 1e6:.0f} MB)")
    return data


def _raw_dir_problem(root: Path) -> str | None:
    """raw/ must be a folder inside the vault: a link out of it is never read or written."""
    raw_dir = root / RAW_DIR
    if raw_dir.is_symlink() and not fileio.inside(os.path.realpath(raw_dir), str(root)):
        return (f"{RAW_DIR}/ is a link to {os.path.realpath(raw_dir)}, outside the vault; "
                "Commonplace only reads and writes inside the vault")
    if os.path.lexists(raw_dir) and not raw_dir.is_dir():
        return f"{RAW_DIR} is a file, not a folder"
    return None


def ingest_files(vault_root: Path, files: list[Path], progress: Progress = None, *,
                 today: _dt.date | None = None, compiler: Compiler | None = None
                 ) -> CompileReport:
    """Copy ``files`` into raw/ (never over a different file of the same name), compile them."""
    root = Path(vault_root).expanduser().resolve()
    raw_dir = root / RAW_DIR
    errors: list[tuple[str, str]] = []
    unsupported: list[str] = []
    targets: list[Path] = []
    already: dict[str, str] = {}  # dropped file -> the identical raw file
    problem = _raw_dir_problem(root)
    if problem:
        report = CompileReport()
        report.errors.append((RAW_DIR, problem))
        return report
    for f in files:
        f = Path(f)
        if not is_raw_file(f) and not f.is_dir():
            # Refused before copying: raw/ is for articles, not for whatever was dropped.
            errors.append((str(f), f"{unsupported_message(f)}; not imported"))
            unsupported.append(str(f))
            continue
        try:
            data = _read_article_file(f)
            raw_dir.mkdir(parents=True, exist_ok=True)
            if f.resolve().parent == raw_dir.resolve():
                targets.append(f.resolve())
                continue
            target = _free_name(raw_dir, f.name, data)
            if target is None:
                target = _same_file(raw_dir, f.name, data)
                already[str(f)] = target.relative_to(root).as_posix()
            else:
                fileio.atomic_write(target, data)
        except BadInput as exc:
            errors.append((str(f), str(exc)))
            continue
        except OSError as exc:
            errors.append((str(f), f"cannot copy the file: {exc.strerror or exc}"))
            continue
        targets.append(target)
    report = (compile_vault(root, only=targets, progress=progress, today=today,
                            compiler=compiler) if targets else CompileReport())
    report.errors[:0] = errors
    report.unsupported[:0] = unsupported
    if already:
        state = CompileState.load(root)
        report.already_imported = {f: state.source_pages_of(rel) for f, rel in already.items()}
    return report


def _same_file(raw_dir: Path, name: str, data: bytes) -> Path:
    stem, suffix = Path(name).stem, Path(name).suffix
    candidates = [raw_dir / name] + sorted(raw_dir.glob(f"{stem} (*){suffix}"))
    for c in candidates:
        if _bytes_of(c) == data:
            return c
    return raw_dir / name


def build_from(vault_root: Path, source_dir: Path, progress: Progress = None, *,
               today: _dt.date | None = None, compiler: Compiler | None = None
               ) -> CompileReport:
    """Copy every file of ``source_dir`` into raw/ (identical copies are not repeated), compile."""
    root = Path(vault_root).expanduser().resolve()
    src = Path(source_dir)
    if not src.is_dir():
        report = CompileReport()
        report.errors.append((str(src), "not a folder"))
        return report
    root.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in src.iterdir() if p.is_file() and not p.name.startswith("."))
    raw_dir = root / RAW_DIR
    problem = _raw_dir_problem(root)
    if problem:
        report = CompileReport()
        report.errors.append((RAW_DIR, problem))
        return report
    raw_dir.mkdir(parents=True, exist_ok=True)
    errors: list[tuple[str, str]] = []
    for f in files:
        try:
            data = _read_article_file(f)
            target = _free_name(raw_dir, f.name, data)
            if target is not None:
                fileio.atomic_write(target, data)
        except BadInput as exc:
            errors.append((str(f), str(exc)))
        except OSError as exc:
            errors.append((str(f), f"cannot copy the file: {exc.strerror or exc}"))
    report = compile_vault(root, progress=progress, today=today, compiler=compiler)
    report.errors[:0] = errors
    return report
