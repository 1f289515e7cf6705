from django.contrib import admin
from django.db.models import Count

from .models import DocumentKind, DocumentUse


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
