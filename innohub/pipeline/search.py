"""Full-text search over ideas, pilots and lessons, in Bangla, English and French alike
(decision record 0018).

Every searchable thing has one `SearchEntry` row holding its words, normalised here in Python
so that both databases see the same words: Unicode NFC, case folded, accents dropped from
Latin letters (so "delai" finds "Délai"), punctuation (the Bangla danda included) turned into
spaces, and a few English and French function words left out. Bangla vowel signs and
nukta are kept: they are part of the word.

The database then does what it does best: PostgreSQL a GIN index over
`to_tsvector('simple', words)` ranked by `ts_rank`, SQLite an FTS5 table kept by triggers and
ranked by BM25. A query is the OR of its words, each also matching as a prefix when it has
3 letters or more (Bangla and French inflect by suffix: "নিবন্ধন" finds "নিবন্ধনের").
`similar` then scores the best candidates in Python (`likeness`), the same on both
databases.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .models import SearchEntry

IDEA, PILOT, LESSON = "idea", "pilot", "lesson"

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
PREFIX_FROM = 3  # a word this long matches as a prefix too
MAX_WORDS = 32  # a query's words beyond these add nothing but time
CANDIDATES_PER_RESULT, MIN_CANDIDATES = 4, 40  # what the database ranks for `likeness`
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


def index(kind: str, object_id: int, *texts: str) -> None:
    """Store (or replace) the searchable words of one thing."""
    text = " ".join(" ".join(words(part)) for part in texts if part)
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults={"text": text})


def index_idea(idea: object) -> None:
    index(IDEA, idea.pk, idea.title, idea.problem, idea.who_suffers, idea.proposed_change)  # type: ignore[attr-defined]


def index_pilot(pilot: object) -> None:
    index(PILOT, pilot.pk, pilot.title, pilot.idea.problem)  # type: ignore[attr-defined]


def index_lesson(lesson: object) -> None:
    index(LESSON, lesson.pk, lesson.text, lesson.pilot.title)  # type: ignore[attr-defined]


def _query_words(text: str) -> list[str]:
    seen: list[str] = []
    for word in words(text):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def _fts5_query(terms: list[str]) -> str:
    return " OR ".join(f'"{t}"*' if len(t) >= PREFIX_FROM else f'"{t}"' for t in terms)


def _tsquery(terms: list[str]) -> str:
    return " | ".join(f"'{t}':*" if len(t) >= PREFIX_FROM else f"'{t}'" for t in terms)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def matching(kind: str, text: str) -> QuerySet[SearchEntry]:
    """The entries of `kind` that match any word of `text` (none when it has no words)."""
    terms = _query_words(text)
    entries = SearchEntry.objects.filter(kind=kind)
    if not terms:
        return entries.none()
    if _is_postgres():
        condition = RawSQL(
            "to_tsvector('simple', text) @@ to_tsquery('simple', %s)",
            (_tsquery(terms),),
            output_field=BooleanField(),
        )
        return entries.filter(condition)
    ids = RawSQL(
        "SELECT rowid FROM pipeline_searchentry_fts WHERE pipeline_searchentry_fts MATCH %s",
        (_fts5_query(terms),),
    )
    return entries.filter(id__in=ids)


@dataclass(frozen=True)
class Match:
    kind: str
    id: int
    score: float


def likeness(query: list[str], text_words: list[str]) -> float:
    """How much `text_words` is like `query`, in [0, 1]: the query's words found in the text
    (a word of 3 letters or more also as the start of a longer one), over the geometric mean
    of the two counts of distinct words (a cosine of word sets). The same text is 1."""
    wanted, present = set(query), set(text_words)
    if not wanted or not present:
        return 0.0
    found = sum(
        1
        for word in wanted
        if word in present
        or (len(word) >= PREFIX_FROM and any(other.startswith(word) for other in present))
    )
    return min(1.0, found / math.sqrt(len(wanted) * len(present)))


def similar(text: str, *, limit: int = 10) -> list[Match]:
    """The `limit` ideas and pilots most like `text`, best first, each scored in (0, 1].

    The database's ranking (BM25 or ts_rank, which weigh rare words up) picks a few times
    `limit` candidates; `likeness` then scores and orders them the same way on both
    databases, so a score means the same thing wherever innohub runs."""
    terms = _query_words(text)
    if not terms:
        return []
    candidates = max(limit * CANDIDATES_PER_RESULT, MIN_CANDIDATES)
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT kind, object_id, text FROM pipeline_searchentry,"
                " to_tsquery('simple', %s) AS query"
                " WHERE kind IN ('idea', 'pilot') AND to_tsvector('simple', text) @@ query"
                " ORDER BY ts_rank(to_tsvector('simple', text), query) DESC, object_id DESC"
                " LIMIT %s",
                [_tsquery(terms), candidates],
            )
        else:
            cursor.execute(
                "SELECT e.kind, e.object_id, e.text"
                " FROM pipeline_searchentry_fts JOIN pipeline_searchentry e"
                "  ON e.id = pipeline_searchentry_fts.rowid"
                " WHERE pipeline_searchentry_fts MATCH %s AND e.kind IN ('idea', 'pilot')"
                " ORDER BY bm25(pipeline_searchentry_fts), e.object_id DESC LIMIT %s",
                [_fts5_query(terms), candidates],
            )
        rows = cursor.fetchall()
    query = _query_words(text)
    scored = [
        (likeness(query, stored.split()), order, kind, pk)
        for order, (kind, pk, stored) in enumerate(rows)
    ]
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [
        Match(kind, pk, max(round(score, 4), 0.0001))
        for score, _order, kind, pk in scored[:limit]
        if score > 0
    ]
