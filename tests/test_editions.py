"""Editions of the paper directory: built by the task workers, served at once, kept up to date.

Most tests use the database queue of production (`task_queue`): a request only enqueues,
and `task_queue.run()` does what `manage.py db_worker` would. The directory is tiny, so
that each build takes a moment.
"""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from liaison.booklet.context import WHOLE_DIRECTORY, BookletOptions
from liaison.booklet.editions import (
    booklet_edition,
    directory_fingerprint,
    editions_clean,
    editions_refresh,
)
from liaison.models import BookletPart, Edition
from structures.background.jobs import JobRun
from structures.models import Job

from .booklet_data import tiny_directory_build
from .pdf_utils import pdf_pages_text, pdf_text


@pytest.fixture
def tiny(db):
    return tiny_directory_build()


def stored(edition: Edition) -> bytes:
    edition.refresh_from_db()
    with default_storage.open(edition.file) as file:
        return file.read()


def download(client, url=None) -> bytes:
    response = client.get(url or reverse("liaison:booklet_pdf"))
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def whole() -> Edition:
    return Edition.objects.get(key="repertoire")


def built_tasks() -> int:
    """How many tasks actually built something (the others found nothing to do)."""
    results = DBTaskResult.objects.filter(status="SUCCESSFUL")
    return sum(1 for result in results if (result.return_value or {}).get("built"))


def test_the_first_download_asks_for_the_edition_and_waits_on_a_progress_page(
    tiny, partner_client, task_queue
):
    response = partner_client.get(reverse("liaison:booklet_pdf"))
    progress = reverse("liaison:edition_progress", args=["repertoire"])
    assert response.status_code == 302
    assert response["Location"] == progress
    page = partner_client.get(progress).content.decode()
    assert "L'édition est en préparation (en attente d'un ouvrier des tâches)" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert BookletPart.objects.count() == 0, "a web request rendered something"
    assert len(task_queue.ready()) == 1
    task_queue.run()
    page = partner_client.get(progress).content.decode()
    assert "http-equiv" not in page
    assert "Télécharger le PDF" in page
    assert "Fiche des Alouettes" in pdf_text(download(partner_client))


def test_many_changes_and_downloads_make_one_build_and_downloads_get_the_previous_edition(
    tiny, partner_client, task_queue, settings
):
    settings.BOOKLET_BUILD_DELAY_SECONDS = 0
    partner_client.get(reverse("liaison:booklet_pdf"))
    task_queue.run()
    previous = stored(whole())
    for number, structure in enumerate(tiny["structures"]):
        service = structure.services.get()
        service.title = f"Fiche refaite n° {number}"
        service.save()
    for _ in range(5):
        assert download(partner_client) == previous
    assert len(task_queue.ready()) == 1
    task_queue.run()
    assert built_tasks() == 2
    text = pdf_text(stored(whole()))
    assert all(f"Fiche refaite n° {number}" in text for number in range(3))
    assert download(partner_client) == stored(whole())


def test_a_download_during_a_build_serves_the_previous_edition_and_shows_the_progress(
    tiny, partner_client, task_queue
):
    partner_client.get(reverse("liaison:booklet_pdf"))
    task_queue.run()
    previous = stored(whole())
    service = tiny["structures"][0].services.get()
    service.title = "Fiche toute neuve"
    service.save()
    run = JobRun.take(key="edition-repertoire")  # a worker on another server builds it
    run.progress(done=3, total=12)
    assert download(partner_client) == previous
    page = partner_client.get(reverse("liaison:booklet")).content.decode()
    status = re.search(r'<p class="edition-status".*?</p>', page, re.DOTALL).group()
    assert "Édition du" in status
    assert "Une nouvelle édition est en préparation (parties prêtes : 3 sur 12)" in status
    assert 'data-preparing="true"' in status
    line = partner_client.get(reverse("liaison:edition_status", args=["repertoire"]))
    assert "parties prêtes : 3 sur 12" in line.content.decode()
    assert "<h1" not in line.content.decode()
    assert "Fiche toute neuve" not in pdf_text(previous)


def test_a_rebuild_renders_only_the_chunk_whose_content_changed(tiny, task_queue):
    booklet_edition(WHOLE_DIRECTORY)
    editions_refresh()
    task_queue.run()
    first = whole()
    # Every chunk, then the contents and the index again with their page numbers.
    assert first.parts_rendered == first.parts_total + 2
    service = tiny["structures"][1].services.get()
    service.objectives = "Un objectif écrit autrement."
    service.save()
    editions_refresh()
    task_queue.run()
    assert whole().parts_rendered == 1  # the chunk of the Santé part that holds it
    structure = tiny["structures"][2]
    structure.role = "Un rôle écrit autrement."
    structure.save()
    editions_refresh()
    task_queue.run()
    assert whole().parts_rendered == 1  # the chunk of the A to Z that holds its identity sheet
    assert "Un rôle écrit autrement." in pdf_text(stored(whole()))


def test_a_change_that_prints_nothing_new_keeps_the_edition_and_its_date(tiny, task_queue):
    booklet_edition(WHOLE_DIRECTORY)
    editions_refresh()
    task_queue.run()
    before = whole()
    theme = tiny["themes"][0]
    theme.datainclusion_codes = ["logement-hebergement"]  # not printed
    theme.save()
    assert directory_fingerprint() != before.source
    editions_refresh()
    task_queue.run()
    after = whole()
    assert (after.file, after.produced_at) == (before.file, before.produced_at)
    assert after.source == directory_fingerprint()


def test_the_print_page_offers_one_sided_printing_without_blank_pages(
    tiny, partner_client, task_queue
):
    page = partner_client.get(reverse("liaison:booklet")).content.decode()
    assert 'name="sides" value="recto"' in page
    query = "?scope=tout&annexes=avec&contacts=avec&sides=recto"
    partner_client.get(reverse("liaison:booklet_pdf") + query)
    task_queue.run()
    one_sided = Edition.objects.get(kind="selection")
    assert one_sided.label == "Sélection : tout le répertoire, recto seul"
    assert one_sided.options["two_sided"] is False
    with default_storage.open(one_sided.file) as file:
        pages = pdf_pages_text(file.read())
    assert all(re.sub(r"Édition du .+ page \d+ / \d+", "", text).strip() for text in pages)


def test_a_selection_is_built_on_request_and_removed_after_a_day(tiny, partner_client, task_queue):
    query = "?scope=thematiques&themes=sante&annexes=sans&contacts=avec"
    response = partner_client.get(reverse("liaison:booklet_pdf") + query)
    assert response.status_code == 302
    progress = response["Location"]
    assert "selection-" in progress
    assert "en préparation" in partner_client.get(progress).content.decode()
    task_queue.run()
    selection = Edition.objects.get(kind="selection")
    assert selection.label == "Sélection : Santé, sans les annexes"
    assert selection.expires_at == selection.produced_at + timedelta(days=1)
    page = partner_client.get(progress).content.decode()
    link = reverse("liaison:edition_file", args=[selection.key])
    assert link in page
    response = partner_client.get(link)
    assert 'filename="repertoire-extrait.pdf"' in response["Content-Disposition"]
    text = pdf_text(b"".join(response.streaming_content))
    assert "Fiche des Bleuets" in text  # santé
    assert "Fiche des Alouettes" not in text  # logement
    Edition.objects.filter(pk=selection.pk).update(expires_at=timezone.now() - timedelta(1))
    editions_clean()
    assert not Edition.objects.filter(kind="selection").exists()
    assert not default_storage.exists(selection.file)
    assert partner_client.get(progress).status_code == 404


def test_the_theme_pdf_holds_that_theme_only_built_at_once_when_tasks_run_at_once(
    tiny, partner_client
):
    response = partner_client.get(reverse("liaison:theme_pdf", args=["sante"]))
    assert 'filename="repertoire-sante.pdf"' in response["Content-Disposition"]
    pages = pdf_pages_text(b"".join(response.streaming_content))
    text = " ".join(pages)
    assert "Fiche des Bleuets" in text
    assert "Fiche des Alouettes" not in text
    assert f"page 2 / {len(pages)}" in pages[1]


def test_the_structure_pdfs_are_kept_up_to_date_one_by_one(tiny, partner_client, task_queue):
    first, second = tiny["structures"][:2]
    urls = [reverse("liaison:structure_pdf", args=[s.slug]) for s in (first, second)]
    assert all(partner_client.get(url).status_code == 302 for url in urls)
    task_queue.run()
    sheets = {e.key: e for e in Edition.objects.filter(kind="structure")}
    assert len(sheets) == 2
    pages = pdf_pages_text(download(partner_client, urls[0]))
    assert "Maison des Alouettes" in pages[0]
    assert "Fiche des Alouettes" in pages[0]
    assert "Référente des Alouettes" in pages[0]
    assert f"page 1 / {len(pages)}" in pages[0]
    first.phone = "04 65 71 12 34"
    first.save()
    editions_refresh()
    task_queue.run()
    after = {e.key: e for e in Edition.objects.filter(kind="structure")}
    assert after[f"structure-{first.slug}"].file != sheets[f"structure-{first.slug}"].file
    assert after[f"structure-{second.slug}"].file == sheets[f"structure-{second.slug}"].file
    assert "04 65 71 12 34" in pdf_text(download(partner_client, urls[0]))


def test_the_print_page_gives_the_edition_of_the_directory_and_of_each_theme(tiny, partner_client):
    page = partner_client.get(reverse("liaison:booklet")).content.decode()
    assert page.count("Pas encore d'édition") == 3  # the directory and both themes
    download(partner_client)  # tasks run at once here: built during the request
    page = partner_client.get(reverse("liaison:booklet")).content.decode()
    assert page.count("Pas encore d'édition") == 2
    assert re.search(r"Édition du \d{1,2} \w+ 20\d\d \(\d+ pages\)", page)
    assert reverse("liaison:theme_pdf", args=["sante"]) in page
    assert "js/editions.js" in page


def test_the_theme_and_structure_pages_show_the_status_of_their_pdf(tiny, partner_client):
    theme_page = partner_client.get(reverse("structures:theme_detail", args=["sante"]))
    status = reverse("liaison:edition_status", args=["thematique-sante"])
    assert f'data-edition-status="{status}"' in theme_page.content.decode()
    structure = tiny["structures"][0]
    structure_page = partner_client.get(structure.get_absolute_url()).content.decode()
    assert reverse("liaison:structure_pdf", args=[structure.slug]) in structure_page
    status = reverse("liaison:edition_status", args=[f"structure-{structure.slug}"])
    assert f'data-edition-status="{status}"' in structure_page
    line = partner_client.get(status).content.decode()
    assert "Pas encore d'édition" in line
    assert 'data-preparing="false"' in line


def test_a_removed_theme_takes_its_edition_away(tiny, partner_client):
    download(partner_client, reverse("liaison:theme_pdf", args=["sante"]))
    edition = Edition.objects.get(key="thematique-sante")
    tiny["themes"][1].delete()
    editions_refresh()
    assert not Edition.objects.filter(key="thematique-sante").exists()
    assert not default_storage.exists(edition.file)


def test_parts_that_no_edition_uses_are_removed_after_a_day(tiny, partner_client):
    download(partner_client)
    used = set(whole().parts)
    assert used
    BookletPart.objects.update(used_at=timezone.now() - timedelta(days=2))
    orphan = BookletPart.objects.create(
        key="0" * 64, pages=1, used_at=timezone.now() - timedelta(2)
    )
    default_storage.save(orphan.file_name, ContentFile(b"%PDF-"))
    editions_clean()
    assert set(BookletPart.objects.values_list("key", flat=True)) >= used
    assert not BookletPart.objects.filter(key=orphan.key).exists()
    assert not default_storage.exists(orphan.file_name)


def test_a_change_saved_by_the_coordination_asks_for_new_editions(
    tiny, coordinator_client, partner_client, task_queue
):
    partner_client.get(reverse("liaison:booklet_pdf"))
    task_queue.run()
    theme = tiny["themes"][0]
    response = coordinator_client.post(
        reverse("admin:structures_theme_change", args=[theme.pk]),
        {
            "name": "Logement et hébergement",
            "slug": "logement",
            "order": 1,
            "description": "",
            "datainclusion_codes": "[]",
        },
    )
    assert response.status_code == 302
    waiting = task_queue.waiting()
    assert [result.args_kwargs["args"] for result in waiting if result.run_after < _soon()] == [
        ["repertoire"]
    ]


def test_a_partners_post_asks_for_nothing(tiny, partner_client, task_queue):
    partner_client.get(reverse("liaison:booklet_pdf"))
    task_queue.run()
    before = len(task_queue.waiting())
    partner_client.post(reverse("liaison:parcours"), {})
    assert len(task_queue.waiting()) == before


def _soon():
    return timezone.now() + timedelta(seconds=30)


def test_the_command_builds_the_edition_once_then_says_it_is_current(tiny, capsys):
    call_command("build_directory_pdf")
    assert "nouvelle édition produite" in capsys.readouterr().out
    edition = whole()
    assert "Maison des Alouettes" in pdf_text(stored(edition))
    call_command("build_directory_pdf")
    assert "est à jour" in capsys.readouterr().out
    assert whole().file == edition.file
    call_command("build_directory_pdf", verbosity=0)
    assert capsys.readouterr().out == ""


def test_the_command_can_leave_the_building_to_the_task_workers(tiny, task_queue, capsys):
    call_command("build_directory_pdf", "--queue", "--themes")
    assert "demandées aux ouvriers des tâches" in capsys.readouterr().out
    keys = sorted(result.args_kwargs["args"][0] for result in task_queue.ready())
    assert keys == ["repertoire", "thematique-logement", "thematique-sante"]
    assert not Edition.objects.exclude(file="").exists()


def _urls(tiny):
    return [
        reverse("liaison:booklet"),
        reverse("liaison:booklet_pdf"),
        reverse("liaison:theme_pdf", args=["sante"]),
        reverse("liaison:structure_pdf", args=[tiny["structures"][0].slug]),
        reverse("liaison:edition_progress", args=["repertoire"]),
        reverse("liaison:edition_status", args=["repertoire"]),
        reverse("liaison:edition_file", args=["repertoire"]),
    ]


@pytest.mark.parametrize("who", ["anonymous", "partner", "coordinator"])
def test_access_to_the_printing_pages(tiny, client_for, partner_a, coordinator, task_queue, who):
    """Every partner may print; nothing is rendered (the tasks wait in the queue)."""
    user = {"anonymous": None, "partner": partner_a, "coordinator": coordinator}[who]
    client = client_for(user)
    booklet_edition(WHOLE_DIRECTORY)
    for url in _urls(tiny):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code in (200, 302), url
            if response.status_code == 302:
                assert "/imprimer/editions/" in response["Location"]
    assert BookletPart.objects.count() == 0


def test_an_edition_that_does_not_exist_is_a_french_404(tiny, partner_client):
    response = partner_client.get(reverse("liaison:edition_progress", args=["selection-abc"]))
    assert response.status_code == 404


def test_choosing_themes_without_ticking_any_explains_and_keeps_the_choices(tiny, partner_client):
    query = "?scope=thematiques&annexes=sans&contacts=avec"
    response = partner_client.get(reverse("liaison:booklet_pdf") + query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cochez au moins une thématique" in page
    assert re.search(r'value="sans"\s+id="id_annexes_1"[^>]*checked', page)
    assert re.search(r'value="thematiques"\s+id="id_scope_1"[^>]*checked', page)


def test_the_form_with_the_usual_choices_gives_the_kept_editions(tiny):
    assert booklet_edition(BookletOptions()).key == "repertoire"
    assert booklet_edition(BookletOptions(theme_slugs=("sante",))).key == "thematique-sante"
    selection = booklet_edition(BookletOptions(theme_slugs=("sante",), with_contacts=False))
    assert selection.kind == "selection"
    assert Job.objects.filter(key=f"edition-{selection.key}").exists()
