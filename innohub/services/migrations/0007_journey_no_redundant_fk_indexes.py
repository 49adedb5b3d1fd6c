"""A journey's service, area and observer lose the index Django gives every foreign key: the
composite indexes (service, status, observed_on), (area, observed_on) and (observer, status)
start with each of them and serve the same lookups, and every imported journey wrote all six.

The database side only drops the three indexes (fast on both engines: an AlterField would make
SQLite copy the whole journey table three times)."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion

COLUMNS = ("service_id", "area_id", "observer_id")


def drop_fk_indexes(apps, schema_editor):
    table = "services_journey"
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    for name, info in constraints.items():
        if (
            info["index"]
            and not info["unique"]
            and not info["primary_key"]
            and len(info["columns"]) == 1
            and info["columns"][0] in COLUMNS
            and not name.startswith("journey_")  # the named partial indexes stay
        ):
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_fk_indexes(apps, schema_editor):
    Journey = apps.get_model("services", "Journey")
    for column in COLUMNS:
        name = schema_editor._create_index_name(Journey._meta.db_table, [column])
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name(name)} ON "
            f"{schema_editor.quote_name(Journey._meta.db_table)} ({schema_editor.quote_name(column)})"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "__first__"),
        ("geo", "__first__"),
        ("services", "0006_journey_staging"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_fk_indexes, create_fk_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="journey",
                    name="area",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="journeys",
                        to="geo.area",
                    ),
                ),
                migrations.AlterField(
                    model_name="journey",
                    name="observer",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="journeys_observed",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="observer",
                    ),
                ),
                migrations.AlterField(
                    model_name="journey",
                    name="service",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="journeys",
                        to="services.service",
                    ),
                ),
            ],
        ),
    ]
