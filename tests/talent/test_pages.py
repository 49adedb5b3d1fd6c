"""Free Agents' challenge pages as people use them: the list and its filters, posting and
changing a challenge, its explained candidates in few queries, and an offer through its whole
life — offered, accepted, started, closed with a review — and the pages in Bangla."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innohub.accounts.models import UserSkill
from innohub.orgs.models import Organisation
from innohub.talent import services, views
from innohub.talent.forms import SKILL_ROWS
from innohub.talent.models import Assignment, AssignmentStatus, Challenge, SkillEvidence
from tests.factories import OrganisationFactory, UserFactory
from tests.talent.factories import agent, challenge, days, manager
from tests.talent.page_helpers import (
    asked_challenge,
    challenge_form,
    four_skills,
    html,
    signed,
    team_manager,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills():
    return four_skills()


@pytest.fixture
def asked(skills):
    return asked_challenge(skills)


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_open_challenges_with_their_facts_in_few_queries(client, user, skills):
    land = OrganisationFactory(name="Ministry of Land")
    challenge(
        {skills["Procurement"]: 3},
        title="Land records in a day",
        organisation=land,
        seats=3,
        location="Savar",
        remote=True,
    )
    challenge({skills["User research"]: 2}, title="Started already", starts_on=days(-10))
    page = signed(client, user)
    page.get(reverse("talent:challenge_list"))
    with CaptureQueriesContext(connection) as one:
        first = page.get(reverse("talent:challenge_list"))
    text = html(first)
    assert first.status_code == 200
    assert "Land records in a day" in text and "Started already" not in text
    assert "Ministry of Land" in text and "Savar, or remotely" in text
    assert "3 of 3" in text and "Procurement (Experienced)" in text
    assert "Post a challenge" not in text and "Apply to be a free agent" in text
    for n in range(8):
        challenge({skills["Data analysis"]: 2, skills["Procurement"]: 1}, title=f"More {n}")
    with CaptureQueriesContext(connection) as nine:
        assert "9 challenges" in html(page.get(reverse("talent:challenge_list")))
    assert len(nine) == len(one)

    every = html(page.get(reverse("talent:challenge_list"), {"show": "all"}))
    assert "Started already" in every
    by_host = html(page.get(reverse("talent:challenge_list"), {"organisation": land.pk}))
    assert "Land records in a day" in by_host and "More 1" not in by_host
    by_skill = page.get(reverse("talent:challenge_list"), {"skill": skills["User research"].pk})
    assert "No challenges match" in html(by_skill)


def test_an_empty_list_says_what_to_do_and_managers_may_post(client, user):
    text = html(signed(client, user).get(reverse("talent:challenge_list")))
    assert "No open challenges yet" in text and "Post a challenge" not in text
    text = html(signed(client, team_manager()).get(reverse("talent:challenge_list")))
    assert "Post a challenge" in text and "Post the first" in text
    pm_page = html(signed(client, manager()).get(reverse("talent:challenge_list")))
    for link in (
        "talent:challenge_new",
        "talent:application_list",
        "talent:plan",
        "talent:workforce",
    ):
        assert f'href="{reverse(link)}"' in pm_page


def test_the_list_needs_signing_in(client):
    response = client.get(reverse("talent:challenge_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Posting and changing ---------------------------------------------------------------------


def test_posting_shows_each_error_beside_its_field_and_keeps_what_was_typed(client, skills):
    land = OrganisationFactory(name="Ministry of Land")
    other = OrganisationFactory(name="Ministry of Health")
    poster = team_manager(land)
    page = signed(client, poster)
    form = page.get(reverse("talent:challenge_new"))
    assert form.status_code == 200
    assert "Ministry of Land" in html(form) and "Ministry of Health" not in html(form)

    refused = page.post(
        reverse("talent:challenge_new"),
        challenge_form(
            organisation=land,
            starts_on=days(30),
            title="Land records in a day",
            seats="0",
            skills=[(skills["Procurement"], 3), (skills["Procurement"], 4), (None, 2)],
        ),
    )
    text = html(refused)
    assert refused.status_code == 200 and "govuk-error-summary" in text
    assert "Seats: Enter 1 or more." in text
    assert "Skill 2: Ask for each skill once." in text
    assert "Skill 3: Choose the skill, or clear its level." in text
    assert 'value="Land records in a day"' in text and 'value="15000.50"' in text
    assert not Challenge.objects.exists()

    no_skill = page.post(
        reverse("talent:challenge_new"), challenge_form(organisation=land, starts_on=days(30))
    )
    assert "Skill 1: Ask for at least one skill." in html(no_skill)
    elsewhere = page.post(
        reverse("talent:challenge_new"),
        challenge_form(organisation=other, starts_on=days(30), skills=[(skills["Procurement"], 3)]),
    )
    assert "Host organisation: Select a valid choice." in html(elsewhere)
    bad_currency = page.post(
        reverse("talent:challenge_new"),
        challenge_form(
            organisation=land,
            starts_on=days(30),
            currency="ZZZ",
            skills=[(skills["Procurement"], 3)],
        ),
    )
    assert "Currency: Give an ISO 4217 currency code" in html(bad_currency)

    made = page.post(
        reverse("talent:challenge_new"),
        challenge_form(
            organisation=land,
            starts_on=days(30),
            remote="on",
            skills=[(skills["Procurement"], 3), (None, None), (skills["User research"], 2)],
        ),
    )
    posted = Challenge.objects.get()
    assert made.status_code == 302
    assert made["Location"] == reverse("talent:challenge_detail", args=[posted.pk])
    assert posted.posted_by == poster and posted.organisation == land and posted.remote
    assert str(posted.cost_recovery) == "15000.50" and posted.currency == "BDT"
    assert sorted(posted.needs.values_list("skill__name", "level")) == [
        ("Procurement", 3),
        ("User research", 2),
    ]


def test_only_those_who_may_post_see_the_form(client, user):
    assert signed(client, user).get(reverse("talent:challenge_new")).status_code == 403
    pm_form = html(signed(client, manager()).get(reverse("talent:challenge_new")))
    assert pm_form.count('<select name="skill_') == SKILL_ROWS


def test_changing_a_challenge_keeps_its_host_and_never_fewer_seats_than_offered(client, skills):
    poster = team_manager()
    posted = challenge(
        {skills["Procurement"]: 3}, by=poster, seats=2, organisation=poster.profile.organisation
    )
    services.offer(by=poster, challenge=posted, agent=agent({skills["Procurement"]: 4}))
    services.offer(by=poster, challenge=posted, agent=agent({skills["Procurement"]: 3}))
    assert (
        signed(client, UserFactory())
        .get(reverse("talent:challenge_edit", args=[posted.pk]))
        .status_code
        == 403
    )
    page = signed(client, poster)
    form = html(page.get(reverse("talent:challenge_edit", args=[posted.pk])))
    assert 'value="Cut the wait for land records"' in form and "Host organisation" in form
    refused = page.post(
        reverse("talent:challenge_edit", args=[posted.pk]),
        challenge_form(starts_on=days(40), seats="1", skills=[(skills["Procurement"], 3)]),
    )
    assert "Seats: 2 seats are offered or taken already: give at least that many." in html(refused)
    changed = page.post(
        reverse("talent:challenge_edit", args=[posted.pk]),
        challenge_form(
            starts_on=days(40), seats="3", title="Land records in an hour",
            skills=[(skills["Procurement"], 4), (skills["Data analysis"], 2)],
        ),
    )  # fmt: skip
    assert changed.status_code == 302
    posted.refresh_from_db()
    assert (posted.title, posted.seats, posted.needs_count) == ("Land records in an hour", 3, 2)


# --- A challenge and its candidates -----------------------------------------------------------


def test_candidates_are_explained_best_first(client, asked):
    page = signed(client, asked["pm"])
    response = page.get(reverse("talent:challenge_detail", args=[asked["challenge"].pk]))
    text = html(response)
    assert response.status_code == 200
    assert "Nasrin Akter" in text and "Rahim Uddin" in text
    assert "3 of 4 skills at the level asked; missing: Procurement" in text
    assert (
        "1 of 4 skills at the level asked; missing: Data analysis, Process mapping, User research"
        in text
    )
    assert text.index("Nasrin Akter") < text.index("Rahim Uddin")
    assert text.count("Offer a seat") == 2


def test_the_candidates_page_is_the_same_few_queries_for_more_agents(client, asked):
    page = signed(client, asked["pm"])
    url = reverse("talent:challenge_detail", args=[asked["challenge"].pk])
    page.get(url)
    with CaptureQueriesContext(connection) as two:
        page.get(url)
    skills = asked["skills"]
    for n in range(8):
        agent({skills["Procurement"]: 3, skills["User research"]: 1 + n % 3})
    with CaptureQueriesContext(connection) as ten:
        text = html(page.get(url))
    assert text.count("Offer a seat") == 10
    assert len(ten) == len(two)


def test_more_candidates_come_by_a_key_after_the_last(client, asked, monkeypatch):
    skills = asked["skills"]
    third = agent({skills["User research"]: 2}, user__first_name="Shirin", user__last_name="Haque")
    monkeypatch.setattr(views, "CANDIDATES_PAGE", 2)
    page = signed(client, asked["pm"])
    url = reverse("talent:challenge_detail", args=[asked["challenge"].pk])
    first = html(page.get(url))
    assert "Nasrin Akter" in first and "Rahim Uddin" in first and "Shirin Haque" not in first
    more = f"?after=1-{asked['good'].pk}#candidates"
    assert more in first
    second = html(page.get(url + more.split("#")[0]))
    assert "Shirin Haque" in second and "Nasrin Akter" not in second
    assert third.pk and "Back to the best candidates" in second
    assert page.get(url, {"after": "x-1"}).status_code == 404


def test_a_team_of_the_host_or_above_keeps_the_challenge_and_others_do_not(client, skills):
    ministry = OrganisationFactory(name="Ministry of Land")
    office = OrganisationFactory(name="AC Land office, Savar", parent=ministry, kind="office")
    posted = challenge({skills["Procurement"]: 3}, organisation=office, title="Tenders in a week")
    agent({skills["Procurement"]: 3}, user__first_name="Karim", user__last_name="Hossain")
    url = reverse("talent:challenge_detail", args=[posted.pk])
    above = html(signed(client, team_manager(ministry)).get(url))
    assert "Karim Hossain" in above and "1 of 1 skill at the level asked" in above
    assert "Change the challenge" in above
    elsewhere = html(signed(client, team_manager()).get(url))
    assert "Tenders in a week" in elsewhere and "Karim Hossain" not in elsewhere
    assert "Change the challenge" not in elsewhere


def test_people_who_do_not_keep_the_challenge_see_no_candidates(client, asked):
    url = reverse("talent:challenge_detail", args=[asked["challenge"].pk])
    response = signed(client, UserFactory()).get(url)
    assert response.status_code == 200 and "Land records in a day" in html(response)
    assert "Candidates" not in html(response) and "Nasrin Akter" not in html(response)
    refused = client.post(url, {"agent": asked["best"].pk})
    assert refused.status_code == 403
    assert (
        signed(client, asked["pm"])
        .get(reverse("talent:challenge_detail", args=[99999]))
        .status_code
        == 404
    )


def test_an_offer_that_is_not_allowed_now_is_shown_on_the_page(client, asked):
    page = signed(client, asked["pm"])
    url = reverse("talent:challenge_detail", args=[asked["challenge"].pk])
    made = page.post(url, {"agent": asked["best"].pk})
    assert made.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.status == AssignmentStatus.OFFERED and assignment.match == 3
    text = html(page.get(url))
    assert "Offered:" in text and text.count("Offer a seat") == 1
    again = page.post(url, {"agent": asked["best"].pk})
    assert again.status_code == 409
    text = html(again)
    assert "govuk-error-summary" in text
    assert "This free agent has been offered this challenge already." in text
    assert "Error:" in text.split("</title>")[0]
    assert page.post(url, {"agent": 999999}).status_code == 404
    assert page.post(url, {"agent": "x"}).status_code == 400


# --- An offer through its life ----------------------------------------------------------------


def test_offer_accept_start_and_close_with_a_review_through_the_pages(client, asked):
    pm, posted, best = asked["pm"], asked["challenge"], asked["best"]
    skills = asked["skills"]
    url = reverse("talent:challenge_detail", args=[posted.pk])
    signed(client, pm).post(url, {"agent": best.pk})
    assignment = Assignment.objects.get()
    offer_url = reverse("talent:assignment_detail", args=[assignment.pk])

    # The agent finds the offer on their page and accepts it there.
    page = signed(client, best.user)
    mine = html(page.get(reverse("talent:me")))
    assert "Offers waiting for your answer" in mine and "Land records in a day" in mine
    assert page.get(offer_url).status_code == 200
    assert page.post(offer_url, {"action": "start"}).status_code == 403
    accepted = page.post(offer_url, {"action": "accept", "next": reverse("talent:me")})
    assert accepted.status_code == 302 and accepted["Location"] == reverse("talent:me")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    again = page.post(offer_url, {"action": "accept"})
    assert again.status_code == 409
    assert "Only an offer waiting for an answer can be accepted." in html(again)

    # The host records the start from the challenge's page, then closes it with a review.
    page = signed(client, pm)
    assert "Record that Nasrin Akter has started" in html(page.get(url))
    started = page.post(offer_url, {"action": "start", "next": url + "#offers"})
    assert started.status_code == 302 and started["Location"] == url + "#offers"
    challenge_page = html(page.get(url))
    assert "Close Nasrin Akter's assignment with a review" in challenge_page
    prefix = f"review-{assignment.pk}"
    assert f'name="{prefix}-review"' in challenge_page
    procurement = skills["Procurement"].pk
    refused = page.post(
        offer_url,
        {
            "action": "complete",
            "next": url,
            f"{prefix}-review": "",
            f"{prefix}-level_{procurement}": "4",
            f"{prefix}-evidence_{procurement}": "",
        },
    )
    text = html(refused)
    assert refused.status_code == 400 and "govuk-error-summary" in text
    assert "Closing review: This field is required." in text
    assert "Say what shows this level." in text
    assert '<option value="4" selected>' in text
    done = page.post(
        offer_url,
        {
            "action": "complete",
            "next": url,
            f"{prefix}-review": "Mapped the process; the wait fell from 30 days to 9.",
            f"{prefix}-level_{procurement}": "4",
            f"{prefix}-evidence_{procurement}": "Wrote the tender for the scanners.",
        },
    )
    assert done.status_code == 302 and done["Location"] == url
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    evidence = SkillEvidence.objects.get()
    assert (evidence.skill_id, evidence.level) == (procurement, 4)
    assert UserSkill.objects.get(user=best.user, skill_id=procurement).level == 4
    closed = html(page.get(offer_url))
    assert "Wrote the tender for the scanners." in closed and "Procurement (Expert)" in closed


def test_an_assignment_is_shown_only_to_its_agent_and_those_who_keep_the_challenge(client, asked):
    assignment = services.offer(by=asked["pm"], challenge=asked["challenge"], agent=asked["good"])
    url = reverse("talent:assignment_detail", args=[assignment.pk])
    assert signed(client, UserFactory()).get(url).status_code == 404
    assert signed(client, asked["best"].user).get(url).status_code == 404
    assert signed(client, asked["good"].user).get(url).status_code == 200
    assert signed(client, asked["pm"]).get(url).status_code == 200
    declined = signed(client, asked["good"].user).post(
        url, {"action": "decline", "reason": "I start a training then."}
    )
    assert declined.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLINED
    assert assignment.decline_reason == "I start a training then."
    assert "I start a training then." in html(signed(client, asked["pm"]).get(url))


def test_the_pages_read_in_bangla_with_bangla_figures(client, asked):
    Organisation.objects.filter(pk=asked["challenge"].organisation_id).update(
        name_local="ভূমি মন্ত্রণালয়"
    )
    page = signed(client, asked["pm"])
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    listed = page.get(reverse("talent:challenge_list"))
    text = html(listed)
    assert listed.status_code == 200 and '<html lang="bn"' in text
    # "2 of 2" seats open, in Bangla words and digits.
    assert "ভূমি মন্ত্রণালয়" in text and "২টির মধ্যে ২টি" in text
    detail = html(page.get(reverse("talent:challenge_detail", args=[asked["challenge"].pk])))
    # "3 of 4 skills at the level asked; missing: Procurement" (a skill's name is as given).
    assert "চাওয়া স্তরে ৪টির মধ্যে ৩টি দক্ষতা; যা নেই: Procurement" in detail
    for url in (reverse("talent:me"), reverse("talent:plan"), reverse("talent:workforce")):
        response = page.get(url)
        assert response.status_code == 200 and '<html lang="bn"' in html(response), url
