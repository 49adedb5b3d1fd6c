"""Training's pages through the test client: planning a cohort, applying, selecting with the
balance in view, scheduling, attendance in one tap, closing, and the funnel."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from innohub.training import attendance, selection
from innohub.training.models import Application, Cohort, Participant, Programme, Session
from tests.accounts.helpers import sign_in_verified
from tests.factories import ProfileFactory, UserFactory
from tests.training.factories import CohortFactory, ProgrammeFactory
from tests.training.test_attendance import mark, past_cohort


@pytest.fixture
def manager_client(client, crew):
    sign_in_verified(client, crew["manager"])
    return client


def test_a_programme_manager_plans_a_cohort(manager_client, crew):
    start = timezone.localdate() + datetime.timedelta(days=20)
    form = {
        "programme": Programme.objects.get(key="empathy").pk, "title": "Empathy, Sylhet",
        "venue": "Sylhet", "starts_on": start.isoformat(),
        "ends_on": (start - datetime.timedelta(days=1)).isoformat(), "capacity": "30",
        "completion_pct": "80", "trainers": [crew["trainer"].pk],
        "criteria": ["eagerness", "interpersonal_skills"],
    }  # fmt: skip
    response = manager_client.post("/training/cohorts/new/", form)
    assert response.status_code == 200
    assert "A cohort ends on or after the day it starts." in response.content.decode()
    assert response.context["form"].data["title"] == "Empathy, Sylhet"  # what was typed is kept
    form["ends_on"] = (start + datetime.timedelta(days=4)).isoformat()
    response = manager_client.post("/training/cohorts/new/", form)
    cohort = Cohort.objects.get(title="Empathy, Sylhet")
    assert (
        response.status_code == 302
        and response["Location"] == f"/training/cohorts/{cohort.pk}/sessions/"
    )
    assert list(cohort.trainers.all()) == [crew["trainer"]]
    assert cohort.criteria == ["eagerness", "interpersonal_skills"]


def test_only_programme_managers_plan_cohorts(client, crew):
    client.force_login(crew["officers"][0])
    assert client.get("/training/cohorts/new/").status_code == 403
    assert "Plan a cohort" not in client.get("/training/").content.decode()


def test_a_civil_servant_applies_and_sees_only_their_own(client, crew, cohort):
    officer = crew["officers"][0]
    client.force_login(officer)
    page = client.get(f"/training/cohorts/{cohort.pk}/").content.decode()
    assert "Apply for a place" in page
    response = client.post(f"/training/cohorts/{cohort.pk}/apply/", {"motivation": ""})
    assert response.status_code == 200 and "motivation" in response.context["apply_form"].errors
    response = client.post(
        f"/training/cohorts/{cohort.pk}/apply/",
        {"motivation": "Queues at the land office"},
        follow=True,
    )
    page = response.content.decode()
    assert "Your application:" in page and "Queues at the land office" in page
    assert "Applications and selection" not in page
    assert client.get(f"/training/cohorts/{cohort.pk}/applications/").status_code == 403
    assert "Your applications and places" in client.get("/training/").content.decode()


def test_selecting_shows_the_balance_and_refuses_over_capacity(manager_client, crew, cohort):
    ids = [selection.apply(by=o, cohort=cohort, motivation="m").pk for o in crew["officers"]]
    url = f"/training/cohorts/{cohort.pk}/applications/"
    response = manager_client.post(url, {"selected": ids})
    assert response.status_code == 200
    assert "do not fit" in response.content.decode()
    assert not Participant.objects.exists()
    response = manager_client.post(url, {"selected": ids[:2], "waitlisted": ids[3:]})
    assert response.status_code == 302
    page = manager_client.get(url).content.decode()
    assert "Balance of the selection" in page and crew["land"].name in page
    assert Application.objects.get(pk=ids[3]).status == "waitlisted"


def test_scoring_an_application(manager_client, crew, cohort):
    application = selection.apply(by=crew["officers"][0], cohort=cohort, motivation="m")
    url = f"/training/cohorts/{cohort.pk}/applications/{application.pk}/score/"
    response = manager_client.post(url, {"entrepreneurial_drive": "5", "eagerness": "4"})
    assert response.status_code == 302 and response["Location"].endswith(
        f"#application-{application.pk}"
    )
    application.refresh_from_db()
    assert application.scores == {"entrepreneurial_drive": 5, "eagerness": 4}
    assert str(application.score) == "4.50"
    manager_client.post(url, {"eagerness": "9"})
    application.refresh_from_db()
    assert application.scores == {"entrepreneurial_drive": 5, "eagerness": 4}


def test_enrolling_nominees_by_username(manager_client, crew, cohort):
    url = f"/training/cohorts/{cohort.pk}/enrol/"
    response = manager_client.post(url, {"usernames": "officer0\nnobody-here"})
    assert response.status_code == 200 and "nobody-here" in response.content.decode()
    assert manager_client.post(url, {"usernames": "officer0\nofficer1"}).status_code == 302
    assert set(cohort.participants.values_list("user__username", flat=True)) == {
        "officer0",
        "officer1",
    }


def test_scheduling_a_session(manager_client, crew, cohort):
    url = f"/training/cohorts/{cohort.pk}/sessions/"
    day = cohort.starts_on.isoformat()
    response = manager_client.post(
        url, {"title": "Opening", "day": day, "starts_at": "12:00", "ends_at": "09:00"}
    )
    assert "A session ends after it starts." in response.content.decode()
    assert (
        manager_client.post(
            url, {"title": "Opening", "day": day, "starts_at": "09:00", "ends_at": "12:00"}
        ).status_code
        == 302
    )
    session = Session.objects.get(cohort=cohort)
    assert timezone.localtime(session.starts_at).hour == 9


def test_attendance_in_one_tap_and_back(client, crew):
    cohort, sessions = past_cohort(crew)
    client.force_login(crew["trainer"])
    officer = crew["officers"][0]
    url = f"/training/cohorts/{cohort.pk}/sessions/{sessions[0].pk}/attendance/"
    page = client.get(url).content.decode()
    assert page.count('aria-pressed="false"') == 4
    assert client.post(url, {"person": officer.pk, "present": "1"}).status_code == 302
    # The tap says the state wanted: sent twice (a bad connection), it stays present.
    client.post(url, {"person": officer.pk, "present": "1"})
    assert sessions[0].attendance.filter(participant__user=officer).count() == 1
    # With htmx the row alone comes back, no longer pressed.
    row = client.post(
        url, {"person": officer.pk, "present": "0"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'aria-pressed="false"' in row and "<html" not in row
    assert not sessions[0].attendance.exists()
    assert cohort.participants.get(user=officer).attended == 0
    # Someone not selected is refused, nothing saved.
    response = client.post(url, {"person": crew["stranger"].pk, "present": "1"}, follow=True)
    assert "is not selected" in response.content.decode()
    assert not sessions[0].attendance.exists()
    client.force_login(officer)
    assert client.get(url).status_code == 403


def test_a_selected_applicant_gets_the_track_chosen_for_them(manager_client, crew):
    cohort = CohortFactory(
        programme=ProgrammeFactory(tracks=["service", "policy"]), by=crew["manager"]
    )
    application = selection.apply(by=crew["officers"][0], cohort=cohort, motivation="m")
    url = f"/training/cohorts/{cohort.pk}/applications/"
    assert 'name="track-' in manager_client.get(url).content.decode()
    response = manager_client.post(
        url, {"selected": [application.pk], f"track-{application.pk}": "policy"}
    )
    assert response.status_code == 302
    assert cohort.participants.get().track == "policy"


def test_people_enrolled_by_their_ministry_find_their_place(client, crew, cohort):
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:1])
    client.force_login(crew["officers"][0])
    page = client.get("/training/").content.decode()
    assert "Enrolled by your ministry" in page and cohort.title in page
    assert "Empathy training" in page  # the programmes, below


def test_closing_and_certificates_on_the_participants_page(manager_client, crew):
    cohort, sessions = past_cohort(crew)
    mark(crew, sessions, crew["officers"][:1])
    url = f"/training/cohorts/{cohort.pk}/participants/"
    assert "Would complete now" in manager_client.get(url).content.decode()
    response = manager_client.post(f"/training/cohorts/{cohort.pk}/close/", follow=True)
    page = response.content.decode()
    assert "1 of 4 completed it" in page and "Certificate" in page
    response = manager_client.post(f"/training/cohorts/{cohort.pk}/close/", follow=True)
    assert "The cohort is closed." in response.content.decode()


def test_closing_early_is_refused_on_the_page(manager_client, crew):
    cohort = CohortFactory(by=crew["manager"])
    response = manager_client.post(f"/training/cohorts/{cohort.pk}/close/", follow=True)
    assert "no sessions" in response.content.decode()


def test_the_progress_page_draws_the_funnel_with_its_table(manager_client, crew):
    cohort, sessions = past_cohort(crew)
    mark(crew, sessions, crew["officers"][:2])
    attendance.close(by=crew["manager"], cohort=cohort)
    response = manager_client.get(f"/training/cohorts/{cohort.pk}/progress/")
    page = response.content.decode()
    assert response.context["chart"]["values"] == [4, 2, 0, 0, 0, 0]
    assert "Completed the course" in page and 'data-chart="funnel-chart"' in page
    programme = manager_client.get(f"/training/programmes/{cohort.programme_id}/")
    assert programme.status_code == 200 and cohort.title in programme.content.decode()


def test_the_cohort_list_costs_the_same_queries_for_more_cohorts(client, crew):
    client.force_login(crew["officers"][0])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/training/").status_code == 200
        return len(captured)

    CohortFactory.create_batch(2, trainers=[crew["trainer"]])
    few = queries()
    CohortFactory.create_batch(10, trainers=[crew["trainer"]])
    assert queries() == few


def test_the_applications_page_costs_the_same_queries_for_more_applicants(manager_client, crew):
    cohort = CohortFactory(capacity=100, by=crew["manager"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert (
                manager_client.get(f"/training/cohorts/{cohort.pk}/applications/").status_code
                == 200
            )
        return len(captured)

    for officer in crew["officers"]:
        selection.apply(by=officer, cohort=cohort, motivation="m")
    few = queries()
    for _ in range(10):
        person = UserFactory()
        ProfileFactory(user=person, organisation=crew["health"])
        selection.apply(by=person, cohort=cohort, motivation="m")
    assert queries() == few
