"""The Free Agents' plan: the largest total match, by min-cost flow on pruned pairs (ADR 0029).

Pure Python and numpy, SciPy, OR-tools: no Django here, so the solver is tested and benchmarked
on its own. `best_plan` is exact, not a heuristic: it solves a small part of the pairs, then
proves with the flow's duals that no dropped pair could raise the total, adding those that
could and solving again until none can.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

try:
    from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

    HAVE_ORTOOLS = True
except ImportError:  # pragma: no cover - the ADR's fallback, for a platform without wheels
    HAVE_ORTOOLS = False

Ints = NDArray[np.signedinteger[Any]]
Bools = NDArray[np.bool_]
# A solver takes the kept pairs (agent labels, challenges, matches), the seats and the number
# of agents, and says which pairs the best plan over those pairs uses.
Solver = Callable[[Ints, Ints, Ints, Ints, int], Bools]
# Each challenge's best 4 x seats + 12 pairs first; at most 2 x seats more a round (ADR 0029).
FIRST_PER_SEAT, FIRST_MORE, ADDED_PER_SEAT = 4, 12, 2
# A dropped pair taken back gets this match: it never fails the check again.
TAKEN_BACK = np.iinfo(np.int32).min // 2


@dataclass(frozen=True)
class PlanAgent:
    id: int
    available_from: datetime.date
    skills: Mapping[int, int]  # skill id -> level 1..5


@dataclass(frozen=True)
class PlanChallenge:
    id: int
    seats: int  # seats still open; 0 leaves the challenge out
    starts_on: datetime.date
    needs: Mapping[int, int]  # skill id -> level asked 1..5


@dataclass(frozen=True)
class Placement:
    challenge: int
    agent: int
    match: int


@dataclass(frozen=True)
class Plan:
    placements: list[Placement]  # by challenge, best match first, then agent
    total_match: int
    pairs: int  # pairs with a match, the agent available by the start
    rounds: int  # solves of the pruned loop


@dataclass(frozen=True)
class _Pairs:
    """Every eligible pair, grouped by challenge (the challenges in order of start), each
    challenge's best match first, then by agent label."""

    agent: Ints  # the agent's random label
    challenge: Ints  # index into the challenges with seats
    match: Ints
    first: Ints  # where each challenge's pairs begin

    def __len__(self) -> int:
        return len(self.match)


def best_plan(
    agents: Sequence[PlanAgent], challenges: Sequence[PlanChallenge], *, seed: int = 0
) -> Plan:
    """The assignment with the largest total match: each agent on at most one challenge, each
    challenge with at most `seats` agents, all available by its `starts_on`, no pair of match 0.

    Optimal plans are often many; `seed` picks one, the same one every time.
    """
    solve = _solve_flow if HAVE_ORTOOLS else _solve_matching
    return _best_plan(agents, challenges, seed=seed, solve=solve)


def _best_plan(
    agents: Sequence[PlanAgent],
    challenges: Sequence[PlanChallenge],
    *,
    seed: int,
    solve: Solver,
) -> Plan:
    open_ = [c for c in challenges if c.seats > 0]
    if not agents or not open_:
        return Plan(placements=[], total_match=0, pairs=0, rounds=0)
    # Agents relabelled at random: ties between equal matches do not all fall on low ids.
    label = np.random.default_rng(seed).permutation(len(agents))
    pairs = _eligible_pairs(agents, open_, label)
    if not len(pairs):
        return Plan(placements=[], total_match=0, pairs=0, rounds=0)
    seats = np.array([c.seats for c in open_], dtype=np.int64)
    used, rounds = _solve_pruned(pairs, seats, len(agents), solve)
    agent = np.argsort(label)[pairs.agent[used]]
    placements = sorted(
        (
            Placement(challenge=open_[c].id, agent=agents[a].id, match=int(m))
            for a, c, m in zip(agent, pairs.challenge[used], pairs.match[used], strict=True)
        ),
        key=lambda p: (p.challenge, -p.match, p.agent),
    )
    return Plan(
        placements=placements,
        total_match=sum(p.match for p in placements),
        pairs=len(pairs),
        rounds=rounds,
    )


def _eligible_pairs(
    agents: Sequence[PlanAgent], challenges: Sequence[PlanChallenge], label: Ints
) -> _Pairs:
    """Matches as a sparse product, agents x (skill, level-or-above) features times the
    challenges' needs: never a dense agents x challenges matrix (SETTLED, "Talent")."""
    skill = {s: i for i, s in enumerate(sorted({s for c in challenges for s in c.needs}))}
    top = max(1, max((level for c in challenges for level in c.needs.values()), default=1))
    width = len(skill) * top
    held = [
        (label[a], skill[s], min(level, top))
        for a, agent in enumerate(agents)
        for s, level in agent.skills.items()
        if s in skill and level >= 1
    ]
    who, what, level = np.array(held, dtype=np.int32).reshape(-1, 3).T
    # An agent at level l holds the features (s, 1) .. (s, l); a need at level L is (s, L).
    step = np.arange(int(level.sum())) - np.repeat(np.cumsum(level) - level, level)
    have = sparse.csr_array(
        (
            np.ones(len(step), np.int32),
            (np.repeat(who, level), np.repeat(what * top, level) + step),
        ),
        shape=(len(agents), width),
    )
    asked = [
        (c, skill[s] * top + min(max(level, 1), top) - 1)
        for c, challenge in enumerate(challenges)
        for s, level in challenge.needs.items()
    ]
    which, feature = np.array(asked, dtype=np.int32).reshape(-1, 2).T
    needs = sparse.csr_array(
        (np.ones(len(which), np.int32), (which, feature)), shape=(len(challenges), width)
    )
    earliest = min(a.available_from for a in agents).toordinal()
    free = np.zeros(len(agents), np.int32)
    free[label] = [a.available_from.toordinal() - earliest for a in agents]
    start = np.array([c.starts_on.toordinal() - earliest for c in challenges], np.int32)
    by_start = np.argsort(start, kind="stable").astype(np.int32)
    # In 8 blocks by start: a block's product needs only the agents available by its last
    # start (about half the work of one product over everyone).
    parts = []
    for block in np.array_split(by_start, 8):
        if not len(block):
            continue
        ready = np.flatnonzero(free <= start[block].max()).astype(np.int32)
        product = sparse.csr_array(needs[block] @ have[ready].T)  # the match
        row = np.repeat(block, np.diff(product.indptr))
        agent = ready[product.indices]
        keep = free[agent] <= start[row]
        parts.append((row[keep], agent[keep], product.data[keep]))
    challenge, agent, match = (np.concatenate(part) for part in zip(*parts, strict=True))
    # Each challenge's pairs are together already: order them by match, best first, then by
    # label. The challenges stay in the order of the blocks.
    count = np.bincount(challenge, minlength=len(challenges))[by_start]
    first = np.zeros(len(challenges), np.int64)
    first[by_start] = np.cumsum(count) - count
    best = int(match.max(initial=0))
    small = len(challenges) * (best + 1) * len(agents) < 2**31
    key: Ints = np.repeat(np.arange(len(challenges), dtype=np.int32 if small else np.int64), count)
    key *= best + 1
    key += best - match
    key *= len(agents)
    key += agent
    order = np.argsort(key)
    return _Pairs(
        agent=agent[order],
        challenge=challenge,
        match=match[order],
        first=first,
    )


def _solve_pruned(pairs: _Pairs, seats: Ints, agents: int, solve: Solver) -> tuple[Bools, int]:
    """Solve each challenge's best 4 x seats + 12 pairs, then add the dropped pairs whose reduced
    cost is negative, at most 2 x seats per challenge, until none is: the plan is then optimal
    over all the pairs, by LP duality (ADR 0029). Returns the pairs used and the rounds."""
    rank = np.arange(len(pairs)) - pairs.first[pairs.challenge]
    kept = rank < (FIRST_PER_SEAT * seats + FIRST_MORE)[pairs.challenge]
    dropped = np.flatnonzero(~kept)
    # The dropped pairs apart; one taken back is given a match too low ever to fail again.
    agent, challenge = pairs.agent[dropped], pairs.challenge[dropped]
    match = pairs.match[dropped]
    rounds = 0
    while True:
        rounds += 1
        index = np.flatnonzero(kept)
        a, c, m = pairs.agent[index], pairs.challenge[index], pairs.match[index]
        chosen = solve(a, c, m, seats, agents)
        d = _potentials(a, c, m, chosen, seats, agents).astype(match.dtype)
        gain = match - d[agent] + d[agents:][challenge]
        failing = np.flatnonzero(gain > 0)
        if not len(failing):
            used = np.zeros(len(pairs), dtype=bool)
            used[index[chosen]] = True
            return used, rounds
        # The worst first within each challenge; ties keep the pairs' own order.
        failing = failing[np.lexsort((-gain[failing], challenge[failing]))]
        within = challenge[failing]
        nth = np.arange(len(failing)) - np.searchsorted(within, within)
        back = failing[nth < ADDED_PER_SEAT * seats[within]]
        kept[dropped[back]] = True
        match[back] = TAKEN_BACK


def _potentials(
    agent: Ints, challenge: Ints, match: Ints, chosen: Bools, seats: Ints, agents: int
) -> Ints:
    """Node potentials that price every arc of the flow's residual graph at zero or more: the
    shortest distances from a virtual root joined to every node at cost 0. Without the root a
    challenge that no path reaches would have no distance, and its check no meaning (ADR 0029).

    Nodes: agents (by their random label), challenges, the source, the sink."""
    source, sink = agents + len(seats), agents + len(seats) + 1
    to = agents + challenge
    busy = np.zeros(agents, dtype=bool)
    busy[agent[chosen]] = True
    placed = int(busy.sum())
    filled = np.bincount(challenge[chosen], minlength=len(seats))
    everyone, each = np.arange(agents), agents + np.arange(len(seats))
    # (tail, head, cost): an arc forward while it has room, backward at minus its cost while
    # it carries flow. The bypass carries the agents left free.
    arcs: list[tuple[ArrayLike, ArrayLike, ArrayLike]] = [
        (np.where(chosen, to, agent), np.where(chosen, agent, to), np.where(chosen, match, -match)),
        (np.where(busy, everyone, source), np.where(busy, source, everyone), 0),
        (each[filled < seats], sink, 0),
        (sink, each[filled > 0], 0),
        (source, sink if placed > 0 else [], 0),
        (sink, source if placed < agents else [], 0),
    ]
    parts = [np.broadcast_arrays(*(np.atleast_1d(x) for x in arc)) for arc in arcs]
    tail, head, cost = (np.concatenate(part).astype(np.int64) for part in zip(*parts, strict=True))
    return _bellman_ford(tail, head, cost, sink + 1)


def _bellman_ford(tail: Ints, head: Ints, cost: Ints, nodes: int) -> Ints:
    """Bellman-Ford from a virtual root with an arc of cost 0 to every node: so every distance
    starts at 0. Every arc is relaxed at once, in numpy, until nothing changes."""
    order = np.argsort(head, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    targets, first = np.unique(head, return_index=True)
    d = np.zeros(nodes, np.int64)
    for _ in range(nodes):
        best = np.minimum.reduceat(d[tail] + cost, first)
        better = best < d[targets]
        if not better.any():
            return d
        d[targets[better]] = best[better]
    raise RuntimeError("a negative cycle: the flow was not optimal")


def _solve_flow(agent: Ints, challenge: Ints, match: Ints, seats: Ints, agents: int) -> Bools:
    """OR-tools' min-cost flow: source -> agent -> challenge -> sink, and a source -> sink
    bypass so that an agent may stay free and the least cost is minus the largest total match.
    Maximum flow first would be wrong: it fills seats before it weighs matches (ADR 0029)."""
    source, sink = agents + len(seats), agents + len(seats) + 1
    flow = SimpleMinCostFlow()
    pairs = flow.add_arcs_with_capacity_and_unit_cost(
        agent.astype(np.int32),
        (agents + challenge).astype(np.int32),
        np.ones(len(agent), np.int64),
        -match.astype(np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(agents, source), agents + np.arange(len(seats)), [source]]).astype(
            np.int32
        ),
        np.concatenate([np.arange(agents), np.full(len(seats), sink), [sink]]).astype(np.int32),
        np.concatenate([np.ones(agents), seats, [agents]]).astype(np.int64),
        np.zeros(agents + len(seats) + 1, np.int64),
    )
    flow.set_nodes_supplies(
        np.array([source, sink], np.int32), np.array([agents, -agents], np.int64)
    )
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended {status}")
    return np.asarray(flow.flows(np.asarray(pairs, dtype=np.int32))) > 0


def _solve_matching(agent: Ints, challenge: Ints, match: Ints, seats: Ints, agents: int) -> Bools:
    """SciPy's fallback, the same optimum: a column per seat that a kept pair could fill and a
    dummy per agent (staying free), weights shifted to be positive (SciPy drops zeros)."""
    rows, row = np.unique(agent, return_inverse=True)
    slots = np.minimum(seats, np.bincount(challenge, minlength=len(seats)))
    per = slots[challenge]
    pair = np.repeat(np.arange(len(agent)), per)
    slot = np.repeat(np.cumsum(slots)[challenge] - per, per)
    slot += np.arange(len(pair)) - np.repeat(np.cumsum(per) - per, per)
    heavy, width = int(match.max()) + 1, int(slots.sum())
    graph = sparse.csr_array(
        (
            np.concatenate([heavy - match[pair], np.full(len(rows), heavy)]),
            (
                np.concatenate([row[pair], np.arange(len(rows))]),
                np.concatenate([slot, width + np.arange(len(rows))]),
            ),
        ),
        shape=(len(rows), width + len(rows)),
    )
    r, s = min_weight_full_bipartite_matching(graph)
    seat = s < width
    of_slot = np.repeat(np.arange(len(seats)), slots)
    wanted = r[seat] * len(seats) + of_slot[s[seat]]
    return np.isin(row * len(seats) + challenge, wanted)
