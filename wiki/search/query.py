"""The query language: parsing a query string (fields, operators, `path:` and `tag:` rewriting),
the words the user typed, one-line checks for queries that cannot mean anything, and the terms a
hit may have matched (for highlighting)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser, QueryParser

from wiki.core.scripts import MARKS
from wiki.search.analysis import Analyzer
from wiki.search.schema import HEAD_BOOST, SEARCH_FIELDS

FIELD_ALIASES = {"tags": ["tag"], "aliases": ["alias"]}
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
# An accented query word also scores its exact form this many times more: "résumé" finds
# "resume" too, but pages that write "résumé" come first.
EXACT_BOOST = 4.0


def make_parser(schema: Schema) -> QueryParser:
    # The title boost is applied to the score (a query boost): an index-time field_boost only
    # multiplies term frequency, which BM25 saturates, so long bodies would still win.
    parser = MultifieldParser(list(SEARCH_FIELDS), schema, fieldboosts=HEAD_BOOST,
                              group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


def path_prefix_query(prefix: str) -> wq.Query:
    """Pages whose path starts with ``prefix`` (case-insensitive)."""
    prefix = prefix.lower().lstrip("/")
    if not prefix:
        return wq.Every()
    if prefix.endswith("/"):
        return wq.Term("folders", prefix)
    parent, _, stem = prefix.rpartition("/")
    in_parent = wq.And([wq.Term("parent", parent + "/"), wq.Prefix("fname", stem)])
    return wq.Or([wq.Prefix("folders", prefix), in_parent])


# Irregular plurals of the kinds a vault's folders are named after (people/ holds type: person).
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman",
              "indices": "index", "media": "medium", "analyses": "analysis"}
_PLURAL = {v: k for k, v in _IRREGULAR.items()}


def type_forms(word: str) -> set[str]:
    """The spellings ``type:word`` stands for: the word, its singular and plural, in British and
    American spelling (organisation/organization), lower-cased. The results list shows folder
    names ("people/", "organizations/") and pages say "type: person": both must work."""
    word = word.lower().strip().strip("/")
    singular = {word}
    if word in _IRREGULAR:
        singular.add(_IRREGULAR[word])
    elif word.endswith("ies") and len(word) > 4:
        singular.add(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        singular.add(word[:-1])
        if word.endswith("es"):
            singular.add(word[:-2])
    forms = set(singular)
    for w in singular:
        if w in _PLURAL:
            forms.add(_PLURAL[w])
        if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
            forms.add(w[:-1] + "ies")
        elif w.endswith(("s", "x", "ch", "sh")):
            forms.add(w + "es")
        else:
            forms.add(w + "s")
    spelled = set(forms)
    for w in forms:
        spelled.add(re.sub(r"is(?=ation|e$|es$|ed$|ing$)", "iz", w))
        spelled.add(re.sub(r"iz(?=ation|e$|es$|ed$|ing$)", "is", w))
    return {w for w in spelled if w}


def type_query(word: str) -> wq.Query:
    """Pages whose ``type:`` is one of ``type_forms(word)``, or that sit in a top-level folder
    of that name: `type:people`, `type:person` and `type:persons` all find people/Ada.md."""
    forms = sorted(type_forms(word))
    if not forms:
        return wq.NullQuery
    return wq.Or([wq.Term("type", w) for w in forms] + [wq.Term("folders", w + "/") for w in forms])


def close_open_phrase(qstring: str) -> str:
    """A query whose last phrase is still being typed (an odd number of quotes), as what it
    means so far: the finished words stay a phrase and the word being typed is a prefix.
    `"half a phr` searches `"half a" phr*`; `"half a ` searches `"half a"`."""
    if qstring.count('"') % 2 == 0:
        return qstring
    head, _, tail = qstring.rpartition('"')
    if not tail.strip():
        return head.rstrip()
    if tail[-1].isspace():
        return f'{head}"{tail.rstrip()}"'
    done, _, last = tail.rpartition(" ")
    last = last.rstrip("*")
    typing = f"{last}*" if last and (last[-1].isalnum()) else last
    if not done.strip():
        return f"{head}{typing}"
    return f'{head}"{done.rstrip()}" {typing}'.rstrip()


def rewrite(q: wq.Query) -> wq.Query:
    """`path:x` means "path starts with x", case-insensitively; `prefix*` is ranked."""
    if isinstance(q, (wq.Term, wq.Prefix, wq.Wildcard)) and q.fieldname == "path":
        return path_prefix_query(str(q.text).split("*")[0])
    if isinstance(q, (wq.Prefix, wq.Wildcard)):
        # Whoosh scores a prefix that expands to several words as 1.0 per page (in indexes of
        # up to 5000 pages), so `prot*` listed pages in index order. Score the words instead.
        q.constantscore = False
        return q
    if isinstance(q, wq.Phrase) and q.fieldname == "path":
        return path_prefix_query(" ".join(q.words))
    if isinstance(q, wq.Term) and q.fieldname == "type":
        return type_query(str(q.text))
    if isinstance(q, wq.Term) and q.fieldname == "tags":  # tag:ml also finds ml/core, as Obsidian
        tag = str(q.text).lstrip("#")
        return wq.Or([wq.Term("tags", tag), wq.Prefix("tags", tag.rstrip("/") + "/")])
    if q.is_leaf():
        return q
    return q.apply(rewrite)


@dataclass(frozen=True, slots=True)
class QueryWord:
    """A word as the user wrote it in the query, with where it is."""

    text: str  # without a trailing '*'
    start: int
    end: int
    field: str | None  # the field filter it sits under, if any
    prefix: bool = False


# A word keeps its combining marks (Arabic harakat, Devanagari vowel signs...)
_TOKEN = re.compile(rf'(?P<field>[A-Za-z_]+):(?=\S)|(?P<quote>")'
                    rf'|(?P<word>[^\W_](?:[\w\'-]|[{MARKS}])*\*?|\*)')
_KNOWN = {"title", "aliases", "alias", "head", "body", "tags", "tag", "type", "path"}
TEXT_FILTERS = (None, "title", "aliases", "alias", "head", "body")  # words worth highlighting


def positive_terms(q: wq.Query, reader, field: str) -> list[bytes]:
    """Terms of ``field`` that a matching page may contain (not those under NOT), expanded."""
    out: list[bytes] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if node.is_leaf():
            if getattr(node, "fieldname", None) == field:
                for f, t in node.existing_terms(reader, phrases=True, expand=True):
                    if f == field and t not in out:
                        out.append(t)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return out


def query_words(qstring: str) -> list[QueryWord]:
    """Words of a query string (operators and field names left out)."""
    words: list[QueryWord] = []
    field: str | None = None
    in_quote = False
    quote_field: str | None = None
    for m in _TOKEN.finditer(qstring):
        if m.group("field") is not None and m.group("field").lower() in _KNOWN:
            field = m.group("field").lower()
            continue
        if m.group("quote"):
            in_quote = not in_quote
            quote_field = field if in_quote else None
            field = None
            continue
        w = m.group("word")
        if w is None or w == "*" or (w in _OPERATORS and not in_quote):
            field = None
            continue
        prefix = w.endswith("*")
        text = w.rstrip("*").strip("'-")
        if text:
            words.append(QueryWord(text, m.start(), m.start() + len(w.rstrip("*")),
                                   quote_field if in_quote else field, prefix))
        field = None
    return words


_FIELD_NAME = re.compile(r'(?P<quote>"[^"]*"?)|(?<![\w:/.@-])(?P<name>[A-Za-z_]+):(?=[^\s/:])')
FIELD_HELP = "the fields are title:, alias:, tag:, type: and path:"


def field_names(qstring: str, schema_names: set[str] | frozenset[str] = frozenset()
                ) -> tuple[str, list[str]]:
    """The query with its field names in lower case (``Title:foo`` is ``title:foo``, as field
    names are in Whoosh's schema), and the names before a colon that are no field at all
    (``foo:bar``: searched as the words "foo bar", see ``unknown_field_error``)."""
    known = _KNOWN | set(schema_names)
    unknown: list[str] = []

    def fix(m: re.Match[str]) -> str:
        name = m.group("name")
        if name is None:
            return m.group(0)  # a phrase: left as written
        low = name.lower()
        if low in known:
            return low + ":"
        if name not in unknown:
            unknown.append(name)
        return m.group(0)

    return _FIELD_NAME.sub(fix, qstring), unknown


def unknown_field_error(unknown: list[str]) -> str:
    """One line for a query that matched nothing and named a field that does not exist."""
    names = ", ".join(f"'{n}:'" for n in unknown)
    verb = "is not a field" if len(unknown) == 1 else "are not fields"
    return (f"no page matches, and {names} {verb} ({FIELD_HELP}); to search the words, "
            "leave out the colon")


def check_query(qstring: str) -> str | None:
    """One clear line when the query cannot mean anything sensible; None when it is fine."""
    qstring = close_open_phrase(qstring)  # a phrase being typed is no mistake
    depth = 0
    in_quote = False
    for ch in qstring:
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch == "(":
            depth += 1
        elif not in_quote and ch == ")":
            depth -= 1
            if depth < 0:
                return "unbalanced parentheses: a ')' has no matching '('"
    if depth:
        return "unbalanced parentheses: a '(' is never closed"
    m = re.search(r"(?:^|\s)([A-Za-z_]+):(?=\s|$)", qstring)
    if m and m.group(1).lower() in _KNOWN:
        return f"'{m.group(1)}:' needs something to search for after the colon"
    toks = qstring.split()
    if toks and (toks[0] in _OPERATORS - {"NOT"} or toks[-1] in _OPERATORS):
        return f"'{toks[0] if toks[0] in _OPERATORS else toks[-1]}' needs words on both sides"
    return None


def exact_bonus(words: list[QueryWord], analyzer: Analyzer) -> wq.Query | None:
    """For the accented words of a query (outside field filters), the query that adds the score
    of their exact, accented forms (to AndMaybe with the query); None when there are none."""
    terms: list[str] = []
    for w in words:
        if w.field is None and not w.prefix:
            terms += [t for t in analyzer.exact_terms(w.text) if t not in terms]
    if not terms:
        return None
    head = HEAD_BOOST["head"] * EXACT_BOOST
    return wq.Or([q for t in terms
                  for q in (wq.Term("head", t, boost=head), wq.Term("body", t, boost=EXACT_BOOST))])
