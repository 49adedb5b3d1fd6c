"""Applications and selection: civil servants apply with a motivation; the programme manager
scores them on the selection criteria, selects within capacity and waitlists, watching the
balance of the selection (gender, grade, ministry); ministries' nominees are enrolled
directly (docs/api.md, "Training"). Each step is one transaction that changes all or nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from innohub.accounts.models import Profile
from innohub.accounts.notifications import notify
from innohub.core.errors import Conflict
from innohub.core.models import ids_in_path
from innohub.core.text import collect_text
from innohub.orgs.models import Organisation

from .cohorts import refuse_if_closed, today, track_error
from .criteria import CRITERIA
from .limits import TEXT_MAX
from .models import Application, ApplicationStatus, Cohort, Participant

if TYPE_CHECKING:
    from innohub.accounts.models import User

SELECTED = gettext_noop("You have a place in “%(cohort)s”")
SELECTED_BODY = gettext_noop("The course starts on %(starts_on)s at %(venue)s.")
WAITLISTED = gettext_noop("You are on the waiting list for “%(cohort)s”")
WAITLISTED_BODY = gettext_noop("We will tell you if a place frees up before %(starts_on)s.")


def _url(cohort: Cohort) -> str:
    return reverse("training:cohort_detail", args=[cohort.pk])


def _tell(user: User, cohort: Cohort, subject: str, body: str) -> None:
    notify(
        user=user,
        kind="training",
        subject=subject,
        body=body,
        url=_url(cohort),
        params={
            "cohort": cohort.title,
            "starts_on": cohort.starts_on.isoformat(),
            "venue": cohort.venue or "-",
        },
    )


# --- Applying -------------------------------------------------------------------------------


@transaction.atomic
def apply(*, by: User, cohort: Cohort, motivation: str) -> Application:
    """The caller applies for themself, once (409), before applications close (409)."""
    refuse_if_closed(cohort)
    if today() > cohort.last_application_day:
        raise Conflict(
            _("Applications to this cohort closed on %(day)s.")
            % {"day": cohort.last_application_day.isoformat()}
        )
    errors: dict[str, str] = {}
    motivation = collect_text(errors, motivation, "motivation", max_length=TEXT_MAX, required=True)
    if errors:
        raise ValidationError(errors)
    if Participant.objects.filter(cohort=cohort, user=by).exists():
        raise Conflict(_("You already have a place in this cohort."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                cohort=cohort, applicant=by, motivation=motivation
            )
    except IntegrityError:
        raise Conflict(_("You have already applied to this cohort.")) from None
    Cohort.objects.filter(pk=cohort.pk).update(applications_count=F("applications_count") + 1)
    return application


def _half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def score(*, by: User, application: Application, scores: Mapping[str, Any]) -> Application:
    """Scores 1-5 on the cohort's criteria (`criteria.CRITERIA`, those the cohort chose);
    the application keeps their mean."""
    if not by.has_perm("training.change_cohort", application.cohort):
        raise PermissionDenied(_("Only a programme manager scores applications."))
    errors: dict[str, str] = {}
    kept: dict[str, int] = {}
    for key, value in scores.items():
        if key not in CRITERIA or key not in application.cohort.criteria:
            errors[f"scores.{key}"] = _("Not a selection criterion of this cohort.")
        elif value in (None, ""):
            continue
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[f"scores.{key}"] = _("Give a whole number from 1 to 5.")
        else:
            kept[key] = value
    if errors:
        raise ValidationError(errors)
    application.scores = kept
    application.score = _half_up(Decimal(sum(kept.values())) / len(kept)) if kept else None
    application.save(update_fields=["scores", "score", "modified"])
    return application


# --- Selecting and enrolling ----------------------------------------------------------------


def _ids_error(
    field: str, ids: Sequence[int], known: Mapping[int, Any], what: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for index, pk in enumerate(ids):
        if pk not in known:
            errors[f"{field}.{index}"] = what % {"id": pk}
        elif pk in seen:
            errors[f"{field}.{index}"] = _("%(id)s is listed twice.") % {"id": pk}
        seen.add(pk)
    return errors


def _capacity_error(cohort: Cohort, adding: int) -> str | None:
    if cohort.selected_count + adding > cohort.capacity:
        return _(
            "The cohort has %(capacity)s places and %(taken)s are taken: %(adding)s more do "
            "not fit."
        ) % {"capacity": cohort.capacity, "taken": cohort.selected_count, "adding": adding}
    return None


def _locked(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().select_related("programme").get(pk=cohort.pk)


@transaction.atomic
def select(
    *,
    by: User,
    cohort: Cohort,
    selected: Sequence[int] = (),
    waitlisted: Sequence[int] = (),
    tracks: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """Select and waitlist applications (ids) of the cohort. More than `capacity` selected
    in all, earlier selections included, is 422 naming `selected`; nothing changes then.
    A selected application moved to the waiting list gives its place back. The people are
    told."""
    if not by.has_perm("training.change_cohort", cohort):
        raise PermissionDenied(_("Only a programme manager selects participants."))
    cohort = _locked(cohort)
    refuse_if_closed(cohort)
    wanted = [*selected, *waitlisted]
    applications = {
        application.pk: application
        for application in Application.objects.filter(cohort=cohort, pk__in=wanted)
        .select_related("applicant")
        .select_for_update()
    }
    missing = _("Application %(id)s is not one of this cohort's.")
    errors = {
        **_ids_error("selected", selected, applications, missing),
        **_ids_error("waitlisted", waitlisted, applications, missing),
    }
    for index, pk in enumerate(waitlisted):
        if pk in selected:
            errors[f"waitlisted.{index}"] = _("%(id)s cannot be selected and waitlisted.") % {
                "id": pk
            }
    tracks = tracks or {}
    for pk, track in tracks.items():
        if message := track_error(cohort, track):
            errors[f"tracks.{pk}"] = message
    newly = [pk for pk in dict.fromkeys(selected) if applications.get(pk) is not None]
    newly = [pk for pk in newly if applications[pk].status != ApplicationStatus.SELECTED]
    freed = [
        pk
        for pk in dict.fromkeys(waitlisted)
        if pk in applications and applications[pk].status == ApplicationStatus.SELECTED
    ]
    if not errors and (message := _capacity_error(cohort, len(newly) - len(freed))):
        errors["selected"] = message
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for pk in newly:
        application = applications[pk]
        Participant.objects.update_or_create(
            cohort=cohort,
            user=application.applicant,
            defaults={"application": application, "track": tracks.get(pk, "")},
        )
        _decide(application, ApplicationStatus.SELECTED, by, now)
        _tell(application.applicant, cohort, SELECTED, SELECTED_BODY)
    for pk in dict.fromkeys(waitlisted):
        application = applications[pk]
        if application.status == ApplicationStatus.WAITLISTED:
            continue
        if pk in freed:
            Participant.objects.filter(cohort=cohort, user=application.applicant).delete()
        _decide(application, ApplicationStatus.WAITLISTED, by, now)
        _tell(application.applicant, cohort, WAITLISTED, WAITLISTED_BODY)
    _recount(cohort)
    return {
        "selected": list(
            cohort.applications.filter(status=ApplicationStatus.SELECTED).values_list(
                "pk", flat=True
            )
        ),
        "waitlisted": list(
            cohort.applications.filter(status=ApplicationStatus.WAITLISTED).values_list(
                "pk", flat=True
            )
        ),
        "balance": balance(cohort),
    }


def _decide(application: Application, status: str, by: User, now: Any) -> None:
    application.status = status
    application.decided_by = by
    application.decided_at = now
    application.save(update_fields=["status", "decided_by", "decided_at", "modified"])


def _recount(cohort: Cohort) -> None:
    Cohort.objects.filter(pk=cohort.pk).update(
        selected_count=Participant.objects.filter(cohort=cohort).count()
    )
    cohort.refresh_from_db(fields=["selected_count"])


@transaction.atomic
def enrol(*, by: User, cohort: Cohort, users: Sequence[User], track: str = "") -> list[Participant]:
    """Enrol people directly, as selected (a ministry's nominees): programme managers and
    administrators, within capacity (422 naming `users`). Someone already in is left as is;
    an application of theirs is marked selected."""
    if not by.has_perm("training.change_cohort", cohort):
        raise PermissionDenied(_("Only a programme manager enrols participants."))
    cohort = _locked(cohort)
    refuse_if_closed(cohort)
    if message := track_error(cohort, track):
        raise ValidationError({"track": message})
    present = set(Participant.objects.filter(cohort=cohort).values_list("user_id", flat=True))
    adding = list({user.pk: user for user in users if user.pk not in present}.values())
    if message := _capacity_error(cohort, len(adding)):
        raise ValidationError({"users": message})
    now = timezone.now()
    applications = {
        application.applicant_id: application
        for application in Application.objects.filter(
            cohort=cohort, applicant__in=[user.pk for user in adding]
        )
    }
    places = []
    for user in adding:
        application = applications.get(user.pk)
        places.append(
            Participant.objects.create(
                cohort=cohort, user=user, track=track, application=application
            )
        )
        if application is not None:
            _decide(application, ApplicationStatus.SELECTED, by, now)
        _tell(user, cohort, SELECTED, SELECTED_BODY)
    _recount(cohort)
    return places


# --- Balance --------------------------------------------------------------------------------


def balance(cohort: Cohort, *, adding: Sequence[int] = ()) -> dict[str, dict[str, int]]:
    """Counts of the selected (and of `adding`, user ids not yet selected) by gender, grade
    and ministry (the top of their organisation's tree, by id): two queries."""
    users = set(Participant.objects.filter(cohort=cohort).values_list("user_id", flat=True))
    users.update(adding)
    profiles = Profile.objects.filter(user_id__in=users).values_list(
        "gender", "grade", "organisation__path"
    )
    gender: Counter[str] = Counter()
    grade: Counter[str] = Counter()
    ministry: Counter[str] = Counter()
    counted = 0
    for sex, level, path in profiles:
        counted += 1
        gender[sex or "unsaid"] += 1
        grade[level or "unsaid"] += 1
        ministry[str(ids_in_path(path)[0]) if path else "none"] += 1
    unknown = len(users) - counted
    for counter in (gender, grade, ministry):
        if unknown:
            counter["unsaid" if counter is not ministry else "none"] += unknown
    return {"gender": dict(gender), "grade": dict(grade), "ministry": dict(ministry)}


def ministry_names(ids: Sequence[str]) -> dict[str, str]:
    """Names for `balance`'s ministry keys (one query)."""
    pks = [int(key) for key in ids if key.isdigit()]
    return {
        str(pk): name
        for pk, name in Organisation.objects.filter(pk__in=pks).values_list("pk", "name")
    }
