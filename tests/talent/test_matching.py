"""Matching: the match counts, the explanation, candidates' order and paging, challenges for
an agent, and the queries they cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from innohub.talent import matching, services
from innohub.talent.models import AgentStatus
from tests.factories import SkillFactory
from tests.talent.factories import agent, challenge, days, manager


@given(
    needs=st.dictionaries(st.integers(1, 8), st.integers(1, 5), max_size=6),
    held=st.dictionaries(st.integers(1, 8), st.integers(1, 5), max_size=8),
)
def test_explain_counts_skills_at_the_level_or_above(needs, held):
    fit = matching.explain(needs, held)
    assert fit.of == len(needs)
    assert fit.match == sum(1 for skill, level in needs.items() if held.get(skill, 0) >= level)
    assert fit.match + len(fit.missing) == fit.of
    assert all(held.get(skill, 0) < needs[skill] for skill in fit.missing)


@pytest.mark.django_db
def test_candidates_highest_match_first_with_what_is_missing():
    a, b, c, d = (SkillFactory(name=name) for name in ("Analysis", "Budgets", "Coding", "Design"))
    made = challenge({a: 3, b: 2, c: 4, d: 1}, starts_on=days(30))
    three = agent({a: 3, b: 5, c: 1, d: 2})  # c below the level
    four = agent({a: 5, b: 2, c: 4, d: 1})
    one = agent({d: 5})
    agent({a: 2})  # below: match 0, not a candidate
    agent({a: 5, b: 5, c: 5, d: 5}, available_from=days(31))  # after the start
    agent({a: 5, b: 5, c: 5, d: 5}, status=AgentStatus.ASSIGNED)
    agent({a: 5, b: 5, c: 5, d: 5}, status=AgentStatus.WITHDRAWN)
    tied = agent({a: 3, b: 2, d: 1})
    found = matching.candidates(made)
    assert [(c.agent.pk, c.fit.match, c.fit.of) for c in found] == [
        (four.pk, 4, 4),
        (three.pk, 3, 4),
        (tied.pk, 3, 4),
        (one.pk, 1, 4),
    ]
    assert found[1].fit.missing == [c.pk]
    assert found[2].fit.missing == [c.pk]
    assert found[3].fit.missing == [a.pk, b.pk, c.pk]
    # Paging by (match, agent): the page after the second.
    after = matching.candidates(made, limit=2, after=(3, three.pk))
    assert [c.agent.pk for c in after] == [tied.pk, one.pk]


@pytest.mark.django_db
def test_candidates_show_an_offer_and_cost_the_same_queries_for_more_agents():
    skill = SkillFactory()
    pm = manager()
    made = challenge({skill: 2}, by=pm, seats=3)
    first = agent({skill: 2})
    services.offer(by=pm, challenge=made, agent=first)
    with CaptureQueriesContext(connection) as few:
        found = matching.candidates(made)
    assert found[0].offer == "offered"
    for _n in range(15):
        agent({skill: 3})
    with CaptureQueriesContext(connection) as many:
        assert len(matching.candidates(made)) == 16
    assert len(many) == len(few) == 5


@pytest.mark.django_db
def test_challenges_for_an_agent_are_open_matching_and_best_first():
    a, b = SkillFactory(), SkillFactory()
    worker = agent({a: 3, b: 2}, available_from=days(10))
    both = challenge({a: 3, b: 2}, starts_on=days(40))
    one = challenge({a: 2, b: 4}, starts_on=days(20))
    challenge({a: 4}, starts_on=days(20))  # above the agent's level
    challenge({a: 1}, starts_on=days(5))  # before the agent is available
    full = challenge({a: 1}, starts_on=days(30), seats=1)
    services.offer(by=manager(), challenge=full, agent=agent({a: 1}))
    found = matching.challenges_for(worker)
    assert [(o.challenge.pk, o.fit.match, o.fit.of) for o in found] == [
        (both.pk, 2, 2),
        (one.pk, 1, 2),
    ]
    assert found[1].fit.missing == [b.pk]
