"""File an answer as a page under ``answers/`` and log it (``## [date] query | question``).

An answer page says what it is in its frontmatter (``type: answer``, the question, the date, the
model, the pages it used), so later compiles never read it as a source (``wiki.compile`` refuses
raw files of that type) and Ask never retrieves it as evidence. It is never written over another
file: a second answer to the same question gets ``(2)``.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from wiki.compile.writing.indexpage import append_log_text
from wiki.compile.writing.render import frontmatter
from wiki.core.fileio import create_new
from wiki.core.rules import ANSWER_TYPE, ANSWERS_DIR, safe_page_name
from wiki.llm.ask import Answer

TITLE_CHARS = 90


class AnswerNotSaved(Exception):
    """``str()`` is one line for the user."""


def answer_markdown(answer: Answer, date: str) -> str:
    meta = {"title": answer.question, "type": ANSWER_TYPE, "question": answer.question,
            "date": date, "model": answer.model, "pages": answer.pages_used}
    lines = [frontmatter(meta).rstrip("\n"), f"# {answer.question}", "", answer.text, ""]
    if answer.citations:
        lines += ["## Sources", ""]
        for c in answer.citations:
            lines.append(f"{c.number}. [[{c.path.removesuffix('.md')}|{_label(c.title)}]]")
        lines.append("")
    other = [p for p in (answer.context.passages if answer.context else [])
             if p.path not in {c.path for c in answer.citations}]
    if other:
        lines += ["## Also given to the model", ""]
        for p in other:
            lines.append(f"{p.number}. [[{p.path.removesuffix('.md')}|{_label(p.title)}]]")
        lines.append("")
    return "\n".join(lines)


def _label(title: str) -> str:
    return title.replace("|", "/").replace("]", ")").replace("[", "(")


def save_answer(root: Path, answer: Answer, *, today: _dt.date | None = None) -> list[str]:
    """Write the answer page and its log entry. Returns the vault-relative paths written (for
    the index). Refuses a truncated answer."""
    if answer.truncated:
        raise AnswerNotSaved("the model's answer was cut off before it finished "
                             f"(finish_reason: {answer.finish_reason}); not saved")
    if not answer.text.strip():
        raise AnswerNotSaved("the model gave an empty answer; not saved")
    date = (today or _dt.date.today()).isoformat()
    folder = root / ANSWERS_DIR
    base = safe_page_name(answer.question, limit=TITLE_CHARS)
    text = answer_markdown(answer, date)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        rel = _create_new(folder, base, text)
    except OSError as exc:
        raise AnswerNotSaved(f"cannot write in {folder}: {exc.strerror or exc}") from None
    name = rel.removesuffix(".md")
    entry = [f"## [{date}] query | {' '.join(answer.question.split())}", "",
             f"- Answer: [[{name}|{_label(answer.question)}]]"]
    if answer.citations:
        entry.append("- Pages cited: " + ", ".join(
            f"[[{c.path.removesuffix('.md')}|{_label(c.title)}]]" for c in answer.citations))
    written = [rel]
    try:
        action, _ = append_log_text(root, None, "\n".join(entry) + "\n")
    except OSError as exc:
        raise AnswerNotSaved(f"saved {rel}, but cannot add it to log.md: "
                             f"{exc.strerror or exc}") from None
    if action in ("created", "updated"):
        written.append("log.md")
    return written


def _create_new(folder: Path, base: str, text: str) -> str:
    """Create ``base.md`` (or ``base (2).md``, …) holding ``text``; never replaces a file."""
    n = 1
    while True:
        name = f"{base}.md" if n == 1 else f"{base} ({n}).md"
        if create_new(folder / name, text):
            return f"{ANSWERS_DIR}/{name}"
        n += 1
