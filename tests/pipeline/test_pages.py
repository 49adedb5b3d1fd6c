"""The idea, pilot and lesson pages as people use them: forms that keep what was typed and
say what is wrong, the moves a person may make offered as buttons, lists in few queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from innohub.pipeline import pilots
from innohub.pipeline.models import Idea, Pilot, Spend
from tests.accounts.helpers import sign_in_verified
from tests.pipeline.factories import IdeaFactory
from tests.services.factories import JourneyPainPointFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_an_idea_from_a_pain_point(client, place, people):
    pain = JourneyPainPointFactory(
        journey_step__journey__service=place["service"], description="Three trips for a stamp"
    )
    web = signed_in(client, people["stranger"])
    page = web.get(reverse("pipeline:idea_new"), {"pain_point": pain.pk})
    assert page.status_code == 200
    assert "Three trips for a stamp" in page.content.decode()
    response = web.post(
        reverse("pipeline:idea_new"),
        {"pain_point": pain.pk, "title": "Stamp online", "problem": "Three trips for a stamp",
         "service": place["service"].pk},
    )  # fmt: skip
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "pipeline:idea_detail", args=[idea.pk]
    )
    assert list(idea.pain_points.all()) == [pain]


def test_a_bad_idea_keeps_what_was_typed_and_names_the_field(client, people):
    web = signed_in(client, people["stranger"])
    response = web.post(
        reverse("pipeline:idea_new"), {"title": "", "problem": "Queues at the bank"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Queues at the bank" in body
    assert not Idea.objects.exists()


def test_similar_ideas_show_beside_the_one_being_written(client, people):
    IdeaFactory(title="জন্ম নিবন্ধন এক দিনে", problem="জন্ম নিবন্ধনের জন্য তিনবার যেতে হয়")
    web = signed_in(client, people["stranger"])
    panel = web.get(reverse("pipeline:idea_similar"), {"text": "জন্ম নিবন্ধন"})
    assert "জন্ম নিবন্ধন এক দিনে" in panel.content.decode()
    assert (
        "similar-ideas" in web.get(reverse("pipeline:idea_similar"), {"text": ""}).content.decode()
    )


def test_support_comment_and_join_from_the_idea_page(client, place, people):
    idea = IdeaFactory(service=place["service"])
    web = signed_in(client, people["stranger"])
    web.post(reverse("pipeline:idea_support", args=[idea.pk]))
    web.post(reverse("pipeline:idea_comment", args=[idea.pk]), {"text": "We tried it in Savar."})
    web.post(reverse("pipeline:idea_join", args=[idea.pk]), {"note": "I know the registrar."})
    page = web.get(reverse("pipeline:idea_detail", args=[idea.pk])).content.decode()
    assert "We tried it in Savar." in page
    assert "Withdraw my support" in page and "You have asked to join this idea." in page
    idea.refresh_from_db()
    assert (idea.supporters_count, idea.comments_count) == (1, 1)
    proposer_view = signed_in(client, idea.proposer).get(
        reverse("pipeline:idea_detail", args=[idea.pk])
    )
    assert "I know the registrar." in proposer_view.content.decode()


def test_start_a_pilot_from_an_idea(client, place, people):
    idea = IdeaFactory(service=place["service"])
    web = signed_in(client, people["lead"])
    bad = web.post(
        reverse("pipeline:pilot_new", args=[idea.pk]),
        {"title": "Try it", "area": "NOWHERE", "organisation": place["office"].pk, "budget": "100", "annual_volume": 10},
    )  # fmt: skip
    assert bad.status_code == 200 and "NOWHERE" in bad.content.decode()
    good = web.post(
        reverse("pipeline:pilot_new", args=[idea.pk]),
        {"title": "Try it", "area": "bd-13-s", "organisation": place["office"].pk, "budget": "100", "annual_volume": 10},
    )  # fmt: skip
    pilot = Pilot.objects.get()
    assert good["Location"] == reverse("pipeline:pilot_detail", args=[pilot.pk])
    assert (pilot.lead, pilot.status, pilot.area) == (people["lead"], "draft", place["upazila"])


def test_the_pilot_page_offers_each_person_their_moves(client, make_pilot, people):
    pilot = make_pilot("submitted")
    url = reverse("pipeline:pilot_detail", args=[pilot.pk])
    lead_page = signed_in(client, people["lead"]).get(url).content.decode()
    assert "Approve" not in lead_page
    client.logout()
    sign_in_verified(client, people["manager"])  # programme managers pass a second factor
    manager_page = client.get(url).content.decode()
    assert "Approve" in manager_page and "Return for changes" in manager_page
    response = client.post(
        reverse("pipeline:pilot_move", args=[pilot.pk]), {"to": "approved", "note": "Good plan"}
    )
    assert response.status_code == 302
    assert Pilot.objects.get(pk=pilot.pk).status == "approved"
    page = client.get(url).content.decode()
    assert "Good plan" in page and "Approved" in page


def test_an_illegal_move_from_the_page_says_why(client, make_pilot, people):
    pilot = make_pilot("ongoing")
    web = signed_in(client, people["lead"])
    response = web.post(
        reverse("pipeline:pilot_move", args=[pilot.pk]),
        {"to": "discontinued", "note": ""},
        follow=True,
    )
    assert "discontinued pilot keeps its lesson" in response.content.decode()
    assert Pilot.objects.get(pk=pilot.pk).status == "ongoing"


def test_overspending_from_the_page_is_refused_beside_the_amount(client, make_pilot, people):
    pilot = make_pilot("ongoing", budget=Decimal("100.00"))
    web = signed_in(client, people["lead"])
    url = reverse("pipeline:pilot_spend", args=[pilot.pk])
    today = timezone.localdate().isoformat()
    response = web.post(url, {"amount": "100.01", "spent_on": today, "note": "Posters"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "100.00 BDT is left" in body and "Posters" in body
    assert not Spend.objects.exists()
    assert web.post(url, {"amount": "100", "spent_on": today}).status_code == 302
    assert signed_in(client, people["stranger"]).get(url).status_code == 403


def test_risks_lessons_and_changes_from_the_page(client, make_pilot, people):
    pilot = make_pilot("ongoing")
    web = signed_in(client, people["lead"])
    web.post(reverse("pipeline:pilot_risk", args=[pilot.pk]),
             {"description": "Power cuts", "likelihood": "4", "impact": "3"})  # fmt: skip
    web.post(reverse("pipeline:pilot_lesson", args=[pilot.pk]), {"text": "Bring a generator."})
    edit = web.post(
        reverse("pipeline:pilot_edit", args=[pilot.pk]),
        {"title": "Renamed", "mentor": people["lead"].username, "budget": "0", "annual_volume": 0},
    )
    assert edit.status_code == 200 and "cannot be the pilot" in edit.content.decode()
    page = web.get(reverse("pipeline:pilot_detail", args=[pilot.pk])).content.decode()
    assert "Power cuts" in page and "Bring a generator." in page


@pytest.mark.parametrize(
    "url_name", ["pipeline:idea_list", "pipeline:pilot_list", "pipeline:lesson_list"]
)
def test_lists_take_the_same_queries_for_3_rows_as_for_30(client, make_pilot, people, url_name):
    def fill(n):
        for _ in range(n):
            pilot = make_pilot("completed")
            pilots.add_lesson(by=people["lead"], pilot=pilot, text="Kept.")

    web = signed_in(client, people["stranger"])
    fill(3)
    web.get(reverse(url_name))
    with CaptureQueriesContext(connection) as few:
        assert web.get(reverse(url_name)).status_code == 200
    fill(27)
    with CaptureQueriesContext(connection) as more:
        web.get(reverse(url_name))
    assert len(few) == len(more), [q["sql"] for q in more.captured_queries]


def test_empty_lists_say_how_to_begin(client, people):
    web = signed_in(client, people["stranger"])
    assert "No ideas yet" in web.get(reverse("pipeline:idea_list")).content.decode()
    assert "No pilots yet" in web.get(reverse("pipeline:pilot_list")).content.decode()
    assert "No lessons yet" in web.get(reverse("pipeline:lesson_list")).content.decode()
    assert "No ideas match" in web.get(reverse("pipeline:idea_list"), {"q": "zzz"}).content.decode()


def test_the_pilot_page_reads_its_impact(client, make_pilot, people):
    from tests.pipeline.test_api_pilots import journeys

    pilot = make_pilot("ongoing", annual_volume=10000)
    journeys(
        pilot, "baseline", [("30", "12", "900", 4), ("26", "10", "700", 3), ("34", "15", "1100", 5)]
    )
    journeys(pilot, "after", [("8", "3", "200", 1), ("10", "4", "260", 2), ("7", "2.5", "150", 1)])
    page = signed_in(client, people["stranger"]).get(
        reverse("pipeline:pilot_detail", args=[pilot.pk])
    )
    body = page.content.decode()
    assert "fewer visits" in body and "95% CI" in body
