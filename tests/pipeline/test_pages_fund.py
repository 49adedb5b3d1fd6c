"""The fund, showcase, replication and scale-up pages as people use them: forms that say
what is wrong beside the field, stages a proposer can follow, the family tree as a picture
and a list, the PDF read back, and lists in few queries."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innohub.pipeline import funding, scaling, showcases
from innohub.pipeline.models import FundingCall, Pilot, Proposal, ShowcaseScore
from tests.accounts.helpers import sign_in_verified
from tests.factories import AreaFactory
from tests.pipeline.factories import FundingCallFactory, IdeaFactory, ShowcaseFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def call(place, people):
    return FundingCallFactory(organisation=place["ministry"], by=people["manager"])


@pytest.fixture
def proposal(call, place, people):
    idea = IdeaFactory(
        service=place["service"], proposer=people["lead"], title="Birth in one visit"
    )
    return funding.propose(
        by=people["lead"], call=call, idea=idea, requested="50000", summary="Fewer visits."
    )


def test_a_programme_manager_opens_a_call_from_its_page(client, place, people):
    sign_in_verified(client, people["manager"])
    page = client.get(reverse("pipeline:call_list"))
    assert page.status_code == 200 and reverse("pipeline:call_new") in page.content.decode()
    body = {"title": "Round 8", "organisation": place["ministry"].pk, "budget": "900000",
            "currency": "bdt", "opens_on": "2026-12-01", "closes_on": "2026-11-01"}  # fmt: skip
    refused = client.post(reverse("pipeline:call_new"), body)
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert not FundingCall.objects.exists()
    made = client.post(reverse("pipeline:call_new"), {**body, "closes_on": "2027-01-31"})
    call = FundingCall.objects.get()
    assert made["Location"] == reverse("pipeline:call_detail", args=[call.pk])
    assert call.currency == "BDT"


def test_the_call_page_is_closed_to_strangers_opening_calls(client, people):
    web = signed_in(client, people["stranger"])
    assert web.get(reverse("pipeline:call_new")).status_code == 403
    assert (
        reverse("pipeline:call_new") not in web.get(reverse("pipeline:call_list")).content.decode()
    )


def test_a_proposer_sends_a_proposal_and_follows_its_stage(client, call, place, people):
    idea = IdeaFactory(service=place["service"], proposer=people["lead"], title="Land in a day")
    web = signed_in(client, people["lead"])
    idea_page = web.get(reverse("pipeline:idea_detail", args=[idea.pk])).content.decode()
    assert reverse("pipeline:proposal_new", args=[call.pk]) in idea_page
    url = reverse("pipeline:proposal_new", args=[call.pk])
    assert web.get(url, {"idea": idea.pk}).status_code == 200
    empty = web.post(url, {"idea": idea.pk, "requested": "", "summary": ""})
    assert empty.status_code == 200 and "govuk-error-summary" in empty.content.decode()
    sent = web.post(url, {"idea": idea.pk, "requested": "1200.50", "summary": "One visit."})
    proposal = Proposal.objects.get()
    assert sent["Location"] == reverse("pipeline:proposal_detail", args=[proposal.pk])
    page = web.get(sent["Location"]).content.decode()
    assert "waiting for assessors" in page and "1,200.50" in page
    # The proposer sees the stage, never the decision forms.
    assert reverse("pipeline:proposal_award", args=[proposal.pk]) not in page


def test_the_manager_assigns_an_assessor_who_reviews_then_awards(client, proposal, people):
    sign_in_verified(client, people["manager"])
    detail = reverse("pipeline:proposal_detail", args=[proposal.pk])
    wrong = client.post(
        reverse("pipeline:proposal_assessor", args=[proposal.pk]),
        {"assessor-username": people["lead"].username},
    )
    assert wrong.status_code == 200 and "proposer cannot assess" in wrong.content.decode()
    client.post(
        reverse("pipeline:proposal_assessor", args=[proposal.pk]),
        {"assessor-username": people["mentor"].username},
    )
    mentor = signed_in(client.__class__(), people["mentor"])
    assert "Send my review" in mentor.get(detail).content.decode()
    mentor.post(
        reverse("pipeline:proposal_review", args=[proposal.pk]),
        {"review-impact": 5, "review-feasibility": 4, "review-replicability": 4,
         "review-value_for_money": 3},
    )  # fmt: skip
    proposal.refresh_from_db()
    assert (proposal.status, proposal.mean_score) == ("in_review", Decimal("4.00"))
    assert "You have reviewed this proposal" in mentor.get(detail).content.decode()
    # Above the request, the box must say so.
    above = client.post(
        reverse("pipeline:proposal_award", args=[proposal.pk]), {"award-amount": "60000"}
    )
    assert above.status_code == 200 and "tick the box" in above.content.decode()
    awarded = client.post(
        reverse("pipeline:proposal_award", args=[proposal.pk]),
        {"award-amount": "60000", "award-above_request": "on"},
    )
    assert awarded.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.amount) == ("awarded", Decimal("60000.00"))


def test_a_decline_without_a_note_is_refused_beside_the_field(client, proposal, people):
    sign_in_verified(client, people["manager"])
    response = client.post(reverse("pipeline:proposal_decline", args=[proposal.pk]), {})
    assert response.status_code == 200
    assert 'id="id_decline-note"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_the_ranked_table_in_few_queries(client, call, place, people):
    for n in range(12):
        idea = IdeaFactory(service=place["service"], proposer=people["lead"])
        funding.propose(by=people["lead"], call=call, idea=idea, requested=n + 1, summary="s")
    web = signed_in(client, people["stranger"])
    with CaptureQueriesContext(connection) as queries:
        response = web.get(reverse("pipeline:call_detail", args=[call.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('href="/proposals/') == 12
    assert len(queries) <= 9, [q["sql"] for q in queries.captured_queries]


def test_a_showcase_is_planned_scored_and_printed(client, place, people, make_pilot):
    done = make_pilot("completed", title="Mutation in a week")
    sign_in_verified(client, people["manager"])
    made = client.post(
        reverse("pipeline:showcase_new"),
        {"title": "Showcase 2026", "organisation": place["ministry"].pk, "held_on": "2026-12-10"},
    )
    showcase = ShowcaseFactory._meta.model.objects.get()
    assert made["Location"] == reverse("pipeline:showcase_detail", args=[showcase.pk])
    client.post(reverse("pipeline:showcase_present", args=[showcase.pk]), {"pilot": done.pk})
    reviewer = signed_in(client.__class__(), people["reviewer"])
    page = reviewer.get(reverse("pipeline:showcase_detail", args=[showcase.pk])).content.decode()
    score_url = reverse("pipeline:showcase_score", args=[showcase.pk, done.pk])
    assert score_url in page
    bad = reviewer.post(score_url, {"impact": 5})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    reviewer.post(score_url, {"impact": 5, "cost": 4, "replicability": 5, "readiness": 3,
                              "recommendation": "scale"})  # fmt: skip
    assert ShowcaseScore.objects.count() == 1
    assert (
        score_url
        not in reviewer.get(
            reverse("pipeline:showcase_detail", args=[showcase.pk])
        ).content.decode()
    )
    # The pilot's own lead is not offered the score form.
    lead = signed_in(client.__class__(), people["lead"])
    assert lead.get(score_url).status_code == 403


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_showcase_pdf_reads_back_ranked_in_bangla(client, place, people, make_pilot):
    first = make_pilot("completed", title="Birth in one visit")
    second = make_pilot("completed", title="Land records")
    showcase = ShowcaseFactory(organisation=place["ministry"], title="সনদ এক")
    for pilot, marks in ((first, 5), (second, 3)):
        showcases.score(by=people["reviewer"], showcase=showcase, pilot=pilot,
                        recommendation="replicate", impact=marks, cost=marks,
                        replicability=marks, readiness=marks)  # fmt: skip
    web = signed_in(client, people["stranger"])
    response = web.get(reverse("pipeline:showcase_pdf", args=[showcase.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    # pdftotext may reorder a vowel sign drawn before its letter: words without one.
    assert "সনদ" in text and "এক" in text
    assert text.index("Birth in one visit") < text.index("Land records")
    assert "20.00" in text and "12.00" in text


def test_the_pilot_page_draws_the_family_and_the_candidates(client, place, people, make_pilot):
    root = make_pilot("completed", title="One-stop birth registration")
    areas = [AreaFactory(parent=place["district"], level=place["upazila"].level) for _ in range(3)]
    child = make_pilot("completed", replicates=root, area=areas[0])
    make_pilot("draft", replicates=child, area=areas[1])
    web = signed_in(client, people["lead"])
    page = web.get(reverse("pipeline:pilot_detail", args=[root.pk])).content.decode()
    assert 'class="innohub-tree"' in page and "<svg" in page
    assert page.count('class="innohub-tree__node') == 3
    assert "Generation 2" in page
    assert reverse("pipeline:pilot_replicate", args=[root.pk]) in page
    assert "Where citizens still carry the burden" in page


def test_a_replication_from_the_page(client, place, people, make_pilot):
    root = make_pilot("completed")
    there = AreaFactory(code="BD-13-X", parent=place["district"], level=place["upazila"].level)
    web = signed_in(client, people["lead"])
    url = reverse("pipeline:pilot_replicate", args=[root.pk])
    same = web.post(url, {"area": root.area.code, "lead": people["stranger"].username})
    assert same.status_code == 200 and "another area" in same.content.decode()
    made = web.post(url, {"area": "bd-13-x", "lead": people["stranger"].username})
    copy = Pilot.objects.get(replicates=root)
    assert made["Location"] == reverse("pipeline:pilot_detail", args=[copy.pk])
    assert (copy.area, copy.lead, copy.status) == (there, people["stranger"], "draft")


def test_scale_up_and_reach_from_the_page(client, people, make_pilot):
    pilot = make_pilot("completed")
    web = signed_in(client, people["reviewer"])
    page = web.get(reverse("pipeline:pilot_detail", args=[pilot.pk])).content.decode()
    assert reverse("pipeline:pilot_scale_up", args=[pilot.pk]) in page
    web.post(
        reverse("pipeline:pilot_scale_up", args=[pilot.pk]),
        {"decided_on": "2026-01-10", "citizens_reached": "250000"},
    )
    web.post(reverse("pipeline:pilot_reach", args=[pilot.pk]),
             {"on": "2026-06-01", "citizens_reached": "900000"})  # fmt: skip
    pilot.refresh_from_db()
    assert pilot.citizens_reached == 900000
    page = web.get(reverse("pipeline:pilot_detail", args=[pilot.pk])).content.decode()
    assert 'data-chart="reach-chart"' in page and "900,000" in page
    assert [r.citizens_reached for r in scaling.reach_of(pilot)] == [250000, 900000]
    lead = signed_in(client.__class__(), people["lead"])
    assert lead.get(reverse("pipeline:pilot_reach", args=[pilot.pk])).status_code == 403
