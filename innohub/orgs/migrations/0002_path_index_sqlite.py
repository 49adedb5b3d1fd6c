"""Let SQLite answer "everything below X" from an index (see innohub/core/tree_index.py)."""

from django.db import migrations

from innohub.core.tree_index import path_index_for_sqlite


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [path_index_for_sqlite("orgs_organisation")]
