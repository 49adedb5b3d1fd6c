"""Similar ideas and pilots, in Bangla, English and French: the words kept, the ranking, the
scores, and the API's answer. Runs on both databases (FTS5 on SQLite, tsvector on
PostgreSQL): the same expectations hold on each."""

from __future__ import annotations

import pytest

from innohub.pipeline import search
from tests.pipeline.factories import IdeaFactory, PilotFactory
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db


def test_words_fold_case_drop_latin_accents_and_keep_bangla_signs():
    assert search.words("Délai de DÉLIVRANCE des certificats") == [
        "delai",
        "delivrance",
        "certificats",
    ]
    # The danda is punctuation; vowel signs and the nukta of য় stay in the word.
    assert search.words("জন্ম নিবন্ধন সনদ পেতে দেরি হয়।") == [
        "জন্ম",
        "নিবন্ধন",
        "সনদ",
        "পেতে",
        "দেরি",
        "হয়",
    ]
    assert search.words("The birth-certificate, it's slow!") == [
        "birth",
        "certificate",
        "s",
        "slow",
    ]
    assert search.words("  ,.;  ") == []


def test_decomposed_and_composed_bangla_are_the_same_word():
    composed = "\u09df"  # য় as one code point
    decomposed = "\u09af\u09bc"  # য + nukta
    assert search.words(f"হ{composed}") == search.words(f"হ{decomposed}")


def test_likeness_is_one_for_the_same_text_and_counts_prefixes():
    words = search.words("birth registration certificate")
    assert search.likeness(words, words) == 1.0
    assert search.likeness(search.words("registr"), search.words("registration office")) > 0
    assert search.likeness(search.words("tax"), search.words("land records")) == 0


def ranked(text: str, limit: int = 10) -> list[tuple[str, int]]:
    return [(match.kind, match.id) for match in search.similar(text, limit=limit)]


def test_bangla_ranking_puts_the_closest_idea_first():
    closest = IdeaFactory(
        title="জন্ম নিবন্ধন অনলাইনে",
        problem="জন্ম নিবন্ধন সনদের জন্য নাগরিকদের তিনবার ইউনিয়ন পরিষদে যেতে হয়",
    )
    partly = IdeaFactory(title="জমির নামজারি", problem="নামজারির জন্য নাগরিকদের অনেকবার অফিসে যেতে হয়")
    IdeaFactory(title="Pension payments by mobile", problem="Pensioners queue at the bank")
    found = ranked("জন্ম নিবন্ধনের জন্য বারবার ইউনিয়ন পরিষদে যেতে হয়")
    assert found[0] == ("idea", closest.pk)
    assert ("idea", partly.pk) in found
    assert len(found) == 2  # the English idea shares no word


def test_english_and_french_ranking_and_pilots_alongside_ideas():
    idea = IdeaFactory(
        title="Birth certificates at the union centre",
        problem="Three visits for a birth certificate",
    )
    pilot = PilotFactory(idea=idea, title="Birth certificate in one visit")
    french = IdeaFactory(
        title="Délivrance des actes de naissance", problem="Délai de délivrance trop long"
    )
    IdeaFactory(title="Land tax receipts", problem="Receipts lost in the post")
    english = ranked("birth certificate visits")
    assert set(english[:2]) == {("idea", idea.pk), ("pilot", pilot.pk)}
    assert ("idea", french.pk) not in english
    assert ranked("delai de delivrance")[0] == ("idea", french.pk)  # accents need not be typed


def test_scores_are_in_zero_to_one_best_first_and_limited():
    for n in range(12):
        IdeaFactory(title=f"Trade licence renewal {n}", problem="Renewal takes weeks")
    matches = search.similar("trade licence renewal takes weeks", limit=5)
    assert len(matches) == 5
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_an_edit_is_found_under_its_new_words(user):
    from innohub.pipeline import ideas

    idea = IdeaFactory(proposer=user, title="Water connection", problem="Slow")
    ideas.update_idea(by=user, idea=idea, title="Electricity connection", problem="Slow")
    assert ranked("electricity") == [("idea", idea.pk)]
    assert ranked("water") == []


def test_the_api_answers_titles_kinds_and_scores(client, user):
    idea = IdeaFactory(title="নাগরিক সনদ ডিজিটাল", problem="সনদ পেতে দেরি")
    api = JsonApi(client, user)
    response = api.get("/ideas/similar", text="সনদ পেতে দেরি হয়", limit=3)
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert (result["kind"], result["id"], result["title"]) == ("idea", idea.pk, idea.title)
    assert 0 < result["score"] <= 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": " ।,. "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "birth", "limit": 51}, "limit"),
        ({"text": "birth", "limit": 0}, "limit"),
        ({}, "text"),
    ],
)
def test_the_api_refuses_what_it_cannot_compare(client, user, params, field):
    response = JsonApi(client, user).get("/ideas/similar", **params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_word_counts_follow_every_write_and_a_recount_agrees(user):
    from innohub.pipeline import ideas
    from innohub.pipeline.models import SearchTerm

    def counts():
        return dict(SearchTerm.objects.exclude(entries=0).values_list("word", "entries"))

    first = IdeaFactory(proposer=user, title="Water connection", problem="Slow water")
    IdeaFactory(title="Water bill", problem="Late")
    assert counts()["water"] == 2 and counts()[""] == 2
    ideas.update_idea(by=user, idea=first, title="Electricity connection", problem="Slow")
    assert counts()["water"] == 1 and counts()["electricity"] == 1 and counts()[""] == 2
    incremental = counts()
    search.recount()
    assert counts() == incremental


def test_common_words_are_left_out_of_what_the_index_is_asked(db):
    from innohub.pipeline.models import SearchTerm

    SearchTerm.objects.bulk_create(
        [
            SearchTerm(word="", entries=100_000),
            SearchTerm(word="citizen", entries=40_000),  # in 40% of entries
            SearchTerm(word="office", entries=30_000),
            SearchTerm(word="mutation", entries=400),
            SearchTerm(word="namjari", entries=12),
        ]
    )
    assert search.telling_words(["citizen", "office", "mutation", "namjari", "registr", "xyz"]) == [
        "namjari",
        "mutation",
        "registr",  # held by no entry whole, but may start longer words
    ]  # "xyz" is neither held nor long enough to start a word: it can match nothing
    # A query of common words alone still asks for its least common few.
    assert search.telling_words(["citizen", "office"]) == ["office", "citizen"]


def test_rebuild_search_writes_every_entry_again(db, user):
    from django.core.management import call_command

    from innohub.pipeline.models import SearchEntry, SearchTerm

    idea = IdeaFactory(title="Union digital centre", problem="Queues")
    PilotFactory(idea=idea, title="Centre pilot")
    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()
    call_command("rebuild_search", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SearchEntry.objects.count() == 2
    assert SearchTerm.objects.get(word="centre").entries == 2
    assert [m.kind for m in search.similar("digital centre")] == ["idea", "pilot"]


def test_words_that_match_nothing_never_crowd_out_those_that_do():
    IdeaFactory(title="Union centre counters", problem="Queues at the union centre")
    text = "Land records found at the union centre Paid a broker to find the file"
    assert [m.kind for m in search.similar(text)] == ["idea"]


def test_a_text_whose_words_can_match_nothing_finds_nothing(client, user):
    """Schemathesis sent `text=c`: a word too short to start others and held by no entry left
    nothing to ask, and SQLite's FTS5 refused the empty query (a 503)."""
    IdeaFactory(title="Union centre counters", problem="Queues")
    assert search.similar("c") == [] and search.similar("x y z") == []
    response = JsonApi(client, user).get("/ideas/similar", text="c")
    assert response.status_code == 200 and response.json() == {"results": []}
