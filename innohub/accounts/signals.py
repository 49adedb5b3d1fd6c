"""Reactions to sign-in."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import selectors

# Set at sign-in: whether the person has a second factor of their own, so the two-factor
# middleware need not ask the database on every request.
HAS_DEVICE_SESSION_KEY = "innohub_has_device"


@receiver(user_logged_in, dispatch_uid="innohub.accounts.note_second_factor")
def note_second_factor(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = selectors.has_confirmed_device(user=user)
