"""The workforce figures: counted from the rows, kept as a snapshot, small groups hidden."""

from __future__ import annotations

import pytest

from innohub.core import schedule
from innohub.talent import services, workforce
from innohub.talent.models import AgentStatus, WorkforceSnapshot
from tests.factories import SkillFactory
from tests.talent.factories import agent, challenge, days, manager


def test_a_group_under_five_is_hidden_and_a_lone_one_takes_the_next_smallest():
    groups = [{"key": "a", "n": 12}, {"key": "b", "n": 7}, {"key": "c", "n": 3}]
    shown = workforce.suppress(groups)
    assert [(g["key"], g["n"], g["suppressed"], g["reason"]) for g in shown] == [
        ("a", 12, False, ""),
        ("b", None, True, "complement"),
        ("c", None, True, "small"),
    ]
    two = workforce.suppress([{"key": "a", "n": 9}, {"key": "b", "n": 4}, {"key": "c", "n": 1}])
    assert [g["n"] for g in two] == [9, None, None]
    assert [g["n"] for g in workforce.suppress([{"key": "a", "n": 5}])] == [5]


@pytest.mark.django_db
def test_the_count_breaks_down_the_agents_and_the_skills():
    python, budgets = SkillFactory(name="Python"), SkillFactory(name="Budgets")
    for _n in range(6):
        agent({python: 4}, gender="female", grade="Grade 6", joined_on=days(-400))
    for _n in range(2):
        agent({budgets: 3}, gender="male", grade="Grade 6", joined_on=days(-400))
    agent({python: 5}, gender="male", status=AgentStatus.WITHDRAWN, joined_on=days(-400))
    challenge({python: 3}, seats=4)
    challenge({budgets: 3, python: 2}, seats=5)
    snapshot = workforce.count()
    figures = snapshot.figures
    assert figures["totals"]["joined"] == 9
    assert figures["totals"]["withdrawn"] == 1
    # 2 men alone would be hidden, but 8 - 6 would show them: both are hidden.
    assert figures["gender"] == [
        {"key": "female", "n": None, "suppressed": True, "reason": "complement"},
        {"key": "male", "n": None, "suppressed": True, "reason": "small"},
    ]
    assert figures["grade"] == [{"key": "Grade 6", "n": 8, "suppressed": False, "reason": ""}]
    twelve = next(r for r in figures["retention"] if r["months"] == 12)
    assert (twelve["joined"], twelve["stayed"], twelve["stayed_pct"]) == (9, 8, 88.9)
    skills = {row["name"]: row for row in figures["skills"]}
    assert (skills["Python"]["seats"], skills["Python"]["agents"]) == (9, 6)
    assert (skills["Budgets"]["seats"], skills["Budgets"]["agents"]) == (5, 2)
    assert skills["Budgets"]["gap"] == 3
    assert workforce.latest() == snapshot


@pytest.mark.django_db
def test_retention_of_fewer_than_five_is_not_shown():
    skill = SkillFactory()
    for _n in range(3):
        agent({skill: 1}, joined_on=days(-400))
    rows = workforce.count().figures["retention"]
    assert all(row["suppressed"] and row["joined"] is None for row in rows)


@pytest.mark.django_db
def test_the_worker_counts_once_a_day():
    done = [d for d in schedule.tick() if d.startswith(workforce.DUTY)]
    assert len(done) == 1
    assert [d for d in schedule.tick() if d.startswith(workforce.DUTY)] == []
    assert WorkforceSnapshot.objects.count() == 1


@pytest.mark.django_db
def test_completed_challenges_count_as_moving_on():
    skill = SkillFactory()
    pm = manager()
    worker = agent({skill: 3}, joined_on=days(-400))
    for _n in range(4):
        agent({skill: 1}, joined_on=days(-400))
    for _round in range(2):
        made = challenge({skill: 1}, by=pm, starts_on=days(0))
        assignment = services.offer(by=pm, challenge=made, agent=worker)
        services.accept(by=worker.user, assignment=assignment)
        services.start(by=pm, assignment=assignment)
        services.complete(by=pm, assignment=assignment, review="Good work.")
        worker.refresh_from_db()
        worker.available_from = days(0)
        worker.save()
    rows = workforce.count().figures["retention"]
    assert rows[0]["moved_on"] == 1
