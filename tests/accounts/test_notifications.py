"""Notifications: stored and counted on write, listed and opened, e-mailed by the task worker
once, in the recipient's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_noop

from innohub.accounts import notifications
from innohub.accounts.models import Notification, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = gettext_noop("Your pilot “%(title)s” is approved")


def unread(user) -> int:
    return User.objects.get(pk=user.pk).unread_notifications


def test_notify_stores_counts_and_queues_the_email_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        notifications.notify(user=user, kind="pilot_decision", subject=SUBJECT, url="/pilots/1/",
                             params={"title": "Land records"})  # fmt: skip
    assert len(callbacks) == 1  # the e-mail is queued once the write commits, not sent inside
    assert unread(user) == 1 and not mail.outbox
    note = Notification.objects.get()
    assert notifications.text_of(note) == ("Your pilot “Land records” is approved", "")


def test_the_email_is_sent_once_in_the_recipients_language():
    user = UserFactory(email="rahim@example.org")
    User.objects.filter(pk=user.pk).update(language="bn")
    note = notifications.notify(user=user, kind="k", subject=SUBJECT, params={"title": "ভূমি"},
                                url="/pilots/7/")  # fmt: skip
    assert note is not None
    assert notifications.send_notification_email.call(note.pk) == "sent"
    assert notifications.send_notification_email.call(note.pk) == "already sent"
    (sent,) = mail.outbox
    assert sent.to == ["rahim@example.org"]
    assert "ভূমি" in sent.subject and sent.subject != "innohub: Your pilot “ভূমি” is approved"
    assert sent.body.endswith("/pilots/7/")


def test_no_address_no_email_and_inactive_people_are_not_told():
    quiet = UserFactory(email="")
    note = notifications.notify(user=quiet, kind="k", subject=SUBJECT, params={"title": "x"})
    assert note is not None and notifications.send_notification_email.call(note.pk) == "no address"
    gone = UserFactory(is_active=False)
    assert notifications.notify(user=gone, kind="k", subject=SUBJECT) is None
    assert notifications.send_notification_email.call(999_999) == "gone"


def test_the_list_opens_each_and_marks_read(client):
    user = UserFactory()
    for n in range(3):
        notifications.notify(user=user, kind="k", subject=SUBJECT, params={"title": f"P{n}"},
                             url=f"/pilots/{n}/")  # fmt: skip
    client.force_login(user)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "3 new notifications" in page and "Your pilot “P2” is approved" in page
    first = Notification.objects.filter(user=user).order_by("pk").first()
    opened = client.get(reverse("accounts:notification_open", args=[first.pk]))
    assert opened["Location"] == "/pilots/0/"
    assert unread(user) == 2
    client.post(reverse("accounts:notifications_read"))
    assert unread(user) == 0
    assert "New" not in client.get(reverse("accounts:notifications")).content.decode()


def test_someone_elses_notification_is_404_and_outside_links_are_not_followed(client):
    owner, other = UserFactory(), UserFactory()
    theirs = notifications.notify(user=owner, kind="k", subject=SUBJECT, params={"title": "x"})
    odd = notifications.notify(user=other, kind="k", subject=SUBJECT, params={"title": "x"},
                               url="//evil.example/")  # fmt: skip
    client.force_login(other)
    assert client.get(reverse("accounts:notification_open", args=[theirs.pk])).status_code == 404
    followed = client.get(reverse("accounts:notification_open", args=[odd.pk]))
    assert followed["Location"] == reverse("accounts:notifications")


def test_the_chosen_language_is_remembered_for_emails(client):
    user = UserFactory()
    client.force_login(user)
    client.cookies["django_language"] = "fr"
    client.get(reverse("accounts:notifications"))
    assert User.objects.get(pk=user.pk).language == "fr"


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_sends_what_a_committed_write_queued():
    """Nothing is sent inside the request: the write queues the e-mail once it commits, and
    the worker (`manage.py worker --batch` drains the queue and stops) sends it, once."""
    from django.core.management import call_command
    from django.db import transaction

    user = UserFactory(email="anis@example.org")
    with transaction.atomic():
        notifications.notify(user=user, kind="k", subject=SUBJECT, params={"title": "Ferry"})
        assert not mail.outbox
    assert not mail.outbox  # queued, not sent
    call_command("worker", "--batch", verbosity=0)
    call_command("worker", "--batch", verbosity=0)  # nothing left to send twice
    assert [m.to for m in mail.outbox] == [["anis@example.org"]]
    assert Notification.objects.get().emailed_at is not None
