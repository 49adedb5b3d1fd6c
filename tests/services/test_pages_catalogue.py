"""The service catalogue and the service page: filters, TCV cards, comparison, distribution."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from innohub.core import roles
from innohub.geo.models import Level
from innohub.services.models import Channel, ServiceChannel, Variant
from tests.accounts.helpers import sign_in_verified
from tests.factories import AreaFactory, OrganisationFactory
from tests.geo.conftest import person_in
from tests.services.factories import (
    JourneyFactory,
    JourneyStepFactory,
    MapPainPointFactory,
    MapStepFactory,
    ProcessMapFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    client.force_login(person_in(roles.CIVIL_SERVANT))
    return client


@pytest.fixture
def catalogue():
    country = AreaFactory(code="BD", name="Bangladesh")
    district = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=country)
    elsewhere = AreaFactory(code="BD-60", level=Level.DISTRICT, parent=country)
    land = OrganisationFactory(name="Ministry of Land", area=country)
    office = OrganisationFactory(name="Dhaka Land Office", parent=land, area=district)
    health = OrganisationFactory(name="Ministry of Health", area=elsewhere)
    mutation = ServiceFactory(name="Land mutation", organisation=office, annual_volume=1_200_000)
    ServiceChannel.objects.create(service=mutation, channel=Channel.OFFICE)
    ServiceChannel.objects.create(service=mutation, channel=Channel.ONLINE)
    birth = ServiceFactory(name="Birth registration", organisation=health)
    ServiceChannel.objects.create(service=birth, channel=Channel.ASSISTED)
    return {
        "land": land,
        "mutation": mutation,
        "birth": birth,
        "district": district,
        "other": elsewhere,
    }


def names(response) -> list[str]:
    return [service.name for service in response.context["pager"]["page"].object_list]


def test_the_catalogue_asks_to_sign_in(client):
    response = client.get(reverse("services:service_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_catalogue_lists_services_with_their_channels(signed_in, catalogue):
    response = signed_in.get(reverse("services:service_list"))
    assert response.status_code == 200
    assert names(response) == ["Birth registration", "Land mutation"]
    content = response.content.decode()
    assert "2 services" in content
    assert "Office, Online" in content
    assert "1,200,000" in content or "1200000" in content


def test_the_catalogue_leads_to_recording_importing_and_exporting_journeys(signed_in):
    content = signed_in.get(reverse("services:service_list")).content.decode()
    for name in ("services:journey_start", "services:my_drafts", "journey_files:import",
                 "journey_files:export"):  # fmt: skip
        assert f'href="{reverse(name)}"' in content


def test_the_catalogue_filters_by_organisation_below_it(signed_in, catalogue):
    response = signed_in.get(
        reverse("services:service_list"), {"organisation": catalogue["land"].pk}
    )
    assert names(response) == ["Land mutation"]


def test_the_catalogue_filters_by_area_code_channel_and_text(signed_in, catalogue):
    url = reverse("services:service_list")
    assert names(signed_in.get(url, {"area": "BD-13"})) == ["Land mutation"]
    assert names(signed_in.get(url, {"channel": "assisted"})) == ["Birth registration"]
    assert names(signed_in.get(url, {"q": "mutat"})) == ["Land mutation"]


def test_an_unknown_area_is_explained_and_kept(signed_in, catalogue):
    response = signed_in.get(reverse("services:service_list"), {"area": "BD-99"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "No area has the id or code “BD-99”." in content
    assert 'value="BD-99"' in content
    assert names(response) == []


def test_no_match_has_an_accessible_empty_state(signed_in, catalogue):
    response = signed_in.get(reverse("services:service_list"), {"q": "passport"})
    assert "No services match" in response.content.decode()


def test_an_empty_catalogue_says_who_adds_services(signed_in):
    response = signed_in.get(reverse("services:service_list"))
    assert "No services yet" in response.content.decode()


def test_the_catalogue_takes_the_same_queries_for_2_services_as_for_62(
    signed_in, catalogue, django_assert_num_queries
):
    # session, user, groups, the add permission (user's, groups'), the organisation filter's
    # options, count, page, channels
    with django_assert_num_queries(9):
        small = signed_in.get(reverse("services:service_list"))
    assert len(names(small)) == 2
    for number in range(60):
        service = ServiceFactory(name=f"Service {number:02}", organisation=catalogue["land"])
        ServiceChannel.objects.create(service=service, channel=Channel.PHONE)
    with django_assert_num_queries(9):
        response = signed_in.get(reverse("services:service_list"), {"page": "2"})
    assert response.status_code == 200
    assert len(names(response)) == 12
    assert 'aria-current="page"' in response.content.decode()


@pytest.fixture
def mapped(catalogue):
    """Land mutation: existing 2 steps; digital 1 step; 3 final journeys and a draft."""
    service = catalogue["mutation"]
    service.organisation.area.hourly_wage = Decimal("50.00")
    service.organisation.area.save()
    existing = ProcessMapFactory(service=service, variant=Variant.EXISTING)
    MapStepFactory(process_map=existing, elapsed_days=Decimal("10"), fees=Decimal("500"), visits=3)
    MapStepFactory(process_map=existing, elapsed_days=Decimal("18"), fees=Decimal("300"), visits=2)
    digital = ProcessMapFactory(service=service, variant=Variant.DIGITAL)
    MapStepFactory(process_map=digital, elapsed_days=Decimal("3"), fees=Decimal("200"), visits=0)
    for days in ("4", "6", "20"):
        journey = JourneyFactory(service=service, area=catalogue["district"])
        JourneyStepFactory(journey=journey, elapsed_days=Decimal(days))
    draft = JourneyFactory(service=service, area=catalogue["district"], status="draft")
    JourneyStepFactory(journey=draft, elapsed_days=Decimal("900"))
    return service


def test_the_catalogue_shows_each_services_mean_tcv_and_sorts_by_burden(signed_in, catalogue):
    heavy = ServiceFactory(name="Trade licence", currency="BDT")
    for days, fees, visits in (("10", "3000", 4), ("20", "3240.50", 6)):
        JourneyStepFactory(
            journey=JourneyFactory(service=heavy),
            elapsed_days=Decimal(days),
            fees=Decimal(fees),
            travel_cost=Decimal("0"),
            other_cost=Decimal("0"),
            visits=visits,
        )
    JourneyStepFactory(
        journey=JourneyFactory(service=catalogue["birth"]),
        elapsed_days=Decimal("30"),
        fees=Decimal("10"),
        travel_cost=Decimal("0"),
        other_cost=Decimal("0"),
        visits=1,
    )
    url = reverse("services:service_list")

    response = signed_in.get(url)
    content = response.content.decode()
    assert "15.00 days, 3,120.25\u00a0BDT, 5.00 visits" in content
    assert "No journeys yet" in content  # land mutation: none observed
    assert names(signed_in.get(url, {"order": "days"})) == [
        "Birth registration",
        "Trade licence",
        "Land mutation",  # no figure: last
    ]
    assert names(signed_in.get(url, {"order": "cost"}))[0] == "Trade licence"
    assert names(signed_in.get(url, {"order": "visits"}))[0] == "Trade licence"
    assert names(signed_in.get(url, {"order": "journeys"}))[0] == "Trade licence"
    # Sorting is not a filter: the page offers no "Clear filters" for it.
    assert "Clear filters" not in signed_in.get(url, {"order": "days"}).content.decode()


def test_an_unknown_order_is_explained(signed_in, catalogue):
    response = signed_in.get(reverse("services:service_list"), {"order": "fastest"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Sort by" in content and "fastest" in content


def test_the_service_page_shows_each_variant_with_its_tcv(signed_in, mapped):
    response = signed_in.get(reverse("services:service_detail", args=[mapped.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    rows = response.context["rows"]
    assert [item["row"].process_map.variant for item in rows] == ["existing", "digital"]
    existing, digital = (item["row"] for item in rows)
    # Existing: 2 steps of the factory (3 hours, 50 travel each) — TCV from the one module.
    assert existing.tcv.days == Decimal("28.00")
    assert existing.tcv.cost == Decimal("900.00")
    assert existing.tcv.visits == 5
    assert "28.00 days" in content
    assert "900.00\u00a0BDT" in content  # the currency kept beside the amount
    # Opportunity cost is apart: 6 hours at 50 an hour.
    assert rows[0]["opportunity_cost"] == Decimal("300.00")
    assert "300.00\u00a0BDT" in content
    assert "Opportunity cost" in content
    # Digital against existing: 25 days, 650 BDT (fees and travel) and 5 visits less.
    assert digital.difference.days == Decimal("-25.00")
    # Written with a minus sign and what the difference is of the existing figure.
    assert "\u221225.00 (\u221289%)" in content
    assert "\u2212650.00 (\u221272%)" in content
    assert "Variants side by side" in content


def test_a_bangla_page_writes_its_figures_in_bangla_digits(signed_in, mapped):
    from django.conf import settings

    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    content = signed_in.get(reverse("services:service_detail", args=[mapped.pk])).content.decode()
    from innohub.core.numbers import BANGLA_DIGITS

    assert "900.00\u00a0BDT".translate(BANGLA_DIGITS) in content  # the existing map's cost
    assert "\u221225.00 (\u221289%)".translate(BANGLA_DIGITS) in content  # digital's days
    assert "900.00" not in content.split("<main")[1].split("</main>")[0].split("<script")[0]


def test_a_bangla_catalogue_counts_and_averages_in_bangla_digits(signed_in, catalogue):
    from django.conf import settings

    from innohub.core.numbers import BANGLA_DIGITS

    JourneyStepFactory(
        journey=JourneyFactory(service=catalogue["birth"]), elapsed_days=Decimal("12")
    )
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    content = signed_in.get(reverse("services:service_list")).content.decode()
    assert "2টি সেবা".translate(BANGLA_DIGITS) in content  # the count sentence too
    assert "12.00 দিন".translate(BANGLA_DIGITS) in content


def test_the_service_page_shows_the_distribution_of_final_journeys_only(signed_in, mapped):
    response = signed_in.get(reverse("services:service_detail", args=[mapped.pk]))
    distribution = response.context["distribution"]
    assert distribution.n == 3
    assert distribution.days.median == Decimal("6.00")
    assert distribution.days.mean == Decimal("10.00")
    content = response.content.decode()
    assert "From 3 final journeys." in content
    assert '<script id="tcv-chart-data" type="application/json">' in content
    assert "js/services/tcv_chart.js" in content
    chart = json.loads(
        content.split('<script id="tcv-chart-data" type="application/json">')[1].split("</script>")[
            0
        ]
    )
    # A histogram of days 4, 6 and 20: bins 2 days wide from 4, one journey in three of them.
    days = next(metric for metric in chart["metrics"] if metric["key"] == "days")
    assert days["labels"][:2] == ["4\u20136", "6\u20138"]
    assert days["labels"][-1] == "20\u201322"
    assert days["counts"] == [1, 1, 0, 0, 0, 0, 0, 0, 1]
    assert [metric["key"] for metric in chart["metrics"]] == ["days", "cost", "visits"]
    # The same numbers in a table under each chart; the latest journeys listed.
    assert "Table: Days" in content and "20\u201322" in content
    assert len(response.context["latest"]) == 3


def test_the_service_page_draws_its_figures_for_an_area_and_a_period(signed_in, mapped, catalogue):
    url = reverse("services:service_detail", args=[mapped.pk])
    elsewhere = JourneyFactory(service=mapped, area=catalogue["other"], observed_on="2024-01-05")
    JourneyStepFactory(journey=elsewhere, elapsed_days=Decimal("100"))
    assert signed_in.get(url).context["distribution"].n == 4

    in_district = signed_in.get(url, {"area": catalogue["district"].code.lower()})
    assert in_district.context["distribution"].n == 3
    assert "From 3 final journeys (filtered)." in in_district.content.decode()
    in_2024 = signed_in.get(url, {"observed_from": "2024-01-01", "observed_to": "2024-12-31"})
    assert in_2024.context["distribution"].n == 1
    assert [j.pk for j in in_2024.context["latest"]] == [elsewhere.pk]
    none = signed_in.get(url, {"observed_from": "2030-01-01"})
    assert "No final journey matches these filters." in none.content.decode()

    wrong = signed_in.get(
        url, {"area": "NOWHERE", "observed_to": "2020-01-01", "observed_from": "2021-01-01"}
    )
    assert wrong.context["distribution"] is None
    content = wrong.content.decode()
    assert "Area: No area has the id or code “NOWHERE”." in content
    assert "Observed until: The last day is before the first." in content
    assert "Correct the filters to see the figures." in content


def test_the_service_page_without_maps_or_journeys(signed_in, catalogue):
    response = signed_in.get(reverse("services:service_detail", args=[catalogue["birth"].pk]))
    content = response.content.decode()
    assert "No process map yet." in content
    assert "No final journeys observed yet." in content
    assert "tcv_chart.js" not in content


def test_only_map_keepers_see_the_editor_links(client, mapped):
    client.force_login(person_in(roles.CIVIL_SERVANT))
    url = reverse("services:service_detail", args=[mapped.pk])
    assert "Edit the steps" not in client.get(url).content.decode()
    client.force_login(person_in(roles.TRAINER))
    content = client.get(url).content.decode()
    assert "Edit the steps of the existing variant" in content
    assert reverse("services:map_editor", args=[mapped.pk, "simplified"]) in content


def test_the_service_page_takes_the_same_queries_for_2_maps_as_for_4_with_more_journeys(
    client, mapped, catalogue, django_assert_num_queries
):
    sign_in_verified(client, person_in(roles.PROGRAMME_MANAGER))
    url = reverse("services:service_detail", args=[mapped.pk])
    # session, user, two-factor device; service, channels; maps, steps, pain points; the
    # service's journeys version, the areas with a wage, the sums, the ranked rows (the
    # distribution); the version, the ranges and a count per measure (the histograms); the
    # latest journeys; groups (may edit maps)
    with django_assert_num_queries(19):
        assert client.get(url).status_code == 200
    for variant in (Variant.SIMPLIFIED, Variant.PILOTED):
        process_map = ProcessMapFactory(service=mapped, variant=variant)
        for _ in range(5):
            MapPainPointFactory(map_step=MapStepFactory(process_map=process_map))
    for _ in range(10):
        journey = JourneyFactory(service=mapped, area=catalogue["district"])
        JourneyStepFactory.create_batch(3, journey=journey)
    with django_assert_num_queries(19):
        response = client.get(url)
    assert len(response.context["rows"]) == 4
    assert response.context["distribution"].n == 13
    # Unchanged since: the figures come from the cache, under the same version.
    with django_assert_num_queries(12):
        assert client.get(url).context["distribution"].n == 13


def test_an_unknown_service_is_404(signed_in):
    assert signed_in.get(reverse("services:service_detail", args=[999999])).status_code == 404


def test_a_bangla_list_of_journeys_names_areas_and_services_in_bangla(signed_in, catalogue):
    from django.conf import settings

    service = catalogue["mutation"]
    service.name_local = "নামজারি"
    service.save()
    area = AreaFactory(code="BD-13-SAVAR", name="Savar", name_local="সাভার")
    JourneyStepFactory(journey=JourneyFactory(service=service, area=area))
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    url = reverse("services:service_journeys", args=[service.pk])
    page = signed_in.get(url).content.decode()
    assert "সাভার" in page and ">Savar<" not in page
    assert "নামজারি" in page  # the breadcrumb back to the service
