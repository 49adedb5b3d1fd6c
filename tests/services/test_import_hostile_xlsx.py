"""Journey files that are XLSX built to hurt (issue 12, "Hostile files refused cheaply"): a
ZIP bomb is refused on line 1 before it is parsed, through the API and the page, and a
sheet without a declared size is read only as far as the import goes, in memory that does
not grow with it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from ninja import NinjaAPI
from ninja.security import django_auth

from innohub import urls as project_urls
from innohub.accounts.auth import TokenAuth
from innohub.accounts.models import ApiToken
from innohub.api import errors
from innohub.services import api_files
from innohub.services.importer import count_rows, import_journeys
from innohub.services.models import Journey, JourneyImport
from tests.factories import UserFactory
from tests.services.test_import import HEADER
from tests.xlsx_files import bomb, peak_memory, tall_sheet

api = NinjaAPI(urls_namespace="svcimport-hostile-test", auth=[TokenAuth(), django_auth])
errors.install(api)
api.add_router("/journeys", api_files.build_router())
urlpatterns = [
    path("api/v1/", api.urls),
    path("services/journeys/", include("innohub.services.urls_files")),
    *project_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MiB = 1 << 20
BOMB_MESSAGE = "The workbook expands to 600.0\xa0MB when opened; at most 256.0\xa0MB are accepted."


@pytest.fixture
def person():
    return UserFactory()


@pytest.fixture
def small_limit(settings):
    settings.IMPORT_MAX_XLSX_EXPANDED_BYTES = 256 * MiB


@pytest.fixture(scope="module")
def bomb_bytes() -> bytes:
    return bomb(expanded_mib=600, header=HEADER).getvalue()  # about 4 MB


def test_a_zip_bomb_is_refused_through_the_api_on_line_1_in_bounded_memory(
    client, person, small_limit, bomb_bytes
):
    _, secret = ApiToken.issue(user=person)
    upload = SimpleUploadedFile("journeys.xlsx", bomb_bytes)

    response, peak = peak_memory(
        lambda: client.post(
            "/api/v1/journeys/import", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [{"line": 1, "field": "", "message": BOMB_MESSAGE}]
    assert peak < 40 * MiB  # the upload's copies (4 MB each), not the 600 MB of its sheet
    assert Journey.objects.count() == 0 and JourneyImport.objects.count() == 0


def test_a_zip_bomb_is_refused_on_the_import_page(client, person, small_limit, bomb_bytes):
    client.force_login(person)

    response = client.post(
        "/services/journeys/import/", {"file": SimpleUploadedFile("j.xlsx", bomb_bytes)}
    )

    assert response.status_code == 200
    assert BOMB_MESSAGE in response.content.decode()
    assert JourneyImport.objects.count() == 0


def test_a_compressed_bomb_within_the_size_limit_is_refused_by_its_ratio(person):
    result = import_journeys(
        source=bomb(expanded_mib=40, header=HEADER), by=person, file_name="j.xlsx"
    )

    assert [(error.line, error.field) for error in result.errors] == [(1, "")]
    assert "is compressed" in result.errors[0].message


def test_a_sheet_without_a_size_is_read_only_to_the_row_limit_in_bounded_memory(person):
    source = tall_sheet(100_000, header=HEADER)

    result, peak = peak_memory(
        lambda: import_journeys(source=source, by=person, file_name="j.xlsx", max_rows=1_000)
    )

    assert result.over_max_rows and result.rows == 1_001  # then imported in the background
    assert peak < 5 * MiB
    assert source.tell() == 0  # ready to be queued


def test_the_rows_of_a_sheet_without_a_size_are_counted_in_bounded_memory():
    source = tall_sheet(30_000, header=HEADER)

    counted, peak = peak_memory(lambda: count_rows(source, "xlsx"))

    assert counted == 30_000 and source.tell() == 0
    assert peak < 2 * MiB
    assert count_rows(bomb(expanded_mib=40, header=HEADER), "xlsx") == 0
