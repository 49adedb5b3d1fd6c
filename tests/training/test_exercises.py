"""Hopes and fears, theme suggestions (Bangla too), secret-shopper assignments, concepts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innohub.core.errors import Conflict
from innohub.pipeline.models import Idea
from innohub.training import exercises, selection
from innohub.training.models import Note
from tests.services.factories import ServiceFactory
from tests.training.factories import CohortFactory, ProgrammeFactory


@pytest.fixture
def room(crew, cohort):
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:3])
    return cohort


def test_participants_post_hopes_and_fears_and_strangers_do_not(crew, room):
    note = exercises.post_note(
        by=crew["officers"][0], cohort=room, kind="hope", text=" Fewer visits "
    )
    assert (note.kind, note.text) == ("hope", "Fewer visits")
    with pytest.raises(PermissionDenied):
        exercises.post_note(by=crew["stranger"], cohort=room, kind="fear", text="x")
    with pytest.raises(ValidationError) as error:
        exercises.post_note(by=crew["officers"][0], cohort=room, kind="wish", text="")
    assert set(error.value.message_dict) == {"kind", "text"}


def test_a_theme_groups_notes_of_its_cohort_only(crew, room):
    notes = [
        exercises.post_note(by=crew["officers"][0], cohort=room, kind="fear", text=text)
        for text in ("No time after work", "My boss says no")
    ]
    elsewhere = Note.objects.create(
        cohort=CohortFactory(), author=crew["stranger"], kind="hope", text="other"
    )
    with pytest.raises(ValidationError) as error:
        exercises.create_theme(
            by=crew["trainer"], cohort=room, title="Time", notes=[notes[0].pk, elsewhere.pk]
        )
    assert list(error.value.message_dict) == ["notes.1"]
    theme = exercises.create_theme(
        by=crew["trainer"], cohort=room, title="Time", notes=[notes[0].pk]
    )
    assert list(theme.notes.values_list("pk", flat=True)) == [notes[0].pk]
    with pytest.raises(PermissionDenied):
        exercises.create_theme(by=crew["officers"][0], cohort=room, title="Mine")
    exercises.move_note(by=crew["trainer"], note=notes[1], theme=theme)
    assert theme.notes.count() == 2


def test_suggested_groups_find_alike_notes_in_english_and_bangla(crew, room):
    texts = [
        "Long queues at the land office",
        "The land office queues are too long",
        "ভূমি অফিসে দীর্ঘ লাইন",
        "ভূমি অফিসের লাইন অনেক দীর্ঘ",
        "I fear my manager will not allow it",
    ]
    notes = [
        exercises.post_note(by=crew["officers"][0], cohort=room, kind="fear", text=text)
        for text in texts
    ]
    groups = exercises.suggest_themes(room)
    as_sets = [set(group.notes) for group in groups]
    assert {notes[0].pk, notes[1].pk} in as_sets
    assert {notes[2].pk, notes[3].pk} in as_sets
    assert all(notes[4].pk not in group for group in as_sets)
    english = next(group for group in groups if notes[0].pk in group.notes)
    assert len(english.words) == 3
    assert set(english.words) <= {"land", "office", "queues", "long"}
    # Notes in a theme are not suggested again.
    exercises.create_theme(by=crew["trainer"], cohort=room, title="Queues", notes=english.notes)
    assert all(notes[0].pk not in group.notes for group in exercises.suggest_themes(room))


def test_a_secret_shopper_assignment_is_for_a_participant_once(crew, room):
    service = ServiceFactory()
    exercises.assign(
        by=crew["trainer"], cohort=room, participant=crew["officers"][0], service=service
    )
    with pytest.raises(Conflict):
        exercises.assign(
            by=crew["trainer"], cohort=room, participant=crew["officers"][0], service=service
        )
    with pytest.raises(ValidationError) as error:
        exercises.assign(
            by=crew["trainer"], cohort=room, participant=crew["stranger"], service=service
        )
    assert list(error.value.message_dict) == ["participant"]


def test_a_concept_needs_a_track_where_the_programme_has_them(crew):
    cohort = CohortFactory(programme=ProgrammeFactory(tracks=["service", "policy"]))
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:2])
    with pytest.raises(ValidationError) as error:
        exercises.write_concept(
            by=crew["officers"][0], cohort=cohort, title="One-stop", problem="Three offices",
            track=None, team=[crew["stranger"]],
        )  # fmt: skip
    assert set(error.value.message_dict) == {"track", "team.0"}
    with pytest.raises(ValidationError) as error:
        exercises.write_concept(
            by=crew["officers"][0], cohort=cohort, title="One-stop", problem="x", track="law"
        )
    assert list(error.value.message_dict) == ["track"]


def test_a_concept_becomes_an_idea_once_keeping_its_cohort(crew, room):
    concept = exercises.write_concept(
        by=crew["officers"][0], cohort=room, title="Mutation in one visit",
        problem="Three visits to the land office", users="Land owners", proposal="Online form",
        team=crew["officers"][:2],
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        exercises.turn_into_idea(by=crew["stranger"], concept=concept)
    idea = exercises.turn_into_idea(by=crew["officers"][1], concept=concept)
    assert (idea.title, idea.problem, idea.who_suffers, idea.proposed_change) == (
        "Mutation in one visit", "Three visits to the land office", "Land owners", "Online form",
    )  # fmt: skip
    assert idea.proposer == crew["officers"][1]  # a team member turned it: theirs
    assert idea.concept.cohort == room
    with pytest.raises(Conflict):
        exercises.turn_into_idea(by=crew["officers"][0], concept=concept)
    assert Idea.objects.count() == 1


def test_a_trainer_turning_a_concept_gives_it_to_its_author(crew, room):
    concept = exercises.write_concept(by=crew["officers"][0], cohort=room, title="T", problem="P")
    idea = exercises.turn_into_idea(by=crew["trainer"], concept=concept)
    assert idea.proposer == crew["officers"][0]
