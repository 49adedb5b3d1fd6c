"""A journey's stored TCV never drifts from its steps, however they are written (ADR 0015),
and every journey write bumps its service's version."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innohub.core import roles
from innohub.services import journeys, totals
from innohub.services.admin import JourneyStepAdmin
from innohub.services.importer import import_journeys
from innohub.services.models import Journey, JourneyStatus, JourneyStep, Service
from innohub.services.steps import StepData
from innohub.services.tcv import Tcv, tcv_of
from tests.factories import AreaFactory, UserFactory
from tests.geo.conftest import person_in
from tests.services.factories import JourneyStepFactory, ServiceFactory
from tests.services.test_import import csv_file, row

pytestmark = pytest.mark.django_db

money = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)
steps = st.builds(
    StepData,
    title=st.just("Counter"),
    documents=st.integers(0, 10_000),
    elapsed_days=money,
    citizen_hours=money,
    fees=money,
    travel_cost=money,
    other_cost=money,
    visits=st.integers(0, 10_000),
)
EXAMPLES = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def from_steps(journey: Journey) -> Tcv:
    return tcv_of(JourneyStep.objects.filter(journey=journey))


def stored(journey: Journey) -> Tcv:
    return totals.stored_tcv(Journey.with_staged.get(pk=journey.pk))


def record(observer, service=None, **fields) -> Journey:
    return journeys.create_journey(
        by=observer,
        service=service or ServiceFactory(),
        area=AreaFactory(),
        observed_on=datetime.date(2025, 3, 1),
        method="secret_shopper",
        **fields,
    )


def version(service: Service) -> int:
    return Service.objects.values_list("journeys_version", flat=True).get(pk=service.pk)


@EXAMPLES
@given(
    first=st.lists(steps, min_size=1, max_size=6),
    added=steps,
    replaced=st.lists(steps, min_size=1, max_size=6),
    edited=st.lists(steps, min_size=1, max_size=4),
)
def test_every_write_of_the_domain_keeps_the_stored_tcv_that_of_the_steps(
    first, added, replaced, edited
):
    observer = person_in(roles.CIVIL_SERVANT)
    journey = record(observer, steps=first)
    assert stored(journey) == from_steps(journey) == tcv_of(first)
    journeys.add_journey_step(by=observer, journey=journey, step=added)
    assert stored(journey) == from_steps(journey) == tcv_of([*first, added])
    journeys.replace_journey_steps(by=observer, journey=journey, steps=replaced)
    assert stored(journey) == from_steps(journey) == tcv_of(replaced)
    journeys.update_journey(by=observer, journey=journey, steps=edited, notes="Seen again")
    assert stored(journey) == from_steps(journey) == tcv_of(edited)
    # The instance the caller holds says the same as the database.
    assert totals.stored_tcv(journey) == tcv_of(edited)
    assert not list(totals.drift())


def test_a_draft_stores_its_tcv_but_leaves_the_figures_cached_until_it_is_finished():
    observer = person_in(roles.CIVIL_SERVANT)
    service = ServiceFactory()
    before = version(service)
    draft = record(observer, service, status=JourneyStatus.DRAFT)
    assert stored(draft) == Tcv()
    for visits in (2, 1):  # recording step by step, on a phone
        journeys.add_journey_step(
            by=observer, journey=draft, step=StepData(title="A", visits=visits)
        )
    journeys.update_journey(by=observer, journey=draft, notes="Still writing")
    assert stored(draft).visits == 3
    assert version(service) == before  # a draft counts in no figure
    journeys.finish_journey(by=observer, journey=draft)
    assert version(service) == before + 1
    journeys.update_journey(by=observer, journey=draft, status=JourneyStatus.DRAFT)
    assert version(service) == before + 2  # back to a draft: it leaves the figures


def test_saving_a_journey_never_writes_back_a_total_read_before_a_step_was_added():
    observer = person_in(roles.CIVIL_SERVANT)
    journey = record(observer, steps=[StepData(title="A", visits=1)])
    read_earlier = Journey.objects.get(pk=journey.pk)
    journeys.add_journey_step(by=observer, journey=journey, step=StepData(title="B", visits=1))
    journeys.update_journey(by=observer, journey=read_earlier, notes="Another request")
    assert stored(journey).visits == 2


def test_moving_a_journey_bumps_the_service_it_left_and_the_one_it_joins():
    observer = person_in(roles.CIVIL_SERVANT)
    left, joined = ServiceFactory(), ServiceFactory()
    journey = record(observer, left, steps=[StepData(title="A")])
    versions = version(left), version(joined)
    journeys.update_journey(by=observer, journey=journey, service=joined)
    assert (version(left), version(joined)) == (versions[0] + 1, versions[1] + 1)


@EXAMPLES
@given(cells=st.lists(st.tuples(money, money, money, st.integers(0, 50)), min_size=1, max_size=5))
def test_the_importers_bulk_insert_stores_the_tcv_of_the_rows(cells):
    service, area = ServiceFactory(), AreaFactory()
    before = version(service)
    ref = f"J{Journey.objects.count()}"
    rows = [
        row(service, area, ref, elapsed_days=days, fees=fees, travel_cost=travel, visits=visits)
        for days, fees, travel, visits in cells
    ]
    result = import_journeys(source=csv_file(rows), by=UserFactory())
    assert result.ok, result.errors
    journey = Journey.objects.get(service=service, ref=ref)
    assert stored(journey) == from_steps(journey)
    assert stored(journey).cost == sum(
        (fees + travel for _d, fees, travel, _v in cells), Decimal(0)
    )
    assert version(service) > before
    assert not list(totals.drift())


def test_steps_changed_in_the_admin_refresh_their_journey(admin_user):
    step = JourneyStepFactory(visits=1)
    journey = step.journey
    other = JourneyStepFactory(visits=4)
    request = RequestFactory().post("/")
    request.user = admin_user
    admin = JourneyStepAdmin(JourneyStep, site)
    step.visits, step.journey = 3, other.journey  # moved to another journey, and changed
    admin.save_model(request, step, form=None, change=True)
    assert stored(journey).visits == 0 and stored(other.journey).visits == 7
    admin.delete_queryset(request, JourneyStep.objects.filter(pk=other.pk))
    assert stored(other.journey).visits == 3
    assert not list(totals.drift())


def test_drift_finds_a_total_written_past_the_domain_and_repair_mends_it():
    step = JourneyStepFactory(fees=Decimal("10.00"), travel_cost=0, other_cost=0)
    JourneyStepFactory(journey=step.journey)
    JourneyStep.objects.filter(pk=step.pk).update(fees=Decimal("25.50"))  # by hand, in SQL
    (found,) = totals.drift()
    assert found.journey_id == step.journey_id
    assert found.computed.cost - found.stored.cost == Decimal("15.50")
    before = version(step.journey.service)
    assert totals.repair([found.journey_id]) == 1
    assert not list(totals.drift())
    assert version(step.journey.service) == before + 1


def catalogue(service: Service) -> tuple:
    service.refresh_from_db()
    return (service.observed_journeys, service.mean_days, service.mean_cost, service.mean_visits)


def test_the_catalogue_figures_follow_every_change_to_the_final_journeys():
    observer = person_in(roles.CIVIL_SERVANT)
    service, other = ServiceFactory(), ServiceFactory()
    assert catalogue(service) == (0, None, None, None)
    first = record(
        observer,
        service,
        steps=[StepData(title="A", elapsed_days=Decimal("4"), fees=Decimal("100"), visits=1)],
    )
    second = record(
        observer,
        service,
        steps=[StepData(title="A", elapsed_days=Decimal("7"), fees=Decimal("250.01"), visits=2)],
    )
    assert catalogue(service) == (2, Decimal("5.50"), Decimal("175.01"), Decimal("1.50"))
    journeys.add_journey_step(
        by=observer, journey=first, step=StepData(title="B", elapsed_days=Decimal("1"), visits=2)
    )
    assert catalogue(service) == (2, Decimal("6.00"), Decimal("175.01"), Decimal("2.50"))
    # A draft counts in no figure; back to a draft, a journey leaves them.
    draft = record(observer, service, status=JourneyStatus.DRAFT)
    journeys.add_journey_step(
        by=observer, journey=draft, step=StepData(title="A", elapsed_days=Decimal("90"))
    )
    assert catalogue(service)[0] == 2
    journeys.update_journey(by=observer, journey=second, status=JourneyStatus.DRAFT)
    assert catalogue(service) == (1, Decimal("5.00"), Decimal("100.00"), Decimal("3.00"))
    # Moved to another service: it leaves one service's figures and joins the other's.
    journeys.update_journey(by=observer, journey=first, service=other)
    assert catalogue(service) == (0, None, None, None)
    assert catalogue(other) == (1, Decimal("5.00"), Decimal("100.00"), Decimal("3.00"))
    assert not list(totals.catalogue_drift())


def test_an_import_updates_the_catalogue_figures_of_its_services():
    service, area = ServiceFactory(), AreaFactory()
    rows = [
        row(service, area, "C1", elapsed_days="3", visits="1"),
        row(service, area, "C2", elapsed_days="6", visits="2"),
    ]
    result = import_journeys(source=csv_file(rows), by=UserFactory())
    assert result.ok, result.errors
    assert catalogue(service)[:2] == (2, Decimal("4.50"))
    assert not list(totals.catalogue_drift())
