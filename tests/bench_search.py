"""Search and list pages on a département-sized territory (2,000 structures × 5 fiches).

For each page: median and 95th percentile of the server time (Django test client), the
page size, and the median as a ratio of an anchor measured in the same run (a
structure's identity sheet, a page of bounded size that this work does not change).
The pages are requested in turns, one request of each a turn, so that a slower minute
of a shared machine weighs on every page alike; the broad search is also given as the
median of its ratio to the narrow one within each turn.
`python tests/bench.py search` runs this section alone.
"""

import statistics
import time

from tests.bench import synthetic_client

STRUCTURES, SERVICES = 2000, 5
BUDGET_MS = 8000  # per page: as many requests as fit, 5 at least, 40 at most


def timings_ms(client, url, *, before=None) -> list[float]:
    """Server times of `url`; `before()`, if given, runs untimed before each request."""
    timings = []
    client.get(url)  # warm-up
    while len(timings) < 40 and (len(timings) < 5 or sum(timings) < BUDGET_MS):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return timings


def timings_by_turns(client, urls: list[str]) -> list[list[float]]:
    """Server times of each of `urls`, requested in turns (one request of each a turn)."""
    timings = [[] for _ in urls]
    for url in urls:
        client.get(url)  # warm-up
    turns = 0
    while turns < 40 and (turns < 5 or sum(map(sum, timings)) < BUDGET_MS * len(urls)):
        for url, found in zip(urls, timings, strict=True):
            start = time.perf_counter()
            response = client.get(url)
            found.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
        turns += 1
    return timings


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(report):
    from structures.models import Structure, Theme

    client = synthetic_client(structures=STRUCTURES, services=SERVICES)
    theme = Theme.objects.order_by("order").first()
    structure = Structure.objects.order_by("pk")[STRUCTURES // 2]
    broad, narrow = "/recherche/?q=accompagnement", f"/recherche/?q={structure.acronym}"
    pages = {
        "ancre : fiche d'une structure": structure.get_absolute_url(),
        "recherche large « accompagnement »": broad,
        f"recherche étroite « {structure.acronym} »": narrow,
        "recherche avec faute « acompagnemant »": "/recherche/?q=acompagnemant",
        "recherche filtrée « accompagnement » + gratuit": (
            "/recherche/?q=accompagnement&frais=gratuit"
        ),
        f"onglet « {theme.name} »": theme.get_absolute_url(),
        "structures A–Z": "/structures/",
        "accueil": "/",
    }
    print(f"\nRecherche et listes ({STRUCTURES} structures × {SERVICES} fiches) :")
    print(f"  {'page':<52} {'médiane':>9} {'p95':>9} {'n':>3} {'taille':>9} {'/ancre':>7}")
    urls = list(pages.values())
    by_url = dict(zip(urls, timings_by_turns(client, urls), strict=True))
    anchor = statistics.median(by_url[urls[0]])
    for label, url in pages.items():
        timings = by_url[url]
        median = statistics.median(timings)
        size = len(client.get(url).content) / 1024
        print(
            f"  {label:<52} {median:>6.1f} ms {p95(timings):>6.1f} ms {len(timings):>3} "
            f"{size:>6.0f} Ko {median / anchor:>6.1f}×",
            flush=True,
        )
    turns = [b / n for b, n in zip(by_url[broad], by_url[narrow], strict=True)]
    print(
        f"  recherche large / étroite, médiane des rapports d'un même tour : "
        f"{statistics.median(turns):.2f}× (objectif : 2×)",
        flush=True,
    )
