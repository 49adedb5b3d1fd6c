from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innohub.geo.models import Level
from innohub.services import selectors, tcv
from innohub.services.models import Channel, Journey, JourneyStep, ServiceChannel
from tests.factories import AreaFactory, OrganisationFactory
from tests.services.factories import (
    JourneyFactory,
    JourneyStepFactory,
    MapStepFactory,
    ProcessMapFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    country = AreaFactory(code="BD", hourly_wage=Decimal("50.00"), wage_currency="BDT")
    district = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=country)
    upazila = AreaFactory(
        code="BD-13-S",
        level=Level.SUBDISTRICT,
        parent=district,
        hourly_wage=Decimal("80.00"),
        wage_currency="BDT",
    )
    other = AreaFactory(code="XX")
    return {"country": country, "district": district, "upazila": upazila, "other": other}


def test_hourly_wage_is_the_nearest_up_the_tree(tree, django_assert_num_queries):
    assert selectors.hourly_wage_for(tree["upazila"]) == Decimal("80.00")
    with django_assert_num_queries(1):
        assert selectors.hourly_wage_for(tree["district"]) == Decimal("50.00")
    assert selectors.hourly_wage_for(tree["other"]) is None


def test_service_list_filters_organisation_and_area_subtrees_and_channel(tree):
    ministry = OrganisationFactory(area=tree["country"])
    office = OrganisationFactory(parent=ministry, kind="office", area=tree["upazila"])
    elsewhere = OrganisationFactory(area=tree["other"])
    in_office = ServiceFactory(name="Pension", organisation=office)
    in_ministry = ServiceFactory(name="Licence", organisation=ministry)
    ServiceFactory(name="Birth", organisation=elsewhere)
    ServiceChannel.objects.create(service=in_office, channel=Channel.ONLINE)

    assert list(selectors.service_list(organisation=ministry.pk)) == [in_ministry, in_office]
    assert list(selectors.service_list(area="BD-13")) == [in_office]
    assert list(selectors.service_list(channel="online")) == [in_office]
    assert list(selectors.service_list(q="pens")) == [in_office]


def test_journey_list_gives_the_nearest_wage_in_one_query_for_all_the_rows(
    tree, django_assert_num_queries
):
    for area in (tree["district"], tree["upazila"], tree["other"]):
        JourneyStepFactory(journey=JourneyFactory(area=area), citizen_hours=Decimal("2"))
    # the area filter, journeys, the nearest wages of their areas, steps, pain points
    with django_assert_num_queries(5):
        journeys = list(selectors.journey_list(area="BD"))
        costs = [selectors.journey_opportunity_cost(j) for j in journeys]
        tcvs = [selectors.journey_tcv(j) for j in journeys]
    assert sorted(costs) == [Decimal("100.00"), Decimal("160.00")]
    assert [t.hours for t in tcvs] == [Decimal("2.00")] * 2


def test_distribution_counts_final_journeys_only_with_hand_computed_figures(tree):
    service = ServiceFactory()
    days = [Decimal("1"), Decimal("2"), Decimal("3"), Decimal("10")]
    for index, d in enumerate(days):
        journey = JourneyFactory(
            service=service, area=tree["district"], observed_on=datetime.date(2025, 1, 1 + index)
        )
        JourneyStepFactory(journey=journey, elapsed_days=d, citizen_hours=Decimal("1"), visits=1)
        JourneyStepFactory(journey=journey, elapsed_days=0, citizen_hours=Decimal("1"), visits=2)
    draft = JourneyFactory(service=service, area=tree["district"], status="draft")
    JourneyStepFactory(journey=draft, elapsed_days=Decimal("999"))

    result = selectors.tcv_distribution(service=service)

    assert result.n == 4
    # days 1, 2, 3, 10: mean 4, median 2.5, p90 (inclusive) = 3 + 0.7*(10-3) = 7.9
    assert (result.days.mean, result.days.median, result.days.p90) == (
        Decimal("4.00"),
        Decimal("2.50"),
        Decimal("7.90"),
    )
    assert result.visits.mean == Decimal("3.00")
    # 2 hours at the district's inherited wage 50 → 100 each
    assert result.opportunity_cost.mean == Decimal("100.00")
    window = selectors.tcv_distribution(
        service=service,
        observed_from=datetime.date(2025, 1, 2),
        observed_to=datetime.date(2025, 1, 3),
    )
    assert window.n == 2
    assert selectors.tcv_distribution(service=service, area=tree["other"]).n == 0
    assert selectors.tcv_distribution(service=service, area=tree["other"]).days is None


def test_variant_comparison_gives_each_map_its_difference_to_the_existing_one():
    service = ServiceFactory()
    existing = ProcessMapFactory(service=service, variant="existing")
    MapStepFactory(process_map=existing, visits=5, elapsed_days=Decimal("20"))
    digital = ProcessMapFactory(service=service, variant="digital")
    MapStepFactory(process_map=digital, visits=1, elapsed_days=Decimal("3"))
    simplified = ProcessMapFactory(service=service, variant="simplified")

    rows = selectors.variant_comparison(service=service)

    assert [r.process_map for r in rows] == [existing, simplified, digital]
    assert rows[0].difference is None
    assert rows[2].difference.visits == -4
    assert rows[2].difference.days == Decimal("-17.00")
    assert rows[1].tcv.visits == 0


def test_nearest_wages_of_many_areas_take_one_query_and_none_when_all_have_their_own(
    tree, django_assert_num_queries
):
    with django_assert_num_queries(1):
        wages = selectors.nearest_wages([tree["district"], tree["upazila"], tree["other"]])
    assert wages == {
        tree["district"].pk: Decimal("50.00"),  # the country's, from up the tree
        tree["upazila"].pk: Decimal("80.00"),  # its own
        tree["other"].pk: None,  # none anywhere above
    }
    with django_assert_num_queries(0):
        assert selectors.nearest_wages([tree["upazila"], tree["country"]]) == {
            tree["upazila"].pk: Decimal("80.00"),
            tree["country"].pk: Decimal("50.00"),
        }


# --- The distribution in SQL is the distribution in Python --------------------------------

hundredths = st.decimals(min_value=0, max_value=Decimal("99999.99"), places=2)


@pytest.fixture
def odd_wages():
    """Wages whose products with hours end in half a cent: rounding is tested too."""
    country = AreaFactory(code="OW", hourly_wage=Decimal("37.35"), wage_currency="BDT")
    district = AreaFactory(code="OW-1", level=Level.DISTRICT, parent=country)
    union = AreaFactory(
        code="OW-1-U",
        level=Level.UNION,
        parent=district,
        hourly_wage=Decimal("12.49"),
        wage_currency="BDT",
    )
    nowhere = AreaFactory(code="NW")
    return [country, district, union, nowhere]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    journeys=st.lists(
        st.tuples(
            st.integers(0, 3),  # the area
            st.lists(st.tuples(hundredths, hundredths, hundredths, st.integers(0, 40)), max_size=3),
            st.integers(1, 28),  # the day observed
            st.booleans(),  # final
        ),
        max_size=25,
    ),
    within=st.sampled_from([None, 0, 1, 2, 3]),
    dates=st.sampled_from([(None, None), (5, 20), (10, 10)]),
)
def test_the_distribution_in_sql_is_the_distribution_over_the_steps_to_the_cent(
    odd_wages, journeys, within, dates
):
    service = ServiceFactory()
    for area_index, steps, day, final in journeys:
        journey = JourneyFactory(
            service=service,
            area=odd_wages[area_index],
            observed_on=datetime.date(2025, 2, day),
            status="final" if final else "draft",
        )
        for days, hours, fees, visits in steps:
            JourneyStepFactory(
                journey=journey,
                elapsed_days=days,
                citizen_hours=hours,
                fees=fees,
                travel_cost=Decimal("0.01"),
                visits=visits,
            )
    area = None if within is None else odd_wages[within]
    first, last = (None if d is None else datetime.date(2025, 2, d) for d in dates)

    got = selectors.tcv_distribution(
        service=service, area=area, observed_from=first, observed_to=last
    )

    counted = [
        journey
        for journey in Journey.objects.filter(service=service, status="final")
        if (area is None or journey.area.path.startswith(area.path))
        and (first is None or journey.observed_on >= first)
        and (last is None or journey.observed_on <= last)
    ]
    expected = tcv.distribution(
        [tcv.tcv_of(JourneyStep.objects.filter(journey=j)) for j in counted],
        hourly_wages=[selectors.hourly_wage_for(j.area) for j in counted],
    )
    assert got == expected


def test_the_distribution_is_cached_until_a_journey_of_the_service_changes(
    tree, django_assert_num_queries
):
    service = ServiceFactory()
    JourneyStepFactory(journey=JourneyFactory(service=service, area=tree["district"]), visits=2)
    assert selectors.tcv_distribution(service=service).visits.mean == Decimal("2.00")
    with django_assert_num_queries(1):  # the version: the figures come from the cache
        assert selectors.tcv_distribution(service=service).n == 1
    JourneyStepFactory(journey=JourneyFactory(service=service, area=tree["district"]), visits=4)
    assert selectors.tcv_distribution(service=service).visits.mean == Decimal("3.00")
    # Another service's journeys leave its cache alone.
    JourneyStepFactory(journey=JourneyFactory(area=tree["district"]), visits=9)
    with django_assert_num_queries(1):
        assert selectors.tcv_distribution(service=service).n == 2


@pytest.mark.parametrize(
    ("span", "width"),
    [
        (0, 1),
        (9, 1),
        (10, 2),
        (19, 2),
        (20, 5),
        (60, 10),
        (180, 20),
        (240, 25),
        (400, 50),
        (1999, 200),
    ],
)
def test_a_histograms_bins_are_round_and_at_most_eleven(span, width):
    assert selectors.bin_width(span) == width
    # The span fits in HISTOGRAM_BINS bins; one more at most when the first starts lower.
    assert span // width < selectors.HISTOGRAM_BINS


def test_histograms_count_every_final_journey_in_round_bins(tree):
    service = ServiceFactory()
    for days, area in (
        ("0.5", "district"),
        ("3", "district"),
        ("7.25", "upazila"),
        ("19", "upazila"),
    ):
        JourneyStepFactory(
            journey=JourneyFactory(service=service, area=tree[area]),
            elapsed_days=Decimal(days),
            visits=1,
        )
    JourneyStepFactory(journey=JourneyFactory(service=service, status="draft"), elapsed_days=99)

    days = selectors.tcv_histograms(service=service)["days"]

    assert [(b.low, b.high) for b in days[:2]] == [(0, 2), (2, 4)]  # 2 days wide from 0
    assert [b.count for b in days] == [1, 1, 0, 1, 0, 0, 0, 0, 0, 1]
    assert sum(b.count for b in days) == 4  # the draft is not counted
    assert [(b.low, b.count) for b in selectors.tcv_histograms(service=service)["visits"]] == [
        (1, 4)
    ]
    below = selectors.tcv_histograms(service=service, area=tree["upazila"])["days"]
    assert sum(b.count for b in below) == 2 and below[0].low == 6  # 7.25 and 19, from 6
    assert selectors.tcv_histograms(service=ServiceFactory())["days"] == []
