"""Recording a journey step by step (the secret shopper's phone) and the journey page."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from innohub.core import roles
from innohub.services.models import Journey, JourneyStatus
from tests.factories import AreaFactory
from tests.geo.conftest import person_in
from tests.services.factories import (
    JourneyFactory,
    JourneyPainPointFactory,
    JourneyStepFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(client):
    person = person_in(roles.CIVIL_SERVANT)
    client.force_login(person)
    return person


@pytest.fixture
def service():
    area = AreaFactory(code="BD-13", name="Dhaka", hourly_wage=Decimal("40.00"))
    return ServiceFactory(name="Land mutation", organisation__area=area)


def step(**values) -> dict[str, str]:
    return {
        "title": "Applied at the land office",
        "office": "AC Land",
        "actor": "citizen",
        "documents": "3",
        "elapsed_days": "2",
        "citizen_hours": "4.5",
        "fees": "1150",
        "travel_cost": "120.50",
        "other_cost": "0",
        "visits": "1",
        "pain_category": "",
        "pain_description": "",
        **values,
    }


def start(client, service, **values):
    return client.post(
        reverse("services:journey_start"),
        {
            "service": service.pk,
            "area": "BD-13",
            "observed_on": "2025-05-04",
            "method": "secret_shopper",
            "ref": "DHK-1",
            **values,
        },
    )


def test_starting_a_journey_saves_a_draft_and_asks_for_its_first_step(client, shopper, service):
    response = start(client, service)
    journey = Journey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("services:journey_record", args=[journey.pk])
    assert journey.status == JourneyStatus.DRAFT
    assert journey.observer == shopper
    assert journey.area.code == "BD-13"
    page = client.get(response["Location"]).content.decode()
    assert "Step 1" in page
    assert "Record at least one step before you finish the journey." in page


def test_the_start_page_preselects_the_service(client, shopper, service):
    response = client.get(reverse("services:journey_start"), {"service": service.pk})
    assert response.status_code == 200
    assert f'<option value="{service.pk}" selected>' in response.content.decode()


def test_a_future_date_and_unknown_area_are_refused_with_what_was_typed(client, shopper, service):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = start(client, service, area="BD-99", ref="Mine")
    assert response.status_code == 200
    content = response.content.decode()
    assert "No area has the id or code “BD-99”." in content
    assert 'value="BD-99"' in content and 'value="Mine"' in content
    response = start(client, service, observed_on=tomorrow.isoformat())
    assert "The day observed cannot be in the future." in response.content.decode()
    assert Journey.objects.count() == 0


def test_the_summary_names_every_field_in_error_at_once(client, shopper, service):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = start(client, service, area="BD-99", observed_on=tomorrow.isoformat(), method="")
    summary = response.content.decode().split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert set(response.context["form"].errors) == {"area", "observed_on", "method"}
    assert "Area: No area has the id or code “BD-99”." in summary
    assert "Date the journey began: The day observed cannot be in the future." in summary
    assert "How is it observed?: Choose how the journey is observed." in summary


def test_the_start_page_begins_with_the_area_of_the_officers_office(client, shopper, service):
    from tests.factories import OrganisationFactory, ProfileFactory

    office = OrganisationFactory(area=AreaFactory(code="BD-13-SAVAR"))
    ProfileFactory(user=shopper, organisation=office, area=None)
    form = client.get(reverse("services:journey_start")).context["form"]
    assert form["area"].value() == "BD-13-SAVAR"  # the organisation's, with no area of one's own
    shopper.profile.area = AreaFactory(code="BD-13-DHAMRAI")
    shopper.profile.save()
    form = client.get(reverse("services:journey_start")).context["form"]
    assert form["area"].value() == "BD-13-DHAMRAI"


def test_without_a_profile_the_start_page_leaves_the_area_empty(client, shopper, service):
    assert client.get(reverse("services:journey_start")).context["form"]["area"].value() is None


def test_a_date_before_1990_asks_for_a_second_look_then_saves(client, shopper, service):
    response = start(client, service, observed_on="1985-03-12")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Date the journey began: 12 March 1985 is before 1990: is the year right?" in content
    assert 'type="checkbox" name="confirm_unusual"' in content
    assert 'value="1985-03-12"' in content  # kept as typed
    assert not Journey.objects.exists()

    assert start(client, service, observed_on="1985-03-12", confirm_unusual="on").status_code == 302
    assert Journey.objects.get().observed_on.year == 1985


def test_unusual_step_values_are_marked_each_at_its_field_until_confirmed(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    url = reverse("services:journey_record", args=[journey.pk])
    page = client.get(url).content.decode()
    assert 'type="hidden" name="confirm_unusual"' in page  # no box until something is unusual

    unusual = step(elapsed_days="400", citizen_hours="50", visits="35", fees="5000000")
    response = client.post(url, unusual)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"elapsed_days", "visits", "fees"}  # 50 h fit in 400 days
    content = response.content.decode()
    assert "Elapsed days: More than a year at one step: is 400 right?" in content
    assert "Fees: 5,000,000 is a large amount for one step: is it right?" in content
    assert journey.steps.count() == 0

    hours = client.post(url, step(elapsed_days="1", citizen_hours="30"))
    assert set(hours.context["form"].errors) == {"citizen_hours"}

    assert client.post(url, {**unusual, "confirm_unusual": "on"}).status_code == 302
    assert journey.steps.get().visits == 35


def test_a_reference_used_by_another_journey_is_refused(client, shopper, service):
    JourneyFactory(service=service, ref="DHK-1")
    response = start(client, service)
    assert response.status_code == 200
    assert "Another journey of this service has this reference." in response.content.decode()


def test_each_step_is_saved_on_submit_and_the_journey_can_be_resumed(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    url = reverse("services:journey_record", args=[journey.pk])
    response = client.post(url, step(pain_category="waiting", pain_description="All day"))
    assert response.status_code == 302
    client.post(url, step(title="Hearing", fees="0", visits="2"))
    assert journey.steps.count() == 2
    assert journey.steps.get(position=0).pain_points.get().category == "waiting"

    drafts = client.get(reverse("services:my_drafts")).content.decode()
    assert "Continue: Land mutation" in drafts
    assert "2 steps" in drafts
    page = client.get(url).content.decode()
    assert "Step 3" in page
    assert "So far: 4.00 days, 9.00 citizen hours, 1,391.00\u00a0BDT, 3 visits." in page
    hearing = journey.steps.get(position=1)
    client.post(reverse("services:journey_remove_step", args=[journey.pk, hearing.pk]))
    page = client.get(url).content.decode()
    assert "So far: 2.00 days, 4.50 citizen hours, 1,270.50\u00a0BDT, 1 visit." in page


def test_bad_step_input_rerenders_with_an_error_per_field(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    response = client.post(
        reverse("services:journey_record", args=[journey.pk]),
        step(title="", elapsed_days="two", visits="-1", fees="1.234", pain_description="Rude"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    form = response.context["form"]
    assert set(form.errors) == {"title", "elapsed_days", "visits", "fees", "pain_category"}
    assert "There is a problem" in content
    assert 'value="two"' in content and 'value="-1"' in content
    assert "Enter a number, like 2 or 1.5." in content
    assert "Choose what kind of pain point this is." in content
    assert journey.steps.count() == 0


def test_a_nul_character_is_refused_not_a_500(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    response = client.post(
        reverse("services:journey_record", args=[journey.pk]), step(title="Office\x00")
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors


def test_finishing_needs_a_step_then_makes_the_journey_final(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    finish = reverse("services:journey_finish", args=[journey.pk])
    response = client.post(finish, follow=True)
    assert "A final journey has at least one step." in response.content.decode()
    journey.refresh_from_db()
    assert journey.status == JourneyStatus.DRAFT

    client.post(reverse("services:journey_record", args=[journey.pk]), step())
    response = client.post(finish)
    assert response["Location"] == reverse("services:journey_detail", args=[journey.pk])
    journey.refresh_from_db()
    assert journey.status == JourneyStatus.FINAL
    assert "Continue" not in client.get(reverse("services:my_drafts")).content.decode()


def test_a_step_recorded_by_mistake_can_be_removed(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    url = reverse("services:journey_record", args=[journey.pk])
    client.post(url, step(title="First"))
    client.post(url, step(title="Wrong"))
    client.post(url, step(title="Third"))
    wrong = journey.steps.get(title="Wrong")
    client.post(reverse("services:journey_remove_step", args=[journey.pk, wrong.pk]))
    assert list(journey.steps.order_by("position").values_list("title", flat=True)) == [
        "First",
        "Third",
    ]


def test_someone_else_may_not_record_steps_of_my_journey(client, service):
    journey = JourneyFactory(service=service, status=JourneyStatus.DRAFT)
    client.force_login(person_in(roles.CIVIL_SERVANT))
    assert client.get(reverse("services:journey_record", args=[journey.pk])).status_code == 403
    assert client.post(reverse("services:journey_finish", args=[journey.pk])).status_code == 403
    assert (
        client.post(reverse("services:journey_record", args=[journey.pk]), step()).status_code
        == 403
    )
    assert journey.steps.count() == 0


@pytest.fixture
def observed(service):
    journey = JourneyFactory(service=service, area=service.organisation.area, ref="DHK-9")
    JourneyStepFactory(journey=journey, title="Bought forms", elapsed_days=Decimal("1"))
    waited = JourneyStepFactory(journey=journey, title="Waited for hearing", visits=3)
    JourneyPainPointFactory(journey_step=waited, category="informal_payment", description="Tea")
    return journey


def test_the_journey_page_draws_the_timeline_and_totals(client, shopper, observed):
    response = client.get(reverse("services:journey_detail", args=[observed.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("1. Bought forms") < content.index("2. Waited for hearing")
    assert "govuk-tag--red" in content
    assert "Informal payment: Tea" in content
    tcv = response.context["tcv"]
    assert (tcv.days, tcv.hours, tcv.cost, tcv.visits) == (
        Decimal("3.00"),
        Decimal("6.00"),
        Decimal("300.00"),
        4,
    )
    assert "3.00 days, of which 6.00 hours" in content
    # Opportunity cost apart: 6 hours at 40 an hour.
    assert response.context["opportunity_cost"] == Decimal("240.00")
    assert "240.00\u00a0BDT" in content


def test_edit_links_only_for_who_may_change_the_journey(client, observed):
    url = reverse("services:journey_detail", args=[observed.pk])
    record = reverse("services:journey_record", args=[observed.pk])
    client.force_login(person_in(roles.CIVIL_SERVANT))
    assert record not in client.get(url).content.decode()
    client.force_login(observed.observer)
    assert record in client.get(url).content.decode()


def draft_of(shopper, service, *, steps: int) -> Journey:
    journey = JourneyFactory(service=service, observer=shopper, status=JourneyStatus.DRAFT)
    for _ in range(steps):
        JourneyPainPointFactory(journey_step=JourneyStepFactory(journey=journey))
    return journey


def test_my_drafts_take_the_same_queries_for_2_drafts_as_for_12(
    client, shopper, service, django_assert_num_queries
):
    for _ in range(2):
        draft_of(shopper, service, steps=1)
    # session, user, groups, count, page (with service, area and each draft's step count):
    # the steps themselves are never loaded
    with django_assert_num_queries(5):
        small = client.get(reverse("services:my_drafts"))
    assert len(small.context["pager"]["page"].object_list) == 2
    for _ in range(10):
        draft_of(shopper, service, steps=6)
    with django_assert_num_queries(5):
        large = client.get(reverse("services:my_drafts"))
    assert len(large.context["pager"]["page"].object_list) == 12
    assert "6 steps" in large.content.decode()


@pytest.mark.parametrize(
    ("page", "queries"),
    [
        # session, user, groups, the journey (with service, area, observer), steps, their pain
        # points, the wage of the nearest area up the tree
        ("services:journey_detail", 7),
        # session, user, groups, the journey (with service, area, observer), steps, pain points
        ("services:journey_record", 6),
    ],
)
def test_the_journey_pages_take_the_same_queries_for_1_step_as_for_8(
    client, shopper, service, page, queries, django_assert_num_queries
):
    journey = draft_of(shopper, service, steps=1)
    url = reverse(page, args=[journey.pk])
    with django_assert_num_queries(queries):
        assert len(client.get(url).context["steps"]) == 1
    for _ in range(7):
        JourneyPainPointFactory(journey_step=JourneyStepFactory(journey=journey))
    with django_assert_num_queries(queries):
        assert len(client.get(url).context["steps"]) == 8


def test_office_and_actor_are_carried_over_from_the_step_before(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    url = reverse("services:journey_record", args=[journey.pk])
    first = client.get(url).context["form"].initial
    assert set(first) == {"client_id"}  # a new id for each step, nothing carried yet
    client.post(url, step(office="Upazila Land Office", actor="clerk"))
    form = client.get(url).context["form"]
    assert form.initial == {
        "office": "Upazila Land Office",
        "actor": "clerk",
        "client_id": form.initial["client_id"],
    }
    assert form.initial["client_id"] != first["client_id"]


def test_a_saved_step_is_changed_in_place_keeping_its_other_pain_points(client, shopper, service):
    from innohub.services import totals

    start(client, service)
    journey = Journey.objects.get()
    url = reverse("services:journey_record", args=[journey.pk])
    client.post(url, step(title="First", visits="1"))
    client.post(url, step(title="Hearing", visits="1", pain_category="waiting"))
    hearing = journey.steps.get(title="Hearing")
    JourneyPainPointFactory(journey_step=hearing, category="staff", description="Rude")
    edit = reverse("services:journey_edit_step", args=[journey.pk, hearing.pk])

    page = client.get(edit)
    assert page.context["form"].initial["title"] == "Hearing"
    assert "Change step 2" in page.content.decode()
    refused = client.post(
        edit, {**page.context["form"].initial, "visits": "-2", "title": "Hearing"}
    )
    assert "Visits to an office: Enter 0 or more." in refused.content.decode()
    changed = client.post(edit, {**page.context["form"].initial, "visits": "3", "fees": "10"})
    assert changed.status_code == 302

    steps = list(journey.steps.order_by("position"))
    assert [s.title for s in steps] == ["First", "Hearing"]
    assert steps[1].visits == 3
    assert sorted(p.category for p in steps[1].pain_points.all()) == ["staff", "waiting"]
    journey.refresh_from_db()
    assert totals.stored_tcv(journey).visits == 4


def test_a_step_records_several_pain_points_without_javascript(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    url = reverse("services:journey_record", args=[journey.pk])
    page = client.get(url).content.decode()
    assert "More pain points at this step" in page
    assert '<details class="govuk-details">' in page  # folded while empty

    refused = client.post(
        url, step(pain_category="waiting", pain_description_2="Asked for tea money")
    )
    content = refused.content.decode()
    assert "Pain point 2: Choose what kind of pain point this is." in content
    assert '<details class="govuk-details" open>' in content  # the error is in view
    assert "Asked for tea money" in content
    assert journey.steps.count() == 0

    client.post(
        url,
        step(
            pain_category="waiting",
            pain_description="All day",
            pain_category_2="informal_payment",
            pain_description_2="Asked for tea money",
            pain_category_3="documents",
        ),
    )
    saved = journey.steps.get()
    assert [(p.category, p.description) for p in saved.pain_points.order_by("id")] == [
        ("waiting", "All day"),
        ("informal_payment", "Asked for tea money"),
        ("documents", ""),
    ]


def test_editing_a_step_keeps_pain_points_beyond_those_the_form_shows(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    client.post(reverse("services:journey_record", args=[journey.pk]), step(title="Hearing"))
    hearing = journey.steps.get()
    for category in ("waiting", "staff", "documents", "information"):
        JourneyPainPointFactory(journey_step=hearing, category=category, description=category)
    edit = reverse("services:journey_edit_step", args=[journey.pk, hearing.pk])
    form = client.get(edit).context["form"]
    assert form.initial["pain_category_3"] == "documents"
    cleared = {**form.initial, "pain_category_2": "", "pain_description_2": ""}
    assert client.post(edit, cleared).status_code == 302
    # The second one cleared by the officer; the fourth, which the form never showed, kept.
    assert sorted(p.category for p in journey.steps.get().pain_points.all()) == [
        "documents",
        "information",
        "waiting",
    ]


def test_removing_a_step_asks_first(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    client.post(reverse("services:journey_record", args=[journey.pk]), step(title="Wrong"))
    wrong = journey.steps.get()
    url = reverse("services:journey_remove_step", args=[journey.pk, wrong.pk])
    confirm = client.get(url).content.decode()
    assert "Remove step 1?" in confirm and "Wrong" in confirm
    assert journey.steps.count() == 1  # asking removes nothing
    response = client.post(url)
    assert response.status_code == 302 and journey.steps.count() == 0


def test_a_draft_can_be_discarded_once_confirmed_but_a_final_journey_cannot(
    client, shopper, service
):
    start(client, service)
    draft = Journey.objects.get()
    url = reverse("services:journey_discard", args=[draft.pk])
    assert "Discard this draft?" in client.get(url).content.decode()
    assert Journey.objects.count() == 1
    response = client.post(url)
    assert response["Location"] == reverse("services:my_drafts")
    assert not Journey.objects.exists()

    final = JourneyFactory(service=service, observer=shopper)
    response = client.post(reverse("services:journey_discard", args=[final.pk]), follow=True)
    assert "Only a draft can be discarded" in response.content.decode()
    assert Journey.objects.filter(pk=final.pk).exists()
    someone_elses = JourneyFactory(service=service, status=JourneyStatus.DRAFT)
    assert (
        client.post(reverse("services:journey_discard", args=[someone_elses.pk])).status_code == 403
    )


def test_the_recorder_page_saves_a_form_sent_twice_once(client, shopper, service):
    start(client, service)
    journey = Journey.objects.get()
    url = reverse("services:journey_record", args=[journey.pk])
    page = client.get(url).content.decode()
    assert 'type="hidden" name="client_id"' in page
    made = str(uuid.uuid4())
    assert client.post(url, {**step(), "client_id": made}).status_code == 302
    assert client.post(url, {**step(), "client_id": made}).status_code == 302
    assert journey.steps.count() == 1
    assert client.post(url, {**step(), "client_id": str(uuid.uuid4())}).status_code == 302
    assert journey.steps.count() == 2


def test_start_pressed_twice_starts_one_draft(client, shopper, service):
    page = client.get(reverse("services:journey_start")).content.decode()
    assert 'type="hidden" name="client_id"' in page
    made = str(uuid.uuid4())
    first = start(client, service, client_id=made)
    again = start(client, service, client_id=made)  # a double tap, or a resend
    journey = Journey.objects.get()
    assert journey.client_id == uuid.UUID(made)
    assert (
        first["Location"]
        == again["Location"]
        == reverse("services:journey_record", args=[journey.pk])
    )
