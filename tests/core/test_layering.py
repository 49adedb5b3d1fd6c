"""Domain code depends downward only (docs/architecture.md): read from the source, so the
rule holds by construction, not by review."""

from __future__ import annotations

from pathlib import Path

import pytest

import innohub
from tests.core.layering import is_domain_module, package_violations, violations_of

ROOT = Path(innohub.__file__).parent


def test_no_domain_module_imports_up_the_chain_or_the_presentation_layer():
    found = package_violations(ROOT)
    assert found == [], "\n".join(str(v) for v in found)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("innohub.geo.services", "from innohub.services.models import Journey"),
        ("innohub.geo.services", "import innohub.accounts.models"),
        ("innohub.services.services", "from innohub.api.errors import Conflict"),
        ("innohub.services.selectors", "from .views import paginate"),
        ("innohub.services.importer.write", "from ..forms import JourneyForm"),
        ("innohub.orgs.selectors", "from innohub.geo import views"),
        ("innohub.orgs.services", "def f():\n    from innohub.services import rules\n"),
        (
            "innohub.geo.services",
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from innohub.accounts.models import User\n",
        ),
        ("innohub.talent.services", "from innohub.network.models import Post"),
        ("innohub.services.tasks", "from innohub.demo.seed import seed"),
    ],
)
def test_the_check_finds_an_import_that_points_up_or_at_the_presentation_layer(module, source):
    assert len(violations_of(module, source)) == 1


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("innohub.services.services", "from innohub.geo.models import Area"),
        ("innohub.services.services", "from innohub.core.errors import Conflict"),
        ("innohub.services.services", "from .steps import StepData"),
        ("innohub.geo.services", "from django.contrib.auth.models import AbstractUser"),
        ("innohub.insights.selectors", "from innohub.talent.models import Challenge"),
        # The presentation layer may read anything.
        ("innohub.geo.views", "from innohub.services.selectors import journeys"),
        ("innohub.services.api", "from innohub.api.errors import ErrorOut"),
    ],
)
def test_the_check_lets_downward_imports_and_the_presentation_layer_be(module, source):
    assert violations_of(module, source) == []


def test_relative_imports_resolve_from_a_package_and_from_a_module():
    # In innohub/services/importer/__init__.py, `..` is innohub.services.
    assert violations_of("innohub.services.importer", "from .write import x", is_package=True) == []
    assert (
        len(violations_of("innohub.services.importer", "from .. import views", is_package=True))
        == 1
    )
    # In innohub/services/importer/write.py, `.` is innohub.services.importer.
    assert violations_of("innohub.services.importer.write", "from .cells import x") == []
    assert len(violations_of("innohub.services.importer.write", "from ..views import x")) == 1


def test_which_modules_are_domain_code():
    assert is_domain_module("innohub.services.selectors")
    assert is_domain_module("innohub.services.importer.write")
    assert not is_domain_module("innohub.services.views_files")
    assert not is_domain_module("innohub.services.api")
    assert not is_domain_module("innohub.geo.management.commands.import_areas")
    assert not is_domain_module("innohub.api.errors")
