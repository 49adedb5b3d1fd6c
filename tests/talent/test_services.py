"""Free Agents' writes: applying and assessment, challenges, offers, the lifecycle of an
assignment and its closing review."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from innohub.accounts.models import UserSkill
from innohub.core.errors import Conflict
from innohub.talent import services
from innohub.talent.models import (
    AgentStatus,
    ApplicationStatus,
    AssignmentStatus,
    Challenge,
    FreeAgent,
    SkillEvidence,
)
from tests.factories import ProfileFactory, SkillFactory, UserFactory
from tests.talent.factories import agent, challenge, days, manager

pytestmark = pytest.mark.django_db


def test_an_accepted_application_makes_a_free_agent_with_its_home_kept():
    person = UserFactory()
    profile = ProfileFactory(user=person, gender="female", grade="Grade 6")
    pm = manager()
    application = services.apply(
        person=person, statement="I map processes.", available_from=days(10)
    )
    with pytest.raises(Conflict):  # no step yet
        services.decide_application(by=pm, application=application, accept=True)
    services.record_step(by=pm, application=application, kind="screening", outcome="passed")
    services.record_step(by=pm, application=application, kind="interview", outcome="passed")
    made = services.decide_application(by=pm, application=application, accept=True)
    assert made is not None
    assert made.status == AgentStatus.AVAILABLE
    assert made.available_from == days(10)
    assert (made.gender, made.grade) == ("female", "Grade 6")
    assert made.home_organisation == profile.organisation
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert person.notifications.filter(kind="free_agent_decision").count() == 1
    with pytest.raises(Conflict):
        services.apply(person=person, statement="Again", available_from=days(1))


def test_a_failed_step_refuses_acceptance_and_declining_needs_a_reason():
    person = UserFactory()
    pm = manager()
    application = services.apply(person=person, statement="Please.", available_from=days(0))
    with pytest.raises(Conflict):
        services.apply(person=person, statement="Twice", available_from=days(0))
    services.record_step(by=pm, application=application, kind="work_sample", outcome="not_passed")
    with pytest.raises(Conflict):
        services.decide_application(by=pm, application=application, accept=True)
    with pytest.raises(ValidationError) as error:
        services.decide_application(by=pm, application=application, accept=False, note="  ")
    assert "note" in error.value.message_dict
    assert (
        services.decide_application(by=pm, application=application, accept=False, note="Not yet.")
        is None
    )
    assert not FreeAgent.objects.filter(user=person).exists()
    with pytest.raises(Conflict):  # decided
        services.record_step(by=pm, application=application, kind="interview", outcome="passed")


def test_only_programme_managers_assess_and_make_agents():
    person = UserFactory()
    application = services.apply(person=person, statement="Me.", available_from=days(0))
    with pytest.raises(PermissionDenied):
        services.record_step(by=person, application=application, kind="screening", outcome="passed")
    with pytest.raises(PermissionDenied):
        services.make_agent(by=person, person=UserFactory(), available_from=days(0))


def test_a_challenge_names_each_bad_field():
    pm = manager()
    skill = SkillFactory()
    with pytest.raises(ValidationError) as error:
        challenge(
            {skill: 3},
            by=pm,
            title=" ",
            seats=0,
            weeks=500,
            cost_recovery="-5",
            currency="XXQ",
        )
    assert set(error.value.message_dict) == {"title", "seats", "weeks", "cost_recovery", "currency"}
    with pytest.raises(ValidationError) as error:
        challenge({}, by=pm)
    assert "skills" in error.value.message_dict
    assert not Challenge.objects.exists()


def test_a_civil_servant_cannot_post_but_a_team_member_of_the_host_can():
    from tests.factories import InnovationTeamFactory, OrganisationFactory

    host = OrganisationFactory()
    skill = SkillFactory()
    with pytest.raises(PermissionDenied):
        challenge({skill: 2}, by=UserFactory(), organisation=host)
    member = UserFactory()
    InnovationTeamFactory(organisation=host, area=None).members.add(member)
    made = challenge({skill: 2}, by=member, organisation=host)
    assert made.needs_count == 1


def _accepted(skill, **fields):
    pm = manager()
    worker = agent({skill: 4})
    made = challenge({skill: 3}, by=pm, **fields)
    assignment = services.offer(by=pm, challenge=made, agent=worker)
    services.accept(by=worker.user, assignment=assignment)
    return pm, worker, made, assignment


def test_the_lifecycle_from_offer_to_the_review_that_adds_evidence():
    skill, other = SkillFactory(), SkillFactory()
    pm = manager()
    worker = agent({skill: 2}, available_from=days(0))
    made = challenge({skill: 2, other: 3}, by=pm, seats=2, starts_on=days(0))
    assignment = services.offer(by=pm, challenge=made, agent=worker)
    assert (assignment.status, assignment.match, assignment.of) == ("offered", 1, 2)
    made.refresh_from_db()
    worker.refresh_from_db()
    assert (made.seats_taken, worker.offers_waiting) == (1, 1)
    assert worker.user.notifications.filter(kind="free_agent_offer").count() == 1
    with pytest.raises(PermissionDenied):  # only the agent answers
        services.accept(by=pm, assignment=assignment)
    services.accept(by=worker.user, assignment=assignment)
    worker.refresh_from_db()
    assert (worker.status, worker.offers_waiting) == (AgentStatus.ASSIGNED, 0)
    with pytest.raises(Conflict):  # not active yet
        services.complete(by=pm, assignment=assignment, review="Done")
    services.start(by=pm, assignment=assignment)
    with pytest.raises(ValidationError) as error:
        services.complete(by=pm, assignment=assignment, review="Good", shown=[(skill.pk, 9, "x")])
    assert "skills" in error.value.message_dict
    services.complete(
        by=pm,
        assignment=assignment,
        review="Mapped the process with the office and cut two visits.",
        shown=[(skill.pk, 4, "Led the mapping"), (other.pk, 3, "Ran the survey")],
    )
    assignment.refresh_from_db()
    worker.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    assert (worker.status, worker.completed) == (AgentStatus.AVAILABLE, 1)
    assert worker.available_from == days(1)  # moves on from the next day
    levels = dict(UserSkill.objects.filter(user=worker.user).values_list("skill_id", "level"))
    assert levels == {skill.pk: 4, other.pk: 3}
    assert SkillEvidence.objects.filter(user=worker.user).count() == 2
    made.refresh_from_db()
    assert made.seats_taken == 1  # a completed seat stays taken


def test_accepting_declines_the_agents_other_offers_and_frees_their_seats():
    skill = SkillFactory()
    pm = manager()
    worker = agent({skill: 3})
    first, second = challenge({skill: 3}, by=pm), challenge({skill: 3}, by=pm)
    one = services.offer(by=pm, challenge=first, agent=worker)
    two = services.offer(by=pm, challenge=second, agent=worker)
    services.accept(by=worker.user, assignment=two)
    one.refresh_from_db()
    first.refresh_from_db()
    assert one.status == AssignmentStatus.DECLINED
    assert first.seats_taken == 0
    with pytest.raises(Conflict):
        services.accept(by=worker.user, assignment=one)


def test_seats_and_availability_are_held():
    skill = SkillFactory()
    pm = manager()
    made = challenge({skill: 1}, by=pm, seats=1, starts_on=days(20))
    late = agent({skill: 5}, available_from=days(21))
    with pytest.raises(Conflict) as error:
        services.offer(by=pm, challenge=made, agent=late)
    assert days(21).isoformat() in error.value.message
    first, second = agent({skill: 1}), agent({skill: 1})
    services.offer(by=pm, challenge=made, agent=first)
    with pytest.raises(Conflict):  # the pair again
        services.offer(by=pm, challenge=made, agent=first)
    with pytest.raises(Conflict):  # the one seat is offered
        services.offer(by=pm, challenge=made, agent=second)
    with pytest.raises(ValidationError) as refused:
        services.change_challenge(by=pm, challenge=made, seats=0)
    assert "seats" in refused.value.message_dict


def test_a_declined_offer_gives_the_seat_back():
    skill = SkillFactory()
    pm = manager()
    made = challenge({skill: 1}, by=pm, seats=1)
    first, second = agent({skill: 1}), agent({skill: 1})
    offered = services.offer(by=pm, challenge=made, agent=first)
    services.decline(by=first.user, assignment=offered, reason="I start a course then.")
    made.refresh_from_db()
    assert made.seats_taken == 0
    assert services.offer(by=pm, challenge=made, agent=second).status == "offered"
    # Offered again after declining: allowed (the declined one does not count).
    made.seats = 2
    made.save()
    assert services.offer(by=pm, challenge=made, agent=first).status == "offered"


def test_withdrawing_declines_offers_and_is_refused_while_on_a_challenge():
    skill = SkillFactory()
    pm, worker, _made, _assignment = _accepted(skill)
    with pytest.raises(Conflict):
        services.withdraw(by=worker.user, agent=worker)
    other = agent({skill: 2})
    waiting = services.offer(by=pm, challenge=challenge({skill: 1}, by=pm), agent=other)
    services.withdraw(by=other.user, agent=other)
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert waiting.status == AssignmentStatus.DECLINED
    assert (other.status, other.offers_waiting) == (AgentStatus.WITHDRAWN, 0)
    with pytest.raises(Conflict):
        services.offer(by=pm, challenge=challenge({skill: 1}, by=pm), agent=other)


def test_the_reviews_evidence_is_on_the_profile_and_survives_a_skills_replace(client):
    from innohub.accounts import services as account_services

    skill = SkillFactory(name="Journey mapping")
    pm, worker, _made, assignment = _accepted(skill)
    services.start(by=pm, assignment=assignment)
    services.complete(
        by=pm, assignment=assignment, review="Good.", shown=[(skill.pk, 5, "Mapped 3 offices")]
    )
    account_services.replace_skills(person=worker.user, by=worker.user, skills=[])
    assert SkillEvidence.objects.filter(user=worker.user).count() == 1
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:person", args=[worker.user.username])).content.decode()
    assert "Mapped 3 offices" in page and "Shown on Free Agents challenges" in page
