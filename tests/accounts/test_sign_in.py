"""Signing in and out, throttling, and setting a password by e-mail."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_sign_in_page_is_govuk_and_labelled(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert 'autocomplete="username"' in html
    assert reverse("accounts:password_reset") in html


def test_person_signs_in_and_lands_on_home(client, user):
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_sign_in_follows_next_on_this_site_only(client, user):
    response = sign_in(client, user.username, next="/accounts/profile/")
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = sign_in(client, user.username, next="https://evil.example/")
    assert response["Location"] == reverse("core:home")


def test_wrong_password_and_unknown_username_get_the_same_answer(client, user):
    wrong_password = sign_in(client, user.username, "not it")
    unknown_user = sign_in(client, "nobody-here", "not it")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.context["form"].errors == unknown_user.context["form"].errors
    assert wrong_password.context["form"].non_field_errors() == [
        "Enter a correct username and password."
    ]
    html = wrong_password.content.decode()
    assert 'class="govuk-error-summary"' in html and 'role="alert"' in html
    # What was typed stays (except the password).
    assert f'value="{user.username}"' in html


def test_inactive_account_gets_the_same_answer_as_a_wrong_password(client):
    inactive = UserFactory(is_active=False)
    response = sign_in(client, inactive.username)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Enter a correct username and password."]
    assert SESSION_KEY not in client.session


def test_sign_in_is_throttled_after_the_failure_limit(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        assert sign_in(client, user.username, "wrong").status_code == 200
    locked = sign_in(client, user.username, "wrong")
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    html = locked.content.decode()
    assert "Too many failed sign-ins" in html
    assert "Try again after" in html
    assert int(locked["Retry-After"]) == int(settings.AXES_COOLOFF_TIME * 3600)
    # Even the right password is refused while the lock lasts.
    still_locked = sign_in(client, user.username)
    assert still_locked.status_code == 429
    assert SESSION_KEY not in client.session


def test_throttling_counts_per_username_and_address(client, user):
    other = UserFactory()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, other.username, "wrong")
    response = sign_in(client, user.username)
    assert response.status_code == 302


def test_a_success_resets_the_failure_count(client, user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user.username, "wrong")
    assert sign_in(client, user.username).status_code == 302
    client.post(reverse("accounts:logout"))
    assert sign_in(client, user.username, "wrong").status_code == 200


def test_sign_out_is_a_post_and_ends_the_session(client_signed_in):
    assert client_signed_in.get(reverse("accounts:logout")).status_code == 405
    response = client_signed_in.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client_signed_in.session


def test_password_reset_sends_a_link_that_sets_a_new_password(client, user):
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Set a new innohub password"
    assert user.username in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body)
    assert link is not None

    # The link redirects once to a URL without the token (Django keeps it in the session).
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert "Set a new password" in form_page.content.decode()
    new_password = "a brand new long passphrase 42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert user.password.startswith("argon2")


def test_password_reset_does_not_say_whether_an_address_is_known(client, user):
    known = client.post(reverse("accounts:password_reset"), {"email": user.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_a_used_reset_link_does_not_work_twice(client, user):
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert path is not None
    page = client.get(path.group(1), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {
            "new_password1": "another long passphrase 7",
            "new_password2": "another long passphrase 7",
        },
    )
    again = client.get(path.group(1), follow=True)
    assert "This link does not work" in again.content.decode()


def test_signed_in_person_changes_their_password(client_signed_in, user):
    url = reverse("accounts:password_change")
    wrong = client_signed_in.post(
        url,
        {"old_password": "nope", "new_password1": "x", "new_password2": "x"},
    )
    assert wrong.status_code == 200
    assert "old_password" in wrong.context["form"].errors
    response = client_signed_in.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a fresh long passphrase 9",
            "new_password2": "a fresh long passphrase 9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("a fresh long passphrase 9")
