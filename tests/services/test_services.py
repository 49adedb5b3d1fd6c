from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innohub.core import roles
from innohub.core.errors import Conflict
from innohub.services import journeys, services
from innohub.services.models import Journey, JourneyStatus, MapStep, PainPoint, ProcessMap
from innohub.services.selectors import journey_tcv, map_tcv
from innohub.services.steps import PainPointData, StepData, validate_steps
from tests.factories import AreaFactory, OrganisationFactory
from tests.geo.conftest import person_in
from tests.services.factories import JourneyFactory, JourneyStepFactory, ServiceFactory

pytestmark = pytest.mark.django_db

STEP = StepData(
    title="Apply at the land office",
    documents=3,
    elapsed_days=Decimal("2.5"),
    citizen_hours=Decimal("4"),
    fees=Decimal("100"),
    travel_cost=Decimal("40.50"),
    other_cost=Decimal("10"),
    visits=2,
    pain_points=(PainPointData(category="waiting", description="Queue"),),
)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_programme_manager_creates_a_service_with_channels():
    manager = person_in(roles.PROGRAMME_MANAGER)
    org = OrganisationFactory()

    service = services.create_service(
        by=manager, name=" Land mutation ", organisation=org, channels=["office", "online"]
    )

    assert service.name == "Land mutation"
    assert sorted(service.channels.values_list("channel", flat=True)) == ["office", "online"]


def test_a_civil_servant_may_not_create_a_service():
    with pytest.raises(PermissionDenied):
        services.create_service(
            by=person_in(roles.CIVIL_SERVANT), name="X", organisation=OrganisationFactory()
        )


def test_service_refuses_unknown_currency_and_boolean_volume():
    manager = person_in(roles.PROGRAMME_MANAGER)
    with pytest.raises(ValidationError) as excinfo:
        services.create_service(
            by=manager,
            name="X",
            organisation=OrganisationFactory(),
            currency="XXZ",
            annual_volume=True,
        )
    assert set(errors_of(excinfo)) == {"currency", "annual_volume"}


def test_validate_steps_keys_errors_by_json_path():
    bad = StepData(title="", visits=-1, fees=None, documents=True, elapsed_days=Decimal("1.234"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as excinfo:
        validate_steps([STEP, bad, STEP])
    assert set(errors_of(excinfo)) == {
        "steps.1.title",
        "steps.1.visits",
        "steps.1.fees",
        "steps.1.documents",
        "steps.1.elapsed_days",
    }


def test_validate_steps_refuses_too_large_numbers_and_nul():
    bad = StepData(title="a\x00b", visits=10_001, citizen_hours=Decimal("100000"))
    with pytest.raises(ValidationError) as excinfo:
        validate_steps([bad])
    assert set(errors_of(excinfo)) == {"steps.0.title", "steps.0.visits", "steps.0.citizen_hours"}


def test_a_trainer_creates_a_process_map_and_a_second_of_the_variant_is_a_conflict():
    trainer = person_in(roles.TRAINER)
    service = ServiceFactory()

    process_map = services.create_process_map(
        by=trainer, service=service, variant="existing", steps=[STEP, STEP]
    )

    assert list(process_map.steps.values_list("position", flat=True)) == [0, 1]
    assert PainPoint.objects.filter(map_step__process_map=process_map).count() == 2
    assert map_tcv(process_map).cost == Decimal("301.00")
    assert process_map.steps.first().history.count() == 1
    with pytest.raises(Conflict):
        services.create_process_map(by=trainer, service=service, variant="existing", steps=[])
    assert ProcessMap.objects.count() == 1


def test_replacing_map_steps_rewrites_them_in_order():
    trainer = person_in(roles.TRAINER)
    process_map = services.create_process_map(
        by=trainer, service=ServiceFactory(), variant="digital", steps=[STEP]
    )
    services.replace_map_steps(
        by=trainer,
        process_map=process_map,
        steps=[StepData(title="Apply online"), StepData(title="Collect")],
    )
    assert list(MapStep.objects.values_list("title", flat=True)) == ["Apply online", "Collect"]
    assert PainPoint.objects.count() == 0


def test_any_civil_servant_records_a_final_journey():
    observer = person_in(roles.CIVIL_SERVANT)
    journey = journeys.create_journey(
        by=observer,
        service=ServiceFactory(),
        area=AreaFactory(),
        observed_on=datetime.date(2025, 1, 5),
        method="secret_shopper",
        ref="J-1",
        steps=[STEP, STEP],
    )
    assert journey.observer == observer
    assert journey.status == JourneyStatus.FINAL
    assert journey_tcv(journey).visits == 4


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"observed_on": datetime.date.today() + datetime.timedelta(days=2)}, "observed_on"),
        ({"steps": []}, "steps"),
        ({"ref": "id:7"}, "ref"),
        ({"method": "telepathy"}, "method"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_create_journey_refuses(fields, field):
    values = {
        "service": ServiceFactory(),
        "area": AreaFactory(),
        "observed_on": datetime.date(2025, 1, 5),
        "method": "secret_shopper",
        "steps": [STEP],
        **fields,
    }
    with pytest.raises(ValidationError) as excinfo:
        journeys.create_journey(by=person_in(roles.CIVIL_SERVANT), **values)
    assert field in errors_of(excinfo)
    assert Journey.objects.count() == 0


def test_a_reference_is_unique_per_service():
    existing = JourneyFactory(ref="R1")
    with pytest.raises(ValidationError) as excinfo:
        journeys.create_journey(
            by=person_in(roles.CIVIL_SERVANT),
            service=existing.service,
            area=existing.area,
            observed_on=datetime.date(2025, 1, 5),
            method="secret_shopper",
            ref="R1",
            steps=[STEP],
        )
    assert "ref" in errors_of(excinfo)


def test_a_draft_is_recorded_step_by_step_then_finished():
    observer = person_in(roles.CIVIL_SERVANT)
    journey = journeys.create_journey(
        by=observer,
        service=ServiceFactory(),
        area=AreaFactory(),
        observed_on=datetime.date(2025, 1, 5),
        method="secret_shopper",
        status="draft",
    )
    with pytest.raises(ValidationError):
        journeys.finish_journey(by=observer, journey=journey)
    journeys.add_journey_step(by=observer, journey=journey, step=STEP)
    second = journeys.add_journey_step(by=observer, journey=journey, step=StepData(title="Two"))
    assert second.position == 1
    journeys.finish_journey(by=observer, journey=journey)
    assert journey.status == "final"
    with pytest.raises(Conflict):
        journeys.finish_journey(by=observer, journey=journey)


def test_a_bad_appended_step_is_keyed_by_its_index():
    journey = JourneyStepFactory().journey
    with pytest.raises(ValidationError) as excinfo:
        journeys.add_journey_step(
            by=journey.observer, journey=journey, step=StepData(title="x", visits=-1)
        )
    assert list(errors_of(excinfo)) == ["steps.1.visits"]


def test_another_civil_servant_may_not_change_a_journey():
    journey = JourneyStepFactory().journey
    with pytest.raises(PermissionDenied):
        journeys.update_journey(by=person_in(roles.CIVIL_SERVANT), journey=journey, notes="x")


def test_a_final_journey_keeps_a_step():
    journey = JourneyStepFactory().journey
    with pytest.raises(ValidationError) as excinfo:
        journeys.replace_journey_steps(by=journey.observer, journey=journey, steps=[])
    assert "steps" in errors_of(excinfo)
    assert journey.steps.count() == 1
