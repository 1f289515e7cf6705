"""Create the database cache's table (settings.CACHES), so that `migrate` is enough."""

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("structures", "0012_text_limits")]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
