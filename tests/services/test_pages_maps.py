"""The process map step editor of workshops: add, reorder, remove without losing typed data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from innohub.core import roles
from innohub.services.models import ProcessMap, Variant
from tests.geo.conftest import person_in
from tests.services.factories import (
    MapPainPointFactory,
    MapStepFactory,
    ProcessMapFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(client):
    client.force_login(person_in(roles.TRAINER))


@pytest.fixture
def service():
    return ServiceFactory(name="Pension")


def row(title: str, **values) -> dict[str, str]:
    return {
        "title": title,
        "office": "",
        "actor": "",
        "documents": "1",
        "elapsed_days": "2",
        "citizen_hours": "1",
        "fees": "10",
        "travel_cost": "0",
        "other_cost": "0",
        "visits": "1",
        "pain_category": "",
        "pain_description": "",
        **values,
    }


def posted(*rows: dict[str, str], **buttons: str) -> dict[str, str]:
    data = {"steps-TOTAL_FORMS": str(len(rows)), "steps-INITIAL_FORMS": "0", **buttons}
    for index, values in enumerate(rows):
        data.update({f"steps-{index}-{name}": value for name, value in values.items()})
    return data


def titles(response) -> list[str]:
    return [form.initial.get("title", "") for form in response.context["formset"].forms]


def url_of(service, variant="existing") -> str:
    return reverse("services:map_editor", args=[service.pk, variant])


def test_a_new_variant_starts_with_one_empty_step(client, trainer, service):
    response = client.get(url_of(service, "digital"))
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 1
    assert "Steps: Proposed (digital)" in response.content.decode()


def test_adding_moving_and_removing_keep_what_was_typed_and_save_nothing(client, trainer, service):
    typed = (row("Apply", office="Union office"), row("Wait"), row("Collect"))
    response = client.post(url_of(service), posted(*typed, add="1"))
    assert titles(response) == ["Apply", "Wait", "Collect", ""]
    assert 'value="Union office"' in response.content.decode()

    response = client.post(url_of(service), posted(*typed, up="2"))
    assert titles(response) == ["Apply", "Collect", "Wait"]
    response = client.post(url_of(service), posted(*typed, down="0"))
    assert titles(response) == ["Wait", "Apply", "Collect"]
    response = client.post(url_of(service), posted(*typed, remove="1"))
    assert titles(response) == ["Apply", "Collect"]
    # Half-typed rows are carried, not refused, until "Save steps".
    response = client.post(url_of(service), posted(row("Apply", visits="x"), add="1"))
    assert response.status_code == 200
    assert 'value="x"' in response.content.decode()
    assert not ProcessMap.objects.exists()


def test_saving_creates_the_variant_with_its_steps_in_order(client, trainer, service):
    response = client.post(
        url_of(service, "simplified"),
        posted(row("Apply online", fees="20"), row("Collect", pain_category="waiting"), save="1"),
    )
    assert response.status_code == 302
    process_map = ProcessMap.objects.get(service=service, variant=Variant.SIMPLIFIED)
    steps = list(process_map.steps.order_by("position"))
    assert [s.title for s in steps] == ["Apply online", "Collect"]
    assert steps[0].fees == Decimal("20.00")
    assert steps[1].pain_points.get().category == "waiting"


def test_saving_replaces_the_steps_of_an_existing_variant(client, trainer, service):
    existing = ProcessMapFactory(service=service, variant=Variant.EXISTING)
    MapStepFactory(process_map=existing, title="Old")
    page = client.get(url_of(service))
    assert titles(page) == ["Old"]
    client.post(url_of(service), posted(row("New 1"), row("New 2"), save="1"))
    assert list(existing.steps.order_by("position").values_list("title", flat=True)) == [
        "New 1",
        "New 2",
    ]


def test_bad_rows_rerender_with_errors_per_step(client, trainer, service):
    response = client.post(url_of(service), posted(row("Fine"), row("", visits="-2"), save="1"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Step 2, Visits to an office:" in content
    assert 'href="#id_steps-1-title"' in content
    assert 'value="-2"' in content
    assert not ProcessMap.objects.exists()


def test_only_trainers_and_managers_edit_maps(client, service):
    client.force_login(person_in(roles.CIVIL_SERVANT))
    assert client.get(url_of(service)).status_code == 403
    assert client.post(url_of(service), posted(row("Sneaky"), save="1")).status_code == 403
    assert not ProcessMap.objects.exists()


def test_an_unknown_variant_is_404(client, trainer, service):
    assert client.get(url_of(service, "imagined")).status_code == 404


def test_the_editor_takes_the_same_queries_for_1_step_as_for_20(
    client, trainer, service, django_assert_num_queries
):
    existing = ProcessMapFactory(service=service, variant=Variant.EXISTING)
    MapPainPointFactory(map_step__process_map=existing)
    # session, user, groups, the service, its map, steps, pain points
    with django_assert_num_queries(7):
        assert len(client.get(url_of(service)).context["formset"].forms) == 1
    for _ in range(19):
        MapPainPointFactory(map_step=MapStepFactory(process_map=existing))
    with django_assert_num_queries(7):
        response = client.get(url_of(service))
    assert len(response.context["formset"].forms) == 20


def test_saving_in_the_editor_keeps_every_pain_point_of_a_step(client, trainer, service):
    from innohub.services.models import PainPoint

    existing = ProcessMapFactory(service=service, variant=Variant.EXISTING)
    step = MapStepFactory(process_map=existing, title="Hearing")
    PainPoint.objects.create(map_step=step, category="waiting", description="All day")
    PainPoint.objects.create(map_step=step, category="travel", description="Far away")
    PainPoint.objects.create(map_step=step, category="cost", description="Broker")

    form = client.get(url_of(service)).context["formset"].forms[0]
    shown = {name: "" if value is None else str(value) for name, value in form.initial.items()}
    client.post(url_of(service), posted(row(**shown), save="1"))

    saved = existing.steps.get()
    assert list(saved.pain_points.order_by("id").values_list("category", "description")) == [
        ("waiting", "All day"),
        ("travel", "Far away"),
        ("cost", "Broker"),
    ]


def test_a_tampered_hidden_pain_point_field_is_an_error_not_a_500(client, trainer, service):
    response = client.post(
        url_of(service), posted(row("A", more_pain_points='[["nonsense", 1]]'), save="1")
    )
    assert response.status_code == 200
    assert not ProcessMap.objects.filter(service=service).exists()
