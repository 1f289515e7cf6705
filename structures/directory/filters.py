"""The filters of the search results, the theme tabs and the annexes, with their counts.

A filter reads one GET parameter and narrows a queryset of services (`on=SERVICES`), or
of search entries (`on=ENTRIES`), which carry a copy of the fields the filters read
(structures/search/facets.py). Its options are counted on the results of every other
filter, so that each count says what choosing that option would give.

To add a filter: write an OptionFilter (options with their Q, counted together in one
query), a GroupFilter (the values of one field, counted by GROUP BY) or a ListFilter (the
values of a list field, counted by GROUP BY on the stored lists), add it to FILTERS and
its field to the entries' facets (structures/search/facets.py): the pages, the counts
and the form follow. The lists and the plain fields not yet chosen
are counted together, by one GROUP BY on all of them that also counts the options of
the OptionFilters (groups_count). A filter whose options need data read for the page
(the opening hours, HoursFilter) gives a copy of itself with that data from for_page(),
once per page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q

from ..enums import Fee, Public, ReceptionMode, StepFreeAccess
from ..models import Service, Theme
from ..search.facets import SERVICES, lookup

MAX_VALUE_LENGTH = 100


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    condition: Callable[[str], Q]  # on -> Q


class Filter:
    param: str
    label: str
    widget = "select"  # or "checkbox" (one option), "links" (the themes)
    every_option = True  # listed even when it would find nothing (else only those found)
    groupable = False  # counted with the others by one GROUP BY (groups_count)

    def choices(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def q(self, value: str, *, on: str) -> Q:
        raise NotImplementedError

    def clean(self, value: str) -> str | None:
        return value if value in dict(self.choices()) else None

    def for_page(self) -> "Filter":
        return self


@dataclass
class OptionFilter(Filter):
    param: str
    label: str
    options: list[Option]
    widget: str = "select"

    def choices(self):
        return [(option.value, option.label) for option in self.options]

    def q(self, value, *, on):
        return next(option.condition(on) for option in self.options if option.value == value)

    def aggregates(self, *, on) -> dict:
        return {
            f"{self.param}:{option.value}": Count("pk", filter=option.condition(on))
            for option in self.options
        }


@dataclass
class GroupFilter(Filter):
    """The values of one field, with their counts (GROUP BY); for many-to-many, `through`."""

    param: str
    label: str
    path: str
    labels: Callable[[], dict[str, str]] | None = None  # value -> label; else the value
    through: Callable[[str], Q] | None = None  # value -> the services' Q
    widget: str = "select"
    every_option = False

    def choices(self):
        return list(self.labels().items()) if self.labels else []

    def clean(self, value):
        if self.labels:
            return super().clean(value)
        return value if 0 < len(value) <= MAX_VALUE_LENGTH else None

    def q(self, value, *, on):
        if self.through:
            return Q(**{lookup("pk__in", on): Service.objects.filter(self.through(value))})
        return Q(**{lookup(self.path, on): value})

    @property
    def groupable(self) -> bool:
        """A field of the row itself (not many-to-many): counted with the others at once."""
        return self.through is None

    def counts(self, queryset, *, on) -> dict[str, int]:
        if self.groupable:
            return groups_count(queryset, [self], on=on)[0][self.param]
        rows = queryset.values(lookup(self.path, on)).annotate(n=Count("pk")).order_by()
        return {value: n for value, n in rows.values_list(lookup(self.path, on), "n") if value}

    def initial(self) -> dict[str, int]:
        return {}

    def add(self, found: dict[str, int], value, n: int) -> None:
        if value:
            found[value] = found.get(value, 0) + n


@dataclass
class ListFilter(Filter):
    """The values of a list field (ChoiceSetField: publics, modes d'accueil), counted by
    one GROUP BY on the stored lists, split here: a département's broad search has
    thousands of results, and one LIKE a value and a row cost more than the rest of the
    page. `everyone`: a value that every option also finds (« Tous publics »)."""

    param: str
    label: str
    path: str
    choices_of: Callable[[], list[tuple[str, str]]]
    everyone: str = ""
    widget: str = "select"
    groupable = True

    def choices(self):
        return self.choices_of()

    def q(self, value, *, on):
        found = Q(**{lookup(f"{self.path}__has", on): value})
        if self.everyone and value != self.everyone:
            found |= Q(**{lookup(f"{self.path}__has", on): self.everyone})
        return found

    def counts(self, queryset, *, on) -> dict[str, int]:
        return groups_count(queryset, [self], on=on)[0][self.param]

    def initial(self) -> dict[str, int]:
        return dict.fromkeys((key for key, _ in self.choices()), 0)

    def add(self, found: dict[str, int], values: list[str] | None, n: int) -> None:
        """Count `n` rows holding `values` for each option that finds them."""
        values = values or []
        for value in [key for key, _ in self.choices()] if self.everyone in values else values:
            if value in found:
                found[value] += n


@dataclass
class ThemeListFilter(ListFilter):
    """The themes on the search entries, which hold their ids (a theme's slug may be
    edited): chosen and counted by slug. The themes are read once per page."""

    slugs: dict[str, str] = field(default_factory=dict)  # id -> slug
    every_option = False

    def for_page(self):
        themes = list(Theme.objects.values_list("pk", "slug", "name"))
        return replace(
            self,
            choices_of=lambda: [(slug, name) for _, slug, name in themes],
            slugs={str(pk): slug for pk, slug, _ in themes},
        )

    def q(self, value, *, on):
        ids = {slug: pk for pk, slug in self.slugs.items()}
        return Q(**{lookup(f"{self.path}__has", on): ids[value]})

    def initial(self) -> dict[str, int]:
        return {}

    def add(self, found, values, n):
        for value in values or []:
            if slug := self.slugs.get(value):
                found[slug] = found.get(slug, 0) + n


def groups_count(
    queryset, filters: list, *, on, aggregates: dict | None = None
) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """The counts of several groupable filters (lists, plain fields) on one queryset, and
    the `aggregates` (counts of options) with them: one GROUP BY on all their fields, the
    values counted and the aggregates summed here. The total is `aggregates["total"]`."""
    aggregates = {"total": Count("pk"), **(aggregates or {})}
    found = {item.param: item.initial() for item in filters}
    if not filters:
        return found, queryset.aggregate(**aggregates)
    paths = [lookup(item.path, on) for item in filters]
    sums = dict.fromkeys(aggregates, 0)
    for row in queryset.values(*paths).annotate(**aggregates).order_by():
        for item, path in zip(filters, paths, strict=True):
            item.add(found[item.param], row[path], row["total"])
        for key in sums:
            sums[key] += row[key]
    return found, sums


class HoursFilter(OptionFilter):
    """« Ouvert maintenant », « ouvert le samedi »: computed from the stored OSM strings
    (structures/hours/filtering.py), read once per page."""

    def __init__(self):
        super().__init__(
            "horaires", "Horaires", [Option(v, label, None) for v, label in self.KINDS]
        )

    KINDS = [("maintenant", "Ouvert maintenant"), ("samedi", "Ouvert le samedi")]

    def for_page(self):
        from ..hours import filtering

        strings, changes = filtering.distinct_hours(), filtering.current_changes()
        conditions = {
            "maintenant": lambda on: filtering.open_now_q(strings, changes, on),
            "samedi": lambda on: filtering.open_on_saturday_q(strings, on),
        }
        options = [Option(v, label, conditions[v]) for v, label in self.KINDS]
        return OptionFilter(self.param, self.label, options)


def field_option(value, label, path, match) -> Option:
    return Option(value, label, lambda on: Q(**{lookup(path, on): match}))


THEME = GroupFilter(
    "theme",
    "Thématique",
    path="themes__slug",
    labels=lambda: dict(Theme.objects.values_list("slug", "name")),
    through=lambda slug: Q(themes__slug=slug),
    widget="links",
)

# The same, on the search entries (structures/search/facets.py).
THEME_FACET = ThemeListFilter("theme", "Thématique", path="themes", choices_of=list, widget="links")

FILTERS = [
    ListFilter(
        "public",
        "Public",
        path="publics",
        choices_of=lambda: Public.choices,
        everyone=Public.TOUS_PUBLICS,
    ),
    OptionFilter(
        "frais",
        "Frais",
        [field_option(value, label, "fee", value) for value, label in Fee.choices if value],
    ),
    ListFilter(
        "accueil", "Accueil", path="reception_modes", choices_of=lambda: ReceptionMode.choices
    ),
    OptionFilter(
        "sans_rdv",
        "Sans rendez-vous",
        [field_option("oui", "Sans rendez-vous", "walk_in", True)],
        widget="checkbox",
    ),
    OptionFilter(
        "plain_pied",
        "Accès en fauteuil roulant",
        [
            field_option(
                "oui", "Accès de plain-pied", "structure__step_free_access", StepFreeAccess.OUI
            )
        ],
        widget="checkbox",
    ),
    GroupFilter("commune", "Commune", path="structure__city"),
    HoursFilter(),
]


@dataclass
class BoundOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class BoundFilter:
    filter: Filter
    value: str | None
    options: list[BoundOption] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        """Worth showing: a choice to make (a single commune is no choice)."""
        if self.filter.widget == "checkbox":
            return bool(self.value) or any(option.count for option in self.options)
        return bool(self.value) or len([o for o in self.options if o.count]) > 1


class FilterSet:
    """The filters of one page, read from the GET parameters (unknown values are ignored)."""

    def __init__(self, params, *, filters=FILTERS, on=SERVICES):
        self.filters = [item.for_page() for item in filters]
        self.on = on
        self.values = {}
        for item in self.filters:
            value = str(params.get(item.param, "")).strip()
            if value and (value := item.clean(value)):
                self.values[item.param] = value
        self.bound = {}

    @property
    def active(self) -> bool:
        return bool(self.values)

    @property
    def has_choices(self) -> bool:
        """Something to choose or to remove: else the form is left out."""
        return self.active or any(
            bound.shown for bound in self.bound.values() if bound.filter.widget != "links"
        )

    @property
    def link_values(self) -> list[tuple[str, str]]:
        """The active filters chosen by a link (the theme), kept by the form as hidden fields."""
        return [
            (item.param, self.values[item.param])
            for item in self.filters
            if item.widget == "links" and item.param in self.values
        ]

    def apply(self, queryset, *, without: str | None = None):
        for item in self.filters:
            if item.param in self.values and item.param != without:
                queryset = queryset.filter(item.q(self.values[item.param], on=self.on))
        return queryset

    def count(self, queryset) -> int:
        """Count every option on `queryset` (not yet filtered); the filtered total."""
        filtered = self.apply(queryset)
        inactive = [item for item in self.filters if item.param not in self.values]
        aggregates = {}
        for item in inactive:
            if isinstance(item, OptionFilter):
                aggregates |= item.aggregates(on=self.on)
        grouped = [item for item in inactive if item.groupable]
        # One pass over the results for every filter not chosen (on the search entries,
        # the themes too).
        groups, counts = groups_count(filtered, grouped, on=self.on, aggregates=aggregates)
        for item in self.filters:
            base = filtered if item in inactive else self.apply(queryset, without=item.param)
            if item.param in groups:
                found = groups[item.param]
            elif isinstance(item, OptionFilter):
                own = counts if item in inactive else base.aggregate(**item.aggregates(on=self.on))
                found = {
                    option.value: own[f"{item.param}:{option.value}"] for option in item.options
                }
            else:
                found = item.counts(base, on=self.on)
            self._bind(item, found)
        return counts["total"]

    def _bind(self, item, found):
        value = self.values.get(item.param)
        labels = dict(item.choices()) or {key: key for key in sorted(found)}
        options = [
            BoundOption(key, label, found.get(key, 0), key == value)
            for key, label in labels.items()
            if found.get(key) or key == value or item.every_option
        ]
        self.bound[item.param] = BoundFilter(item, value, options)

    def __iter__(self):
        return iter(self.bound[item.param] for item in self.filters if item.param in self.bound)

    def __getitem__(self, param):
        return self.bound[param]
