"""The national dashboard page: the funnel, the drill-down one level down, the months."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_for_the_nation_and_one_ministry(client, land):
    client.force_login(UserFactory())
    response = client.get("/insights/")
    page = response.content.decode()
    assert response.status_code == 200
    steps = {key: value for key, _label, value in response.context["steps"]}
    assert (steps["pilots"], steps["trained"], steps["replicated"]) == (5, 2, 1)
    ministries = [child["organisation"].name for child in response.context["children"]]
    assert ministries == ["Ministry of Land", "Ministry of Health"]
    assert 'data-chart="funnel-chart"' in page and 'data-chart="trend-chart"' in page
    assert len(response.context["months"]) == 12
    # Drill into the ministry: its offices one level down.
    response = client.get("/insights/", {"organisation": land["lands"].pk})
    offices = {child["organisation"].pk: child["pilots"] for child in response.context["children"]}
    assert offices == {land["savar_office"].pk: 2, land["dhamrai_office"].pk: 2}
    assert response.context["funnel"]["pilots"] == 4


def test_a_bad_area_is_a_message_not_an_error(client, land):
    client.force_login(UserFactory())
    response = client.get("/insights/", {"area": "XX-NOWHERE"})
    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert response.context["funnel"]["pilots"] == 5  # the national figures, unfiltered


def test_the_dashboard_costs_the_same_queries_for_more_data(
    client, land, django_capture_on_commit_callbacks
):
    from tests.pipeline.factories import PilotFactory

    client.force_login(UserFactory())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/insights/").status_code == 200
        return len(captured)

    few = queries()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            PilotFactory(
                organisation=land["gazipur_office"], area=land["gazipur"], status="ongoing"
            )
    assert queries() == few


def _offered(response) -> list[str]:
    return [
        label for _value, label in response.context["form"].fields["organisation"].widget.choices
    ]


def test_the_picker_offers_the_ministries_and_the_way_down_to_the_one_chosen(client, land):
    client.force_login(UserFactory())
    offices = {land[name].name for name in ("savar_office", "dhamrai_office", "gazipur_office")}
    nation = _offered(client.get("/insights/"))
    assert nation[0] == "The whole government"
    assert {"Ministry of Health", "Ministry of Land"} <= set(nation)
    assert not offices & set(nation)  # offices are opened from the table
    office = land["savar_office"]
    response = client.get("/insights/", {"organisation": office.pk})
    assert response.context["funnel"]["pilots"] == 2  # any organisation, by its id
    assert set(_offered(response)) - set(nation) == {office.name}
    assert f'<option value="{office.pk}" selected>' in response.content.decode()
    for hostile in ("99999999999999999999999999", "-1", "x"):
        refused = client.get("/insights/", {"organisation": hostile})
        assert refused.status_code == 200
        assert "organisation" in refused.context["form"].errors
        assert refused.context["funnel"]["pilots"] == 5
