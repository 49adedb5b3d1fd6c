"""The full-text index of `SearchEntry.text` (decision record 0018): a GIN index over
`to_tsvector('simple', text)` on PostgreSQL; an FTS5 table kept by triggers on SQLite."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE pipeline_searchentry_fts USING fts5("
    "text, content='pipeline_searchentry', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER pipeline_searchentry_ai AFTER INSERT ON pipeline_searchentry BEGIN"
    " INSERT INTO pipeline_searchentry_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER pipeline_searchentry_ad AFTER DELETE ON pipeline_searchentry BEGIN"
    " INSERT INTO pipeline_searchentry_fts(pipeline_searchentry_fts, rowid, text)"
    " VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER pipeline_searchentry_au AFTER UPDATE ON pipeline_searchentry BEGIN"
    " INSERT INTO pipeline_searchentry_fts(pipeline_searchentry_fts, rowid, text)"
    " VALUES ('delete', old.id, old.text);"
    " INSERT INTO pipeline_searchentry_fts(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS pipeline_searchentry_au",
    "DROP TRIGGER IF EXISTS pipeline_searchentry_ad",
    "DROP TRIGGER IF EXISTS pipeline_searchentry_ai",
    "DROP TABLE IF EXISTS pipeline_searchentry_fts",
]
POSTGRES_CREATE = [
    "CREATE INDEX pipeline_searchentry_words ON pipeline_searchentry"
    " USING gin (to_tsvector('simple', text))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS pipeline_searchentry_words"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
