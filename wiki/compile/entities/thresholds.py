"""Every number the entity heuristics decide by, named once.

Counts are mentions in the article text; "sources" are distinct articles.
"""

from __future__ import annotations

# A lower-case phrase is a concept when it recurs: in several sources, or often in one.
CONCEPT_MIN_SOURCES = 2
CONCEPT_MIN_MENTIONS_ACROSS_SOURCES = 3  # with at least CONCEPT_MIN_SOURCES sources
CONCEPT_MIN_MENTIONS_ONE_SOURCE = 5
# ... and a term, not a chance pairing: it makes up at least this share of the phrases of its
# length that start with its first word (or end with its last word).
PHRASE_COHESION = 0.3

# A capitalised name gets a page when it is mentioned this often (or has a strong cue).
NAME_MIN_MENTIONS = 2
# A capitalised phrase of ordinary words with no other cue is a concept from this many mentions
# (and in several sources).
CAPITALISED_CONCEPT_MIN_MENTIONS = 3
# Named this early (sentence number) counts as salient for a person or an organisation.
OPENING_SENTENCES = 3
OPENING_MAX_SENTENCES = 6  # ... or the whole first paragraph, up to this many sentences
# A capitalised word is an ordinary word when its lower-case form is at least this many times
# rarer than its capitalised uses mid-sentence ("Cargo" 28, "cargo" 3 -> a name).
LOWER_CASE_RATIO = 5
# A single capitalised word never written in lower case, this often (mid-sentence at least
# SINGLE_WORD_MIN_MENTIONS): a proper name even without any cue ("Melodie").
PROPER_NAME_MIN_MENTIONS = 3
# A single capitalised word with no cue but its own frequency.
SINGLE_WORD_MIN_MENTIONS = 3
# ... or an acronym, a CamelCase or versioned name.
SHORT_NAME_MIN_MENTIONS = 2
# Named in the title and this often mid-sentence: the article's subject.
TITLE_SUBJECT_MIN_MID_MENTIONS = 3
# The surname of "Jean-Luc Fournier" alone, this often mid-sentence, makes him a person.
SURNAME_MIN_MENTIONS = 2
PERSON_MAX_WORDS = 3
ACRONYM_MAX_LETTERS = 8

# "Ashley Vance" / "Ashlee Vance": first names at most this many edits apart (and this long).
SPELLING_MAX_EDITS = 2
SPELLING_MIN_LENGTH = 4

# Per article, the phrases kept as concept candidates (the most frequent ones).
MAX_PHRASES_PER_ARTICLE = 200
MAX_PLACES = 40  # per article, the sentences kept for each name (for "Related")
MAX_CONTEXT_CHARS = 300  # a mention's context sentence is cut to this, around the name
MAX_SENTENCE_CHARS = 1200  # a sentence is kept this long in the facts
DESCRIPTION_MAX_SOURCES = 30  # a description from context is chosen among this many sources
DESCRIPTION_CLAUSE_CHARS = 140  # a sentence used as a description is cut to its first clause

# "Related" on an entity page: only what is named in one sentence with it, or in several of
# its sources; the strongest first.
MAX_RELATED = 8
RELATED_WINDOW = 60  # only the latest sources are searched for companions
RELATED_MIN_SHARED_SOURCES = 2  # never in one sentence together: related from this many sources
RELATED_SENTENCE = 3  # each sentence naming both counts this much ...
RELATED_MAX_SENTENCES_PER_SOURCE = 5  # ... up to this many per source
RELATED_SHARED_SOURCE = 2  # each shared source counts this much
