import fcntl
import os
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from structures.models import Territory

from .factories import ContactFactory, ServiceFactory, StructureFactory, ThemeFactory, UserFactory
from .processes import manage


@pytest.fixture(autouse=True, scope="session")
def _compiled_catalogues():
    """The .mo files of the catalogues, compiled when missing or older than their .po
    (`make test` compiles them first; this covers a bare `pytest`)."""
    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            call_command("compilemessages", locale=[po.parent.parent.name], verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Tasks run inside the test, as the worker would run them (no worker process)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files saved through the storage API (cached PDF editions) go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory, worker_id) -> Path:
    """Migrated once for the whole run: by the first xdist worker that needs it, in the
    run's temporary folder that the workers share (pytest-xdist's recipe)."""
    if worker_id == "master":  # no xdist: this run's own folder
        folder = tmp_path_factory.getbasetemp()
    else:
        folder = tmp_path_factory.getbasetemp().parent
    path = folder / "migrated.sqlite3"
    with open(folder / "migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait for the first one
        if not path.exists():
            building = folder / "migrating.sqlite3"
            env = os.environ | {"DATABASE_URL": f"sqlite:///{building}"}
            manage("migrate", "--no-input", env=env)
            sqlite_copy(building, path)
    return path


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template, tmp_path) -> Path:
    """A new SQLite file database, migrated, for the tests that run manage.py in other
    processes: a copy of one migrated once per run (`migrate` from nothing takes ten
    seconds)."""
    path = tmp_path / "db.sqlite3"
    sqlite_copy(_migrated_sqlite_template, path)
    return path


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy an SQLite database by its backup API, which reads the WAL too."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    origin.backup(copy)
    origin.close()
    copy.close()


@pytest.fixture
def structure_a(db):
    return StructureFactory(name="Centre social des Alouettes", slug="centre-social")


@pytest.fixture
def structure_b(db):
    return StructureFactory(name="Mission locale", slug="mission-locale", acronym="ML")


@pytest.fixture
def coordinated_territory(structure_b):
    """A territory with a long name, coordinated by structure B, whose phone is printed."""
    territory = Territory.load()
    territory.name = "Bellecombe-sur-Saône et communes associées du Val de Saône"
    territory.coordinating_structure = structure_b
    territory.phone = "04 65 71 10 14"
    territory.save()
    return territory


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordination", coordinator=True)


@pytest.fixture
def partner_a(structure_a):
    return UserFactory(username="partenaire-a", structure=structure_a)


@pytest.fixture
def partner_b(structure_b):
    return UserFactory(username="partenaire-b", structure=structure_b)


@pytest.fixture
def editor_a(structure_a):
    return UserFactory(username="editeur-a", structure=structure_a, editor=True)


@pytest.fixture
def editor_b(structure_b):
    return UserFactory(username="editeur-b", structure=structure_b, editor=True)


@pytest.fixture
def users(partner_a, editor_a, editor_b, coordinator):
    """The accounts of an access matrix, by the role its rows name."""
    return {
        "anonymous": None,
        "reader": partner_a,
        "editor": editor_a,
        "other_editor": editor_b,
        "coordinator": coordinator,
    }


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def partner_client(partner_a):
    return _client_for(partner_a)


@pytest.fixture
def client_for():
    """client_for(user): a test client logged in as that user (or anonymous for None)."""
    return _client_for


class TaskQueue:
    """The database queue of production, worked off on demand by `run()`, as a worker would."""

    def __init__(self):
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        )

    def ready(self):
        from django_tasks_db.models import DBTaskResult

        return list(DBTaskResult.objects.ready())

    def waiting(self):
        """Every task not run yet, the ones planned for later included."""
        from django_tasks_db.models import DBTaskResult

        return list(DBTaskResult.objects.filter(status="READY"))

    def run(self) -> int:
        """Run the tasks ready now, and those they enqueue for now; how many ran."""
        count = 0
        while ready := self.ready():
            for result in ready:
                result.claim(self.worker.worker_id)
                self.worker.run_task(result)
                count += 1
        return count


@pytest.fixture
def task_queue(settings):
    """Tasks wait in the database queue instead of running at once; `task_queue.run()`."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.BOOKLET_BUILD_DELAY_SECONDS = 0  # ready at once for run()
    return TaskQueue()


@pytest.fixture
def recipient(db):
    logement = ThemeFactory(name="Logement", slug="logement")
    sante = ThemeFactory(name="Santé", slug="sante")
    ThemeFactory(name="Emploi et insertion", slug="emploi")
    ccas = StructureFactory(
        name="Centre communal d'action sociale",
        slug="ccas",
        acronym="CCAS",
        address="12 rue des Tilleuls",
        postcode="69300",
        city="Bellecombe-sur-Saône",
    )
    service = ServiceFactory(
        structure=ccas, title="Aide au logement", slug="aide-logement", themes=[logement, sante]
    )
    ContactFactory(structure=ccas, service=service, name="Nadia Exemple", function="Conseillère")
    return service


@pytest.fixture
def services(db):
    """Five services of five structures, with addresses, bus, hours and contacts."""
    logement = ThemeFactory(name="Logement", slug="logement")
    ThemeFactory(name="Santé", slug="sante")
    found = []
    for index, (name, acronym) in enumerate(
        [
            ("Centre communal d'action sociale", "CCAS"),
            ("Caisse d'allocations familiales", "CAF"),
            ("Mission locale", ""),
            ("Maison du Rhône", "MDR"),
            ("Centre d'information sur les droits des femmes et des familles", "CIDFF"),
        ]
    ):
        structure = StructureFactory(
            name=name,
            acronym=acronym,
            slug=f"structure-{index}",
            address=f"{index + 1} rue de la Paix",
            bus_lines=f"C{index + 1}",
            bus_stop=f"Arrêt {index + 1}",
            opening_hours=f"Le lundi de {index + 8} h à 12 h",
            phone=f"04 65 71 00 1{index}",
        )
        service = ServiceFactory(
            structure=structure,
            title=f"Aide numéro {index + 1}",
            slug=f"aide-{index}",
            summary=f"Ce que fait la structure {index + 1}.",
            documents="- Pièce d'identité\n- Justificatif de domicile",
            themes=[logement],
        )
        ContactFactory(structure=structure, service=service, name=f"Conseillère {index + 1}")
        found.append(service)
    return found
