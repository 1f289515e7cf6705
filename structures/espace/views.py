"""/mon-espace/: an éditeur keeps its own structure's identity sheet, contacts and services.

Every view goes through editor_required, which hands it the éditeur's own structure; a
service is always looked up inside that structure, so another structure's fiche is a 404
whatever the URL. Ids posted in the contacts formset are checked the same way.
"""

import re
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..conflicts import EditConflict
from ..enums import UsageEvent
from ..models import Service, Structure
from ..permissions import is_coordinator, is_editor
from ..reviews import fiche_mark_reviewed
from ..usage import usage_count
from .forms import ContactFormSet, ServiceForm, StructureForm


def editor_required(view):
    """Call view(request, structure, …) with the éditeur's own structure.

    A coordinator without the éditeur right is sent to the dashboard (the admin is
    where the coordination edits); any other account gets a 403.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_editor(request.user):
            structure = get_object_or_404(Structure, pk=request.user.structure_id)
            return view(request, structure, *args, **kwargs)
        if is_coordinator(request.user):
            return redirect("structures:coordination")
        raise PermissionDenied("Seuls les éditeurs d'une structure peuvent modifier ses fiches.")

    return wrapper


def _get_own_service(structure: Structure, pk: int) -> Service:
    return get_object_or_404(Service, pk=pk, structure=structure)


def _count_edit(structure: Structure) -> None:
    usage_count(event=UsageEvent.PARTNER_EDIT, structure_id=structure.pk)


def _save_if_changed(request, form, *, structure: Structure, saved: str) -> None:
    """Save a form (or formset) only if something changed, so that the history, the
    coordination's dashboard and the counts list real changes only; say which it was."""
    if form.has_changed():
        form.save()
        _count_edit(structure)
        messages.success(request, saved)
    else:
        messages.info(request, "Rien n'a changé : il n'y avait rien à enregistrer.")


def _fiche_saved(request, form, *, structure: Structure, saved: str) -> bool:
    """Validate and save a fiche form in one transaction (the fiche's version is checked
    in both, structures/conflicts.py); False if it is to be shown again with its errors."""
    try:
        with transaction.atomic():
            if not form.is_valid():
                return False
            _save_if_changed(request, form, structure=structure, saved=saved)
    except EditConflict:
        # Saved by someone else between the check and the write, a moment ago.
        form.add_error(None, CONFLICT_RACE)
        return False
    return True


CONFLICT_RACE = (
    "Quelqu'un d'autre vient d'enregistrer cette fiche, au même instant que vous : votre "
    "saisie n'est pas enregistrée. Cliquez de nouveau sur « Enregistrer » pour voir ce qui "
    "a changé."
)


@editor_required
def espace_home(request, structure):
    services = structure.services.prefetch_related("themes").order_by("-is_active", "title")
    context = {"structure": structure, "services": services, "contacts": structure.contacts.all()}
    return render(request, "structures/espace/home.html", context)


@editor_required
def structure_edit(request, structure):
    form = StructureForm(request.POST or None, instance=structure)
    saved = "La fiche d'identité est enregistrée."
    if request.method == "POST" and _fiche_saved(request, form, structure=structure, saved=saved):
        return redirect("structures:espace")
    context = {"form": form, "heading": "Modifier la fiche d'identité"}
    return render(request, "structures/espace/fiche_form.html", context)


@editor_required
def structure_confirm(request, structure):
    """GET asks for confirmation; POST (the button of Mon espace) confirms."""
    if request.method == "POST":
        fiche_mark_reviewed(fiche=structure)
        messages.success(request, "Merci : la fiche d'identité est marquée comme à jour.")
        return redirect("structures:espace")
    return render(request, "structures/espace/structure_confirm.html", {"structure": structure})


def _refuse_foreign_ids(data, structure: Structure, *, prefix: str, rows, refusal: str) -> None:
    """404 (saying `refusal`) if the rows posted under `prefix` point at another structure's
    row, service or structure; `rows` are the structure's own rows of the formset."""
    allowed = {
        "id": {str(pk) for pk in rows.values_list("pk", flat=True)},
        "service": {str(pk) for pk in structure.services.values_list("pk", flat=True)},
        "structure": {str(structure.pk)},
    }
    id_field = re.compile(rf"^{prefix}-\d+-(id|service|structure)$")
    for key in data:
        match = id_field.match(key)
        if match:
            for value in data.getlist(key):
                if value and value not in allowed[match.group(1)]:
                    raise Http404(refusal)


@editor_required
def contacts_edit(request, structure):
    if request.method == "POST":
        refusal = "Cette personne à contacter n'appartient pas à votre structure."
        _refuse_foreign_ids(
            request.POST, structure, prefix="contacts", rows=structure.contacts, refusal=refusal
        )
    formset = ContactFormSet(request.POST or None, instance=structure)
    if request.method == "POST" and formset.is_valid():
        _save_if_changed(
            request,
            formset,
            structure=structure,
            saved="Les personnes à contacter sont enregistrées.",
        )
        return redirect("structures:espace")
    return render(
        request,
        "structures/espace/contacts_form.html",
        {"structure": structure, "formset": formset},
    )


@editor_required
def service_create(request, structure):
    form = ServiceForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        service = form.save()
        _count_edit(structure)
        messages.success(request, f"La fiche « {service.title} » est créée.")
        return redirect("structures:espace")
    context = {"form": form, "heading": "Nouvelle fiche service"}
    return render(request, "structures/espace/fiche_form.html", context)


@editor_required
def service_edit(request, structure, pk):
    service = _get_own_service(structure, pk)
    form = ServiceForm(request.POST or None, instance=service, structure=structure)
    saved = f"La fiche « {service.title} » est enregistrée."
    if request.method == "POST" and _fiche_saved(request, form, structure=structure, saved=saved):
        return redirect("structures:espace")
    context = {"form": form, "heading": f"Modifier « {service.title} »"}
    return render(request, "structures/espace/fiche_form.html", context)


@require_POST
@editor_required
def service_confirm(request, structure, pk):
    service = _get_own_service(structure, pk)
    fiche_mark_reviewed(fiche=service)
    messages.success(request, f"Merci : la fiche « {service.title} » est marquée comme à jour.")
    return redirect("structures:espace")


@require_POST
@editor_required
def service_set_active(request, structure, pk, active: bool):
    service = _get_own_service(structure, pk)
    service.is_active = active
    service.save(update_fields=["is_active", "updated_at"])
    _count_edit(structure)
    if active:
        messages.success(request, f"La fiche « {service.title} » est de nouveau visible.")
    else:
        messages.success(
            request,
            f"La fiche « {service.title} » est désactivée : les partenaires ne la voient plus. "
            "Vous pouvez la réactiver à tout moment.",
        )
    return redirect("structures:espace")
