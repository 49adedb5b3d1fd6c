"""The Free Agents workforce in aggregates: who the agents are (by gender, grade and home
ministry, as they were when they joined), whether they stay, and the skills challenges ask
for against the skills agents hold (docs: the user guide, "Free Agents").

The figures are counted by the worker once a day (a schedule duty) or when a programme
manager asks (a task), and kept as a snapshot: the page reads the latest snapshot, never the
agents. A group of fewer than `SMALL_GROUP` people is not shown, and when exactly one group
of a breakdown is hidden the next smallest is hidden too, so that the total does not give it
away.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django_tasks import task

from innohub.accounts.models import UserSkill
from innohub.core import schedule
from innohub.orgs.models import Organisation

from .limits import SMALL_GROUP
from .models import AgentStatus, Challenge, FreeAgent, WorkforceSnapshot

DUTY = "talent-workforce"
SKILLS_SHOWN = 30
RETENTION_MONTHS = (6, 12)


def suppress(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each group keeps its `n` when at least SMALL_GROUP; a smaller one gets `n` None,
    `suppressed` and the reason `small`; a lone small group hides the next smallest with it
    (reason `complement`: the total would give the small one away)."""
    shown = [
        dict(
            group,
            suppressed=group["n"] < SMALL_GROUP,
            reason="small" if group["n"] < SMALL_GROUP else "",
        )
        for group in groups
    ]
    hidden = [group for group in shown if group["suppressed"]]
    if len(hidden) == 1:
        rest = sorted((g for g in shown if not g["suppressed"]), key=lambda g: g["n"])
        if rest:
            rest[0].update(suppressed=True, reason="complement")
    for group in shown:
        if group["suppressed"]:
            group["n"] = None
    return shown


def _breakdown(agents: Any, field: str) -> list[dict[str, Any]]:
    rows = agents.values(field).annotate(n=Count("id")).order_by("-n", field)
    return suppress([{"key": row[field] or "", "n": row["n"]} for row in rows])


def _retention(today: datetime.date) -> list[dict[str, Any]]:
    found = []
    for months in RETENTION_MONTHS:
        cutoff = today - datetime.timedelta(days=round(months * 30.44))
        joined = FreeAgent.objects.filter(joined_on__lte=cutoff)
        counts = joined.aggregate(
            n=Count("id"),
            stayed=Count("id", filter=~Q(status=AgentStatus.WITHDRAWN)),
            moved_on=Count("id", filter=Q(completed__gte=2)),
        )
        small = counts["n"] < SMALL_GROUP
        found.append(
            {
                "months": months,
                "joined": None if small else counts["n"],
                "stayed": None if small else counts["stayed"],
                "stayed_pct": None if small else round(100 * counts["stayed"] / counts["n"], 1),
                "moved_on": None if small else counts["moved_on"],
                "suppressed": small,
            }
        )
    return found


def _skills(today: datetime.date) -> list[dict[str, Any]]:
    """Skills asked for by open challenges (seats still open, weighted) against the agents in
    the programme who hold them at the level asked or above."""
    open_challenges = Challenge.objects.filter(starts_on__gt=today, seats_taken__lt=F("seats"))
    demand = {
        row["needs__skill"]: row
        for row in open_challenges.values("needs__skill", "needs__skill__name")
        .annotate(seats=Sum("seats"), taken=Sum("seats_taken"), challenges=Count("id"))
        .order_by()
        if row["needs__skill"] is not None
    }
    supply = dict(
        UserSkill.objects.filter(
            skill_id__in=demand,
            user__free_agent__isnull=False,
            level__gte=3,
        )
        .exclude(user__free_agent__status=AgentStatus.WITHDRAWN)
        .values("skill_id")
        .annotate(n=Count("id"))
        .values_list("skill_id", "n")
    )
    rows = [
        {
            "skill": skill,
            "name": row["needs__skill__name"],
            "challenges": row["challenges"],
            "seats": row["seats"] - row["taken"],
            "agents": supply.get(skill, 0),
        }
        for skill, row in demand.items()
    ]
    for row in rows:
        row["gap"] = row["seats"] - row["agents"]
    rows.sort(key=lambda row: (-row["gap"], row["name"]))
    return rows[:SKILLS_SHOWN]


def count(now: datetime.datetime | None = None) -> WorkforceSnapshot:
    """Count every figure from the rows and keep them as the latest snapshot."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    agents = FreeAgent.objects.exclude(status=AgentStatus.WITHDRAWN)
    totals = FreeAgent.objects.aggregate(
        joined=Count("id"),
        available=Count("id", filter=Q(status=AgentStatus.AVAILABLE)),
        assigned=Count("id", filter=Q(status=AgentStatus.ASSIGNED)),
        withdrawn=Count("id", filter=Q(status=AgentStatus.WITHDRAWN)),
        completed=Sum("completed"),
    )
    ministries = _breakdown(agents, "home_ministry")
    names = dict(
        Organisation.objects.filter(pk__in=[g["key"] for g in ministries if g["key"]]).values_list(
            "pk", "name"
        )
    )
    for group in ministries:
        group["name"] = names.get(group["key"], "")
    figures = {
        "totals": {key: value or 0 for key, value in totals.items()},
        "gender": _breakdown(agents, "gender"),
        "grade": _breakdown(agents, "grade"),
        "ministry": ministries,
        "retention": _retention(today),
        "skills": _skills(today),
    }
    return WorkforceSnapshot.objects.create(made_at=now, figures=figures)


def latest() -> WorkforceSnapshot | None:
    return WorkforceSnapshot.objects.order_by("-made_at").first()


@task()
def count_again() -> int:
    """What a programme manager's "count again now" queues."""
    return count().pk


def today_due(now: datetime.datetime) -> str:
    return timezone.localtime(now).date().isoformat()


def count_for_day(period: str) -> WorkforceSnapshot:
    WorkforceSnapshot.objects.filter(
        made_at__lt=timezone.now() - datetime.timedelta(days=90)
    ).delete()
    return count()


def register_duty() -> None:
    schedule.register(DUTY, due=today_due, do=count_for_day)
