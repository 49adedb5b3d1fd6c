"""Words of a text, and how alike two texts are, in Bangla, English and French alike: what
search (innohub/pipeline/search.py, decision record 0018), the themes of hopes and fears
(training) and the findings of a consultation (engagement) all count the same way.

`words` normalises in Python so that both databases and every app see the same words:
Unicode NFC, case folded, accents dropped from Latin letters (so "delai" finds "Délai"),
punctuation (the Bangla danda included) turned into spaces, and a few English and French
function words left out. Bangla vowel signs and nukta are kept: they are part of the word.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass

# Function words that match everything and say nothing; only languages with spaces between
# words and such words (Bangla's are suffixes and few, and kept).
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "est",
        "il",
        "ils",
        "la",
        "le",
        "les",
        "leur",
        "mais",
        "ne",
        "nous",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
        "vous",
    }
)
PREFIX_FROM = 5  # a word of this many letters (signs not counted) matches as a prefix too
MAX_WORDS = 32  # a query's words beyond these add nothing but time
LATIN_END = "\u0250"  # combining marks after letters below this are accents to drop


def words(text: str) -> list[str]:
    """The searchable words of `text`, in order, repeats kept."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept: list[str] = []
    base = ""
    for char in decomposed:
        category = unicodedata.category(char)
        if category[0] == "M":  # a sign on the letter before it (Bangla vowel signs are Mc)
            if not (category == "Mn" and base and base < LATIN_END):
                kept.append(char)
            continue  # else an accent on a Latin letter: dropped
        base = char
        kept.append(char if category[0] in "LN" else " ")
    normal = unicodedata.normalize("NFC", "".join(kept))
    return [word for word in normal.split() if word not in STOPWORDS]


def query_words(text: str) -> list[str]:
    seen: list[str] = []
    for word in words(text):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def is_prefix(word: str) -> bool:
    """Whether `word` also matches as the start of longer words: when it has `PREFIX_FROM`
    letters or more, its vowel signs and other marks not counted (in Bangla a syllable is
    often two code points; a short prefix would match thousands of words)."""
    return sum(1 for char in word if not unicodedata.category(char).startswith("M")) >= PREFIX_FROM


def likeness(query: list[str], text_words: list[str]) -> float:
    """How much `text_words` is like `query`, in [0, 1]: the query's words found in the text
    (a word of 5 letters or more also as the start of a longer one), over the geometric mean
    of the two counts of distinct words (a cosine of word sets). The same text is 1."""
    wanted, present = set(query), set(text_words)
    if not wanted or not present:
        return 0.0
    found = sum(
        1
        for word in wanted
        if word in present or (is_prefix(word) and any(other.startswith(word) for other in present))
    )
    return min(1.0, found / math.sqrt(len(wanted) * len(present)))


@dataclass(frozen=True)
class Group:
    """Things alike enough to go together: their ids, and the words most of them share."""

    ids: list[int]
    words: list[str]


def group_alike(
    texts: list[tuple[int, list[str]]], *, alike_from: float, shared_words: int = 3
) -> list[Group]:
    """Groups of two or more of `texts` (id, words): two at least `alike_from` alike
    (`likeness`) join one group, and so do the groups they were in. Each group says the
    words at least two of its members share, the most shared first, ties in
    alphabetical order (at most `shared_words`). Largest groups first, then by their first id. The caller bounds how
    many texts it passes: every pair is compared."""
    parent = list(range(len(texts)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, (_id, first) in enumerate(texts):
        for j in range(i + 1, len(texts)):
            if likeness(first, texts[j][1]) >= alike_from:
                parent[root(j)] = root(i)
    members: dict[int, list[int]] = {}
    for index in range(len(texts)):
        members.setdefault(root(index), []).append(index)
    groups = []
    for indexes in members.values():
        if len(indexes) < 2:
            continue
        shared: Counter[str] = Counter()
        for index in indexes:
            shared.update(set(texts[index][1]))
        # Ties in alphabetical order: the same words every run (sets iterate by hash).
        ranked = sorted(shared.items(), key=lambda pair: (-pair[1], pair[0]))
        common = [word for word, n in ranked if n >= 2][:shared_words]
        groups.append(Group([texts[index][0] for index in indexes], common))
    groups.sort(key=lambda group: (-len(group.ids), group.ids[0]))
    return groups
