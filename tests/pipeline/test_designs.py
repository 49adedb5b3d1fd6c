"""The project design: who writes it, what it checks row by row, the page that prints, and
the PDF read back with pdftotext (Bangla included)."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from innohub.pipeline import designs
from innohub.pipeline.models import ProjectDesign, Risk
from tests.pipeline.factories import IdeaFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def full(**fields):
    return {
        "title": "সনদ এক দিনে",
        "objectives": "Cut the visits for a land mutation from four to one.",
        "team": "Rahim — lead\nAnis — mentor",
        "measurement_method": "Secret shoppers at the union centre",
        "baseline_journeys": 20,
        "after_journeys": 20,
        "baseline_from": DAY,
        "baseline_to": DAY + datetime.timedelta(days=30),
        "after_from": DAY + datetime.timedelta(days=60),
        "after_to": DAY + datetime.timedelta(days=120),
        "activities": [
            designs.ActivityData(
                "Train the union staff", DAY, DAY + datetime.timedelta(days=7), "Rahim"
            ),
            designs.ActivityData(
                "Open the counter",
                DAY + datetime.timedelta(days=8),
                DAY + datetime.timedelta(days=9),
            ),
        ],
        "budget_lines": [
            designs.BudgetLineData("Scanner", Decimal("35000.00")),
            designs.BudgetLineData("Training", Decimal("12500.50"), "Two days"),
        ],
        "risks": [designs.RiskData("Power cuts", 4, 3, "Two days a month", "A generator")],
        **fields,
    }


def test_the_proposer_writes_it_and_writing_again_replaces_it(place):
    idea = IdeaFactory(service=place["service"])
    design = designs.save_design(by=idea.proposer, idea=idea, **full())
    assert [a.title for a in design.activities.all()] == [
        "Train the union staff",
        "Open the counter",
    ]
    assert sum(line.amount for line in design.budget_lines.all()) == Decimal("47500.50")
    assert design.risks.get().score == 12 and design.currency == place["service"].currency
    designs.save_design(by=idea.proposer, idea=idea, **full(risks=[], activities=[]))
    assert ProjectDesign.objects.count() == 1
    assert not design.activities.exists() and not Risk.objects.exists()


def test_rows_are_refused_by_their_path_and_nothing_is_written(place):
    idea = IdeaFactory(service=place["service"])
    bad = full(
        activities=[designs.ActivityData("Late", DAY, DAY - datetime.timedelta(days=1))],
        budget_lines=[designs.BudgetLineData("", Decimal("-1"))],
        risks=[designs.RiskData("x", 6, 0)],
        after_from=DAY,  # before the baseline ends
    )
    with pytest.raises(ValidationError) as refused:
        designs.save_design(by=idea.proposer, idea=idea, **bad)
    assert set(refused.value.message_dict) == {
        "activities.0.ends_on", "budget_lines.0.item", "budget_lines.0.amount",
        "risks.0.likelihood", "risks.0.impact", "after_from",
    }  # fmt: skip
    assert not ProjectDesign.objects.exists()


def test_who_writes_a_design(place, people, make_pilot):
    idea = IdeaFactory(service=place["service"])
    with pytest.raises(PermissionDenied):
        designs.save_design(by=people["stranger"], idea=idea, **full())
    make_pilot(idea=idea)  # led by people["lead"]
    designs.save_design(by=people["lead"], idea=idea, **full())
    designs.save_design(by=people["manager"], idea=idea, **full())


def test_the_design_page_and_its_form(client, place):
    idea = IdeaFactory(service=place["service"])
    client.force_login(idea.proposer)
    empty = client.get(reverse("pipeline:design_detail", args=[idea.pk])).content.decode()
    assert "No design yet" in empty
    form = {
        "title": "ইউনিয়নে নামজারি", "objectives": "Fewer visits", "baseline_journeys": "10",
        "after_journeys": "10", "baseline_from": "2026-03-01", "baseline_to": "2026-03-31",
        "after_from": "2026-05-01", "after_to": "2026-06-30",
        "activities-TOTAL_FORMS": "2", "activities-INITIAL_FORMS": "0",
        "activities-0-title": "Train", "activities-0-starts_on": "2026-03-01",
        "activities-0-ends_on": "2026-02-01",
        "budget_lines-TOTAL_FORMS": "1", "budget_lines-INITIAL_FORMS": "0",
        "budget_lines-0-item": "Scanner", "budget_lines-0-amount": "35000",
        "risks-TOTAL_FORMS": "1", "risks-INITIAL_FORMS": "0",
    }  # fmt: skip
    url = reverse("pipeline:design_edit", args=[idea.pk])
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "An activity cannot end before it starts." in refused.content.decode()
    assert "Scanner" in refused.content.decode()  # what was typed is kept
    form["activities-0-ends_on"] = "2026-03-05"
    assert client.post(url, form)["Location"] == reverse("pipeline:design_detail", args=[idea.pk])
    page = client.get(reverse("pipeline:design_detail", args=[idea.pk])).content.decode()
    assert "ইউনিয়নে নামজারি" in page and "35,000.00" in page and "Download as PDF" in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_pdf_carries_the_bangla_title(client, place):
    idea = IdeaFactory(service=place["service"], title="Land records")
    designs.save_design(by=idea.proposer, idea=idea, **full())
    client.force_login(idea.proposer)
    response = client.get(reverse("pipeline:design_pdf", args=[idea.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    # pdftotext may reorder a vowel sign drawn before its letter: look for words without one.
    assert "সনদ" in text and "এক" in text
    assert "Train the union staff" in text and "47,500.50" in text
    assert "Power cuts" in text
    # Drawn in the product's own fonts, not whatever the machine happens to have.
    fonts = subprocess.run(
        ["pdffonts", "-"], input=response.content, capture_output=True, check=False
    ).stdout.decode()
    if fonts:  # pdffonts reads stdin from poppler 22 on
        assert "innohub-Bengali" in fonts and "innohub-Sans" in fonts


def test_no_design_no_pdf(client, place):
    idea = IdeaFactory(service=place["service"])
    client.force_login(idea.proposer)
    assert client.get(reverse("pipeline:design_pdf", args=[idea.pk])).status_code == 404
    assert client.get(reverse("pipeline:design_edit", args=[idea.pk])).status_code == 200
    client.force_login(IdeaFactory().proposer)
    assert client.get(reverse("pipeline:design_edit", args=[idea.pk])).status_code == 403
