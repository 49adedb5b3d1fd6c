"""Pages of training: thin views over the domain modules, the selectors and the rules. Every
page works without JavaScript; a write redirects after success, and a refusal comes back
beside the field it names with what was typed kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.core.errors import Conflict
from innohub.core.forms import write_with
from innohub.core.http import found
from innohub.core.pagination import paginate

from . import attendance, cohorts, feedback, progression, selection, selectors
from .criteria import CRITERIA
from .forms import ApplicationForm, CohortForm, EnrolForm, ScoreForm, SelectionForm, SessionForm
from .models import ApplicationStatus, Cohort, CohortStatus, Participant, Session

FUNNEL_LABELS = {
    "selected": gettext_lazy("Selected"),
    "completed": gettext_lazy("Completed the course"),
    "ideas": gettext_lazy("Proposed an idea"),
    "designs": gettext_lazy("Have a project design"),
    "pilots": gettext_lazy("Lead a pilot"),
    "completed_pilots": gettext_lazy("Lead a completed pilot"),
}


def _cohort_or_404(pk: int) -> Cohort:
    return found(selectors.cohort_detail(pk))


def _require(request: HttpRequest, perm: str, cohort: Cohort | None = None) -> Any:
    user = signed_in(request)
    if not user.has_perm(perm, cohort):
        raise PermissionDenied
    return user


def _refusal(refusal: Exception) -> str:
    return str(getattr(refusal, "message", "") or refusal.args[0])


# --- Cohorts --------------------------------------------------------------------------------


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    """Every cohort, the latest first; the person's own applications above."""
    user = signed_in(request)
    context = {
        "pager": paginate(request, selectors.cohort_list()),
        "may_create": user.has_perm("training.add_cohort"),
        "applications": list(selectors.my_applications(user)[:50]),
        "places": list(selectors.places_without_application(user)[:50]),
        "programmes": list(selectors.programme_list()[:50]),
    }
    return render(request, "training/cohort_list.html", context)


@login_required
def cohort_new(request: HttpRequest) -> HttpResponse:
    user = _require(request, "training.add_cohort")
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made: list[Cohort] = []
        if write_with(form, lambda data: made.append(cohorts.create_cohort(by=user, **data))):
            messages.success(request, _("The cohort is planned. Now schedule its sessions."))
            return redirect("training:cohort_sessions", made[0].pk)
    return render(request, "training/cohort_new.html", {"form": form})


def _detail(request: HttpRequest, cohort: Cohort, **forms: Any) -> HttpResponse:
    user = signed_in(request)
    place = selectors.place_of(cohort, user)
    status = cohort.status
    application = selectors.application_by(cohort, user)
    may_run = user.has_perm("training.change_cohort", cohort)
    takes_part_or_trains = user.has_perm("training.add_note", cohort)
    context = {
        "cohort": cohort,
        "status": status,
        "programme": cohort.programme,
        "modules": list(cohort.programme.modules.all()),
        "sessions": list(selectors.sessions_of(cohort)),
        "place": place,
        "standing": attendance.standings(cohort, [place])[0] if place else None,
        "application": application,
        "may_apply": status == CohortStatus.OPEN and application is None and place is None,
        "apply_form": forms.get("apply_form") or ApplicationForm(),
        "may_run": may_run,
        "may_see_applications": user.has_perm("training.view_application", cohort),
        "may_take_attendance": user.has_perm("training.add_attendance", cohort),
        "in_the_room": takes_part_or_trains,
        "trainers": [
            trainer.get_full_name() or trainer.username for trainer in cohort.trainers.all()
        ],
    }
    return render(request, "training/cohort_detail.html", context)


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _cohort_or_404(pk))


@login_required
@require_POST
def cohort_apply(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = signed_in(request)
    form = ApplicationForm(request.POST)
    if form.is_valid() and write_with(
        form, lambda data: selection.apply(by=user, cohort=cohort, motivation=data["motivation"])
    ):
        messages.success(
            request, _("Your application is sent. You will be told when the selection is made.")
        )
        return redirect("training:cohort_detail", pk)
    return _detail(request, cohort, apply_form=form)


# --- Sessions -------------------------------------------------------------------------------


@login_required
def cohort_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """The schedule, and (for programme managers) a form to add a session."""
    cohort = _cohort_or_404(pk)
    user = signed_in(request)
    may_schedule = user.has_perm("training.change_cohort", cohort) and cohort.closed_on is None
    form = SessionForm(request.POST or None, cohort=cohort, initial={"day": cohort.starts_on})
    if request.method == "POST":
        if not may_schedule:
            raise PermissionDenied
        if form.is_valid():
            starts_at, ends_at = form.moments()

            def write(data: dict[str, Any]) -> None:
                cohorts.add_session(
                    by=user,
                    cohort=cohort,
                    title=data["title"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    track=data.get("track") or "",
                )

            if write_with(form, write):
                messages.success(request, _("The session is on the schedule."))
                return redirect("training:cohort_sessions", pk)
    context = {
        "cohort": cohort,
        "sessions": list(selectors.sessions_of(cohort)),
        "form": form,
        "may_schedule": may_schedule,
        "may_take_attendance": user.has_perm("training.add_attendance", cohort),
    }
    return render(request, "training/cohort_sessions.html", context)


# --- Applications and selection -------------------------------------------------------------


def _applications_page(request: HttpRequest, cohort: Cohort, **forms: Any) -> HttpResponse:
    user = _require(request, "training.view_application", cohort)
    status = request.GET.get("status", "")
    status = status if status in ApplicationStatus.values else ""
    pager = paginate(request, selectors.applications_of(cohort, status=status or None))
    rows = list(pager["page"].object_list)
    balance = selection.balance(cohort)
    names = selection.ministry_names(list(balance["ministry"]))
    context = {
        "cohort": cohort,
        "pager": pager,
        "rows": rows,
        "status": status,
        "statuses": ApplicationStatus.choices,
        "criteria": {key: label for key, label in CRITERIA.items() if key in cohort.criteria},
        "tracks": cohort.programme.tracks,
        "may_select": user.has_perm("training.change_cohort", cohort) and cohort.closed_on is None,
        "selection_form": forms.get("selection_form"),
        "enrol_form": forms.get("enrol_form") or EnrolForm(cohort=cohort),
        "balance": {
            _("Gender"): sorted(balance["gender"].items(), key=lambda item: -item[1]),
            _("Grade"): sorted(balance["grade"].items(), key=lambda item: -item[1]),
            _("Ministry"): sorted(
                ((names.get(key, _("None given")), n) for key, n in balance["ministry"].items()),
                key=lambda item: -item[1],
            ),
        },
    }
    return render(request, "training/cohort_applications.html", context)


@login_required
def cohort_applications(request: HttpRequest, pk: int) -> HttpResponse:
    """Applications, best scored first, with the selection's live balance; programme
    managers tick whom to select and whom to waitlist."""
    cohort = _cohort_or_404(pk)
    if request.method != "POST":
        return _applications_page(request, cohort)
    user = _require(request, "training.change_cohort", cohort)
    ids = list(cohort.applications.values_list("pk", flat=True))
    form = SelectionForm(request.POST, applications=ids)
    if form.is_valid() and write_with(
        form,
        lambda data: selection.select(
            by=user,
            cohort=cohort,
            selected=data["selected"],
            waitlisted=data["waitlisted"],
            tracks={
                pk: track
                for pk in data["selected"]
                if (track := request.POST.get(f"track-{pk}", ""))
            },
        ),
    ):
        messages.success(request, _("The selection is saved and the people are told."))
        return redirect("training:cohort_applications", pk)
    return _applications_page(request, cohort, selection_form=form)


@login_required
@require_POST
def application_score(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = _require(request, "training.change_cohort", cohort)
    application = found(selectors.application_of(cohort, application_pk))
    form = ScoreForm(request.POST, cohort=cohort)
    if form.is_valid() and write_with(
        form,
        lambda data: selection.score(
            by=user,
            application=application,
            scores={key: value for key, value in data.items() if value is not None},
        ),
    ):
        messages.success(request, _("The scores are saved."))
    else:
        messages.error(request, _("Give each score as a whole number from 1 to 5."))
    url = reverse("training:cohort_applications", args=[pk])
    return redirect(f"{url}#application-{application.pk}")


@login_required
@require_POST
def cohort_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = _require(request, "training.change_cohort", cohort)
    form = EnrolForm(request.POST, cohort=cohort)
    if form.is_valid() and write_with(
        form,
        lambda data: selection.enrol(
            by=user, cohort=cohort, users=data["usernames"], track=data.get("track") or ""
        ),
    ):
        messages.success(request, _("They are enrolled and told."))
        return redirect("training:cohort_applications", pk)
    return _applications_page(request, cohort, enrol_form=form)


# --- Attendance, participants, closing ------------------------------------------------------


def _session_or_404(cohort: Cohort, pk: int) -> Session:
    return found(selectors.session_of(cohort, pk))


@login_required
def session_attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """One tap per person: each participant's button marks them present or absent. With
    htmx the row is swapped in place; without JavaScript the page comes back."""
    cohort = _cohort_or_404(pk)
    user = _require(request, "training.add_attendance", cohort)
    session = _session_or_404(cohort, session_pk)
    participants = [
        participant
        for participant in selectors.participants_of(cohort)
        if not session.track or participant.track == session.track
    ]
    if request.method == "POST":
        raw = request.POST.get("person", "")
        person = int(raw) if raw.isdigit() and len(raw) < 18 else None
        try:
            if person is None:
                raise ValidationError({"present.0": _("Choose a person.")})
            attendance.mark(
                by=user, session=session, person=person, present=request.POST.get("present") == "1"
            )
        except (Conflict, PermissionDenied) as refusal:
            messages.error(request, _refusal(refusal))
        except ValidationError as error:  # someone not selected, or in another track
            messages.error(request, next(iter(error.message_dict.values()))[0])
        row = next((p for p in participants if p.user_id == person), None)
        if getattr(request, "htmx", False) and row is not None:
            return render(
                request,
                "training/includes/attendance_row.html",
                {
                    "cohort": cohort,
                    "session": session,
                    "participant": row,
                    "present": selectors.present_at(session),
                },
            )
        return redirect("training:session_attendance", pk, session_pk)
    context = {
        "cohort": cohort,
        "session": session,
        "participants": participants,
        "present": selectors.present_at(session),
        "closed": cohort.closed_on is not None,
    }
    return render(request, "training/session_attendance.html", context)


@login_required
def cohort_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Who takes part, their attendance and whether they complete; closing the cohort."""
    cohort = _cohort_or_404(pk)
    user = _require(request, "training.add_attendance", cohort)
    participants: list[Participant] = list(selectors.participants_of(cohort))
    last = attendance.last_session_end(cohort)
    context = {
        "cohort": cohort,
        "rows": attendance.standings(cohort, participants),
        "may_close": user.has_perm("training.change_cohort", cohort) and cohort.closed_on is None,
        "last_session_end": last,
        "sessions": len(selectors.sessions_of(cohort)),
    }
    return render(request, "training/cohort_participants.html", context)


@login_required
@require_POST
def cohort_close(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(pk)
    user = _require(request, "training.change_cohort", cohort)
    try:
        rows = attendance.close(by=user, cohort=cohort)
    except (Conflict, PermissionDenied) as refusal:
        messages.error(request, _refusal(refusal))
    else:
        done = sum(row.completed for row in rows)
        messages.success(
            request,
            _("The cohort is closed: %(done)s of %(all)s completed it and count as trained.")
            % {"done": done, "all": len(rows)},
        )
    return redirect("training:cohort_participants", pk)


# --- Progression ----------------------------------------------------------------------------


def _funnel_context(funnel: progression.Funnel) -> dict[str, Any]:
    figures = funnel.as_dict()
    rows = [(key, FUNNEL_LABELS[key], figures[key]) for key in FUNNEL_LABELS]
    base = figures["completed"]

    def share(key: str, value: int) -> int | None:
        if not base or key in ("selected", "completed"):
            return None
        return (200 * value + base) // (2 * base)  # a percentage of those who completed, half up

    return {
        "rows": [(label, value, share(key, value)) for key, label, value in rows],
        "chart": {
            "type": "bar",
            "horizontal": True,
            "labels": [str(label) for _key, label, _value in rows],
            "values": [value for _key, _label, value in rows],
            "series": str(gettext_lazy("People")),
        },
    }


@login_required
def cohort_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the cohort's graduates went on to: the funnel, as a chart and its table."""
    cohort = _cohort_or_404(pk)
    context = {
        "cohort": cohort,
        **_funnel_context(progression.cohort_funnel(cohort)),
        "feedback": feedback.results(cohort)
        if signed_in(request).has_perm("training.view_feedback", cohort)
        else None,
    }
    return render(request, "training/cohort_progress.html", context)


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = found(selectors.programme_detail(pk))
    context = {
        "programme": programme,
        "modules": list(programme.modules.all()),
        "cohorts": list(selectors.cohort_list(programme=programme.pk)[:50]),
        **_funnel_context(progression.programme_funnel(programme)),
    }
    return render(request, "training/programme_detail.html", context)
