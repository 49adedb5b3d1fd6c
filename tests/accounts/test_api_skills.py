"""The skills API: the list people choose from (`/skills`) and the skills a person holds
(`/people/{id}/skills`), which a PUT replaces as a whole."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innohub.accounts.models import EVIDENCE_MAX_LENGTH, Skill, SkillFamily, SkillLevel, UserSkill
from innohub.accounts.services import HeldSkill, replace_skills
from innohub.core import roles
from innohub.core.models import MAX_ID
from tests.accounts.factories import UserSkillFactory
from tests.factories import SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

SKILLS = "/skills"


def skills_of(person) -> list[tuple[str, int, str]]:
    return sorted(
        UserSkill.objects.filter(user=person).values_list("skill__name", "level", "evidence")
    )


@pytest.fixture
def catalogue() -> dict[str, Skill]:
    """Five skills in three families."""
    return {
        "mapping": SkillFactory(name="Journey mapping", family__name="Service design"),
        "interviews": SkillFactory(name="User interviews", family__name="Service design"),
        "budgets": SkillFactory(name="Budgeting", family__name="Finance"),
        "facilitation": SkillFactory(name="Facilitation", family__name="Service design"),
        "sql": SkillFactory(name="SQL", family__name="Data"),
    }


# --- The list of skills --------------------------------------------------------------------


def test_listing_skills_needs_a_signed_in_person(client):
    assert client.get("/api/v1/skills").status_code == 401


def test_skills_are_listed_by_family_and_name_with_the_familys_name(
    api_as, civil_servant, catalogue
):
    response = api_as(civil_servant).get(SKILLS)

    assert response.status_code == 200
    assert response.json() == {
        "count": 5,
        "next": None,
        "results": [
            {"id": catalogue["sql"].pk, "name": "SQL", "family": "Data"},
            {"id": catalogue["budgets"].pk, "name": "Budgeting", "family": "Finance"},
            {"id": catalogue["facilitation"].pk, "name": "Facilitation", "family": "Service design"},
            {"id": catalogue["mapping"].pk, "name": "Journey mapping", "family": "Service design"},
            {"id": catalogue["interviews"].pk, "name": "User interviews", "family": "Service design"},
        ],
    }  # fmt: skip


def test_skills_filter_by_family_name_and_part_of_the_name_and_are_paged(
    api_as, civil_servant, catalogue
):
    api = api_as(civil_servant)

    design = api.get(SKILLS, family="service DESIGN")
    interviews = api.get(SKILLS, q="interv")
    second_page = api.get(SKILLS, page=2, page_size=2)

    assert design.json()["count"] == 3
    assert [skill["name"] for skill in interviews.json()["results"]] == ["User interviews"]
    assert second_page.json()["count"] == 5
    assert [skill["name"] for skill in second_page.json()["results"]] == [
        "Facilitation",
        "Journey mapping",
    ]
    assert api.get(SKILLS, page_size=201).status_code == 422


# --- Adding a skill ------------------------------------------------------------------------


def test_a_programme_manager_adds_a_skill_to_a_family_found_whatever_its_capitals(
    api_as, programme_manager, catalogue
):
    response = api_as(programme_manager).post(
        SKILLS, {"name": "Process mapping", "family": "service design"}
    )

    assert response.status_code == 201, response.json()
    skill = Skill.objects.get(name="Process mapping")
    assert response.json() == {
        "id": skill.pk,
        "name": "Process mapping",
        "family": "Service design",
    }
    assert skill.family == catalogue["mapping"].family
    assert SkillFamily.objects.count() == 3


def test_an_administrator_adds_a_skill_in_a_new_family(api_as, administrator, catalogue):
    response = api_as(administrator).post(SKILLS, {"name": "Negotiation", "family": " Leadership "})

    assert response.status_code == 201
    assert response.json()["family"] == "Leadership"
    assert SkillFamily.objects.filter(name="Leadership").count() == 1


def test_a_civil_servant_may_not_add_skills(api_as, civil_servant):
    response = api_as(civil_servant).post(SKILLS, {"name": "Negotiation", "family": "Leadership"})

    assert response.status_code == 403
    assert response.json()["detail"] == "Only programme managers and administrators add skills."
    assert not Skill.objects.exists()
    assert not SkillFamily.objects.exists()


def test_a_name_the_family_has_already_is_422_on_name_whatever_its_capitals(
    api_as, programme_manager, catalogue
):
    api = api_as(programme_manager)

    again = api.post(SKILLS, {"name": "journey MAPPING", "family": "Service design"})
    elsewhere = api.post(SKILLS, {"name": "Journey mapping", "family": "Data"})

    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"field": "name", "message": "“Service design” has a skill called “journey MAPPING” already."}
    ]  # fmt: skip
    # Another family may have a skill of the same name: the pair is what is unique.
    assert elsewhere.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "family": "Data"}, "name"),
        ({"name": "   ", "family": "Data"}, "name"),
        ({"name": "x" * 101, "family": "Data"}, "name"),
        ({"name": "SQL\x00", "family": "Data"}, "name"),
        ({"name": 7, "family": "Data"}, "name"),
        ({"name": "Python"}, "family"),
        ({"name": "Python", "family": ""}, "family"),
        ({"name": "Python", "family": "  "}, "family"),
        ({"name": "Python", "family": "D" * 101}, "family"),
        ({"name": "Python", "family": "Da\x00ta"}, "family"),
    ],
)
def test_bad_skill_input_is_422_naming_the_field(api_as, programme_manager, body, field):
    response = api_as(programme_manager).post(SKILLS, body)

    assert response.status_code == 422, response.json()
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Skill.objects.exists()
    assert not SkillFamily.objects.exists()


# --- A person's skills ---------------------------------------------------------------------


def test_anyone_signed_in_reads_a_persons_skills_as_a_bare_array(api_as, civil_servant, catalogue):
    person = UserFactory()
    UserSkillFactory(user=person, skill=catalogue["sql"], level=5, evidence="Wrote the reports.")
    UserSkillFactory(user=person, skill=catalogue["mapping"], level=2, evidence="")

    response = api_as(civil_servant).get(f"/people/{person.pk}/skills")

    assert response.status_code == 200
    assert response.json() == [
        {"skill": catalogue["sql"].pk, "level": 5, "evidence": "Wrote the reports."},
        {"skill": catalogue["mapping"].pk, "level": 2, "evidence": ""},
    ]


def test_reading_skills_needs_a_signed_in_person(client, civil_servant):
    assert client.get(f"/api/v1/people/{civil_servant.pk}/skills").status_code == 401


def test_an_unknown_or_inactive_person_is_404_and_an_impossible_id_422(api_as, civil_servant):
    api = api_as(civil_servant)
    gone = UserFactory(is_active=False)

    assert api.get("/people/999999/skills").status_code == 404
    assert api.get(f"/people/{gone.pk}/skills").status_code == 404
    assert api.get(f"/people/{MAX_ID + 1}/skills").status_code == 422
    assert api.put("/people/999999/skills", []).status_code == 404


def test_a_person_replaces_their_skills_and_the_old_ones_are_gone(api_as, civil_servant, catalogue):
    UserSkillFactory(user=civil_servant, skill=catalogue["budgets"], level=3)
    kept = UserSkillFactory(user=civil_servant, skill=catalogue["mapping"], level=1, evidence="")
    body = [
        {"skill": catalogue["mapping"].pk, "level": 4, "evidence": " Mapped land mutation. "},
        {"skill": catalogue["sql"].pk, "level": 5},
    ]

    response = api_as(civil_servant).put(f"/people/{civil_servant.pk}/skills", body)

    assert response.status_code == 200, response.json()
    assert response.json() == [
        {"skill": catalogue["sql"].pk, "level": 5, "evidence": ""},
        {"skill": catalogue["mapping"].pk, "level": 4, "evidence": "Mapped land mutation."},
    ]
    assert skills_of(civil_servant) == [
        ("Journey mapping", 4, "Mapped land mutation."),
        ("SQL", 5, ""),
    ]
    # A skill that stays keeps its row, and so its history.
    assert UserSkill.objects.get(user=civil_servant, skill=catalogue["mapping"]).pk == kept.pk
    assert kept.history.count() == 2
    assert api_as(civil_servant).get(f"/people/{civil_servant.pk}/skills").json() == response.json()


def test_an_empty_list_removes_every_skill(api_as, civil_servant, catalogue):
    UserSkillFactory(user=civil_servant, skill=catalogue["sql"])

    response = api_as(civil_servant).put(f"/people/{civil_servant.pk}/skills", [])

    assert (response.status_code, response.json()) == (200, [])
    assert skills_of(civil_servant) == []


def test_an_administrator_who_is_not_a_superuser_replaces_anothers_skills(
    api_as, administrator, civil_servant, catalogue
):
    assert not administrator.is_superuser
    UserSkillFactory(user=civil_servant, skill=catalogue["sql"])

    response = api_as(administrator).put(
        f"/people/{civil_servant.pk}/skills", [{"skill": catalogue["budgets"].pk, "level": 3}]
    )

    assert response.status_code == 200
    assert skills_of(civil_servant) == [("Budgeting", 3, "")]


@pytest.mark.parametrize("role", [roles.CIVIL_SERVANT, roles.PROGRAMME_MANAGER])
def test_nobody_else_may_replace_a_persons_skills(api_as, catalogue, role):
    person = UserFactory()
    UserSkillFactory(user=person, skill=catalogue["sql"], level=2, evidence="Mine.")
    colleague = UserFactory(roles=[role])

    response = api_as(colleague).put(
        f"/people/{person.pk}/skills", [{"skill": catalogue["budgets"].pk, "level": 3}]
    )

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only the person or an administrator may change their skills."
    )
    assert skills_of(person) == [("SQL", 2, "Mine.")]


def test_replacing_skills_needs_a_signed_in_person(client, civil_servant):
    response = client.put(
        f"/api/v1/people/{civil_servant.pk}/skills", [], content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("items", "fields"),
    [
        ([{"skill": "S", "level": 2}, {"skill": "S", "level": 3}], ["1.skill"]),
        ([{"skill": "S", "level": 2}, {"skill": 999_999, "level": 3}], ["1.skill"]),
        ([{"skill": MAX_ID + 1, "level": 3}], ["0.skill"]),
        ([{"skill": True, "level": 3}], ["0.skill"]),
        ([{"skill": "S", "level": 0}], ["0.level"]),
        ([{"skill": "S", "level": 2}, {"skill": "B", "level": 6}], ["1.level"]),
        ([{"skill": "S", "level": True}], ["0.level"]),
        ([{"skill": "S", "level": "3"}], ["0.level"]),
        ([{"skill": "S", "level": 3.5}], ["0.level"]),
        ([{"skill": "S"}], ["0.level"]),
        ([{"skill": "S", "level": 3, "evidence": "a\x00b"}], ["0.evidence"]),
        ([{"skill": "S", "level": 3, "evidence": "e" * (EVIDENCE_MAX_LENGTH + 1)}], ["0.evidence"]),
        ([{"skill": "S", "level": 3, "evidence": None}], ["0.evidence"]),
    ],
)
def test_bad_skills_are_422_naming_the_json_path_and_nothing_changes(
    api_as, civil_servant, catalogue, items, fields
):
    UserSkillFactory(user=civil_servant, skill=catalogue["sql"], level=2, evidence="Mine.")
    ids = {"S": catalogue["sql"].pk, "B": catalogue["budgets"].pk}
    body = [{**item, "skill": ids.get(item["skill"], item["skill"])} for item in items]

    response = api_as(civil_servant).put(f"/people/{civil_servant.pk}/skills", body)

    assert response.status_code == 422, response.json()
    assert [error["field"] for error in response.json()["errors"]] == fields
    assert skills_of(civil_servant) == [("SQL", 2, "Mine.")]


def test_the_skills_must_come_as_an_array_of_at_most_200(api_as, civil_servant, catalogue):
    api = api_as(civil_servant)
    path = f"/people/{civil_servant.pk}/skills"
    item = {"skill": catalogue["sql"].pk, "level": 3}

    not_an_array = api.put(path, item)
    too_many = api.put(path, [item] * 201)

    # The whole body is at fault, not one field of it.
    assert (not_an_array.status_code, too_many.status_code) == (422, 422)
    assert [error["field"] for error in not_an_array.json()["errors"]] == ["__all__"]
    assert [error["field"] for error in too_many.json()["errors"]] == ["__all__"]


def test_the_domain_function_refuses_what_the_api_never_lets_through(civil_servant, catalogue):
    """Callers other than the API (pages, imports) get the same refusals."""
    sql = catalogue["sql"].pk
    with pytest.raises(ValidationError) as refused:
        replace_skills(
            person=civil_servant,
            by=civil_servant,
            skills=[
                HeldSkill(skill=sql, level=True),
                HeldSkill(skill=MAX_ID + 1, level=SkillLevel.LEADING),
                HeldSkill(skill=sql, level=9, evidence="x\x00"),
            ],
        )
    assert set(refused.value.message_dict) == {
        "0.level", "1.skill", "2.skill", "2.level", "2.evidence"
    }  # fmt: skip
    with pytest.raises(PermissionDenied):
        replace_skills(person=civil_servant, by=UserFactory(), skills=[])
