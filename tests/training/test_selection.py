"""Applications and selection: criteria, capacity, the waiting list and the balance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innohub.accounts.models import Notification
from innohub.core.errors import Conflict
from innohub.training import selection
from innohub.training.models import Application, ApplicationStatus, Participant
from tests.training.conftest import days_from_today
from tests.training.factories import CohortFactory


def applications(cohort, people):
    return [
        selection.apply(by=person, cohort=cohort, motivation=f"I want to fix {person.username}")
        for person in people
    ]


def test_applying_counts_once_and_refuses_a_second(cohort, crew):
    officer = crew["officers"][0]
    application = selection.apply(
        by=officer, cohort=cohort, motivation="  Queues at the land office "
    )
    assert application.status == ApplicationStatus.APPLIED
    assert application.motivation == "Queues at the land office"
    with pytest.raises(Conflict):
        selection.apply(by=officer, cohort=cohort, motivation="again")
    cohort.refresh_from_db()
    assert cohort.applications_count == 1


def test_a_motivation_is_required(cohort, crew):
    with pytest.raises(ValidationError) as error:
        selection.apply(by=crew["officers"][0], cohort=cohort, motivation="   ")
    assert "motivation" in error.value.message_dict
    assert not Application.objects.exists()


def test_no_applications_once_they_close(crew):
    started = CohortFactory(starts_on=days_from_today(0))
    with pytest.raises(Conflict):
        selection.apply(by=crew["officers"][0], cohort=started, motivation="late")
    closes_early = CohortFactory(
        starts_on=days_from_today(10), applications_close_on=days_from_today(-1)
    )
    with pytest.raises(Conflict):
        selection.apply(by=crew["officers"][0], cohort=closes_early, motivation="late")
    last_day = CohortFactory(starts_on=days_from_today(1))
    assert selection.apply(by=crew["officers"][0], cohort=last_day, motivation="just in time")


def test_scores_on_the_criteria_keep_their_mean(cohort, crew):
    application = applications(cohort, crew["officers"][:1])[0]
    selection.score(
        by=crew["manager"],
        application=application,
        scores={"entrepreneurial_drive": 5, "eagerness": 4, "interpersonal_skills": 4},
    )
    application.refresh_from_db()
    assert application.score == Decimal("4.33")
    with pytest.raises(ValidationError) as error:
        selection.score(
            by=crew["manager"], application=application, scores={"charm": 5, "eagerness": 9}
        )
    assert set(error.value.message_dict) == {"scores.charm", "scores.eagerness"}
    with pytest.raises(PermissionDenied):
        selection.score(by=crew["trainer"], application=application, scores={"eagerness": 3})


def test_selection_within_capacity_then_the_waiting_list(cohort, crew):
    first, second, third, fourth = applications(cohort, crew["officers"])
    result = selection.select(
        by=crew["manager"], cohort=cohort, selected=[first.pk, second.pk], waitlisted=[fourth.pk]
    )
    assert sorted(result["selected"]) == [first.pk, second.pk]
    assert result["waitlisted"] == [fourth.pk]
    assert result["balance"]["gender"] == {"female": 1, "male": 1}
    assert result["balance"]["grade"] == {"Grade 9": 2}
    assert result["balance"]["ministry"] == {str(crew["land"].pk): 2}
    cohort.refresh_from_db()
    assert cohort.selected_count == 2 and cohort.places_left == 1
    # Two more do not fit in the one place left: 422 on `selected`, nothing changes.
    with pytest.raises(ValidationError) as error:
        selection.select(by=crew["manager"], cohort=cohort, selected=[third.pk, fourth.pk])
    assert list(error.value.message_dict) == ["selected"]
    assert Participant.objects.filter(cohort=cohort).count() == 2
    fourth.refresh_from_db()
    assert fourth.status == ApplicationStatus.WAITLISTED
    # The same selection again changes nothing and counts nothing twice.
    selection.select(by=crew["manager"], cohort=cohort, selected=[first.pk, second.pk])
    cohort.refresh_from_db()
    assert cohort.selected_count == 2


def test_moving_a_selected_person_to_the_waiting_list_frees_the_place(cohort, crew):
    first, second, third, fourth = applications(cohort, crew["officers"])
    selection.select(by=crew["manager"], cohort=cohort, selected=[first.pk, second.pk, third.pk])
    result = selection.select(
        by=crew["manager"], cohort=cohort, selected=[fourth.pk], waitlisted=[third.pk]
    )
    assert sorted(result["selected"]) == [first.pk, second.pk, fourth.pk]
    assert not Participant.objects.filter(cohort=cohort, user=third.applicant).exists()
    assert result["balance"]["ministry"] == {str(crew["land"].pk): 2, str(crew["health"].pk): 1}
    assert result["balance"]["gender"] == {"female": 1, "male": 1, "unsaid": 1}


def test_selection_refuses_other_cohorts_applications_and_both_lists(cohort, crew):
    mine = applications(cohort, crew["officers"][:1])[0]
    other = selection.apply(by=crew["officers"][1], cohort=CohortFactory(), motivation="x")
    with pytest.raises(ValidationError) as error:
        selection.select(
            by=crew["manager"], cohort=cohort, selected=[mine.pk, other.pk], waitlisted=[mine.pk]
        )
    assert set(error.value.message_dict) == {"selected.1", "waitlisted.0"}
    assert not Participant.objects.exists()


def test_only_programme_managers_select(cohort, crew):
    mine = applications(cohort, crew["officers"][:1])[0]
    for person in (crew["trainer"], crew["officers"][0]):
        with pytest.raises(PermissionDenied):
            selection.select(by=person, cohort=cohort, selected=[mine.pk])
    selection.select(by=crew["administrator"], cohort=cohort, selected=[mine.pk])


def test_the_people_are_told(cohort, crew):
    first, second = applications(cohort, crew["officers"][:2])
    selection.select(by=crew["manager"], cohort=cohort, selected=[first.pk], waitlisted=[second.pk])
    told = dict(Notification.objects.values_list("user__username", "subject"))
    assert told == {
        first.applicant.username: "You have a place in “%(cohort)s”",
        second.applicant.username: "You are on the waiting list for “%(cohort)s”",
    }


def test_enrolling_nominees_directly_within_capacity(cohort, crew):
    officers = crew["officers"]
    applied = applications(cohort, officers[:1])[0]
    places = selection.enrol(by=crew["manager"], cohort=cohort, users=officers[:2])
    assert len(places) == 2
    applied.refresh_from_db()
    assert applied.status == ApplicationStatus.SELECTED
    assert places[1].application is None  # direct enrolment makes no application
    # Enrolling someone already in adds nothing; two newcomers do not fit in one place.
    assert selection.enrol(by=crew["manager"], cohort=cohort, users=officers[:1]) == []
    with pytest.raises(ValidationError) as error:
        selection.enrol(by=crew["manager"], cohort=cohort, users=officers[2:])
    assert list(error.value.message_dict) == ["users"]
    cohort.refresh_from_db()
    assert cohort.selected_count == 2


def test_a_closed_cohort_takes_no_one(cohort, crew):
    cohort.closed_on = days_from_today(0)
    cohort.save()
    with pytest.raises(Conflict):
        selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"][:1])


def test_a_cohort_scores_only_the_criteria_it_chose(crew):
    cohort = CohortFactory(criteria=["eagerness"], by=crew["manager"])
    application = selection.apply(by=crew["officers"][0], cohort=cohort, motivation="m")
    with pytest.raises(ValidationError) as error:
        selection.score(
            by=crew["manager"], application=application, scores={"entrepreneurial_drive": 4}
        )
    assert list(error.value.message_dict) == ["scores.entrepreneurial_drive"]
    selection.score(by=crew["manager"], application=application, scores={"eagerness": 2})
    application.refresh_from_db()
    assert application.score == Decimal("2.00")
