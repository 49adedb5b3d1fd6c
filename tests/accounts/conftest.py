from __future__ import annotations

import pytest

from innohub.core import roles
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def no_otp_throttling(settings):
    """Let a right code follow a wrong one at once (django-otp waits 1 s, 2 s, 4 s…)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def civil_servant(db):
    return UserFactory(roles=[roles.CIVIL_SERVANT])


@pytest.fixture
def administrator(db):
    return UserFactory(roles=[roles.ADMINISTRATOR])


@pytest.fixture
def programme_manager(db):
    return UserFactory(roles=[roles.PROGRAMME_MANAGER])


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)
