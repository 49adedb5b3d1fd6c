"""Pages of fellowship and recognition: the calls, nominating a colleague, the panel's
scoring, the decision, the fellows' circle, recognising a colleague, and a ministry's report
for promotion boards (PDF). Thin, as `views.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from innohub.accounts.auth import signed_in
from innohub.accounts.models import User
from innohub.core.errors import Conflict
from innohub.core.forms import apply_errors
from innohub.core.pagination import paginate
from innohub.orgs.models import Kind, Organisation
from innohub.pipeline.design_pdf import pdf_of

from . import fellowships, selectors
from .forms import (
    CircleForm,
    FellowshipForm,
    NominationForm,
    NominationReviewForm,
    RecognitionForm,
)
from .models import CircleEntry, Fellowship, Nomination, NominationReview
from .rules import moderates


def _fellowship_or_404(pk: int) -> Fellowship:
    found = Fellowship.objects.prefetch_related("panel").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def fellowship_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    calls = Fellowship.objects.order_by("-closes_on", "-id")
    return render(
        request,
        "network/fellowship_list.html",
        {"pager": paginate(request, calls), "can_open": moderates(user)},
    )


@login_required
def fellowship_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not user.has_perm("network.add_fellowship"):
        raise PermissionDenied
    form = FellowshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = fellowships.open_fellowship(
                by=user,
                title=data["title"],
                description=data["description"],
                seats=data["seats"],
                closes_on=data["closes_on"],
                panel=data["panel"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The fellowship is open for nominations."))
            return redirect("network:fellowship_detail", made.pk)
    return render(request, "network/fellowship_form.html", {"form": form})


@login_required
def fellowship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The call; a form to nominate while it is open; for the panel, the nominations to
    score; for moderators, the standings and the decision; after it, the fellows."""
    user = signed_in(request)
    fellowship = _fellowship_or_404(pk)
    on_panel = user.has_perm("network.add_nominationreview", fellowship)
    is_moderator = moderates(user)
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fellowships.nominate(
                by=user,
                fellowship=fellowship,
                nominee=form.cleaned_data["nominee"],
                aims=form.cleaned_data["aims"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Thank you. The panel will read your nomination."))
            return redirect("network:fellowship_detail", fellowship.pk)
    nominations: list[Nomination] = []
    mine: set[int] = set()
    if on_panel or is_moderator:
        nominations = list(
            Nomination.objects.filter(fellowship=fellowship)
            .select_related("nominee", "nominator", "nominee__profile__organisation")
            .order_by("id")[:500]
        )
        mine = set(
            NominationReview.objects.filter(
                nomination__fellowship=fellowship, reviewer=user
            ).values_list("nomination_id", flat=True)
        )
    else:
        nominations = list(
            Nomination.objects.filter(fellowship=fellowship, nominator=user)
            .select_related("nominee")
            .order_by("id")
        )
    standings = fellowships.standings(fellowship) if is_moderator else []
    names = User.objects.select_related("profile__organisation").in_bulk(
        [row.user_id for row in standings]
    )
    context = {
        "fellowship": fellowship,
        "open": fellowships.is_open(fellowship),
        "form": form,
        "on_panel": on_panel,
        "is_moderator": is_moderator,
        "nominations": nominations,
        "reviewed": mine,
        "review_form": NominationReviewForm(),
        "standings": [{"person": names.get(row.user_id), "row": row} for row in standings],
        "fellows": list(fellowship.fellows.select_related("user", "user__profile__organisation")),
        "in_circle": user.has_perm("network.view_circle", fellowship),
    }
    return render(request, "network/fellowship_detail.html", context)


@login_required
@require_POST
def nomination_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    nomination = Nomination.objects.select_related("fellowship").filter(pk=pk).first()
    if nomination is None:
        raise Http404
    form = NominationReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a score from 1 to 5."))
    else:
        try:
            fellowships.review(
                by=user,
                nomination=nomination,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except (Conflict, ValidationError) as refusal:
            messages.error(request, getattr(refusal, "message", "") or str(refusal))
        else:
            messages.success(request, _("Your score is recorded."))
    return redirect("network:fellowship_detail", nomination.fellowship_id)


@login_required
@require_POST
def fellowship_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    fellowship = _fellowship_or_404(pk)
    try:
        chosen = fellowships.decide(by=user, fellowship=fellowship)
    except Conflict as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            ngettext(
                "Decided: %(n)d fellow, recognised on their profile.",
                "Decided: %(n)d fellows, each recognised on their profile.",
                len(chosen),
            )
            % {"n": len(chosen)},
        )
    return redirect("network:fellowship_detail", fellowship.pk)


@login_required
def fellowship_circle(request: HttpRequest, pk: int) -> HttpResponse:
    """The fellows' peer-support circle: check-ins, asks and offers, replies."""
    user = signed_in(request)
    fellowship = _fellowship_or_404(pk)
    if not user.has_perm("network.view_circle", fellowship):
        raise PermissionDenied
    form = CircleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reply_to = None
        raw = request.POST.get("reply_to", "")
        if raw.isdigit() and len(raw) < 19:
            reply_to = CircleEntry.objects.filter(pk=int(raw), fellowship=fellowship).first()
        try:
            fellowships.add_to_circle(
                by=user,
                fellowship=fellowship,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                reply_to=reply_to,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Shared with the circle."))
            return redirect("network:fellowship_circle", fellowship.pk)
    entries = list(
        CircleEntry.objects.filter(fellowship=fellowship, reply_to__isnull=True)
        .select_related("author")
        .prefetch_related("replies__author")
        .order_by("-id")[:200]
    )
    context = {"fellowship": fellowship, "entries": entries, "form": form}
    return render(request, "network/fellowship_circle.html", context)


@login_required
@require_POST
def circle_answered(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    entry = CircleEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    try:
        fellowships.mark_answered(by=user, entry=entry)
    except Conflict as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Marked as answered. Thank the one who helped."))
    return redirect("network:fellowship_circle", entry.fellowship_id)


# --- Recognition -----------------------------------------------------------------------------


@login_required
def recognise(request: HttpRequest, username: str) -> HttpResponse:
    """Endorse a colleague (anyone), or give an award (moderators)."""
    user = signed_in(request)
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise Http404
    if person.pk == user.pk:
        raise PermissionDenied
    form = RecognitionForm(request.POST or None, awards=moderates(user))
    if request.method == "POST" and form.is_valid():
        try:
            fellowships.recognise(
                by=user,
                user=person,
                kind=form.cleaned_data["kind"],
                citation=form.cleaned_data["citation"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. It is on their profile."))
            return redirect("accounts:person", person.username)
    return render(request, "network/recognise.html", {"person": person, "form": form})


def _report_organisation(request: HttpRequest) -> Organisation | None:
    raw = request.GET.get("organisation", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return Organisation.objects.filter(pk=int(raw)).first()


@login_required
def recognition_report(request: HttpRequest) -> HttpResponse:
    """A ministry's recognised people, for promotion boards: the page, and its PDF
    (`?format=pdf`). Senior reviewers, programme managers and administrators."""
    user = signed_in(request)
    if not user.has_perm("network.view_recognition_report"):
        raise PermissionDenied
    ministries = (
        Organisation.objects.filter(parent__isnull=True, kind=Kind.MINISTRY)
        .only("id", "name", "name_local")
        .order_by("name")
    )
    organisation = _report_organisation(request)
    people = selectors.recognition_report(organisation) if organisation else []
    context = {
        "ministries": ministries,
        "organisation": organisation,
        "people": people,
        "asked": "organisation" in request.GET,
        "today": timezone.localdate(),
    }
    if organisation is not None and request.GET.get("format") == "pdf":
        pdf = pdf_of("network/recognition_report_pdf.html", context)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="recognition-{organisation.pk}-{context["today"]:%Y-%m-%d}.pdf"'
        )
        return response
    return render(request, "network/recognition_report.html", context)
