"""The coordinator's import and export page in the admin."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from structures.data.exports import directory_csv_files
from structures.models import Structure, User

from .directory_data import directory_build, table_csv

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:structures_directory_data")


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def csv_simulate(client, files, *, encoding="utf-8"):
    """Post CSV files ({name: content}) to the data page, which simulates their import."""
    uploads = [upload(name, content) for name, content in files.items()]
    data = {"format": "csv", "encoding": encoding, "files": uploads}
    return client.post(PAGE, data, follow=True)


@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 302), ("partner_a", 302), ("coordinator", 200)],
)
@pytest.mark.parametrize(
    "url",
    [PAGE, reverse("admin:structures_directory_export", args=["csv"])],
)
def test_access(request, client_for, user, status, url):
    client = client_for(request.getfixturevalue(user) if user else None)
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith((reverse("login"), reverse("admin:login")))


def test_a_staff_account_without_the_coordination_role_is_refused(client_for, partner_a):
    User.objects.filter(pk=partner_a.pk).update(is_staff=True)
    partner_a.refresh_from_db()
    assert client_for(partner_a).get(PAGE).status_code == 403


def test_the_structure_list_links_to_the_page(coordinator_client):
    response = coordinator_client.get(reverse("admin:structures_structure_changelist"))
    assert PAGE in response.content.decode()


def test_the_csv_download_is_a_zip_of_the_four_files(coordinator_client):
    directory_build()
    response = coordinator_client.get(
        reverse("admin:structures_directory_export", args=["csv-excel"])
    )
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "changements.csv",
        "contacts.csv",
        "services.csv",
        "structures.csv",
        "thematiques.csv",
    ]
    assert archive.read("structures.csv").decode("utf-8-sig").startswith('"uid";"identifiant";')


def test_the_json_and_datainclusion_downloads(coordinator_client):
    directory_build()
    response = coordinator_client.get(reverse("admin:structures_directory_export", args=["json"]))
    slugs = {row["identifiant"] for row in json.loads(response.content)["structures"]}
    assert {"ccas", "restos"} <= slugs
    response = coordinator_client.get(
        reverse("admin:structures_directory_export", args=["data-inclusion"])
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"structures.json", "services.json"} <= set(archive.namelist())
    assert "inconnu" in archive.read("ecartes.txt").decode()


def test_an_upload_is_simulated_first_then_applied(coordinator_client):
    directory_build()
    files = directory_csv_files(delimiter=";")
    Structure.objects.filter(slug__in=["ccas", "restos"]).delete()

    response = csv_simulate(coordinator_client, files)

    page = response.content.decode()
    assert "Simulation : rien n&#x27;a été enregistré" in page
    assert "Structures : 2 à créer, 0 à mettre à jour, 1 inchangées" in page
    assert not Structure.objects.filter(slug="ccas").exists()
    token = response.context["token"]

    response = coordinator_client.post(
        reverse("admin:structures_directory_apply"), {"token": token}, follow=True
    )

    assert "Import appliqué" in response.content.decode()
    assert Structure.objects.filter(slug__in=["ccas", "restos"]).count() == 2
    again = coordinator_client.post(reverse("admin:structures_directory_apply"), {"token": token})
    assert "n'est plus disponible" in again.content.decode()


def test_a_faulty_upload_lists_the_problems_escaped_and_offers_no_apply(coordinator_client):
    header = directory_csv_files()["structures.csv"].decode("utf-8-sig").splitlines()[0]
    cells = [""] * len(header.split(","))
    cells[1], cells[2], cells[4], cells[5] = "ccas", "CCAS", "association", "<b>Accueil</b>"
    content = (header + "\r\n" + ",".join(cells) + "\r\n").encode()

    response = csv_simulate(coordinator_client, {"structures.csv": content})

    page = response.content.decode()
    assert "Import refusé : 1 problème(s)" in page
    assert "contient du code HTML (« &lt;b&gt; »)" in page
    assert "<b>Accueil" not in page
    assert not response.context["can_apply"]
    assert "Appliquer cet import" not in page
    assert not Structure.objects.filter(slug="ccas").exists()


def test_the_form_requires_a_file(coordinator_client):
    response = coordinator_client.post(PAGE, {"format": "csv"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()


def excel_structures_csv():
    line = {"identifiant": "creche", "nom": "Crèche « Les Câlins »", "type": "association"}
    return table_csv("structures", line | {"code_postal": "69300"}).decode().encode("cp1252")


def test_a_windows_1252_file_is_refused_by_default_with_the_encoding_explained(
    coordinator_client,
):
    response = csv_simulate(coordinator_client, {"structures.csv": excel_structures_csv()})

    page = response.content.decode()
    assert "structures.csv, ligne 2 : le fichier n&#x27;est pas encodé en UTF-8" in page
    assert "Windows-1252 (Excel sous Windows)" in page
    assert not response.context["can_apply"]
    assert not Structure.objects.filter(slug="creche").exists()


def test_the_apply_step_reads_the_files_with_the_encoding_of_the_simulation(
    coordinator_client,
):
    files = {"structures.csv": excel_structures_csv()}
    response = csv_simulate(coordinator_client, files, encoding="windows-1252")
    assert "Structures : 1 à créer" in response.content.decode()
    assert not Structure.objects.filter(slug="creche").exists()

    # only the token comes back: the encoding was kept with the files
    coordinator_client.post(
        reverse("admin:structures_directory_apply"), {"token": response.context["token"]}
    )

    assert Structure.objects.get(slug="creche").name == "Crèche « Les Câlins »"


def test_the_form_requires_a_known_encoding(coordinator_client):
    response = coordinator_client.post(
        PAGE,
        {"format": "csv", "encoding": "latin-9", "files": [upload("structures.csv", b"x")]},
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
