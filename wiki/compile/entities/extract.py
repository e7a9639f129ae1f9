"""Per-article extraction: the :class:`Facts` of one article (candidate names with their cues,
handles, acronyms, concept phrases, definitions), before any decision about the whole wiki."""

from __future__ import annotations

import re
from collections import Counter

from wiki.compile.entities import prose_cues
from wiki.compile.entities import thresholds as T
from wiki.compile.entities.facts import Cue, Facts, HandleFacts, NameFacts, PhraseFacts
from wiki.compile.entities.lexicon import COMMON_CAPS, FIRST_NAMES, GENERIC_ACRONYMS, STOPWORDS
from wiki.compile.entities.name_runs import at_sentence_start, name_runs
from wiki.compile.entities.terms import acronyms, compounds, handles, phrases
from wiki.compile.reading.sentences import plain, prose, sentences, split_sentences
from wiki.compile.types import CODE, HEADING, PARA, Article

# an author's name as a byline gives it: capitalised words ("Folkert de Vries", "crates.io team"
# is not), or one handle-like word ("Kobzol")
_AUTHOR_NAME = re.compile(r"(?:[A-Z][\w’'\-.]*|de|van|von|der|da|di|le|la|du)"
                          r"(?: (?:[A-Z][\w’'\-.]*|de|van|von|der|da|di|le|la|du|of|the|for))*")
_TEAM_AUTHOR = re.compile(r"(?:the )?((?:[A-Z][\w.\-]*|[a-z][\w\-]*\.[a-z]{2,4})"
                          r"(?: [A-Z][\w.\-]*)* (?:[Tt]eam|WG|[Ww]orking [Gg]roup))")
_LOWER_WORD = re.compile(r"[a-z][a-z\-]*[a-z]")
_DEFINITION = re.compile(
    r"^([A-Za-z][a-z\-]+(?: [a-z\-]+){1,2}) (?:is|are|means|refers to|describes|was)\s+"
    r"(?!not\b|also\b|that\b|why\b|what\b|how\b)")
_LED_BY = re.compile(  # possessive: a 20 KB capitalised token stays linear
    r"(?<![\w’'\-])([A-Z][\w’'\-]*+(?:\s(?:and\s|of\s|for\s|&\s)?[A-Z][\w’'\-]*+)*+)"
    r"(?:\s\([^)]*\))?(?:\s(?:episode|team|unit|group|lab|show|series|project))?,?\s"
    r"(?:is\s|was\s)?(led|run|headed|founded|co-founded|hosted|created)\sby\s"
    r"([A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+){1,2})")
_LED_VERBS = {"led": "Leads", "run": "Runs", "headed": "Heads", "founded": "Founder of",
              "co-founded": "Co-founder of", "hosted": "Host of", "created": "Creator of"}
# "HELEN MARSH: Thank you." - a transcript's speaker label, in capitals
_SPEAKER = re.compile(r"^([A-Z][A-Z’'\-]+(?: [A-Z][A-Z’'\-]+){0,3})(?=:\s)")
_CODE_IDENT = re.compile(  # CamelCase classes, CONSTANT_NAMES, ENVVARS, declared or called types
    r"\b(?:[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{4,})\b"
    r"|\b(?:impl|trait|class|struct|enum|type|import|extends|dyn) ([A-Z][A-Za-z0-9]*)"
    r"|\b[A-Z][a-z0-9]*(?=(?:<[^>\n]*>)?(?:\(|::|\s*\{|\s+for\b))")
_CODE_CLASS = re.compile(r"[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*(?:Exception|Error|Warning)")
_BOLD_SPEAKER = re.compile(r"^\*\*([A-Z][^\W\d_][\w’'.\- ]{0,50}?):\*\*")
_CREDIT = re.compile(r"^\(?(?i:(?:posted |written |words |story )?by|(?:additional )?reporting by|"
                     r"editing by|writing by|compiled by)\s+[A-Z][\w’'\-.]*(?:\s[A-Z][\w’'\-.]*)+"
                     r"\s*(?:$|,|and\b|;|\bin\b|\bon\b|\(|\|)")


def extract(article: Article) -> Facts:
    facts = Facts()
    # a link's definition ("[zulip]: https://…") is where a link points, not a sentence
    sents = [s for s in sentences(article) if not prose_cues.is_link_definition(s)]
    lower_counts = Counter(w for s in sents for w in _LOWER_WORD.findall(prose(s)))
    outside_code = prose_cues.words_outside_code([article.title, *sents])
    # "async-await", again and again: a term of two words written as one
    terms = frozenset(t for t, n in Counter(t for s in sents for t in compounds(prose(s))).items()
                      if n >= T.CONCEPT_MIN_MENTIONS_ONE_SOURCE)
    lower_vocab = set(lower_counts)
    credits: list[str] = []
    # the opening: the first paragraph (a news story's lead says who), at least a few sentences
    first_para = next((b.text for b in article.blocks if b.kind == PARA), "")
    opening = min(T.OPENING_MAX_SENTENCES,
                  max(T.OPENING_SENTENCES, len(split_sentences(first_para))))
    for pos, sent in enumerate(sents):
        body = sent
        if _CREDIT.match(body):
            # "By Jane Doe", "(Reporting by ...; Editing by ...)": a byline makes no page of
            # its own, but counts for someone the article also names
            credits.append(body)
            continue
        label = _SPEAKER.match(body)
        speaker = ""
        if label and not any(w in GENERIC_ACRONYMS for w in label.group(1).split()):
            # "DAVID CHEN:" is David Chen, who speaks
            speaker = " ".join(w.capitalize() for w in label.group(1).split())
            body = speaker + body[label.end():]
        bold = _BOLD_SPEAKER.match(body)
        if bold:  # "**Mat Ryer:** Okay, ..." in a Markdown transcript ("**Break:**" is none)
            speaker = bold.group(1)
            body = (speaker + ":" if " " in speaker else "") + body[bold.end():]
        profiles = set(prose_cues.profile_names(body))
        body = prose_cues.drop_labels(prose(body))
        for site, of_team in prose_cues.sites(body):
            for site_name in (site, f"{site} team") if of_team else (site,):
                named = facts.names.setdefault(site_name, NameFacts(first_sentence=pos))
                named.count += 1
                named.mid_sentence += 1
                if of_team:
                    named.cues[Cue.ORG] += 1
                facts.places.setdefault(site_name, []).append(pos)
        for hit in name_runs(body, lower_vocab):
            if speaker and hit.start == 0 and hit.name == speaker and " " in speaker:
                hit.cues.append(Cue.VERB)
            rec = facts.names.get(hit.name)
            if rec is None:
                rec = facts.names[hit.name] = NameFacts(first_sentence=pos)
            rec.count += 1
            if not at_sentence_start(body, hit.start):
                rec.mid_sentence += 1
            if pos < opening and Cue.OPENING not in rec.cues:
                rec.cues[Cue.OPENING] = 1
            if hit.leads and rec.lead_sentence is None:
                rec.lead_sentence = pos
            if hit.weak_kind and not rec.weak_kind:
                rec.weak_kind = hit.weak_kind
            rec.cues.update(hit.cues)
            if hit.desc and not rec.desc:
                rec.desc = hit.desc
            if hit.name in profiles:
                rec.cues[Cue.PROFILE] += 1
            if re.match(r"\s+team\b", body[hit.start + len(hit.name):]) and " " not in hit.name:
                # "Cargo team members": the people of Cargo, an organisation
                crew = facts.names.setdefault(f"{hit.name} team", NameFacts(first_sentence=pos))
                crew.count += 1
                crew.mid_sentence += 1
                crew.cues[Cue.ORG] += 1
            if body[hit.start + len(hit.name):].startswith(("’s", "'s")) \
                    and not at_sentence_start(body, hit.start):
                rec.cues[Cue.POSSESSIVE] += 1
            seen = facts.places.setdefault(hit.name, [])
            if len(seen) < T.MAX_PLACES and (not seen or seen[-1] != pos):
                seen.append(pos)
        for m in _LED_BY.finditer(body) if " by " in body else ():  # "X, run by Daniel Gross"
            rec = facts.names.get(m.group(3))
            if rec is not None and not rec.desc:
                rec.desc = f"{_LED_VERBS[m.group(2)]} {m.group(1)}"
        for acro, long in acronyms(body):
            facts.acronyms.setdefault(acro, long)
        for handle, name in handles(body):
            h = facts.handles.get(handle)
            if h is None:
                h = facts.handles[handle] = HandleFacts(first_sentence=pos)
            h.count += 1
            if name and not h.name:
                h.name = name
        for phrase in phrases(body, terms):
            p = facts.phrases.get(phrase)
            if p is None:
                p = facts.phrases[phrase] = PhraseFacts(first_sentence=pos)
            p.count += 1
            seen = facts.places.setdefault(phrase, [])
            if len(seen) < T.MAX_PLACES and (not seen or seen[-1] != pos):
                seen.append(pos)
        d = _DEFINITION.match(body)
        if d and d.group(1).casefold() not in facts.definitions:
            said = plain(sent)  # as a reader sees it (not the name-reading text, with its marks)
            facts.definitions[d.group(1).casefold()] = _trim(re.split(r"[;:]|,\s", said)[0], 200) \
                .rstrip(".") + "."
    # a class or constant of the article's own code ("AgentList", "RUSTFLAGS") named in its
    # prose is code, not a page (unless the article is about it: its title says so)
    idents = {m.group(1) or m.group() for b in article.blocks if b.kind == CODE
              for m in _CODE_IDENT.finditer(prose_cues.code_without_prose(b.text))}
    for name in [n for n in facts.names if n not in article.title and (
            n in idents or _CODE_CLASS.fullmatch(n))]:  # "MelodieException": a class
        del facts.names[name]
        facts.places.pop(name, None)
    # "`Send`": a name only ever written as inline code is code (unless another article
    # writes it as a name: `Mesa` in a paper's Markdown, Mesa in its PDF)
    facts.code_only = sorted(n for n in facts.names if n not in article.title
                             and not prose_cues.in_words(n, outside_code))
    for edition, times in prose_cues.year_names(prose(s) for s in sents).items():
        if edition.split()[0].casefold() in COMMON_CAPS:
            continue  # "December 2025": a date
        # "Rust 2018" said again and again: an edition, a name of its own
        ed = facts.names.setdefault(edition, NameFacts(first_sentence=len(sents)))
        ed.count, ed.mid_sentence = max(ed.count, times), max(ed.mid_sentence, times)
        ed.first_sentence = min(ed.first_sentence, next(
            (i for i, s in enumerate(sents) if edition in s), 0))
    facts.code_names = sorted(idents)[:500]
    for head, pos in _heading_names(article):
        # "## Lorraine Daston" over a section that says "Daston ...": the heading names her
        last = facts.names.get(head.split()[-1])
        if head not in facts.names and pos < len(sents) and (
                head.split()[0].casefold() in FIRST_NAMES
                or (last and last.mid_sentence
                    and head.split()[-1].casefold() not in lower_vocab)):
            facts.names[head] = NameFacts(1, 1, pos)
    for body in credits:
        for hit in name_runs(body, lower_vocab):
            if hit.name in facts.names:
                facts.names[hit.name].count += 1
                facts.names[hit.name].mid_sentence += 1
    if article.kind == "profile":
        meta = article.meta
        rec = facts.names.setdefault(meta["name"], NameFacts(first_sentence=-1))
        rec.count += 1
        rec.mid_sentence += 1
        rec.cues[Cue.OWNER] = 1
        rec.desc = _trim(meta["bio"], 160)
        facts.handles.setdefault(meta["handle"], HandleFacts(first_sentence=-1)).name = meta["name"]
    for author in article.info.authors:
        group = _TEAM_AUTHOR.fullmatch(author)
        if group:  # "crates.io team", "the Cargo team": an organisation wrote it
            author = group.group(1)
        elif not _AUTHOR_NAME.fullmatch(author):
            continue  # "the compiler's people": not a name
        rec = facts.names.setdefault(author, NameFacts(first_sentence=-1))
        rec.count += 1
        rec.mid_sentence += 1
        rec.cues[Cue.AUTHOR] = 1
        rec.first_sentence = min(rec.first_sentence, -1)
        if not rec.desc:
            rec.desc = f"Author of “{article.title}”"
    headline = prose(article.title)
    for hit in name_runs(headline, lower_vocab):
        # "British High Commission marks ...": a name in the headline, said once in the text
        # or not at all, is what the article is about (in a title in sentence case, or as the
        # subject of its verb: a headline's first words before a word in lower case)
        verb = re.match(r"\s+([a-z]+)", headline[len(hit.name):])
        leads = hit.start == 0 and verb is not None and verb.group(1) not in STOPWORDS
        if " " in hit.name and hit.name not in facts.names and (
                leads or _sentence_case(article.title)):
            rec = facts.names[hit.name] = NameFacts(1, 1, 0)
            rec.cues[Cue.TITLE] = 1
    subject = re.match(r"^((?:[A-Z][\w’'\-]+\s){1,3})(?:on|at|with|talks|explains)\s",
                       article.title + " ")
    if subject:
        name = subject.group(1).strip()
        if name in facts.names:
            facts.names[name].cues[Cue.SUBJECT] = 1
    for name, rec in facts.names.items():  # "Why We Moved to Bazel": Bazel is the topic
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", article.title):
            rec.cues[Cue.TITLE] = 1
    titles = " ".join([article.title] + [b.text for b in article.blocks if b.kind == HEADING])
    titles = " ".join(re.findall(r"[a-z][a-z\-]*", titles.casefold()))
    for phrase, ph in facts.phrases.items():
        if phrase in titles:
            ph.count += len(re.findall(rf"\b{re.escape(phrase)}\b", titles))
    if len(facts.phrases) > T.MAX_PHRASES_PER_ARTICLE:
        keep = sorted(facts.phrases.items(),
                      key=lambda kv: (-kv[1].count, kv[1].first_sentence, kv[0]))
        facts.phrases = dict(keep[:T.MAX_PHRASES_PER_ARTICLE])
    used = {r.first_sentence for r in facts.names.values()}
    used |= {r.first_sentence for r in facts.handles.values()}
    used |= {r.lead_sentence for r in facts.names.values() if r.lead_sentence is not None}
    used |= {r.first_sentence for r in facts.phrases.values()}
    bio = _trim(article.meta.get("bio", "")) if article.kind == "profile" else \
        ("Author of this article." if article.info.authors else "")
    # whole sentences (bounded): each entity page quotes them around its own name
    facts.sentences = {p: (_trim(plain(sents[p]), T.MAX_SENTENCE_CHARS) if p >= 0 else bio)
                       for p in sorted(used)}
    # canonical order, so facts read back from the state behave exactly like fresh ones
    facts.names = dict(sorted(facts.names.items()))
    facts.phrases = dict(sorted(facts.phrases.items()))
    facts.handles = dict(sorted(facts.handles.items()))
    facts.acronyms = dict(sorted(facts.acronyms.items()))
    # capitalised words the text also writes in lower case: ordinary words ("Build" / "build"),
    # unless the capitalised form is far more common ("Cargo" 28 times, "cargo" in 3 commands)
    capitalised: Counter[str] = Counter()
    for n, rec in facts.names.items():
        capitalised[n.split()[0].casefold()] += rec.mid_sentence if " " not in n else 0
    facts.lower_words = sorted(
        w for w in {n.split()[0].casefold() for n in facts.names}
        if lower_counts[w] and lower_counts[w] * T.LOWER_CASE_RATIO >= capitalised[w])
    return facts


def _sentence_case(title: str) -> bool:
    """"Fish washed up on Cornwall beach" (its capitals are names), not "Fast Frontier Model"."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'\-]*", title)[1:] if len(w) >= 4]
    return bool(words) and sum(w[0].isupper() for w in words) * 2 < len(words)


def _heading_names(article: Article) -> list[tuple[str, int]]:
    """Headings that are a name of two or three words, with the first sentence under each."""
    out: list[tuple[str, int]] = []
    pos = 0
    for block in article.blocks:
        if block.kind != HEADING:
            pos += len(split_sentences(block.text))
        elif re.fullmatch(r"[A-Z][a-z’'\-]+(?: [A-Z][a-z’'\-]+){1,2}", block.text) and not any(
                w.casefold() in STOPWORDS or w.casefold() in COMMON_CAPS
                for w in block.text.split()):
            out.append((block.text, pos))
    return out


def _trim(text: str, limit: int = T.MAX_CONTEXT_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


