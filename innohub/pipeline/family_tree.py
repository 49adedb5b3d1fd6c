"""A pilot's family drawn for its page: the original and every replication below it, each
with its impact, laid out as a tree (a picture) and in order (an accessible list).

Reads a query a generation for the members and one query for every member's measured
journeys; the layout is arithmetic: leaves take the next column in depth-first order, a
parent sits above the middle of its children, each generation a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .impact import impact
from .models import Pilot
from .replication import family_members, root_of
from .selectors import phases_of

NODE_WIDTH, NODE_HEIGHT = 168, 52
COLUMN, ROW = 184, 92
MARGIN = 8


@dataclass
class Member:
    pilot: Pilot
    depth: int
    impact: dict[str, Any]
    children: list[Member] = field(default_factory=list)
    column: float = 0.0

    @property
    def x(self) -> float:
        return MARGIN + self.column * COLUMN

    @property
    def y(self) -> float:
        return MARGIN + self.depth * ROW

    @property
    def centre(self) -> float:
        return self.x + NODE_WIDTH / 2


@dataclass
class Tree:
    members: list[Member]  # depth first, the original first
    width: int
    height: int
    edges: list[tuple[float, float, float, float]]

    @property
    def generations(self) -> int:
        return 1 + max(member.depth for member in self.members)


def family_tree(pilot: Pilot) -> Tree:
    root = root_of(pilot)
    pilots = family_members(root)
    phases = phases_of([p.pk for p in pilots])
    by_id = {
        p.pk: Member(
            pilot=p,
            depth=0,
            impact=impact(
                phases[p.pk]["baseline"], phases[p.pk]["after"], annual_volume=p.annual_volume
            ),
        )
        for p in pilots
    }
    for p in pilots[1:]:
        by_id[p.replicates_id].children.append(by_id[p.pk])  # type: ignore[index]
    top = by_id[root.pk]
    ordered: list[Member] = []
    next_column = 0

    def place(member: Member, depth: int) -> None:
        nonlocal next_column
        member.depth = depth
        ordered.append(member)
        for child in member.children:
            place(child, depth + 1)
        if member.children:
            member.column = (member.children[0].column + member.children[-1].column) / 2
        else:
            member.column = next_column
            next_column += 1

    place(top, 0)
    edges = [
        (parent.centre, parent.y + NODE_HEIGHT, child.centre, child.y)
        for parent in ordered
        for child in parent.children
    ]
    width = 2 * MARGIN + (next_column - 1) * COLUMN + NODE_WIDTH
    height = 2 * MARGIN + max(m.depth for m in ordered) * ROW + NODE_HEIGHT
    return Tree(members=ordered, width=int(width), height=int(height), edges=edges)
