"""Who may do what with action plans and monthly reviews: the one place that says so
(SETTLED.md, "Action plans": programme managers and administrators write plans; they and the
organisation's innovation team enter manual actuals). Monthly reviews are for those who
review — programme managers, administrators, senior reviewers — and for an organisation's
innovation team, their own organisation's; the person who asked for one may always read it."""

from __future__ import annotations

from typing import Any

import rules

from innohub.accounts.rules import serves_place
from innohub.core.models import ids_in_path
from innohub.core.roles import (
    is_administrator,
    is_programme_manager,
    is_senior_reviewer,
)

runs_programme = is_programme_manager | is_administrator


@rules.predicate
def on_plan_team(user: Any, plan: Any) -> bool:
    """A member of an innovation team of the plan's organisation or one above it."""
    if plan is None:
        return False
    return serves_place(user, area_ids=[], organisation_ids=ids_in_path(plan.organisation.path))


rules.add_perm("insights.view_actionplan", rules.is_authenticated)
rules.add_perm("insights.add_actionplan", runs_programme)
# Enter a manual KPI's actual and its evidence (the object is the plan).
rules.add_perm("insights.change_actionplan", runs_programme | on_plan_team)


reviews = runs_programme | is_senior_reviewer


@rules.predicate
def on_organisation_team(user: Any, organisation: Any) -> bool:
    """A member of an innovation team of the organisation or one above it."""
    if organisation is None:
        return False
    return serves_place(user, area_ids=[], organisation_ids=ids_in_path(organisation.path))


@rules.predicate
def asked_for_report(user: Any, report: Any) -> bool:
    return report is not None and report.by_id is not None and report.by_id == user.pk


@rules.predicate
def on_report_team(user: Any, report: Any) -> bool:
    return report is not None and on_organisation_team(user, report.organisation)


# Ask for a monthly review (the object is the organisation; None for the national one):
# reviewers, and the organisation's innovation team for their own.
rules.add_perm("insights.add_monthlyreport", reviews | on_organisation_team)
# Read one, and download its files (the object is the report).
rules.add_perm("insights.view_monthlyreport", reviews | asked_for_report | on_report_team)
