"""Mentor suggestions, a mentor's load, and mentoring notes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innohub.accounts.models import UserSkill
from innohub.core import roles
from innohub.pipeline import mentors, pilots
from innohub.pipeline.models import MentoringNote, Pilot
from tests.factories import ProfileFactory, SkillFactory, UserFactory
from tests.geo.conftest import person_in
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_pilot, place, people):
    design, survey = SkillFactory(name="Service design"), SkillFactory(name="Survey methods")
    pilot = make_pilot("draft", mentor=None)
    pilot.idea.skills.set([design, survey])
    UserSkill.objects.create(user=people["lead"], skill=design)
    both = UserFactory(first_name="Both", last_name="Skills")
    UserSkill.objects.create(user=both, skill=design)
    UserSkill.objects.create(user=both, skill=survey)
    one = UserFactory(first_name="One", last_name="Skill")
    UserSkill.objects.create(user=one, skill=survey)
    busy = UserFactory(first_name="Busy", last_name="Mentor")
    UserSkill.objects.create(user=busy, skill=design)
    UserSkill.objects.create(user=busy, skill=survey)
    for _ in range(3):
        make_pilot("ongoing", mentor=busy)
    neighbour = UserFactory(first_name="Near", last_name="By")
    ProfileFactory(user=neighbour, area=place["upazila"])
    mentor = person_in(roles.MENTOR, first_name="A", last_name="Mentor")
    gone = UserFactory(is_active=False)
    UserSkill.objects.create(user=gone, skill=design)
    return {"pilot": pilot, "both": both, "one": one, "busy": busy, "near": neighbour,
            "mentor": mentor, "gone": gone}  # fmt: skip


def test_suggestions_rank_shared_skills_place_and_load(world, people):
    found = mentors.suggestions(world["pilot"])
    order = [s.user for s in found]
    assert order[0] == world["both"]  # 2 shared skills, no mentees: 6
    assert order.index(world["both"]) < order.index(world["busy"])  # same skills, 3 mentees
    assert people["lead"] not in order and world["gone"] not in order
    assert {world["near"], world["mentor"], world["one"]} <= set(order)
    both = found[0]
    assert both.score == 6 and both.load == 0
    assert both.reasons[0] == "2 shared skills: Service design, Survey methods"
    busy = next(s for s in found if s.user == world["busy"])
    assert busy.load == 3 and busy.score == 6 - 3 and "mentors 3 pilots now" in busy.reasons


def test_suggestions_take_the_same_queries_for_many_people(world, make_pilot):
    with CaptureQueriesContext(connection) as few:
        mentors.suggestions(world["pilot"])
    for _ in range(20):
        UserSkill.objects.create(user=UserFactory(), skill=world["pilot"].idea.skills.first())
    with CaptureQueriesContext(connection) as more:
        mentors.suggestions(world["pilot"])
    assert len(few) == len(more)


def test_the_api_answers_suggestions(client, world, people):
    body = (
        JsonApi(client, people["stranger"])
        .get(f"/pilots/{world['pilot'].pk}/mentor-suggestions")
        .json()
    )
    assert body[0] == {
        "user": world["both"].pk, "name": "Both Skills", "score": 6,
        "reasons": ["2 shared skills: Service design, Survey methods", "mentors 0 pilots now"],
        "load": 0,
    }  # fmt: skip
    assert (
        JsonApi(client, people["stranger"]).get("/pilots/999999/mentor-suggestions").status_code
        == 404
    )


def test_the_lead_names_a_suggested_mentor_from_the_page(client, world, people):
    pilot = world["pilot"]
    client.force_login(people["lead"])
    page = client.get(reverse("pipeline:pilot_detail", args=[pilot.pk])).content.decode()
    assert "Suggested mentors" in page and "Name Both Skills as mentor" in page
    client.post(reverse("pipeline:pilot_mentor", args=[pilot.pk]), {"mentor": world["both"].pk})
    assert Pilot.objects.get(pk=pilot.pk).mentor == world["both"]
    page = client.get(reverse("pipeline:pilot_detail", args=[pilot.pk])).content.decode()
    assert "mentors 0 pilots now" in page  # a draft is no load yet
    client.force_login(people["stranger"])
    assert (
        "Suggested mentors"
        not in client.get(reverse("pipeline:pilot_detail", args=[pilot.pk])).content.decode()
    )
    client.post(reverse("pipeline:pilot_mentor", args=[pilot.pk]), {"mentor": world["one"].pk})
    assert Pilot.objects.get(pk=pilot.pk).mentor == world["both"]


def test_mentoring_notes_by_the_mentor_or_lead_seen_by_the_pilots_people(
    client, make_pilot, people
):
    pilot = make_pilot("ongoing")
    today = timezone.localdate()
    note = pilots.add_mentoring_note(
        by=people["mentor"], pilot=pilot, met_on=today, text="Ask the clerks."
    )
    assert note.author == people["mentor"]
    with pytest.raises(PermissionDenied):
        pilots.add_mentoring_note(by=people["stranger"], pilot=pilot, met_on=today, text="x")
    with pytest.raises(ValidationError) as refused:
        pilots.add_mentoring_note(
            by=people["lead"], pilot=pilot, met_on=today + datetime.timedelta(days=1), text=""
        )
    assert set(refused.value.message_dict) == {"met_on", "text"}
    client.force_login(people["lead"])
    client.post(
        reverse("pipeline:pilot_note", args=[pilot.pk]),
        {"met_on": today.isoformat(), "text": "Met the UNO."},
    )
    assert MentoringNote.objects.count() == 2
    url = reverse("pipeline:pilot_detail", args=[pilot.pk])
    assert "Met the UNO." in client.get(url).content.decode()
    client.force_login(people["stranger"])
    assert "Met the UNO." not in client.get(url).content.decode()
