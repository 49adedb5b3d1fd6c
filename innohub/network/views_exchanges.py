"""Pages of getting out of the office: the exchanges people went on and what they learned,
recording one, and the reflection and follow-up. Thin, as `views.py`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.accounts.auth import signed_in
from innohub.core.errors import Conflict
from innohub.core.forms import apply_errors
from innohub.core.pagination import paginate

from . import exchanges
from .forms import ExchangeForm, FollowUpForm, ReflectionForm
from .models import Exchange


@login_required
def exchange_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    everyone = Exchange.objects.select_related("person").order_by("-starts_on", "-id")
    context = {
        "mine": list(everyone.filter(person=user)[:50]),
        "pager": paginate(request, everyone.exclude(person=user)),
    }
    return render(request, "network/exchange_list.html", context)


@login_required
def exchange_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ExchangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = exchanges.record_exchange(
                by=user,
                kind=data["kind"],
                host=data["host"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                plan=data["plan"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Recorded. After it, write what you learned; %(weeks)d week later, what "
                    "changed.",
                    "Recorded. After it, write what you learned; %(weeks)d weeks later, what "
                    "changed.",
                    settings.EXCHANGE_FOLLOW_UP_WEEKS,
                )
                % {"weeks": settings.EXCHANGE_FOLLOW_UP_WEEKS},
            )
            return redirect("network:exchange_detail", made.pk)
    return render(request, "network/exchange_form.html", {"form": form})


@login_required
def exchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The exchange; for the person who went, the reflection (from the last day) and then
    the follow-up."""
    user = signed_in(request)
    exchange = Exchange.objects.select_related("person", "host_organisation").filter(pk=pk).first()
    if exchange is None:
        raise Http404
    mine = exchange.person_id == user.pk
    step = request.POST.get("step", "")
    reflection = ReflectionForm(request.POST if step == "reflection" else None)
    follow = FollowUpForm(request.POST if step == "follow_up" else None)
    if request.method == "POST" and mine:
        form, write = (
            (
                reflection,
                lambda data: exchanges.reflect(by=user, exchange=exchange, text=data["text"]),
            )
            if step == "reflection"
            else (
                follow,
                lambda data: exchanges.follow_up(
                    by=user, exchange=exchange, changed_at_home=data["changed_at_home"]
                ),
            )
        )
        if form.is_valid():
            try:
                write(form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            except Conflict as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Thank you: your colleagues can read it."))
                return redirect("network:exchange_detail", exchange.pk)
    context = {
        "exchange": exchange,
        "mine": mine,
        "ended": timezone.localdate() >= exchange.ends_on,
        "reflection_form": reflection,
        "follow_up_form": follow,
    }
    return render(request, "network/exchange_detail.html", context)
