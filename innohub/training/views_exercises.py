"""Pages of the exercises: hopes and fears, secret shopper, Policy Lab, feedback. Thin views
over `exercises.py`, `feedback.py`, `debrief.py`, the selectors and the rules. Every page
works without JavaScript (static/js/training/themes.js lets a facilitator drag notes onto
themes); a write redirects after success, and a refusal comes back beside the field it names
with what was typed kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.core.errors import Conflict
from innohub.core.forms import write_with
from innohub.core.http import found
from innohub.services.models import Service

from . import debrief, exercises, selectors
from . import feedback as survey
from .cohorts import today
from .forms import AssignmentForm, ConceptForm, FeedbackForm, MoveNoteForm, NoteForm, ThemeForm
from .models import Cohort, Concept, Feedback, Note, Theme

# The services offered in the assignment's select (GOV.UK's autocomplete with JavaScript).
SERVICES_MAX = 500
# The forms of the hopes-and-fears page that create a theme: the facilitator's own, and one
# per suggested group ("s1", "s2", …), told apart by the `form` field each posts.
THEME_FORM = "theme"
_SUGGESTION_FORM = re.compile(r"s[1-9][0-9]{0,3}")


def _cohort_or_404(pk: int) -> Cohort:
    return found(selectors.cohort_detail(pk))


def _require(user: User, perm: str, cohort: Cohort) -> None:
    if not user.has_perm(perm, cohort):
        raise PermissionDenied


def _refusal(error: Exception) -> str:
    """What a Conflict or PermissionDenied says, for a message."""
    text = getattr(error, "message", "") or (error.args[0] if error.args else "")
    return str(text) or _("You may not do that.")


def _people(cohort: Cohort) -> list[tuple[int, str]]:
    """The cohort's participants as choices: (user id, name)."""
    return [(place.user_id, place.user.name) for place in selectors.participants_of(cohort)]


# --- Hopes and fears ------------------------------------------------------------------------


@dataclass
class _Suggested:
    words: list[str]
    notes: list[Note]
    form: ThemeForm


def _note_choices(notes: list[Note]) -> list[tuple[int, str]]:
    return [(note.pk, f"{note.get_kind_display()}: {note.text}") for note in notes]


def _theme_form(data: Any, unthemed: list[Note], **options: Any) -> ThemeForm:
    form = ThemeForm(data, notes=_note_choices(unthemed), **options)
    if not unthemed:  # nothing to tick: a theme named now is filled by moving notes
        del form.fields["notes"]
    return form


def _board(
    request: HttpRequest,
    cohort: Cohort,
    *,
    note_form: NoteForm | None = None,
    theme_form: ThemeForm | None = None,
) -> HttpResponse:
    """The hopes-and-fears board; `theme_form`, when given, is a refused theme form (the
    facilitator's own or a suggestion's, by its prefix) shown in its place."""
    user = signed_in(request)
    _require(user, "training.add_note", cohort)
    closed = cohort.closed_on is not None
    facilitates = user.has_perm("training.add_theme", cohort) and not closed
    themes = list(selectors.themes_of(cohort))
    unthemed = list(selectors.notes_of(cohort).filter(theme__isnull=True))
    failed = [form for form in (note_form, theme_form) if form is not None and form.errors]
    suggested: list[_Suggested] = []
    new_theme = None
    if facilitates:
        by_pk = {note.pk: note for note in unthemed}
        for index, suggestion in enumerate(exercises.suggest_themes(cohort), start=1):
            notes = [by_pk[pk] for pk in suggestion.notes if pk in by_pk]
            prefix = f"s{index}"
            form = ThemeForm(
                prefix=prefix,
                notes=_note_choices(notes),
                initial={"title": ", ".join(suggestion.words), "notes": suggestion.notes},
            )
            if theme_form is not None and theme_form.prefix == prefix:
                form, theme_form = theme_form, None
            suggested.append(_Suggested(words=suggestion.words, notes=notes, form=form))
        # A refused form of a group no longer suggested comes back as the facilitator's own.
        new_theme = (
            theme_form if theme_form is not None else _theme_form(None, unthemed, prefix=THEME_FORM)
        )
    context = {
        "cohort": cohort,
        "closed": closed,
        "facilitates": facilitates,
        "themes": themes,
        "unthemed": unthemed,
        "has_notes": bool(unthemed) or any(theme.notes.all() for theme in themes),
        "note_form": note_form or NoteForm(),
        "suggested": suggested,
        "theme_form": new_theme,
        "failed": failed,
        "form": failed[0] if failed else None,  # base.html says "Error:" in the title
    }
    return render(request, "training/exercises/notes.html", context)


@login_required
def hopes_and_fears(request: HttpRequest, pk: int) -> HttpResponse:
    return _board(request, _cohort_or_404(pk))


@login_required
@require_POST
def note_post(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = signed_in(request)
    _require(user, "training.add_note", cohort)
    form = NoteForm(request.POST)
    if form.is_valid() and write_with(
        form, lambda data: exercises.post_note(by=user, cohort=cohort, **data)
    ):
        messages.success(request, _("Your note is on the board."))
        return redirect(reverse("training:notes", args=[pk]) + "#board")
    return _board(request, cohort, note_form=form)


@login_required
@require_POST
def theme_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a theme from the facilitator's form or from a suggested group's."""
    cohort = _cohort_or_404(pk)
    user = signed_in(request)
    _require(user, "training.add_theme", cohort)
    prefix = request.POST.get("form", "")
    if not _SUGGESTION_FORM.fullmatch(prefix):
        prefix = THEME_FORM
    unthemed = list(selectors.notes_of(cohort).filter(theme__isnull=True))
    form = _theme_form(request.POST, unthemed, prefix=prefix)
    if form.is_valid() and write_with(
        form,
        lambda data: exercises.create_theme(
            by=user, cohort=cohort, title=data["title"], notes=data.get("notes", [])
        ),
    ):
        messages.success(request, _("The theme is on the board."))
        return redirect(reverse("training:notes", args=[pk]) + "#board")
    return _board(request, cohort, theme_form=form)


def _move(user: User, cohort: Cohort, form: MoveNoteForm) -> Note | None:
    """The move the form asks for, done; None with the refusal on the form."""
    data = form.cleaned_data
    note = Note.objects.filter(cohort=cohort, pk=data["note"]).select_related("cohort").first()
    # The domain says when a theme is another cohort's; one that does not exist is gone.
    theme = Theme.objects.filter(pk=data["theme"]).first() if data["theme"] else None
    if note is None or (data["theme"] and theme is None):
        form.add_error(None, _("That note or theme is no longer on the board."))
        return None
    if write_with(form, lambda _data: exercises.move_note(by=user, note=note, theme=theme)):
        return note
    return None


@login_required
@require_POST
def note_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a note in a theme (`theme` 0 or empty: out of any). themes.js asks for JSON
    (`Accept: application/json`): 200 `{note, theme}`, or 422 `{error}`; without
    JavaScript the board comes back with a message."""
    cohort = _cohort_or_404(pk)
    user = signed_in(request)
    _require(user, "training.add_theme", cohort)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = MoveNoteForm(request.POST)
    note = _move(user, cohort, form) if form.is_valid() else None
    if note is None:
        errors = [str(error) for errors in form.errors.values() for error in errors]
        message = " ".join(errors) or _("The note could not be moved.")
        if wants_json:
            return JsonResponse({"error": message}, status=422)
        messages.error(request, message)
        return redirect(reverse("training:notes", args=[pk]) + "#board")
    if wants_json:
        return JsonResponse({"note": note.pk, "theme": note.theme_id})
    messages.success(request, _("The note is moved."))
    return redirect(reverse("training:notes", args=[pk]) + f"#note-{note.pk}")


# --- Secret shopper -------------------------------------------------------------------------


def _services() -> QuerySet[Service]:
    first = Service.objects.order_by("name", "id").values("pk")[:SERVICES_MAX]
    return Service.objects.filter(pk__in=first).order_by("name", "id")


def _assignment_form(cohort: Cohort, data: Any = None) -> AssignmentForm:
    """The assignment form with the service as a select (GOV.UK's autocomplete with
    JavaScript, a plain select without): the form's own hidden id needs a picker to fill it."""
    return AssignmentForm(data, participants=_people(cohort), services=_services())


def _shopper_page(
    request: HttpRequest, cohort: Cohort, form: AssignmentForm | None = None
) -> HttpResponse:
    user = signed_in(request)
    _require(user, "training.add_note", cohort)
    closed = cohort.closed_on is not None
    may_assign = user.has_perm("training.add_assignment", cohort) and not closed
    report = debrief.debrief(cohort)
    context = {
        "cohort": cohort,
        "debrief": report,
        "mine": [row for row in report.assignments if row.assignment.participant_id == user.pk],
        "takes_part": selectors.place_of(cohort, user) is not None,
        "may_assign": may_assign,
        "form": form or (_assignment_form(cohort) if may_assign else None),
    }
    return render(request, "training/exercises/shopper.html", context)


@login_required
def secret_shopper(request: HttpRequest, pk: int) -> HttpResponse:
    return _shopper_page(request, _cohort_or_404(pk))


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = signed_in(request)
    _require(user, "training.add_assignment", cohort)
    form = _assignment_form(cohort, request.POST)

    def write(data: dict[str, Any]) -> None:
        participant = found(User.objects.filter(pk=data["participant"]).first())
        exercises.assign(by=user, cohort=cohort, participant=participant, service=data["service"])

    if form.is_valid() and write_with(form, write):
        messages.success(request, _("The service is assigned: the participant sees it here."))
        return redirect(reverse("training:secret_shopper", args=[pk]) + "#debrief")
    return _shopper_page(request, cohort, form)


# --- Policy Lab -----------------------------------------------------------------------------


@dataclass
class _Item:
    concept: Concept
    may_turn: bool  # into an idea, by the person reading


@dataclass
class _Track:
    name: str
    concepts: list[_Item]


def _tracks(user: User, cohort: Cohort) -> list[_Track]:
    """The concepts by the programme's tracks, in its order (those of a track it no longer
    has last, unnamed); one list where it has none."""
    facilitates = user.has_perm("training.add_theme", cohort)
    items = [
        _Item(
            concept=concept,
            may_turn=concept.idea_id is None
            and exercises.may_turn_into_idea(user, concept, facilitates=facilitates),
        )
        for concept in selectors.concepts_of(cohort)
    ]
    names = list(cohort.programme.tracks)
    if not names:
        return [_Track(name="", concepts=items)]
    groups = [
        _Track(name=name, concepts=[item for item in items if item.concept.track == name])
        for name in names
    ]
    others = [item for item in items if item.concept.track not in names]
    return groups + ([_Track(name="", concepts=others)] if others else [])


def _lab_page(
    request: HttpRequest, cohort: Cohort, form: ConceptForm | None = None
) -> HttpResponse:
    user = signed_in(request)
    _require(user, "training.add_note", cohort)
    closed = cohort.closed_on is not None
    may_write = user.has_perm("training.add_concept", cohort) and not closed
    tracks = _tracks(user, cohort)
    context = {
        "cohort": cohort,
        "tracks": tracks,
        "has_tracks": bool(cohort.programme.tracks),
        "has_concepts": any(track.concepts for track in tracks),
        "may_write": may_write,
        "form": form
        or (ConceptForm(cohort=cohort, participants=_people(cohort)) if may_write else None),
    }
    return render(request, "training/exercises/concepts.html", context)


@login_required
def concepts(request: HttpRequest, pk: int) -> HttpResponse:
    """The Policy Lab's concepts; a POST writes one."""
    cohort = _cohort_or_404(pk)
    if request.method != "POST":
        return _lab_page(request, cohort)
    user = signed_in(request)
    _require(user, "training.add_concept", cohort)
    form = ConceptForm(request.POST, cohort=cohort, participants=_people(cohort))
    made: list[Concept] = []

    def write(data: dict[str, Any]) -> None:
        people = User.objects.in_bulk(data["team"])
        made.append(
            exercises.write_concept(
                by=user,
                cohort=cohort,
                track=data.get("track") or None,
                title=data["title"],
                problem=data["problem"],
                users=data["users"],
                proposal=data["proposal"],
                next_step=data["next_step"],
                team=[people[pk] for pk in data["team"] if pk in people],
            )
        )

    if form.is_valid() and write_with(form, write):
        messages.success(request, _("The concept is in the Policy Lab."))
        return redirect(reverse("training:concepts", args=[pk]) + f"#concept-{made[0].pk}")
    return _lab_page(request, cohort, form)


@login_required
@require_POST
def concept_idea(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the concept (`pk`) into an idea, once; a refusal comes back on the Policy Lab."""
    concept = found(selectors.concept_detail(pk))
    user = signed_in(request)
    try:
        idea = exercises.turn_into_idea(by=user, concept=concept)
    except (Conflict, PermissionDenied) as refusal:
        messages.error(request, _refusal(refusal))
        back = reverse("training:concepts", args=[concept.cohort_id])
        return redirect(f"{back}#concept-{concept.pk}")
    messages.success(request, _("The concept is an idea now. It keeps its cohort."))
    return redirect("pipeline:idea_detail", idea.pk)


# --- Feedback -------------------------------------------------------------------------------


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Participants answer the survey once, from the course's last day; trainers and
    programme managers read the results."""
    cohort = _cohort_or_404(pk)
    user = signed_in(request)
    may_give = user.has_perm("training.add_feedback", cohort)
    may_see = user.has_perm("training.view_feedback", cohort)
    if not (may_give or may_see) or (request.method == "POST" and not may_give):
        raise PermissionDenied
    form = FeedbackForm(request.POST or None) if may_give else None

    def give(data: dict[str, Any]) -> None:
        survey.give_feedback(by=user, cohort=cohort, **data)

    if request.method == "POST" and form is not None and form.is_valid() and write_with(form, give):
        messages.success(request, _("Thank you: your feedback is recorded."))
        return redirect("training:feedback", pk)
    failed: BaseForm | None = form if form is not None and form.errors else None
    context = {
        "cohort": cohort,
        "may_give": may_give,
        "given": Feedback.objects.filter(cohort=cohort, user=user).first() if may_give else None,
        # The day the survey opens is the course's last (feedback.give_feedback refuses
        # before it): the form is offered from then.
        "is_open": today() >= cohort.ends_on,
        "form": form,
        "failed": failed,
        "results": survey.results(cohort) if may_see else None,
        "comments": survey.comments(cohort) if may_see else [],
    }
    return render(request, "training/exercises/feedback.html", context)
