"""What Obsidian-flavoured Markdown syntax looks like, written once: the patterns that link
extraction, rendering, renaming and the editor share. Modules with a narrower job (snippets,
context lines) keep their own, looser patterns on purpose: they tidy text, they do not parse it.
"""

from __future__ import annotations

import re

# [[target]], [[target#heading|text]], ![[embed]]: group 1 is "!" for an embed, group 2 the inside
WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+)\]\]")
# an external address (scheme: or //host) rather than a path inside the vault
URL_SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//)")
# an ATX heading line: group 1 the hashes, group 2 the text (closing hashes dropped)
HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
