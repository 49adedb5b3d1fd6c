"""The pages: citizens' (no account, no script, 422/409/429 with clear pages) and officers'
(entering other channels, findings, responses, KPIs)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innohub.engagement import services
from innohub.engagement.models import Contribution, Finding, Response
from tests.engagement.conftest import days_from_today, open_consultation
from tests.engagement.test_contributions import say

pytestmark = pytest.mark.django_db


def public(consultation):
    return reverse("engagement:public_detail", args=[consultation.pk])


def test_the_public_page_needs_no_account_and_loads_no_script(client, consultation):
    response = client.get(public(consultation))
    assert response.status_code == 200
    page = response.content.decode()
    assert consultation.question in page
    assert "<script src" not in page and '<script type="module"' not in page  # no file
    assert 'name="consent"' in page and 'name="text"' in page
    assert client.get(reverse("engagement:public_list")).status_code == 200


def test_a_citizen_contributes_and_sees_thanks(client, consultation, place):
    response = client.post(
        public(consultation),
        {"text": "Please open on Fridays.", "area": place["dhaka"].pk, "satisfaction": "3"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:public_thanks", args=[consultation.pk])
    made = Contribution.objects.get()
    assert (made.channel, made.area, made.satisfaction, made.name) == (
        "online", place["dhaka"], 3, ""
    )  # fmt: skip


def test_a_name_without_consent_comes_back_beside_the_field(client, consultation):
    response = client.post(public(consultation), {"text": "Slow.", "name": "Rahima"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tick that you agree" in page and 'value="Rahima"' in page
    assert not Contribution.objects.exists()
    response = client.post(
        public(consultation), {"text": "Slow.", "name": "Rahima", "consent": "on"}
    )
    assert response.status_code == 302
    assert Contribution.objects.get().name == "Rahima"


def test_a_closed_consultation_shows_no_form_and_refuses_a_post(client, place):
    closed = open_consultation(place, opens_on=days_from_today(-9), closes_on=days_from_today(-2))
    page = client.get(public(closed)).content.decode()
    assert 'name="text"' not in page and "Closed on" in page
    assert "How to take part" not in page
    response = client.post(public(closed), {"text": "Late."})
    assert response.status_code == 409
    assert "closed on" in response.content.decode()
    assert not Contribution.objects.exists()


def test_too_many_answers_get_a_clear_page_with_retry_after(client, consultation, settings):
    settings.ENGAGEMENT_CONTRIBUTIONS_PER_HOUR = 10
    for n in range(10):
        assert client.post(public(consultation), {"text": f"Answer {n}"}).status_code == 302
    response = client.post(public(consultation), {"text": "One more"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many answers for now" in response.content.decode()
    assert Contribution.objects.count() == 10


def test_a_robot_filling_every_box_is_thanked_and_nothing_is_kept(client, consultation):
    response = client.post(public(consultation), {"text": "Buy now", "website": "http://spam"})
    assert response.status_code == 302
    assert not Contribution.objects.exists()


def test_you_said_we_did_and_small_groups_suppressed(client, consultation, place):
    said = [say(consultation, text=f"Queue {n}", satisfaction=4) for n in range(3)]
    finding = services.create_finding(
        by=place["officer"], consultation=consultation, title="The queue takes all day",
        contributions=[said[0].pk],
    )  # fmt: skip
    services.respond(
        by=place["officer"], finding=finding, text="A second counter opened on 1 March.",
        responded_on=days_from_today(0),
    )  # fmt: skip
    page = client.get(public(consultation)).content.decode()
    assert "The queue takes all day" in page and "A second counter opened" in page
    assert "Fewer than 5 people so far" in page
    assert "Queue 1" not in page  # citizens' words are not published


def test_the_public_page_costs_the_same_queries_with_more_findings(
    client, consultation, place, django_assert_num_queries
):
    def add_finding(n):
        made = services.create_finding(
            by=place["officer"], consultation=consultation, title=f"F{n}",
            contributions=[say(consultation).pk],
        )  # fmt: skip
        services.respond(by=place["officer"], finding=made, text="Done.",
                         responded_on=days_from_today(0))  # fmt: skip

    add_finding(0)
    client.get(public(consultation))
    # Session-less: the consultation, its findings, their responses, the districts.
    with django_assert_num_queries(4):
        client.get(public(consultation))
    for n in range(1, 6):
        add_finding(n)
    with django_assert_num_queries(4):
        client.get(public(consultation))


def test_an_officer_enters_a_phone_call_and_writes_a_finding_with_a_response(
    client, consultation, place
):
    client.force_login(place["officer"])
    page = reverse("engagement:consultation_detail", args=[consultation.pk])
    assert client.get(page).status_code == 200
    response = client.post(
        reverse("engagement:contribution_new", args=[consultation.pk]),
        {"channel": "phone", "text": "The fee is not written anywhere.", "area": "bd-13"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    called = Contribution.objects.get()
    assert (called.channel, called.entered_by, called.area) == (
        "phone",
        place["officer"],
        place["dhaka"],
    )
    response = client.post(
        reverse("engagement:finding_new", args=[consultation.pk]),
        {"title": "Fees are unclear", "contributions": [called.pk]},
    )
    finding = Finding.objects.get()
    assert response["Location"] == reverse("engagement:finding_detail", args=[finding.pk])
    assert client.get(response["Location"]).status_code == 200
    response = client.post(
        reverse("engagement:response_new", args=[finding.pk]),
        {"text": "The fees are on a board.", "kind": "service_change",
         "responded_on": days_from_today(0).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    assert Response.objects.get().finding == finding
    future = client.post(
        reverse("engagement:response_new", args=[finding.pk]),
        {"text": "Later.", "kind": "policy", "responded_on": days_from_today(3).isoformat()},
    )
    assert future.status_code == 200
    assert "not in the future" in future.content.decode()


def test_officers_of_another_ministry_cannot_enter_contributions(client, consultation, place):
    client.force_login(place["stranger"])
    response = client.post(
        reverse("engagement:contribution_new", args=[consultation.pk]),
        {"channel": "phone", "text": "x"},
    )
    assert response.status_code == 403
    page = client.get(reverse("engagement:consultation_detail", args=[consultation.pk]))
    assert 'name="channel"' not in page.content.decode()


def test_an_officer_starts_a_consultation(client, place):
    client.force_login(place["officer"])
    response = client.post(
        reverse("engagement:consultation_new"),
        {"title": "Birth registration", "question": "What would help?",
         "organisation": place["office"].pk, "opens_on": "2026-01-01", "closes_on": "2025-12-01",
         "channels": ["online"], "retention_days": 30},
    )  # fmt: skip
    assert response.status_code == 200
    assert "closes on or after" in response.content.decode()


def test_the_organisation_page_shows_the_roll_up(
    client, consultation, place, django_assert_num_queries
):
    say(consultation, area=place["dhaka"])
    client.force_login(place["officer"])
    url = reverse("engagement:organisation_kpis", args=[place["land"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"Dhaka" in response.content
    open_consultation(place, title="Another")
    with django_assert_num_queries(8):
        client.get(url)


def test_the_public_page_speaks_bangla(client, consultation):
    response = client.get(public(consultation), headers={"Accept-Language": "bn"})
    page = response.content.decode()
    assert 'lang="bn"' in page
    assert "আপনার উত্তর পাঠান" in page  # "Send your answer"
    assert "আপনি বলেছেন, আমরা করেছি" in page  # "You said, we did"


def test_the_lists_cost_the_same_queries_for_more_consultations(
    client, place, django_assert_num_queries
):
    open_consultation(place)
    open_consultation(place, title="Closed", opens_on=days_from_today(-30),
                      closes_on=days_from_today(-20))  # fmt: skip
    client.get(reverse("engagement:public_list"))
    # Session-less: per list a count and a page (organisations joined).
    with django_assert_num_queries(4):
        client.get(reverse("engagement:public_list"))
    for n in range(5):
        open_consultation(place, title=f"More {n}")
        open_consultation(place, title=f"Closed {n}", opens_on=days_from_today(-30),
                          closes_on=days_from_today(-20))  # fmt: skip
    with django_assert_num_queries(4):
        client.get(reverse("engagement:public_list"))
    client.force_login(place["officer"])
    client.get(reverse("engagement:consultation_list"))
    with django_assert_num_queries(8):
        client.get(reverse("engagement:consultation_list"))
    open_consultation(place, title="One more")
    with django_assert_num_queries(8):
        client.get(reverse("engagement:consultation_list"))


def test_an_officer_changes_the_consultation_but_not_a_settled_closing_day(
    client, consultation, place
):
    edit = reverse("engagement:consultation_edit", args=[consultation.pk])
    client.force_login(place["stranger"])
    assert client.get(edit).status_code == 403
    client.force_login(place["officer"])
    page = client.get(edit).content.decode()
    assert consultation.question in page and 'name="organisation"' not in page
    form = {
        "title": "Land mutation in Savar",
        "question": consultation.question,
        "opens_on": str(consultation.opens_on),
        "closes_on": str(days_from_today(30)),
        "channels": ["online", "phone"],
        "retention_days": "60",
    }
    refused = client.post(edit, {**form, "closes_on": str(days_from_today(-30))})
    assert "A consultation closes on or after the day it opens." in refused.content.decode()
    assert client.post(edit, form).status_code == 302
    consultation.refresh_from_db()
    assert (consultation.title, consultation.channels, consultation.retention_days) == (
        "Land mutation in Savar",
        ["online", "phone"],
        60,
    )
    contribution = say(consultation, "Open on Fridays.")
    finding = services.create_finding(
        by=place["officer"],
        consultation=consultation,
        title="Fridays",
        contributions=[contribution.pk],
    )
    services.respond(by=place["officer"], finding=finding, text="Open on Fridays.",
                     responded_on=days_from_today(0))  # fmt: skip
    settled = client.post(edit, {**form, "closes_on": str(days_from_today(40))})
    assert "The closing day is settled" in settled.content.decode()
    consultation.refresh_from_db()
    assert consultation.closes_on == days_from_today(30)
