"""A small directory to export, and a snapshot of the whole directory to compare with."""

import csv
import io
from datetime import date, timedelta

from django.utils import timezone

from structures.data.columns import TABLES
from structures.data.planning import compared_fields, records_import
from structures.data.readers import Encoding, csv_records_read
from structures.data.records import ImportReport
from structures.directory.search import search_directory
from structures.enums import ChangeKind
from structures.models import Contact, Service, Structure, TemporaryChange, Theme

from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory


def directory_build():
    """Two themes, a local structure and an annex, three services, three contacts."""
    reviewed = timezone.now() - timedelta(days=40)
    housing = ThemeFactory(
        name="Logement",
        slug="logement",
        datainclusion_codes=["logement-hebergement--louer-un-logement"],
    )
    health = ThemeFactory(
        name="Santé", slug="sante", datainclusion_codes=["sante--acces-aux-soins", "inconnu"]
    )
    ccas = StructureFactory(
        name="Centre communal d'action sociale",
        slug="ccas",
        acronym="CCAS",
        kind="service_municipal",
        website="https://ccas.example.org",
        phone_other="115",
        step_free_access="oui",
        weekly_hours='Mo-Fr 09:00-12:00, Tu,Th 13:30-16:30 "sur rendez-vous"; PH off',
        opening_hours="Du lundi au vendredi\n9 h – 12 h",
        partner_expectations="Un rendez-vous sous dix jours ; « guillemets » et ; points-virgules.",
        last_reviewed_at=reviewed,
    )
    annex = StructureFactory(annex=True, name="Restos du cœur", slug="restos", acronym="")
    housing_help = ServiceFactory(
        structure=ccas,
        slug="logement",
        title="Aide au logement",
        themes=[housing, health],
        publics=["familles", "jeunes"],
        fee="gratuit",
        reception_modes=["en-presentiel", "a-distance"],
        walk_in=True,
        weekly_hours="We 14:00-17:00",
    )
    ServiceFactory(
        structure=ccas, slug="ancienne", title="Ancienne fiche", inactive=True, themes=[health]
    )
    ServiceFactory(structure=annex, slug="colis", title="Colis alimentaires", themes=[housing])
    ContactFactory(structure=ccas, name="Sophie Morel", function="Directrice", order=1)
    ContactFactory(structure=ccas, service=housing_help, name="Karim Exemple", order=2)
    ContactFactory(structure=annex, name="Accueil des Restos", email="", phone="")
    TemporaryChange.objects.create(
        structure=ccas,
        kind=ChangeKind.FERMETURE,
        starts_on=date(2026, 8, 1),
        ends_on=date(2026, 8, 15),
        reason="Fermeture estivale ; « guillemets »",
    )
    TemporaryChange.objects.create(
        structure=ccas,
        service=housing_help,
        kind=ChangeKind.HORAIRES,
        starts_on=date(2026, 7, 1),
        weekly_hours="Mo-Fr 09:00-12:00",
    )
    return ccas


def seconds(value):
    return value.replace(microsecond=0) if value else value


def row(instance, *, relations=()):
    values = {name: getattr(instance, name) for name in compared_fields(type(instance))}
    if "last_reviewed_at" in values:
        values["last_reviewed_at"] = seconds(values["last_reviewed_at"])
    for name in relations:
        related = getattr(instance, name)
        values[name] = related.uid if related else None
    return values


def directory_snapshot():
    """Everything that makes the directory, keyed by stable identifiers (not database ids)."""
    services = Service.objects.select_related("structure").prefetch_related("themes")
    return {
        "themes": {theme.slug: row(theme) for theme in Theme.objects.all()},
        "structures": {item.uid: row(item) for item in Structure.objects.all()},
        "services": {
            item.uid: row(item, relations=["structure"])
            | {"themes": sorted(theme.slug for theme in item.themes.all())}
            for item in services
        },
        "contacts": {
            item.uid: row(item, relations=["structure", "service"])
            for item in Contact.objects.select_related("structure", "service")
        },
        "changements": {
            item.uid: row(item, relations=["structure", "service"])
            for item in TemporaryChange.objects.select_related("structure", "service")
        },
    }


def import_files(files, *, apply=False, encoding=Encoding.UTF8):
    """Read CSV files and import them (a simulation unless `apply`); the report."""
    report = ImportReport()
    records = csv_records_read(files=files, report=report, encoding=encoding)
    return records_import(records=records, apply=apply, report=report)


def problems_of(report):
    return [str(problem) for problem in report.problems]


def table_csv(table, *rows, delimiter=";"):
    """A CSV file of `table` with its columns; each row gives some cells, the others empty."""
    names = [column.name for column in TABLES[table]]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([row.get(name, "") for name in names] for row in rows)
    return buffer.getvalue().encode()


def titles(query, **params):
    """The results' names in order: a structure's name, or a fiche's title."""
    results = search_directory(query=query, params=params)
    if results.page is None:
        return []
    return [
        entry.service.title if entry.service else entry.structure.name
        for entry in results.page.object_list
    ]
