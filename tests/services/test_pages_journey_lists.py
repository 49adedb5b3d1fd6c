"""Finding journeys again: "My journeys" and the journeys of a service, with their filters."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from innohub.core import roles
from innohub.geo.models import Level
from tests.factories import AreaFactory
from tests.geo.conftest import person_in
from tests.services.factories import JourneyFactory, JourneyStepFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    person = person_in(roles.CIVIL_SERVANT)
    client.force_login(person)
    return person


@pytest.fixture
def places():
    country = AreaFactory(code="BD")
    dhaka = AreaFactory(code="BD-13", name="Dhaka", level=Level.DISTRICT, parent=country)
    savar = AreaFactory(code="BD-13-S", name="Savar", level=Level.SUBDISTRICT, parent=dhaka)
    sylhet = AreaFactory(code="BD-60", name="Sylhet", level=Level.DISTRICT, parent=country)
    return {"dhaka": dhaka, "savar": savar, "sylhet": sylhet}


def journey(service, area, day, **fields):
    made = JourneyFactory(
        service=service, area=area, observed_on=datetime.date(2025, 3, day), **fields
    )
    JourneyStepFactory(journey=made, elapsed_days=Decimal("2"), fees=Decimal("1200"), visits=2)
    return made


def ids(response) -> list[int]:
    return [row.pk for row in response.context["pager"]["page"].object_list]


def test_my_journeys_lists_what_i_observed_finished_or_not_and_leads_back_to_each(
    client, officer, places
):
    service = ServiceFactory(name="Land mutation")
    done = journey(service, places["dhaka"], 2, observer=officer, ref="DHK-7")
    draft = journey(service, places["savar"], 9, observer=officer, status="draft")
    journey(service, places["dhaka"], 5)  # someone else's

    response = client.get(reverse("services:my_journeys"))

    assert ids(response) == [draft.pk, done.pk]  # latest observed first
    content = response.content.decode()
    assert reverse("services:journey_detail", args=[done.pk]) in content
    assert reverse("services:journey_record", args=[draft.pk]) in content  # go on recording
    assert "2 journeys" in content and "Land mutation" in content and "DHK-7" in content
    assert "1,250.00\u00a0BDT" in content  # the stored TCV: fees and the factory's travel
    only_final = client.get(reverse("services:my_journeys"), {"status": "final"})
    assert ids(only_final) == [done.pk]


def test_a_services_journeys_filter_by_area_below_dates_method_and_status(client, officer, places):
    service = ServiceFactory()
    in_dhaka = journey(service, places["dhaka"], 3)
    in_savar = journey(service, places["savar"], 10, method="citizen_interview")
    in_sylhet = journey(service, places["sylhet"], 20)
    journey(ServiceFactory(), places["dhaka"], 4)  # another service's
    url = reverse("services:service_journeys", args=[service.pk])

    assert ids(client.get(url)) == [in_sylhet.pk, in_savar.pk, in_dhaka.pk]
    assert ids(client.get(url, {"area": "bd-13"})) == [in_savar.pk, in_dhaka.pk]  # any case
    window = {"observed_from": "2025-03-03", "observed_to": "2025-03-10"}
    assert ids(client.get(url, window)) == [in_savar.pk, in_dhaka.pk]
    assert ids(client.get(url, {"method": "citizen_interview"})) == [in_savar.pk]
    assert ids(client.get(url, {"status": "draft"})) == []
    narrowed = client.get(url, {"area": "BD-13", "status": "draft"}).content.decode()
    assert "No journey matches these filters." in narrowed
    # The downloads carry the service and the area chosen.
    page = client.get(url, {"area": "BD-13"}).content.decode()
    assert f"?format=csv&amp;service={service.pk}&amp;area=BD-13" in page


def test_bad_filters_name_their_field_and_keep_what_was_typed(client, officer, places):
    service = ServiceFactory()
    url = reverse("services:service_journeys", args=[service.pk])
    response = client.get(
        url, {"area": "NOWHERE", "observed_from": "2025-05-01", "observed_to": "2025-04-01"}
    )
    assert response.status_code == 200
    summary = response.content.decode().split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert "Area: No area has the id or code “NOWHERE”." in summary
    assert "Observed until: The last day is before the first." in summary
    assert 'value="NOWHERE"' in response.content.decode()
    assert client.get(reverse("services:service_journeys", args=[999_999])).status_code == 404


def test_empty_lists_say_what_to_do(client, officer):
    mine = client.get(reverse("services:my_journeys")).content.decode()
    assert "You have not recorded a journey yet." in mine
    service = ServiceFactory()
    theirs = client.get(reverse("services:service_journeys", args=[service.pk])).content.decode()
    assert "No journey of this service has been recorded yet." in theirs


def test_a_list_takes_the_same_queries_for_2_journeys_as_for_12(
    client, officer, places, django_assert_num_queries
):
    service = ServiceFactory()
    url = reverse("services:service_journeys", args=[service.pk])
    for day in (1, 2):
        journey(service, places["savar"], day)
    # session, user, their roles (the navigation); the service; the area filter; the count;
    # the page of rows
    with django_assert_num_queries(7):
        client.get(url, {"area": "BD-13"})
    for day in range(3, 13):
        journey(service, places["savar"], day)
    with django_assert_num_queries(7):
        assert len(ids(client.get(url, {"area": "BD-13"}))) == 12


def test_the_service_page_and_the_catalogue_lead_to_the_lists(client, officer):
    service = ServiceFactory()
    page = client.get(reverse("services:service_detail", args=[service.pk])).content.decode()
    assert reverse("services:service_journeys", args=[service.pk]) in page
    catalogue = client.get(reverse("services:service_list")).content.decode()
    assert reverse("services:my_journeys") in catalogue
