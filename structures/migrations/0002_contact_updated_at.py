from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("structures", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, null=True, verbose_name="modifiée le"),
        ),
    ]
