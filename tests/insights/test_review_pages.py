"""The monthly reviews' pages: the archive with its filters, asking for one, a review's page
while it is made and once it is, its files; and who may see what."""

from __future__ import annotations

import datetime

import pytest

from innohub.core import roles
from innohub.insights import reports
from innohub.insights.models import MonthlyReport
from tests.accounts.helpers import sign_in_verified
from tests.factories import InnovationTeamFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _report_dir(settings, tmp_path):
    settings.REPORT_DIR = tmp_path / "reports"


def test_asking_for_a_review_and_reading_it(client):
    ministry = OrganisationFactory(name="Ministry of Land", name_local="ভূমি মন্ত্রণালয়")
    sign_in_verified(client, UserFactory(roles=[roles.PROGRAMME_MANAGER]))
    response = client.post("/insights/reviews/", {"organisation": ministry.pk, "month": "2026-10"})
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and response.url == f"/insights/reviews/{report.pk}/"
    waiting = client.get(response.url)
    assert waiting.context["waiting"] and 'http-equiv="refresh"' in waiting.content.decode()
    assert client.get(f"/insights/reviews/{report.pk}/review.pdf").status_code == 404
    reports.make_monthly_report.call(report.pk)
    page = client.get(response.url)
    assert not page.context["waiting"]
    assert [row["now"] for row in page.context["stage_rows"]] == [0, 0, 0, 0, 0, 0]
    assert "ভূমি মন্ত্রণালয়" in page.content.decode()
    pdf = client.get(f"/insights/reviews/{report.pk}/review.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(f"/insights/reviews/{report.pk}/review.doc").status_code == 404
    archive = client.get("/insights/reviews/", {"organisation": ministry.pk})
    assert [r.pk for r in archive.context["pager"]["page"].object_list] == [report.pk]
    september = client.get("/insights/reviews/", {"month": "2026-09"})
    assert not september.context["pager"]["page"].object_list


def test_a_bad_month_is_a_message(client):
    sign_in_verified(client, UserFactory(roles=[roles.PROGRAMME_MANAGER]))
    response = client.post("/insights/reviews/", {"month": "October"})
    assert response.status_code == 200 and "month" in response.context["ask"].errors
    assert not MonthlyReport.objects.exists()


def test_only_those_who_may_read_a_review_see_it(client):
    ministry = OrganisationFactory()
    report = reports.queue_report(by=None, organisation=ministry, month=MONTH)
    client.force_login(UserFactory())
    assert client.get(f"/insights/reviews/{report.pk}/").status_code == 404
    page = client.get("/insights/reviews/")
    assert not page.context["pager"]["page"].object_list and not page.context["may_ask"]
    assert client.post("/insights/reviews/", {"month": "2026-10"}).status_code == 403
    member = UserFactory()
    InnovationTeamFactory(organisation=ministry).members.add(member)
    client.force_login(member)
    assert client.get(f"/insights/reviews/{report.pk}/").status_code == 200
    assert client.get("/insights/reviews/").context["may_ask"]
