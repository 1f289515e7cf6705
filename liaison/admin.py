from django.contrib import admin, messages
from django.db.models import Count

from .booklet.editions import edition_request
from .models import DocumentKind, DocumentUse, Edition


@admin.register(DocumentUse)
class DocumentUseAdmin(admin.ModelAdmin):
    """Anonymous counts of the documents printed, read-only, for the partners' evaluations."""

    list_display = [
        "created_on",
        "kind",
        "sender_structure",
        "recipient_structure",
        "recipient_service",
        "theme_names",
        "language",
    ]
    list_filter = [
        "kind",
        "created_on",
        "themes",
        "language",
        ("sender_structure", admin.RelatedOnlyFieldListFilter),
        ("recipient_structure", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "created_on"
    list_select_related = [
        "sender_structure",
        "recipient_structure",
        "recipient_service__structure",
    ]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    @admin.display(description="thématiques")
    def theme_names(self, use):
        return ", ".join(theme.name for theme in use.themes.all())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The list, topped by counts by document kind and by structure for the same filters."""
        response = super().changelist_view(request, extra_context=extra_context)
        context = getattr(response, "context_data", None)
        if not context or "cl" not in context:
            return response
        queryset = context["cl"].queryset.order_by()
        labels = dict(DocumentKind.choices)
        by_kind = queryset.values("kind").annotate(count=Count("pk")).order_by("kind")
        context["counts_by_kind"] = [
            (labels.get(row["kind"], row["kind"]), row["count"]) for row in by_kind
        ]
        context["counts_by_recipient"] = (
            queryset.filter(recipient_structure__isnull=False)
            .values("recipient_structure__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "recipient_structure__name")[:20]
        )
        context["counts_by_theme"] = (
            queryset.filter(themes__isnull=False)
            .values("themes__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "themes__name")
        )
        context["counts_by_sender"] = (
            queryset.filter(sender_structure__isnull=False)
            .values("sender_structure__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "sender_structure__name")[:20]
        )
        return response


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """The PDF editions: when each was produced, what its last build did, why it failed."""

    list_display = [
        "label",
        "kind",
        "produced_at",
        "pages",
        "build",
        "state",
    ]
    list_filter = ["kind"]
    search_fields = ["label", "key"]
    list_select_related = ["job"]
    readonly_fields = ["state", "build", "job_error"]
    exclude = ["parts"]
    actions = ["rebuild"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="dernière construction")
    def build(self, edition):
        if edition.build_seconds is None:
            return "—"
        return (
            f"{edition.parts_rendered} partie(s) refaite(s) sur {edition.parts_total}, "
            f"en {edition.build_seconds:.1f} s"
        )

    @admin.display(description="état")
    def state(self, edition):
        job = edition.job
        if job.is_pending:
            return f"nouvelle édition : {job.state}"
        if edition.failed_source:
            return f"échec : {job.error}" if job.error else "échec"
        return "à jour" if edition.file else "pas encore produite"

    @admin.display(description="erreur de la dernière construction")
    def job_error(self, edition):
        return edition.job.error or "—"

    @admin.action(description="Reconstruire maintenant (même après un échec)")
    def rebuild(self, request, queryset):
        for edition in queryset.select_related("job"):
            edition_request(edition, force=True)
        self.message_user(
            request,
            "La construction est demandée : elle commencera dès qu'un ouvrier des tâches "
            "sera libre.",
            messages.SUCCESS,
        )
