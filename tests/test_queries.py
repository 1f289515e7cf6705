import pytest
from django.urls import reverse

from structures.management.commands.seed_synthetic import seed_synthetic
from structures.models import Structure, Theme

# Whatever the size of the directory. A search reads the synonyms, the query's words,
# counts the results, the themes, the communes and the filters, then reads its page.
# The hours are three more queries: the page's temporary changes, and for the « horaires »
# filter the directory's distinct hours and the changes in force.
MAX_QUERIES = 19  # each active filter adds one: its counts without itself
MAX_SEARCH_QUERIES = 23


@pytest.fixture(params=[5, 2000], ids=["5-structures", "2000-structures"], scope="module")
def size(request):
    return request.param


@pytest.fixture
def territory(db, size):
    seed_synthetic(structures=size, services_per_structure=2)
    return size


def list_urls():
    theme = Theme.objects.order_by("order").first()
    structure = Structure.objects.filter(slug__startswith="synthetique").first()
    search = reverse("structures:search")
    return [
        reverse("structures:home"),
        reverse("structures:theme_detail", args=[theme.slug]),
        reverse("structures:theme_detail", args=[theme.slug]) + "?frais=gratuit&page=2",
        reverse("structures:structure_list"),
        reverse("structures:structure_list") + "?lettre=S&page=3",
        reverse("structures:structure_detail", args=[structure.slug]),
        structure.services.first().get_absolute_url(),
        reverse("structures:annex_list"),
        reverse("structures:annex_list") + f"?theme={theme.slug}&sans_rdv=oui",
        search + "?q=accompagnement",
        search + "?q=accompagnement&frais=gratuit&public=jeunes&page=2",
        search + f"?q={structure.acronym}",
        search + "?q=acompagnemant",
        search + "?public=familles&commune=Bellecombe-sur-Sa%C3%B4ne",
    ]


def test_list_pages_run_a_bounded_number_of_queries_and_never_list_thousands_of_rows(
    territory, partner_client, django_assert_max_num_queries
):
    """Both on one territory: seeding 2,000 structures is most of this test's time."""
    urls = list_urls()
    partner_client.get(urls[0])  # the session is loaded once
    for url in urls:
        bound = MAX_SEARCH_QUERIES if url.startswith("/recherche/") else MAX_QUERIES
        with django_assert_max_num_queries(bound, info=url):
            response = partner_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        rows = html.count('class="search-result"') + html.count('<li class="mb-2">')
        assert rows <= 60, url
        assert len(html) < 200_000, url
