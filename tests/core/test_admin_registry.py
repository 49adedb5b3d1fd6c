"""Every domain model is in the admin, and every domain model keeps history."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin

DOMAIN_APPS = [
    "core", "geo", "orgs", "accounts", "services", "pipeline", "training", "engagement",
    "talent", "insights",
]  # fmt: skip
# Not domain records: tokens are secrets (revoked, never edited); a bulk import *is* an audit
# entry; background jobs (imports, exports) are their own record, written by the worker.
# Journey steps, channels and pain points are parts of a journey or service, written in bulk.
WITHOUT_HISTORY = {
    "services.JourneyImport",
    "services.JourneyExport",
    "accounts.ApiToken",
    "core.BulkImport",
    "services.JourneyStep",
    "services.ServiceChannel",
    "services.PainPoint",
    # A notification is itself the record of a message sent; a pilot's move is itself history;
    # search entries and word counts are derived from the ideas, pilots and lessons; a support
    # is one click with its time; a design's activities and budget lines are parts of it,
    # written again with it (the design keeps history).
    "accounts.Notification",
    "pipeline.PilotEvent",
    "pipeline.SearchEntry",
    "pipeline.SearchTerm",
    "pipeline.Support",
    "pipeline.Activity",
    "pipeline.BudgetLine",
    # A showcase pilot's roll-up of its scores, which keep history.
    "pipeline.Presentation",
    # Attendance is one tap with who and when; the participant's count keeps history.
    "training.Attendance",
    # The schedule's record of a duty done: written once, itself the history.
    "core.ScheduledRun",
    "core.WorkerBeat",
    # Roll-ups counted again from the records (which keep history); a review is a job.
    "insights.Standing",
    "insights.MonthFigures",
    "insights.NationalMonth",
    "insights.MonthlyReport",
    # Engagement's counters and reach by area are roll-ups; the rate limit's counts and the
    # erasures are not records of anyone's work.
    "engagement.OrganisationEngagement",
    "engagement.ConsultationArea",
    "engagement.OrganisationArea",
    "engagement.ContributionQuota",
    "engagement.Erasure",
    # A challenge's skills are part of it, written again with it (the challenge keeps
    # history); the workforce counts are snapshots counted from the records.
    "talent.ChallengeSkill",
    "talent.WorkforceSnapshot",
}


def domain_models():
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


@pytest.mark.parametrize("model", list(domain_models()), ids=lambda m: m._meta.label)
def test_model_is_in_the_admin(model):
    assert model in admin.site._registry


@pytest.mark.parametrize(
    "model",
    [m for m in domain_models() if m._meta.label not in WITHOUT_HISTORY],
    ids=lambda m: m._meta.label,
)
def test_model_keeps_history(model):
    assert hasattr(model, "history"), f"{model._meta.label} has no HistoricalRecords"
