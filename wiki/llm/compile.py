"""LLM-assisted compiling (``wiki build --llm``): a model writes the prose, the rules the rest.

The rule compiler still decides which pages exist, their names, merges and links; this one only
replaces the summary and key points of source pages and the description of entity pages, and
adds "What the sources say" to entity pages, each statement citing a source page by link. What
the model returns is checked before anything is written: JSON of the asked shape, lengths in
bounds, and links only to the pages it was given (others become plain text). A reply that
stopped for any reason but ``stop`` (``length``: cut off) keeps the rule compiler's text.

Results are cached in ``.wiki/llm-cache.json`` by (what the page is made from, model, prompt
version), so recompiling an unchanged vault, or one whose state was lost, makes no calls. When
the server cannot be reached (or the user cancels), the remaining pages keep the rules' text for
now and are retried by the next ``--llm`` compile.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wiki.compile.compiler import RuleCompiler
from wiki.compile.types import Article
from wiki.compile.writing.writer import PageRecord, sha
from wiki.core.fileio import atomic_write
from wiki.core.rules import STATE_DIR
from wiki.llm.client import CancelToken, LLMClient, LLMError, estimate_tokens
from wiki.llm.retrieval import clip_to_tokens

PROMPT_VERSION = "1"
CACHE_FILE = "llm-cache.json"
SOURCE_TOKENS = 500
ENTITY_TOKENS = 350
MAX_POINTS = 6
_LINK = re.compile(r"\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")

SOURCE_SYSTEM = (
    "You write the summary of an article for a personal wiki. Reply with JSON only: "
    '{"summary": "...", "key_points": ["...", ...]}. The summary is two to four sentences '
    "saying what the article is about and what it concludes. Key points are up to six short "
    "statements of fact from the article. Use only what the article says. You may link a name "
    "as [[Name]] only if it is in the list of existing pages."
)
ENTITY_SYSTEM = (
    "You write one entry of a personal wiki about a person, organization, product or idea, "
    'from what some articles say about it. Reply with JSON only: {"description": "...", '
    '"points": [{"source": "...", "text": "..."}]}. The description is one sentence saying '
    "what or who it is. Each point is one statement one source makes about it; \"source\" is "
    "that source's name exactly as listed. Use only what the sources say."
)


def source_schema() -> dict:
    """The reply's shape. Lengths are checked after the reply, not in the schema: llama.cpp
    turns ``maxLength`` into a grammar that makes sampling several times slower."""
    return {"type": "object", "additionalProperties": False,
            "required": ["summary", "key_points"],
            "properties": {"summary": {"type": "string"},
                           "key_points": {"type": "array", "maxItems": MAX_POINTS,
                                          "items": {"type": "string"}}}}


def entity_schema(sources: list[str]) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": ["description", "points"],
            "properties": {
                "description": {"type": "string"},
                "points": {"type": "array", "maxItems": MAX_POINTS, "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["source", "text"],
                    "properties": {"source": {"type": "string", "enum": sources},
                                   "text": {"type": "string"}}}}}}


class Invalid(Exception):
    """The model's reply is not what was asked for; ``str()`` says why."""


def parse_json(text: str) -> dict:
    body = _FENCE.sub("", text.strip())
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise Invalid(f"not JSON ({exc.args[0][:60]})") from None
    if not isinstance(data, dict):
        raise Invalid("not a JSON object")
    return data


def _string(value: object, what: str, low: int, high: int) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{what} is not text")
    text = " ".join(value.split())
    if not low <= len(text) <= high:
        raise Invalid(f"{what} is {len(text)} characters (wanted {low}–{high})")
    return text


def unlink_unknown(text: str, allowed: set[str]) -> str:
    """``[[X]]`` stays only when X names a page that exists (case-insensitive)."""
    def keep(m: re.Match[str]) -> str:
        name = m.group(1).strip()
        return m.group(0) if name.casefold() in allowed else (m.group(2) or name).strip()

    return _LINK.sub(keep, text)


def check_source(data: dict, allowed: set[str]) -> tuple[str, list[str]]:
    summary = unlink_unknown(_string(data.get("summary"), "the summary", 20, 900), allowed)
    points = data.get("key_points")
    if not isinstance(points, list) or len(points) > MAX_POINTS * 2:
        raise Invalid("key_points is not a short list")
    out: list[str] = []
    for point in points:  # a point out of bounds is dropped, the others kept
        try:
            out.append(unlink_unknown(_string(point, "a key point", 8, 300), allowed))
        except Invalid:
            continue
    return summary, out[:MAX_POINTS]


def check_entity(data: dict, sources: list[str]) -> tuple[str, list[tuple[str, str]]]:
    desc = _string(data.get("description"), "the description", 8, 240)
    desc = unlink_unknown(desc, set())  # the description links nowhere
    points = data.get("points")
    if not isinstance(points, list) or len(points) > MAX_POINTS * 2:
        raise Invalid("points is not a short list")
    by_fold = {s.casefold(): s for s in sources}
    out: list[tuple[str, str]] = []
    for item in points:
        if not isinstance(item, dict):
            raise Invalid("a point is not an object")
        source = by_fold.get(str(item.get("source", "")).strip().casefold())
        if source is None:
            continue  # a source it was not given: the statement is dropped, not linked
        try:
            said = _string(item.get("text"), "a point", 8, 300)
        except Invalid:
            continue
        out.append((source, unlink_unknown(said, set())))
    return desc, out[:MAX_POINTS]


@dataclass
class LLMStats:
    calls: int = 0
    cached: int = 0
    written: int = 0  # pages whose prose the model wrote
    kept: list[str] = field(default_factory=list)  # "page: why the rules' text was kept"
    stopped: str = ""  # why calls stopped (unreachable server, cancel)

    def lines(self) -> list[str]:
        out = [f"model: {self.written} page(s) written by the model ({self.calls} call(s), "
               f"{self.cached} from the cache), {len(self.kept)} kept the rule compiler's text"]
        out += [f"  kept {k}" for k in self.kept[:20]]
        if len(self.kept) > 20:
            out.append(f"  … and {len(self.kept) - 20} more")
        return out


class LLMCache:
    """(input hash, model, prompt version) -> the checked reply, in ``.wiki/llm-cache.json``."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / STATE_DIR / CACHE_FILE
        self._data: dict[str, dict] = {}
        self._dirty = False
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._data = loaded
        except (OSError, ValueError):
            pass  # a lost or damaged cache only costs calls

    def get(self, key: str) -> dict | None:
        value = self._data.get(key)
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict) -> None:
        self._data[key] = value
        self._dirty = True

    def save(self) -> None:
        if self._dirty:
            try:
                atomic_write(self.path, json.dumps(self._data, ensure_ascii=False))
            except OSError:
                return
            self._dirty = False


class LLMCompiler(RuleCompiler):
    def __init__(self, client: LLMClient, cache: LLMCache, *,
                 cancel: CancelToken | None = None,
                 on_page: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.cache = cache
        self.cancel = cancel
        self.on_page = on_page  # told the page before each call to the model (progress)
        self.variant = f"llm:{client.config.model}:{PROMPT_VERSION}"
        self.stats = LLMStats()
        self._raw_sha: dict[str, str] = {}

    def compile_articles(self, articles, wiki):
        self._raw_sha = {rel: rec.sha for rel, rec in wiki.state.raw.items()}
        try:
            return super().compile_articles(articles, wiki)
        finally:
            self.cache.save()

    def stale(self, record: PageRecord) -> bool:
        return record.made_by != self.variant and not record.edited

    # -- the model's turn -----------------------------------------------------------------------
    def _reply(self, key: str, page: str, messages: list[dict], schema: dict,
               max_tokens: int) -> dict | None:
        """The model's JSON for one page (cached), or None: the rules' text stays."""
        cache_key = sha(f"{key}\x1f{self.client.config.model}\x1f{PROMPT_VERSION}\x1f{max_tokens}")
        cached = self.cache.get(cache_key)
        if cached is not None:
            self.stats.cached += 1
            if "failed" in cached:
                self.stats.kept.append(f"{page}: {cached['failed']} (cached)")
                return None
            return cached
        if self.stats.stopped:
            self.stats.kept.append(f"{page}: not asked ({self.stats.stopped})")
            return None
        if self.on_page is not None:
            self.on_page(page)
        try:
            self.stats.calls += 1
            # streamed, so the timeout is per chunk: a slow local model may take minutes
            result = self.client.chat(messages, max_tokens=max_tokens, temperature=0.0,
                                      schema=schema, cancel=self.cancel,
                                      on_delta=lambda _piece: None)
        except LLMError as exc:
            self.stats.stopped = f"stopped asking: {exc}"
            self.stats.kept.append(f"{page}: {exc}")
            return None
        if result.finish_reason != "stop":
            why = f"the model's reply was cut off (finish_reason: {result.finish_reason or '?'})"
            self.cache.put(cache_key, {"failed": why})
            self.stats.kept.append(f"{page}: {why}")
            return None
        try:
            data = parse_json(result.text)
        except Invalid as exc:
            self.cache.put(cache_key, {"failed": f"reply was {exc}"})
            self.stats.kept.append(f"{page}: reply was {exc}")
            return None
        self.cache.put(cache_key, data)
        return data

    def _budget(self, output_tokens: int, fixed: str) -> tuple[int, int]:
        context = self.client.context_length()
        out = min(output_tokens, max(64, context // 3))
        return max(0, context - out - estimate_tokens(fixed) - 96), out

    def source_text(self, sid: str, article: Article, title: str, summary: str,
                    points: tuple[list[str], int], linked: list[str]):
        pages = ", ".join(linked) or "(none)"
        room, out = self._budget(SOURCE_TOKENS, SOURCE_SYSTEM + pages + title)
        text = clip_to_tokens(article.text, room)
        messages = [{"role": "system", "content": SOURCE_SYSTEM},
                    {"role": "user", "content": f"Existing pages: {pages}\n\nTitle: {title}\n\n"
                                                f"Article:\n{text}"}]
        key = f"source\x1f{self._raw_sha.get(article.raw, '')}\x1f{sid}\x1f{sha(text)}"
        page = f"sources/{title}"
        data = self._reply(key, page, messages, source_schema(), out)
        if data is None:
            return summary, points, self._made_by_when_kept()
        try:
            new_summary, new_points = check_source(data, {n.casefold() for n in linked})
        except Invalid as exc:
            self.stats.kept.append(f"{page}: reply was invalid ({exc})")
            return summary, points, self._made_by_when_kept()
        self.stats.written += 1
        return new_summary, (new_points, len(new_points)), self.variant

    def entity_text(self, key: str, title: str, kind: str, description: str,
                    mentions: list[tuple[str, str]]):
        fixed = ENTITY_SYSTEM + title + " ".join(name for name, _ in mentions)
        room, out = self._budget(ENTITY_TOKENS, fixed)
        lines: list[str] = []
        given: list[str] = []
        used = 0
        for name, ctx in mentions:
            line = f"- {name}: {ctx}"
            cost = estimate_tokens(line)
            if used + cost > room:
                break
            lines.append(line)
            given.append(name)
            used += cost
        if not lines:
            return description, [], self._made_by_when_kept()
        sources = list(dict.fromkeys(given))
        messages = [{"role": "system", "content": ENTITY_SYSTEM},
                    {"role": "user", "content": f"Entry: {title} ({kind})\n\nSources: "
                                                f"{'; '.join(sources)}\n\nWhat they say:\n"
                                                + "\n".join(lines)}]
        page = f"{kind}: {title}"
        data = self._reply(f"entity\x1f{key}\x1f{sha(messages[1]['content'])}", page, messages,
                           entity_schema(sources), out)
        if data is None:
            return description, [], self._made_by_when_kept()
        try:
            desc, says = check_entity(data, sources)
        except Invalid as exc:
            self.stats.kept.append(f"{page}: reply was invalid ({exc})")
            return description, [], self._made_by_when_kept()
        self.stats.written += 1
        return desc, says, self.variant

    def _made_by_when_kept(self) -> str:
        """A page that kept the rules' text because of the model's reply (cut off, invalid) is
        done for this model and prompt: asking again would give the same reply. One that was
        not asked (server unreachable, cancelled) is asked again next time."""
        return "" if self.stats.stopped else self.variant
