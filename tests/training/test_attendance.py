"""Attendance, the completion rule at its boundary, closing, and trained counted once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innohub.accounts.models import Profile
from innohub.core import roles
from innohub.core.errors import Conflict
from innohub.training import attendance, selection
from innohub.training.attendance import completes
from innohub.training.models import Participant, Trained
from tests.factories import OrganisationFactory
from tests.geo.conftest import person_in
from tests.training.factories import CohortFactory, ProgrammeFactory, SessionFactory, at


def past_cohort(crew, *, sessions=5, capacity=10, **fields):
    """A cohort that ran last week, with `sessions` sessions, its officers enrolled."""
    start = timezone.localdate() - datetime.timedelta(days=10)
    cohort = CohortFactory(
        starts_on=start, ends_on=start + datetime.timedelta(days=4), capacity=capacity,
        by=crew["manager"], trainers=[crew["trainer"]], **fields,
    )  # fmt: skip
    made = [
        SessionFactory(cohort=cohort, starts_at=at(start + datetime.timedelta(days=n), 9))
        for n in range(sessions)
    ]
    selection.enrol(by=crew["manager"], cohort=cohort, users=crew["officers"])
    return cohort, made


def mark(crew, sessions, people):
    for session in sessions:
        attendance.take_attendance(
            by=crew["trainer"], session=session, present=[p.pk for p in people]
        )


@pytest.mark.parametrize(
    ("attended", "sessions", "pct", "done"),
    [
        (4, 5, 80, True),
        (3, 5, 80, False),
        (5, 5, 100, True),
        (4, 5, 100, False),
        (1, 3, 34, False),
        (1, 3, 33, True),
        (0, 0, 80, False),
    ],
)
def test_the_completion_rule_at_its_boundary(attended, sessions, pct, done):
    assert completes(attended, sessions, pct) is done


def test_attendance_replaces_and_counts(crew):
    cohort, sessions = past_cohort(crew)
    first, second, *_ = crew["officers"]
    attendance.take_attendance(
        by=crew["trainer"], session=sessions[0], present=[first.pk, second.pk]
    )
    attendance.take_attendance(by=crew["trainer"], session=sessions[0], present=[second.pk])
    attended = dict(Participant.objects.filter(cohort=cohort).values_list("user_id", "attended"))
    assert attended[first.pk] == 0 and attended[second.pk] == 1


def test_someone_not_selected_cannot_be_marked_present(crew):
    _cohort, sessions = past_cohort(crew)
    first = crew["officers"][0]
    with pytest.raises(ValidationError) as error:
        attendance.take_attendance(
            by=crew["trainer"], session=sessions[0], present=[first.pk, crew["stranger"].pk]
        )
    assert list(error.value.message_dict) == ["present.1"]
    assert not sessions[0].attendance.exists()


def test_only_trainers_and_programme_managers_take_attendance(crew):
    _cohort, sessions = past_cohort(crew)
    with pytest.raises(PermissionDenied):
        attendance.take_attendance(by=crew["officers"][0], session=sessions[0], present=[])
    other_trainer = person_in(roles.TRAINER)
    with pytest.raises(PermissionDenied):
        attendance.take_attendance(by=other_trainer, session=sessions[0], present=[])
    attendance.take_attendance(by=crew["manager"], session=sessions[0], present=[])


def test_closing_records_who_completed_and_makes_them_trained_once(crew):
    cohort, sessions = past_cohort(crew)
    officers = crew["officers"]
    mark(crew, sessions[:4], officers[:2])  # 4 of 5 = 80%: complete
    mark(crew, sessions[4:], officers[1:3])  # officer 2 attends 1 of 5: not
    rows = attendance.close(by=crew["manager"], cohort=cohort)
    done = {row.participant.user_id for row in rows if row.completed}
    assert done == {officers[0].pk, officers[1].pk}
    cohort.refresh_from_db()
    assert cohort.completed_count == 2 and cohort.closed_on == timezone.localdate()
    trained = Trained.objects.get(user=officers[0])
    assert trained.cohort == cohort and trained.organisation == crew["land"]
    with pytest.raises(Conflict):
        attendance.close(by=crew["manager"], cohort=cohort)

    # A second course completed later does not count the person again, nor move them.
    later, later_sessions = past_cohort(crew, programme=ProgrammeFactory())
    Profile.objects.filter(user=officers[0]).update(organisation=OrganisationFactory())
    mark(crew, later_sessions, officers[:1])
    attendance.close(by=crew["manager"], cohort=later)
    assert Trained.objects.filter(user=officers[0]).count() == 1
    trained.refresh_from_db()
    assert trained.cohort == cohort and trained.organisation == crew["land"]


def test_an_earlier_completion_found_later_takes_its_place(crew):
    cohort, sessions = past_cohort(crew)
    mark(crew, sessions, crew["officers"][:1])
    attendance.close(by=crew["manager"], cohort=cohort)
    older, older_sessions = past_cohort(crew, programme=ProgrammeFactory())
    mark(crew, older_sessions, crew["officers"][:1])
    earlier = timezone.localdate() - datetime.timedelta(days=400)
    attendance.close(by=crew["manager"], cohort=older, on=earlier)
    trained = Trained.objects.get(user=crew["officers"][0])
    assert trained.cohort == older and trained.on == earlier


def test_no_closing_before_the_last_session_ends_or_without_sessions(crew):
    cohort, _sessions = past_cohort(crew)
    SessionFactory(cohort=cohort, starts_at=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(Conflict):
        attendance.close(by=crew["manager"], cohort=cohort)
    empty = CohortFactory(by=crew["manager"])
    with pytest.raises(Conflict):
        attendance.close(by=crew["manager"], cohort=empty)
    cohort.refresh_from_db()
    assert cohort.closed_on is None and not Trained.objects.exists()


def test_tracks_count_their_own_sessions(crew):
    programme = ProgrammeFactory(tracks=["service", "policy"])
    cohort, shared = past_cohort(crew, sessions=2, programme=programme)
    day = cohort.starts_on + datetime.timedelta(days=3)
    service = [
        SessionFactory(cohort=cohort, track="service", starts_at=at(day, h)) for h in (9, 14)
    ]
    policy = SessionFactory(cohort=cohort, track="policy", starts_at=at(day, 9))
    first = crew["officers"][0]
    Participant.objects.filter(cohort=cohort, user=first).update(track="service")
    mark(crew, [*shared, *service], [first])
    with pytest.raises(ValidationError) as error:
        attendance.take_attendance(by=crew["trainer"], session=policy, present=[first.pk])
    assert list(error.value.message_dict) == ["present.0"]
    rows = {
        row.participant.user_id: row
        for row in attendance.standings(cohort, list(cohort.participants.all()))
    }
    assert (rows[first.pk].attended, rows[first.pk].sessions, rows[first.pk].completed) == (
        4,
        4,
        True,
    )
    # Someone without a track is expected at the shared sessions only.
    assert rows[crew["officers"][1].pk].sessions == 2
