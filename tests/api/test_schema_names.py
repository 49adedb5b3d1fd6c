"""Every API schema has a name of its own: ninja files schemas in the OpenAPI document by
class name, so a second class of the same name silently takes the first one's place (the
cohort funnel and the national funnel once did), and clients read the wrong shape."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import innohub.api.main  # noqa: F401 - every router's schemas are imported with it


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_no_two_api_schemas_share_a_name():
    modules: dict[str, set[str]] = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("innohub."):
            modules[schema.__name__].add(schema.__module__)
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}
