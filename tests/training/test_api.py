"""The training API as a program sees it (docs/api.md, "Training"): the contract's shapes,
statuses and field names, iCalendar read back with `icalendar`, certificates with pdftotext."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import zoneinfo

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone

from innohub.training import attendance, selection
from innohub.training.models import Programme
from tests.factories import OrganisationFactory
from tests.pipeline.factories import PilotFactory
from tests.services.factories import JsonApi, ServiceFactory
from tests.training.factories import CohortFactory, ProgrammeFactory, SessionFactory, at
from tests.training.test_attendance import mark, past_cohort

COHORT_FIELDS = {
    "id", "programme", "title", "institute", "venue", "starts_on", "ends_on",
    "applications_close_on", "capacity", "completion_pct", "criteria", "trainers", "status",
    "applications", "selected", "completed", "closed_on",
}  # fmt: skip


def test_the_two_templates_exist_after_migrate(client, crew):
    body = JsonApi(client, crew["officers"][0]).get("/programmes").json()
    by_name = {programme["name"]: programme for programme in body["results"]}
    empathy = by_name["Empathy training"]
    assert (empathy["days"], empathy["tracks"]) == (5, [])
    lab = by_name["Public sector innovation fundamentals and Policy Lab"]
    assert (lab["days"], lab["tracks"]) == (5, ["service", "policy"])
    assert {module["day"] for module in lab["modules"]} == {1, 2, 3, 4, 5}
    assert {"day", "title", "goals"} <= set(lab["modules"][0])


def test_programme_managers_create_programmes_with_modules_in_their_days(client, crew):
    api = JsonApi(client, crew["manager"])
    response = api.post(
        "/programmes",
        {"name": "Design sprint", "days": 2, "tracks": ["digital"],
         "modules": [{"day": 3, "title": "Too late"}, {"day": 1, "title": "Map", "track": "law"}]},
    )  # fmt: skip
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"modules.0.day", "modules.1.track"}
    response = api.post(
        "/programmes",
        {"name": "Design sprint", "days": 2, "modules": [{"day": 2, "title": "Test"}]},
    )
    assert response.status_code == 201
    assert (
        JsonApi(client, crew["officers"][0])
        .post("/programmes", {"name": "x", "days": 1})
        .status_code
        == 403
    )


def test_a_cohort_as_the_contract_has_it(client, crew):
    institute = OrganisationFactory(kind="institute", name="BCS Administration Academy")
    programme = Programme.objects.get(key="empathy")
    start = timezone.localdate() + datetime.timedelta(days=30)
    payload = {
        "programme": programme.pk, "title": "Empathy training, Rajshahi", "institute": institute.pk,
        "venue": "Rajshahi", "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=4)).isoformat(), "capacity": 25,
        "trainers": [crew["trainer"].pk],
    }  # fmt: skip
    response = JsonApi(client, crew["manager"]).post("/cohorts", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == COHORT_FIELDS
    assert (body["completion_pct"], body["status"], body["trainers"]) == (
        80,
        "open",
        [crew["trainer"].pk],
    )
    assert body["applications_close_on"] == (start - datetime.timedelta(days=1)).isoformat()
    assert JsonApi(client, crew["officers"][0]).post("/cohorts", payload).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": "2020-01-01"}, "ends_on"),
        ({"capacity": 0}, "capacity"),
        ({"completion_pct": 101}, "completion_pct"),
        ({"programme": 999_999}, "programme"),
        ({"institute": "ministry"}, "institute"),
        ({"trainers": [999_999]}, "trainers.0"),
    ],
)
def test_a_bad_cohort_is_refused_naming_the_field(client, crew, change, field):
    if change.get("institute") == "ministry":
        change = {"institute": crew["land"].pk}
    payload = {
        "programme": Programme.objects.get(key="empathy").pk, "title": "T",
        "starts_on": "2030-03-01", "ends_on": "2030-03-05", "capacity": 10, **change,
    }  # fmt: skip
    response = JsonApi(client, crew["manager"]).post("/cohorts", payload)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_sessions_in_the_cohorts_days_with_offsets(client, crew, cohort):
    api = JsonApi(client, crew["manager"])
    day = cohort.starts_on.isoformat()
    response = api.post(
        f"/cohorts/{cohort.pk}/sessions",
        {"title": "Opening", "starts_at": f"{day}T09:00", "ends_at": f"{day}T12:30"},
    )
    assert response.status_code == 201, response.json()
    # Without an offset, in TIME_ZONE.
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    starts = datetime.datetime.fromisoformat(response.json()["starts_at"])
    assert starts.astimezone(local).hour == 9
    for body, field in [
        (
            {
                "title": "Back to front",
                "starts_at": f"{day}T12:00",
                "ends_at": f"{day}T09:00+06:00",
            },
            "ends_at",
        ),
        (
            {"title": "Before", "starts_at": "2020-01-01T09:00", "ends_at": "2020-01-01T10:00"},
            "starts_at",
        ),
        ({"title": "Number", "starts_at": 1700000000, "ends_at": f"{day}T10:00"}, "starts_at"),
        (
            {
                "title": "Track",
                "starts_at": f"{day}T13:00",
                "ends_at": f"{day}T14:00",
                "track": "policy",
            },
            "track",
        ),
    ]:
        response = api.post(f"/cohorts/{cohort.pk}/sessions", body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field


def test_applying_and_who_reads_applications(client, crew, cohort):
    officer = crew["officers"][0]
    api = JsonApi(client, officer)
    response = api.post(
        f"/cohorts/{cohort.pk}/applications", {"motivation": "I run the land office."}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["cohort"], body["applicant"], body["status"]) == (cohort.pk, officer.pk, "applied")
    assert (
        api.post(f"/cohorts/{cohort.pk}/applications", {"motivation": "again"}).status_code == 409
    )
    assert [item["id"] for item in api.get("/me/applications").json()["results"]] == [body["id"]]
    # A participant sees their own application, never others'.
    assert api.get(f"/cohorts/{cohort.pk}/applications").status_code == 403
    for reader in ("manager", "trainer", "administrator"):
        listed = JsonApi(client, crew[reader]).get(f"/cohorts/{cohort.pk}/applications")
        assert listed.status_code == 200 and listed.json()["count"] == 1
    started = CohortFactory(starts_on=timezone.localdate())
    assert (
        api.post(f"/cohorts/{started.pk}/applications", {"motivation": "late"}).status_code == 409
    )


def test_selection_with_its_balance_and_capacity(client, crew, cohort):
    ids = [
        selection.apply(by=officer, cohort=cohort, motivation="m").pk
        for officer in crew["officers"]
    ]
    api = JsonApi(client, crew["manager"])
    response = api.post(
        f"/cohorts/{cohort.pk}/selection", {"selected": ids[:3], "waitlisted": ids[3:]}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert sorted(body["selected"]) == sorted(ids[:3]) and body["waitlisted"] == ids[3:]
    assert body["balance"]["gender"] == {"female": 2, "male": 1}
    assert body["balance"]["ministry"] == {str(crew["land"].pk): 2, str(crew["health"].pk): 1}
    response = api.post(f"/cohorts/{cohort.pk}/selection", {"selected": ids[3:]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "selected"
    assert (
        JsonApi(client, crew["trainer"])
        .post(f"/cohorts/{cohort.pk}/selection", {"selected": []})
        .status_code
        == 403
    )


def test_selection_gives_tracks_where_the_programme_has_them(client, crew):
    cohort = CohortFactory(
        programme=ProgrammeFactory(tracks=["service", "policy"]), by=crew["manager"]
    )
    first, second = (
        selection.apply(by=o, cohort=cohort, motivation="m").pk for o in crew["officers"][:2]
    )
    api = JsonApi(client, crew["manager"])
    bad = api.post(
        f"/cohorts/{cohort.pk}/selection", {"selected": [first], "tracks": {str(first): "law"}}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == f"tracks.{first}"
    body = {"selected": [first, second], "tracks": {str(first): "service"}}
    assert api.post(f"/cohorts/{cohort.pk}/selection", body).status_code == 200
    assert dict(cohort.participants.values_list("application_id", "track")) == {
        first: "service",
        second: "",
    }


def test_direct_enrolment_within_capacity(client, crew, cohort):
    api = JsonApi(client, crew["manager"])
    officers = [officer.pk for officer in crew["officers"]]
    response = api.post(f"/cohorts/{cohort.pk}/participants", {"users": officers})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "users"
    response = api.post(f"/cohorts/{cohort.pk}/participants", {"users": officers[:2]})
    assert response.status_code == 200
    assert {row["user"] for row in response.json()} == set(officers[:2])
    response = api.post(f"/cohorts/{cohort.pk}/participants", {"users": [999_999]})
    assert response.json()["errors"][0]["field"] == "users.0"


def test_attendance_participants_and_closing(client, crew):
    cohort, sessions = past_cohort(crew)
    officers = crew["officers"]
    api = JsonApi(client, crew["trainer"])
    url = f"/cohorts/{cohort.pk}/sessions/{{}}/attendance"
    response = api.put(
        url.format(sessions[0].pk), {"present": [officers[0].pk, crew["stranger"].pk]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "present.1"
    for session in sessions[:4]:
        assert api.put(url.format(session.pk), {"present": [officers[0].pk]}).status_code == 200
    rows = {row["user"]: row for row in api.get(f"/cohorts/{cohort.pk}/participants").json()}
    assert rows[officers[0].pk] == {
        "user": officers[0].pk,
        "track": "",
        "attended": 4,
        "sessions": 5,
        "completed": True,
    }
    assert rows[officers[1].pk]["completed"] is False
    # Attendance is for the people running the cohort.
    assert JsonApi(client, officers[0]).get(f"/cohorts/{cohort.pk}/participants").status_code == 403
    assert api.post(f"/cohorts/{cohort.pk}/close").status_code == 403  # trainers do not close
    closed = JsonApi(client, crew["manager"]).post(f"/cohorts/{cohort.pk}/close")
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["completed"]) == ("closed", 1)
    assert JsonApi(client, crew["manager"]).post(f"/cohorts/{cohort.pk}/close").status_code == 409
    assert api.put(url.format(sessions[0].pk), {"present": []}).status_code == 409


def test_closing_early_is_refused(client, crew, cohort):
    SessionFactory(cohort=cohort)
    response = JsonApi(client, crew["manager"]).post(f"/cohorts/{cohort.pk}/close")
    assert response.status_code == 409


def test_calendars_parse_back_with_their_time_zone(client, crew):
    cohort, sessions = past_cohort(crew, sessions=2)
    api = JsonApi(client, crew["officers"][0])
    response = api.get(f"/cohorts/{cohort.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(event["UID"]) for event in events] == [
        f"training-session-{s.pk}@innohub" for s in sessions
    ]
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == [settings.TIME_ZONE]
    first = events[0]
    assert first["DTSTART"].params["TZID"] == settings.TIME_ZONE
    assert first.decoded("DTSTART") == sessions[0].starts_at
    assert first.decoded("DTEND") == sessions[0].ends_at
    # The same calendar twice keeps its UIDs: a calendar program updates, not duplicates.
    again = icalendar.Calendar.from_ical(api.get(f"/cohorts/{cohort.pk}/calendar.ics").content)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in events]
    mine = icalendar.Calendar.from_ical(api.get("/me/calendar.ics").content)
    assert len(mine.walk("VEVENT")) == 2
    stranger = icalendar.Calendar.from_ical(
        JsonApi(client, crew["stranger"]).get("/me/calendar.ics").content
    )
    assert stranger.walk("VEVENT") == []


def test_my_calendar_has_my_tracks_sessions_only(client, crew):
    programme = ProgrammeFactory(tracks=["service", "policy"])
    cohort, _shared = past_cohort(crew, sessions=1, programme=programme)
    day = cohort.starts_on + datetime.timedelta(days=1)
    SessionFactory(cohort=cohort, track="service", starts_at=at(day, 9))
    SessionFactory(cohort=cohort, track="policy", starts_at=at(day, 9))
    cohort.participants.filter(user=crew["officers"][0]).update(track="service")
    mine = icalendar.Calendar.from_ical(
        JsonApi(client, crew["officers"][0]).get("/me/calendar.ics").content
    )
    assert len(mine.walk("VEVENT")) == 2
    trainer = icalendar.Calendar.from_ical(
        JsonApi(client, crew["trainer"]).get("/me/calendar.ics").content
    )
    assert len(trainer.walk("VEVENT")) == 3


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_a_certificate_in_the_holders_language(client, crew):
    cohort, sessions = past_cohort(crew)
    holder = crew["officers"][0]
    holder.first_name, holder.last_name, holder.language = "নুসরাত", "জাহান", "bn"
    holder.save()
    mark(crew, sessions, [holder])
    attendance.close(by=crew["manager"], cohort=cohort)
    api = JsonApi(client, holder)
    response = api.get(f"/cohorts/{cohort.pk}/certificates/{holder.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert cohort.programme.name in text
    # pdftotext may reorder a vowel sign drawn before its letter: words without one.
    assert "জাহান" in text
    assert "Certificate of completion" not in text  # written in Bangla
    # Someone who did not complete has no certificate; nobody reads another's.
    other = crew["officers"][1]
    trainer = JsonApi(client, crew["trainer"])
    assert trainer.get(f"/cohorts/{cohort.pk}/certificates/{other.pk}.pdf").status_code == 404
    assert trainer.get(f"/cohorts/{cohort.pk}/certificates/{holder.pk}.pdf").status_code == 200
    stranger = JsonApi(client, crew["stranger"])
    assert stranger.get(f"/cohorts/{cohort.pk}/certificates/{holder.pk}.pdf").status_code == 404


def test_a_concept_turned_into_an_idea_names_its_cohort(client, crew, cohort):
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:2])
    api = JsonApi(client, crew["officers"][0])
    response = api.post(
        f"/cohorts/{cohort.pk}/concepts",
        {"track": None, "title": "Land records at the union", "problem": "Three trips",
         "users": "Farmers", "proposal": "Digital centre", "next_step": "Ask the AC Land",
         "team": [crew["officers"][1].pk]},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    concept = response.json()
    assert concept["team"] == [crew["officers"][1].pk] and concept["idea"] is None
    made = api.post(f"/concepts/{concept['id']}/idea")
    assert made.status_code == 201
    assert made.json()["origin_cohort"] == cohort.pk
    assert api.get(f"/ideas/{made.json()['id']}").json()["origin_cohort"] == cohort.pk
    assert api.post(f"/concepts/{concept['id']}/idea").status_code == 409
    listed = api.get("/ideas").json()["results"]
    assert [item["origin_cohort"] for item in listed] == [cohort.pk]


def test_hopes_fears_themes_and_suggestions(client, crew, cohort):
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:1])
    api = JsonApi(client, crew["officers"][0])
    notes = [
        api.post(f"/cohorts/{cohort.pk}/notes", {"kind": kind, "text": text}).json()["id"]
        for kind, text in [
            ("fear", "ভূমি অফিসে দীর্ঘ লাইন"),
            ("fear", "ভূমি অফিসের লাইন"),
            ("hope", "Less paper"),
        ]
    ]
    assert api.get(f"/cohorts/{cohort.pk}/theme-suggestions").status_code == 403
    trainer = JsonApi(client, crew["trainer"])
    suggestions = trainer.get(f"/cohorts/{cohort.pk}/theme-suggestions").json()
    assert suggestions[0]["notes"] == notes[:2]
    theme = trainer.post(f"/cohorts/{cohort.pk}/themes", {"title": "Queues", "notes": notes[:2]})
    assert theme.status_code == 201 and theme.json()["notes"] == notes[:2]
    assert JsonApi(client, crew["stranger"]).get(f"/cohorts/{cohort.pk}/notes").status_code == 403


def test_the_cohort_funnel_counts_people_who_went_on(client, crew):
    cohort, sessions = past_cohort(crew)
    first, second, *_ = crew["officers"]
    mark(crew, sessions, [first, second])
    attendance.close(by=crew["manager"], cohort=cohort)
    PilotFactory(lead=first, idea__proposer=first, status="completed")
    PilotFactory(lead=first, idea__proposer=first)
    body = JsonApi(client, crew["manager"]).get(f"/cohorts/{cohort.pk}/funnel").json()
    assert body == {
        "selected": 4,
        "completed": 2,
        "ideas": 1,
        "designs": 0,
        "pilots": 1,
        "completed_pilots": 1,
    }


def test_assignments_need_a_participant_and_a_service(client, crew, cohort):
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:1])
    api = JsonApi(client, crew["trainer"])
    service = ServiceFactory()
    body = {"participant": crew["officers"][0].pk, "service": service.pk}
    assert api.post(f"/cohorts/{cohort.pk}/assignments", body).status_code == 201
    assert api.post(f"/cohorts/{cohort.pk}/assignments", body).status_code == 409
    bad = api.post(f"/cohorts/{cohort.pk}/assignments", {**body, "service": 999_999})
    assert bad.json()["errors"][0]["field"] == "service"
