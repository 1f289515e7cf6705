import pytest
from django.urls import reverse

from structures.management.commands.seed_synthetic import seed_synthetic
from structures.models import Structure, Theme

MAX_QUERIES = 12


@pytest.mark.parametrize("size", [5, 200])
def test_list_pages_run_a_bounded_number_of_queries(
    db, partner_client, django_assert_max_num_queries, size
):
    seed_synthetic(structures=size, services_per_structure=3)
    theme = Theme.objects.first()
    structure = Structure.objects.filter(slug__startswith="synthetique").first()
    service = structure.services.first()
    urls = [
        reverse("structures:home"),
        reverse("structures:theme_detail", args=[theme.slug]),
        reverse("structures:structure_list"),
        reverse("structures:structure_detail", args=[structure.slug]),
        service.get_absolute_url(),
        reverse("structures:annex_list"),
        reverse("structures:search") + "?q=accompagnement",
    ]
    partner_client.get(urls[0])  # the session is loaded once
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            assert partner_client.get(url).status_code == 200
