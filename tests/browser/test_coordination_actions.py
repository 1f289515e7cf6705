"""The coordinator acts from the dashboard: a fiche marked reviewed, then a history."""

from structures.models import Service

from .conftest import DESKTOP, PHONE, axe_violations, log_in, screenshot, wait_for_path


def test_marking_a_fiche_reviewed_then_reading_its_history(page):
    log_in(page, username="coordination")
    wait_for_path(page, "/")
    page.goto("/coordination/")
    first = page.get_by_role("button", name="Marquer relue").first
    label = first.inner_text().removeprefix("Marquer relue").strip(" :\n")
    first.click()
    page.get_by_text("est marquée comme relue aujourd'hui").wait_for()
    service = Service.objects.order_by("pk").first()
    service.save()  # a first version (the demo's fiches are loaded without history)
    service.summary = "Un résumé <em>revu</em> pour le test."
    service.save()
    found = {}
    for name, viewport in [("ordinateur", DESKTOP), ("telephone", PHONE)]:
        page.set_viewport_size(viewport)
        page.goto(f"/coordination/fiches/service/{service.pk}/historique/")
        page.get_by_text("Un résumé <em>revu</em> pour le test.").first.wait_for()
        screenshot(page, f"coordination-historique-modifiee-{name}")
        if violations := axe_violations(page):
            found[name] = violations
    assert label
    assert found == {}
