"""Full-text search over ideas, pilots and lessons, in Bangla, English and French alike
(decision record 0018).

Every searchable thing has one `SearchEntry` row holding its words, normalised in Python
(`innohub/core/words.py`, shared with every app that compares texts) so that both databases
see the same words: Unicode NFC, case folded, accents dropped from
Latin letters (so "delai" finds "Délai"), punctuation (the Bangla danda included) turned into
spaces, and a few English and French function words left out. Bangla vowel signs and
nukta are kept: they are part of the word.

The database then does what it does best: PostgreSQL a GIN index over
`to_tsvector('simple', words)` (a stored generated column) ranked by `ts_rank`, SQLite an FTS5 table kept by triggers and
ranked by BM25. A query is the OR of its words, each also matching as a prefix when it has
5 letters or more, signs not counted (Bangla and French inflect by suffix: "নিবন্ধন" finds "নিবন্ধনের").
`similar` then scores the best candidates in Python (`likeness`), the same on both
databases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from innohub.core.words import (  # noqa: F401 - this module's words are core's, named here too
    LATIN_END,
    MAX_WORDS,
    PREFIX_FROM,
    STOPWORDS,
    is_prefix,
    likeness,
    words,
)
from innohub.core.words import query_words as _query_words

from .models import SearchEntry, SearchTerm

IDEA, PILOT, LESSON = "idea", "pilot", "lesson"

CANDIDATES_PER_RESULT, MIN_CANDIDATES = 4, 40  # what the database ranks for `likeness`
WORD_MAX = 100  # longer words are counted by their first 100 letters
TELLING_WORDS = 6  # the rarest words of a query the index is asked for
COMMON_SHARE = 0.005  # a word in more than this share of entries tells too little to look up
COMMON_FROM = 500  # ... and in more entries than this (a small corpus has no common words)
COMMON_FALLBACK = 3  # a query of common words alone asks for its least common few


def _joined(*texts: str) -> str:
    return " ".join(" ".join(words(part)) for part in texts if part)


def idea_words(idea: Any) -> str:
    return _joined(idea.title, idea.problem, idea.who_suffers, idea.proposed_change)


def pilot_words(pilot: Any) -> str:
    return _joined(pilot.title, pilot.idea.problem)


def lesson_words(lesson: Any) -> str:
    return _joined(lesson.text, lesson.pilot.title)


def index(kind: str, object_id: int, text: str) -> None:
    """Store (or replace) the searchable words (`*_words`) of one thing, and count them in
    `SearchTerm` (inside the caller's transaction)."""
    old = (
        SearchEntry.objects.filter(kind=kind, object_id=object_id)
        .values_list("text", flat=True)
        .first()
    )
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults={"text": text})
    before, after = _distinct(old or ""), _distinct(text)
    changes = dict.fromkeys(after - before, 1) | dict.fromkeys(before - after, -1)
    if old is None:
        changes[""] = 1  # one more entry
    _count(changes)


def _distinct(text: str) -> set[str]:
    return {word[:WORD_MAX] for word in text.split()}


def _count(changes: dict[str, int]) -> None:
    """Add each change to its word's count: one statement, safe against a concurrent writer
    (`ON CONFLICT … DO UPDATE`, the same on SQLite and PostgreSQL)."""
    if not changes:
        return
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    rows = ", ".join(["(%s, %s)"] * len(changes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (word, entries) VALUES {rows} "  # noqa: S608 - our table
            "ON CONFLICT (word) DO UPDATE SET entries = "
            f"{table}.entries + excluded.entries",
            [value for pair in changes.items() for value in pair],
        )


def recount() -> int:
    """Count every word of every entry again (after entries were written in bulk, or to
    repair the counts); answers how many words."""
    counts: dict[str, int] = {}
    entries = 0
    for text in SearchEntry.objects.values_list("text", flat=True).iterator(chunk_size=5_000):
        entries += 1
        for word in _distinct(text):
            counts[word] = counts.get(word, 0) + 1
    counts[""] = entries
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create(
        (SearchTerm(word=word, entries=n) for word, n in counts.items()), batch_size=5_000
    )
    return len(counts) - 1


def index_idea(idea: Any) -> None:
    index(IDEA, idea.pk, idea_words(idea))


def index_pilot(pilot: Any) -> None:
    index(PILOT, pilot.pk, pilot_words(pilot))


def index_lesson(lesson: Any) -> None:
    index(LESSON, lesson.pk, lesson_words(lesson))


def telling_words(terms: list[str]) -> list[str]:
    """The words of a query worth asking the index for, at most `TELLING_WORDS`: first the
    words entries hold, rarest first, leaving out those held by more than `COMMON_SHARE` of
    the entries (and more than `COMMON_FROM`) — they match nearly everything and tell
    nothing, and the likeness still counts them; then words no entry holds whole but that may
    start longer ones (`is_prefix`). A word that is neither matches nothing and is dropped. A
    query of common words alone keeps its least common few."""
    counts = dict(SearchTerm.objects.filter(word__in=[*terms, ""]).values_list("word", "entries"))
    total = counts.pop("", 0)
    held = sorted((word for word in terms if counts.get(word, 0) > 0), key=lambda w: (counts[w], w))
    common = max(total * COMMON_SHARE, COMMON_FROM)
    rare = [word for word in held if counts[word] <= common]
    starts = [word for word in terms if counts.get(word, 0) <= 0 and is_prefix(word)]
    chosen = (rare + starts)[:TELLING_WORDS]
    return chosen or held[:COMMON_FALLBACK]


def _fts5_query(terms: list[str]) -> str:
    return " OR ".join(f'"{t}"*' if is_prefix(t) else f'"{t}"' for t in terms)


def _tsquery(terms: list[str]) -> str:
    return " | ".join(f"'{t}':*" if is_prefix(t) else f"'{t}'" for t in terms)


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
            "words @@ to_tsquery('simple', %s)",
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


def similar(text: str, *, limit: int = 10) -> list[Match]:
    """The `limit` ideas and pilots most like `text`, best first, each scored in (0, 1].

    The database's ranking (BM25 or ts_rank, which weigh rare words up) picks a few times
    `limit` candidates; `likeness` then scores and orders them the same way on both
    databases, so a score means the same thing wherever innohub runs."""
    query = _query_words(text)
    if not query:
        return []
    terms = telling_words(query)
    if not terms:  # no word of the text can match anything
        return []
    candidates = max(limit * CANDIDATES_PER_RESULT, MIN_CANDIDATES)
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                "SELECT kind, object_id, text FROM pipeline_searchentry,"
                " to_tsquery('simple', %s) AS query"
                " WHERE kind IN ('idea', 'pilot') AND words @@ query"
                " ORDER BY ts_rank(words, query) DESC, object_id DESC"
                " LIMIT %s",
                [_tsquery(terms), candidates],
            )
        else:
            # FTS5 ranks alone first (`ORDER BY rank LIMIT` is its fast path); only the
            # best rows are then read from the entries table.
            cursor.execute(
                "SELECT e.kind, e.object_id, e.text FROM ("
                " SELECT rowid, rank FROM pipeline_searchentry_fts"
                " WHERE pipeline_searchentry_fts MATCH %s ORDER BY rank LIMIT %s) best"
                " JOIN pipeline_searchentry e ON e.id = best.rowid"
                " WHERE e.kind IN ('idea', 'pilot')"
                " ORDER BY best.rank, e.object_id DESC",
                [_fts5_query(terms), candidates],
            )
        rows = cursor.fetchall()
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
