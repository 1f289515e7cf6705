"""Import planning: how lines are matched with the directory, and every way it says no."""

import pytest
from django.db import DatabaseError

from structures.data import planning
from structures.models import Contact, Service, Structure, Theme

from .directory_data import directory_build, import_files, problems_of, table_csv
from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def morel():
    """Sophie Morel, contact of the CCAS, known to the directory."""
    return ContactFactory(structure=StructureFactory(slug="ccas"), name="Sophie Morel")


def test_a_renamed_contact_no_longer_answers_to_its_old_name(morel):
    ccas = morel.structure
    contacts = table_csv(
        "contacts",
        {"uid": str(morel.uid), "structure": "ccas", "nom": "Sophie Martin"},
        {"structure": "ccas", "nom": "Sophie Morel", "fonction": "Nouvelle directrice"},
    )

    report = import_files({"contacts.csv": contacts}, apply=True)

    assert report.ok, problems_of(report)
    assert report.counts["contacts"] == {"created": 1, "updated": 1}
    assert sorted(ccas.contacts.values_list("name", flat=True)) == ["Sophie Martin", "Sophie Morel"]
    morel.refresh_from_db()
    assert morel.name == "Sophie Martin"


def test_a_contact_moved_to_a_service_no_longer_answers_to_its_old_place(morel):
    ccas = morel.structure
    ServiceFactory(structure=ccas, slug="logement")
    contacts = table_csv(
        "contacts",
        {"uid": str(morel.uid), "structure": "ccas", "service": "logement", "nom": "Sophie Morel"},
        {"structure": "ccas", "nom": "Sophie Morel", "fonction": "Accueil"},
    )

    report = import_files({"contacts.csv": contacts}, apply=True)

    assert report.ok, problems_of(report)
    assert ccas.contacts.count() == 2
    assert ccas.contacts.get(service=None).function == "Accueil"


def test_two_identical_new_contact_lines_are_reported_not_merged():
    StructureFactory(slug="ccas")
    line = {"structure": "ccas", "nom": "Karim Exemple", "telephone": "04 72 00 00 01"}
    contacts = table_csv("contacts", line, line)

    report = import_files({"contacts.csv": contacts}, apply=True)

    assert problems_of(report) == [
        "contacts.csv, ligne 3, colonne « nom » : « Karim Exemple » figure déjà à "
        "contacts.csv, ligne 2, pour la même structure et la même fiche : supprimez la ligne "
        "en double, ou donnez à chaque personne un nom distinct."
    ]
    assert not Contact.objects.exists()


def test_a_contact_line_without_uid_cannot_take_over_a_person_another_line_names(morel):
    contacts = table_csv(
        "contacts",
        {"uid": str(morel.uid), "structure": "ccas", "nom": "Sophie Morel"},
        {"structure": "ccas", "nom": "Sophie Morel", "telephone": "04 72 00 00 09"},
    )

    report = import_files({"contacts.csv": contacts})

    assert (
        "contacts.csv, ligne 3, colonne « nom » : « Sophie Morel » figure déjà"
        in (problems_of(report)[0])
    )


@pytest.mark.parametrize("table", ["structures", "services"])
def test_two_identical_new_lines_are_reported_not_created_twice(table):
    ThemeFactory(slug="logement")
    StructureFactory(slug="ccas")
    lines = {
        "structures": {"nom": "Crèche des Lilas", "type": "association"},
        "services": {
            "structure": "ccas",
            "intitule": "Aide au logement",
            "thematiques": "logement",
        },
    }
    before = Structure.objects.count(), Service.objects.count()

    report = import_files({f"{table}.csv": table_csv(table, lines[table], lines[table])})

    assert problems_of(report) == [
        f"{table}.csv, ligne 3 : cette ligne est identique à {table}.csv, ligne 2 : "
        "supprimez l'une des deux (sans uid ni identifiant, chaque ligne crée une nouvelle "
        "fiche)."
    ]
    assert (Structure.objects.count(), Service.objects.count()) == before


def test_every_faulty_line_is_reported_at_once():
    structures = table_csv(
        "structures",
        {"identifiant": "ccas", "nom": "CCAS", "annexe": "peut-être"},
        {"identifiant": "cidff", "nom": "CIDFF", "courriel": "pas-un-courriel"},
        {"identifiant": "ml", "nom": "", "relue_le": "hier", "code_postal": "6930"},
    )

    report = import_files({"structures.csv": structures}, apply=True)

    assert problems_of(report) == [
        "structures.csv, ligne 2, colonne « annexe » : « peut-être » : écrivez « oui » ou « non ».",
        "structures.csv, ligne 3, colonne « courriel » : Saisissez une adresse de courriel valide.",
        "structures.csv, ligne 4, colonne « relue_le » : « hier » n'est pas une date : écrivez-la "
        "2025-03-31 ou 31/03/2025 (l'heure est facultative : 31/03/2025 14:30).",
        "structures.csv, ligne 4, colonne « nom » : Ce champ ne peut pas être vide.",
        "structures.csv, ligne 4, colonne « code_postal » : « 6930 » n'est pas un code postal : "
        "il faut 5 chiffres, par exemple 69300.",
    ]
    assert not report.applied
    assert not Structure.objects.exists()


def test_a_line_with_a_bad_cell_still_lets_the_lines_that_refer_to_it_be_checked():
    ThemeFactory(slug="logement")
    files = {
        "structures.csv": table_csv(
            "structures", {"identifiant": "ccas", "nom": "CCAS", "annexe": "peut-être"}
        ),
        "services.csv": table_csv(
            "services",
            {"structure": "ccas", "intitule": "Aide", "thematiques": "logement", "active": "oui"},
            {"structure": "ccas", "intitule": "Colis", "thematiques": "jardinage"},
        ),
    }

    report = import_files(files, apply=True)

    assert [(problem.where, problem.column) for problem in report.problems] == [
        ("structures.csv, ligne 2", "annexe"),
        ("services.csv, ligne 3", "thematiques"),
    ]


ERROR_PATHS = {
    "service of an unknown structure": (
        "services",
        [
            {"structure": "inconnue", "intitule": "Aide", "thematiques": "logement"},
            {"structure": "", "intitule": "Colis", "thematiques": "logement"},
        ],
        [
            "services.csv, ligne 2, colonne « structure » : structure inconnue « inconnue » : "
            "elle n'est ni dans le fichier des structures ni dans le répertoire.",
            "services.csv, ligne 3, colonne « structure » : la structure est obligatoire.",
        ],
    ),
    "service without a theme": (
        "services",
        [{"structure": "ccas", "intitule": "Aide", "thematiques": ""}],
        ["services.csv, ligne 2, colonne « thematiques » : indiquez au moins une thématique."],
    ),
    "contact of an unknown service or structure": (
        "contacts",
        [
            {"structure": "ccas", "service": "jardinage", "nom": "Karim Exemple"},
            {"structure": "caf", "nom": "Sophie Morel"},
        ],
        [
            "contacts.csv, ligne 2, colonne « service » : la structure « ccas » n'a pas de "
            "fiche « jardinage ».",
            "contacts.csv, ligne 3, colonne « structure » : structure inconnue « caf » : elle "
            "n'est ni dans le fichier des structures ni dans le répertoire.",
        ],
    ),
    "theme named like another theme": (
        "thematiques",
        [
            {"identifiant": "habitat", "nom": "Logement", "ordre": "2"},
            {"identifiant": "sante", "nom": "Santé"},
            {"identifiant": "soins", "nom": "Santé"},
        ],
        [
            "thematiques.csv, ligne 2, colonne « nom » : une autre thématique s'appelle déjà "
            "« Logement ».",
            "thematiques.csv, ligne 4, colonne « nom » : une autre thématique s'appelle déjà "
            "« Santé ».",
        ],
    ),
}


@pytest.mark.parametrize(("table", "rows", "expected"), ERROR_PATHS.values(), ids=ERROR_PATHS)
def test_each_error_path_of_the_importer_is_reported_and_nothing_is_written(table, rows, expected):
    ThemeFactory(slug="logement", name="Logement")
    StructureFactory(slug="ccas")
    before = [model.objects.count() for model in (Theme, Structure, Service, Contact)]

    report = import_files({f"{table}.csv": table_csv(table, *rows)}, apply=True)

    assert problems_of(report) == expected
    assert [model.objects.count() for model in (Theme, Structure, Service, Contact)] == before


def test_a_database_failure_while_saving_writes_nothing_and_says_so(monkeypatch):
    directory_build()
    structures = table_csv(
        "structures",
        {"identifiant": "creche", "nom": "Crèche des Lilas"},
        {"identifiant": "foyer", "nom": "Foyer Hélène Boucher"},
    )
    real_save = planning.plan_save

    def save_then_fail(plan):
        real_save(plan)
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(planning, "plan_save", save_then_fail)
    before = Structure.objects.count()

    report = import_files({"structures.csv": structures}, apply=True)

    assert problems_of(report) == [
        "Base de données : l'enregistrement a échoué, rien n'a été enregistré ; réessayez, "
        "et si l'erreur revient, transmettez ce message à l'administrateur du serveur "
        "(could not extend file: No space left on device)."
    ]
    assert not report.applied
    assert Structure.objects.count() == before
    assert "Import refusé : 1 problème(s)" in report.summary_lines()[0]


def test_a_cell_too_long_for_any_fiche_is_explained_in_french():
    structures = table_csv("structures", {"identifiant": "ccas", "nom": "CCAS"})
    structures += b'";ouvert sans fin;' + b"x" * 200_000 + b"\r\n"

    report = import_files({"structures.csv": structures})

    assert problems_of(report) == [
        "structures.csv, ligne 3 : une cellule dépasse 131\u202f072 caractères, bien plus "
        "qu'une fiche n'en compte : le plus souvent, un guillemet ouvert n'a pas été fermé, et "
        "tout ce qui le suit est lu comme une seule cellule. Vérifiez les guillemets à partir "
        "de cette ligne."
    ]
