"""Contributions: online from anyone while open, other channels from the consultation's
officers, satisfaction, consent for personal data, and the counters kept on write."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innohub.core.errors import Conflict
from innohub.engagement import kpis, services
from innohub.engagement.models import (
    Consultation,
    ConsultationArea,
    Contribution,
    OrganisationArea,
    OrganisationEngagement,
)
from tests.engagement.conftest import days_from_today, open_consultation

pytestmark = pytest.mark.django_db


def say(consultation, text="The queue at the land office takes all day.", **fields):
    fields.setdefault("channel", "online")
    fields.setdefault("client", "203.0.113.7")
    return services.contribute(consultation=consultation, text=text, **fields)


def test_a_citizen_without_an_account_contributes_online_while_it_is_open(consultation):
    contribution = say(consultation, satisfaction=2)
    assert contribution.channel == "online"
    assert contribution.entered_by is None
    assert (contribution.name, contribution.contact, contribution.erase_after) == ("", "", None)
    assert contribution.words.split() == ["queue", "land", "office", "takes", "all", "day"]


@pytest.mark.parametrize(
    ("opens", "closes", "said"),
    [(-10, -1, "closed on"), (1, 10, "opens on")],
)
def test_online_contributions_outside_the_dates_are_a_conflict(place, opens, closes, said):
    consultation = open_consultation(
        place, opens_on=days_from_today(opens), closes_on=days_from_today(closes)
    )
    with pytest.raises(Conflict, match=said):
        say(consultation)
    assert Contribution.objects.count() == 0


def test_officers_enter_words_taken_in_other_channels_even_after_the_close(place):
    consultation = open_consultation(
        place, opens_on=days_from_today(-10), closes_on=days_from_today(-1)
    )
    for channel in ("face_to_face", "phone", "digital_centre"):
        made = say(consultation, channel=channel, by=place["officer"], area=place["dhaka"])
        assert made.entered_by == place["officer"]
    consultation.refresh_from_db()
    assert (consultation.face_to_face, consultation.phone, consultation.digital_centre) == (1, 1, 1)


def test_only_the_consultations_officers_enter_other_channels(consultation, place):
    with pytest.raises(PermissionDenied):
        say(consultation, channel="phone", by=None)
    with pytest.raises(PermissionDenied):
        say(consultation, channel="phone", by=place["stranger"])
    # The ministry's programme manager may (the office is below the ministry).
    say(consultation, channel="phone", by=place["manager"])


def test_a_channel_the_consultation_does_not_take_is_refused_by_name(place):
    consultation = open_consultation(place, channels=["online", "phone"])
    with pytest.raises(ValidationError) as refused:
        say(consultation, channel="face_to_face", by=place["officer"])
    assert set(refused.value.message_dict) == {"channel"}


def test_bad_input_names_every_field_at_once(consultation):
    with pytest.raises(ValidationError) as refused:
        say(consultation, text="  ", satisfaction=6, name="Rahima")
    assert set(refused.value.message_dict) == {"text", "satisfaction", "consent"}
    with pytest.raises(ValidationError) as refused:
        say(consultation, satisfaction=True)
    assert set(refused.value.message_dict) == {"satisfaction"}


def test_a_name_and_contact_are_kept_with_consent_until_the_retention_ends(consultation):
    made = say(consultation, name="Rahima Begum", contact="+880 1711 000000", consent=True)
    assert made.consent is True
    assert made.erase_after == days_from_today(90)
    # Consent without personal data keeps nothing and sets no erasure.
    plain = say(consultation, consent=True)
    assert (plain.consent, plain.erase_after) == (False, None)


def test_names_stay_out_of_the_history(consultation):
    made = say(consultation, name="Rahima Begum", consent=True)
    historical = made.history.model._meta.get_fields()
    assert "name" not in {field.name for field in historical}
    assert "contact" not in {field.name for field in historical}


def test_counters_are_kept_on_the_consultation_its_organisation_and_those_above(
    consultation, place
):
    say(consultation, satisfaction=4, area=place["dhaka"])
    say(consultation, satisfaction=5, area=place["dhaka"])
    say(consultation, area=place["sylhet"])
    say(consultation, channel="phone", by=place["officer"], satisfaction=1)
    consultation.refresh_from_db()
    figures = kpis.figures(consultation)
    assert figures["contributions"] == 4
    assert figures["by_channel"] == {
        "online": 3,
        "face_to_face": 0,
        "phone": 1,
        "digital_centre": 0,
    }
    assert figures["satisfaction"] == {"n": 3, "mean": kpis.cents(kpis.Decimal("10") / 3)}
    assert str(figures["satisfaction"]["mean"]) == "3.33"
    reach = {row.area.code: row.contributions for row in ConsultationArea.objects.all()}
    assert reach == {"BD-13": 2, "BD-60": 1}
    for organisation in (place["office"], place["land"]):
        row = OrganisationEngagement.objects.get(organisation=organisation)
        assert (row.consultations, row.contributions, row.online, row.phone) == (1, 4, 3, 1)
        areas = OrganisationArea.objects.filter(organisation=organisation)
        assert {row.area.code: row.contributions for row in areas} == {"BD-13": 2, "BD-60": 1}
    assert not OrganisationEngagement.objects.filter(organisation=place["health"]).exists()


def test_a_refused_contribution_changes_no_counter(consultation):
    with pytest.raises(ValidationError):
        say(consultation, text="")
    assert Consultation.objects.get(pk=consultation.pk).contributions == 0
