"""Reading training: one function per list or page, used by the pages and the API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, Prefetch, Q, QuerySet

from .models import (
    Application,
    Assignment,
    Cohort,
    Concept,
    Note,
    Participant,
    Programme,
    Session,
    Theme,
)

if TYPE_CHECKING:
    from innohub.accounts.models import User


class ConceptOrigins:
    """The pipeline's `origins` slot: an idea's cohort is its concept's (SETTLED.md)."""

    related_name = "concept"

    def cohort_of(self, link: Any) -> int | None:
        return link.cohort_id


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("modules").order_by("name", "id")


def programme_detail(pk: int) -> Programme | None:
    return Programme.objects.prefetch_related("modules").filter(pk=pk).first()


def programme_by_key(key: str) -> Programme | None:
    return Programme.objects.filter(key=key).first()


def cohort_list(*, programme: int | None = None, trainer: int | None = None) -> QuerySet[Cohort]:
    """Cohorts, the latest to start first, with their trainers (two queries a page)."""
    cohorts = (
        Cohort.objects.select_related("programme", "institute")
        .prefetch_related("trainers")
        .order_by("-starts_on", "-id")
    )
    if programme is not None:
        cohorts = cohorts.filter(programme_id=programme)
    if trainer is not None:
        cohorts = cohorts.filter(trainers=trainer)
    return cohorts


def cohort_detail(pk: int) -> Cohort | None:
    return (
        Cohort.objects.select_related("programme", "institute")
        .prefetch_related("trainers")
        .filter(pk=pk)
        .first()
    )


def sessions_of(cohort: Cohort) -> QuerySet[Session]:
    return Session.objects.filter(cohort=cohort).order_by("starts_at", "id")


def session_of(cohort: Cohort, pk: int) -> Session | None:
    return Session.objects.filter(cohort=cohort, pk=pk).select_related("cohort").first()


def sessions_of_person(user: User) -> QuerySet[Session]:
    """The sessions of the cohorts the person is selected for or trains, in their track."""
    return (
        Session.objects.filter(
            Q(cohort__participants__user=user)
            & (Q(track="") | Q(track=F("cohort__participants__track")))
            | Q(cohort__trainers=user)
        )
        .select_related("cohort")
        .distinct()
        .order_by("starts_at", "id")
    )


def applications_of(cohort: Cohort, *, status: str | None = None) -> QuerySet[Application]:
    """Best score first, unscored last, then oldest: the order a selection is made in."""
    applications = (
        Application.objects.filter(cohort=cohort)
        .select_related("applicant", "applicant__profile", "applicant__profile__organisation")
        .order_by("-score", "id")
    )
    if status:
        applications = applications.filter(status=status)
    return applications


def application_of(cohort: Cohort, pk: int) -> Application | None:
    return Application.objects.filter(cohort=cohort, pk=pk).select_related("applicant").first()


def my_applications(user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort", "cohort__programme")
        .order_by("-created", "-id")
    )


def places_without_application(user: User) -> QuerySet[Participant]:
    """The cohorts the person was enrolled in directly (nominated by their ministry)."""
    return (
        Participant.objects.filter(user=user, application__isnull=True)
        .select_related("cohort", "cohort__programme")
        .order_by("-cohort__starts_on", "-id")
    )


def application_by(cohort: Cohort, user: User) -> Application | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Application.objects.filter(cohort=cohort, applicant=user).first()


def participants_of(cohort: Cohort) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(cohort=cohort)
        .select_related("user", "user__profile")
        .order_by("user__first_name", "user__last_name", "user__username", "id")
    )


def place_of(cohort: Cohort, user: Any) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(cohort=cohort, user=user).first()


def present_at(session: Session) -> set[int]:
    """User ids of those marked present (one query)."""
    return set(session.attendance.values_list("participant__user_id", flat=True))


def notes_of(cohort: Cohort) -> QuerySet[Note]:
    return Note.objects.filter(cohort=cohort).select_related("author").order_by("id")


def themes_of(cohort: Cohort) -> QuerySet[Theme]:
    return (
        Theme.objects.filter(cohort=cohort)
        .prefetch_related(Prefetch("notes", queryset=Note.objects.order_by("id")))
        .order_by("id")
    )


def concepts_of(cohort: Cohort) -> QuerySet[Concept]:
    return (
        Concept.objects.filter(cohort=cohort)
        .select_related("idea", "by")
        .prefetch_related("team")
        .order_by("track", "id")
    )


def concept_detail(pk: int) -> Concept | None:
    return (
        Concept.objects.select_related("cohort", "cohort__programme", "idea")
        .prefetch_related("team")
        .filter(pk=pk)
        .first()
    )


def assignments_of(cohort: Cohort) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(cohort=cohort)
        .select_related("participant", "service")
        .order_by("participant__username", "id")
    )
