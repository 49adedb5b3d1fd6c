"""The permission matrix: every permission of every app's `rules.py`, for every role, against
an object of the person's own, one in their area (or organisation) that is not theirs, and one
in another area — each allowed or refused as the table below says.

The table is the contract: a rule added without a row fails `test_every_permission_is_in_the_
table`, and a rule that grants more or less than its row fails the matrix, which names every
cell that differs. The cells are `user.has_perm(name, obj)`, exactly what pages and the API ask.

The relations, for each kind of object:

- `own`: the person's own — the consultation they created, the journey they observe, the pilot they lead, the idea they
  proposed, the import they started, the proposal they assess, the cohort they train, their own
  person and token, the review they asked for (of another ministry), their ministry's plan,
  the post they wrote, the fellowship whose panel they sit on and whose fellow they are, the
  exchange they went on;
- `same`: of their area and ministry (where a programme manager's profile and an innovation
  team point), not theirs; for a cohort, one they take part in;
- `other`: of another district and another ministry, not theirs.

A permission about a kind of thing (`add_*` and most `view_*`) is asked with no object: the
same answer in all three columns.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import rules
from django.contrib.auth.models import AnonymousUser, Group

from innohub.accounts.models import ApiToken
from innohub.core import roles
from innohub.geo.models import Level
from innohub.insights.models import ActionPlan, MonthlyReport
from innohub.network.models import Exchange, Fellow, Fellowship
from innohub.pipeline.models import Assessor, Proposal
from innohub.services.models import JourneyExport, JourneyImport
from innohub.talent.models import Assignment, Challenge, FreeAgent
from innohub.training.models import Participant
from tests.accounts.factories import TeamMembershipFactory
from tests.engagement.factories import ConsultationFactory
from tests.factories import (
    AreaFactory,
    InnovationTeamFactory,
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
)
from tests.network.factories import PostFactory
from tests.pipeline.factories import FundingCallFactory, IdeaFactory, PilotFactory
from tests.services.factories import JourneyFactory, ServiceFactory
from tests.training.factories import CohortFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
CIVIL = roles.CIVIL_SERVANT
MENTOR = roles.MENTOR
TRAINER = roles.TRAINER
TEAM = roles.TEAM_MEMBER
PM = roles.PROGRAMME_MANAGER
REVIEWER = roles.SENIOR_REVIEWER
ADMIN = roles.ADMINISTRATOR
PEOPLE = (ANONYMOUS, CIVIL, MENTOR, TRAINER, TEAM, PM, REVIEWER, ADMIN)
SIGNED_IN = PEOPLE[1:]

ALL = frozenset({"own", "same", "other"})
OWN = frozenset({"own"})
HOME = frozenset({"own", "same"})
SAME = frozenset({"same"})
AWAY = frozenset({"same", "other"})  # anything but their own
NONE: frozenset[str] = frozenset()


def grant(**by_role: frozenset[str]) -> dict[str, frozenset[str]]:
    """Relations allowed per role (keys: role constants' values); unnamed roles: none."""
    return {role: by_role.get(role, NONE) for role in PEOPLE}


def signed_in(relations: frozenset[str] = ALL, **more: frozenset[str]) -> dict[str, frozenset[str]]:
    """Every signed-in role gets `relations`, some roles more."""
    return grant(**{role: relations | more.get(role, NONE) for role in SIGNED_IN})


def only(*people: str) -> dict[str, frozenset[str]]:
    return grant(**dict.fromkeys(people, ALL))


# (permission, kind of object, relations allowed per role). Kinds: None (no object), and the
# makers in `World` below.
TABLE: list[tuple[str, str | None, dict[str, frozenset[str]]]] = [
    # geo, orgs: reference data is kept by programme managers and administrators.
    ("geo.view_area", None, signed_in()),
    ("geo.add_area", None, only(PM, ADMIN)),
    ("geo.change_area", None, only(PM, ADMIN)),
    ("geo.import_areas", None, only(PM, ADMIN)),
    ("orgs.view_organisation", None, signed_in()),
    ("orgs.add_organisation", None, only(PM, ADMIN)),
    ("orgs.change_organisation", None, only(PM, ADMIN)),
    # accounts
    ("accounts.change_profile", "person", signed_in(OWN, **{ADMIN: ALL})),
    ("accounts.view_contact_details", "person", signed_in(OWN, **{ADMIN: ALL})),
    ("accounts.add_person", None, only(PM, ADMIN)),
    ("accounts.add_skill", None, only(PM, ADMIN)),
    ("accounts.manage_token", "token", signed_in(OWN)),
    ("accounts.use_admin", None, only(PM, ADMIN)),
    *(
        (f"accounts.{action}_{model}", None, only(PM, ADMIN))
        for action in ("view", "add", "change", "delete")
        for model in ("innovationteam", "teammembership")
    ),
    # services
    ("services.view_service", None, signed_in()),
    ("services.add_service", None, only(PM, ADMIN)),
    ("services.change_service", None, only(PM, ADMIN)),
    ("services.view_processmap", None, signed_in()),
    ("services.add_processmap", None, only(PM, ADMIN, TRAINER)),
    ("services.change_processmap", None, only(PM, ADMIN, TRAINER)),
    ("services.view_journey", None, signed_in()),
    ("services.add_journey", None, signed_in()),
    ("services.change_journey", "journey", signed_in(OWN, **{TEAM: HOME, PM: HOME, ADMIN: ALL})),
    ("services.view_journeyimport", "import", signed_in(OWN, **{ADMIN: ALL})),
    ("services.view_journeyexport", "export", signed_in(OWN, **{ADMIN: ALL})),
    # pipeline
    ("pipeline.view_idea", None, signed_in()),
    ("pipeline.add_idea", None, signed_in()),
    ("pipeline.change_idea", "idea", signed_in(OWN, **{ADMIN: ALL})),
    ("pipeline.view_pilot", None, signed_in()),
    ("pipeline.add_pilot", None, signed_in()),
    ("pipeline.change_pilot", "pilot", signed_in(OWN, **{PM: HOME, ADMIN: ALL})),
    ("pipeline.add_spend", "pilot", signed_in(OWN, **{PM: HOME, ADMIN: ALL})),
    ("pipeline.add_risk", "pilot", signed_in(OWN, **{PM: HOME, ADMIN: ALL})),
    ("pipeline.add_lesson", "pilot", signed_in(OWN, **{TEAM: HOME, PM: HOME, ADMIN: ALL})),
    ("pipeline.add_measurement", "pilot", signed_in(OWN, **{TEAM: HOME, PM: HOME, ADMIN: ALL})),
    ("pipeline.view_mentoringnote", "pilot", signed_in(OWN, **{TEAM: HOME, PM: HOME, ADMIN: ALL})),
    ("pipeline.add_mentoringnote", "pilot", signed_in(OWN)),  # its lead and mentor only
    ("pipeline.change_projectdesign", "idea", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("pipeline.add_proposal", "idea", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("pipeline.add_fundingcall", None, only(PM, ADMIN)),
    ("pipeline.change_proposal", None, only(PM, ADMIN)),
    ("pipeline.view_review", "proposal", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("pipeline.add_review", "proposal", signed_in(OWN)),  # its assessors only
    ("pipeline.add_showcase", None, only(PM, ADMIN)),
    # A showcase score: never one's own pilot.
    ("pipeline.add_showcasescore", "pilot", grant(**{REVIEWER: AWAY, PM: AWAY, ADMIN: AWAY})),
    ("pipeline.add_scaleup", None, only(REVIEWER, ADMIN)),
    ("pipeline.add_replication", "pilot", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    # training: `own` is a cohort one trains, `same` one taken part in.
    ("training.view_programme", None, signed_in()),
    ("training.add_programme", None, only(PM, ADMIN)),
    ("training.view_cohort", None, signed_in()),
    ("training.add_cohort", None, only(PM, ADMIN)),
    ("training.change_cohort", None, only(PM, ADMIN)),
    ("training.view_application", "cohort", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("training.add_attendance", "cohort", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("training.add_theme", "cohort", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("training.add_assignment", "cohort", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("training.view_feedback", "cohort", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("training.add_note", "cohort", signed_in(HOME, **{PM: ALL, ADMIN: ALL})),
    ("training.add_concept", "cohort", signed_in(HOME, **{PM: ALL, ADMIN: ALL})),
    ("training.add_feedback", "cohort", signed_in(SAME)),  # those who took part
    # network: everyone signed in posts, comments, follows and reports (a visible post here).
    ("network.view_post", "post", signed_in()),
    ("network.add_post", None, signed_in()),
    ("network.change_post", "post", signed_in(OWN)),
    ("network.add_comment", "post", signed_in()),
    ("network.add_follow", None, signed_in()),
    ("network.add_report", "post", signed_in()),
    ("network.moderate_post", None, only(PM, ADMIN)),
    # Fellowship: `own` is a fellowship whose panel the person sits on and whose fellow they are.
    ("network.view_fellowship", None, signed_in()),
    ("network.add_fellowship", None, only(PM, ADMIN)),
    ("network.add_nomination", None, signed_in()),
    ("network.add_nominationreview", "fellowship", signed_in(OWN)),
    ("network.decide_fellowship", None, only(PM, ADMIN)),
    ("network.view_circle", "fellowship", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("network.add_endorsement", None, signed_in()),
    ("network.add_award", None, only(PM, ADMIN)),
    ("network.view_recognition_report", None, only(REVIEWER, PM, ADMIN)),
    ("network.view_exchange", None, signed_in()),
    ("network.add_exchange", None, signed_in()),
    ("network.change_exchange", "exchange", signed_in(OWN)),
    # engagement: anyone reads a consultation (citizens need no account); the organisation's
    # talent: `own` is a challenge they posted, their own free agent, an offer made to them.
    ("talent.view_challenge", None, signed_in()),
    ("talent.add_challenge", None, only(TEAM, PM, ADMIN)),
    ("talent.change_challenge", "challenge", signed_in(OWN, **{TEAM: HOME, PM: ALL, ADMIN: ALL})),
    ("talent.view_candidates", "challenge", signed_in(OWN, **{TEAM: HOME, PM: ALL, ADMIN: ALL})),
    ("talent.add_assignment", "challenge", signed_in(OWN, **{TEAM: HOME, PM: ALL, ADMIN: ALL})),
    ("talent.add_application", None, signed_in()),
    ("talent.assess_application", None, only(PM, ADMIN)),
    ("talent.add_freeagent", None, only(PM, ADMIN)),
    ("talent.view_freeagent", "agent", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("talent.withdraw_freeagent", "agent", signed_in(OWN, **{PM: ALL, ADMIN: ALL})),
    ("talent.answer_assignment", "assignment", signed_in(OWN)),
    ("talent.make_plan", None, only(PM, ADMIN)),
    ("talent.view_workforce", None, only(REVIEWER, PM, ADMIN)),
    # officers (their profile's organisation in its tree), teams and programme managers run it.
    ("engagement.view_consultation", None, only(*PEOPLE)),
    ("engagement.add_consultation", "organisation", signed_in(HOME, **{ADMIN: ALL})),
    ("engagement.change_consultation", "consultation", signed_in(HOME, **{ADMIN: ALL})),
    ("engagement.add_contribution", "consultation", signed_in(HOME, **{ADMIN: ALL})),
    ("engagement.view_contribution", "consultation", signed_in(HOME, **{ADMIN: ALL})),
    ("engagement.add_finding", "consultation", signed_in(HOME, **{ADMIN: ALL})),
    ("engagement.add_response", "consultation", signed_in(HOME, **{ADMIN: ALL})),
    # insights: plans of a ministry; reviews asked for or about a ministry.
    ("insights.view_actionplan", None, signed_in()),
    ("insights.add_actionplan", None, only(PM, ADMIN)),
    ("insights.change_actionplan", "plan", grant(**{TEAM: HOME, PM: ALL, ADMIN: ALL})),
    (
        "insights.add_monthlyreport",
        "organisation",
        grant(**{TEAM: HOME, REVIEWER: ALL, PM: ALL, ADMIN: ALL}),
    ),
    (
        "insights.view_monthlyreport",
        "report",
        signed_in(OWN, **{TEAM: HOME, REVIEWER: ALL, PM: ALL, ADMIN: ALL}),
    ),
]


class World:
    """Two districts of one country, a ministry and an office in each; a person of each role
    whose profile (and, for the team member, innovation team) points at the first; and, for each
    kind of object, one of the person's own, one of their area, one of the other."""

    def __init__(self) -> None:
        country = AreaFactory(code="BD")
        self.home = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=country)
        self.away = AreaFactory(code="BD-18", level=Level.DISTRICT, parent=country)
        self.ministry = {
            "home": OrganisationFactory(name="Ministry of Land", area=self.home),
            "away": OrganisationFactory(name="Ministry of Health", area=self.away),
        }
        self.office = {
            "home": OrganisationFactory(
                parent=self.ministry["home"], kind="office", area=self.home
            ),
            "away": OrganisationFactory(
                parent=self.ministry["away"], kind="office", area=self.away
            ),
        }
        self.service = {
            side: ServiceFactory(organisation=self.ministry[side]) for side in ("home", "away")
        }
        self.stranger = UserFactory(username="stranger")
        team = InnovationTeamFactory(area=self.home, organisation=self.ministry["home"])
        self.people: dict[str, Any] = {ANONYMOUS: AnonymousUser()}
        for role in SIGNED_IN:
            Group.objects.get_or_create(name=role)
            person = UserFactory(username=f"a-{role}", roles=[role])
            ProfileFactory(user=person, area=self.home, organisation=self.ministry["home"])
            if role == TEAM:
                TeamMembershipFactory(team=team, user=person)
            self.people[role] = person
        ProfileFactory(user=self.stranger, area=self.away, organisation=self.ministry["away"])
        self.neighbour = UserFactory(username="neighbour")
        ProfileFactory(user=self.neighbour, area=self.home, organisation=self.ministry["home"])
        self._made: dict[tuple[str, str, str], Any] = {}

    def object(self, kind: str, relation: str, person: Any) -> Any:
        """The object of `kind` in `relation` to `person` (made once)."""
        role = "anonymous" if not person.is_authenticated else person.username
        key = (kind, relation, role if relation == "own" else "")
        if key not in self._made:
            owner = person if relation == "own" and person.is_authenticated else self.stranger
            side = "away" if relation == "other" else "home"
            self._made[key] = MAKERS[kind](self, relation, owner, side)
        return self._made[key]


def _journey(world: World, relation: str, owner: Any, side: str) -> Any:
    area = world.home if side == "home" else world.away
    return JourneyFactory(service=world.service[side], area=area, observer=owner)


def _pilot(world: World, relation: str, owner: Any, side: str) -> Any:
    area = world.home if side == "home" else world.away
    return PilotFactory(lead=owner, organisation=world.office[side], area=area)


def _idea(world: World, relation: str, owner: Any, side: str) -> Any:
    return IdeaFactory(proposer=owner, service=world.service[side])


def _proposal(world: World, relation: str, owner: Any, side: str) -> Any:
    proposal = Proposal.objects.create(
        call=FundingCallFactory(),
        idea=IdeaFactory(proposer=world.stranger, service=world.service[side]),
        requested=Decimal("100.00"),
        summary="A one-stop counter.",
        by=world.stranger,
    )
    if relation == "own" and owner is not world.stranger:
        Assessor.objects.create(proposal=proposal, user=owner, by=world.stranger)
    return proposal


def _cohort(world: World, relation: str, owner: Any, side: str) -> Any:
    return CohortFactory(trainers=[owner] if owner is not world.stranger else [])


def _consultation(world: World, relation: str, owner: Any, side: str) -> Any:
    return ConsultationFactory(organisation=world.office[side], by=owner)


def _person(world: World, relation: str, owner: Any, side: str) -> Any:
    if relation == "own":
        return owner
    return world.neighbour if side == "home" else world.stranger


def _token(world: World, relation: str, owner: Any, side: str) -> Any:
    return ApiToken(user=owner, name="script")


def _plan(world: World, relation: str, owner: Any, side: str) -> Any:
    today = datetime.date(2026, 7, 1)
    return ActionPlan(
        organisation=world.ministry[side], title="Plan", starts_on=today,
        ends_on=today + datetime.timedelta(days=364), by=world.stranger,
    )  # fmt: skip


def _report(world: World, relation: str, owner: Any, side: str) -> Any:
    # One's own: asked for about the other ministry, so that only the asking counts.
    about = world.ministry["away" if relation == "own" else side]
    return MonthlyReport(organisation=about, month=datetime.date(2026, 10, 1), by=owner)


def _post(world: World, relation: str, owner: Any, side: str) -> Any:
    return PostFactory(author=owner)


def _fellowship(world: World, relation: str, owner: Any, side: str) -> Any:
    fellowship = Fellowship.objects.create(
        title="Fellows", seats=2, closes_on=datetime.date(2030, 1, 1)
    )
    if owner is not world.stranger:
        fellowship.panel.add(owner)
        Fellow.objects.create(fellowship=fellowship, user=owner, rank=1, mean_score=5)
    return fellowship


MAKERS: dict[str, Callable[[World, str, Any, str], Any]] = {
    "post": _post,
    "fellowship": _fellowship,
    "exchange": lambda world, relation, owner, side: Exchange(
        person=owner,
        kind="field_day",
        host="Savar",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 1, 1),
        plan="Look",
        follow_up_due=datetime.date(2026, 2, 12),
    ),
    "journey": _journey,
    "import": lambda world, relation, owner, side: JourneyImport(by=owner),
    "export": lambda world, relation, owner, side: JourneyExport(by=owner),
    "pilot": _pilot,
    "idea": _idea,
    "proposal": _proposal,
    "cohort": _cohort,
    "person": _person,
    "token": _token,
    "plan": _plan,
    "consultation": _consultation,
    "organisation": lambda world, relation, owner, side: world.ministry[side],
    "report": _report,
    "challenge": lambda world, relation, owner, side: Challenge(
        organisation=world.office[side], posted_by=owner
    ),
    "agent": lambda world, relation, owner, side: FreeAgent(
        user=_person(world, relation, owner, side)
    ),
    "assignment": lambda world, relation, owner, side: Assignment(agent=FreeAgent(user=owner)),
}


def test_every_permission_is_in_the_table():
    registered = set(rules.permissions.permissions)
    tabled = [name for name, _kind, _grants in TABLE]
    assert len(tabled) == len(set(tabled)), "a permission is in the table twice"
    assert registered - set(tabled) == set(), "rules without a row in the permission matrix"
    assert set(tabled) - registered == set(), "rows of the matrix for rules that do not exist"


APPS = sorted({name.split(".")[0] for name, _kind, _grants in TABLE})


@pytest.mark.parametrize("app", APPS)
def test_the_matrix(app):
    world = World()
    wrong = []
    for name, kind, grants in (row for row in TABLE if row[0].startswith(f"{app}.")):
        for role in PEOPLE:
            person = world.people[role]
            for relation in ("own", "same", "other"):
                obj = None if kind is None else _object(world, kind, relation, person)
                allowed = person.has_perm(name, obj)
                if allowed != (relation in grants[role]):
                    wrong.append(f"{name} {role} {relation}: {'allowed' if allowed else 'refused'}")
    assert wrong == [], "\n".join(wrong)


def _object(world: World, kind: str, relation: str, person: Any) -> Any:
    found = world.object(kind, relation, person)
    if kind == "cohort" and relation == "same" and person.is_authenticated:
        # `same` for a cohort: one the person takes part in (and does not train).
        Participant.objects.get_or_create(cohort=found, user=person)
    return found
