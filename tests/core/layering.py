"""The layering rule of docs/architecture.md, read from the source with `ast`.

Domain code (models, services, selectors, rules, tasks, signals and the plain modules beside
them) depends downward only, along

    core ← geo ← orgs ← accounts ← services ← pipeline ← training
         ← {network, talent, engagement} ← insights

and never imports the layer on top of it: views, forms, API handlers and schemas, admin,
URLs, templates' helpers, nor the `innohub.api` package. Imports under `TYPE_CHECKING` count:
a type hint that names an upper app's model is a dependency too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "innohub"
# Each app's rank in the chain; apps of equal rank are siblings and may not import each other.
RANKS = {
    "core": 0,
    "geo": 1,
    "orgs": 2,
    "accounts": 3,
    "services": 4,
    "pipeline": 5,
    "training": 6,
    "network": 7,
    "talent": 7,
    "engagement": 7,
    "insights": 8,
}
# The layer on top: modules of these names (or packages, or names starting `<name>_`) are
# views, forms, API and admin. Domain code never imports them.
PRESENTATION = ("views", "forms", "api", "schemas", "admin", "urls", "home", "templatetags")
# Wiring, not domain: an app's config registers its own rules and signals; migrations are
# generated; management commands are entry points like views.
NOT_DOMAIN = ("apps", "migrations", "management", "tests", "context_processors", "middleware")


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str
    reason: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}: {self.reason}"


def _is_presentation(part: str) -> bool:
    return any(part == name or part.startswith(f"{name}_") for name in PRESENTATION)


def is_domain_module(module: str) -> bool:
    """`innohub.services.selectors` is domain code; `innohub.services.views` is not."""
    parts = module.split(".")
    if len(parts) < 3 or parts[0] != PACKAGE or parts[1] not in RANKS:
        return False
    return not any(_is_presentation(p) or p in NOT_DOMAIN for p in parts[2:])


def _absolute(module: str, node: ast.ImportFrom, *, is_package: bool) -> list[str]:
    """The modules a `from … import …` names, resolved against `module`."""
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join(parts[:keep] + ([node.module] if node.module else []))
    # `from innohub.geo import views` imports the module `innohub.geo.views`.
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def imported_modules(
    module: str, source: str, *, is_package: bool = False
) -> list[tuple[int, str]]:
    """Every module `source` imports, anywhere in it (inside functions and `TYPE_CHECKING`
    too), as (line, absolute dotted name)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names = _absolute(module, node, is_package=is_package)
            # A `from pkg import name` names a module only when it is one; the check below
            # judges both `pkg` and `pkg.name`, so one import yields at most its worst.
            found.extend((node.lineno, name) for name in names)
    return found


def violations_of(module: str, source: str, *, is_package: bool = False) -> list[Violation]:
    """The imports of one domain module that break the layering rule."""
    if not is_domain_module(module):
        return []
    own_rank = RANKS[module.split(".")[1]]
    own_app = module.split(".")[1]
    seen: dict[int, Violation] = {}
    for line, name in imported_modules(module, source, is_package=is_package):
        parts = name.split(".")
        if parts[0] != PACKAGE or len(parts) < 2:
            continue
        reason = ""
        if parts[1] == "api" or any(_is_presentation(p) for p in parts[2:]):
            reason = "domain code may not import views, forms, admin or the API"
        elif parts[1] in RANKS and parts[1] != own_app and RANKS[parts[1]] >= own_rank:
            reason = f"{own_app} may not depend on {parts[1]} (it sits above or beside it)"
        elif parts[1] not in RANKS:
            reason = f"domain code may not import innohub.{parts[1]}"
        if reason and line not in seen:
            seen[line] = Violation(module, line, ".".join(parts[:3]), reason)
    return list(seen.values())


def package_violations(root: Path) -> list[Violation]:
    """Every violation in the package whose directory is `root` (`…/innohub`)."""
    found: list[Violation] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        parts = list(relative.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        module = ".".join(parts)
        found.extend(violations_of(module, path.read_text(encoding="utf-8"), is_package=is_package))
    return found
