"""The pages citizens see, without an account (docs/api.md: `/consultations/{id}/`): the
consultations open now, one consultation's question, how to take part, the online form and
"you said, we did". They work without JavaScript and load none (light on a cheap phone);
counts of fewer than 5 citizens are not shown (MODEL.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from innohub.accounts.models import User
from innohub.core.errors import RateLimited
from innohub.core.forms import write_with
from innohub.core.http import found
from innohub.core.net import client_ip
from innohub.core.pagination import paginate

from . import kpis, selectors, services
from .forms import ContributionForm
from .models import Channel, Consultation, ConsultationStatus


def public_list(request: HttpRequest) -> HttpResponse:
    """Consultations open now and those to come; then the closed ones with their answers."""
    today = timezone.localdate()
    current = selectors.consultation_list().filter(closes_on__gte=today)
    closed = selectors.consultation_list().filter(closes_on__lt=today)
    context = {
        "pager": paginate(request, current),
        "closed_pager": paginate(request, closed, param="closed"),
        "today": today,
    }
    return render(request, "engagement/public_list.html", context)


def _page(
    request: HttpRequest, consultation: Consultation, form: ContributionForm | None = None,
    *, status: int = 200,
) -> HttpResponse:  # fmt: skip
    state = consultation.status
    figures = kpis.public_figures(consultation)
    context = {
        "consultation": consultation,
        "state": state,
        "is_open": state == ConsultationStatus.OPEN,
        "online": Channel.ONLINE in consultation.channels,
        "other_channels": [
            label
            for channel, label in Channel.choices
            if channel != Channel.ONLINE and channel in consultation.channels
        ],
        "form": form or ContributionForm(),
        "findings": selectors.findings_of(consultation),
        "figures": figures,
        "channel_rows": [
            (label, figures["by_channel"][channel]) for channel, label in Channel.choices
        ],
    }
    return render(request, "engagement/public_detail.html", context, status=status)


def _contributor(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


@require_http_methods(["GET", "POST"])
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The question, how to take part, the form while open, and "you said, we did". A POST
    is a contribution: refused fields come back beside the form's boxes, with what was typed;
    409 outside the dates, 429 (with Retry-After) past the hourly limit."""
    consultation = found(selectors.consultation_detail(pk))
    if request.method != "POST":
        return _page(request, consultation)
    form = ContributionForm(request.POST)
    if form.is_valid() and form.is_robot:
        return redirect("engagement:public_thanks", consultation.pk)  # nothing kept
    if not form.is_valid():
        return _page(request, consultation, form)
    try:
        done = write_with(
            form,
            lambda data: services.contribute(
                consultation=consultation,
                text=data["text"],
                channel=Channel.ONLINE,
                by=_contributor(request),
                client=client_ip(request),
                area=data["area"],
                satisfaction=data["satisfaction"],
                name=data["name"],
                contact=data["contact"],
                consent=data["consent"],
            ),
        )
    except RateLimited as limited:
        response = render(
            request,
            "engagement/too_many.html",
            {"consultation": consultation, "message": limited.message},
            status=429,
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    if not done:
        conflict = form.non_field_errors()
        # Outside the dates is a conflict (409); a refused field comes back as any form does.
        status = 409 if conflict and not form.errors.keys() - {"__all__"} else 200
        return _page(request, consultation, form, status=status)
    return redirect("engagement:public_thanks", consultation.pk)


def public_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = found(selectors.consultation_detail(pk))
    return render(request, "engagement/public_thanks.html", {"consultation": consultation})
