"""Fellowship and recognition pages: opening a call, nominating (and being refused with what
was typed kept), the panel scoring, the decision, the circle, recognising a colleague, and a
ministry's report for promotion boards, read back from its PDF."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from innohub.core import roles
from innohub.network import fellowships
from innohub.network.models import Fellowship, Nomination, NominationReview, Recognition
from tests.accounts.helpers import sign_in_verified
from tests.factories import OrganisationFactory, ProfileFactory, UserFactory
from tests.geo.conftest import person_in
from tests.pipeline.factories import IdeaFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def manager(client):
    person = person_in(roles.PROGRAMME_MANAGER)
    return person


def web(client, user):
    client.force_login(user)
    return client


def test_a_manager_opens_a_fellowship_naming_the_panel(client, manager):
    panel = [UserFactory(username="rina"), UserFactory(username="tapan")]
    sign_in_verified(client, manager)
    page = client.get(reverse("network:fellowship_new"))
    assert page.status_code == 200
    refused = client.post(
        reverse("network:fellowship_new"),
        {"title": "Hackers", "seats": "3", "closes_on": str(TODAY), "panel": "rina, nobody"},
    )
    html = refused.content.decode()
    assert "Nobody has the username “nobody”." in html and 'value="Hackers"' in html
    made = client.post(
        reverse("network:fellowship_new"),
        {"title": "Hackers", "seats": "3", "closes_on": str(TODAY), "panel": "RINA, tapan"},
    )
    fellowship = Fellowship.objects.get()
    assert made["Location"] == reverse("network:fellowship_detail", args=[fellowship.pk])
    assert set(fellowship.panel.all()) == set(panel)
    assert web(client, UserFactory()).get(reverse("network:fellowship_new")).status_code == 403


def test_nominate_score_decide_and_the_circle(client, manager):
    panel_member = UserFactory(username="rina")
    fellowship = fellowships.open_fellowship(
        by=manager, title="Hackers", seats=1, closes_on=TODAY, panel=[panel_member]
    )
    nominee = UserFactory(username="karim", first_name="Karim")
    nominator = UserFactory()
    page = web(client, nominator)
    url = reverse("network:fellowship_detail", args=[fellowship.pk])
    myself = page.post(url, {"nominee": nominator.username, "aims": "Me"})
    assert "Nominate a colleague, not yourself." in myself.content.decode()
    done = page.post(url, {"nominee": "KARIM", "aims": "One visit for a land record."})
    assert done.status_code == 302 and Nomination.objects.get().nominee == nominee
    twice = page.post(url, {"nominee": "karim", "aims": "Again"})
    assert "already nominated" in twice.content.decode()
    assert "Your nominations" in page.get(url).content.decode()

    panel_page = web(client, panel_member)
    html = panel_page.get(url).content.decode()
    assert "One visit for a land record." in html and "Your score for Karim" in html
    nomination = Nomination.objects.get()
    panel_page.post(reverse("network:nomination_review", args=[nomination.pk]), {"score": "4"})
    assert NominationReview.objects.get().score == 4
    assert "You have scored this nomination." in panel_page.get(url).content.decode()

    sign_in_verified(client, manager)
    standings = client.get(url).content.decode()
    assert "Standings" in standings and "4.00" in standings
    client.post(reverse("network:fellowship_decide", args=[fellowship.pk]))
    assert list(fellowship.fellows.values_list("user__username", flat=True)) == ["karim"]

    fellow_page = web(client, nominee)
    assert "check-ins, asks and offers" in fellow_page.get(url).content.decode()
    circle = reverse("network:fellowship_circle", args=[fellowship.pk])
    fellow_page.post(circle, {"kind": "ask", "text": "Who knows e-Nothi?"})
    assert "Who knows e-Nothi?" in fellow_page.get(circle).content.decode()
    assert web(client, UserFactory()).get(circle).status_code == 403


def test_recognising_a_colleague_shows_on_their_profile(client):
    colleague = UserFactory(username="nasrin", first_name="Nasrin")
    page = web(client, UserFactory())
    form = page.get(reverse("network:recognise", args=["nasrin"])).content.decode()
    assert "An award" not in form  # endorsements only, for those who are not moderators
    page.post(reverse("network:recognise", args=["nasrin"]), {"kind": "award", "citation": "x"})
    assert not Recognition.objects.exists()
    page.post(
        reverse("network:recognise", args=["nasrin"]),
        {"kind": "endorsement", "citation": "She taught us the one-stop counter."},
    )
    profile = page.get(reverse("accounts:person", args=["nasrin"])).content.decode()
    assert "She taught us the one-stop counter." in profile
    assert Recognition.objects.get().user == colleague


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_a_ministrys_recognition_report_reads_back_from_its_pdf(client, manager):
    ministry = OrganisationFactory(name="Ministry of Land")
    office = OrganisationFactory(name="Land Office Savar", parent=ministry, kind="office")
    elsewhere = OrganisationFactory(name="Ministry of Health")
    officer, nurse = UserFactory(first_name="Rahim"), UserFactory(first_name="Nasrin")
    ProfileFactory(user=officer, organisation=office, position="AC Land")
    ProfileFactory(user=nurse, organisation=elsewhere)
    IdeaFactory(proposer=officer)
    fellowships.recognise(by=manager, user=officer, kind="award", citation="জাহান সনদ")
    fellowships.recognise(by=manager, user=nurse, kind="award", citation="Birth registration")
    assert web(client, UserFactory()).get(reverse("network:recognition_report")).status_code == 403

    reviewer = person_in(roles.SENIOR_REVIEWER)
    page = web(client, reviewer)
    html = page.get(reverse("network:recognition_report"), {"organisation": ministry.pk})
    assert "Rahim" in html.content.decode() and "Nasrin" not in html.content.decode()
    pdf = page.get(
        reverse("network:recognition_report"), {"organisation": ministry.pk, "format": "pdf"}
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Ministry of Land" in text and "Rahim" in text and "AC Land" in text
    # pdftotext may reorder a vowel sign drawn before its letter: words without one.
    assert "জাহান" in text and "Nasrin" not in text
    empty = page.get(reverse("network:recognition_report"), {"organisation": elsewhere.pk + 99})
    assert empty.status_code == 200
