"""The hand-built place of the insights tests: two districts, two ministries with offices,
and pilots, ideas and people trained in them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from innohub.geo.models import Level
from innohub.pipeline.models import ScaleUp
from innohub.training.models import Trained
from tests.factories import AreaFactory, OrganisationFactory, UserFactory
from tests.pipeline.factories import IdeaFactory, PilotFactory
from tests.training.factories import CohortFactory


@pytest.fixture
def land(django_capture_on_commit_callbacks):
    """Two districts (two subdistricts in the first), two ministries with offices, and
    pilots, ideas and people trained in them."""
    country = AreaFactory(code="BD")
    dhaka = AreaFactory(code="BD-13", level=Level.DISTRICT, parent=country)
    savar = AreaFactory(code="BD-13-S", level=Level.SUBDISTRICT, parent=dhaka)
    dhamrai = AreaFactory(code="BD-13-D", level=Level.SUBDISTRICT, parent=dhaka)
    gazipur = AreaFactory(code="BD-18", level=Level.DISTRICT, parent=country)
    lands = OrganisationFactory(name="Ministry of Land", area=country)
    savar_office = OrganisationFactory(parent=lands, kind="office", area=savar)
    dhamrai_office = OrganisationFactory(parent=lands, kind="office", area=dhamrai)
    health = OrganisationFactory(name="Ministry of Health", area=country)
    gazipur_office = OrganisationFactory(parent=health, kind="office", area=gazipur)
    with django_capture_on_commit_callbacks(execute=True):
        completed = PilotFactory(
            organisation=savar_office, area=savar, status="completed", budget=Decimal("500.00"),
            spent=Decimal("450.00"), citizens_reached=12_000, ended_on=datetime.date(2026, 5, 20),
            started_on=datetime.date(2026, 1, 10),
        )  # fmt: skip
        PilotFactory(
            organisation=savar_office, area=savar, status="ongoing", budget=Decimal("100.00"),
            spent=Decimal("40.00"), started_on=datetime.date(2026, 3, 2),
        )  # fmt: skip
        # A replication is a pilot like any other; the original counts as replicated.
        PilotFactory(
            organisation=dhamrai_office, area=dhamrai, status="ongoing", replicates=completed,
            idea=completed.idea, started_on=datetime.date(2026, 6, 1),
        )  # fmt: skip
        PilotFactory(organisation=dhamrai_office, area=dhamrai, status="discontinued")
        PilotFactory(organisation=gazipur_office, area=gazipur, status="draft")  # not a pilot yet
        PilotFactory(
            organisation=gazipur_office, area=gazipur, status="ongoing", currency="EUR",
            budget=Decimal("70.00"),
        )  # fmt: skip
        ScaleUp.objects.create(
            pilot=completed, decided_on=datetime.date(2026, 6, 15), by=UserFactory()
        )
        for organisation, area in ((savar_office, savar), (savar_office, savar), (health, None)):
            IdeaFactory(organisation=organisation, area=area)
        cohort = CohortFactory()
        for organisation, area, on in (
            (savar_office, savar, datetime.date(2026, 2, 5)),
            (gazipur_office, gazipur, datetime.date(2026, 2, 5)),
        ):
            Trained.objects.create(
                user=UserFactory(), cohort=cohort, on=on, organisation=organisation, area=area
            )
    return locals()
