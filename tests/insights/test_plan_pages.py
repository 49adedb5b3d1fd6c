"""The action plans' pages: the ranking of a period, writing a plan with its KPI rows (errors
on the row's own field), a plan's score with its trend, entering a manual actual."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innohub.core import roles
from innohub.insights import plans
from innohub.insights.models import ActionPlan, Kpi
from tests.accounts.helpers import sign_in_verified
from tests.factories import OrganisationFactory, UserFactory
from tests.pipeline.factories import ShowcaseFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)


@pytest.fixture
def manager(client):
    manager = UserFactory(roles=[roles.PROGRAMME_MANAGER])
    sign_in_verified(client, manager)
    return manager


def write(manager, organisation, *kpis: tuple[str, str, str], starts_on=START) -> ActionPlan:
    return plans.create_plan(
        by=manager,
        organisation=organisation,
        title=f"Plan of {organisation.name}",
        starts_on=starts_on,
        ends_on=starts_on.replace(year=starts_on.year + 1) - datetime.timedelta(days=1),
        kpis=[
            {"name": measure, "measure": measure, "target": Decimal(t), "weight": Decimal(w)}
            for measure, t, w in kpis
        ],
    )


def test_writing_a_plan_on_the_page(client, manager):
    ministry = OrganisationFactory(name="Ministry of Land")
    form = {
        "organisation": ministry.pk, "title": "Action plan 2025-26",
        "starts_on": "2025-07-01", "ends_on": "2026-06-30",
        "kpi_0_name": "One showcase", "kpi_0_measure": "showcases_held",
        "kpi_0_target": "1", "kpi_0_weight": "40",
        "kpi_2_name": "Services simplified", "kpi_2_measure": "manual",
        "kpi_2_target": "12", "kpi_2_weight": "50",
    }  # fmt: skip
    response = client.post("/insights/plans/new/", form)
    assert response.status_code == 200
    assert "kpi_0_weight" not in response.context["form"].errors
    assert "100" in str(response.context["form"].non_field_errors())
    response = client.post(
        "/insights/plans/new/", {**form, "kpi_2_weight": "60", "kpi_2_target": "0"}
    )
    # The error lands on the row's own field: the third row, though it is the second KPI.
    assert "kpi_2_target" in response.context["form"].errors
    response = client.post("/insights/plans/new/", {**form, "kpi_2_weight": "60"})
    plan = ActionPlan.objects.get()
    assert response.status_code == 302 and response.url == f"/insights/plans/{plan.pk}/"
    assert [(k.name, k.position) for k in plan.kpis.all()] == [
        ("One showcase", 0), ("Services simplified", 1),
    ]  # fmt: skip


def test_only_programme_managers_write_plans(client):
    client.force_login(UserFactory())
    assert client.get("/insights/plans/new/").status_code == 403
    assert client.get("/insights/plans/").status_code == 200


def test_the_ranking_page_and_a_plans_page(client, manager, monkeypatch):
    monkeypatch.setattr(plans, "today", lambda: datetime.date(2025, 9, 15))
    land, health = OrganisationFactory(name="Land"), OrganisationFactory(name="Health")
    ShowcaseFactory(organisation=health, held_on=datetime.date(2025, 8, 2))
    first = write(manager, land, ("showcases_held", "1", "50"), ("manual", "4", "50"))
    write(manager, health, ("showcases_held", "1", "100"))
    write(manager, health, ("showcases_held", "1", "100"), starts_on=datetime.date(2024, 7, 1))
    page = client.get("/insights/plans/")
    assert [(row["rank"], row["organisation_name"]) for row in page.context["ranked"]] == [
        (1, "Health"), (2, "Land"),
    ]  # fmt: skip
    older = client.get("/insights/plans/", {"starts_on": "2024-07-01"})
    assert [row["organisation_name"] for row in older.context["ranked"]] == ["Health"]
    detail = client.get(f"/insights/plans/{first.pk}/")
    assert detail.status_code == 200 and detail.context["score"] == Decimal("0.00")
    assert [row["month"] for row in detail.context["trend"]] == [
        datetime.date(2025, 7, 1), datetime.date(2025, 8, 1), datetime.date(2025, 9, 1),
    ]  # fmt: skip
    manual = Kpi.objects.get(plan=first, measure="manual")
    prefix = f"kpi-{manual.pk}"
    bad = client.post(f"/insights/plans/{first.pk}/kpis/{manual.pk}/", {f"{prefix}-actual": "lots"})
    assert bad.status_code == 200
    saved = client.post(
        f"/insights/plans/{first.pk}/kpis/{manual.pk}/",
        {f"{prefix}-actual": "3", f"{prefix}-evidence": "Cabinet letter"},
    )
    assert saved.status_code == 302
    assert client.get(f"/insights/plans/{first.pk}/").context["score"] == Decimal("37.50")


def test_someone_outside_the_team_cannot_enter_figures(client, manager):
    plan = write(manager, OrganisationFactory(), ("manual", "4", "100"))
    kpi = plan.kpis.get()
    client.force_login(UserFactory())
    response = client.post(
        f"/insights/plans/{plan.pk}/kpis/{kpi.pk}/", {f"kpi-{kpi.pk}-actual": "1"}
    )
    assert response.status_code == 403
    assert "Save the figure" not in client.get(f"/insights/plans/{plan.pk}/").content.decode()


def test_the_ranking_page_costs_the_same_queries_for_more_plans(client, manager):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/insights/plans/").status_code == 200
        return len(captured)

    write(
        manager,
        OrganisationFactory(),
        ("showcases_held", "1", "50"),
        ("citizen_days_saved", "9", "50"),
    )
    one = queries()
    for _ in range(4):
        write(
            manager,
            OrganisationFactory(),
            ("showcases_held", "1", "50"),
            ("citizen_days_saved", "9", "50"),
        )
    assert queries() == one


def test_an_empty_list_says_what_to_do(client, manager):
    page = client.get("/insights/plans/").content.decode()
    assert "No action plan has been written yet" in page
