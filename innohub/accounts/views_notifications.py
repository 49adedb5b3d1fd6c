"""The person's notifications: a list, newest first, each opened from it (which marks it read
and follows its link), and "mark all as read"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from innohub.core.pagination import paginate

from . import notifications
from .auth import signed_in
from .models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    found = Notification.objects.filter(user=user)
    pager = paginate(request, found)
    items = [
        {"notification": n, "text": notifications.text_of(n)} for n in pager["page"].object_list
    ]
    return render(request, "accounts/notifications.html", {"pager": pager, "items": items})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    found = Notification.objects.filter(user=user, pk=pk).first()
    if found is None:
        raise Http404
    notifications.mark_read(user=user, notifications=[found])
    safe = found.url and url_has_allowed_host_and_scheme(
        found.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(found.url if safe and found.url.startswith("/") else "accounts:notifications")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_read(user=signed_in(request))
    return redirect("accounts:notifications")
