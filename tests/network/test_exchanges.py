"""Out of the office: recording an exchange, the reflection (not before the last day), the
follow-up (not before the reflection), and the worker's reminders when it falls due."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from innohub.accounts.models import Notification
from innohub.core import roles, schedule
from innohub.network import exchanges
from innohub.network.models import Exchange
from tests.factories import OrganisationFactory, UserFactory
from tests.geo.conftest import person_in
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def body(**fields):
    return {
        "kind": "learning_visit",
        "host": "University of Dhaka, Institute of Governance Studies",
        "starts_on": str(TODAY - datetime.timedelta(days=3)),
        "ends_on": str(TODAY - datetime.timedelta(days=1)),
        "plan": "See how their one-stop counter works.",
        **fields,
    }


def test_record_reflect_then_follow_up(client, user):
    api = JsonApi(client, user)
    partner = OrganisationFactory(
        kind="partner", name="University of Dhaka", partner_type="university"
    )
    made = api.post("/exchanges", body(host_organisation=partner.pk))
    assert made.status_code == 201, made.json()
    exchange = made.json()
    ends = TODAY - datetime.timedelta(days=1)
    assert exchange["person"] == user.pk and exchange["host_organisation"] == partner.pk
    assert exchange["follow_up_due"] == str(ends + datetime.timedelta(weeks=6))

    early = api.post(f"/exchanges/{exchange['id']}/follow-up", {"changed_at_home": "x"})
    assert early.status_code == 409  # the reflection first
    reflected = api.post(f"/exchanges/{exchange['id']}/reflection", {"text": "Queues by token."})
    assert reflected.status_code == 200 and reflected.json()["reflection"] == "Queues by token."
    done = api.post(
        f"/exchanges/{exchange['id']}/follow-up", {"changed_at_home": "Tokens at our counter."}
    )
    assert done.status_code == 200 and done.json()["follow_up"] == "Tokens at our counter."
    other = JsonApi(client, UserFactory()).post(
        f"/exchanges/{exchange['id']}/reflection", {"text": "Mine"}
    )
    assert other.status_code == 403
    assert api.get("/exchanges", kind="learning_visit").json()["count"] == 1


def test_no_reflection_before_the_last_day_and_bad_dates_are_named(client, user):
    api = JsonApi(client, user)
    future = api.post(
        "/exchanges",
        body(
            starts_on=str(TODAY),
            ends_on=str(TODAY + datetime.timedelta(days=30)),
            kind="secondment",
        ),
    ).json()
    assert api.post(f"/exchanges/{future['id']}/reflection", {"text": "x"}).status_code == 409
    backwards = api.post("/exchanges", body(ends_on=str(TODAY - datetime.timedelta(days=10))))
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "ends_on"
    assert api.post("/exchanges", body(kind="holiday")).status_code == 422
    assert api.post("/exchanges", body(person=UserFactory().pk)).status_code == 403
    manager = JsonApi(client, person_in(roles.PROGRAMME_MANAGER))
    for_someone = manager.post("/exchanges", body(person=user.pk))
    assert for_someone.status_code == 201 and for_someone.json()["person"] == user.pk


def test_the_worker_reminds_when_the_follow_up_falls_due_once_a_week(settings):
    person = UserFactory(email="o@example.org")
    ended = TODAY - datetime.timedelta(weeks=6)
    exchange = exchanges.record_exchange(
        by=person, kind="field_day", host="Savar union digital centre",
        starts_on=ended, ends_on=ended, plan="Sit at the counter.",
    )  # fmt: skip
    not_yet = exchanges.record_exchange(
        by=person, kind="field_day", host="Dhamrai", starts_on=TODAY, ends_on=TODAY, plan="Look",
    )  # fmt: skip
    assert exchange.follow_up_due == TODAY and not_yet.follow_up_due > TODAY

    assert exchanges.remind(TODAY.isoformat()) == 1
    [note] = Notification.objects.filter(user=person)
    assert note.url == f"/network/exchanges/{exchange.pk}/"
    assert exchanges.remind(TODAY.isoformat()) == 0  # not twice in a week
    next_week = (TODAY + datetime.timedelta(days=7)).isoformat()
    assert exchanges.remind(next_week) == 1
    Exchange.objects.filter(pk=exchange.pk).update(followed_up_at=timezone.now())
    assert exchanges.remind((TODAY + datetime.timedelta(days=14)).isoformat()) == 0


def test_the_schedule_runs_the_reminders_every_day():
    now = timezone.now()
    assert f"{exchanges.DUTY} {timezone.localdate().isoformat()}" in schedule.tick(now)
    assert [done for done in schedule.tick(now) if done.startswith(exchanges.DUTY)] == []
