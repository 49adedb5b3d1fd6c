"""Notifications: the one way any app tells a person that something needs them (SETTLED.md).

`notify(user=, kind=, subject=, body=, url=, params=)` stores a `Notification` and, once the
transaction commits, queues its e-mail for the task worker — never sent inside the request.
`subject` and `body` are English message ids (mark them with `gettext_noop`) filled with
`params`; they are translated when shown, and the e-mail is written in the recipient's
language (`User.language`, the one they last chose). Sending is idempotent: a notification
already e-mailed is not sent again, so a task run twice sends one e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification, User

if TYPE_CHECKING:
    from collections.abc import Mapping


def notify(
    *,
    user: User,
    kind: str,
    subject: str,
    body: str = "",
    url: str = "",
    params: Mapping[str, Any] | None = None,
) -> Notification | None:
    """Tell `user` (an inactive person is told nothing); inside the caller's transaction."""
    if not user.is_active:
        return None
    notification = Notification.objects.create(
        user=user, kind=kind, subject=subject, body=body, url=url, params=dict(params or {})
    )
    User.objects.filter(pk=user.pk).update(unread_notifications=F("unread_notifications") + 1)
    transaction.on_commit(lambda: send_notification_email.enqueue(notification.pk))
    return notification


def notify_each(users: Iterable[User], **message: Any) -> int:
    """`notify` each distinct person once; answers how many were told."""
    told = 0
    for user in {user.pk: user for user in users}.values():
        told += notify(user=user, **message) is not None
    return told


def text_of(notification: Notification) -> tuple[str, str]:
    """The subject and body in the active language, filled in."""
    params = notification.params or {}
    subject = _(notification.subject) % params if params else _(notification.subject)
    body = ""
    if notification.body:
        body = _(notification.body) % params if params else _(notification.body)
    return subject, body


@transaction.atomic
def mark_read(*, user: User, notifications: Iterable[Notification] | None = None) -> int:
    """Mark some of the person's notifications read (all unread ones when none are given)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notifications is not None:
        unread = unread.filter(pk__in=[n.pk for n in notifications])
    marked = unread.update(read_at=timezone.now())
    if marked:
        User.objects.filter(pk=user.pk).update(
            unread_notifications=F("unread_notifications") - marked
        )
    User.objects.filter(pk=user.pk, unread_notifications__lt=0).update(unread_notifications=0)
    return marked


@task()
def send_notification_email(notification_id: int) -> str:
    """E-mail one notification in its recipient's language; answers what happened."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "gone"
        if notification.emailed_at is not None:
            return "already sent"
        user = notification.user
        if not user.email or not user.is_active:
            return "no address"
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject, body = text_of(notification)
            link = f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""
            message = "\n\n".join(part for part in (body, link) if part)
            send_mail(
                subject=f"innohub: {subject}",
                message=message or subject,
                from_email=None,
                recipient_list=[user.email],
            )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return "sent"
