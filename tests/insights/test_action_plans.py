"""Action plans: the arithmetic of the score (achievement capped at 100 and floored at 0,
weights, rounding half up at the end only), each computed measure on hand-built data
(below a tree node, within the plan's dates, never after today), manual actuals with
evidence, the ranking and the trend — through the API as a program sees it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innohub.core import roles
from innohub.insights import plans
from innohub.insights.models import ActionPlan, Kpi
from innohub.pipeline.impact import impact
from innohub.pipeline.models import Pilot
from innohub.pipeline.selectors import impact_of
from innohub.training.models import Trained
from tests.factories import InnovationTeamFactory, OrganisationFactory, UserFactory
from tests.pipeline.factories import MeasurementFactory, PilotFactory, ShowcaseFactory
from tests.services.factories import JourneyFactory, JsonApi
from tests.training.factories import CohortFactory

pytestmark = pytest.mark.django_db

YEAR_START, YEAR_END = datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)
D = Decimal


@pytest.fixture
def manager():
    return UserFactory(roles=[roles.PROGRAMME_MANAGER])


@pytest.fixture
def api(client, manager):
    return JsonApi(client, manager)


@pytest.fixture
def ministry():
    ministry = OrganisationFactory(name="Ministry of Land")
    office = OrganisationFactory(parent=ministry, kind="office")
    return {"ministry": ministry, "office": office, "other": OrganisationFactory(name="Health")}


def kpi(measure: str, target: str, weight: str, name: str = "") -> dict:
    return {"name": name or measure, "measure": measure, "target": target, "weight": weight}


def body(organisation, *kpis: dict, **more) -> dict:
    return {
        "organisation": organisation.pk,
        "title": "Innovation action plan 2025-26",
        "starts_on": str(YEAR_START),
        "ends_on": str(YEAR_END),
        "kpis": list(kpis),
        **more,
    }


def completed(organisation, ended_on, **more):
    return PilotFactory(
        organisation=organisation,
        status="completed",
        started_on=ended_on - datetime.timedelta(days=90),
        ended_on=ended_on,
        **more,
    )


# --- The arithmetic -------------------------------------------------------------------------


def test_the_score_caps_each_achievement_weights_it_and_rounds_at_the_end(api, ministry):
    answer = api.post(
        "/action-plans",
        body(
            ministry["ministry"],
            kpi("manual", "3", "33.33", "Showcase a year"),  # 1 of 3: 33.333…%
            kpi("manual", "10", "33.33", "Services simplified"),  # 25 of 10: capped at 100
            kpi("manual", "7", "33.34", "Not yet entered"),  # unset counts 0
        ),
    )
    assert answer.status_code == 201, answer.json()
    plan = answer.json()
    first, second, _third = (row["id"] for row in plan["kpis"])
    assert api.put(f"/action-plans/{plan['id']}/kpis/{first}", {"actual": "1"}).status_code == 200
    put = api.put(
        f"/action-plans/{plan['id']}/kpis/{second}",
        {"actual": 25, "evidence": "Cabinet Division letter 12/2026"},
    )
    assert put.json()["evidence"] == "Cabinet Division letter 12/2026"
    score = api.get(f"/action-plans/{plan['id']}/score").json()
    rows = {row["name"]: row for row in score["kpis"]}
    assert rows["Showcase a year"]["achievement_pct"] == "33.33"
    assert rows["Showcase a year"]["points"] == "11.11"  # 33.33 x 33.333…% = 11.1099…
    assert (rows["Services simplified"]["achievement_pct"], rows["Services simplified"]["points"]) == (
        "100.00", "33.33",
    )  # fmt: skip
    assert rows["Not yet entered"]["points"] == "0.00"
    # Σ unrounded points = 11.1099… + 33.33 = 44.4399… → 44.44 (not 11.11 + 33.33 rounded twice)
    assert score["score"] == "44.44"


def test_rounding_is_half_up_on_the_sum_only():

    rows = [
        Kpi(pk=1, name="a", measure="manual", target=D(8), weight=D("50.00"), actual=D(1)),
        Kpi(pk=2, name="b", measure="manual", target=D(8), weight=D("50.00"), actual=D(1)),
    ]
    scored = plans._scored(rows, lambda row: row.actual)
    # Each earns 6.25 points: 12.5 % of 50; their sum, 12.50, rounded once.
    assert [row["points"] for row in scored["kpis"]] == [D("6.25"), D("6.25")]
    assert scored["score"] == D("12.50")
    halves = [Kpi(pk=1, name="c", measure="manual", target=D(8), weight=D("0.04"), actual=D(1))]
    # 0.04 x 12.5 % = 0.005: half up, to 0.01.
    assert plans._scored(halves, lambda row: row.actual)["score"] == D("0.01")


@pytest.mark.parametrize(
    ("kpis", "field"),
    [
        ([kpi("manual", "5", "60"), kpi("manual", "5", "30")], "kpis"),  # 90, not 100
        ([kpi("manual", "5", "60"), kpi("manual", "5", "40.01")], "kpis"),
        ([kpi("manual", "0", "100")], "kpis.0.target"),
        ([kpi("manual", "5", "0"), kpi("manual", "5", "100")], "kpis.0.weight"),
        ([kpi("bogus", "5", "100")], "kpis.0.measure"),
        ([], "kpis"),
    ],
)
def test_a_plan_that_does_not_add_up_is_refused_naming_the_field(api, ministry, kpis, field):
    answer = api.post("/action-plans", body(ministry["ministry"], *kpis))
    assert answer.status_code == 422
    assert field in str(answer.json()), answer.json()
    assert not ActionPlan.objects.exists()


def test_a_plan_ends_on_or_after_it_starts(api, ministry):
    answer = api.post(
        "/action-plans",
        body(
            ministry["ministry"],
            kpi("manual", "1", "100"),
            ends_on=str(YEAR_START.replace(year=2024)),
        ),
    )
    assert answer.status_code == 422
    assert "ends_on" in str(answer.json())


def test_a_plan_covers_at_most_five_years(api, ministry):
    answer = api.post(
        "/action-plans",
        body(ministry["ministry"], kpi("manual", "1", "100"), ends_on="2031-07-01"),
    )
    assert answer.status_code == 422 and "ends_on" in str(answer.json())


def test_weights_with_cents_that_sum_to_100_are_taken(api, ministry):
    answer = api.post(
        "/action-plans",
        body(
            ministry["ministry"],
            kpi("manual", "1", "33.33"),
            kpi("manual", "1", "33.33"),
            kpi("manual", "1", "33.34"),
        ),
    )
    assert answer.status_code == 201
    assert [row["weight"] for row in answer.json()["kpis"]] == ["33.33", "33.33", "33.34"]


# --- Computed measures ----------------------------------------------------------------------


def test_computed_measures_count_below_the_organisation_within_the_dates(api, ministry):
    office, other = ministry["office"], ministry["other"]
    inside, before = datetime.date(2026, 1, 15), datetime.date(2025, 6, 30)
    ShowcaseFactory(organisation=office, held_on=inside)
    ShowcaseFactory(organisation=office, held_on=before)  # before the plan
    ShowcaseFactory(organisation=other, held_on=inside)  # another ministry
    original = completed(office, inside)
    completed(office, before)
    completed(other, inside)
    PilotFactory(organisation=office, status="ongoing", started_on=inside)
    PilotFactory(organisation=office, status="draft", started_on=inside)  # never started
    replication = PilotFactory(organisation=office, status="draft", replicates=original)
    # Replications count by the day they were created, drafts included.
    Pilot.objects.filter(pk=replication.pk).update(
        created=datetime.datetime(2026, 1, 20, 10, tzinfo=datetime.UTC)
    )
    cohort = CohortFactory()
    for organisation, on in ((office, inside), (office, before), (other, inside)):
        Trained.objects.create(user=UserFactory(), cohort=cohort, on=on, organisation=organisation)
    plan = api.post(
        "/action-plans",
        body(
            ministry["ministry"],
            kpi("showcases_held", "1", "20"),
            kpi("pilots_completed", "4", "20"),
            kpi("pilots_started", "4", "20"),
            kpi("officers_trained", "2", "20"),
            kpi("replications_started", "2", "20"),
        ),
    ).json()
    actual = {row["measure"]: row["actual"] for row in plan["kpis"]}
    # Started: the ongoing one and the completed one inside (its start, 90 days before).
    assert actual == {
        "showcases_held": "1.00", "pilots_completed": "1.00", "pilots_started": "2.00",
        "officers_trained": "1.00", "replications_started": "1.00",
    }  # fmt: skip
    score = api.get(f"/action-plans/{plan['id']}/score").json()
    # 100 % + 25 % + 50 % + 50 % + 50 % of 20 points each.
    assert score["score"] == "55.00"


def test_events_after_today_do_not_count_yet(api, ministry, monkeypatch):
    ShowcaseFactory(organisation=ministry["office"], held_on=datetime.date(2026, 3, 1))
    monkeypatch.setattr(plans, "today", lambda: datetime.date(2026, 2, 1))
    plan = api.post(
        "/action-plans", body(ministry["ministry"], kpi("showcases_held", "1", "100"))
    ).json()
    assert plan["kpis"][0]["actual"] == "0.00"
    monkeypatch.setattr(plans, "today", lambda: datetime.date(2026, 3, 1))
    assert api.get(f"/action-plans/{plan['id']}/score").json()["score"] == "100.00"


def test_citizen_days_saved_sums_the_pilots_annual_savings(api, ministry):
    office = ministry["office"]
    pilot = completed(office, datetime.date(2026, 2, 1), annual_volume=1_000)
    for phase, days in (("baseline", "10"), ("baseline", "11"), ("after", "3"), ("after", "2.5")):
        MeasurementFactory(
            pilot=pilot,
            phase=phase,
            journey=JourneyFactory(service=pilot.service, area=pilot.area, tcv_days=D(days)),
        )
    # A completed pilot without an after phase saves nothing that can be drawn.
    completed(office, datetime.date(2026, 2, 1), annual_volume=500)
    expected = impact_of(pilot)["annual_savings"]["citizen_days"]
    assert expected == D("7750.00")  # (10.5 - 2.75) x 1,000
    plan = api.post(
        "/action-plans", body(ministry["ministry"], kpi("citizen_days_saved", "10000", "100"))
    ).json()
    assert plan["kpis"][0]["actual"] == "7750.00"
    assert api.get(f"/action-plans/{plan['id']}/score").json()["score"] == "77.50"


def test_the_saving_from_sums_is_the_impacts():
    from innohub.pipeline.impact import annual_saving
    from innohub.services.tcv import Tcv

    before = [Tcv(days=D("3.33")), Tcv(days=D("1")), Tcv(days=D("2.01"))]
    after = [Tcv(days=D("0.5")), Tcv(days=D("0.25"))]
    drawn = impact(before, after, annual_volume=777)["annual_savings"]["citizen_days"]
    assert annual_saving((D("6.34"), 3), (D("0.75"), 2), annual_volume=777) == drawn


# --- Manual actuals and who may write ---------------------------------------------------------


def test_a_computed_kpi_is_not_entered_by_hand(api, ministry):
    plan = api.post(
        "/action-plans", body(ministry["ministry"], kpi("showcases_held", "1", "100"))
    ).json()
    answer = api.put(f"/action-plans/{plan['id']}/kpis/{plan['kpis'][0]['id']}", {"actual": 5})
    assert answer.status_code == 409


def test_the_organisations_innovation_team_enters_actuals_others_may_not(client, api, ministry):
    plan = api.post("/action-plans", body(ministry["ministry"], kpi("manual", "2", "100"))).json()
    url = f"/action-plans/{plan['id']}/kpis/{plan['kpis'][0]['id']}"
    team = InnovationTeamFactory(organisation=ministry["ministry"])
    member = UserFactory()
    team.members.add(member)
    assert JsonApi(client, member).put(url, {"actual": 1}).status_code == 200
    stranger = JsonApi(client, UserFactory())
    assert stranger.put(url, {"actual": 2}).status_code == 403
    assert (
        stranger.post(
            "/action-plans", body(ministry["ministry"], kpi("manual", "1", "100"))
        ).status_code
        == 403
    )
    assert Kpi.objects.get().actual == D(1)
    assert api.put(f"/action-plans/{plan['id']}/kpis/999999", {"actual": 1}).status_code == 404
    assert api.put(url, {"actual": "-1"}).status_code == 422


# --- Ranking, trend, lists ---------------------------------------------------------------------


def test_the_ranking_of_a_period_puts_the_highest_score_first(api, ministry):
    scores = {"Ministry of Land": "3", "Health": "4", "Education": "3"}
    education = OrganisationFactory(name="Education")
    orgs = {
        "Ministry of Land": ministry["ministry"],
        "Health": ministry["other"],
        "Education": education,
    }
    for name, actual in scores.items():
        plan = api.post("/action-plans", body(orgs[name], kpi("manual", "4", "100"))).json()
        api.put(f"/action-plans/{plan['id']}/kpis/{plan['kpis'][0]['id']}", {"actual": actual})
    api.post(
        "/action-plans",
        body(education, kpi("manual", "4", "100"), starts_on="2024-07-01", ends_on="2025-06-30"),
    )
    ranking = api.get("/action-plans/ranking", starts_on=str(YEAR_START)).json()
    assert [(row["rank"], row["organisation_name"], row["score"]) for row in ranking] == [
        (1, "Health", "100.00"), (2, "Education", "75.00"), (2, "Ministry of Land", "75.00"),
    ]  # fmt: skip
    assert api.get("/action-plans/ranking").status_code == 422  # the period is named


def test_the_trend_is_the_score_at_each_months_end(api, ministry, monkeypatch):
    monkeypatch.setattr(plans, "today", lambda: datetime.date(2025, 9, 10))
    ShowcaseFactory(organisation=ministry["office"], held_on=datetime.date(2025, 8, 31))
    ShowcaseFactory(organisation=ministry["office"], held_on=datetime.date(2025, 9, 1))
    plan = api.post(
        "/action-plans", body(ministry["ministry"], kpi("showcases_held", "4", "100"))
    ).json()
    trend = api.get(f"/action-plans/{plan['id']}/trend").json()
    assert trend == [
        {"month": "2025-07", "score": "0.00"},
        {"month": "2025-08", "score": "25.00"},
        {"month": "2025-09", "score": "50.00"},
    ]


def test_the_list_costs_the_same_queries_for_many_plans(api, ministry):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/action-plans").status_code == 200
        return len(queries)

    every = [kpi(m, "1", "20") for m in (
        "showcases_held", "pilots_completed", "officers_trained", "citizen_days_saved", "manual",
    )]  # fmt: skip
    api.post("/action-plans", body(ministry["ministry"], *every))
    one = page_queries()
    for _ in range(5):
        api.post("/action-plans", body(OrganisationFactory(), *every))
    assert page_queries() == one
    listed = api.get("/action-plans", organisation=ministry["ministry"].pk).json()
    assert listed["count"] == 1
