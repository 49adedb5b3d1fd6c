"""Profiles: my own, another's (an internal directory), editing, skills, the people list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innohub.accounts.models import Profile, SkillLevel, UserSkill
from innohub.geo.models import Level
from tests.accounts.factories import TeamMembershipFactory, UserSkillFactory
from tests.accounts.helpers import sign_in_verified
from tests.factories import (
    AreaFactory,
    OrganisationFactory,
    ProfileFactory,
    SkillFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    area = AreaFactory(code="BD", name="Bangladesh")
    ministry = OrganisationFactory(name="Ministry of Land", area=area)
    person = UserFactory(username="farid", first_name="Farid", last_name="Uddin", roles=["mentor"])
    ProfileFactory(
        user=person,
        organisation=ministry,
        area=area,
        position="Deputy Secretary",
        grade="Grade 5",
        languages="Bangla, English",
        phone="+880 1711 000000",
        gender="male",
    )
    UserSkillFactory(user=person, skill=SkillFactory(name="Process mapping"), level=4)
    TeamMembershipFactory(user=person, team__name="Land innovation team", role="lead")
    return person


def profile_url(person) -> str:
    return reverse("accounts:person", args=[person.username])


def test_my_profile_shows_what_i_hold_and_my_security(client_signed_in, user):
    ProfileFactory(user=user, position="Assistant Commissioner (Land)", phone="0123")
    html = client_signed_in.get(reverse("accounts:profile")).content.decode()
    assert user.name in html
    assert "Assistant Commissioner (Land)" in html
    assert "0123" in html  # my own contact details
    assert reverse("accounts:tokens") in html
    assert reverse("accounts:password_change") in html
    assert reverse("accounts:profile_edit") in html


def test_profile_page_of_someone_without_a_profile_yet(client_signed_in):
    newcomer = UserFactory()
    assert not Profile.objects.filter(user=newcomer).exists()
    assert client_signed_in.get(profile_url(newcomer)).status_code == 200


def test_anyone_signed_in_reads_a_colleagues_profile_without_contact_details(
    client_signed_in, colleague, django_assert_num_queries
):
    # session, user, groups; the colleague (with profile, organisation, area), their groups,
    # skills, team memberships; the network's: what they work on (their newest posts, ideas,
    # pilots, skills), those like it (the index's words, its best entries, their posts,
    # ideas and pilots, people with such skills, their profiles), their posts and
    # recognitions, my follows; what Free Agents' reviews showed of their skills
    with django_assert_num_queries(18):
        response = client_signed_in.get(profile_url(colleague))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in [
        "Farid Uddin",
        "Deputy Secretary",
        "Grade 5",
        "Ministry of Land",
        "Bangladesh",
        "Bangla, English",
        "Process mapping",
        "Expert",
        "Ran three user-research sessions.",
        "Land innovation team",
        "Team lead",
        "Mentor",
    ]:
        assert shown in html, shown
    assert colleague.email not in html
    assert "+880 1711 000000" not in html
    assert "Contact details" not in html
    assert reverse("accounts:person_edit", args=[colleague.username]) not in html


def test_administrator_sees_contact_details(client, administrator, colleague):
    sign_in_verified(client, administrator)
    html = client.get(profile_url(colleague)).content.decode()
    assert colleague.email in html and "+880 1711 000000" in html
    assert reverse("accounts:person_edit", args=[colleague.username]) in html


def test_unknown_person_is_404(client_signed_in):
    assert client_signed_in.get("/accounts/people/nobody/").status_code == 404


def test_people_pages_need_sign_in(client, colleague):
    for url in [profile_url(colleague), reverse("accounts:people"), reverse("accounts:teams")]:
        assert client.get(url).status_code == 302


def test_i_edit_my_own_profile(client_signed_in, user):
    area = AreaFactory(code="BD-13", name="Dhaka", level=Level.DISTRICT)
    ministry = OrganisationFactory(name="Ministry of Health")
    form = client_signed_in.get(reverse("accounts:profile_edit"))
    assert form.status_code == 200
    response = client_signed_in.post(
        reverse("accounts:profile_edit"),
        {
            "first_name": "Rina",
            "last_name": "Das",
            "name_local": "রিনা দাস",
            "organisation": ministry.pk,
            "area": "bd-13",
            "position": "Upazila Health Officer",
            "grade": "Grade 6",
            "languages": "Bangla ,English,, ",
            "gender": "female",
            "phone": "017",
            "bio": "Clinics.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.name_local) == ("Rina", "Das", "রিনা দাস")
    profile = user.profile
    assert profile.organisation == ministry and profile.area == area
    assert profile.languages == "Bangla, English"
    assert profile.gender == "female"
    assert profile.history.count() == 1


def test_area_can_be_given_by_its_exact_name(client_signed_in, user):
    area = AreaFactory(code="BD-13", name="Dhaka", name_local="ঢাকা", level=Level.DISTRICT)
    client_signed_in.post(reverse("accounts:profile_edit"), {"area": "ঢাকা"})
    assert Profile.objects.get(user=user).area == area


def test_profile_edit_keeps_what_was_typed_on_error(client_signed_in, user):
    AreaFactory(name="Sylhet", code="BD-G")
    AreaFactory(name="Sylhet", code="BD-60")
    response = client_signed_in.post(
        reverse("accounts:profile_edit"),
        {
            "first_name": "Typed name",
            "position": "Typed position",
            "area": "Sylhet",
            "phone": "x" * 41,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Several areas are called “Sylhet”" in errors["area"][0]
    assert "BD-G" in errors["area"][0] and "BD-60" in errors["area"][0]
    assert "phone" in errors
    html = response.content.decode()
    assert 'value="Typed name"' in html
    assert 'value="Typed position"' in html
    assert 'value="Sylhet"' in html
    assert 'class="govuk-error-summary"' in html
    assert "<title>Error:" in html
    user.refresh_from_db()
    assert user.first_name != "Typed name"


def test_unknown_area_is_an_error_on_the_field(client_signed_in):
    response = client_signed_in.post(reverse("accounts:profile_edit"), {"area": "XX-999"})
    assert response.context["form"].errors["area"] == ["No area has the code or name “XX-999”."]


def test_nul_in_a_profile_field_is_an_error_not_a_crash(client_signed_in):
    response = client_signed_in.post(reverse("accounts:profile_edit"), {"position": "a\x00b"})
    assert response.status_code == 200
    assert "position" in response.context["form"].errors


def test_civil_servant_cannot_edit_another_persons_profile(client_signed_in, colleague):
    url = reverse("accounts:person_edit", args=[colleague.username])
    assert client_signed_in.get(url).status_code == 403
    assert client_signed_in.post(url, {"position": "Hacked"}).status_code == 403
    colleague.profile.refresh_from_db()
    assert colleague.profile.position == "Deputy Secretary"


def test_administrator_edits_another_persons_profile(client, administrator, colleague):
    sign_in_verified(client, administrator)
    url = reverse("accounts:person_edit", args=[colleague.username])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Deputy Secretary"' in form.content.decode()
    response = client.post(
        url,
        {"first_name": "Farid", "last_name": "Uddin", "position": "Joint Secretary", "area": "BD"},
    )
    assert response.status_code == 302
    assert response["Location"] == profile_url(colleague)
    colleague.profile.refresh_from_db()
    assert colleague.profile.position == "Joint Secretary"
    assert colleague.profile.history.first().history_user == administrator


def test_i_may_use_the_edit_address_for_my_own_profile(client_signed_in, user):
    url = reverse("accounts:person_edit", args=[user.username])
    assert client_signed_in.get(url).status_code == 200


def test_i_add_change_and_remove_my_skills(client_signed_in, user):
    skill = SkillFactory(name="Service design", family__name="Design")
    url = reverse("accounts:skills")
    page = client_signed_in.get(url)
    assert "Design: Service design" in page.content.decode()

    added = client_signed_in.post(
        url, {"skill": skill.pk, "level": "3", "evidence": "Redesigned the land-record service."}
    )
    assert added.status_code == 302
    held = UserSkill.objects.get(user=user, skill=skill)
    assert held.level == SkillLevel.EXPERIENCED

    client_signed_in.post(url, {"skill": skill.pk, "level": "4", "evidence": "Trained others."})
    held.refresh_from_db()
    assert (held.level, held.evidence) == (SkillLevel.EXPERT, "Trained others.")
    assert UserSkill.objects.filter(user=user).count() == 1

    assert client_signed_in.get(reverse("accounts:skill_remove", args=[held.pk])).status_code == 405
    removed = client_signed_in.post(reverse("accounts:skill_remove", args=[held.pk]))
    assert removed.status_code == 302
    assert not UserSkill.objects.filter(user=user).exists()


def test_bad_skill_input_keeps_what_was_typed(client_signed_in):
    response = client_signed_in.post(
        reverse("accounts:skills"), {"skill": "", "level": "9", "evidence": "My evidence"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"skill", "level"}
    assert "My evidence" in response.content.decode()


def test_i_cannot_remove_another_persons_skill(client_signed_in, colleague):
    held = colleague.skills.get()
    response = client_signed_in.post(reverse("accounts:skill_remove", args=[held.pk]))
    assert response.status_code == 404
    assert UserSkill.objects.filter(pk=held.pk).exists()


def test_people_list_searches_name_position_organisation_and_skill(client_signed_in, colleague):
    selina = UserFactory(first_name="Selina", last_name="Hayat")
    ProfileFactory(user=selina, position="Analyst")
    url = reverse("accounts:people")

    def found(q: str) -> set[str]:
        page = client_signed_in.get(url, {"q": q}).context["page"]
        return {person.username for person in page.object_list}

    assert "farid" in found("farid uddin")
    assert found("deputy") == {"farid"}
    assert found("ministry of land") == {"farid"}
    assert found("process mapp") == {"farid"}
    assert found("selina analyst") == {selina.username}
    assert found("nothing-like-this") == set()


def test_people_list_is_paginated_in_the_same_queries_for_2_people_as_for_31(
    client_signed_in, django_assert_num_queries
):
    organisation = OrganisationFactory()

    def person_with_a_profile() -> None:
        person = UserFactory()
        ProfileFactory(user=person, organisation=organisation, area=organisation.area)
        UserSkillFactory(user=person)

    person_with_a_profile()
    # session, user, groups, count, page (with profile, organisation and area joined)
    with django_assert_num_queries(5):
        small = client_signed_in.get(reverse("accounts:people"))
    assert len(small.context["page"].object_list) == 2
    for _n in range(29):
        person_with_a_profile()
    with django_assert_num_queries(5):
        response = client_signed_in.get(reverse("accounts:people"))
    page = response.context["page"]
    assert page.paginator.count == 31  # and the signed-in person
    assert len(page.object_list) == 25
    assert "Page 1 of 2" in response.content.decode()
    second = client_signed_in.get(reverse("accounts:people"), {"page": 2})
    assert len(second.context["page"].object_list) == 6


def test_people_search_that_is_too_long_is_an_error_not_a_crash(client_signed_in):
    response = client_signed_in.get(reverse("accounts:people"), {"q": "x" * 101})
    assert response.status_code == 200
    assert "q" in response.context["form"].errors
