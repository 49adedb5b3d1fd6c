"""Findings from contributions (with suggestions by likeness), responses, and the KPI
arithmetic of docs/api.md: response rate, median days to respond, satisfaction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innohub.engagement import kpis, selectors, services
from innohub.engagement.models import Consultation, OrganisationEngagement
from tests.engagement.conftest import days_from_today, open_consultation
from tests.engagement.test_contributions import say
from tests.pipeline.factories import PilotFactory

pytestmark = pytest.mark.django_db


def finding(consultation, by, contributions, title="Queues at the land office"):
    return services.create_finding(
        by=by, consultation=consultation, title=title, contributions=[c.pk for c in contributions]
    )


def test_a_finding_takes_its_evidence_once(consultation, place):
    first, second = say(consultation), say(consultation, text="Too many visits.")
    made = finding(consultation, place["officer"], [first, second])
    assert made.evidence_count == 2
    assert set(made.evidence.values_list("pk", flat=True)) == {first.pk, second.pk}
    with pytest.raises(ValidationError) as refused:
        finding(consultation, place["officer"], [second])
    assert set(refused.value.message_dict) == {"contributions.0"}


def test_evidence_from_another_consultation_is_refused_by_its_index(consultation, place):
    other = open_consultation(place, title="Birth registration")
    mine, theirs = say(consultation), say(other)
    with pytest.raises(ValidationError) as refused:
        finding(consultation, place["officer"], [mine, theirs])
    assert set(refused.value.message_dict) == {"contributions.1"}
    with pytest.raises(ValidationError) as refused:
        finding(consultation, place["officer"], [])
    assert set(refused.value.message_dict) == {"contributions"}


def test_only_the_consultations_officers_write_findings_and_responses(consultation, place):
    said = say(consultation)
    with pytest.raises(PermissionDenied):
        finding(consultation, place["stranger"], [said])
    made = finding(consultation, place["officer"], [said])
    with pytest.raises(PermissionDenied):
        services.respond(
            by=place["stranger"], finding=made, text="x", responded_on=days_from_today(0)
        )


def test_a_response_in_the_future_is_refused_by_name(consultation, place):
    made = finding(consultation, place["officer"], [say(consultation)])
    with pytest.raises(ValidationError) as refused:
        services.respond(
            by=place["officer"], finding=made, text="", responded_on=days_from_today(1)
        )
    assert set(refused.value.message_dict) == {"text", "responded_on"}


def test_a_pilot_named_makes_the_response_a_pilot(consultation, place):
    made = finding(consultation, place["officer"], [say(consultation)])
    pilot = PilotFactory()
    response = services.respond(
        by=place["officer"], finding=made, text="Piloted a one-stop counter.",
        responded_on=days_from_today(0), pilot=pilot,
    )  # fmt: skip
    assert (response.kind, response.pilot) == ("pilot", pilot)


def test_kpis_follow_the_contract(place):
    """Closed ten days ago. Four findings: answered 3 days before the close, 2 and 5 days
    after (a second, later response changes nothing), one unanswered."""
    consultation = open_consultation(
        place, opens_on=days_from_today(-40), closes_on=days_from_today(-10)
    )
    officer = place["officer"]
    said = [say(consultation, channel="phone", by=officer, satisfaction=s) for s in (1, 2, 4, 5, 5)]
    findings = [finding(consultation, officer, [c], title=f"F{i}") for i, c in enumerate(said[:4])]
    for made, days in zip(findings[:3], (-3, 2, 5), strict=True):
        services.respond(
            by=officer, finding=made, text="Done.", responded_on=days_from_today(-10 + days)
        )
    services.respond(by=officer, finding=findings[1], text="More.", responded_on=days_from_today(0))
    consultation.refresh_from_db()
    figures = kpis.figures(consultation)
    assert figures["findings"] == 4
    assert figures["findings_with_response"] == 3
    assert figures["response_rate_pct"] == Decimal("75.00")
    assert figures["median_days_to_response"] == Decimal("2.00")
    assert figures["satisfaction"] == {"n": 5, "mean": Decimal("3.40")}
    # An earlier response than the first moves the finding's days: 5 becomes -1.
    services.respond(
        by=officer, finding=findings[2], text="Earlier.", responded_on=days_from_today(-11)
    )
    consultation.refresh_from_db()
    assert consultation.response_days == {"-3": 1, "2": 1, "-1": 1}
    assert kpis.figures(consultation)["median_days_to_response"] == Decimal("-1.00")
    # The ministry's roll-up holds the same figures.
    ministry = OrganisationEngagement.objects.get(organisation=place["land"])
    assert kpis.figures(ministry)["response_rate_pct"] == Decimal("75.00")
    assert kpis.figures(ministry)["median_days_to_response"] == Decimal("-1.00")


def test_kpis_without_findings_or_satisfaction_are_null(consultation):
    say(consultation)
    consultation.refresh_from_db()
    figures = kpis.figures(consultation)
    assert figures["response_rate_pct"] is None
    assert figures["median_days_to_response"] is None
    assert figures["satisfaction"] is None


@pytest.mark.parametrize(
    ("histogram", "median"),
    [({}, None), ({"4": 1}, "4.00"), ({"1": 1, "4": 1}, "2.50"), ({"-2": 2, "7": 1}, "-2.00"),
     ({"1": 1, "2": 2, "9": 1}, "2.00")],
)  # fmt: skip
def test_the_median_of_a_histogram(histogram, median):
    found = kpis.median_of(histogram)
    assert (str(found) if found is not None else None) == median


def test_public_figures_suppress_groups_under_five(consultation):
    for _ in range(4):
        say(consultation, satisfaction=5)
    consultation.refresh_from_db()
    shown = kpis.public_figures(consultation)
    assert shown["contributions"] is None
    assert shown["satisfaction"] is None
    say(consultation, satisfaction=3)
    consultation.refresh_from_db()
    shown = kpis.public_figures(consultation)
    assert shown["contributions"] == 5
    assert shown["by_channel"]["online"] == 5
    assert shown["by_channel"]["phone"] is None
    assert shown["satisfaction"] == {"n": 5, "mean": Decimal("4.60")}


def test_alike_contributions_are_suggested_as_one_finding(consultation, place):
    queue = [
        say(consultation, text="The queue at the land office is too long."),
        say(consultation, text="Long queue at the land office every morning."),
        say(consultation, text="জমির অফিসে লম্বা লাইন"),
        say(consultation, text="জমির অফিসে লম্বা লাইন, সারাদিন লাগে"),
    ]
    say(consultation, text="The fee is not written anywhere.")
    suggestions = selectors.suggested_findings(consultation)
    groups = [{c.pk for c in suggestion.contributions} for suggestion in suggestions]
    assert {queue[0].pk, queue[1].pk} in groups
    assert {queue[2].pk, queue[3].pk} in groups
    english = next(s for s in suggestions if queue[0] in s.contributions)
    assert english.words == ["land", "long", "office"]
    made = finding(consultation, place["officer"], [queue[0]], title="Long queues")
    assert selectors.suggested_evidence(made) == [queue[1]]


def test_the_counters_never_count_contributions_again(consultation, django_assert_num_queries):
    say(consultation)
    fresh = Consultation.objects.get(pk=consultation.pk)
    with django_assert_num_queries(0):
        kpis.figures(fresh)
