from __future__ import annotations

import pytest

from innohub.pipeline import pilots, search
from innohub.pipeline.models import Pilot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["idea", "pilot", "projectdesign"])
def test_ideas_and_pilots_list_search_and_open_in_the_admin(
    admin_client, make_pilot, people, model
):
    pilot = make_pilot("ongoing")
    pilots.add_risk(by=people["lead"], pilot=pilot, description="Rain", likelihood=2, impact=2)
    pilots.add_lesson(by=people["lead"], pilot=pilot, text="Start early.")
    from innohub.pipeline import designs

    design = designs.save_design(by=pilot.idea.proposer, idea=pilot.idea, title="D", objectives="O")
    thing = {"pilot": pilot, "idea": pilot.idea, "projectdesign": design}[model]
    assert admin_client.get(f"/admin/pipeline/{model}/", {"q": "Pilot\x00 1"}).status_code == 200
    page = admin_client.get(f"/admin/pipeline/{model}/{thing.pk}/change/")
    assert page.status_code == 200
    assert admin_client.get(f"/admin/pipeline/{model}/add/").status_code == 403


def test_the_admin_mends_a_title_and_search_follows(admin_client, make_pilot):
    pilot = make_pilot("draft", budget_code="OLD")
    response = admin_client.post(
        f"/admin/pipeline/pilot/{pilot.pk}/change/",
        {
            "title": "Mobile court for land disputes",
            "budget_code": "A2I-2026-07",
            "annual_volume": 500,
            "started_on": "",
            "ended_on": "",
            **{f"{prefix}-{key}": value for prefix in ("events", "spends", "risks", "lessons")
               for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    changed = Pilot.objects.get(pk=pilot.pk)
    assert (changed.title, changed.budget_code, changed.status) == (
        "Mobile court for land disputes", "A2I-2026-07", "draft",
    )  # fmt: skip
    assert [m.id for m in search.similar("mobile court")] == [pilot.pk]


@pytest.mark.parametrize(
    "model",
    ["pilotevent", "spend", "risk", "lesson", "measurement", "mentoringnote", "support",
     "comment", "joinrequest", "activity", "budgetline", "searchentry", "searchterm"],
)  # fmt: skip
def test_the_pipelines_records_list_and_search_read_only(admin_client, make_pilot, people, model):
    pilot = make_pilot("ongoing")
    pilots.add_lesson(by=people["lead"], pilot=pilot, text="Start early.")
    assert admin_client.get(f"/admin/pipeline/{model}/", {"q": "x\x00y"}).status_code == 200
    assert admin_client.get(f"/admin/pipeline/{model}/add/").status_code == 403


def test_notifications_list_in_the_admin(admin_client, make_pilot, people):
    pilots.move(by=people["lead"], pilot=make_pilot("draft"), to="submitted")
    assert admin_client.get("/admin/accounts/notification/").status_code == 200
