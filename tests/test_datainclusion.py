"""data·inclusion schema v1: every exported record validates; the JSON files import back."""

import io
import json
from datetime import date

import opening_hours
import pytest
from data_inclusion.schema import v1
from django.core.management import call_command
from django.utils import timezone

from structures.data.datainclusion import datainclusion_files, datainclusion_records_read
from structures.data.formats import records_read
from structures.data.planning import records_import
from structures.data.records import ImportReport
from structures.models import Service, Structure

from .directory_data import directory_build
from .factories import ServiceFactory, StructureFactory, ThemeFactory
from .workbooks import workbook_bytes

pytestmark = pytest.mark.django_db


def exported():
    files, problems = datainclusion_files()
    return (
        json.loads(files["structures.json"]),
        json.loads(files["services.json"]),
        problems,
    )


def json_files(**records):
    """The files of an import: json_files(structures=[…]) is {"structures.json": b"[…]"}."""
    return {f"{name}.json": json.dumps(rows).encode() for name, rows in records.items()}


def import_files(files, *, apply=False):
    report = ImportReport()
    records = datainclusion_records_read(files=files, report=report)
    return records_import(records=records, apply=apply, report=report)


def test_every_exported_record_validates_against_the_official_models():
    directory_build()
    structures, services, _ = exported()
    assert len(structures) == 2
    assert len(services) == 2  # the inactive fiche is not exported
    for record in structures:
        v1.Structure.model_validate(record, context={"ignore_warnings": False})
    for record in services:
        v1.Service.model_validate(record, context={"ignore_warnings": False})


def test_annex_structures_are_exported_too():
    directory_build()
    structures, _, _ = exported()
    assert {record["nom"] for record in structures} == {
        "Centre communal d'action sociale",
        "Restos du cœur",
    }


def test_themes_become_thematique_codes_and_unknown_codes_are_reported():
    directory_build()
    _, services, problems = exported()
    service = next(record for record in services if record["nom"] == "Aide au logement")
    assert service["thematiques"] == [
        "logement-hebergement--louer-un-logement",
        "sante--acces-aux-soins",
    ]
    assert any("« inconnu » inconnu du référentiel v1" in problem for problem in problems)


def test_fields_without_an_equivalent_are_left_out():
    directory_build()
    structures, services, _ = exported()
    ccas = next(record for record in structures if record["nom"].startswith("Centre"))
    assert ccas["telephone"] == "+33465710000"
    assert ccas["site_web"] == "https://ccas.example.org"
    assert ccas["id"] == f"{ccas['source']}--{Structure.objects.get(slug='ccas').uid}"
    for absent in ["siret", "accessibilite_lieu", "reseaux_porteurs"]:
        assert absent not in ccas
    for record in services:
        for absent in ["contact_nom_prenom", "type"]:
            assert absent not in record


def test_the_weekly_hours_are_horaires_accueil_in_the_osm_syntax():
    directory_build()
    structures, services, _ = exported()
    ccas = next(record for record in structures if record["nom"].startswith("Centre"))
    assert ccas["horaires_accueil"] == (
        'Mo-Fr 09:00-12:00, Tu,Th 13:30-16:30 "sur rendez-vous"; PH off'
    )
    assert opening_hours.validate(ccas["horaires_accueil"])
    v1.Structure.model_validate(ccas, context={"ignore_warnings": False})
    housing = next(record for record in services if record["nom"] == "Aide au logement")
    assert housing["horaires_accueil"] == "We 14:00-17:00"  # the fiche's own hours
    v1.Service.model_validate(housing, context={"ignore_warnings": False})
    other = next(record for record in services if record["nom"] == "Colis alimentaires")
    assert "horaires_accueil" not in other  # the structure's hours apply


def test_horaires_accueil_is_imported_and_a_wrong_one_explained_in_french():
    directory_build()
    files, _ = datainclusion_files()
    structures = json.loads(files["structures.json"])
    for record in structures:
        record["horaires_accueil"] = "Mo-Sa 08:00-12:00; PH off"
    files |= json_files(structures=structures)
    report = import_files(files, apply=True)
    assert report.ok, [str(problem) for problem in report.problems]
    assert Structure.objects.get(slug="ccas").weekly_hours == "Mo-Sa 08:00-12:00; PH off"
    structures[0]["horaires_accueil"] = "lundi 9h-12h"
    files |= json_files(structures=structures)
    report = import_files(files)
    assert not report.ok
    assert any("syntaxe OpenStreetMap" in str(problem) for problem in report.problems)


def test_the_search_filters_fill_publics_frais_and_the_modes():
    directory_build()
    _, services, _ = exported()
    housing = next(record for record in services if record["nom"] == "Aide au logement")
    assert housing["publics"] == ["familles", "jeunes"]
    assert housing["frais"] == "gratuit"
    assert housing["modes_accueil"] == ["en-presentiel", "a-distance"]
    assert housing["modes_mobilisation"] == ["se-presenter"]
    colis = next(record for record in services if record["nom"] == "Colis alimentaires")
    for absent in ["publics", "frais", "modes_accueil", "modes_mobilisation"]:
        assert absent not in colis  # not filled in: not exported


def test_importing_publics_frais_and_modes_fills_the_filters():
    directory_build()
    files, _ = datainclusion_files()
    records = json.loads(files["services.json"])
    colis = next(record for record in records if record["nom"] == "Colis alimentaires")
    colis |= {
        "publics": ["personnes-en-situation-durgence"],
        "frais": "gratuit",
        "modes_accueil": ["en-presentiel"],
        "modes_mobilisation": ["telephoner", "se-presenter"],
    }
    files |= json_files(services=records)
    report = import_files(files, apply=True)
    assert report.ok, [str(problem) for problem in report.problems]
    service = Service.objects.get(title="Colis alimentaires")
    assert service.publics == ["personnes-en-situation-durgence"]
    assert (service.fee, service.reception_modes, service.walk_in) == (
        "gratuit",
        ["en-presentiel"],
        True,
    )


def test_a_record_that_breaks_the_schema_is_left_out_and_explained():
    directory_build()
    ServiceFactory(title="Vide", summary="", objectives="", themes=[ThemeFactory()])
    _, services, problems = exported()
    assert "Vide" not in {record["nom"] for record in services}
    assert any(
        "Vide" in problem and "description : champ obligatoire manquant" in problem
        for problem in problems
    )


def test_the_export_command_writes_structures_and_services_json(tmp_path):
    directory_build()
    call_command("export_directory", "--format", "data-inclusion", "--output", str(tmp_path))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["services.json", "structures.json"]
    for record in json.loads((tmp_path / "services.json").read_text()):
        v1.Service.model_validate(record)


def test_the_exported_files_import_back_into_an_empty_directory():
    directory_build()
    files, _ = datainclusion_files()
    names = set(Structure.objects.values_list("uid", "name"))
    Structure.objects.all().delete()

    report = import_files(files, apply=True)

    assert report.ok, [str(problem) for problem in report.problems]
    assert set(Structure.objects.values_list("uid", "name")) == names
    housing = Service.objects.get(title="Aide au logement")
    assert {theme.slug for theme in housing.themes.all()} == {"logement", "sante"}
    assert housing.structure.slug == "centre-communal-daction-sociale"

    again = import_files(files, apply=True)
    assert again.counts["structures"] == {"unchanged": 2}
    assert again.counts["services"] == {"unchanged": 2}


def test_reimporting_our_own_export_changes_nothing():
    directory_build()
    files, _ = datainclusion_files()
    report = import_files(files)
    assert report.ok
    assert report.counts["structures"] == {"unchanged": 2}
    assert report.counts["services"] == {"unchanged": 2}


def test_records_of_another_producer_get_a_stable_identifier():
    ThemeFactory(slug="logement", datainclusion_codes=["logement-hebergement--louer-un-logement"])
    structures = [
        {"source": "dora", "id": "dora--42", "nom": "Association Toit", "date_maj": "2025-01-02"}
    ]
    services = [
        {
            "source": "dora",
            "id": "dora--s1",
            "structure_id": "dora--42",
            "nom": "Recherche de logement",
            "description": "Aide à la recherche d'un logement.",
            "date_maj": "2025-01-02",
            "thematiques": ["logement-hebergement--louer-un-logement"],
        }
    ]
    files = json_files(structures=structures, services=services)
    assert import_files(files, apply=True).ok
    assert import_files(files, apply=True).counts["services"] == {"unchanged": 1}
    service = Service.objects.get()
    assert service.slug == "recherche-de-logement"
    assert service.structure.name == "Association Toit"
    assert timezone.localtime(service.last_reviewed_at).date().isoformat() == "2025-01-02"


def test_invalid_records_are_explained_in_french_and_nothing_is_written():
    ThemeFactory(slug="logement", datainclusion_codes=["logement-hebergement--louer-un-logement"])
    structures = [
        {"source": "x", "id": "x--1", "nom": "OK", "date_maj": "2025-01-02", "code_postal": "693"},
        {"source": "x", "id": "x--2", "nom": "Bonne structure", "date_maj": "2025-01-02"},
    ]
    services = [
        {
            "source": "x",
            "id": "x--s",
            "structure_id": "x--2",
            "nom": "Fiche",
            "description": "Une description.",
            "date_maj": "2025-01-02",
            "thematiques": ["jardinage"],
        },
        {
            "source": "x",
            "id": "x--t",
            "structure_id": "x--2",
            "nom": "Autre fiche",
            "description": "Une description.",
            "date_maj": "2025-01-02",
            "thematiques": ["sante--acces-aux-soins"],
        },
    ]
    files = json_files(structures=structures, services=services)
    report = import_files(files, apply=True)
    problems = [str(problem) for problem in report.problems]
    assert problems == [
        "structures.json, enregistrement n° 1 (id « x--1 »), colonne « nom » : "
        "trop court : au moins 3 caractères.",
        "structures.json, enregistrement n° 1 (id « x--1 »), colonne « code_postal » : "
        "« 693 » n'est pas un code postal : il faut 5 chiffres.",
        "services.json, enregistrement n° 1 (id « x--s »), colonne « thematiques » : "
        "« jardinage » n'existe pas dans le référentiel data·inclusion v1.",
        "services.json, enregistrement n° 2 (id « x--t »), colonne « thematiques » : "
        "aucune thématique du répertoire ne correspond à ces codes (sante--acces-aux-soins) : "
        "ajoutez le code à une thématique dans l'administration, puis recommencez.",
    ]
    assert not Structure.objects.exists()


def test_a_file_that_is_not_json_is_reported():
    report = import_files({"structures.json": b"nom;code_postal\n"})
    assert "JSON illisible ligne 1" in str(report.problems[0])
    report = import_files({"structures.json": b'{"nom": "x"}'})
    assert "liste d'enregistrements" in str(report.problems[0])


def test_an_existing_structure_keeps_the_fields_the_source_does_not_give():
    structure = StructureFactory(bus_lines="C1, 33", is_annex=True)
    files, _ = datainclusion_files()
    records = json.loads(files["structures.json"])
    records[0]["nom"] = "Nouveau nom"
    report = import_files(json_files(structures=records), apply=True)
    assert report.counts["structures"] == {"updated": 1}
    structure.refresh_from_db()
    assert (structure.name, structure.bus_lines, structure.is_annex) == (
        "Nouveau nom",
        "C1, 33",
        True,
    )


def test_the_whole_demo_territory_exports_without_any_record_left_out():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    structures, services, problems = exported()
    assert problems == []
    assert len(structures) == Structure.objects.count() == 28
    assert len(services) == Service.objects.active().count()
    for record in structures:
        v1.Structure.model_validate(record)
    for record in services:
        assert v1.Service.model_validate(record).thematiques


def datainclusion_workbook(*, structures, services, links, extra_sheets=True):
    sheets = {"Structures": structures, "Services": services, "Services - Thématiques": links}
    if extra_sheets:  # the reference sheets of the official spreadsheet
        sheets["Thématiques"] = [["code", "libellé"], ["famille--garde-denfants", "Garde"]]
        sheets["Publics"] = [["code", "libellé"], ["familles", "Familles"]]
    return workbook_bytes(sheets, title_rows={"Services"})


def xlsx_import(data, *, apply=False):
    report = ImportReport()
    records = records_read(format="data-inclusion-xlsx", files={"reseau.xlsx": data}, report=report)
    return records_import(records=records, apply=apply, report=report)


STRUCTURE_FIELDS = ["source", "id", "nom", "date_maj", "code_postal", "telephone", "commentaire"]
SERVICE_FIELDS = ["source", "id", "structure_id", "nom", "description", "date_maj", "publics"]


def test_the_datainclusion_spreadsheet_imports_through_the_json_path():
    ThemeFactory(slug="logement", datainclusion_codes=["logement-hebergement--louer-un-logement"])
    ThemeFactory(slug="famille", datainclusion_codes=["famille--garde-denfants"])
    data = datainclusion_workbook(
        structures=[
            STRUCTURE_FIELDS,
            [
                "reseau",
                "reseau--1",
                "Association Toit",
                date(2025, 1, 2),
                1000,
                474000000,
                "à revoir",
            ],
        ],
        services=[
            SERVICE_FIELDS,
            [
                "reseau",
                "reseau--s1",
                "reseau--1",
                "Recherche de logement",
                "Aide à la recherche d'un logement et à la constitution du dossier.",
                date(2025, 1, 3),
                "familles, femmes",
            ],
        ],
        links=[
            ["service_id", "thematique"],
            ["reseau--s1", "logement-hebergement--louer-un-logement"],
            ["reseau--s1", "famille--garde-denfants"],
        ],
    )

    report = xlsx_import(data, apply=True)

    assert report.ok, [str(problem) for problem in report.problems]
    assert report.notes == [
        "reseau.xlsx, feuille « Structures » : colonnes inconnues du schéma data·inclusion v1, "
        "ignorées : « commentaire »."
    ]
    structure = Structure.objects.get()
    assert (structure.name, structure.postcode, structure.phone) == (
        "Association Toit",
        "01000",
        "04 74 00 00 00",
    )
    service = Service.objects.get()
    assert sorted(theme.slug for theme in service.themes.all()) == ["famille", "logement"]
    assert timezone.localdate(service.last_reviewed_at).isoformat() == "2025-01-03"
    assert xlsx_import(data).counts["services"] == {"unchanged": 1}


def test_the_spreadsheet_is_reported_like_the_json_files_with_sheets_and_rows():
    ThemeFactory(slug="logement", datainclusion_codes=["logement-hebergement--louer-un-logement"])
    data = datainclusion_workbook(
        structures=[
            [*STRUCTURE_FIELDS[:4], "code_postal"],
            ["x", "x--1", "OK", date(2025, 1, 2), 693],
        ],
        services=[
            SERVICE_FIELDS[:6],
            ["x", "x--s", "x--1", "Fiche", "Une description.", date(2025, 1, 2)],
        ],
        links=[["service_id", "thematique"], ["x--s", "jardinage"], ["x--z", "sante"]],
    )

    report = xlsx_import(data, apply=True)

    assert [str(problem) for problem in report.problems] == [
        "reseau.xlsx, feuille « Structures », ligne 2 (id « x--1 »), colonne « nom » : "
        "trop court : au moins 3 caractères.",
        "reseau.xlsx, feuille « Structures », ligne 2 (id « x--1 »), colonne « code_postal » : "
        "« 693 » n'est pas un code postal : il faut 5 chiffres.",
        "reseau.xlsx, feuille « Services - Thématiques », ligne 3, colonne « service_id » : "
        "service inconnu « x--z » : il n'est pas dans la feuille « Services » de ce classeur.",
        "reseau.xlsx, feuille « Services », ligne 3 (id « x--s »), colonne « thematiques » : "
        "« jardinage » n'existe pas dans le référentiel data·inclusion v1.",
    ]
    assert not Structure.objects.exists()


def test_a_workbook_without_the_datainclusion_sheets_is_refused():
    report = xlsx_import(workbook_bytes({"Feuil1": [["id", "nom"], ["1", "CCAS"]]}))
    assert "ni feuille « Structures » ni feuille « Services »" in str(report.problems[0])
