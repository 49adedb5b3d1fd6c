"""The exercises' pages as a cohort uses them: hopes and fears grouped into themes (by hand,
from suggestions, by the move form without JavaScript), secret-shopper assignments and their
debrief, Policy Lab concepts that become ideas once, and the end-of-course survey."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innohub.pipeline.models import Idea
from innohub.services.models import JourneyStatus
from innohub.training import exercises, selection
from innohub.training import feedback as survey
from innohub.training.models import Assignment, Concept, Feedback, Note, Theme
from tests.accounts.helpers import sign_in_verified
from tests.factories import UserFactory
from tests.services.factories import (
    JourneyFactory,
    JourneyPainPointFactory,
    JourneyStepFactory,
    ServiceFactory,
)
from tests.training.conftest import days_from_today
from tests.training.factories import CohortFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def participants(crew, cohort):
    """The first two officers, selected for the cohort."""
    people = crew["officers"][:2]
    selection.enrol(by=crew["manager"], cohort=cohort, users=people)
    return people


def url(name, cohort):
    return reverse(f"training:{name}", args=[cohort.pk])


def page_of(client, name, cohort):
    response = client.get(url(name, cohort))
    assert response.status_code == 200
    return response.content.decode()


# --- Hopes and fears ------------------------------------------------------------------------


def test_a_participant_posts_a_hope_and_the_cohort_sees_it(client, crew, cohort, participants):
    web = signed_in(client, participants[0])
    assert "No notes yet" in page_of(web, "notes", cohort)
    empty = web.post(url("note_post", cohort), {"kind": "hope", "text": "  "})
    assert empty.status_code == 200 and "govuk-error-summary" in empty.content.decode()
    posted = web.post(url("note_post", cohort), {"kind": "hope", "text": "Citizens in one visit"})
    assert posted.status_code == 302
    assert posted["Location"] == url("notes", cohort) + "#board"
    note = Note.objects.get()
    assert (note.author, note.kind, note.text) == (participants[0], "hope", "Citizens in one visit")
    assert "Citizens in one visit" in page_of(web, "notes", cohort)
    # The participant neither groups notes nor gets the facilitator's forms.
    page = page_of(web, "notes", cohort)
    assert "Suggested groups" not in page and "data-move-form" not in page
    assert "js/training/themes.js" not in page
    trainer_page = page_of(signed_in(client, crew["trainer"]), "notes", cohort)
    assert "Citizens in one visit" in trainer_page and "js/training/themes.js" in trainer_page


def test_a_stranger_may_neither_see_nor_post_notes(client, crew, cohort, participants):
    web = signed_in(client, crew["stranger"])
    assert web.get(url("notes", cohort)).status_code == 403
    refused = web.post(url("note_post", cohort), {"kind": "fear", "text": "Nobody listens"})
    assert refused.status_code == 403
    assert not Note.objects.exists()


def post_notes(cohort, author, *texts, kind="fear"):
    return [exercises.post_note(by=author, cohort=cohort, kind=kind, text=text) for text in texts]


def test_a_theme_groups_the_notes_ticked(client, crew, cohort, participants):
    queue, papers, _other = post_notes(
        cohort, participants[0], "Long queues", "Too many papers", "Nobody listens"
    )
    web = signed_in(client, crew["trainer"])
    body = {"form": "theme", "theme-title": "Waiting", "theme-notes": [queue.pk, papers.pk]}
    made = web.post(url("theme_new", cohort), body)
    assert made.status_code == 302
    theme = Theme.objects.get()
    assert theme.title == "Waiting"
    assert set(theme.notes.values_list("text", flat=True)) == {"Long queues", "Too many papers"}
    page = page_of(web, "notes", cohort)
    box = page.split(f'data-theme="{theme.pk}"')[1].split("data-board-empty")[0]
    assert "Long queues" in box and "Too many papers" in box and "Nobody listens" not in box
    unthemed = page.split('data-theme="0"')[1].split(f'data-theme="{theme.pk}"')[0]
    assert "Nobody listens" in unthemed
    nameless = web.post(url("theme_new", cohort), {"form": "theme", "theme-title": " "})
    assert nameless.status_code == 200 and "govuk-error-summary" in nameless.content.decode()
    assert Theme.objects.count() == 1
    participant = signed_in(client, participants[0])
    assert participant.post(url("theme_new", cohort), body).status_code == 403


def test_the_move_form_works_without_javascript(client, crew, cohort, participants):
    (note,) = post_notes(cohort, participants[0], "Long queues")
    theme = exercises.create_theme(by=crew["trainer"], cohort=cohort, title="Waiting")
    web = signed_in(client, crew["trainer"])
    page = page_of(web, "notes", cohort)
    assert f'id="move-{note.pk}"' in page and f'<option value="{theme.pk}">Waiting</option>' in page
    moved = web.post(url("note_move", cohort), {"note": note.pk, "theme": theme.pk})
    assert moved.status_code == 302 and moved["Location"].endswith(f"#note-{note.pk}")
    note.refresh_from_db()
    assert note.theme == theme
    assert "The note is moved." in web.get(moved["Location"]).content.decode()
    back = web.post(url("note_move", cohort), {"note": note.pk, "theme": "0"})
    assert back.status_code == 302
    note.refresh_from_db()
    assert note.theme is None
    # themes.js sends the same form asking for JSON.
    answer = web.post(
        url("note_move", cohort),
        {"note": note.pk, "theme": theme.pk},
        headers={"accept": "application/json"},
    )
    assert answer.status_code == 200 and answer.json() == {"note": note.pk, "theme": theme.pk}
    elsewhere = exercises.create_theme(
        by=crew["manager"], cohort=CohortFactory(by=crew["manager"]), title="Elsewhere"
    )
    refused = web.post(url("note_move", cohort), {"note": note.pk, "theme": elsewhere.pk})
    assert refused.status_code == 302
    assert "Choose a theme of the note" in web.get(refused["Location"]).content.decode()
    as_json = web.post(
        url("note_move", cohort),
        {"note": note.pk, "theme": elsewhere.pk},
        headers={"accept": "application/json"},
    )
    assert as_json.status_code == 422 and "error" in as_json.json()
    note.refresh_from_db()
    assert note.theme == theme
    participant = signed_in(client, participants[0])
    assert participant.post(url("note_move", cohort), {"note": note.pk}).status_code == 403


def test_suggestions_group_alike_notes_in_english_and_bangla(client, crew, cohort, participants):
    bangla = post_notes(cohort, participants[0], "ভূমি অফিসে দীর্ঘ লাইন", "ভূমি অফিসের লাইন")
    english = post_notes(
        cohort, participants[1], "Long queues at the land office", "The land office queues"
    )
    post_notes(cohort, participants[1], "I hope to learn design thinking", kind="hope")
    web = signed_in(client, crew["trainer"])
    page = page_of(web, "notes", cohort)
    assert "Suggested groups" in page
    assert 'name="form" value="s1"' in page and 'name="form" value="s2"' in page
    assert 'name="form" value="s3"' not in page
    groups = {
        prefix: {
            int(pk) for pk in re.findall(rf'name="{prefix}-notes" value="(\d+)"[^>]*checked', page)
        }
        for prefix in ("s1", "s2")
    }
    assert sorted(groups.values(), key=min) == [{n.pk for n in bangla}, {n.pk for n in english}]
    group = next(prefix for prefix, ticked in groups.items() if bangla[0].pk in ticked)
    body = {"form": group, f"{group}-title": "ভূমি অফিস", f"{group}-notes": [n.pk for n in bangla]}
    assert web.post(url("theme_new", cohort), body).status_code == 302
    theme = Theme.objects.get()
    assert theme.title == "ভূমি অফিস"
    assert set(theme.notes.all()) == set(bangla)
    after = page_of(web, "notes", cohort)
    assert 'name="form" value="s1"' in after and 'name="form" value="s2"' not in after


def test_an_empty_board_says_so_to_the_facilitator(client, crew, cohort):
    page = page_of(signed_in(client, crew["trainer"]), "notes", cohort)
    assert "No notes yet" in page and "No suggestions" in page


# --- Secret shopper -------------------------------------------------------------------------


def test_a_manager_assigns_a_service_and_the_participant_is_asked_to_record_a_journey(
    client, crew, cohort, participants
):
    service = ServiceFactory(name="Land record correction")
    manager = client
    sign_in_verified(manager, crew["manager"])
    page = page_of(manager, "secret_shopper", cohort)
    assert "Assign a service" in page and "Land record correction" in page
    body = {"participant": participants[0].pk, "service": service.pk}
    made = manager.post(url("assign", cohort), body)
    assert made.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.participant, assignment.service) == (participants[0], service)
    again = manager.post(url("assign", cohort), body)
    assert again.status_code == 200
    assert "already has that service" in again.content.decode()
    assert Assignment.objects.count() == 1
    outsider = manager.post(url("assign", cohort), {**body, "participant": crew["stranger"].pk})
    assert outsider.status_code == 200 and "govuk-error-summary" in outsider.content.decode()
    web = signed_in(client, participants[0])
    mine = page_of(web, "secret_shopper", cohort)
    record = f"{reverse('services:journey_start')}?service={service.pk}"
    assert record in mine and "Record a journey" in mine
    assert "Assign a service" not in mine
    assert web.post(url("assign", cohort), body).status_code == 403
    other = page_of(signed_in(client, participants[1]), "secret_shopper", cohort)
    assert record not in other and "No service is assigned to you yet" in other
    assert signed_in(client, crew["stranger"]).get(url("secret_shopper", cohort)).status_code == 403


def journey_of(person, service, day, *, days="2.00", pain="Waited all day.", **options):
    journey = JourneyFactory(observer=person, service=service, observed_on=day, **options)
    step = JourneyStepFactory(journey=journey, elapsed_days=Decimal(days))
    JourneyPainPointFactory(journey_step=step, description=pain)
    return journey


def test_the_debrief_shows_the_journeys_observed_during_the_cohort_only(
    client, crew, cohort, participants
):
    service = ServiceFactory(name="Land record correction")
    exercises.assign(
        by=crew["trainer"], cohort=cohort, participant=participants[0], service=service
    )
    first_day = cohort.starts_on
    journey_of(participants[0], service, first_day, days="3.00", pain="Counter shut at noon")
    journey_of(participants[0], service, cohort.ends_on, days="5.00", pain="Asked for a bribe")
    journey_of(
        participants[0], service, first_day - datetime.timedelta(days=1), pain="Before the course"
    )
    journey_of(
        participants[0], service, cohort.ends_on + datetime.timedelta(days=1), pain="After it"
    )
    journey_of(participants[0], ServiceFactory(), first_day, pain="Another service")
    journey_of(participants[1], service, first_day, pain="Someone else's journey")
    journey_of(
        participants[0], service, first_day, days="40.00", pain="Still a draft",
        status=JourneyStatus.DRAFT,
    )  # fmt: skip
    page = page_of(signed_in(client, participants[1]), "secret_shopper", cohort)
    debrief = page.split('id="debrief"')[1].split('id="findings"')[0]
    assert "Counter shut at noon" in debrief and "Asked for a bribe" in debrief
    assert "Still a draft" in debrief and "Draft" in debrief
    for outside in ("Before the course", "After it", "Another service", "Someone else"):
        assert outside not in debrief
    assert "1 pain point" in debrief
    findings = page.split('id="findings"')[1]
    row = findings.split("Land record correction")[1].split("</tr>")[0]
    # Two finished journeys (3 and 5 days): the draft counts in no finding.
    assert ">2<" in row and "4.00" in row and "150.00" in row


def test_the_debrief_reads_as_many_queries_for_many_participants_as_for_one(client, crew):
    cohort = CohortFactory(by=crew["manager"], trainers=[crew["trainer"]])
    service = ServiceFactory()
    web = signed_in(client, crew["trainer"])

    def take_part(people):
        selection.enrol(by=crew["manager"], cohort=cohort, users=people)
        for person in people:
            exercises.assign(by=crew["trainer"], cohort=cohort, participant=person, service=service)
            journey_of(person, service, cohort.starts_on)
            journey_of(person, service, cohort.ends_on, status=JourneyStatus.DRAFT)

    def queries():
        with CaptureQueriesContext(connection) as read:
            page = web.get(url("secret_shopper", cohort))
        assert page.status_code == 200
        return len(read), page.content.decode()

    take_part([UserFactory()])
    one, page = queries()
    assert page.count("1 pain point") == 2
    take_part([UserFactory() for _ in range(6)])
    seven, page = queries()
    assert page.count("1 pain point") == 14
    assert seven == one


# --- Policy Lab -----------------------------------------------------------------------------


@pytest.fixture
def lab(crew):
    """A cohort of a programme with a service track and a policy track."""
    programme = ProgrammeFactory(tracks=["service", "policy"])
    cohort = CohortFactory(programme=programme, by=crew["manager"], trainers=[crew["trainer"]])
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:2])
    return cohort


def test_a_concept_is_written_in_a_track_of_a_tracked_programme(client, crew, lab):
    officer, teammate = crew["officers"][:2]
    web = signed_in(client, officer)
    page = page_of(web, "concepts", lab)
    assert 'name="track" value="service"' in page and 'name="track" value="policy"' in page
    assert "No concept yet" in page
    assert teammate.name in page  # offered as a team member
    body = {"title": "Pension in one visit", "problem": "21 documents", "team": [teammate.pk]}
    untracked = web.post(url("concepts", lab), body)
    assert untracked.status_code == 200 and "govuk-error-summary" in untracked.content.decode()
    assert not Concept.objects.exists()
    made = web.post(url("concepts", lab), {**body, "track": "policy"})
    concept = Concept.objects.get()
    assert made.status_code == 302 and made["Location"].endswith(f"#concept-{concept.pk}")
    assert (concept.track, list(concept.team.all())) == ("policy", [teammate])
    page = page_of(web, "concepts", lab)
    policy = page.split("Track: policy")[1]
    assert "Pension in one visit" in policy and "21 documents" in policy
    assert "Pension in one visit" not in page.split("Track: policy")[0]
    assert "Turn it into an idea" in page


def test_concepts_are_one_list_where_the_programme_has_no_tracks(
    client, crew, cohort, participants
):
    exercises.write_concept(
        by=participants[0], cohort=cohort, title="Birth in a day", problem="Queues"
    )
    page = page_of(signed_in(client, participants[0]), "concepts", cohort)
    assert 'name="track"' not in page and "Track:" not in page and "Birth in a day" in page
    assert signed_in(client, crew["stranger"]).get(url("concepts", cohort)).status_code == 403


def test_turning_a_concept_into_an_idea_makes_one_idea_once(client, crew, lab):
    officer = crew["officers"][0]
    concept = exercises.write_concept(
        by=officer,
        cohort=lab,
        track="service",
        title="Pension in one visit",
        problem="21 documents",
    )
    turn = reverse("training:concept_idea", args=[concept.pk])
    web = signed_in(client, officer)
    assert web.get(turn).status_code == 405
    made = web.post(turn)
    idea = Idea.objects.get()
    assert made.status_code == 302
    assert made["Location"] == reverse("pipeline:idea_detail", args=[idea.pk])
    assert (idea.title, idea.proposer) == ("Pension in one visit", officer)
    again = web.post(turn, follow=True)
    assert again.status_code == 200
    assert "This concept is an idea already." in again.content.decode()
    assert Idea.objects.count() == 1
    page = page_of(web, "concepts", lab)
    assert reverse("pipeline:idea_detail", args=[idea.pk]) in page
    assert "Turn it into an idea" not in page


def test_someone_outside_the_team_is_refused_the_idea_with_a_message(client, crew, lab):
    concept = exercises.write_concept(
        by=crew["officers"][0], cohort=lab, track="policy", title="One form", problem="Five forms"
    )
    web = signed_in(client, crew["officers"][1])
    assert "Turn it into an idea" not in page_of(web, "concepts", lab)
    refused = web.post(reverse("training:concept_idea", args=[concept.pk]), follow=True)
    assert refused.status_code == 200 and "Only the concept" in refused.content.decode()
    assert not Idea.objects.exists()


# --- Feedback -------------------------------------------------------------------------------


@pytest.fixture
def ended(crew):
    """A cohort whose last day was yesterday, with three participants."""
    cohort = CohortFactory(
        by=crew["manager"],
        trainers=[crew["trainer"]],
        starts_on=days_from_today(-5),
        ends_on=days_from_today(-1),
    )
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:3])
    return cohort


ANSWERS = {"overall": "4", "relevance": "5", "facilitation": "3", "recommend": "yes"}


def test_a_participant_rates_the_course_once(client, crew, ended):
    web = signed_in(client, crew["officers"][0])
    page = page_of(web, "feedback", ended)
    assert "How good was the course overall?" in page and "Results" not in page
    incomplete = web.post(url("feedback", ended), {"overall": "4"})
    assert incomplete.status_code == 200 and "govuk-error-summary" in incomplete.content.decode()
    given = web.post(url("feedback", ended), {**ANSWERS, "comment": "More field work"})
    assert given.status_code == 302
    answer = Feedback.objects.get()
    assert (answer.overall, answer.recommend, answer.comment) == (4, True, "More field work")
    thanks = page_of(web, "feedback", ended)
    assert "Thank you for your feedback" in thanks and "More field work" in thanks
    assert 'name="overall"' not in thanks
    again = web.post(url("feedback", ended), {**ANSWERS, "overall": "1"})
    assert again.status_code == 200
    assert "You have given your feedback on this course already." in again.content.decode()
    assert Feedback.objects.get().overall == 4


def test_the_survey_opens_on_the_last_day(client, crew, cohort, participants):
    page = page_of(signed_in(client, participants[0]), "feedback", cohort)
    assert "The survey opens on the course" in page and 'name="overall"' not in page


def test_trainers_see_the_results_and_strangers_nothing(client, crew, ended):
    for officer, overall, recommend, comment in [
        (crew["officers"][0], 4, True, "More field work"),
        (crew["officers"][1], 5, False, ""),
    ]:
        survey.give_feedback(
            by=officer, cohort=ended, overall=overall, relevance=3, facilitation=4,
            recommend=recommend, comment=comment,
        )  # fmt: skip
    page = page_of(signed_in(client, crew["trainer"]), "feedback", ended)
    results = page.split('id="results"')[1]
    assert "4.5 of 5 on average" in results and "3.0 of 5 on average" in results
    assert "50%" in results and "More field work" in results
    assert 'name="overall"' not in page
    assert (
        signed_in(client, crew["trainer"]).post(url("feedback", ended), ANSWERS).status_code == 403
    )
    manager = client
    sign_in_verified(manager, crew["manager"])
    assert "4.5 of 5 on average" in page_of(manager, "feedback", ended)
    assert signed_in(client, crew["stranger"]).get(url("feedback", ended)).status_code == 403
