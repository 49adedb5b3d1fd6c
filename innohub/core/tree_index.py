"""A migration operation that makes tree prefix queries use an index on SQLite too.

`descendants_of()` filters `path LIKE '/1/5/%' ESCAPE '\\'`. PostgreSQL answers that from the
`varchar_pattern_ops` index Django adds to every indexed CharField. SQLite's LIKE is
case-insensitive, so it can only use an index built with `COLLATE NOCASE` — without one it
scans the table (bench/tree.py: 9.7 ms → 0.15 ms below a district of a 100k-area tree).
"""

from __future__ import annotations

from django.db import migrations


def path_index_for_sqlite(table: str) -> migrations.RunPython:
    name = f"{table}_path_nocase"

    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" (path COLLATE NOCASE)'
            )

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
