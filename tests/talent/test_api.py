"""The Free Agents API (docs/api.md, "Talent"): free agents, challenges, candidates, offers
and their lifecycle, the plan, the workforce figures, and who may do what."""

from __future__ import annotations

import pytest

from innohub.core.roles import ADMINISTRATOR, SENIOR_REVIEWER
from innohub.talent import workforce
from innohub.talent.models import FreeAgent
from tests.factories import OrganisationFactory, SkillFactory, UserFactory
from tests.services.factories import JsonApi
from tests.talent.factories import agent, challenge, days, manager

pytestmark = pytest.mark.django_db


def _challenge_body(organisation, skills, **fields):
    body = {
        "title": "A one-stop land service",
        "problem": "Four visits for one mutation.",
        "organisation": organisation.pk,
        "skills": [{"skill": skill.pk, "level": level} for skill, level in skills.items()],
        "seats": 2,
        "starts_on": days(30).isoformat(),
        "weeks": 12,
    }
    body.update(fields)
    return body


def test_a_manager_posts_a_challenge_and_reads_explained_candidates(client):
    a, b, c = SkillFactory(), SkillFactory(), SkillFactory()
    pm = manager()
    api = JsonApi(client, pm)
    made = api.post(
        "/challenges",
        _challenge_body(
            OrganisationFactory(), {a: 3, b: 2, c: 4}, remote=True, cost_recovery="1500.00"
        ),
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["skills"] == sorted(
        [{"skill": a.pk, "level": 3}, {"skill": b.pk, "level": 2}, {"skill": c.pk, "level": 4}],
        key=lambda s: body["skills"].index(s),
    )
    assert (body["seats"], body["seats_taken"], body["cost_recovery"], body["remote"]) == (
        2,
        0,
        "1500.00",
        True,
    )
    best = agent({a: 5, b: 2, c: 4})
    two = agent({a: 3, b: 1, c: 4})
    agent({a: 1})
    found = api.get(f"/challenges/{body['id']}/candidates")
    assert found.status_code == 200
    assert [(r["agent"], r["match"], r["of"], r["missing"]) for r in found.json()] == [
        (best.pk, 3, 3, []),
        (two.pk, 2, 3, [b.pk]),
    ]
    page = api.get(
        f"/challenges/{body['id']}/candidates", limit=1, after_match=3, after_agent=best.pk
    )
    assert [r["agent"] for r in page.json()] == [two.pk]


def test_bad_challenges_name_their_fields(client):
    pm = manager()
    api = JsonApi(client, pm)
    skill = SkillFactory()
    org = OrganisationFactory()
    refused = api.post("/challenges", _challenge_body(org, {skill: 7}, seats=0))
    assert refused.status_code == 422
    fields = {error["field"] for error in refused.json()["errors"]}
    assert {"skills.0.level", "seats"} <= fields
    unknown = api.post(
        "/challenges",
        {**_challenge_body(org, {skill: 2}), "skills": [{"skill": 999999, "level": 2}]},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "skills"
    twice = api.post(
        "/challenges",
        {**_challenge_body(org, {skill: 2}), "skills": [{"skill": skill.pk, "level": 2}] * 2},
    )
    assert twice.status_code == 422
    assert api.get("/challenges").json()["count"] == 0


def test_a_civil_servant_may_not_post_plan_or_read_candidates(client):
    skill = SkillFactory()
    officer = UserFactory()
    api = JsonApi(client, officer)
    assert (
        api.post("/challenges", _challenge_body(OrganisationFactory(), {skill: 2})).status_code
        == 403
    )
    made = challenge({skill: 2})
    assert api.get(f"/challenges/{made.pk}/candidates").status_code == 403
    assert api.post("/talent/plan", {}).status_code == 403
    assert api.get("/talent/workforce").status_code == 403
    assert (
        api.post(
            "/free-agents", {"user": officer.pk, "available_from": days(0).isoformat()}
        ).status_code
        == 403
    )
    assert api.get("/challenges").json()["count"] == 1


def test_the_lifecycle_through_the_api(client):
    skill = SkillFactory()
    pm = manager()
    host = JsonApi(client, pm)
    person = UserFactory()
    made_agent = host.post(
        "/free-agents", {"user": person.pk, "available_from": days(0).isoformat()}
    )
    assert made_agent.status_code == 201, made_agent.json()
    assert made_agent.json()["status"] == "available"
    again = host.post("/free-agents", {"user": person.pk, "available_from": days(0).isoformat()})
    assert again.status_code == 409
    made = challenge({skill: 2}, by=pm, starts_on=days(0), seats=1)
    agent_id = made_agent.json()["id"]
    offered = host.post(f"/challenges/{made.pk}/offers", {"agent": agent_id})
    assert offered.status_code == 201, offered.json()
    assignment = offered.json()
    assert (assignment["status"], assignment["match"], assignment["of"]) == ("offered", 0, 1)
    assert host.post(f"/challenges/{made.pk}/offers", {"agent": agent_id}).status_code == 409
    me = JsonApi(client, person)
    assert host.post(f"/assignments/{assignment['id']}/accept").status_code == 403
    assert me.post(f"/assignments/{assignment['id']}/accept").json()["status"] == "accepted"
    assert me.get(f"/free-agents/{agent_id}").json()["status"] == "assigned"
    assert host.post(f"/assignments/{assignment['id']}/start", {}).json()["status"] == "active"
    done = host.post(
        f"/assignments/{assignment['id']}/complete",
        {
            "review": "Cut a visit.",
            "skills": [{"skill": skill.pk, "level": 3, "evidence": "Mapped it"}],
        },
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "completed"
    agent_now = me.get(f"/free-agents/{agent_id}").json()
    assert (agent_now["status"], agent_now["completed"]) == ("available", 1)
    skills = me.get(f"/people/{person.pk}/skills").json()
    assert [(s["skill"], s["level"]) for s in skills] == [(skill.pk, 3)]
    assert me.post(f"/assignments/{assignment['id']}/decline", {}).status_code == 409


def test_applications_are_assessed_and_decided(client):
    person = UserFactory()
    me = JsonApi(client, person)
    applied = me.post(
        "/free-agent-applications",
        {"statement": "I build forms.", "available_from": days(5).isoformat()},
    )
    assert applied.status_code == 201, applied.json()
    application = applied.json()["id"]
    assert (
        me.post(
            "/free-agent-applications",
            {"statement": "Again", "available_from": days(5).isoformat()},
        ).status_code
        == 409
    )
    assert (
        me.post(
            f"/free-agent-applications/{application}/steps",
            {"kind": "interview", "outcome": "passed"},
        ).status_code
        == 403
    )
    pm = JsonApi(client, manager())
    assert (
        pm.post(f"/free-agent-applications/{application}/decision", {"accept": True}).status_code
        == 409
    )
    stepped = pm.post(
        f"/free-agent-applications/{application}/steps",
        {"kind": "interview", "outcome": "passed", "note": "Strong"},
    )
    assert stepped.status_code == 201
    assert [s["kind"] for s in stepped.json()["steps"]] == ["interview"]
    decided = pm.post(f"/free-agent-applications/{application}/decision", {"accept": True})
    assert decided.status_code == 200
    assert decided.json()["status"] == "accepted"
    assert decided.json()["agent"] == FreeAgent.objects.get(user=person).pk
    assert me.get("/free-agents").json()["count"] == 1
    other = JsonApi(client, UserFactory())
    assert other.get(f"/free-agent-applications/{application}").status_code == 404


def test_the_plan_is_the_largest_total_match(client):
    a, b, c, d = SkillFactory(), SkillFactory(), SkillFactory(), SkillFactory()
    pm = manager()
    # ADR 0029's counter-example: one scores 3 on the first and 1 on the second, two scores
    # 1 on the first. Two placements (1 + 1) lose to one placement of 3.
    one = agent({a: 3, b: 3, c: 3, d: 3})
    agent({a: 3})
    first = challenge({a: 3, b: 3, c: 3}, by=pm, seats=1)
    second = challenge({d: 1}, by=pm, seats=1)
    api = JsonApi(client, pm)
    answer = api.post("/talent/plan", {"challenges": [first.pk, second.pk]})
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {
        "assignments": [{"challenge": first.pk, "agent": one.pk, "match": 3}],
        "total_match": 3,
    }
    unknown = api.post("/talent/plan", {"challenges": [first.pk, 99999]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "challenges"
    assert api.post("/talent/plan", {}).json()["total_match"] == 3


def test_the_workforce_figures_are_read_by_reviewers(client):
    reviewer = UserFactory(roles=[SENIOR_REVIEWER])
    api = JsonApi(client, reviewer)
    assert api.get("/talent/workforce").json() == {"counted_at": None, "figures": None}
    workforce.count()
    answered = api.get("/talent/workforce").json()
    assert answered["figures"]["totals"]["joined"] == 0
    assert (
        JsonApi(client, UserFactory(roles=[ADMINISTRATOR])).get("/talent/workforce").status_code
        == 200
    )
