"""The journey import, import progress and export pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path

from innohub import urls as project_urls
from innohub.services import views_files
from innohub.services.models import ImportStatus, Journey, JourneyImport
from tests.factories import AreaFactory, UserFactory
from tests.services.factories import JourneyFactory, ServiceFactory
from tests.services.test_import import csv_file, row

# The pages under the path the project includes them at.
urlpatterns = [
    path("services/journeys/", include("innohub.services.urls_files")),
    *project_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

IMPORT_URL = "/services/journeys/import/"


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def area():
    return AreaFactory(code="BD-13")


def test_the_import_page_shows_a_labelled_file_field(client, person):
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and "govuk-file-upload" in html
    assert 'enctype="multipart/form-data"' in html
    assert "more than 100,000 rows" in html and "at most 200.0\xa0MB" in html


def test_a_good_file_is_imported_and_the_counts_shown(client, person, service, area):
    data = csv_file([row(service, area, "J1"), row(service, area, "J2")]).getvalue()

    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("j.csv", data)})

    assert response.status_code == 200
    assert "2 journeys created" in response.content.decode()
    assert Journey.objects.filter(observer=person).count() == 2
    # From the result to what the file created, and to nothing else.
    job = JourneyImport.objects.get()
    link = f"/services/journeys/mine/?import={job.pk}"
    assert link in response.content.decode()
    JourneyFactory(observer=person)  # recorded by hand: not the file's
    listed = client.get(link)
    assert "Journeys imported from j.csv" in listed.content.decode()
    assert sorted(j.ref for j in listed.context["pager"]["page"].object_list) == ["J1", "J2"]
    client.force_login(UserFactory())  # someone else may not follow it
    assert client.get(link).status_code == 404
    assert client.get("/services/journeys/mine/?import=abc").status_code == 404


def test_a_bad_file_lists_every_problem_with_its_line_and_column(client, person, service, area):
    data = csv_file([row(service, area, "J1", visits=-1), row(service, area, "J2", area="NO")])

    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("j.csv", data.getvalue())})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and 'id="import-errors"' in html
    assert "<code>visits</code>" in html and "<code>area</code>" in html
    assert Journey.objects.count() == 0


def test_no_file_or_another_kind_of_file_is_a_form_error(client, person):
    assert "govuk-error-summary" in client.post(IMPORT_URL, {}).content.decode()
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("j.pdf", b"%PDF")})
    assert "Choose a .csv or .xlsx file." in response.content.decode()


def test_a_large_file_goes_to_its_progress_page(
    client, person, service, area, monkeypatch, settings, tmp_path,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.IMPORT_DIR = tmp_path / "imports"
    monkeypatch.setattr(views_files, "MAX_ROWS_IN_REQUEST", 1)
    data = csv_file([row(service, area, "J1"), row(service, area, "J2")]).getvalue()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("big.csv", data)})

    job = JourneyImport.objects.get()
    assert response.status_code == 302
    assert response.url == f"/services/journeys/imports/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert "Waiting to start" in page and "big.csv" in page

    from innohub.services.tasks import run_journey_import

    run_journey_import.call(job.pk)

    page = client.get(response.url).content.decode()
    assert "2 journeys created" in page


def test_a_failed_import_shows_its_problems(client, person):
    job = JourneyImport.objects.create(
        by=person,
        status=ImportStatus.FAILED,
        errors=[{"line": 7, "field": "fees", "message": "May not be negative."}],
    )
    html = client.get(f"/services/journeys/imports/{job.pk}/").content.decode()
    assert "May not be negative." in html and "<code>fees</code>" in html


def test_another_persons_import_page_is_404(client, person):
    job = JourneyImport.objects.create(by=UserFactory())
    assert client.get(f"/services/journeys/imports/{job.pk}/").status_code == 404


def test_the_export_page_shows_a_form_and_then_gives_the_file(client, person, service, area):
    assert "govuk-radios" in client.get("/services/journeys/export/").content.decode()
    response = client.get("/services/journeys/export/", {"format": "csv", "area": "BD-13"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfjourney_ref,service,area")


def test_an_unknown_area_re_renders_the_export_form_with_the_error(client, person):
    response = client.get("/services/journeys/export/", {"format": "csv", "area": "NOPE"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "NOPE" in html


def test_the_pages_need_a_signed_in_person(client):
    assert client.get(IMPORT_URL).status_code == 302


def test_an_import_id_beyond_the_databases_integers_is_404(client, person):
    assert client.get(f"/services/journeys/imports/{10**30}/").status_code == 404


def test_a_file_over_the_size_limit_is_a_form_error_saying_both_sizes(
    client, person, service, area, settings
):
    data = csv_file([row(service, area, "J1")]).getvalue()
    settings.IMPORT_MAX_BYTES = 100

    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("j.csv", data)})

    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f"The file is {len(data)}\xa0bytes; files of at most 100\xa0bytes" in html
    assert Journey.objects.count() == 0 and JourneyImport.objects.count() == 0


def test_a_file_of_many_bad_rows_shows_the_first_1000_and_how_many_more(
    client, person, service, area
):
    rows = [row(service, area, f"J{n}", visits=-1, fees="x") for n in range(600)]

    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("j.csv", csv_file(rows).getvalue())}
    )

    page = response.content.decode()
    assert "the file has 1,200 problems" in page
    assert page.count('<td class="govuk-table__cell govuk-table__cell--numeric">') == 1_000
    assert "And 200 more problems" in page
