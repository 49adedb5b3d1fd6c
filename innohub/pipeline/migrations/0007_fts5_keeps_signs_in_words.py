"""SQLite: FTS5's unicode61 tokenizer splits words at marks by default (its token characters
are letters, digits and private use), which cut every Bangla word at each vowel sign into
short pieces matched as phrases: slow, and not the words `search.words` makes. The table is
made again with marks as token characters (and no diacritics removed: `search.words` has
already folded Latin accents), and its index rebuilt from the entries (ADR 0018)."""

from django.db import migrations

TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
OLD_TOKENIZER = "unicode61"


def _recreate(tokenizer: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        schema_editor.execute("DROP TABLE IF EXISTS pipeline_searchentry_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE pipeline_searchentry_fts USING fts5(text,"
            " content='pipeline_searchentry', content_rowid='id',"
            f' tokenize="{tokenizer}")'
        )
        schema_editor.execute(
            "INSERT INTO pipeline_searchentry_fts(pipeline_searchentry_fts) VALUES ('rebuild')"
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0006_search_words_column")]

    operations = [migrations.RunPython(_recreate(TOKENIZER), _recreate(OLD_TOKENIZER))]
