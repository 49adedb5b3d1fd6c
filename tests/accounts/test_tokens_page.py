"""The API tokens page: only ever the signed-in person's own tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from innohub.accounts.models import ApiToken, hash_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:tokens")


def test_tokens_page_lists_only_my_tokens_with_hint_and_expired_tag(client_signed_in, user):
    mine, _ = ApiToken.issue(user=user, name="nightly export")
    ApiToken.issue(user=user, name="old script", days=-1)
    theirs, _ = ApiToken.issue(user=UserFactory(), name="someone else's")
    response = client_signed_in.get(TOKENS)
    html = response.content.decode()
    assert "nightly export" in html and "old script" in html
    assert "someone else's" not in html
    assert f"{mine.hint}…" in html
    assert html.count("govuk-tag--grey") == 1  # only the expired one
    assert reverse("accounts:token_revoke", args=[mine.pk]) in html
    assert reverse("accounts:token_revoke", args=[theirs.pk]) not in html


def test_tokens_page_takes_the_same_queries_for_2_tokens_as_for_12(
    client_signed_in, user, django_assert_num_queries
):
    ApiToken.issue(user=user, name="nightly export")
    ApiToken.issue(user=user, name="old script", days=-1)
    # session, user, groups, count, page
    with django_assert_num_queries(5):
        assert len(client_signed_in.get(TOKENS).context["page"].object_list) == 2
    for n in range(10):
        ApiToken.issue(user=user, name=f"script {n}")
    with django_assert_num_queries(5):
        assert len(client_signed_in.get(TOKENS).context["page"].object_list) == 12


def test_creating_a_token_shows_the_secret_once(client_signed_in, user):
    response = client_signed_in.post(TOKENS, {"name": "dashboard", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    token = ApiToken.objects.get(user=user)
    assert token.digest == hash_token(secret)
    assert abs(token.expires - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    html = response.content.decode()
    assert f'value="{secret}"' in html
    assert "Copy the token now" in html
    assert secret not in client_signed_in.get(TOKENS).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "days": "30"}, "name"),
        ({"name": "x", "days": "366"}, "days"),
        ({"name": "x", "days": "0"}, "days"),
        ({"name": "x", "days": "ten"}, "days"),
        ({"name": "a\x00b", "days": "30"}, "name"),
    ],
)
def test_bad_token_input_re_renders_with_an_error_and_what_was_typed(client_signed_in, data, field):
    response = client_signed_in.post(TOKENS, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not ApiToken.objects.exists()
    if field == "days":
        assert f'value="{data["days"]}"' in response.content.decode()


def test_revoking_asks_first_then_revokes(client_signed_in, user):
    token, _ = ApiToken.issue(user=user, name="to go")
    url = reverse("accounts:token_revoke", args=[token.pk])
    confirm = client_signed_in.get(url)
    assert confirm.status_code == 200
    assert "Revoke the token “to go”?" in confirm.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()
    done = client_signed_in.post(url)
    assert done.status_code == 302 and done["Location"] == TOKENS
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_civil_servant_cannot_see_or_revoke_another_persons_token(client_signed_in):
    theirs, _ = ApiToken.issue(user=UserFactory(), name="theirs")
    url = reverse("accounts:token_revoke", args=[theirs.pk])
    assert client_signed_in.get(url).status_code == 404
    assert client_signed_in.post(url).status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_tokens_page_needs_sign_in(client):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
