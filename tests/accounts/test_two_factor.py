"""Two-factor for administrators, programme managers and superusers."""

from __future__ import annotations

import base64
import re

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from innohub.accounts.rules import requires_two_factor
from innohub.accounts.services import BACKUP_CODE_COUNT
from tests.accounts.helpers import confirmed_device, current_code, sign_in_verified
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/set-up/"
VERIFY = "/accounts/two-factor/verify/"


def test_who_must_use_two_factor(civil_servant, administrator, programme_manager, superuser):
    assert not requires_two_factor(civil_servant)
    assert requires_two_factor(administrator)
    assert requires_two_factor(programme_manager)
    assert requires_two_factor(superuser)


def test_civil_servant_is_not_asked_for_a_second_factor(client, civil_servant):
    client.force_login(civil_servant)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_programme_manager_without_device_is_sent_to_set_up(client, programme_manager):
    client.force_login(programme_manager)
    response = client.get("/accounts/profile/?tab=1")
    assert response.status_code == 302
    assert response["Location"] == SETUP + "?next=%2Faccounts%2Fprofile%2F%3Ftab%3D1"


@pytest.mark.parametrize("path", ["/", "/accounts/people/", "/admin/"])
def test_every_page_including_the_admin_waits_for_set_up(client, superuser, path):
    client.force_login(superuser)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_set_up_shows_a_qr_code_and_the_secret_and_confirming_lets_them_in(
    client, programme_manager
):
    client.force_login(programme_manager)
    page = client.get(SETUP, {"next": "/accounts/people/"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    qr = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert qr is not None
    assert base64.b64decode(qr.group(1)).startswith(b"<svg")
    device = TOTPDevice.objects.get(user=programme_manager)
    assert not device.confirmed
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    # A reload shows the same device, not a new one.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=programme_manager).count() == 1

    response = client.post(SETUP, {"token": current_code(device), "next": "/accounts/people/"})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    codes = response.context["codes"]
    assert len(codes) == BACKUP_CODE_COUNT
    assert all(code in response.content.decode() for code in codes)
    assert 'href="/accounts/people/"' in response.content.decode()
    assert client.get("/accounts/people/").status_code == 200


def test_wrong_code_at_set_up_keeps_the_device_unconfirmed(client, programme_manager):
    client.force_login(programme_manager)
    client.get(SETUP)
    response = client.post(SETUP, {"token": "000000x"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not TOTPDevice.objects.get(user=programme_manager).confirmed
    assert client.get("/").status_code == 302


def test_person_with_a_device_is_sent_to_enter_the_code(client, administrator):
    device = confirmed_device(administrator)
    client.force_login(administrator)
    response = client.get("/accounts/people/")
    assert response["Location"] == VERIFY + "?next=%2Faccounts%2Fpeople%2F"
    # Set-up does not let them add a second app without the first.
    assert client.get(SETUP)["Location"].startswith(VERIFY)

    verified = client.post(VERIFY, {"token": current_code(device), "next": "/accounts/people/"})
    assert verified.status_code == 302
    assert verified["Location"] == "/accounts/people/"
    assert client.get("/accounts/people/").status_code == 200


def test_a_code_is_accepted_once(client, administrator, no_otp_throttling):
    device = confirmed_device(administrator)
    code = current_code(device)
    client.force_login(administrator)
    assert client.post(VERIFY, {"token": code}).status_code == 302
    client.force_login(administrator)  # a new session, the same code
    replay = client.post(VERIFY, {"token": code})
    assert replay.status_code == 200
    assert replay.context["form"].errors["token"] == ["The code is wrong or has expired."]


def test_a_backup_code_works_once(client, administrator, no_otp_throttling):
    confirmed_device(administrator)
    backup = StaticDevice.objects.create(user=administrator, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcd2345")
    client.force_login(administrator)
    assert client.post(VERIFY, {"token": "ABCD 2345"}).status_code == 302
    client.force_login(administrator)
    assert client.post(VERIFY, {"token": "abcd2345"}).status_code == 200


def test_next_must_stay_on_this_site(client, administrator):
    device = confirmed_device(administrator)
    client.force_login(administrator)
    response = client.post(VERIFY, {"token": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def test_sign_out_static_files_and_language_switch_stay_open(client, programme_manager):
    client.force_login(programme_manager)
    assert client.post("/i18n/setlang/", {"language": "bn", "next": "/"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_api_with_an_unverified_session_answers_401_in_the_error_shape(client, administrator):
    client.force_login(administrator)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == []
    assert "two-factor" in body["detail"]


def test_api_with_a_verified_session_works(client, administrator):
    sign_in_verified(client, administrator)
    assert client.get("/api/v1/me").json()["username"] == administrator.username


def test_full_sign_in_of_a_new_administrator(client, administrator):
    """The first sign-in as in production: password, set-up, then every page."""
    response = client.post(
        "/accounts/login/", {"username": administrator.username, "password": PASSWORD}
    )
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == SETUP + "?next=%2F"
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=administrator)
    client.post(SETUP, {"token": current_code(device)})
    assert client.get("/accounts/profile/").status_code == 200


def test_new_backup_codes_replace_the_old_ones(client, administrator):
    sign_in_verified(client, administrator)
    first = client.post(reverse("accounts:two_factor_backup_codes")).context["codes"]
    second = client.post(reverse("accounts:two_factor_backup_codes")).context["codes"]
    assert set(first).isdisjoint(second)
    assert StaticToken.objects.filter(device__user=administrator).count() == BACKUP_CODE_COUNT


def test_anyone_may_set_up_two_factor_by_choice(client, civil_servant):
    client.force_login(civil_servant)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=civil_servant)
    response = client.post(SETUP, {"token": current_code(device)})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=civil_servant).confirmed


def test_after_a_wrong_code_the_page_says_how_long_to_wait(client, administrator):
    device = confirmed_device(administrator)
    client.force_login(administrator)
    client.post(VERIFY, {"token": "000000"})
    too_soon = client.post(VERIFY, {"token": current_code(device)})
    assert too_soon.context["form"].errors["token"] == [
        "Too many wrong codes. Wait 1 second, then enter the code again."
    ]
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_passing_two_factor_renews_the_session_key(client, administrator):
    device = confirmed_device(administrator)
    client.force_login(administrator)
    before = client.session.session_key
    client.post(VERIFY, {"token": current_code(device)})
    assert client.session.session_key != before
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_civil_servant_who_chose_two_factor_is_asked_for_the_code_at_next_sign_in(
    client, civil_servant
):
    device = confirmed_device(civil_servant)
    client.force_login(civil_servant)

    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)

    client.post(VERIFY, {"token": current_code(device)})
    assert client.get(reverse("accounts:profile")).status_code == 200
