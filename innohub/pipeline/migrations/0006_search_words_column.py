"""PostgreSQL keeps each entry's tsvector in a stored generated column, indexed, so ranking a
candidate reads it instead of parsing its text again (ADR 0018). SQLite's FTS5 table already
holds its own index; nothing changes there."""

from django.db import migrations

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS pipeline_searchentry_words",
    "ALTER TABLE pipeline_searchentry ADD COLUMN words tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    "CREATE INDEX pipeline_searchentry_words ON pipeline_searchentry USING gin (words)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS pipeline_searchentry_words",
    "ALTER TABLE pipeline_searchentry DROP COLUMN IF EXISTS words",
    "CREATE INDEX pipeline_searchentry_words ON pipeline_searchentry"
    " USING gin (to_tsvector('simple', text))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0005_history_of_parts")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
