"""Test helpers for people and security; other apps' tests may import them too."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_verified(client: Client, user) -> TOTPDevice:
    """Sign `user` in as if they had passed two-factor (what the verify page does):
    for administrators and programme managers, whom the middleware would stop."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or confirmed_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
