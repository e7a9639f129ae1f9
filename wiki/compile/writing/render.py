"""Render source and entity pages as Markdown with YAML frontmatter."""

from __future__ import annotations

import re

import yaml

from wiki.compile.entities.classify import CONCEPT, ORG, PERSON, PRODUCT, Kind
from wiki.compile.entities.table import KIND_FOLDERS, Entity
from wiki.compile.reading.clean import (
    KEYPOINTS_HEADING,
    SUMMARY_HEADING,
    escape_line,
    is_definitions,
    section,
)
from wiki.compile.reading.sentences import ends_abbreviated, plain, sentences, split_sentences
from wiki.compile.types import BULLET, CODE, HEADING, NUMBER, PARA, Article, Block

KIND_LABELS = {PERSON: "People", ORG: "Organizations", PRODUCT: "Products and models",
               CONCEPT: "Concepts"}
KIND_ORDER = (PERSON, ORG, PRODUCT, CONCEPT)
MAX_KEY_POINTS = 8
SOURCES_SAY_HEADING = "## What the sources say"


def link(name: str, text: str | None = None) -> str:
    if text is None or text == name:
        return f"[[{name}]]"
    return f"[[{name}|{text.replace('|', '/').replace(']', ')')}]]"


def frontmatter(meta: dict) -> str:
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000,
                          default_flow_style=False)
    return f"---\n{body}---\n"


def describe(ent: Entity, n_sources: int) -> str:
    """The one-line description: from the text when found, else what the page is."""
    if ent.desc:
        text = ent.desc.strip()
        text = text[:1].upper() + text[1:]
        return text if text.endswith((".", "!", "?", "…")) else text + "."
    kind = {PERSON: "Person", ORG: "Organization", PRODUCT: "Product or model",
            CONCEPT: "Concept"}[ent.kind]
    return f"{kind} mentioned in {n_sources} source{'s' if n_sources != 1 else ''}."


def entity_page(ent: Entity, mentions: list[tuple[str, str]], related: list[tuple[str, str]],
                *, description: str | None = None,
                sources_say: list[tuple[str, str]] | None = None) -> str:
    """``mentions``: (source page name, context); ``related``: (page name, title);
    ``sources_say``: (source page name, what it says), written by a model."""
    desc = description or describe(ent, len(mentions))
    meta: dict = {"title": ent.title, "type": ent.kind.value}
    if ent.aliases:
        meta["aliases"] = list(ent.aliases)
    meta["description"] = desc
    lines = [frontmatter(meta).rstrip("\n"), f"# {ent.title}", "", desc, ""]
    if sources_say:
        lines += [SOURCES_SAY_HEADING, ""]
        lines += [f"- {escape_line(said)} ({link(name)})" for name, said in sources_say]
        lines.append("")
    lines += ["## Mentioned in", ""]
    for name, ctx in mentions:
        lines.append(mention_line(name, ctx))
    if related:
        lines += ["", "## Related", ""]
        lines += [f"- {link(name, title if title != name else None)}" for name, title in related]
    return "\n".join(lines) + "\n"


def mention_line(source_name: str, ctx: str) -> str:
    ctx = ctx.replace("[[", "[ [").replace("]]", "] ]")
    return f"- {link(source_name)}: {ctx}" if ctx else f"- {link(source_name)}"


def summary_of(article: Article) -> str:
    if article.kind == "profile":
        meta = article.meta
        bio = f" {meta['bio']}" if meta.get("bio") else ""
        return (f"{len(meta['posts'])} posts by {meta['name']} ({meta['handle']}).{bio}").strip()
    desc = article.info.description
    if len(desc) >= MIN_DESCRIPTION and not _BYLINE.match(desc):
        return _without_lead_in(_whole_sentences(desc, MAX_SUMMARY))  # its own, or the abstract
    own = [b.text for b in section(article.blocks, SUMMARY_HEADING) if b.kind in (PARA, BULLET)
           and not is_definitions(b.text)]
    if own:
        return _without_lead_in(_whole_sentences(" ".join(own), MAX_SUMMARY))
    texts = [_unlabelled(b.text) for b in article.blocks if b.kind == PARA
             and not is_definitions(b.text)]
    turns = {_unlabelled(b.text) for b in article.blocks  # a speaker's turn in a transcript:
             if b.kind == PARA and _SPEAKER.match(b.text)}  # not the intro's second half
    paras = [t for t in texts if len(t) > 80 and not _BYLINE.match(t)]
    if not paras:
        paras = [t for t in (_unlabelled(b.text) for b in article.blocks
                             if b.kind not in (HEADING, CODE)) if t]
    subject = _subject(article.title)
    if subject and paras and subject not in paras[0].casefold():
        # "Melodie: Agent-based Modeling in Python" opens on agent-based models in general;
        # the summary starts where it says what Melodie is
        paras = [p for n, p in enumerate(paras) if n >= next(
            (i for i, p in enumerate(paras[:4]) if subject in p.casefold()), 0)]
    lead = paras[0] if paras else ""
    if paras[1:] and lead.endswith(":") and len(split_sentences(lead)) == 1:
        lead = f"{lead} {paras[1]}"  # "… we announced something new:" and what it was
    elif paras[1:] and len(lead) < SUMMARY_CHARS // 2 and paras[1] not in turns \
            and not lead.endswith(":"):  # ("… is as follows:" leads into a list, not on)
        lead = f"{lead} {paras[1]}"  # a short first paragraph: two or three sentences in all
    return _without_lead_in(_whole_sentences(lead, SUMMARY_CHARS))


# what opens a transcript's paragraph or interrupts it: "**Mat Ryer:**", "\[02:01\]"
_SPEAKER = re.compile(r"^(?:\*\*[^*\n]{2,60}:\*\*|[A-Z][A-Z .'’\-]{2,40}:(?=\s))\s*")
_ANNOTATION = re.compile(r"(?<!\s)\s*\\\[[^\[\]\n]{0,120}\\\]")


def _subject(title: str) -> str:
    """What a "Subject: what it is" title is about ("melodie"), when it is one to three words."""
    head, sep, _ = title.partition(":")
    words = re.findall(r"\w[\w.+#-]*", head)
    subject = " ".join(words).casefold()
    return subject if sep and 1 <= len(words) <= 3 and subject not in _GENRES else ""


_GENRES = frozenset({  # "Interview: …", "Review: …": what kind of article, not its subject
    "interview", "review", "update", "news", "opinion", "analysis", "podcast", "episode",
    "video", "exclusive", "breaking", "guest post", "tutorial", "guide", "explainer",
    "announcement", "editorial", "essay", "notes", "recap", "summary", "til", "q&a", "faq"})


def _unlabelled(text: str) -> str:
    """A paragraph as a reader quotes it: no speaker's label, no transcript annotation."""
    return _ANNOTATION.sub("", _SPEAKER.sub("", text)).strip()


def _without_lead_in(summary: str) -> str:
    """A summary does not end on the lead-in to a list or a code block ("For example:",
    "the main components are:"), which says nothing without what follows it."""
    if not summary.endswith(":"):
        return summary
    parts = split_sentences(summary)
    while len(parts) > 1 and parts[-1].endswith(":"):
        parts.pop()
    return " ".join(parts) if not parts[-1].endswith(":") else summary


MIN_DESCRIPTION = 40  # a shorter description is a tagline, not a summary
SUMMARY_CHARS = 450  # an extractive summary: whole sentences up to about this long
MAX_SUMMARY = 900
_BYLINE = re.compile(r"^\(?(?:by|posted by|written by|words by|reporting by|story by|"
                     r"published|updated|posted on)\b", re.IGNORECASE)


def _whole_sentences(text: str, limit: int) -> str:
    """The longest start of ``text`` that ends a sentence within ``limit`` characters (a
    leading byline skipped); only a first sentence longer than that is cut, at a word, with
    an ellipsis."""
    text = " ".join(text.split())
    first = split_sentences(text)
    if first and _BYLINE.match(first[0]) and len(first) > 1:
        text = text[text.index(first[1]):] if first[1] in text else text
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit + 1)]
    ends = [e for e in ends if e <= limit and not ends_abbreviated(text[:e])]
    return text[:ends[-1]] if ends else _clip(text, limit)


_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9@]|$)")


def key_points(article: Article, scorer) -> tuple[list[str], int]:
    """Up to eight key points and how many the article has in all."""
    if article.kind == "profile":
        pts = [_clip(p, 160) for p in article.meta["posts"] if len(p) >= 40]
        return pts[:MAX_KEY_POINTS], len(pts)
    own = [b.text for b in section(article.blocks, KEYPOINTS_HEADING)
           if b.kind in (BULLET, NUMBER)]
    if own:
        return own[:MAX_KEY_POINTS], len(own)
    # whole statements, quoted as a reader sees them: not a lead-in to a list ("... pillars:"),
    # not a quotation's fragment, not a speaker's label
    sents = [p for p in (plain(s) for s in sentences(article))
             if 60 <= len(p) <= 320 and not p.endswith(":") and not p.startswith((">", "\\>"))
             and p.lstrip("\"“‘'(")[:1].isupper()]
    ranked = sorted(range(len(sents)), key=lambda i: (-scorer(sents[i]), i))[:5]
    return [sents[i] for i in sorted(ranked)], min(5, len(ranked))


def without_repeats(points: tuple[list[str], int], summary: str) -> tuple[list[str], int]:
    """The key points that the summary does not already say (compared as words, whatever
    the Markdown around them), and how many are left in all."""
    said = _words(summary)
    pts, total = points
    kept = [p for p in pts if not _words(p) or _words(p) not in said]
    return kept, total - (len(pts) - len(kept))


def _words(text: str) -> str:
    text = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text)  # [[Page|text]] -> text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) -> text
    return " ".join(re.findall(r"\w+", text.casefold()))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def source_page(article: Article, *, title: str, raw: str, ingested: str, summary: str,
                points: tuple[list[str], int], linked: list[tuple[Entity, str]],
                surfaces: dict[str, tuple[str, str]]) -> str:
    """``linked``: (entity, page name); ``surfaces``: text as written -> (page name, title)."""
    meta: dict = {"title": title, "type": "source", "source": raw}
    info = article.info
    if info.authors:
        meta["author"] = [link(a) for a in info.authors]
    if info.date:
        meta["published"] = info.date
    if info.url:
        meta["url"] = info.url
    meta["ingested"] = ingested
    meta["entities"] = [e.title for e, _ in linked]
    out = [frontmatter(meta).rstrip("\n"), f"# {title}", "", "## Summary", "", summary or "—"]
    pts, total = points
    if pts:
        out += ["", "## Key points", ""] + [f"- {escape_line(p)}" for p in pts]
        if total > len(pts):
            out += ["", f"*{total - len(pts)} more in the full text below.*"]
    if linked:
        out += ["", "## Mentions", ""]
        for kind in KIND_ORDER:
            names = [link(name, e.title if e.title != name else None)
                     for e, name in linked if e.kind == kind]
            if names:
                out.append(f"- **{KIND_LABELS[kind]}:** " + ", ".join(names))
    out += ["", "## Full text", "", link_first_mentions(article.blocks, surfaces, top_level=3)]
    return "\n".join(out).rstrip("\n") + "\n"


def link_first_mentions(blocks: list[Block], surfaces: dict[str, tuple[str, str]], *,
                        top_level: int = 2) -> str:
    """The article as Markdown with the first mention of each entity linked (never inside a
    code block); its headings start at ``top_level``."""
    from wiki.compile.reading.clean import to_markdown

    if not surfaces:
        return to_markdown(blocks, top_level=top_level)
    variants: dict[str, tuple[str, str]] = {}
    for surface, target in surfaces.items():
        variants.setdefault(surface, target)
        if surface[:1].islower():
            variants.setdefault(surface[:1].upper() + surface[1:], target)
    pattern = re.compile(
        r"(?<![\w@\[/.])(" + "|".join(re.escape(s) for s in
                                      sorted(variants, key=lambda s: (-len(s), s))) +
        r")(?![\w\]]|\.\w)")
    done: set[str] = set()
    out: list[Block] = []
    for block in blocks:
        if block.kind in (HEADING, CODE):
            out.append(block)
            continue

        def repl(m: re.Match[str]) -> str:
            name, title = variants[m.group(1)]
            if name in done:
                return m.group(1)
            done.add(name)
            return link(name, m.group(1))

        out.append(Block(block.kind, pattern.sub(repl, block.text), block.level))
    return to_markdown(out, top_level=top_level)


def folder_for(kind: str) -> str:
    return KIND_FOLDERS[Kind(kind)]
