from django.db import migrations, models

# The person's words for the themes partners usually have (the demo's), filled in where
# the coordinator has not written any; every label stays editable in the admin.
PERSON_LABELS = {
    "accueil-jeune-enfant": "Faire garder mon enfant",
    "accueil-suivi-social": "Être écouté et accompagné",
    "aides-urgence": "Avoir une aide en urgence",
    "aides-materielles": "Avoir à manger et des vêtements",
    "animation-lien-social": "Rencontrer des gens",
    "educatif": "Aider mes enfants",
    "emploi-insertion": "Trouver un travail",
    "formation": "Apprendre un métier ou le français",
    "logement": "Trouver un logement",
    "sante": "Me soigner",
    "handicap": "Vivre avec un handicap",
    "acces-aux-droits": "Connaître mes droits, faire mes papiers",
}


def fill_person_labels(apps, schema_editor):
    Theme = apps.get_model("structures", "Theme")
    for slug, label in PERSON_LABELS.items():
        Theme.objects.filter(slug=slug, person_label="").update(person_label=label)


class Migration(migrations.Migration):
    dependencies = [
        ("structures", "0005_multiline_text_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="person_label",
            field=models.CharField(
                blank=True,
                help_text="La difficulté dans les mots de la personne, imprimée sur la fiche "
                "parcours (« Mes difficultés ») : « Trouver un logement », « Avoir à manger »… "
                "Laissé vide, la fiche reprend le nom de la thématique.",
                max_length=100,
                verbose_name="pour la personne",
            ),
        ),
        migrations.RunPython(fill_person_labels, migrations.RunPython.noop),
    ]
