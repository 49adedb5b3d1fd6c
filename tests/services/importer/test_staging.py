"""Staging (ADR 0014): an import's journeys, written a batch per short transaction, are seen by
no one until one transaction publishes them; what is never published is discarded."""

from __future__ import annotations

import datetime
import pickle
import tempfile

import pytest
from django.test import Client

from innohub.core import jobs, roles
from innohub.core.models import BulkImport
from innohub.services import exporter, selectors, tasks
from innohub.services import importer as importer_module
from innohub.services.importer import import_journeys, staging
from innohub.services.journeys import create_journey
from innohub.services.models import (
    ImportStatus,
    Journey,
    JourneyImport,
    JourneyStep,
    PainPoint,
)
from innohub.services.steps import StepData
from tests.accounts.helpers import sign_in_verified
from tests.factories import UserFactory
from tests.geo.conftest import person_in
from tests.services.factories import JsonApi
from tests.services.test_import import csv_file, row

pytestmark = pytest.mark.django_db

CONFLICT = "Journeys changed while this file was imported: import it again."


@pytest.fixture(autouse=True)
def staged_on_every_database(monkeypatch):
    """PostgreSQL writes in one transaction instead (its MVCC hides it): staging is what these
    tests are about, so they stage there too."""
    monkeypatch.setattr(importer_module, "stages_in_short_transactions", lambda: True)
    # A transaction per spilled batch, so that tests setting JOURNEY_BATCH see each one.
    monkeypatch.setattr(staging, "STAGE_JOURNEYS", 1)


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "shared-imports"


def file_of(service, area, refs: list[str], steps: int = 2):
    return csv_file(
        [
            row(service, area, ref, title=f"Step {n}", pain_point_category="waiting" if n else "")
            for ref in refs
            for n in range(steps)
        ]
    )


def staged_count() -> int:
    return Journey.with_staged.filter(staged_by__isnull=False).count()


def test_staged_journeys_are_seen_nowhere_until_the_import_publishes(
    importer,
    service,
    area,
    monkeypatch,
    client,
):
    """Mid-way through an import (its first batch written, the second not), its journeys are
    in no list, count, statistic, export, API answer or page, and hold no reference."""
    monkeypatch.setattr(importer_module, "JOURNEY_BATCH", 1)
    sign_in_verified(client, person_in(roles.ADMINISTRATOR, is_staff=True, is_superuser=True))
    api = JsonApi(Client(), importer)  # a program, apart from the administrator's pages
    seen_mid_way: list[dict[str, object]] = []
    real_insert = staging.insert_batch

    def insert_then_look(rows):
        created = real_insert(rows)
        if not seen_mid_way:  # the first batch is written and committed; look around
            (journey,) = Journey.with_staged.filter(staged_by__isnull=False)
            step = JourneyStep.objects.filter(journey=journey).first()
            seen_mid_way.append(
                {
                    "staged": journey.ref,
                    "objects": Journey.objects.count(),
                    "list": selectors.journey_list().count(),
                    "mine": selectors.journey_list(observer=importer).count(),
                    "detail": selectors.journey_detail(journey.pk),
                    "with_place": selectors.journey_with_place(journey.pk),
                    "with_steps": selectors.journey_with_steps(journey.pk),
                    "tcv_n": selectors.tcv_distribution(service=service).n,
                    "export": exporter.csv_bytes(exporter.journeys_to_export()).count(b"\n"),
                    "api_list": api.get("/journeys").json()["count"],
                    "api_one": api.get(f"/journeys/{journey.pk}").status_code,
                    "api_tcv": api.get(f"/services/{service.pk}/tcv").json(),
                    "page": client.get(f"/services/journeys/{journey.pk}/").status_code,
                    "admin": client.get(
                        f"/admin/services/journey/{journey.pk}/change/"
                    ).status_code,
                    "admin_list": client.get("/admin/services/journey/").context["cl"].result_count,
                    "admin_steps": client.get("/admin/services/journeystep/")
                    .context["cl"]
                    .result_count,
                    "admin_pains": client.get("/admin/services/painpoint/")
                    .context["cl"]
                    .result_count,
                    "step": step is not None,
                }
            )
            # An officer may record a journey of the same reference meanwhile: the staged
            # one holds none (it is not the one of this test: "J0" waits, "J9" is free).
            create_journey(
                by=UserFactory(),
                service=service,
                area=area,
                observed_on=datetime.date(2025, 3, 1),
                method="secret_shopper",
                ref="J9",
                steps=[StepData(title="Counter")],
            )
        return created

    monkeypatch.setattr(staging, "insert_batch", insert_then_look)
    result = import_journeys(source=file_of(service, area, ["J0", "J1"]), by=importer)

    assert result.ok and result.created == 2
    (mid_way,) = seen_mid_way
    assert mid_way["staged"] == "J0" and mid_way["step"]  # written, not seen
    assert {key: value for key, value in mid_way.items() if key not in ("staged", "step")} == {
        "objects": 0,
        "list": 0,
        "mine": 0,
        "detail": None,
        "with_place": None,
        "with_steps": None,
        "tcv_n": 0,
        "export": 1,  # the header alone
        "api_list": 0,
        "api_one": 404,
        "api_tcv": mid_way["api_tcv"],
        "page": 404,
        "admin": 302,  # "doesn't exist": back to the admin's index
        "admin_list": 0,
        "admin_steps": 0,
        "admin_pains": 0,
    }
    assert mid_way["api_tcv"]["n"] == 0  # type: ignore[index]
    # Published: every journey seen at once, none left staged.
    assert set(Journey.objects.values_list("ref", flat=True)) == {"J0", "J1", "J9"}
    assert staged_count() == 0
    assert selectors.tcv_distribution(service=service).n == 3


def test_a_failed_import_leaves_nothing_staged(importer, service, area, monkeypatch):
    monkeypatch.setattr(importer_module, "JOURNEY_BATCH", 1)
    real_insert = staging.insert_batch
    calls: list[int] = []

    def insert_then_fail(rows):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real_insert(rows)

    monkeypatch.setattr(staging, "insert_batch", insert_then_fail)
    with pytest.raises(RuntimeError):
        import_journeys(source=file_of(service, area, ["J0", "J1"]), by=importer)

    job = JourneyImport.objects.get()  # an import within the request has a job too
    assert (job.status, job.error) == (ImportStatus.FAILED, jobs.CRASHED)
    assert staged_count() == 0 and Journey.with_staged.count() == 0
    assert JourneyStep.objects.count() == 0 and PainPoint.objects.count() == 0


def test_a_publish_meeting_an_officers_journey_of_the_same_ref_fails_cleanly(
    importer,
    service,
    area,
    monkeypatch,
):
    """Between the check and the publish an officer records "J1": the officer's journey is
    saved (a staged one holds no reference), the import's publish then fails, nothing of it
    is left, and the person importing is told to import again."""
    officer_records_after("stage", monkeypatch, service, area, "J1")
    result = import_journeys(source=file_of(service, area, ["J0", "J1", "J2"]), by=importer)

    assert [(error.line, error.message) for error in result.errors] == [(1, CONFLICT)]
    assert staged_count() == 0
    (officers,) = Journey.objects.all()
    assert (officers.ref, officers.method) == ("J1", "citizen_interview")
    assert JourneyStep.objects.count() == 1 and PainPoint.objects.count() == 0
    assert BulkImport.objects.count() == 0
    job = JourneyImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert [error["message"] for error in job.errors] == [CONFLICT]


def test_a_conflict_without_staging_fails_as_cleanly(importer, service, area, monkeypatch):
    """PostgreSQL's one transaction meets the officer's reference (recorded after the check)
    when it inserts."""
    monkeypatch.setattr(importer_module, "stages_in_short_transactions", lambda: False)
    officer_records_after("existing_fingerprints", monkeypatch, service, area, "J1")
    result = import_journeys(source=file_of(service, area, ["J0", "J1"]), by=importer)

    assert [error.message for error in result.errors] == [CONFLICT]
    assert list(Journey.with_staged.values_list("ref", flat=True)) == ["J1"]


def test_a_queued_again_import_discards_what_its_killed_run_staged_and_writes_each_journey_once(
    importer,
    service,
    area,
    monkeypatch,
):
    """A worker killed mid-write leaves its first batches staged; the sweep queues the job
    again; the next run discards them first and ends with every journey once."""
    refs = [f"J{n}" for n in range(5)]
    job = tasks.queue_journey_import(
        by=importer, source=file_of(service, area, refs), file_name="j.csv"
    )
    monkeypatch.setattr(importer_module, "JOURNEY_BATCH", 2)
    real_insert = staging.insert_batch
    calls: list[int] = []

    def insert_then_die(rows):
        calls.append(1)
        if len(calls) == 3:
            raise SystemExit  # the worker is told to stop: its job is given back
        return real_insert(rows)

    monkeypatch.setattr(staging, "insert_batch", insert_then_die)
    with pytest.raises(SystemExit):
        tasks.run_journey_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    assert staged_count() == 4 and Journey.objects.count() == 0  # two batches, unseen

    monkeypatch.setattr(staging, "insert_batch", real_insert)
    assert tasks.run_journey_import.call(job.pk) == "done"

    assert sorted(Journey.objects.values_list("ref", flat=True)) == refs
    assert Journey.with_staged.count() == 5 and staged_count() == 0
    assert JourneyStep.objects.count() == 10 and PainPoint.objects.count() == 5
    job.refresh_from_db()
    assert (job.attempts, job.result) == (2, {"created": 5, "skipped_duplicates": 0})


def test_a_swept_import_of_a_dead_worker_discards_its_staged_journeys(
    importer,
    service,
    area,
    settings,
):
    """Killed outright (nothing ran after the kill): the sweep finds the stale lease and the
    next run starts from nothing; once attempts run out, failing the job discards them."""
    job = tasks.queue_journey_import(
        by=importer, source=file_of(service, area, ["J0", "J1"]), file_name="j.csv"
    )
    held = jobs.claim(JourneyImport, job.pk)
    assert held is not None
    staging.insert_batch(  # what the dead worker staged
        staging.prepare_batch([_parsed(service, area, "J0")], by=importer, staged_by=held.pk)
    )
    settings.JOB_MAX_ATTEMPTS = 1
    JourneyImport.objects.filter(pk=job.pk).update(
        lease_until=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )

    swept = jobs.sweep()

    assert swept.failed == 1
    assert staged_count() == 0 and Journey.with_staged.count() == 0


def test_cancelling_an_import_discards_its_staged_journeys(importer, service, area):
    job = JourneyImport.objects.create(by=importer, status=ImportStatus.RUNNING)
    staging.insert_batch(
        staging.prepare_batch([_parsed(service, area, "J0")], by=importer, staged_by=job.pk)
    )
    assert staged_count() == 1

    assert jobs.cancel(job)

    assert Journey.with_staged.count() == 0 and JourneyStep.objects.count() == 0


def test_a_worker_that_lost_its_job_stages_nothing_more(importer, service, area):
    job = tasks.queue_journey_import(
        by=importer, source=file_of(service, area, ["J0"]), file_name="j.csv"
    )
    held = jobs.claim(JourneyImport, job.pk)
    assert held is not None and jobs.cancel(held)
    with tempfile.TemporaryFile() as spill, pytest.raises(jobs.LeaseLost):
        pickle.dump([_parsed(service, area, "J0")], spill)
        spill.seek(0)
        staging.stage(spill, job=held, by=importer, skip=set())
    assert Journey.with_staged.count() == 0


def test_an_import_within_a_request_is_audited_as_a_job(importer, service, area):
    result = import_journeys(
        source=file_of(service, area, ["J0"]), by=importer, file_name="small.csv"
    )

    assert result.ok
    job = JourneyImport.objects.get()
    assert (job.status, job.file_name, job.by, job.stored_path) == (
        ImportStatus.DONE,
        "small.csv",
        importer,
        "",
    )
    assert job.result == {"created": 1, "skipped_duplicates": 0} and job.attempts == 1


def test_a_request_import_queued_again_by_the_sweep_fails_saying_why(importer):
    """Its request stopped mid-write (the server was killed): there is no file to import."""
    job = JourneyImport.objects.create(by=importer)

    assert tasks.run_journey_import.call(job.pk) == "failed"

    job.refresh_from_db()
    assert job.error == tasks.REQUEST_STOPPED


def test_staged_journeys_stay_out_of_the_ref_index_and_have_one_of_their_own():
    journey = Journey._meta
    (unique,) = journey.constraints
    assert "staged_by__isnull" in str(unique.condition)  # type: ignore[attr-defined]
    assert any(index.name == "journey_staged" for index in journey.indexes)


def officer_records(service, area, ref: str) -> None:
    create_journey(
        by=UserFactory(),
        service=service,
        area=area,
        observed_on=datetime.date(2025, 3, 2),
        method="citizen_interview",
        ref=ref,
        steps=[StepData(title="Counter")],
    )


def officer_records_after(step: str, monkeypatch, service, area, ref: str) -> None:
    """An officer records a journey of `ref` (in a transaction of their own) once the
    importer's `step` has run."""
    real = getattr(importer_module, step)

    def then_officer(*args, **kwargs):
        done = real(*args, **kwargs)
        officer_records(service, area, ref)
        return done

    monkeypatch.setattr(importer_module, step, then_officer)


def _parsed(service, area, ref):
    from innohub.services.importer.rows import ParsedJourney

    step = ("Apply", "", "", 0, "0.00", "0.00", "0.00", "0.00", "0.00", 1, "", "")
    return ParsedJourney(
        line=2,
        ref=ref,
        service_id=service.pk,
        area_id=area.pk,
        observed_on=datetime.date(2025, 3, 1),
        method="secret_shopper",
        steps=[step],
    )
