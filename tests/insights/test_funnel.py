"""The national funnel on hand-built data: what counts where (pilots by their own place,
ideas by their proposer's, people trained by theirs), filters below a tree node, trained
once, replications as pilots, and the roll-ups kept current as data changes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from innohub.insights import rollups, selectors
from innohub.insights.models import MonthFigures, NationalMonth, Standing
from innohub.training.models import Trained
from tests.factories import UserFactory
from tests.pipeline.factories import PilotFactory
from tests.services.factories import JsonApi

pytestmark = pytest.mark.django_db


def test_the_national_funnel(land):
    funnel = selectors.funnel()
    # Ideas: the three placed ones and the five pilots' own (their proposers named no place).
    assert {key: funnel[key] for key in (
        "trained", "ideas", "pilots", "ongoing", "completed", "discontinued", "replicated",
        "scaled", "citizens_reached", "other_currency_pilots",
    )} == {
        "trained": 2, "ideas": 8, "pilots": 5, "ongoing": 3, "completed": 1, "discontinued": 1,
        "replicated": 1, "scaled": 1, "citizens_reached": 12_000, "other_currency_pilots": 1,
    }  # fmt: skip
    # Money in the deployment's currency only; the pilot in euros is counted apart.
    assert (funnel["budget"], funnel["spent"]) == (Decimal("600.00"), Decimal("490.00"))


def test_filters_take_everything_below_a_tree_node(land):
    ministry = selectors.funnel(organisation=land["lands"])
    assert (ministry["pilots"], ministry["ideas"], ministry["trained"]) == (4, 2, 1)
    district = selectors.funnel(area=land["dhaka"])
    assert (district["pilots"], district["replicated"], district["trained"]) == (4, 1, 1)
    office = selectors.funnel(organisation=land["dhamrai_office"])
    assert (office["pilots"], office["ongoing"], office["discontinued"]) == (2, 1, 1)
    # An idea whose proposer named no area counts for its ministry, not for any area.
    assert selectors.funnel(organisation=land["health"])["ideas"] == 1
    assert selectors.funnel(area=land["gazipur"])["ideas"] == 0
    both = selectors.funnel(organisation=land["health"], area=land["dhaka"])
    assert both["pilots"] == 0 and both["trained"] == 0


def test_month_by_month_with_empty_months(land):
    months = selectors.monthly(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 1))
    by = {row["month"].month: row for row in months}
    assert [row["month"].month for row in months] == [1, 2, 3, 4, 5, 6]
    assert (by[1]["pilots_started"], by[2]["trained"], by[4]["pilots_started"]) == (1, 2, 0)
    assert (by[5]["completed"], by[6]["scale_ups"], by[6]["pilots_started"]) == (1, 1, 1)


def test_changes_are_counted_as_they_are_written(land, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        PilotFactory(organisation=land["savar_office"], area=land["savar"], status="completed")
    assert selectors.funnel(area=land["savar"])["completed"] == 2
    # A person whose earlier completion is found later moves to where they were then.
    trained = Trained.objects.get(organisation=land["gazipur_office"])
    with django_capture_on_commit_callbacks(execute=True):
        trained.organisation, trained.area = land["dhamrai_office"], land["dhamrai"]
        trained.save()
    assert selectors.funnel(area=land["gazipur"])["trained"] == 0
    assert selectors.funnel(area=land["dhamrai"])["trained"] == 1
    assert selectors.funnel()["trained"] == 2


def test_spending_written_without_a_save_is_counted(land, django_capture_on_commit_callbacks):
    from innohub.pipeline import pilots

    ongoing = land["completed"].__class__.objects.get(
        organisation=land["savar_office"], status="ongoing"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pilots.record_spend(
            by=ongoing.lead,
            pilot=ongoing,
            amount=Decimal("10.00"),
            spent_on=datetime.date(2026, 4, 1),
        )
    assert selectors.funnel(area=land["savar"])["spent"] == Decimal("500.00")


def test_a_rebuild_gives_the_same_figures_as_counting_on_write(land):
    before = selectors.funnel()
    months = list(MonthFigures.objects.order_by("key", "month").values())
    Standing.objects.update(trained=99)
    rollups.rebuild()
    assert selectors.funnel() == before
    assert [
        {k: v for k, v in row.items() if k != "id"}
        for row in MonthFigures.objects.order_by("key", "month").values()
    ] == [{k: v for k, v in row.items() if k != "id"} for row in months]


def test_the_funnel_through_the_api(client, land):
    api = JsonApi(client, UserFactory())
    body = api.get("/stats/funnel", area="BD-13").json()
    assert (body["pilots"], body["budget"], body["currency"]) == (4, "600.00", "BDT")
    assert api.get("/stats/funnel", organisation="999999").status_code == 422
    months = api.get("/stats/funnel/monthly", **{"from": "2026-01", "to": "2026-03"}).json()
    assert [row["month"] for row in months] == ["2026-01", "2026-02", "2026-03"]
    assert months[1]["trained"] == 2
    bad = api.get("/stats/funnel/monthly", **{"from": "2026-05", "to": "2026-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "from"
    assert api.get("/stats/funnel/monthly", to="2026-13").status_code == 422
    assert api.get("/stats/funnel/monthly", **{"from": "0000-01"}).status_code == 422
    assert client.get("/api/v1/stats/funnel").status_code == 401


def test_marks_of_a_transaction_rolled_back_do_not_stop_later_counts(
    land, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from innohub.insights.rollups import touch

    try:
        with transaction.atomic():
            touch(land["savar_office"].pk, land["savar"].pk)
            raise RuntimeError("the write failed")
    except RuntimeError:
        pass
    with django_capture_on_commit_callbacks(execute=True):
        PilotFactory(organisation=land["gazipur_office"], area=land["gazipur"], status="completed")
    assert selectors.funnel(area=land["gazipur"])["completed"] == 1


def test_the_bulk_rebuild_counts_what_the_writes_counted(land):
    def snapshot() -> tuple[set, set]:
        standing = set(
            Standing.objects.values_list(
                "key", "trained", "ideas", "draft", "submitted", "approved", "ongoing",
                "completed", "discontinued", "replicated", "scaled", "citizens_reached",
                "budget", "spent", "other_currency_pilots",
            )
        )  # fmt: skip
        months = set(
            MonthFigures.objects.values_list(
                "key", "month", "trained", "ideas", "pilots_started", "completed",
                "replications", "scale_ups",
            )
        )  # fmt: skip
        return standing, months

    written = snapshot()
    assert rollups.rebuild_all() == len(written[0])
    assert snapshot() == written


def _months_of(rows) -> dict[datetime.date, dict[str, int]]:
    return {
        row["month"]: {name: row[name] for name in rollups.FLOWS}
        for row in rows
        if any(row[name] for name in rollups.FLOWS)
    }


def _pairs_summed() -> dict[datetime.date, dict[str, int]]:
    return _months_of(
        MonthFigures.objects.values("month").annotate(**{name: Sum(name) for name in rollups.FLOWS})
    )


def _nation() -> dict[datetime.date, dict[str, int]]:
    return _months_of(NationalMonth.objects.values("month", *rollups.FLOWS))


def test_the_nations_months_follow_every_write(land, django_capture_on_commit_callbacks):
    assert _nation() == _pairs_summed()
    assert _nation()[datetime.date(2026, 2, 1)]["trained"] == 2
    completed = land["completed"]
    with django_capture_on_commit_callbacks(execute=True):
        # A pilot started in another month moves between the nation's months…
        completed.started_on = datetime.date(2026, 4, 3)
        completed.save()
        # …one deleted leaves them, one new joins them.
        PilotFactory(
            organisation=land["savar_office"], area=land["savar"], status="ongoing",
            started_on=datetime.date(2025, 12, 1),
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        land["completed"].__class__.objects.get(status="discontinued").delete()
    nation = _nation()
    assert nation == _pairs_summed()
    assert datetime.date(2026, 1, 1) not in nation  # its only pilot started moved to April
    assert nation[datetime.date(2026, 4, 1)]["pilots_started"] == 1
    assert nation[datetime.date(2025, 12, 1)]["pilots_started"] == 1
    months = selectors.monthly(start=datetime.date(2025, 12, 1), end=datetime.date(2026, 6, 1))
    assert [row["pilots_started"] for row in months] == [1, 0, 0, 1, 1, 0, 1]


def test_the_nations_trend_is_one_query_and_the_bulk_rebuild_keeps_it(
    land, django_assert_num_queries
):
    with django_assert_num_queries(1):
        sixty = selectors.monthly(start=datetime.date(2022, 1, 1), end=datetime.date(2026, 12, 1))
    assert len(sixty) == 60
    counted = _nation()
    NationalMonth.objects.update(ideas=99)
    rollups.rebuild_all()
    assert _nation() == counted == _pairs_summed()
