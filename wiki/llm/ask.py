"""Ask the wiki: retrieve pages, ask the model to answer from them, parse its citations.

The model sees numbered pages and cites them as ``[1]``; a citation counts only when its number
(or a ``[[Page]]`` it wrote) is one of the pages it was given, so an answer never points at a
page that does not exist. ``finish_reason`` other than ``stop`` marks the answer truncated:
it is shown, never filed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from wiki.llm.client import CancelToken, LLMClient, estimate_tokens
from wiki.llm.retrieval import Context, Passage, ReadableVault, retrieve

ANSWER_TOKENS = 700
SAFETY_TOKENS = 96  # chat template and the estimate's own error
SYSTEM = (
    "You answer questions from the user's personal wiki. Use only the numbered pages given "
    "below. After each sentence, cite the pages it comes from by number in square brackets, "
    "like [1] or [2][3]. If the pages do not answer the question, say so plainly instead of "
    "guessing. Answer in a few short paragraphs."
)
_NUMBER = re.compile(r"\[(\d{1,3})\]")
_WIKILINK = re.compile(r"\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")


@dataclass(slots=True)
class Citation:
    number: int
    path: str
    title: str


@dataclass(slots=True)
class Answer:
    question: str
    text: str
    model: str
    finish_reason: str
    citations: list[Citation] = field(default_factory=list)
    context: Context | None = None

    @property
    def truncated(self) -> bool:
        return self.finish_reason != "stop"

    @property
    def pages_used(self) -> list[str]:
        return [p.path for p in self.context.passages] if self.context else []

    def as_json(self, saved: str | None = None) -> dict:
        return {"answer": self.text,
                "citations": [{"path": c.path, "title": c.title} for c in self.citations],
                "saved": saved, "model": self.model, "truncated": self.truncated,
                "pages_used": self.pages_used}


def budgets(context_tokens: int, question: str) -> tuple[int, int]:
    """(tokens for the retrieved pages, tokens for the answer) within the model's context."""
    answer = min(ANSWER_TOKENS, max(64, context_tokens // 4))
    fixed = estimate_tokens(SYSTEM) + estimate_tokens(question) + SAFETY_TOKENS
    return max(0, context_tokens - answer - fixed), answer


def build_messages(ctx: Context) -> list[dict]:
    parts: list[str] = []
    for p in ctx.passages:
        parts.append(f"[{p.number}] {p.title} ({p.path})\n{p.text}")
    if ctx.catalogue:
        parts.append("From the wiki's index (one line per page):\n" + "\n".join(ctx.catalogue))
    pages = "\n\n".join(parts) if parts else "(no page of the wiki matches this question)"
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Pages:\n\n{pages}\n\nQuestion: {ctx.question}"}]


def citations_in(text: str, ctx: Context) -> list[Citation]:
    """The given pages the answer cites, in the order it first cites them."""
    found: dict[str, Citation] = {}
    by_name: dict[str, Passage] = {}
    for p in ctx.passages:
        by_name.setdefault(p.title.casefold(), p)
        by_name.setdefault(p.path.removesuffix(".md").rpartition("/")[2].casefold(), p)
        by_name.setdefault(p.path.removesuffix(".md").casefold(), p)
    marks: list[tuple[int, Passage]] = []
    for m in _NUMBER.finditer(text):
        passage = ctx.by_number(int(m.group(1)))
        if passage is not None:
            marks.append((m.start(), passage))
    for m in _WIKILINK.finditer(text):
        passage = by_name.get(m.group(1).strip().casefold())
        if passage is not None:
            marks.append((m.start(), passage))
    for _, p in sorted(marks, key=lambda t: t[0]):
        found.setdefault(p.path, Citation(p.number, p.path, p.title))
    return list(found.values())


def unlink_unknown(text: str, ctx: Context) -> str:
    """``[[Links]]`` the model wrote to pages it was not given become plain text: a filed
    answer never links to a page that does not exist."""
    known = {p.title.casefold() for p in ctx.passages}
    for p in ctx.passages:
        stem = p.path.removesuffix(".md")
        known |= {stem.casefold(), stem.rpartition("/")[2].casefold()}

    def plain(m: re.Match[str]) -> str:
        if m.group(1).strip().casefold() in known:
            return m.group(0)
        label = m.group(0)[2:-2].rpartition("|")[2] if "|" in m.group(0) else m.group(1)
        return label.strip()

    return _WIKILINK.sub(plain, text)


def ask(vault: ReadableVault, client: LLMClient, question: str, *,
        on_delta: Callable[[str], None] | None = None, cancel: CancelToken | None = None,
        on_context: Callable[[Context], None] | None = None) -> Answer:
    """Answer ``question`` from the vault. Raises :class:`wiki.llm.client.LLMError` (one line)
    when the model cannot answer, :class:`wiki.llm.client.Cancelled` when cancelled."""
    question = " ".join(question.split())
    page_budget, answer_tokens = budgets(client.context_length(), question)
    ctx = retrieve(vault, question, page_budget)
    if on_context is not None:
        on_context(ctx)
    result = client.chat(build_messages(ctx), max_tokens=answer_tokens, on_delta=on_delta,
                         cancel=cancel)
    text = unlink_unknown(result.text.strip(), ctx)
    return Answer(question, text, result.model, result.finish_reason or "unknown",
                  citations_in(text, ctx), ctx)
