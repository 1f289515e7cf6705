"""The search index, its vocabulary and the coordinator's synonyms.

One SearchEntry per structure (its identity sheet) and per active service, refreshed by
structures.search.index on every write. PostgreSQL indexes it with two stored, weighted
search vectors (GIN indexes created by migration); SQLite with an FTS5 table
(SearchEntryText). See structures/search/__init__.py.

An entry also carries a copy of what the search filters read (its facets: the fiche's
publics, fees, hours…, its structure's commune, its themes' ids), so that a broad
search counts its thousands of results on this table alone (structures/directory/filters.py).
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ..enums import Public, ReceptionMode
from ..fields import ChoiceSetField, ValueListField
from .directory import Structure
from .services import Service


class SearchEntryQuerySet(models.QuerySet):
    def structures(self):
        """The identity sheets' entries."""
        return self.filter(service__isnull=True)

    def services(self):
        return self.filter(service__isnull=False)

    def listed(self):
        """Without the vectors, which only the index reads: a list page sorts hundreds of
        entries to show twenty."""
        return self.defer("vector", "vector_exact")


class SearchEntry(models.Model):
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="search_entries"
    )
    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, null=True, related_name="search_entry"
    )
    # The texts are in the engine's index only (structures/search/index.py: Texts).
    # Lower-case and accent-free: exact matches, and the A-Z order whatever the collation.
    name_key = models.CharField(max_length=200, db_index=True)
    acronym_key = models.CharField(max_length=30, blank=True, db_index=True)
    # PostgreSQL only (NULL on SQLite): French stems, and the words as written.
    vector = SearchVectorField(null=True)
    vector_exact = SearchVectorField(null=True)
    # The facets: the service's fields (empty on a structure's entry), its themes' ids,
    # and its structure's fields as structure_<field>.
    publics = ChoiceSetField("publics", choices=Public)
    reception_modes = ChoiceSetField("modes d'accueil", choices=ReceptionMode)
    fee = models.CharField("frais", max_length=10, blank=True)
    walk_in = models.BooleanField("sans rendez-vous", default=False)
    weekly_hours = models.CharField("horaires de la fiche", max_length=500, blank=True)
    themes = ValueListField("thématiques (numéros)")
    structure_city = models.CharField("commune", max_length=100, blank=True)
    structure_step_free_access = models.CharField("accès de plain-pied", max_length=10, blank=True)
    structure_weekly_hours = models.CharField(
        "horaires de la structure", max_length=500, blank=True
    )

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée de l'index de recherche"
        verbose_name_plural = "entrées de l'index de recherche"
        constraints = [
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(service__isnull=True),
                name="searchentry_one_per_structure",
                violation_error_message="Une structure n'a qu'une entrée dans l'index.",
            ),
        ]

    def __str__(self):
        return self.name_key


class Fts5Column(models.TextField):
    """The hidden column of an FTS5 table, named after the table: MATCH and bm25() use it."""


@Fts5Column.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchEntryText(models.Model):
    """SQLite only: the FTS5 table of the entries (created by migration, rows written by
    structures.search.engines): French stems in name/summary/body, words as written in
    the *_exact columns. Read-only for the ORM."""

    entry = models.OneToOneField(
        SearchEntry,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="text",
    )
    document = Fts5Column(db_column="structures_searchentry_fts")

    class Meta:
        managed = False
        db_table = "structures_searchentry_fts"

    def __str__(self):
        return str(self.entry_id)


class SearchWord(models.Model):
    """A word of the directory, for « Vouliez-vous dire … ? » (pg_trgm or FTS5 trigrams)."""

    word = models.CharField("mot", max_length=100, unique=True, help_text="Sans accents.")
    spelling = models.CharField("graphie", max_length=100, help_text="Tel qu'il est écrit.")

    class Meta:
        verbose_name = "mot du répertoire"
        verbose_name_plural = "mots du répertoire"

    def __str__(self):
        return self.spelling


def synonym_terms(text: str) -> list[str]:
    """ "APL, aide au logement ,, APL" -> ["APL", "aide au logement"]."""
    terms = (" ".join(term.split()) for term in text.split(","))
    return list(dict.fromkeys(term for term in terms if term))


class Synonym(models.Model):
    terms = models.CharField(
        "termes équivalents",
        max_length=500,
        help_text="Séparés par des virgules, ex. : « APL, aide au logement, allocation "
        "logement ». Une recherche de l'un trouve aussi les fiches qui disent l'autre. "
        "Écrivez les sigles en majuscules (CAF, RSA) : ils sont alors cherchés tels quels.",
    )

    class Meta:
        verbose_name = "synonyme"
        verbose_name_plural = "synonymes"
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def term_list(self) -> list[str]:
        return synonym_terms(self.terms)

    def clean(self):
        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError(
                {"terms": "Indiquez au moins deux termes, séparés par une virgule."}
            )
        if any(len(term) > 80 for term in terms):
            raise ValidationError({"terms": "Un terme ne doit pas dépasser 80 caractères."})
        self.terms = ", ".join(terms)
