"""API router of training (`/programmes`, `/cohorts`, `/concepts`, `/me/applications`,
`/me/calendar.ics`); wired into innohub/api/main.py. The contract is docs/api.md,
"Training"."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from innohub.accounts.auth import signed_in
from innohub.accounts.selectors import people_from_refs, person_from_ref
from innohub.api.errors import CREATE_ERRORS, ONE_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut
from innohub.api.pagination import PageNumber
from innohub.core.http import found
from innohub.orgs.selectors import organisation_from_ref
from innohub.pipeline.schemas import IdeaOut
from innohub.pipeline.selectors import idea_detail
from innohub.services.selectors import service_with_organisation

from . import (
    attendance,
    calendar,
    certificates,
    cohorts,
    exercises,
    feedback,
    progression,
    selection,
    selectors,
)
from .models import Cohort, Concept, Programme
from .schemas import (
    ApplicationFilters,
    ApplicationIn,
    ApplicationOut,
    AssignmentIn,
    AssignmentOut,
    AttendanceIn,
    AttendanceOut,
    CohortFilters,
    CohortFunnelOut,
    CohortId,
    CohortIn,
    CohortOut,
    ConceptId,
    ConceptIn,
    ConceptOut,
    EnrolIn,
    FeedbackIn,
    FeedbackResultsOut,
    NoteIn,
    NoteOut,
    ParticipantOut,
    ProgrammeId,
    ProgrammeIn,
    ProgrammeOut,
    SelectionIn,
    SelectionOut,
    SessionId,
    SessionIn,
    SessionOut,
    SuggestionOut,
    ThemeIn,
    ThemeOut,
    UserId,
)

router = Router(tags=["training"])
CONFLICT_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}
CALENDAR = {"responses": {200: {"description": "RFC 5545", "content": {"text/calendar": {}}}}}
PDF = {"responses": {200: {"description": "A PDF", "content": {"application/pdf": {}}}}}


def _cohort(pk: int) -> Cohort:
    return found(selectors.cohort_detail(pk))


def _programme(pk: int) -> Programme:
    return found(selectors.programme_detail(pk))


def _concept(pk: int) -> Concept:
    return found(selectors.concept_detail(pk))


def _may(request: HttpRequest, perm: str, cohort: Cohort) -> None:
    if not signed_in(request).has_perm(perm, cohort):
        raise PermissionDenied(_("You may not see this."))


# --- Programmes -----------------------------------------------------------------------------


@router.get(
    "/programmes", response={200: list[ProgrammeOut], **READ_ERRORS}, summary="Course templates"
)
@paginate(PageNumber)
def list_programmes(request: HttpRequest) -> Any:
    return selectors.programme_list()


@router.post(
    "/programmes", response={201: ProgrammeOut, **CREATE_ERRORS}, summary="Create a programme"
)
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Any:
    """Programme managers and administrators. A module's `day` is within `days`; its track
    one of `tracks` (422)."""
    programme = cohorts.create_programme(
        by=signed_in(request),
        name=payload.name,
        days=payload.days,
        tracks=payload.tracks,
        description=payload.description,
        modules=[module.dict() for module in payload.modules],
    )
    return Status(201, _programme(programme.pk))


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeOut, **ONE_ERRORS},
    summary="One programme",
)
def get_programme(request: HttpRequest, programme_id: ProgrammeId) -> Any:
    return _programme(programme_id)


# --- Cohorts --------------------------------------------------------------------------------


@router.get("/cohorts", response={200: list[CohortOut], **READ_ERRORS}, summary="Cohorts")
@paginate(PageNumber)
def list_cohorts(request: HttpRequest, filters: Query[CohortFilters]) -> Any:
    """The latest to start first."""
    return selectors.cohort_list(programme=filters.programme)


@router.post("/cohorts", response={201: CohortOut, **CREATE_ERRORS}, summary="Create a cohort")
def create_cohort(request: HttpRequest, payload: CohortIn) -> Any:
    """Programme managers and administrators. `ends_on` before `starts_on` is 422; an
    `institute` that is not a training institute is 422."""
    programme = selectors.programme_detail(payload.programme)
    if programme is None:
        raise ValidationError(
            {"programme": _("No programme has the id %(id)s.") % {"id": payload.programme}}
        )
    cohort = cohorts.create_cohort(
        by=signed_in(request),
        programme=programme,
        title=payload.title,
        venue=payload.venue,
        institute=organisation_from_ref("institute", payload.institute),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        applications_close_on=payload.applications_close_on,
        capacity=payload.capacity,
        completion_pct=payload.completion_pct,
        criteria=payload.criteria,
        trainers=people_from_refs("trainers", payload.trainers),
    )
    return Status(201, _cohort(cohort.pk))


@router.get("/cohorts/{cohort_id}", response={200: CohortOut, **ONE_ERRORS}, summary="One cohort")
def get_cohort(request: HttpRequest, cohort_id: CohortId) -> Any:
    return _cohort(cohort_id)


@router.get(
    "/cohorts/{cohort_id}/sessions",
    response={200: list[SessionOut], **ONE_ERRORS},
    summary="A cohort's schedule",
)
def list_sessions(request: HttpRequest, cohort_id: CohortId) -> Any:
    return list(selectors.sessions_of(_cohort(cohort_id)))


@router.post(
    "/cohorts/{cohort_id}/sessions",
    response={201: SessionOut, **CONFLICT_ERRORS},
    summary="Schedule a session",
)
def add_session(request: HttpRequest, cohort_id: CohortId, payload: SessionIn) -> Any:
    """Programme managers and administrators; within the cohort's days, `ends_at` after
    `starts_at` (422); a closed cohort is 409."""
    session = cohorts.add_session(
        by=signed_in(request),
        cohort=_cohort(cohort_id),
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        track=payload.track,
    )
    return Status(201, session)


@router.get(
    "/cohorts/{cohort_id}/calendar.ics",
    response={200: None, **ONE_ERRORS},
    summary="A cohort's sessions as a calendar",
    openapi_extra=CALENDAR,
)
def cohort_calendar(request: HttpRequest, cohort_id: CohortId) -> HttpResponse:
    cohort = _cohort(cohort_id)
    body = calendar.calendar_of(
        selectors.sessions_of(cohort).select_related("cohort"), name=cohort.title
    )
    return _ics(body, f"cohort-{cohort.pk}.ics")


@router.get(
    "/me/calendar.ics",
    response={200: None, **READ_ERRORS},
    summary="Your training sessions as a calendar",
    openapi_extra=CALENDAR,
)
def my_calendar(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    body = calendar.calendar_of(selectors.sessions_of_person(user), name=_("My training"))
    return _ics(body, "training.ics")


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Applications and selection -------------------------------------------------------------


@router.post(
    "/cohorts/{cohort_id}/applications",
    response={201: ApplicationOut, **CONFLICT_ERRORS},
    summary="Apply for a place",
)
def apply(request: HttpRequest, cohort_id: CohortId, payload: ApplicationIn) -> Any:
    """For yourself; a second application is 409, and so is one after applications close."""
    application = selection.apply(
        by=signed_in(request), cohort=_cohort(cohort_id), motivation=payload.motivation
    )
    return Status(201, application)


@router.get(
    "/cohorts/{cohort_id}/applications",
    response={200: list[ApplicationOut], **WRITE_ERRORS},
    summary="A cohort's applications",
)
@paginate(PageNumber)
def list_applications(
    request: HttpRequest, cohort_id: CohortId, filters: Query[ApplicationFilters]
) -> Any:
    """Programme managers, the cohort's trainers and administrators (403 for others). Best
    score first."""
    cohort = _cohort(cohort_id)
    _may(request, "training.view_application", cohort)
    return selectors.applications_of(cohort, status=filters.status)


@router.get(
    "/me/applications",
    response={200: list[ApplicationOut], **READ_ERRORS},
    summary="Your applications",
)
@paginate(PageNumber)
def my_applications(request: HttpRequest) -> Any:
    return selectors.my_applications(signed_in(request))


@router.post(
    "/cohorts/{cohort_id}/selection",
    response={200: SelectionOut, **CONFLICT_ERRORS},
    summary="Select and waitlist applications",
)
def select(request: HttpRequest, cohort_id: CohortId, payload: SelectionIn) -> Any:
    """More than `capacity` selected in all is 422 naming `selected`, and nothing changes."""
    return selection.select(
        by=signed_in(request),
        cohort=_cohort(cohort_id),
        selected=payload.selected,
        waitlisted=payload.waitlisted,
        tracks=payload.tracks,
    )


@router.post(
    "/cohorts/{cohort_id}/participants",
    response={200: list[ParticipantOut], **CONFLICT_ERRORS},
    summary="Enrol people directly",
)
def enrol(request: HttpRequest, cohort_id: CohortId, payload: EnrolIn) -> Any:
    """Programme managers and administrators enrol nominees as selected, within capacity
    (422 naming `users`)."""
    cohort = _cohort(cohort_id)
    selection.enrol(
        by=signed_in(request),
        cohort=cohort,
        users=people_from_refs("users", payload.users),
        track=payload.track,
    )
    return _participants(cohort)


@router.get(
    "/cohorts/{cohort_id}/participants",
    response={200: list[ParticipantOut], **WRITE_ERRORS},
    summary="Who takes part, and who completes",
)
def list_participants(request: HttpRequest, cohort_id: CohortId) -> Any:
    """The cohort's trainers, programme managers and administrators (403 for others).
    `completed` when attended x 100 >= completion_pct x sessions (the shared sessions and
    those of the participant's track)."""
    cohort = _cohort(cohort_id)
    _may(request, "training.add_attendance", cohort)
    return _participants(cohort)


def _participants(cohort: Cohort) -> list[dict[str, Any]]:
    rows = attendance.standings(cohort, list(selectors.participants_of(cohort)))
    return [
        {
            "user": row.participant.user_id,
            "track": row.participant.track,
            "attended": row.attended,
            "sessions": row.sessions,
            "completed": row.completed,
        }
        for row in rows
    ]


@router.put(
    "/cohorts/{cohort_id}/sessions/{session_id}/attendance",
    response={200: AttendanceOut, **CONFLICT_ERRORS},
    summary="Take a session's attendance",
)
def take_attendance(
    request: HttpRequest, cohort_id: CohortId, session_id: SessionId, payload: AttendanceIn
) -> Any:
    """Replaces the session's attendance. Someone not selected is 422 naming `present.N`."""
    session = found(selectors.session_of(_cohort(cohort_id), session_id))
    present = attendance.take_attendance(
        by=signed_in(request), session=session, present=payload.present
    )
    return {"session": session.pk, "present": present}


@router.post(
    "/cohorts/{cohort_id}/close",
    response={200: CohortOut, **CONFLICT_ERRORS},
    summary="Close a cohort",
)
def close(request: HttpRequest, cohort_id: CohortId) -> Any:
    """Records who completed; they count as trained from today, once a person. Before the
    last session has ended, 409."""
    attendance.close(by=signed_in(request), cohort=_cohort(cohort_id))
    return _cohort(cohort_id)


@router.get(
    "/cohorts/{cohort_id}/certificates/{user_id}.pdf",
    response={200: None, **ONE_ERRORS},
    summary="A certificate of completion",
    openapi_extra=PDF,
)
def certificate(request: HttpRequest, cohort_id: CohortId, user_id: UserId) -> HttpResponse:
    """The holder's own, or any for the cohort's trainers and programme managers; for
    someone who completed (404 otherwise, and for anyone else), in the holder's language."""
    cohort = _cohort(cohort_id)
    user = signed_in(request)
    if user.pk != user_id and not user.has_perm("training.add_attendance", cohort):
        raise Http404
    place = found(certificates.completed_place(cohort, user_id))
    response = HttpResponse(certificates.certificate_pdf(place), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{cohort_id}-{user_id}.pdf"'
    return response


@router.get(
    "/cohorts/{cohort_id}/funnel",
    response={200: CohortFunnelOut, **ONE_ERRORS},
    summary="Where the cohort's graduates went on to",
)
def funnel(request: HttpRequest, cohort_id: CohortId) -> Any:
    """Of those who completed, how many went on to propose an idea, have a design, lead a
    pilot, lead a completed pilot."""
    return progression.cohort_funnel(_cohort(cohort_id)).as_dict()


# --- Exercises ------------------------------------------------------------------------------


@router.get(
    "/cohorts/{cohort_id}/notes",
    response={200: list[NoteOut], **WRITE_ERRORS},
    summary="Hopes and fears",
)
def list_notes(request: HttpRequest, cohort_id: CohortId) -> Any:
    """The cohort's participants and trainers, programme managers (403 for others)."""
    cohort = _cohort(cohort_id)
    _may(request, "training.add_note", cohort)
    return list(selectors.notes_of(cohort))


@router.post(
    "/cohorts/{cohort_id}/notes",
    response={201: NoteOut, **CONFLICT_ERRORS},
    summary="Post a hope or a fear",
)
def post_note(request: HttpRequest, cohort_id: CohortId, payload: NoteIn) -> Any:
    note = exercises.post_note(
        by=signed_in(request), cohort=_cohort(cohort_id), kind=payload.kind, text=payload.text
    )
    return Status(201, note)


@router.get(
    "/cohorts/{cohort_id}/themes",
    response={200: list[ThemeOut], **WRITE_ERRORS},
    summary="Themes of hopes and fears",
)
def list_themes(request: HttpRequest, cohort_id: CohortId) -> Any:
    cohort = _cohort(cohort_id)
    _may(request, "training.add_note", cohort)
    return list(selectors.themes_of(cohort))


@router.post(
    "/cohorts/{cohort_id}/themes",
    response={201: ThemeOut, **CONFLICT_ERRORS},
    summary="Group notes into a theme",
)
def create_theme(request: HttpRequest, cohort_id: CohortId, payload: ThemeIn) -> Any:
    """The cohort's trainers and programme managers. A note of another cohort is 422
    naming `notes.N`; a note already in a theme moves."""
    cohort = _cohort(cohort_id)
    theme = exercises.create_theme(
        by=signed_in(request), cohort=cohort, title=payload.title, notes=payload.notes
    )
    return Status(201, found(selectors.themes_of(cohort).filter(pk=theme.pk).first()))


@router.get(
    "/cohorts/{cohort_id}/theme-suggestions",
    response={200: list[SuggestionOut], **WRITE_ERRORS},
    summary="Groups of similar notes",
)
def theme_suggestions(request: HttpRequest, cohort_id: CohortId) -> Any:
    """Notes not yet in a theme whose words are alike (in any of the product's languages),
    largest groups first, with the words they share."""
    cohort = _cohort(cohort_id)
    _may(request, "training.add_theme", cohort)
    return exercises.suggest_themes(cohort)


@router.get(
    "/cohorts/{cohort_id}/assignments",
    response={200: list[AssignmentOut], **ONE_ERRORS},
    summary="Secret-shopper assignments",
)
def list_assignments(request: HttpRequest, cohort_id: CohortId) -> Any:
    return list(selectors.assignments_of(_cohort(cohort_id)))


@router.post(
    "/cohorts/{cohort_id}/assignments",
    response={201: AssignmentOut, **CONFLICT_ERRORS},
    summary="Assign a secret-shopper service",
)
def assign(request: HttpRequest, cohort_id: CohortId, payload: AssignmentIn) -> Any:
    """`participant` (a user id) selected for the cohort, else 422; the same service twice
    is 409."""
    service = service_with_organisation(payload.service)
    if service is None:
        raise ValidationError(
            {"service": _("No service has the id %(id)s.") % {"id": payload.service}}
        )
    participant = person_from_ref("participant", payload.participant)
    assert participant is not None
    assignment = exercises.assign(
        by=signed_in(request), cohort=_cohort(cohort_id), participant=participant, service=service
    )
    return Status(201, assignment)


@router.get(
    "/cohorts/{cohort_id}/concepts",
    response={200: list[ConceptOut], **ONE_ERRORS},
    summary="Policy Lab concepts",
)
def list_concepts(request: HttpRequest, cohort_id: CohortId) -> Any:
    return list(selectors.concepts_of(_cohort(cohort_id)))


@router.post(
    "/cohorts/{cohort_id}/concepts",
    response={201: ConceptOut, **CONFLICT_ERRORS},
    summary="Write a concept",
)
def write_concept(request: HttpRequest, cohort_id: CohortId, payload: ConceptIn) -> Any:
    """`track` is one of the programme's tracks (null where it has none); `team` are user
    ids of participants (422 naming `team.N` otherwise)."""
    concept = exercises.write_concept(
        by=signed_in(request),
        cohort=_cohort(cohort_id),
        track=payload.track,
        title=payload.title,
        problem=payload.problem,
        users=payload.users,
        proposal=payload.proposal,
        next_step=payload.next_step,
        team=people_from_refs("team", payload.team),
    )
    return Status(201, _concept(concept.pk))


@router.post(
    "/concepts/{concept_id}/idea",
    response={201: IdeaOut, **CONFLICT_ERRORS},
    summary="Turn a concept into an idea",
)
def concept_to_idea(request: HttpRequest, concept_id: ConceptId) -> Any:
    """Once (409); the idea's `origin_cohort` is the concept's cohort."""
    idea = exercises.turn_into_idea(by=signed_in(request), concept=_concept(concept_id))
    return Status(201, idea_detail(idea.pk))


# --- Feedback -------------------------------------------------------------------------------


@router.post(
    "/cohorts/{cohort_id}/feedback",
    response={201: FeedbackResultsOut, **CONFLICT_ERRORS},
    summary="Rate the course",
)
def give_feedback(request: HttpRequest, cohort_id: CohortId, payload: FeedbackIn) -> Any:
    """Participants, once (409), from the course's last day (409 before). Answers the
    cohort's results so far."""
    cohort = _cohort(cohort_id)
    feedback.give_feedback(by=signed_in(request), cohort=cohort, **payload.dict())
    return Status(201, feedback.results(cohort))


@router.get(
    "/cohorts/{cohort_id}/feedback",
    response={200: FeedbackResultsOut, **WRITE_ERRORS},
    summary="The course's feedback results",
)
def feedback_results(request: HttpRequest, cohort_id: CohortId) -> Any:
    """Programme managers, the cohort's trainers and administrators."""
    cohort = _cohort(cohort_id)
    _may(request, "training.view_feedback", cohort)
    return feedback.results(cohort)
