import uuid

from django.db import migrations, models

MODELS = ["structure", "service", "contact"]


def fill_uids(apps, schema_editor):
    """A uid per record; history rows take the uid of the record they describe."""
    for name in MODELS:
        model = apps.get_model("structures", name)
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.uid = uuid.uuid4()
        model.objects.bulk_update(rows, ["uid"], batch_size=500)
        uids = {row.pk: row.uid for row in rows}
        historical = apps.get_model("structures", f"historical{name}")
        history = list(historical.objects.only("history_id", "id"))
        for row in history:
            row.uid = uids.get(row.id) or uuid.uuid4()
        historical.objects.bulk_update(history, ["uid"], batch_size=500)


def uid_field(**kwargs):
    return models.UUIDField(
        "identifiant stable",
        default=uuid.uuid4,
        editable=False,
        help_text="Identifiant permanent utilisé par les exports et les imports.",
        **kwargs,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("structures", "0002_history_and_stale_reminders"),
    ]

    operations = [
        *[migrations.AddField(name, "uid", uid_field(null=True)) for name in MODELS],
        *[migrations.AddField(f"historical{name}", "uid", uid_field(db_index=True)) for name in MODELS],
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        *[migrations.AlterField(name, "uid", uid_field(unique=True)) for name in MODELS],
    ]
