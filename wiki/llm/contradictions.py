"""``wiki lint --llm``: sources that contradict each other about one entity, for the user.

For each entity page mentioned by two sources or more, the model reads what each source says
there (the page's "Mentioned in" lines, as compiled) and names the pairs of sources that
disagree. Only the sources it was given count; a reply that did not finish or is not the JSON
asked for marks that page "not checked", never a finding. Findings are listed, nothing is
written: deciding who is right is the user's job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from wiki.llm.client import CancelToken, LLMClient, LLMError, estimate_tokens
from wiki.llm.retrieval import ReadableVault

ENTITY_TYPES = ("person", "organization", "product", "concept")
MAX_PAGES = 40
OUTPUT_TOKENS = 300
_MENTION = re.compile(r"^- \[\[([^\]|#]+)(?:\|[^\]]*)?\]\]: (.+)$")
SYSTEM = (
    "You check a personal wiki for contradictions. You get what several sources say about one "
    "subject. List only real contradictions: two sources stating incompatible facts about the "
    "subject (different dates, numbers, roles, or claims that cannot both be true). Different "
    "topics or extra detail are not contradictions. Reply with JSON only: "
    '{"contradictions": [{"first": "...", "second": "...", "explanation": "..."}]}, where '
    '"first" and "second" are source names exactly as listed; an empty list when there is none.'
)


@dataclass(slots=True)
class Contradiction:
    page: str
    first: str
    second: str
    explanation: str

    def as_dict(self) -> dict:
        return {"page": self.page, "sources": [self.first, self.second],
                "explanation": self.explanation}


@dataclass
class ContradictionReport:
    found: list[Contradiction] = field(default_factory=list)
    checked: int = 0
    not_checked: list[str] = field(default_factory=list)  # "page: why"
    stopped: str = ""

    def as_dict(self) -> dict:
        return {"contradictions": [c.as_dict() for c in self.found], "checked": self.checked,
                "not_checked": self.not_checked, "stopped": self.stopped or None}


def statements(body: str) -> dict[str, str]:
    """What each source says on an entity page: its "Mentioned in" lines, by source name."""
    out: dict[str, str] = {}
    section = False
    for line in body.splitlines():
        if line.startswith("## "):
            section = line.strip() in ("## Mentioned in", "## New mentions (added by Commonplace)")
            continue
        m = _MENTION.match(line.strip()) if section else None
        if m:
            name = m.group(1).strip()
            out[name] = f"{out[name]} {m.group(2)}" if name in out else m.group(2)
    return out


def schema(sources: list[str]) -> dict:
    return {"type": "object", "additionalProperties": False, "required": ["contradictions"],
            "properties": {"contradictions": {"type": "array", "maxItems": 5, "items": {
                "type": "object", "additionalProperties": False,
                "required": ["first", "second", "explanation"],
                "properties": {"first": {"type": "string", "enum": sources},
                               "second": {"type": "string", "enum": sources},
                               "explanation": {"type": "string"}}}}}}


def check_reply(text: str, page: str, sources: list[str]) -> list[Contradiction]:
    """The contradictions in a reply; raises ValueError when it is not the JSON asked for."""
    data = json.loads(text.strip().removeprefix("```json").removesuffix("```"))
    items = data.get("contradictions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError("no 'contradictions' list")
    by_fold = {s.casefold(): s for s in sources}
    found = []
    for item in items:
        if not isinstance(item, dict):
            continue
        first = by_fold.get(str(item.get("first", "")).strip().casefold())
        second = by_fold.get(str(item.get("second", "")).strip().casefold())
        why = " ".join(str(item.get("explanation", "")).split())[:400]
        if first and second and first != second and why:  # a source it was not given: dropped
            found.append(Contradiction(page, first, second, why))
    return found


def find_contradictions(vault: ReadableVault, pages: list[str], client: LLMClient, *,
                        limit: int = MAX_PAGES, cancel: CancelToken | None = None,
                        progress: Callable[[int, int, str], None] | None = None
                        ) -> ContradictionReport:
    """Check the entity pages among ``pages`` that two sources or more mention (the most
    mentioned first, at most ``limit``)."""
    report = ContradictionReport()
    candidates: list[tuple[str, dict[str, str]]] = []
    for path in pages:
        info = vault.page_info(path)
        if info is None or (info.type or "") not in ENTITY_TYPES:
            continue
        said = statements(vault.read_page(path).body)
        if len(said) >= 2:
            candidates.append((path, said))
    candidates.sort(key=lambda c: (-len(c[1]), c[0]))
    context = client.context_length()
    out_tokens = min(OUTPUT_TOKENS, max(64, context // 4))
    room = context - out_tokens - estimate_tokens(SYSTEM) - 96
    for n, (path, said) in enumerate(candidates[:limit]):
        if progress is not None:
            progress(n, min(limit, len(candidates)), path)
        lines, sources, used = [], [], 0
        for name, text in said.items():
            line = f"- {name}: {text}"
            if used + estimate_tokens(line) > room:
                break
            lines.append(line)
            sources.append(name)
            used += estimate_tokens(line)
        if len(sources) < 2:
            report.not_checked.append(f"{path}: what its sources say does not fit the context")
            continue
        info = vault.page_info(path)
        title = info.title if info is not None else path
        messages = [{"role": "system", "content": SYSTEM},
                    {"role": "user", "content": f"Subject: {title}\n\nWhat the sources say:\n"
                                                + "\n".join(lines)}]
        try:
            result = client.chat(messages, max_tokens=out_tokens, temperature=0.0,
                                 schema=schema(sources), cancel=cancel,
                                 on_delta=lambda _piece: None)
        except LLMError as exc:
            report.stopped = str(exc)
            report.not_checked += [f"{p}: not checked ({exc})" for p, _ in candidates[n:limit]]
            break
        if result.finish_reason != "stop":
            report.not_checked.append(f"{path}: the model's reply was cut off")
            continue
        try:
            report.found += check_reply(result.text, path, sources)
        except (ValueError, AttributeError) as exc:
            report.not_checked.append(f"{path}: the model's reply was not the JSON asked for "
                                      f"({str(exc)[:60]})")
            continue
        report.checked += 1
    return report
