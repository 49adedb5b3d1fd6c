"""The pilot's writes against the database: who may move it (worked out from groups, places
and teams), what a move records, the budget rules, and changes to a pilot."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innohub.core.errors import Conflict
from innohub.pipeline import pilots
from innohub.pipeline.models import Lesson, Pilot, PilotEvent, Spend

pytestmark = pytest.mark.django_db

# Who may approve a submitted pilot, among the people of conftest's `people`.
APPROVERS = {"manager", "team_member", "administrator"}
EVERYONE = ("lead", "mentor", "stranger", "manager", "far_manager", "team_member", "administrator")


@pytest.mark.parametrize("who", EVERYONE)
def test_only_an_approver_who_neither_leads_nor_mentors_approves(make_pilot, people, who):
    pilot = make_pilot("submitted")
    if who in APPROVERS:
        moved = pilots.move(by=people[who], pilot=pilot, to="approved")
        assert moved.status == "approved"
        event = PilotEvent.objects.get(pilot=pilot)
        assert (event.from_status, event.to_status, event.by) == (
            "submitted",
            "approved",
            people[who],
        )
    else:
        with pytest.raises(PermissionDenied):
            pilots.move(by=people[who], pilot=pilot, to="approved")
        assert Pilot.objects.get(pk=pilot.pk).status == "submitted"
        assert not PilotEvent.objects.exists()


@pytest.mark.parametrize("role", ["lead", "mentor"])
def test_an_administrator_never_approves_what_they_lead_or_mentor(make_pilot, people, role):
    pilot = make_pilot("submitted", **{role: people["administrator"]})
    with pytest.raises(PermissionDenied, match="lead or mentor"):
        pilots.move(by=people["administrator"], pilot=pilot, to="approved")
    with pytest.raises(PermissionDenied, match="lead or mentor"):
        pilots.move(by=people["administrator"], pilot=pilot, to="draft")


def test_a_programme_manager_of_another_district_is_no_approver(make_pilot, people):
    pilot = make_pilot("submitted")
    with pytest.raises(PermissionDenied, match="programme manager"):
        pilots.move(by=people["far_manager"], pilot=pilot, to="draft")


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_lead_submits_starts_and_completes(make_pilot, people, who):
    pilot = make_pilot("draft")
    if who == "lead":
        for to in ("submitted",):
            pilots.move(by=people[who], pilot=pilot, to=to)
        assert Pilot.objects.get(pk=pilot.pk).status == "submitted"
    else:
        with pytest.raises(PermissionDenied):
            pilots.move(by=people[who], pilot=pilot, to="submitted")


def test_submitting_needs_a_mentor(make_pilot, people):
    pilot = make_pilot("draft", mentor=None)
    with pytest.raises(Conflict, match="mentor"):
        pilots.move(by=people["lead"], pilot=pilot, to="submitted")


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("draft", "approved"),
        ("draft", "ongoing"),
        ("completed", "ongoing"),
        ("ongoing", "draft"),
        ("discontinued", "ongoing"),
        ("draft", "draft"),
        ("submitted", "completed"),
    ],
)
def test_a_move_the_machine_has_not_is_409_whoever_asks(make_pilot, people, start, to):
    pilot = make_pilot(start)
    for who in ("lead", "administrator"):
        with pytest.raises(Conflict, match="cannot move"):
            pilots.move(by=people[who], pilot=pilot, to=to)


def test_a_whole_life_sets_its_dates_and_records_every_move(make_pilot, people):
    pilot = make_pilot("draft")
    today = timezone.localdate()
    pilots.move(by=people["lead"], pilot=pilot, to="submitted", note="Ready.")
    pilots.move(by=people["manager"], pilot=pilot, to="draft", note="Say how you will measure.")
    pilots.move(by=people["lead"], pilot=pilot, to="submitted")
    pilots.move(by=people["team_member"], pilot=pilot, to="approved")
    started = pilots.move(by=people["lead"], pilot=pilot, to="ongoing")
    assert started.started_on == today and started.ended_on is None
    done = pilots.move(by=people["lead"], pilot=pilot, to="completed")
    assert done.ended_on == today
    events = list(
        PilotEvent.objects.filter(pilot=pilot).values_list("from_status", "to_status", "note")
    )
    assert events == [
        ("draft", "submitted", "Ready."),
        ("submitted", "draft", "Say how you will measure."),
        ("draft", "submitted", ""),
        ("submitted", "approved", ""),
        ("approved", "ongoing", ""),
        ("ongoing", "completed", ""),
    ]


def test_starting_keeps_a_start_date_already_set(make_pilot, people):
    pilot = make_pilot("approved", started_on=datetime.date(2026, 1, 5))
    assert pilots.move(by=people["lead"], pilot=pilot, to="ongoing").started_on == datetime.date(
        2026, 1, 5
    )


@pytest.mark.parametrize("who", ["lead", "manager", "team_member"])
def test_discontinuing_needs_a_note_which_becomes_a_lesson(make_pilot, people, who):
    pilot = make_pilot("ongoing")
    with pytest.raises(ValidationError) as refused:
        pilots.move(by=people[who], pilot=pilot, to="discontinued", note="   ")
    assert "note" in refused.value.message_dict
    assert Pilot.objects.get(pk=pilot.pk).status == "ongoing"
    pilots.move(by=people[who], pilot=pilot, to="discontinued", note="Citizens had no phones.")
    lesson = Lesson.objects.get(pilot=pilot)
    assert (lesson.text, lesson.by) == ("Citizens had no phones.", people[who])


def test_the_mentor_and_strangers_cannot_discontinue(make_pilot, people):
    pilot = make_pilot("approved")
    for who in ("mentor", "stranger", "far_manager"):
        with pytest.raises(PermissionDenied):
            pilots.move(by=people[who], pilot=pilot, to="discontinued", note="No.")


# --- Spending -------------------------------------------------------------------------------


def test_spending_adds_up_to_the_budget_and_not_a_cent_more(make_pilot, people):
    pilot = make_pilot("ongoing", budget=Decimal("1000.00"))
    day = timezone.localdate()
    pilots.record_spend(by=people["lead"], pilot=pilot, amount="600.00", spent_on=day)
    pilots.record_spend(by=people["mentor"], pilot=pilot, amount=Decimal("400"), spent_on=day)
    assert Pilot.objects.get(pk=pilot.pk).spent == Decimal("1000.00")
    with pytest.raises(ValidationError) as refused:
        pilots.record_spend(by=people["lead"], pilot=pilot, amount="0.01", spent_on=day)
    message = refused.value.message_dict["amount"][0]
    assert "1000.01" in message and "0.00 BDT is left" in message
    assert Spend.objects.filter(pilot=pilot).count() == 2
    assert Pilot.objects.get(pk=pilot.pk).spent == Decimal("1000.00")


@pytest.mark.parametrize("status", ["draft", "submitted", "completed", "discontinued"])
def test_spending_only_while_approved_or_ongoing(make_pilot, people, status):
    pilot = make_pilot(status, budget=Decimal("1000.00"))
    with pytest.raises(Conflict, match="approved or ongoing"):
        pilots.record_spend(
            by=people["lead"], pilot=pilot, amount="10", spent_on=timezone.localdate()
        )
    assert not Spend.objects.exists()


@pytest.mark.parametrize(
    ("amount", "field"),
    [("0", "amount"), ("-5", "amount"), ("1.005", "amount"), (True, "amount"), ("lots", "amount")],
)
def test_a_spending_amount_must_be_money_above_zero(make_pilot, people, amount, field):
    pilot = make_pilot("approved", budget=Decimal("1000.00"))
    with pytest.raises(ValidationError) as refused:
        pilots.record_spend(
            by=people["lead"], pilot=pilot, amount=amount, spent_on=timezone.localdate()
        )
    assert field in refused.value.message_dict


def test_spending_cannot_be_dated_in_the_future(make_pilot, people):
    pilot = make_pilot("approved", budget=Decimal("1000.00"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        pilots.record_spend(by=people["lead"], pilot=pilot, amount="5", spent_on=tomorrow)
    assert "spent_on" in refused.value.message_dict


def test_strangers_and_team_members_record_no_spending(make_pilot, people):
    pilot = make_pilot("approved", budget=Decimal("1000.00"))
    for who in ("stranger", "team_member", "far_manager"):
        with pytest.raises(PermissionDenied):
            pilots.record_spend(
                by=people[who], pilot=pilot, amount="5", spent_on=timezone.localdate()
            )
    pilots.record_spend(
        by=people["manager"], pilot=pilot, amount="5", spent_on=timezone.localdate()
    )


# --- Changes --------------------------------------------------------------------------------


def test_the_budget_cannot_go_below_what_is_spent(make_pilot, people):
    pilot = make_pilot("ongoing", budget=Decimal("1000.00"))
    pilots.record_spend(by=people["lead"], pilot=pilot, amount="700", spent_on=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        pilots.update_pilot(by=people["lead"], pilot=pilot, budget=Decimal("699.99"))
    assert "700.00" in refused.value.message_dict["budget"][0]
    pilots.update_pilot(by=people["lead"], pilot=pilot, budget=Decimal("700"))
    assert Pilot.objects.get(pk=pilot.pk).budget == Decimal("700.00")


@pytest.mark.parametrize("status", ["completed", "discontinued"])
def test_mentor_and_budget_are_settled_once_ended(make_pilot, people, status):
    pilot = make_pilot(status)
    with pytest.raises(Conflict):
        pilots.update_pilot(by=people["lead"], pilot=pilot, budget=Decimal("5"))
    with pytest.raises(Conflict):
        pilots.update_pilot(by=people["lead"], pilot=pilot, mentor=people["stranger"])
    changed = pilots.update_pilot(by=people["lead"], pilot=pilot, title="What we tried")
    assert changed.title == "What we tried"


def test_the_mentor_cannot_be_the_lead(make_pilot, people):
    pilot = make_pilot("draft")
    with pytest.raises(ValidationError) as refused:
        pilots.update_pilot(by=people["manager"], pilot=pilot, mentor=people["lead"])
    assert "mentor" in refused.value.message_dict


def test_a_pilot_cannot_end_before_it_starts(make_pilot, people):
    pilot = make_pilot("draft", started_on=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError) as refused:
        pilots.update_pilot(by=people["lead"], pilot=pilot, ended_on=datetime.date(2026, 2, 28))
    assert "ended_on" in refused.value.message_dict


@pytest.mark.parametrize("who", ["mentor", "stranger", "team_member", "far_manager"])
def test_only_the_lead_or_a_programme_manager_changes_a_pilot(make_pilot, people, who):
    pilot = make_pilot("draft")
    with pytest.raises(PermissionDenied):
        pilots.update_pilot(by=people[who], pilot=pilot, title="Mine now")
    assert Pilot.objects.get(pk=pilot.pk).title == pilot.title


def test_only_a_programme_manager_names_another_lead(place, people):
    from tests.pipeline.factories import IdeaFactory

    idea = IdeaFactory(service=place["service"])
    common = {"title": "T", "idea": idea, "area": place["upazila"], "organisation": place["office"]}
    with pytest.raises(PermissionDenied):
        pilots.create_pilot(by=people["stranger"], lead=people["lead"], **common)
    named = pilots.create_pilot(by=people["manager"], lead=people["lead"], **common)
    assert named.lead == people["lead"] and named.status == "draft"
    mine = pilots.create_pilot(by=people["stranger"], **common)
    assert mine.lead == people["stranger"] and mine.currency == place["service"].currency


def test_risks_and_lessons_by_who_may(make_pilot, people):
    pilot = make_pilot("ongoing")
    risk = pilots.add_risk(
        by=people["mentor"], pilot=pilot, description="Server down", likelihood=2, impact=4
    )
    assert risk.score == 8
    with pytest.raises(PermissionDenied):
        pilots.add_risk(
            by=people["team_member"], pilot=pilot, description="x", likelihood=1, impact=1
        )
    with pytest.raises(ValidationError) as refused:
        pilots.add_risk(by=people["lead"], pilot=pilot, description="", likelihood=0, impact=6)
    assert set(refused.value.message_dict) == {"description", "likelihood", "impact"}
    pilots.add_lesson(by=people["team_member"], pilot=pilot, text="Ask the clerks first.")
    with pytest.raises(PermissionDenied):
        pilots.add_lesson(by=people["stranger"], pilot=pilot, text="x")


@pytest.mark.parametrize("who", EVERYONE)
def test_the_review_list_holds_what_the_rules_let_each_person_approve(
    make_pilot, people, place, who
):
    from innohub.pipeline import rules, selectors

    here = make_pilot("submitted")
    elsewhere = make_pilot(
        "submitted", area=place["other_district"], organisation=place["other_ministry"]
    )
    make_pilot("draft")  # not waiting for anyone
    person = people[who]
    expected = {
        pilot.pk
        for pilot in (here, elsewhere)
        if rules.approves(person, pilot)
        and not (rules.is_lead(person, pilot) or rules.is_mentor(person, pilot))
    }
    assert set(selectors.to_review(person).values_list("pk", flat=True)) == expected
