"""Imports from the admin run in the background: kept in storage, progress, then the report."""

import io
import os
import stat
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from structures.data import jobs
from structures.data.jobs import directory_import_run, job_read, progress_writer
from structures.models import Structure

from .directory_data import table_csv

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:structures_directory_data")
APPLY = reverse("admin:structures_directory_apply")


@pytest.fixture
def no_worker(settings):
    """Tasks wait in the queue, as they do until a worker takes them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def structures_upload(*slugs):
    rows = [{"identifiant": slug, "nom": slug.upper()} for slug in slugs]
    return SimpleUploadedFile("structures.csv", table_csv("structures", *rows))


def upload(client, *slugs):
    data = {"format": "csv", "encoding": "utf-8", "files": [structures_upload(*slugs)]}
    response = client.post(PAGE, data)
    assert response.status_code == 302
    return response["Location"].rstrip("/").rpartition("/")[2]


def test_the_upload_is_kept_in_private_storage_and_simulated_in_the_background(
    coordinator_client, no_worker, settings
):
    token = upload(coordinator_client, "ccas", "caf")

    folder = Path(settings.MEDIA_ROOT) / "imports" / token
    kept = folder / "files" / "0"
    assert kept.read_bytes().startswith(b"uid;identifiant")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "job.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not (Path(tempfile.gettempdir()) / "repertoire-imports").exists()
    page = coordinator_client.get(reverse("admin:structures_directory_import", args=[token]))
    html = page.content.decode()
    assert "En attente du processus de fond" in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "<script>" not in html.split("<body", 1)[1].replace('<script src="', "")
    assert page.context["report"] is None

    directory_import_run.call(token=token, apply=False)

    page = coordinator_client.get(reverse("admin:structures_directory_import", args=[token]))
    html = page.content.decode()
    assert "Structures : 2 à créer" in html
    assert 'http-equiv="refresh"' not in html
    assert "Appliquer cet import" in html
    assert not Structure.objects.filter(slug__in=["ccas", "caf"]).exists()


def test_applying_runs_in_the_background_and_removes_the_files(
    coordinator_client, coordinator, no_worker, settings
):
    token = upload(coordinator_client, "ccas")
    directory_import_run.call(token=token, apply=False)

    response = coordinator_client.post(APPLY, {"token": token})

    assert response.status_code == 302
    assert not Structure.objects.filter(slug="ccas").exists()  # queued, not run in the request
    assert job_read(token)["status"] == "waiting"
    directory_import_run.call(token=token, apply=True)
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Import appliqué : le répertoire est à jour." in page
    assert Structure.objects.get(slug="ccas").history.get().history_user == coordinator
    assert not (Path(settings.MEDIA_ROOT) / "imports" / token / "files").exists()
    again = coordinator_client.post(APPLY, {"token": token})
    assert "n'est plus disponible" in again.content.decode()


def test_with_a_worker_the_upload_leads_to_the_report(coordinator_client):
    response = coordinator_client.post(
        PAGE,
        {"format": "csv", "encoding": "utf-8", "files": [structures_upload("ccas")]},
        follow=True,
    )
    assert "Structures : 1 à créer" in response.content.decode()
    response = coordinator_client.post(APPLY, {"token": response.context["token"]}, follow=True)
    assert "Import appliqué" in response.content.decode()
    assert Structure.objects.filter(slug="ccas").exists()


def test_the_progress_page_shows_how_far_the_check_is(coordinator_client, no_worker):
    token = upload(coordinator_client, "ccas")
    progress = progress_writer(token)

    progress("vérification", 1000, 3000)

    page = coordinator_client.get(reverse("admin:structures_directory_import", args=[token]))
    html = page.content.decode()
    assert "Vérification : 1\u202f000 ligne(s) sur 3\u202f000." in html
    assert '<progress max="3000" value="1000">' in html
    progress("vérification", 1200, 3000)  # not written: too close to the last one
    assert job_read(token)["done"] == 1000


def test_a_failing_import_says_so_and_writes_nothing(coordinator_client, monkeypatch):
    def broken(**_arguments):
        raise OSError("disque illisible")

    monkeypatch.setattr(jobs, "records_read", broken)
    response = coordinator_client.post(
        PAGE,
        {"format": "csv", "encoding": "utf-8", "files": [structures_upload("ccas")]},
        follow=True,
    )
    assert response.status_code == 200
    assert "L'import s'est interrompu" in response.content.decode()
    assert not Structure.objects.filter(slug="ccas").exists()


def test_a_job_of_another_session_is_not_shown(coordinator_client, coordinator, client_for):
    token = upload(coordinator_client, "ccas")
    other = client_for(coordinator)  # the same person, another browser
    page = other.get(reverse("admin:structures_directory_import", args=[token]))
    assert page.context["expired"]
    assert page.context["job"] is None
    response = other.post(APPLY, {"token": token})
    assert "n'est plus disponible" in response.content.decode()
    assert not Structure.objects.filter(slug="ccas").exists()


@pytest.mark.parametrize(
    ("user", "status"), [(None, 302), ("partner_a", 302), ("coordinator", 200)]
)
def test_access_to_the_progress_page(request, client_for, user, status):
    client = client_for(request.getfixturevalue(user) if user else None)
    response = client.get(reverse("admin:structures_directory_import", args=["x" * 22]))
    assert response.status_code == status


def test_simulations_left_for_a_day_are_removed(coordinator_client, no_worker, settings):
    old, recent = upload(coordinator_client, "ccas"), upload(coordinator_client, "caf")
    folder = Path(settings.MEDIA_ROOT) / "imports"
    day_ago = time.time() - 25 * 3600
    os.utime(folder / old / "job.json", (day_ago, day_ago))

    coordinator_client.get(PAGE)

    assert sorted(path.name for path in folder.iterdir()) == [recent]


def test_the_form_refuses_files_too_big_for_one_import(coordinator_client, monkeypatch):
    monkeypatch.setattr("structures.data.forms.UPLOAD_MAX_BYTES", 100)
    response = coordinator_client.post(
        PAGE, {"format": "csv", "encoding": "utf-8", "files": [structures_upload("ccas")]}
    )
    assert "sont acceptés en une fois" in response.content.decode()


def test_the_import_command_prints_its_progress(tmp_path):
    rows = [{"identifiant": f"s-{number}", "nom": f"Structure {number}"} for number in range(2000)]
    (tmp_path / "structures.csv").write_bytes(table_csv("structures", *rows))
    output = io.StringIO()

    call_command("import_directory", str(tmp_path), "--apply", stdout=output)

    lines = output.getvalue().splitlines()
    assert "Vérification : 1\u202f000 / 2\u202f000 lignes (50 %)" in lines
    assert "Vérification : 2\u202f000 / 2\u202f000 lignes (100 %)" in lines
    assert "Enregistrement de 2\u202f000 lignes…" in lines
    assert Structure.objects.filter(slug__startswith="s-").count() == 2000
