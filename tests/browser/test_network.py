"""The peer network on a phone: a field officer posts a challenge, sees beside it who else in
government works on the same problem — a nurse in another ministry — opens her profile and
follows her, and nominates her for a fellowship; a programme manager hides a comment with a reason the author then reads. Axe
finds nothing serious on the pages, in English and in Bangla."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innohub.core import roles
from innohub.network import fellowships, services
from innohub.network.models import Follow, Nomination, Post
from tests.accounts.helpers import confirmed_device
from tests.browser.conftest import axe_violations, fits_the_phone, sign_in, sign_in_with_code
from tests.factories import OrganisationFactory, ProfileFactory
from tests.geo.conftest import person_in
from tests.pipeline.factories import IdeaFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def colleagues(db):
    land = OrganisationFactory(name="Ministry of Land")
    health = OrganisationFactory(name="Ministry of Health")
    officer = person_in(roles.CIVIL_SERVANT, username="rahim", first_name="Rahim")
    ProfileFactory(user=officer, organisation=land)
    nurse = person_in(roles.CIVIL_SERVANT, username="nasrin", first_name="Nasrin")
    ProfileFactory(user=nurse, organisation=health, position="Senior Staff Nurse")
    IdeaFactory(
        proposer=nurse,
        title="জন্ম নিবন্ধন হাসপাতালেই",
        problem="জন্ম নিবন্ধনের জন্য মা-বাবাকে ইউনিয়ন পরিষদে তিনবার যেতে হয়",
    )
    manager = person_in(roles.PROGRAMME_MANAGER, username="shirin")
    fellowship = fellowships.open_fellowship(
        by=manager,
        title="Bureaucrat hackers 2027",
        seats=3,
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
        panel=[manager],
    )
    return {"officer": officer, "nurse": nurse, "manager": manager, "fellowship": fellowship}


def test_post_a_challenge_and_find_a_colleague_in_another_ministry(
    page: Page, live_server, colleagues
):
    sign_in(page, live_server.url, "rahim")
    page.goto(f"{live_server.url}/network/")
    expect(page.get_by_role("heading", name="No posts yet")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Write a post").first.click()

    page.get_by_label("A challenge").check()
    page.get_by_label("Title").fill("জন্ম নিবন্ধনে তিনবার যাওয়া")
    page.get_by_role("button", name="Publish the post").click()
    # Refused without its text: what was typed is kept, the error names the field.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tell your colleagues")
    expect(page.get_by_label("Title")).to_have_value("জন্ম নিবন্ধনে তিনবার যাওয়া")
    # Who else works on this: the nurse of the Ministry of Health, from her idea.
    panel = page.locator("#similar-ideas")
    expect(panel).to_contain_text("Nasrin")
    expect(panel).to_contain_text("Ministry of Health")
    assert fits_the_phone(page)

    page.get_by_label("Tell your colleagues").fill(
        "মা-বাবাকে জন্ম নিবন্ধন সনদের জন্য ইউনিয়ন পরিষদে তিনবার যেতে হয়। কে সমাধান করেছেন?"
    )
    page.get_by_label("Topics").fill("জন্ম নিবন্ধন, birth registration")
    page.get_by_role("button", name="Publish the post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("জন্ম নিবন্ধনে তিনবার যাওয়া")
    assert Post.objects.get().topics.count() == 2
    assert axe_violations(page) == []
    assert fits_the_phone(page)

    page.locator("#similar-ideas").get_by_role("link", name="Nasrin").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nasrin")
    page.get_by_role("button", name="Follow Nasrin").click()
    expect(page.get_by_role("button", name="Stop following Nasrin")).to_be_visible()
    assert Follow.objects.filter(
        follower=colleagues["officer"], person=colleagues["nurse"]
    ).exists()

    page.goto(f"{live_server.url}/network/?scope=following")
    expect(page.get_by_role("heading", name="No posts match")).to_be_visible()
    page.goto(f"{live_server.url}/network/people/?text=birth+registration+জন্ম+নিবন্ধন")
    expect(page.locator("main")).to_contain_text("Nasrin")
    assert axe_violations(page) == []

    # ... and nominates her for the fellowship, for what she is trying to achieve.
    page.goto(f"{live_server.url}/network/")
    page.get_by_role("link", name="Fellowships").last.click()
    page.get_by_role("link", name="Bureaucrat hackers 2027").click()
    page.get_by_label("Your colleague's username").fill("nasrin")
    page.get_by_label("What are they trying to achieve?").fill(
        "Births registered on the day, at the hospital desk, in every upazila."
    )
    page.get_by_role("button", name="Send the nomination").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The panel will read")
    expect(page.locator("main")).to_contain_text("Your nominations")
    assert Nomination.objects.get().nominee == colleagues["nurse"]
    assert axe_violations(page) == []
    assert fits_the_phone(page)


def test_a_moderator_hides_a_comment_and_its_author_reads_why(page: Page, live_server, colleagues):
    post = services.write_post(
        by=colleagues["nurse"], kind="story", title="A rule bent for good", body="We took scans."
    )
    comment = services.comment_on(
        by=colleagues["officer"], post=post, body="Call my cousin, the broker."
    )
    services.report(
        by=colleagues["nurse"], post=post, comment=comment, reason="Advertises a broker."
    )
    manager = colleagues["manager"]
    device = confirmed_device(manager)

    sign_in_with_code(page, live_server.url, "shirin", device)
    page.goto(f"{live_server.url}/network/moderation/")
    expect(page.locator("main")).to_contain_text("Advertises a broker.")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/network/{post.pk}/")
    page.get_by_role("link", name="Hide the comment").click()
    page.get_by_label("Why?").fill("Advertising a broker.")
    page.get_by_role("button", name="Hide it").click()
    expect(page.locator("main")).to_contain_text("No report is waiting")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "rahim")
    page.goto(f"{live_server.url}/network/{post.pk}/")
    expect(page.locator("main")).to_contain_text("Hidden by a moderator: Advertising a broker.")
    # In Bangla too.
    page.goto(f"{live_server.url}/network/")
    page.get_by_role("button", name="বাংলা").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("নেটওয়ার্ক")
    expect(page.locator("main")).to_contain_text("A rule bent for good")
    assert axe_violations(page) == []
    assert fits_the_phone(page)
