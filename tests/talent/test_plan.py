"""The Free Agents' plan (ADR 0029): its total held to an exhaustive search and to a solve of
every pair, every plan valid, the counter-example to maximum flow first. No database."""

from __future__ import annotations

import datetime
import importlib.util
import random
import sys
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from innohub.talent import plan
from innohub.talent.plan import Placement, Plan, PlanAgent, PlanChallenge, best_plan

DAY = datetime.date(2027, 3, 1)
SOLVERS = {"ortools": plan._solve_flow, "scipy": plan._solve_matching}


def match_of(agent: PlanAgent, challenge: PlanChallenge) -> int:
    """The match as API.md words it, 0 when the agent is not available by the start."""
    if agent.available_from > challenge.starts_on:
        return 0
    return sum(agent.skills.get(s, 0) >= level for s, level in challenge.needs.items())


def brute_force_total(agents: Sequence[PlanAgent], challenges: Sequence[PlanChallenge]) -> int:
    """Every way to place each agent on one challenge with a seat left, or on none."""
    left = [c.seats for c in challenges]

    def best(i: int) -> int:
        if i == len(agents):
            return 0
        top = best(i + 1)
        for j, challenge in enumerate(challenges):
            m = match_of(agents[i], challenge)
            if m and left[j]:
                left[j] -= 1
                top = max(top, m + best(i + 1))
                left[j] += 1
        return top

    return best(0)


def full_graph_total(agents: Sequence[PlanAgent], challenges: Sequence[PlanChallenge]) -> int:
    """OR-tools on every pair, no pruning, pairs found without the plan's sparse product."""
    flow = SimpleMinCostFlow()
    n, m = len(agents), len(challenges)
    source, sink = n + m, n + m + 1
    for i, agent in enumerate(agents):
        flow.add_arc_with_capacity_and_unit_cost(source, i, 1, 0)
        for j, challenge in enumerate(challenges):
            if score := match_of(agent, challenge):
                flow.add_arc_with_capacity_and_unit_cost(i, n + j, 1, -score)
    for j, challenge in enumerate(challenges):
        flow.add_arc_with_capacity_and_unit_cost(n + j, sink, max(challenge.seats, 0), 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, n, 0)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    assert flow.solve() == flow.OPTIMAL
    return -flow.optimal_cost()


def assert_valid(result: Plan, agents: Sequence[PlanAgent], challenges: Sequence[PlanChallenge]):
    agent = {a.id: a for a in agents}
    challenge = {c.id: c for c in challenges}
    placed = [p.agent for p in result.placements]
    assert len(placed) == len(set(placed)), "an agent placed twice"
    for c in challenges:
        assert sum(p.challenge == c.id for p in result.placements) <= max(c.seats, 0)
    for p in result.placements:
        assert agent[p.agent].available_from <= challenge[p.challenge].starts_on
        assert p.match == match_of(agent[p.agent], challenge[p.challenge]) > 0
    assert result.total_match == sum(p.match for p in result.placements)
    assert result.placements == sorted(
        result.placements, key=lambda p: (p.challenge, -p.match, p.agent)
    )
    eligible = sum(bool(match_of(a, c)) for a in agents for c in challenges if c.seats > 0)
    assert result.pairs == eligible


skills = st.dictionaries(st.integers(1, 5), st.integers(1, 5), max_size=5)
days = st.integers(0, 3).map(lambda n: DAY + datetime.timedelta(days=n))


@st.composite
def services(draw) -> tuple[list[PlanAgent], list[PlanChallenge]]:
    agents = [
        PlanAgent(id=i, available_from=draw(days), skills=draw(skills))
        for i in range(1, draw(st.integers(0, 6)) + 1)
    ]
    challenges = [
        PlanChallenge(id=j, seats=draw(st.integers(0, 3)), starts_on=draw(days), needs=draw(skills))
        for j in range(1, draw(st.integers(0, 4)) + 1)
    ]
    return agents, challenges


@pytest.mark.parametrize("solver", SOLVERS)
@settings(max_examples=300, deadline=None)
@given(service=services(), seed=st.integers(0, 3))
def test_the_total_is_the_largest_an_exhaustive_search_finds(service, seed, solver):
    agents, challenges = service
    result = plan._best_plan(agents, challenges, seed=seed, solve=SOLVERS[solver])
    assert_valid(result, agents, challenges)
    assert result.total_match == brute_force_total(agents, challenges)


@settings(max_examples=300, deadline=None)
@given(service=services(), seed=st.integers(0, 3))
def test_from_one_pair_per_challenge_the_duality_check_still_finds_the_largest_total(service, seed):
    """The tiny cases never prune at 4 x seats + 12: start each challenge from its best pair
    alone, so that the check and the pairs it takes back decide the answer."""
    agents, challenges = service
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plan, "FIRST_PER_SEAT", 0)
        patch.setattr(plan, "FIRST_MORE", 1)
        patch.setattr(plan, "ADDED_PER_SEAT", 1)
        result = best_plan(agents, challenges, seed=seed)
    assert_valid(result, agents, challenges)
    assert result.total_match == brute_force_total(agents, challenges)


def test_more_placements_do_not_beat_a_better_match():
    """ADR 0029's counter-example: maximum flow first would place both agents for 2."""
    agents = [
        PlanAgent(id=1, available_from=DAY, skills={1: 3, 2: 3, 3: 3, 4: 3}),
        PlanAgent(id=2, available_from=DAY, skills={1: 3}),
    ]
    challenges = [
        PlanChallenge(id=1, seats=1, starts_on=DAY, needs={1: 2, 2: 2, 3: 2}),
        PlanChallenge(id=2, seats=1, starts_on=DAY, needs={4: 2}),
    ]
    for solve in SOLVERS.values():
        result = plan._best_plan(agents, challenges, seed=0, solve=solve)
        assert result.total_match == 3
        assert result.placements == [Placement(challenge=1, agent=1, match=3)]


@pytest.mark.parametrize(
    ("agents", "challenges"),
    [
        ([], []),
        ([], [PlanChallenge(id=1, seats=2, starts_on=DAY, needs={1: 1})]),
        ([PlanAgent(id=1, available_from=DAY, skills={1: 5})], []),
        (
            [PlanAgent(id=1, available_from=DAY, skills={1: 5})],
            [PlanChallenge(id=1, seats=0, starts_on=DAY, needs={1: 1})],
        ),
        (
            [PlanAgent(id=1, available_from=DAY + datetime.timedelta(days=1), skills={1: 5})],
            [PlanChallenge(id=1, seats=1, starts_on=DAY, needs={1: 1})],
        ),
        (
            [PlanAgent(id=1, available_from=DAY, skills={1: 2, 2: 5})],
            [PlanChallenge(id=1, seats=1, starts_on=DAY, needs={1: 3, 3: 1})],
        ),
        (
            [PlanAgent(id=1, available_from=DAY, skills={1: 5})],
            [PlanChallenge(id=1, seats=1, starts_on=DAY, needs={})],
        ),
    ],
    ids=[
        "nothing",
        "no agents",
        "no challenges",
        "no seats",
        "not yet free",
        "no match",
        "no skills asked",
    ],
)
def test_nothing_to_place_is_an_empty_plan(agents, challenges):
    assert best_plan(agents, challenges) == Plan(placements=[], total_match=0, pairs=0, rounds=0)


def test_ties_are_broken_the_same_way_for_a_seed_and_differently_across_seeds():
    agents = [PlanAgent(id=i, available_from=DAY, skills={7: 4}) for i in range(1, 41)]
    challenges = [PlanChallenge(id=1, seats=3, starts_on=DAY, needs={7: 2})]
    first = best_plan(agents, challenges, seed=5)
    assert first == best_plan(agents, challenges, seed=5)
    assert first.total_match == 3
    chosen = {
        tuple(p.agent for p in best_plan(agents, challenges, seed=s).placements) for s in range(8)
    }
    assert len(chosen) > 1, "ties always fall on the same agents"


def medium(seed: int) -> tuple[list[PlanAgent], list[PlanChallenge]]:
    """300 agents and 60 challenges crowding on a few popular skills, so that each challenge's
    best pairs overlap and the first pruned solve is not yet the best."""
    rng = random.Random(seed)
    popular = [1, 2, 3, 4, 5, 6]
    agents = [
        PlanAgent(
            id=i,
            available_from=DAY + datetime.timedelta(days=rng.randrange(60)),
            skills={
                s: rng.randint(1, 5) for s in rng.sample(popular, 2) + rng.sample(range(7, 40), 3)
            },
        )
        for i in range(1, 301)
    ]
    challenges = [
        PlanChallenge(
            id=j,
            seats=rng.randint(1, 8),
            starts_on=DAY + datetime.timedelta(days=rng.randrange(60)),
            needs={
                s: rng.randint(2, 5) for s in rng.sample(popular, 2) + rng.sample(range(7, 40), 2)
            },
        )
        for j in range(1, 61)
    ]
    return agents, challenges


@pytest.mark.parametrize("solver", SOLVERS)
def test_the_pruned_loop_equals_a_solve_of_every_pair(solver):
    rounds = []
    for seed in range(3):
        agents, challenges = medium(seed)
        result = plan._best_plan(agents, challenges, seed=seed, solve=SOLVERS[solver])
        assert_valid(result, agents, challenges)
        assert result.total_match == full_graph_total(agents, challenges)
        rounds.append(result.rounds)
    assert max(rounds) > 1, "the pruned pairs were always enough: the check went untested"
    # A check failing pairs for nothing would take back nearly all of them, round after round.
    assert max(rounds) <= 5


def test_without_ortools_the_scipy_fallback_answers_the_same(monkeypatch):
    """The module loaded again where OR-tools cannot be imported (ADR 0029's fallback)."""
    agents, challenges = medium(0)
    expected = best_plan(agents, challenges).total_match
    monkeypatch.setitem(sys.modules, "ortools.graph.python.min_cost_flow", None)
    spec = importlib.util.spec_from_file_location("plan_without_ortools", plan.__file__)
    assert spec and spec.loader
    bare = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, bare)
    spec.loader.exec_module(bare)
    assert not bare.HAVE_ORTOOLS
    result = bare.best_plan(
        [bare.PlanAgent(a.id, a.available_from, a.skills) for a in agents],
        [bare.PlanChallenge(c.id, c.seats, c.starts_on, c.needs) for c in challenges],
    )
    assert result.total_match == expected


def test_the_potentials_price_every_residual_arc_at_zero_or_more():
    """The certificate itself: on a solved case, no residual arc has a negative reduced cost."""
    agents, challenges = medium(1)
    label = np.random.default_rng(0).permutation(len(agents))
    pairs = plan._eligible_pairs(agents, challenges, label)
    seats = np.array([c.seats for c in challenges])
    chosen = plan._solve_flow(pairs.agent, pairs.challenge, pairs.match, seats, len(agents))
    d = plan._potentials(pairs.agent, pairs.challenge, pairs.match, chosen, seats, len(agents))
    n = len(agents)
    a, c, m = pairs.agent, n + pairs.challenge, pairs.match
    assert np.all(np.where(chosen, m + d[c] - d[a], -m + d[a] - d[c]) >= 0)
