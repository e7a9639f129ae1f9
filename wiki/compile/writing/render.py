"""Render source and entity pages as Markdown with YAML frontmatter."""

from __future__ import annotations

import re

import yaml

from wiki.compile.entities.extract import sentences, split_sentences
from wiki.compile.entities.merge import CONCEPT, KIND_FOLDERS, ORG, PERSON, PRODUCT, Entity
from wiki.compile.reading.clean import KEYPOINTS_HEADING, SUMMARY_HEADING, escape_line, section
from wiki.compile.types import BULLET, HEADING, NUMBER, PARA, Article, Block

KIND_LABELS = {PERSON: "People", ORG: "Organizations", PRODUCT: "Products and models",
               CONCEPT: "Concepts"}
KIND_ORDER = (PERSON, ORG, PRODUCT, CONCEPT)
MAX_KEY_POINTS = 8
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
                ) -> str:
    """``mentions``: (source page name, context); ``related``: (page name, title)."""
    desc = describe(ent, len(mentions))
    meta: dict = {"title": ent.title, "type": ent.kind}
    if ent.aliases:
        meta["aliases"] = list(ent.aliases)
    meta["description"] = desc
    lines = [frontmatter(meta).rstrip("\n"), f"# {ent.title}", "", desc, "", "## Mentioned in", ""]
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
    own = [b.text for b in section(article.blocks, SUMMARY_HEADING) if b.kind == PARA]
    if own:
        return _clip(" ".join(own[:2]), 900)
    paras = [b.text for b in article.blocks if b.kind == PARA and len(b.text) > 80]
    if not paras:
        paras = [b.text for b in article.blocks if b.kind != HEADING]
    sents = split_sentences(paras[0]) if paras else []
    out = ""
    for s in sents:
        if len(out) + len(s) > 450 and out:
            break
        out = f"{out} {s}".strip()
    return out


def key_points(article: Article, scorer) -> tuple[list[str], int]:
    """Up to eight key points and how many the article has in all."""
    if article.kind == "profile":
        pts = [_clip(p, 160) for p in article.meta["posts"] if len(p) >= 40]
        return pts[:MAX_KEY_POINTS], len(pts)
    own = [b.text for b in section(article.blocks, KEYPOINTS_HEADING)
           if b.kind in (BULLET, NUMBER)]
    if own:
        return own[:MAX_KEY_POINTS], len(own)
    sents = [s for s in sentences(article) if 60 <= len(s) <= 320]
    ranked = sorted(range(len(sents)), key=lambda i: (-scorer(sents[i]), i))[:5]
    return [sents[i] for i in sorted(ranked)], min(5, len(ranked))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def source_page(article: Article, *, title: str, raw: str, ingested: str, summary: str,
                points: tuple[list[str], int], linked: list[tuple[Entity, str]],
                surfaces: dict[str, tuple[str, str]]) -> str:
    """``linked``: (entity, page name); ``surfaces``: text as written -> (page name, title)."""
    meta = {"title": title, "type": "source", "source": raw, "ingested": ingested,
            "entities": [e.title for e, _ in linked]}
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
    out += ["", "## Full text", "", link_first_mentions(article.blocks, surfaces)]
    return "\n".join(out).rstrip("\n") + "\n"


def link_first_mentions(blocks: list[Block], surfaces: dict[str, tuple[str, str]]) -> str:
    """The article as Markdown with the first mention of each entity linked."""
    from wiki.compile.reading.clean import to_markdown

    if not surfaces:
        return to_markdown(blocks)
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
        if block.kind == HEADING:
            out.append(block)
            continue

        def repl(m: re.Match[str]) -> str:
            name, title = variants[m.group(1)]
            if name in done:
                return m.group(1)
            done.add(name)
            return link(name, m.group(1))

        out.append(Block(block.kind, pattern.sub(repl, block.text)))
    return to_markdown(out)


def folder_for(kind: str) -> str:
    return KIND_FOLDERS[kind]
