"""`POST /api/v1/journeys/import` and `GET /api/v1/journeys/imports/{id}` (API.md)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path
from ninja import NinjaAPI
from ninja.security import django_auth

from innohub import urls as project_urls
from innohub.accounts.auth import TokenAuth
from innohub.accounts.models import ApiToken
from innohub.api import errors
from innohub.services import api_files
from innohub.services.models import ImportStatus, Journey, JourneyImport
from tests.factories import AreaFactory, UserFactory
from tests.services.factories import ServiceFactory
from tests.services.test_import import csv_file, row

# The router under its contract path, on an API of its own (the project mounts the same
# operations in innohub.api.main, before the journeys router).
api = NinjaAPI(urls_namespace="svcimport-test", auth=[TokenAuth(), django_auth])
errors.install(api)
api.add_router("/journeys", api_files.build_router())
urlpatterns = [path("api/v1/", api.urls), *project_urls.urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def person():
    return UserFactory()


@pytest.fixture
def auth(person) -> dict[str, str]:
    _, secret = ApiToken.issue(user=person)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def area():
    return AreaFactory(code="BD-13")


def upload(content: bytes, name: str = "journeys.csv") -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def test_a_small_file_is_imported_within_the_request(client, auth, service, area, person):
    data = csv_file([row(service, area, "J1"), row(service, area, "J2")]).getvalue()

    response = client.post("/api/v1/journeys/import", upload(data), **auth)

    assert response.status_code == 200
    assert response.json() == {"created": 2, "skipped_duplicates": 0}
    assert set(Journey.objects.values_list("observer", flat=True)) == {person.pk}
    again = client.post("/api/v1/journeys/import", upload(data), **auth)
    assert again.json() == {"created": 0, "skipped_duplicates": 2}


def test_a_bad_file_answers_422_listing_every_bad_row(client, auth, service, area):
    data = csv_file([row(service, area, "J1", visits=-1), row(service, area, "J2", area="NO")])

    response = client.post("/api/v1/journeys/import", upload(data.getvalue()), **auth)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert [(e["line"], e["field"]) for e in body["errors"]] == [(2, "visits"), (3, "area")]
    assert Journey.objects.count() == 0


def test_without_a_file_the_answer_is_422(client, auth):
    response = client.post("/api/v1/journeys/import", {}, **auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_an_anonymous_caller_gets_401(client, service, area):
    response = client.post("/api/v1/journeys/import", upload(b"journey_ref\n"))
    assert response.status_code == 401


# A real transaction: the worker commits and closes its connection as in production.
@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_queued_and_its_progress_can_be_followed(
    client, auth, service, area, person, settings, tmp_path, monkeypatch
):
    settings.IMPORT_DIR = tmp_path / "imports"
    monkeypatch.setattr(api_files, "MAX_ROWS_IN_REQUEST", 2)
    data = csv_file([row(service, area, f"J{n}") for n in range(3)]).getvalue()

    response = client.post("/api/v1/journeys/import", upload(data), **auth)

    assert response.status_code == 202
    job_id = response.json()["import"]
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1  # enqueued once the upload was committed
    queued = client.get(f"/api/v1/journeys/imports/{job_id}", **auth).json()
    assert (queued["status"], queued["result"], queued["file_name"]) == (
        "queued", None, "journeys.csv",
    )  # fmt: skip
    assert Journey.objects.count() == 0

    from django.core.management import call_command

    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    done = client.get(f"/api/v1/journeys/imports/{job_id}", **auth).json()
    assert done["status"] == "done"
    assert (done["progress_rows"], done["total_rows"]) == (3, 3)
    assert done["result"] == {"created": 3, "skipped_duplicates": 0}
    assert done["finished"] is not None
    assert Journey.objects.count() == 3
    assert list(tmp_path.joinpath("imports").iterdir()) == []  # the upload is not kept


def test_another_persons_import_is_404(client, auth):
    job = JourneyImport.objects.create(by=UserFactory(), status=ImportStatus.DONE)
    assert client.get(f"/api/v1/journeys/imports/{job.pk}", **auth).status_code == 404
    assert client.get("/api/v1/journeys/imports/999999", **auth).status_code == 404


def test_ids_beyond_the_databases_integers_are_404_or_422_never_500(client, auth):
    huge = 10**30
    assert client.get(f"/api/v1/journeys/imports/{huge}", **auth).status_code in (404, 422)
    response = client.get(f"/api/v1/journeys/export?service={huge}", **auth)
    assert response.status_code == 422
    assert client.get("/api/v1/journeys/export?service=true", **auth).status_code == 422
    assert client.get("/api/v1/journeys/export?area=a%00b", **auth).status_code == 422
    assert client.get("/api/v1/journeys/export?format=pdf", **auth).status_code == 422


def test_a_file_over_the_size_limit_is_refused_naming_the_file(
    client, auth, service, area, settings
):
    data = csv_file([row(service, area, "J1"), row(service, area, "J2")]).getvalue()
    settings.IMPORT_MAX_BYTES = len(data) - 1

    response = client.post("/api/v1/journeys/import", upload(data), **auth)

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "file"
    assert "Split it into several files" in error["message"]
    assert Journey.objects.count() == 0 and JourneyImport.objects.count() == 0

    settings.IMPORT_MAX_BYTES = len(data)  # at the limit is accepted
    assert client.post("/api/v1/journeys/import", upload(data), **auth).status_code == 200


def test_an_administrator_who_is_not_a_superuser_follows_anyones_import(client):
    from innohub.core import roles

    administrator = UserFactory(roles=[roles.ADMINISTRATOR])
    _, secret = ApiToken.issue(user=administrator)
    job = JourneyImport.objects.create(by=UserFactory(), status=ImportStatus.DONE)
    answer = client.get(f"/api/v1/journeys/imports/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200
    assert answer.json()["id"] == job.pk


def test_a_header_of_100000_columns_lists_1000_problems_and_counts_them_all(client, auth):
    # It answered 100,019 errors in an 8.1 MB body.
    header = ",".join(f"junk{n}" for n in range(100_000)).encode()

    response = client.post("/api/v1/journeys/import", upload(header + b"\n"), **auth)

    assert response.status_code == 422
    body = response.json()
    assert len(body["errors"]) == 1_000 and body["errors_total"] == 100_000 + 16
    assert body["errors"][0]["line"] == 1
    assert len(response.content) < 400_000


def test_a_file_of_many_bad_rows_lists_the_first_1000_in_file_order(client, auth, service, area):
    rows = [row(service, area, f"J{n}", visits=-1, fees="x") for n in range(600)]

    response = client.post("/api/v1/journeys/import", upload(csv_file(rows).getvalue()), **auth)

    body = response.json()
    assert response.status_code == 422 and body["errors_total"] == 1_200
    assert [error["line"] for error in body["errors"][:4]] == [2, 2, 3, 3]
    assert body["errors"][-1]["line"] == 501  # rows 2 to 501: the file's first 1,000 problems
    assert Journey.objects.count() == 0
