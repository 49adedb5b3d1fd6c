"""Create the role groups, so they exist on every database from the start."""

from django.db import migrations

ROLE_NAMES = [
    "civil_servant",
    "mentor",
    "trainer",
    "innovation_team_member",
    "programme_manager",
    "senior_reviewer",
    "administrator",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, remove_roles)]
