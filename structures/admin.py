from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .accessibility import AccessibleAdminMixin, AccessibleInlineMixin
from .accounts.invitations import account_invite
from .background import admin as background_admin  # noqa: F401 (registers the jobs)
from .conflicts import EditConflict, FicheVersionForm
from .data import views as data_views
from .fields import RecordsChoiceField
from .models import (
    Contact,
    Service,
    Structure,
    Synonym,
    TemporaryChange,
    Territory,
    Theme,
    UsageCount,
    UsageEvent,
    User,
    stale_threshold,
)
from .reviews import fiche_mark_reviewed
from .usage import usage_count


class StaleFilter(admin.SimpleListFilter):
    title = "fraîcheur"
    parameter_name = "fraicheur"

    def lookups(self, request, model_admin):
        return [
            ("a-relire", f"Non relue depuis plus de {settings.STALE_AFTER_MONTHS} mois"),
            ("a-jour", "Relue récemment"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "a-relire":
            return queryset.stale()
        if self.value() == "a-jour":
            return queryset.filter(last_reviewed_at__gte=stale_threshold())
        return queryset


class CountedEditsMixin:
    """Count a save that changed something as an edit by the coordination (usage.py)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            structure_id = form.instance.pk if isinstance(form.instance, Structure) else None
            usage_count(
                event=UsageEvent.COORDINATION_EDIT,
                structure_id=structure_id or form.instance.structure_id,
            )


@admin.action(description="Marquer comme relue aujourd'hui")
def mark_reviewed(modeladmin, request, queryset):
    # One save per fiche rather than update(), so that each review enters its history.
    now = timezone.now()
    count = 0
    for fiche in queryset:
        fiche_mark_reviewed(fiche=fiche, now=now)
        count += 1
    modeladmin.message_user(
        request, f"{count} fiche(s) marquée(s) comme relue(s) aujourd'hui.", messages.SUCCESS
    )


@admin.register(Theme)
class ThemeAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "person_label", "order", "slug", "description"]
    list_editable = ["person_label", "order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]


class ContactInline(AccessibleInlineMixin, admin.TabularInline):
    model = Contact
    extra = 1
    fields = ["name", "function", "phone", "email", "service", "order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the services of the structure being edited can be chosen.
        if db_field.name == "service":
            structure_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Service.objects.filter(structure_id=structure_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FicheAdmin(CountedEditsMixin, AccessibleAdminMixin, SimpleHistoryAdmin):
    """The change form of a structure or a service carries the fiche's version
    (structures/conflicts.py): the second of two simultaneous edits is refused, with what
    changed meanwhile and what was typed."""

    form = FicheVersionForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            self.message_user(request, CONFLICT_RACE, messages.ERROR)
            return redirect(request.path)


CONFLICT_RACE = (
    "Quelqu'un d'autre a enregistré cette fiche au même instant que vous : votre saisie n'a "
    "pas été enregistrée. Voici la fiche telle qu'elle est maintenant."
)


class ServiceInline(AccessibleInlineMixin, admin.TabularInline):
    model = Service
    form = FicheVersionForm
    extra = 0
    fields = ["title", "summary", "is_active", "last_reviewed_at", "seen_version"]
    readonly_fields = ["last_reviewed_at"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Structure)
class StructureAdmin(FicheAdmin):
    list_display = ["name", "acronym", "kind", "city", "is_annex", "last_reviewed_at"]
    list_filter = [StaleFilter, "kind", "is_annex", "services__themes"]
    search_fields = ["name", "acronym", "city"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [mark_reviewed]
    inlines = [ContactInline, ServiceInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "is_annex", "role"]}),
        ("Coordonnées", {"fields": list(Structure.COORDINATES_FIELDS)}),
        ("Horaires et accès", {"fields": list(Structure.ACCESS_FIELDS)}),
        ("Partenariat", {"fields": list(Structure.PARTNERSHIP_FIELDS)}),
        ("Suivi", {"fields": ["last_reviewed_at", "created_at", "updated_at", "seen_version"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def get_urls(self):
        views = [
            ("donnees/", data_views.directory_data, "structures_directory_data"),
            ("donnees/appliquer/", data_views.directory_import_apply, "structures_directory_apply"),
            (
                "donnees/import/<str:token>/",
                data_views.directory_import,
                "structures_directory_import",
            ),
            (
                "donnees/export/<str:format>/",
                data_views.directory_export,
                "structures_directory_export",
            ),
        ]
        own = [
            path(route, self.admin_site.admin_view(view), name=name) for route, view, name in views
        ]
        return own + super().get_urls()


class ServiceContactInline(AccessibleInlineMixin, admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "function", "phone", "email", "order"]
    verbose_name_plural = "personnes à contacter pour cette fiche"


@admin.register(Service)
class ServiceAdmin(FicheAdmin):
    list_display = ["title", "structure", "is_active", "last_reviewed_at", "updated_at"]
    list_filter = [
        StaleFilter,
        "themes",
        "is_active",
        "fee",
        "walk_in",
        "structure__is_annex",
        "structure__kind",
    ]
    list_select_related = ["structure"]
    search_fields = ["title", "summary", "structure__name", "structure__acronym"]
    autocomplete_fields = ["structure"]
    formfield_overrides = {models.ManyToManyField: {"form_class": RecordsChoiceField}}
    prepopulated_fields = {"slug": ["title"]}
    actions = [mark_reviewed]
    inlines = [ServiceContactInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["structure", "title", "slug", "themes", "summary", "is_active"]}),
        ("La fiche", {"fields": list(Service.DETAIL_FIELDS)}),
        (
            "Public et accueil (les filtres de la recherche)",
            {"fields": list(Service.FILTER_FIELDS)},
        ),
        ("Suivi", {"fields": ["last_reviewed_at", "created_at", "updated_at", "seen_version"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A dozen themes: boxes to tick, each with its label (select2's box has none).
        if db_field.name == "themes":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        # A service's contacts belong to the service's structure.
        for contact in formset.save(commit=False):
            contact.structure = form.instance.structure
            contact.save()
        for contact in formset.deleted_objects:
            contact.delete()
        formset.save_m2m()


@admin.register(Contact)
class ContactAdmin(CountedEditsMixin, AccessibleAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "function", "structure", "service", "phone", "email"]
    list_select_related = ["structure", "service__structure"]
    search_fields = ["name", "function", "structure__name", "structure__acronym"]
    autocomplete_fields = ["structure", "service"]


@admin.register(TemporaryChange)
class TemporaryChangeAdmin(SimpleHistoryAdmin):
    list_display = ["structure", "service", "kind", "starts_on", "ends_on", "reason"]
    list_filter = ["kind", "starts_on"]
    list_select_related = ["structure", "service__structure"]
    search_fields = ["reason", "structure__name", "structure__acronym", "service__title"]
    autocomplete_fields = ["structure", "service"]
    date_hierarchy = "starts_on"
    fields = ["structure", "service", "kind", "starts_on", "ends_on", "reason", "weekly_hours"]

    def save_model(self, request, obj, form, change):
        if obj.service_id:
            obj.structure = obj.service.structure  # a fiche's change is its structure's
        super().save_model(request, obj, form, change)


@admin.register(Territory)
class TerritoryAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    autocomplete_fields = ["coordinating_structure"]

    def changelist_view(self, request, extra_context=None):
        # A single record: go straight to its form.
        territory = Territory.load()
        if territory.pk is None:
            territory.save()
        return redirect("admin:structures_territory_change", territory.pk)

    def has_add_permission(self, request):
        return not Territory.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class AccountCreationForm(forms.ModelForm):
    """A new account has no password: the person chooses it from the e-mailed link."""

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name", "structure", "role", "is_editor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields[
            "email"
        ].help_text = "La personne y recevra un lien pour choisir son mot de passe."

    def save(self, commit=True):
        self.instance.set_unusable_password()
        return super().save(commit=commit)


@admin.action(description="Envoyer un lien pour choisir le mot de passe")
def send_password_link(modeladmin, request, queryset):
    accounts = queryset.filter(is_active=True).exclude(email="")
    for user in accounts:
        account_invite(user=user, request=request)
    modeladmin.message_user(
        request, f"{len(accounts)} lien(s) envoyé(s) par courriel.", messages.SUCCESS
    )


@admin.register(User)
class AccountAdmin(AccessibleAdminMixin, UserAdmin):
    add_form = AccountCreationForm
    actions = [send_password_link]
    list_display = ["username", "first_name", "last_name", "structure", "role", "is_editor"]
    list_display += ["is_active", "last_login"]
    list_filter = ["role", "is_editor", "is_active", "structure__kind"]
    list_select_related = ["structure"]
    search_fields = ["username", "first_name", "last_name", "email", "structure__name"]
    autocomplete_fields = ["structure"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "email"]}),
        ("Dans le répertoire", {"fields": ["structure", "role", "is_editor", "is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "structure",
                    "role",
                    "is_editor",
                ],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            account_invite(user=obj, request=request)
            self.message_user(
                request,
                f"Un lien pour choisir son mot de passe a été envoyé à {obj.email}.",
                messages.SUCCESS,
            )


@admin.register(Synonym)
class SynonymAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ["terms"]
    search_fields = ["terms"]


@admin.register(UsageCount)
class UsageCountAdmin(admin.ModelAdmin):
    """Read-only: the counts are written by the site, one row per day and event."""

    list_display = ["day", "event", "structure_ref", "subject_ref", "count"]
    list_filter = ["event"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
