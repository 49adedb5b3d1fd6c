"""The journey import's fixtures, shared with the importer's own tests."""

from tests.services.test_import import area, importer, service  # noqa: F401
