"""How a pilot moves through its stages, and who may move it: the one table of API.md's
status machine and SETTLED.md's "who moves what".

`check_move` answers nothing when a move is allowed and raises `MoveRefused` with the HTTP
status the API gives (409 a move the machine has not, 403 a person who may not make it, 422 a
missing note) and a message naming the reason. What a person is to the pilot comes in as a
`Standing`, worked out by the caller from the database: the lead, the mentor, or an approver
(a programme manager within the pilot's organisation's or area's tree, an innovation team
member of its organisation or area or above, an administrator). Nobody approves what they
lead or mentor, administrators included.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext as _

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
ONGOING = "ongoing"
COMPLETED = "completed"
DISCONTINUED = "discontinued"
STATUSES = (DRAFT, SUBMITTED, APPROVED, ONGOING, COMPLETED, DISCONTINUED)


class Who(Enum):
    LEAD = "lead"
    APPROVER = "approver"
    LEAD_OR_APPROVER = "lead or approver"


# (from, to) -> who may make the move. Anything else is not a move (409).
MOVES: dict[tuple[str, str], Who] = {
    (DRAFT, SUBMITTED): Who.LEAD,
    (SUBMITTED, APPROVED): Who.APPROVER,
    (SUBMITTED, DRAFT): Who.APPROVER,  # returned for changes
    (APPROVED, ONGOING): Who.LEAD,
    (ONGOING, COMPLETED): Who.LEAD,
    (APPROVED, DISCONTINUED): Who.LEAD_OR_APPROVER,
    (ONGOING, DISCONTINUED): Who.LEAD_OR_APPROVER,
}


@dataclass(frozen=True)
class Standing:
    """What a person is to one pilot."""

    lead: bool = False
    mentor: bool = False
    approver: bool = False


class MoveRefused(Exception):
    def __init__(self, status: int, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def allowed_moves(status: str) -> list[str]:
    """The stages a pilot in `status` may move to, in the machine's order."""
    return [to for (start, to) in MOVES if start == status]


def check_move(
    *, status: str, to: str, standing: Standing, has_mentor: bool, note: str = ""
) -> None:
    """Raise MoveRefused unless `standing` may move a pilot from `status` to `to` now."""
    who = MOVES.get((status, to))
    if who is None:
        raise MoveRefused(
            409,
            _("A pilot cannot move from “%(start)s” to “%(to)s”.") % {"start": status, "to": to},
        )
    may_approve = standing.approver and not (standing.lead or standing.mentor)
    if who is Who.APPROVER and not may_approve:
        if standing.lead or standing.mentor:
            raise MoveRefused(403, _("Nobody approves or returns a pilot they lead or mentor."))
        raise MoveRefused(
            403,
            _(
                "Only a programme manager, an innovation team member of the pilot's "
                "organisation or area, or an administrator approves or returns a pilot."
            ),
        )
    if who is Who.LEAD and not standing.lead:
        raise MoveRefused(403, _("Only the pilot's lead makes this move."))
    if who is Who.LEAD_OR_APPROVER and not (standing.lead or may_approve):
        raise MoveRefused(403, _("Only the pilot's lead or an approver discontinues a pilot."))
    if to == SUBMITTED and not has_mentor:
        raise MoveRefused(409, _("Name a mentor before submitting the pilot."))
    if to == DISCONTINUED and not note.strip():
        raise MoveRefused(
            422, _("Say what was learned: a discontinued pilot keeps its lesson."), "note"
        )
