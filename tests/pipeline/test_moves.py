"""Every pair of stages for every kind of person: allowed, refused with 409, 403 or 422."""

from __future__ import annotations

import itertools

import pytest

from innohub.pipeline.moves import (
    APPROVED,
    COMPLETED,
    DISCONTINUED,
    DRAFT,
    MOVES,
    ONGOING,
    STATUSES,
    SUBMITTED,
    MoveRefused,
    Standing,
    allowed_moves,
    check_move,
)

PEOPLE = {
    "lead": Standing(lead=True),
    "mentor": Standing(mentor=True),
    "approver": Standing(approver=True),
    "approver who leads": Standing(lead=True, approver=True),  # an administrator, say
    "approver who mentors": Standing(mentor=True, approver=True),
    "stranger": Standing(),
}

# (from, to) -> the people who may make the move.
EXPECTED = {
    (DRAFT, SUBMITTED): {"lead", "approver who leads"},
    (SUBMITTED, APPROVED): {"approver"},
    (SUBMITTED, DRAFT): {"approver"},
    (APPROVED, ONGOING): {"lead", "approver who leads"},
    (ONGOING, COMPLETED): {"lead", "approver who leads"},
    (APPROVED, DISCONTINUED): {"lead", "approver", "approver who leads"},
    (ONGOING, DISCONTINUED): {"lead", "approver", "approver who leads"},
}


def outcome(start: str, to: str, person: str) -> int:
    try:
        check_move(
            status=start, to=to, standing=PEOPLE[person], has_mentor=True, note="We learned."
        )
    except MoveRefused as refused:
        return refused.status
    return 200


@pytest.mark.parametrize(("start", "to"), list(itertools.product(STATUSES, STATUSES)))
def test_every_pair_of_stages_for_every_person(start, to):
    for person in PEOPLE:
        expected = 200 if person in EXPECTED.get((start, to), set()) else 403
        if (start, to) not in MOVES:
            expected = 409  # not a move for anyone
        assert outcome(start, to, person) == expected, (start, to, person)


def test_the_table_is_api_mds_machine():
    assert set(MOVES) == set(EXPECTED)
    assert allowed_moves(DRAFT) == [SUBMITTED]
    assert allowed_moves(SUBMITTED) == [APPROVED, DRAFT]
    assert allowed_moves(APPROVED) == [ONGOING, DISCONTINUED]
    assert allowed_moves(COMPLETED) == allowed_moves(DISCONTINUED) == []


def test_nobody_approves_what_they_lead_or_mentor_and_is_told_why():
    for person in ("approver who leads", "approver who mentors"):
        with pytest.raises(MoveRefused, match="they lead or mentor") as refused:
            check_move(status=SUBMITTED, to=APPROVED, standing=PEOPLE[person], has_mentor=True)
        assert refused.value.status == 403


def test_a_pilot_is_submitted_only_with_a_mentor():
    with pytest.raises(MoveRefused, match="Name a mentor") as refused:
        check_move(status=DRAFT, to=SUBMITTED, standing=PEOPLE["lead"], has_mentor=False)
    assert refused.value.status == 409


@pytest.mark.parametrize("note", ["", "   "])
def test_discontinuing_needs_the_lesson_learned(note):
    with pytest.raises(MoveRefused) as refused:
        check_move(
            status=ONGOING, to=DISCONTINUED, standing=PEOPLE["lead"], has_mentor=True, note=note
        )
    assert (refused.value.status, refused.value.field) == (422, "note")


def test_an_illegal_move_names_both_stages():
    with pytest.raises(MoveRefused) as refused:
        check_move(status=COMPLETED, to=ONGOING, standing=PEOPLE["lead"], has_mentor=True)
    assert refused.value.status == 409
    assert "“completed”" in refused.value.message and "“ongoing”" in refused.value.message
