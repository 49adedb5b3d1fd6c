"""The exercises of a course (docs/api.md, "Training"; DOMAIN.md, "The journey" 1-2).

- *Hopes and fears*: participants post notes; the facilitator groups them into themes, helped
  by suggested groups of similar notes (the pipeline's word normalisation, so Bangla works).
- *Secret shopper*: a participant is assigned a real service; their journeys of it observed
  during the cohort count for it, and the cohort's findings are read from those journeys.
- *Policy Lab*: teams write concepts in a track; a concept becomes an idea once, keeping its
  cohort (training owns the link, SETTLED.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innohub.core.errors import Conflict
from innohub.core.text import collect_text
from innohub.core.words import group_alike, words
from innohub.pipeline import ideas
from innohub.pipeline.models import Idea
from innohub.services.models import Service

from .cohorts import refuse_if_closed, track_error
from .limits import NOTE_MAX, TEXT_MAX, TITLE_MAX
from .models import Assignment, Cohort, Concept, Note, NoteKind, Participant, Theme

if TYPE_CHECKING:
    from innohub.accounts.models import User

SIMILAR_FROM = 0.3  # notes at least this alike are suggested together
SUGGEST_NOTES_MAX = 1_000  # a cohort's unthemed notes compared for suggestions
SUGGESTED_WORDS = 3


# --- Hopes and fears ------------------------------------------------------------------------


@transaction.atomic
def post_note(*, by: User, cohort: Cohort, kind: str, text: str) -> Note:
    """A participant's (or a trainer's) hope or fear."""
    if not by.has_perm("training.add_note", cohort):
        raise PermissionDenied(
            _("Only the cohort's participants, its trainers and programme managers post notes.")
        )
    refuse_if_closed(cohort)
    errors: dict[str, str] = {}
    if kind not in NoteKind.values:
        errors["kind"] = _("A note is a hope or a fear.")
    text = collect_text(errors, text, "text", max_length=NOTE_MAX, required=True)
    if errors:
        raise ValidationError(errors)
    return Note.objects.create(cohort=cohort, author=by, kind=kind, text=text)


def _cohort_notes(cohort: Cohort, field: str, ids: Sequence[int]) -> list[Note]:
    notes = {note.pk: note for note in Note.objects.filter(cohort=cohort, pk__in=ids)}
    errors = {
        f"{field}.{index}": _("Note %(id)s is not one of this cohort's.") % {"id": pk}
        for index, pk in enumerate(ids)
        if pk not in notes
    }
    if errors:
        raise ValidationError(errors)
    return list(notes.values())


@transaction.atomic
def create_theme(*, by: User, cohort: Cohort, title: str, notes: Sequence[int] = ()) -> Theme:
    """Name a theme and put notes in it (a note is in one theme: it moves)."""
    if not by.has_perm("training.add_theme", cohort):
        raise PermissionDenied(_("Only the cohort's trainers group notes into themes."))
    refuse_if_closed(cohort)
    errors: dict[str, str] = {}
    title = collect_text(errors, title, "title", max_length=TITLE_MAX, required=True)
    if errors:
        raise ValidationError(errors)
    chosen = _cohort_notes(cohort, "notes", notes)
    theme = Theme.objects.create(cohort=cohort, title=title, by=by)
    Note.objects.filter(pk__in=[note.pk for note in chosen]).update(theme=theme)
    return theme


@transaction.atomic
def move_note(*, by: User, note: Note, theme: Theme | None) -> Note:
    """Put a note in a theme of its cohort, or take it out (`theme` None)."""
    if not by.has_perm("training.add_theme", note.cohort):
        raise PermissionDenied(_("Only the cohort's trainers group notes into themes."))
    refuse_if_closed(note.cohort)
    if theme is not None and theme.cohort_id != note.cohort_id:
        raise ValidationError({"theme": _("Choose a theme of the note's cohort.")})
    note.theme = theme
    note.save(update_fields=["theme", "modified"])
    return note


@dataclass(frozen=True)
class Suggestion:
    notes: list[int]
    words: list[str]


def suggest_themes(cohort: Cohort) -> list[Suggestion]:
    """Groups of alike notes not yet in a theme: notes at least `SIMILAR_FROM` alike (the
    cosine of their word sets, a word of 5 letters or more matching longer ones it starts)
    join one group; each group with the words its notes share most. Largest groups first."""
    notes = list(
        Note.objects.filter(cohort=cohort, theme__isnull=True)
        .order_by("id")
        .values_list("pk", "text")[:SUGGEST_NOTES_MAX]
    )
    alike = group_alike(
        [(pk, words(text)) for pk, text in notes],
        alike_from=SIMILAR_FROM,
        shared_words=SUGGESTED_WORDS,
    )
    return [Suggestion(group.ids, group.words) for group in alike]


# --- Secret shopper -------------------------------------------------------------------------


@transaction.atomic
def assign(*, by: User, cohort: Cohort, participant: User, service: Service) -> Assignment:
    """Assign a participant (selected for the cohort: 422 naming `participant`) a service to
    go through as a citizen would; the same service twice is 409."""
    if not by.has_perm("training.add_assignment", cohort):
        raise PermissionDenied(_("Only the cohort's trainers assign secret-shopper services."))
    refuse_if_closed(cohort)
    if not Participant.objects.filter(cohort=cohort, user=participant).exists():
        raise ValidationError(
            {
                "participant": _("Person %(id)s is not selected for this cohort.")
                % {"id": participant.pk}
            }
        )
    assignment, made = Assignment.objects.get_or_create(
        cohort=cohort, participant=participant, service=service, defaults={"by": by}
    )
    if not made:
        raise Conflict(_("That participant already has that service."))
    return assignment


# --- Policy Lab -----------------------------------------------------------------------------


@transaction.atomic
def write_concept(
    *,
    by: User,
    cohort: Cohort,
    title: str,
    problem: str,
    track: str | None = None,
    users: str = "",
    proposal: str = "",
    next_step: str = "",
    team: Sequence[User] = (),
) -> Concept:
    """A team's concept in one of the programme's tracks (or none where it has none)."""
    if not by.has_perm("training.add_concept", cohort):
        raise PermissionDenied(_("Only the cohort's participants and trainers write concepts."))
    refuse_if_closed(cohort)
    errors: dict[str, str] = {}
    title = collect_text(errors, title, "title", max_length=TITLE_MAX, required=True)
    problem = collect_text(errors, problem, "problem", max_length=TEXT_MAX, required=True)
    users = collect_text(errors, users, "users", max_length=TEXT_MAX)
    proposal = collect_text(errors, proposal, "proposal", max_length=TEXT_MAX)
    next_step = collect_text(errors, next_step, "next_step", max_length=TEXT_MAX)
    tracks = cohort.programme.tracks
    if tracks and not track:
        errors["track"] = _("Choose one of the programme's tracks: %(tracks)s.") % {
            "tracks": ", ".join(tracks)
        }
    elif message := track_error(cohort, track or ""):
        errors["track"] = message
    members = {user.pk: user for user in team}
    inside = set(
        Participant.objects.filter(cohort=cohort, user_id__in=members).values_list(
            "user_id", flat=True
        )
    )
    for index, user in enumerate(team):
        if user.pk not in inside:
            errors[f"team.{index}"] = _("Person %(id)s is not selected for this cohort.") % {
                "id": user.pk
            }
    if errors:
        raise ValidationError(errors)
    concept = Concept.objects.create(
        cohort=cohort,
        track=track or "",
        title=title,
        problem=problem,
        users=users,
        proposal=proposal,
        next_step=next_step,
        by=by,
    )
    concept.team.set(members.values())
    return concept


def may_turn_into_idea(user: User, concept: Concept, *, facilitates: bool | None = None) -> bool:
    """The concept's author, a team member (the team as prefetched), or a facilitator of its
    cohort (`facilitates`, when the caller knows it already for a page of concepts)."""
    if concept.by_id == user.pk or any(member.pk == user.pk for member in concept.team.all()):
        return True
    if facilitates is None:
        facilitates = user.has_perm("training.add_theme", concept.cohort)
    return facilitates


@transaction.atomic
def turn_into_idea(*, by: User, concept: Concept) -> Idea:
    """The concept becomes an idea, once (409): its author, a team member, the cohort's
    trainers or a programme manager. The idea is its author's or, when a team member turns
    it, theirs."""
    if not may_turn_into_idea(by, concept):
        raise PermissionDenied(
            _(
                "Only the concept's team, the cohort's trainers or a programme manager turn it into an idea."
            )
        )
    concept = Concept.objects.select_for_update().select_related("by").get(pk=concept.pk)
    if concept.idea_id is not None:
        raise Conflict(_("This concept is an idea already."))
    in_team = concept.by_id == by.pk or concept.team.filter(pk=by.pk).exists()
    idea = ideas.create_idea(
        by=by if in_team else concept.by,
        title=concept.title,
        problem=concept.problem,
        who_suffers=concept.users,
        proposed_change=concept.proposal,
    )
    concept.idea = idea
    concept.save(update_fields=["idea", "modified"])
    return idea
