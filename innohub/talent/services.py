"""Writes of Free Agents: applying and being assessed, challenges, offers and their answers,
the closing review (docs/api.md, "Talent"; the rules of who may are in `rules`).

Every write is one transaction; the stored counts (a challenge's seats taken, an agent's
offers waiting and challenges completed) change in the same transaction, under a row lock of
the challenge or the agent, so that two managers offering the last seat at once cannot both
have it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from innohub.accounts.models import Skill, SkillLevel, UserSkill
from innohub.accounts.notifications import notify
from innohub.core.errors import Conflict
from innohub.core.models import ids_in_path
from innohub.core.text import collect_text
from innohub.core.units import MAX_MONEY
from innohub.geo.models import is_known_currency

from . import matching
from .limits import (
    LOCATION_MAX,
    NEEDS_MAX,
    NOTE_MAX,
    SEATS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    WEEKS_MAX,
)
from .models import (
    AgentStatus,
    Application,
    ApplicationStatus,
    AssessmentStep,
    Assignment,
    AssignmentStatus,
    Challenge,
    ChallengeSkill,
    FreeAgent,
    SkillEvidence,
    StepKind,
    StepOutcome,
)
from .rules import may_keep_challenge, may_post_for, offered_to, runs_programme

if TYPE_CHECKING:
    from innohub.accounts.models import User
    from innohub.orgs.models import Organisation

LEVELS = range(min(SkillLevel.values), max(SkillLevel.values) + 1)


def _today() -> datetime.date:
    return timezone.localdate()


# Applying and being assessed ----------------------------------------------------------------


@transaction.atomic
def apply(*, person: User, statement: Any, available_from: datetime.date) -> Application:
    """A person asks to become a free agent (one application being assessed at a time)."""
    if FreeAgent.objects.filter(user=person).exclude(status=AgentStatus.WITHDRAWN).exists():
        raise Conflict(_("You are a free agent already."))
    if Application.objects.filter(person=person, status=ApplicationStatus.SUBMITTED).exists():
        raise Conflict(_("Your application is being assessed already."))
    errors: dict[str, str] = {}
    text = collect_text(errors, statement, "statement", max_length=TEXT_MAX, required=True)
    if errors:
        raise ValidationError(errors)
    return Application.objects.create(person=person, statement=text, available_from=available_from)


def _open_application(application_id: int) -> Application:
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict(_("This application has been decided."))
    return application


@transaction.atomic
def record_step(
    *,
    by: User,
    application: Application,
    kind: Any,
    outcome: Any,
    note: Any = "",
    done_on: datetime.date | None = None,
) -> AssessmentStep:
    """An assessor records one step of the assessment; recording a kind again changes it."""
    if not runs_programme(by):
        raise PermissionDenied
    application = _open_application(application.pk)
    errors: dict[str, str] = {}
    if kind not in StepKind.values:
        errors["kind"] = _("Choose screening, an interview, a work sample or references.")
    if outcome not in StepOutcome.values:
        errors["outcome"] = _("Choose passed or not passed.")
    clean_note = collect_text(errors, note, "note", max_length=NOTE_MAX)
    done_on = done_on or _today()
    if done_on > _today():
        errors["done_on"] = _("The day cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    step, _created = AssessmentStep.objects.update_or_create(
        application=application,
        kind=kind,
        defaults={"outcome": outcome, "note": clean_note, "assessor": by, "done_on": done_on},
    )
    return step


@transaction.atomic
def decide_application(
    *, by: User, application: Application, accept: bool, note: Any = ""
) -> FreeAgent | None:
    """Accept (every recorded step passed, at least one) — the person becomes a free agent —
    or decline with a reason the person reads."""
    if not runs_programme(by):
        raise PermissionDenied
    application = _open_application(application.pk)
    errors: dict[str, str] = {}
    clean_note = collect_text(errors, note, "note", max_length=NOTE_MAX, required=not accept)
    if errors:
        raise ValidationError(errors)
    outcomes = list(application.steps.values_list("outcome", flat=True))
    if accept and (not outcomes or StepOutcome.NOT_PASSED in outcomes):
        raise Conflict(
            _("An application is accepted after at least one assessment step, all passed.")
        )
    application.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_note = clean_note
    application.save()
    agent = _join(application.person, application.available_from, application) if accept else None
    notify(
        user=application.person,
        kind="free_agent_decision",
        subject=(
            gettext_noop("Welcome to Free Agents")
            if accept
            else gettext_noop("Your Free Agents application was not accepted")
        ),
        body=clean_note,
        url="/talent/me/",
    )
    return agent


@transaction.atomic
def make_agent(*, by: User, person: User, available_from: datetime.date) -> FreeAgent:
    """A programme manager makes someone a free agent without an application (SETTLED.md)."""
    if not runs_programme(by):
        raise PermissionDenied
    return _join(person, available_from, None)


def _join(
    person: User, available_from: datetime.date, application: Application | None
) -> FreeAgent:
    """The person becomes (or, after withdrawing, becomes again) a free agent; their home,
    gender and grade are kept as they are today."""
    existing = FreeAgent.objects.select_for_update().filter(user=person).first()
    if existing is not None and existing.status != AgentStatus.WITHDRAWN:
        raise Conflict(_("This person is a free agent already."))
    profile = getattr(person, "profile", None)
    home = getattr(profile, "organisation", None)
    values = {
        "application": application,
        "available_from": available_from,
        "status": AgentStatus.AVAILABLE,
        "joined_on": _today(),
        "withdrawn_on": None,
        "home_organisation": home,
        "home_ministry_id": ids_in_path(home.path)[0] if home is not None else None,
        "gender": getattr(profile, "gender", "") or "",
        "grade": getattr(profile, "grade", "") or "",
    }
    if existing is None:
        return FreeAgent.objects.create(user=person, **values)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    return existing


@transaction.atomic
def withdraw(*, by: User, agent: FreeAgent) -> FreeAgent:
    """The agent leaves the programme (offers waiting are declined); not while on a challenge."""
    agent = FreeAgent.objects.select_for_update().get(pk=agent.pk)
    if agent.user_id != by.pk and not runs_programme(by):
        raise PermissionDenied
    if agent.status == AgentStatus.WITHDRAWN:
        raise Conflict(_("This free agent has withdrawn already."))
    if agent.assignments.filter(
        status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.ACTIVE]
    ).exists():
        raise Conflict(
            _("Finish the challenge first: a free agent on a challenge cannot withdraw.")
        )
    for offer in agent.assignments.filter(status=AssignmentStatus.OFFERED):
        _decline(offer, _("The free agent withdrew."))
    agent.refresh_from_db()
    agent.status = AgentStatus.WITHDRAWN
    agent.withdrawn_on = _today()
    agent.save()
    return agent


@transaction.atomic
def set_availability(*, by: User, agent: FreeAgent, available_from: datetime.date) -> FreeAgent:
    agent = FreeAgent.objects.select_for_update().get(pk=agent.pk)
    if agent.user_id != by.pk and not runs_programme(by):
        raise PermissionDenied
    agent.available_from = available_from
    agent.save(update_fields=["available_from", "modified"])
    return agent


# Challenges ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    skill: int
    level: int


def _clean_needs(errors: dict[str, str], needs: Iterable[Any]) -> list[Need]:
    """Skills asked for: each a known skill, once, at a level 1-5; 1 to NEEDS_MAX of them."""
    clean: list[Need] = []
    seen: set[int] = set()
    for need in needs:
        skill, level = (need.skill, need.level) if isinstance(need, Need) else need
        if not isinstance(level, int) or level not in LEVELS:
            errors["skills"] = _("Give each skill a level from 1 to 5.")
            return []
        if skill in seen:
            errors["skills"] = _("Ask for each skill once.")
            return []
        seen.add(skill)
        clean.append(Need(skill=int(skill), level=level))
    if not clean:
        errors["skills"] = _("Ask for at least one skill.")
    elif len(clean) > NEEDS_MAX:
        errors["skills"] = _("Ask for at most %(n)d skills.") % {"n": NEEDS_MAX}
    elif Skill.objects.filter(pk__in=seen).count() != len(seen):
        errors["skills"] = _("Choose skills from the list of skills.")
    return clean


def _clean_challenge(
    fields: dict[str, Any], *, seats_taken: int = 0
) -> tuple[dict[str, Any], list[Need] | None]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if "title" in fields:
        clean["title"] = collect_text(
            errors, fields["title"], "title", max_length=TITLE_MAX, required=True
        )
    if "problem" in fields:
        clean["problem"] = collect_text(
            errors, fields["problem"], "problem", max_length=TEXT_MAX, required=True
        )
    if "location" in fields:
        clean["location"] = collect_text(
            errors, fields["location"] or "", "location", max_length=LOCATION_MAX
        )
    if "remote" in fields:
        clean["remote"] = bool(fields["remote"])
    if "seats" in fields:
        seats = fields["seats"]
        if not isinstance(seats, int) or not 1 <= seats <= SEATS_MAX:
            errors["seats"] = _("Give a number of seats from 1 to %(n)d.") % {"n": SEATS_MAX}
        elif seats < seats_taken:
            errors["seats"] = _(
                "%(n)d seats are offered or taken already: give at least that many."
            ) % {"n": seats_taken}
        clean["seats"] = seats
    if "weeks" in fields:
        weeks = fields["weeks"]
        if not isinstance(weeks, int) or not 1 <= weeks <= WEEKS_MAX:
            errors["weeks"] = _("Give a length from 1 to %(n)d weeks.") % {"n": WEEKS_MAX}
        clean["weeks"] = weeks
    if "starts_on" in fields:
        if not isinstance(fields["starts_on"], datetime.date):
            errors["starts_on"] = _("Give the first day.")
        clean["starts_on"] = fields["starts_on"]
    if "cost_recovery" in fields:
        try:
            amount = Decimal(
                str(fields["cost_recovery"] if fields["cost_recovery"] is not None else "0")
            )
        except InvalidOperation:
            amount = Decimal(-1)
        if (
            not amount.is_finite()
            or amount < 0
            or amount > MAX_MONEY
            or amount != amount.quantize(Decimal("0.01"))
        ):
            errors["cost_recovery"] = _(
                "Give an amount of money, 0 or more, with at most 2 decimals."
            )
        clean["cost_recovery"] = amount
    if "currency" in fields:
        currency = fields["currency"]
        if not isinstance(currency, str) or not is_known_currency(currency.upper()):
            errors["currency"] = _("Give an ISO 4217 currency code (for example BDT).")
        else:
            clean["currency"] = currency.upper()
    needs = _clean_needs(errors, fields["skills"]) if "skills" in fields else None
    if errors:
        raise ValidationError(errors)
    return clean, needs


def _write_needs(challenge: Challenge, needs: Sequence[Need]) -> None:
    challenge.needs.all().delete()
    ChallengeSkill.objects.bulk_create(
        ChallengeSkill(challenge=challenge, skill_id=need.skill, level=need.level) for need in needs
    )
    challenge.needs_count = len(needs)


@transaction.atomic
def post_challenge(*, by: User, organisation: Organisation, **fields: Any) -> Challenge:
    """A manager posts a challenge for their organisation: title, problem, skills asked
    (`[(skill id, level)]`), seats, starts_on, weeks, location, remote, cost recovery."""
    if not may_post_for(by, organisation):
        raise PermissionDenied
    fields.setdefault("location", "")
    fields.setdefault("remote", False)
    fields.setdefault("cost_recovery", Decimal("0"))
    fields.setdefault("currency", "BDT")
    missing = {"title", "problem", "skills", "seats", "starts_on", "weeks"} - fields.keys()
    if missing:
        raise ValidationError({name: _("This field is required.") for name in sorted(missing)})
    clean, needs = _clean_challenge(fields)
    challenge = Challenge.objects.create(organisation=organisation, posted_by=by, **clean)
    _write_needs(challenge, needs or [])
    challenge.save(update_fields=["needs_count"])
    return challenge


@transaction.atomic
def change_challenge(*, by: User, challenge: Challenge, **fields: Any) -> Challenge:
    """Change what was posted; seats never fewer than those offered or taken. Offers made
    keep the match they were made with."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not may_keep_challenge(by, challenge):
        raise PermissionDenied
    clean, needs = _clean_challenge(fields, seats_taken=challenge.seats_taken)
    for name, value in clean.items():
        setattr(challenge, name, value)
    if needs is not None:
        _write_needs(challenge, needs)
    challenge.save()
    return challenge


# Offers and their answers -------------------------------------------------------------------


@transaction.atomic
def offer(*, by: User, challenge: Challenge, agent: FreeAgent) -> Assignment:
    """Offer a seat of `challenge` to `agent`: a seat must be open, the agent available by
    the start and not offered this challenge already."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not may_keep_challenge(by, challenge):
        raise PermissionDenied
    agent = FreeAgent.objects.select_for_update().select_related("user").get(pk=agent.pk)
    ends_on = challenge.starts_on + datetime.timedelta(weeks=challenge.weeks)
    if ends_on <= _today():
        raise Conflict(_("This challenge has ended."))
    if challenge.seats_taken >= challenge.seats:
        raise Conflict(_("Every seat of this challenge is offered or taken."))
    if agent.status != AgentStatus.AVAILABLE:
        raise Conflict(_("This free agent is not available: on a challenge or withdrawn."))
    if agent.available_from > challenge.starts_on:
        raise Conflict(
            _("This free agent is available from %(day)s, after the challenge starts.")
            % {"day": agent.available_from.isoformat()}
        )
    if challenge.assignments.filter(agent=agent).exclude(status=AssignmentStatus.DECLINED).exists():
        raise Conflict(_("This free agent has been offered this challenge already."))
    fit = matching.fit_of(agent.user_id, challenge)
    assignment = Assignment.objects.create(
        challenge=challenge, agent=agent, match=fit.match, of=fit.of, offered_by=by
    )
    Challenge.objects.filter(pk=challenge.pk).update(seats_taken=F("seats_taken") + 1)
    FreeAgent.objects.filter(pk=agent.pk).update(offers_waiting=F("offers_waiting") + 1)
    notify(
        user=agent.user,
        kind="free_agent_offer",
        subject=gettext_noop("You are offered a seat on “%(title)s”"),
        body=gettext_noop("It starts on %(starts)s for %(weeks)s weeks. Accept or decline it."),
        url=f"/talent/assignments/{assignment.pk}/",
        params={
            "title": challenge.title,
            "starts": challenge.starts_on.isoformat(),
            "weeks": challenge.weeks,
        },
    )
    return assignment


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("challenge", "agent")
        .get(pk=assignment.pk)
    )


def _decline(assignment: Assignment, reason: str) -> None:
    assignment.status = AssignmentStatus.DECLINED
    assignment.answered_at = timezone.now()
    assignment.decline_reason = reason
    assignment.save()
    Challenge.objects.filter(pk=assignment.challenge_id).update(seats_taken=F("seats_taken") - 1)
    FreeAgent.objects.filter(pk=assignment.agent_id).update(offers_waiting=F("offers_waiting") - 1)


@transaction.atomic
def accept(*, by: User, assignment: Assignment) -> Assignment:
    """The agent accepts: they are on this challenge, and their other offers are declined."""
    assignment = _locked(assignment)
    if not offered_to(by, assignment):
        raise PermissionDenied
    if assignment.status != AssignmentStatus.OFFERED:
        raise Conflict(_("Only an offer waiting for an answer can be accepted."))
    agent = FreeAgent.objects.select_for_update().get(pk=assignment.agent_id)
    if agent.status != AgentStatus.AVAILABLE:
        raise Conflict(_("You are on another challenge already."))
    assignment.status = AssignmentStatus.ACCEPTED
    assignment.answered_at = timezone.now()
    assignment.save()
    FreeAgent.objects.filter(pk=agent.pk).update(
        offers_waiting=F("offers_waiting") - 1, status=AgentStatus.ASSIGNED
    )
    for other in agent.assignments.filter(status=AssignmentStatus.OFFERED).exclude(
        pk=assignment.pk
    ):
        _decline(other, _("The free agent accepted another challenge."))
    return assignment


@transaction.atomic
def decline(*, by: User, assignment: Assignment, reason: Any = "") -> Assignment:
    """The agent declines an offer (the seat opens again)."""
    assignment = _locked(assignment)
    if not offered_to(by, assignment):
        raise PermissionDenied
    if assignment.status != AssignmentStatus.OFFERED:
        raise Conflict(_("Only an offer waiting for an answer can be declined."))
    errors: dict[str, str] = {}
    text = collect_text(errors, reason, "reason", max_length=NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    _decline(assignment, text)
    return assignment


@transaction.atomic
def start(
    *, by: User, assignment: Assignment, started_on: datetime.date | None = None
) -> Assignment:
    """The host records that the agent has started (accepted → active)."""
    assignment = _locked(assignment)
    if not may_keep_challenge(by, assignment.challenge):
        raise PermissionDenied
    if assignment.status != AssignmentStatus.ACCEPTED:
        raise Conflict(_("Only an accepted offer can start."))
    started_on = started_on or _today()
    if started_on > _today():
        raise ValidationError({"started_on": _("The day cannot be in the future.")})
    assignment.status = AssignmentStatus.ACTIVE
    assignment.started_on = started_on
    assignment.save()
    return assignment


@dataclass(frozen=True)
class Shown:
    """A skill the closing review saw the agent use, at a level, with what shows it."""

    skill: int
    level: int
    evidence: str


@transaction.atomic
def complete(
    *,
    by: User,
    assignment: Assignment,
    review: Any,
    shown: Sequence[Shown | tuple[int, int, str]] = (),
    completed_on: datetime.date | None = None,
) -> Assignment:
    """Close an active assignment with a review. Each skill shown becomes evidence on the
    agent's skills (its own table), and raises the skill's level to the level shown when it
    was lower (adds the skill when the agent did not list it). The agent is available again
    from the next day, for their next challenge."""
    assignment = _locked(assignment)
    if not may_keep_challenge(by, assignment.challenge):
        raise PermissionDenied
    if assignment.status != AssignmentStatus.ACTIVE:
        raise Conflict(_("Only an active assignment can be completed."))
    errors: dict[str, str] = {}
    text = collect_text(errors, review, "review", max_length=TEXT_MAX, required=True)
    completed_on = completed_on or _today()
    if completed_on > _today():
        errors["completed_on"] = _("The day cannot be in the future.")
    elif assignment.started_on and completed_on < assignment.started_on:
        errors["completed_on"] = _("The last day cannot be before the first.")
    items = [item if isinstance(item, Shown) else Shown(*item) for item in shown]
    skills = [item.skill for item in items]
    if len(set(skills)) != len(skills):
        errors["skills"] = _("Name each skill once.")
    elif any(item.level not in LEVELS for item in items):
        errors["skills"] = _("Give each skill a level from 1 to 5.")
    elif Skill.objects.filter(pk__in=skills).count() != len(skills):
        errors["skills"] = _("Choose skills from the list of skills.")
    else:
        for item in items:
            collect_text(errors, item.evidence, "skills", max_length=NOTE_MAX, required=True)
    if errors:
        raise ValidationError(errors)
    agent = FreeAgent.objects.select_for_update().get(pk=assignment.agent_id)
    assignment.status = AssignmentStatus.COMPLETED
    assignment.completed_on = completed_on
    assignment.review = text
    assignment.reviewed_by = by
    assignment.save()
    _add_evidence(assignment, agent.user_id, items, by)
    agent.status = AgentStatus.AVAILABLE
    agent.available_from = max(completed_on + datetime.timedelta(days=1), agent.available_from)
    agent.completed = F("completed") + 1
    agent.save()
    agent.refresh_from_db()
    return assignment


def _add_evidence(assignment: Assignment, user_id: int, items: Sequence[Shown], by: User) -> None:
    SkillEvidence.objects.bulk_create(
        SkillEvidence(
            user_id=user_id,
            skill_id=item.skill,
            level=item.level,
            text=item.evidence.strip(),
            assignment=assignment,
            added_by=by,
        )
        for item in items
    )
    held = {
        row.skill_id: row
        for row in UserSkill.objects.select_for_update().filter(
            user_id=user_id, skill_id__in=[i.skill for i in items]
        )
    }
    for item in items:
        current = held.get(item.skill)
        if current is None:
            UserSkill.objects.create(user_id=user_id, skill_id=item.skill, level=item.level)
        elif current.level < item.level:
            current.level = item.level
            current.save(update_fields=["level", "modified"])
