"""The people API: the directory for programs (`GET /people`) and adding a person, who is
invited by e-mail to choose a password (`POST /people`)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from innohub.accounts.models import Profile, User
from innohub.core import roles
from innohub.core.models import MAX_ID
from tests.accounts.factories import UserSkillFactory
from tests.factories import ProfileFactory, SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/people"


def usernames(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [person["username"] for person in response.json()["results"]]


def person_at(username: str, *, organisation=None, area=None, **fields) -> User:
    person = UserFactory(username=username, **fields)
    ProfileFactory(user=person, organisation=organisation, area=area)
    return person


@pytest.fixture
def civil_servant(db):
    """The reader, with a name of their own so that the order by name is known."""
    return UserFactory(
        username="reader", first_name="Yusuf", last_name="Reader", roles=[roles.CIVIL_SERVANT]
    )


@pytest.fixture
def staff(ministry_tree, bangladesh):
    """Four officers across the land ministry's tree and one in health."""
    return {
        "minister": person_at(
            "minister", first_name="Amina", last_name="Rahman",
            organisation=ministry_tree["ministry"], area=bangladesh["BD"],
        ),
        "records": person_at(
            "records", first_name="Babul", last_name="Hossain",
            organisation=ministry_tree["department"], area=bangladesh["BD-C"],
        ),
        "dhaka": person_at(
            "dhaka", first_name="Chandra", last_name="Das",
            organisation=ministry_tree["dhaka_office"], area=bangladesh["BD-13"],
        ),
        "savar": person_at(
            "savar", first_name="Dilruba", last_name="Akter",
            organisation=ministry_tree["savar_office"], area=bangladesh["BD-13-SAVAR-ASHULIA"],
        ),
        "health": person_at(
            "health", first_name="Emon", last_name="Karim",
            organisation=ministry_tree["barishal_office"], area=bangladesh["BD-A"],
        ),
    }  # fmt: skip


# --- Reading -----------------------------------------------------------------------------------


def test_listing_people_needs_a_signed_in_person(client):
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in or send a valid API token.", "errors": []}


def test_a_signed_in_person_lists_active_people_by_name_with_ids_of_organisation_and_area(
    api_as,
    civil_servant,
    staff,
    bangladesh,
):
    UserFactory(username="gone", first_name="Aaron", is_active=False)
    no_profile = UserFactory(username="new", first_name="Zakir", last_name="Ali")

    response = api_as(civil_servant).get(PEOPLE)

    body = response.json()
    assert body["count"] == 7  # five officers, the reader and the new one; not the inactive
    assert usernames(response) == [
        "minister", "records", "dhaka", "savar", "health", "reader", "new"
    ]  # fmt: skip
    assert body["results"][0] == {
        "id": staff["minister"].pk,
        "username": "minister",
        "name": "Amina Rahman",
        "organisation": staff["minister"].profile.organisation_id,
        "area": bangladesh["BD"].pk,
    }
    assert body["results"][-1] == {
        "id": no_profile.pk,
        "username": "new",
        "name": "Zakir Ali",
        "organisation": None,
        "area": None,
    }


def test_the_organisation_filter_includes_everything_below_it(
    api_as,
    civil_servant,
    staff,
    ministry_tree,
):
    api = api_as(civil_servant)

    land = api.get(PEOPLE, organisation=ministry_tree["ministry"].pk)
    department = api.get(PEOPLE, organisation=str(ministry_tree["department"].pk))
    office = api.get(PEOPLE, organisation=ministry_tree["savar_office"].pk)

    assert usernames(land) == ["minister", "records", "dhaka", "savar"]
    assert usernames(department) == ["records", "dhaka", "savar"]
    assert usernames(office) == ["savar"]


def test_the_area_filter_takes_an_id_or_a_code_and_includes_areas_below(
    api_as,
    civil_servant,
    staff,
    bangladesh,
):
    api = api_as(civil_servant)

    assert usernames(api.get(PEOPLE, area="BD-C")) == ["records", "dhaka", "savar"]
    assert usernames(api.get(PEOPLE, area=bangladesh["BD-13"].pk)) == ["dhaka", "savar"]
    assert usernames(api.get(PEOPLE, area="BD-13-SAVAR")) == ["savar"]
    assert api.get(PEOPLE, area="BD").json()["count"] == 5


def test_the_skill_filter_keeps_the_people_who_hold_it(api_as, civil_servant, staff):
    mapping = SkillFactory(name="Journey mapping")
    UserSkillFactory(user=staff["dhaka"], skill=mapping)
    UserSkillFactory(user=staff["health"], skill=mapping)
    UserSkillFactory(user=staff["savar"])

    response = api_as(civil_servant).get(PEOPLE, skill=mapping.pk)

    assert usernames(response) == ["dhaka", "health"]


def test_filters_combine(api_as, civil_servant, staff, ministry_tree):
    mapping = SkillFactory()
    for person in ("dhaka", "savar", "health"):
        UserSkillFactory(user=staff[person], skill=mapping)

    response = api_as(civil_servant).get(
        PEOPLE, skill=mapping.pk, organisation=ministry_tree["ministry"].pk, area="BD-13-SAVAR"
    )

    assert usernames(response) == ["savar"]


def test_q_searches_names_and_usernames(api_as, civil_servant, staff):
    api = api_as(civil_servant)

    assert usernames(api.get(PEOPLE, q="dilruba")) == ["savar"]
    assert usernames(api.get(PEOPLE, q="DAS")) == ["dhaka"]
    assert usernames(api.get(PEOPLE, q="Amina Rahman")) == ["minister"]
    assert usernames(api.get(PEOPLE, q="minister")) == ["minister"]
    assert usernames(api.get(PEOPLE, q="nobody-has-this")) == []


def test_people_are_listed_a_page_at_a_time(api_as, civil_servant, staff):
    api = api_as(civil_servant)

    first = api.get(PEOPLE, page_size=4)
    second = api.get(PEOPLE, page_size=4, page=2)

    assert first.json()["count"] == second.json()["count"] == 6
    assert len(first.json()["results"]) == 4
    assert len(second.json()["results"]) == 2
    assert set(usernames(first)).isdisjoint(usernames(second))
    too_big = api.get(PEOPLE, page_size=201)
    assert too_big.status_code == 422
    assert [error["field"] for error in too_big.json()["errors"]] == ["page_size"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"organisation": 999_999}, "organisation"),
        ({"organisation": "land"}, "organisation"),
        ({"organisation": MAX_ID + 1}, "organisation"),
        ({"area": "XX-NOWHERE"}, "area"),
        ({"area": 999_999}, "area"),
        ({"skill": 999_999}, "skill"),
        ({"skill": "mapping"}, "skill"),
        ({"skill": MAX_ID + 1}, "skill"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_an_unknown_or_malformed_filter_is_422_naming_it(api_as, civil_servant, params, field):
    response = api_as(civil_servant).get(PEOPLE, **params)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_the_list_takes_the_same_few_queries_however_many_people_it_shows(
    api_as, civil_servant, staff, django_assert_num_queries
):
    api = api_as(civil_servant)
    api.get(PEOPLE)  # the token's first use records `last_used`: a write not measured here

    # The token and its user (1), the count (1), the page with every profile joined (1).
    with django_assert_num_queries(3):
        few = api.get(PEOPLE)
    for number in range(10):
        person_at(f"more{number}", organisation=staff["dhaka"].profile.organisation)
    with django_assert_num_queries(3):
        many = api.get(PEOPLE)

    assert (few.json()["count"], many.json()["count"]) == (6, 16)
    assert len(many.json()["results"]) == 16


# --- Adding a person ---------------------------------------------------------------------------


def new_person(**fields):
    return {
        "username": "nusrat",
        "name": "Nusrat Jahan",
        "email": "nusrat@land.gov.example",
        "organisation": None,
        "area": None,
        "grade": "",
        **fields,
    }


def test_a_programme_manager_adds_a_person_who_is_invited_to_choose_a_password(
    api_as,
    programme_manager,
    client,
    ministry_tree,
    django_capture_on_commit_callbacks,
):
    office = ministry_tree["savar_office"]
    body = new_person(organisation=office.pk, area="BD-13-SAVAR", grade="Grade 9")

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(programme_manager).post(PEOPLE, body)

    assert response.status_code == 201, response.json()
    person = User.objects.get(username="nusrat")
    assert response.json() == {
        "id": person.pk,
        "username": "nusrat",
        "name": "Nusrat Jahan",
        "organisation": office.pk,
        "area": office.area_id,
    }
    assert (person.first_name, person.last_name) == ("Nusrat", "Jahan")
    assert person.email == "nusrat@land.gov.example"
    assert person.is_active and not person.has_usable_password()
    assert Profile.objects.get(user=person).grade == "Grade 9"

    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == ["nusrat@land.gov.example"]
    assert invitation.subject == "Your innohub account"
    assert programme_manager.name in invitation.body
    assert "Your username is nusrat." in invitation.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", invitation.body)
    assert link is not None

    # The link is the password-reset page's: following it sets the first password.
    form_page = client.get(link.group(1), follow=True)
    assert "Set a new password" in form_page.content.decode()
    password = "a first long passphrase 31"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(password)


def test_an_administrator_who_is_not_a_superuser_adds_a_person(
    api_as, administrator, django_capture_on_commit_callbacks
):
    assert not administrator.is_superuser

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(administrator).post(PEOPLE, new_person(name="Rafiq"))

    assert response.status_code == 201
    person = User.objects.get(username="nusrat")
    assert (person.first_name, person.last_name, person.name) == ("Rafiq", "", "Rafiq")
    assert len(mail.outbox) == 1


def test_a_civil_servant_may_not_add_people(
    api_as, civil_servant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(civil_servant).post(PEOPLE, new_person())

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only programme managers and administrators add people.",
        "errors": [],
    }
    assert not User.objects.filter(username="nusrat").exists()
    assert mail.outbox == []


def test_adding_a_person_needs_a_signed_in_person(client):
    response = client.post("/api/v1/people", new_person(), content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "Taken"}, "username"),  # "taken" exists: capitals do not matter
        ({"username": "two words"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"username": ""}, "username"),
        ({"username": "nu\x00srat"}, "username"),
        ({"name": "   "}, "name"),
        ({"name": "N" * 151}, "name"),
        ({"name": "Nusrat\x00"}, "name"),
        ({"email": "not an address"}, "email"),
        ({"email": "nusrat@"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 250 + "@x.org"}, "email"),
        ({"organisation": 999_999}, "organisation"),
        ({"organisation": MAX_ID + 1}, "organisation"),
        ({"organisation": "1"}, "organisation"),
        ({"organisation": True}, "organisation"),
        ({"area": "XX-NOWHERE"}, "area"),
        ({"area": 999_999}, "area"),
        ({"grade": "G" * 41}, "grade"),
        ({"grade": "Grade\x00 6"}, "grade"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_written_or_sent(
    api_as, programme_manager, django_capture_on_commit_callbacks, fields, field
):
    UserFactory(username="taken")
    before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(programme_manager).post(PEOPLE, new_person(**fields))

    assert response.status_code == 422, response.json()
    assert response.json()["detail"] == "The input is not valid."
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert User.objects.count() == before
    assert mail.outbox == []


def test_a_missing_field_is_422_naming_it(api_as, programme_manager):
    body = new_person()
    del body["email"]

    response = api_as(programme_manager).post(PEOPLE, body)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "email", "message": "Field required"}]


def test_a_mail_server_that_fails_leaves_the_account_to_be_reached_later(
    api_as, programme_manager, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(self, messages):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(programme_manager).post(PEOPLE, new_person())

    assert response.status_code == 201
    assert User.objects.filter(username="nusrat").exists()
    assert "Failed to send the invitation e-mail" in caplog.text
