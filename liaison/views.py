"""Fiche liaison and fiche parcours: forms rendered to PDF and forgotten.

Nothing typed about the person is saved, logged or put in the session: the views render
the PDF from the submitted data and keep only an anonymous DocumentUse line. POST data is
marked sensitive so that error reports never show it, and responses are never cached.
"""

from datetime import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from structures.models import Service, Structure, Territory, Theme

from . import parcours as selection
from .forms import (
    CONSENT_LABEL,
    AppointmentFormSet,
    LiaisonForm,
    ParcoursForm,
    Urgency,
)
from .models import DocumentKind
from .pdf import pdf_render, pdf_response
from .usage import document_use_record


def _recipient_or_404(query) -> tuple[Structure | None, Service | None]:
    """The recipient named by ?service=<id> or ?structure=<slug>; (None, None) if neither."""
    service_id = query.get("service", "")
    if service_id:
        if not service_id.isdigit():
            raise Http404("Fiche service inconnue.")
        service = get_object_or_404(
            Service.objects.active().select_related("structure"), pk=service_id
        )
        return service.structure, service
    slug = query.get("structure", "")
    if slug:
        return get_object_or_404(Structure, slug=slug), None
    return None, None


def _recipient_themes(structure, service):
    if service is not None:
        return service.themes.all()
    if structure is not None:
        return Theme.objects.filter(
            services__structure=structure, services__is_active=True
        ).distinct()
    return Theme.objects.all()


def _recipient_initial(structure, service) -> dict:
    if structure is None:
        return {}
    people = list(service.contacts.all()) if service else []
    people = people or list(structure.contacts.filter(service__isnull=True))
    contact = ""
    if people:
        person = people[0]
        contact = ", ".join(filter(None, [person.name, person.function]))
        contact += f" — {person.phone}" if person.phone else ""
    address = structure.address
    if structure.postcode or structure.city:
        address = f"{address}, {structure.postcode} {structure.city}".strip(", ")
    return {
        "recipient_structure": str(structure),
        "recipient_service": service.title if service else "",
        "recipient_contact": contact,
        "recipient_address": address,
    }


def _sender_initial(user) -> dict:
    structure = user.structure
    return {
        "sender_name": user.get_full_name() or user.username,
        "sender_structure": str(structure) if structure else "",
        "sender_phone": structure.phone if structure else "",
        "sender_email": (structure.email if structure else "") or user.email,
    }


def _liaison_filename(structure, day, *, blank=False) -> str:
    parts = ["fiche-liaison", structure.slug if structure else ""]
    parts.append("vierge" if blank else day.isoformat())
    return "-".join(part for part in parts if part) + ".pdf"


@sensitive_post_parameters()
@never_cache
def liaison_new(request):
    structure, service = _recipient_or_404(request.GET)
    if structure is None:
        structures = Structure.objects.order_by("name")
        return render(request, "liaison/liaison_choose.html", {"structures": structures})
    themes = _recipient_themes(structure, service)
    if request.method == "POST":
        form = LiaisonForm(request.POST, themes=themes)
        if form.is_valid():
            data = form.cleaned_data
            context = {
                "territory": Territory.load(),
                "blank": False,
                "data": data,
                "documents": selection.text_lines(data["documents"]),
                "urgency": Urgency(data["urgency"]).label,
                "urgency_choices": Urgency.labels,
                "themes": data["request_themes"],
                "consent_label": CONSENT_LABEL,
            }
            pdf = pdf_render(template_name="liaison/fiche_liaison_pdf.html", context=context)
            document_use_record(
                kind=DocumentKind.LIAISON,
                sender_structure=request.user.structure,
                recipient_structure=structure,
                recipient_service=service,
                themes=data["request_themes"],
            )
            return pdf_response(pdf, filename=_liaison_filename(structure, data["date"]))
    else:
        initial = {
            "date": timezone.localdate(),
            **_sender_initial(request.user),
            **_recipient_initial(structure, service),
        }
        form = LiaisonForm(initial=initial, themes=themes)
    context = {"form": form, "structure": structure, "service": service}
    return render(request, "liaison/liaison_form.html", context)


@never_cache
def liaison_blank(request):
    """A fiche liaison to fill in by hand, optionally addressed to one structure or service."""
    structure, service = _recipient_or_404(request.GET)
    data = dict.fromkeys(LiaisonForm.base_fields, "")
    data.update(_recipient_initial(structure, service))
    context = {
        "territory": Territory.load(),
        "blank": True,
        "data": data,
        "documents": [],
        "urgency": "",
        "urgency_choices": Urgency.labels,
        "blank_lines": {"request": range(5), "situation": range(14), "documents": range(4)},
        "themes": _recipient_themes(structure, service),
        "consent_label": CONSENT_LABEL,
    }
    pdf = pdf_render(template_name="liaison/fiche_liaison_pdf.html", context=context)
    document_use_record(
        kind=DocumentKind.LIAISON_BLANK,
        sender_structure=request.user.structure,
        recipient_structure=structure,
        recipient_service=service,
    )
    return pdf_response(pdf, filename=_liaison_filename(structure, None, blank=True))


def _typed_values(form) -> dict:
    """What the user typed in a bound form, as the initial values of a fresh form."""
    return {name: form[name].value() for name in form.fields}


def _apply_selection_action(session, action: str) -> None:
    """Apply "clear", "remove:<id>", "up:<id>" or "down:<id>" to the selected services."""
    if action == "clear":
        selection.parcours_clear(session)
        return
    verb, _, raw_id = action.partition(":")
    if not raw_id.isdigit():
        return
    service_id = int(raw_id)
    if verb == "remove":
        selection.parcours_remove(session, service_id=service_id)
    elif verb in ("up", "down"):
        selection.parcours_move(session, service_id=service_id, offset=-1 if verb == "up" else 1)


def _parcours_appointments(formset) -> list[dict]:
    filled = [form.cleaned_data for form in formset if form.cleaned_data.get("date")]
    return sorted(filled, key=lambda item: (item["date"], item["time"] or time.min))


BLANK_CONTACT_LABELS = [
    "Nom",
    "Ce qu'elle peut faire pour moi",
    "Adresse",
    "Bus",
    "Quand y aller",
    "Téléphone",
    "Demander",
    "Ce que j'apporte",
]


def _parcours_render(*, blank: bool, **context) -> bytes:
    context = {
        "territory": Territory.load(),
        "blank": blank,
        "blank_contact_labels": BLANK_CONTACT_LABELS,
        "blank_rows": range(4 if blank else 2),
        **context,
    }
    return pdf_render(template_name="liaison/fiche_parcours_pdf.html", context=context)


def _parcours_pdf(request, *, form, formset, services):
    data = form.cleaned_data
    today = timezone.localdate()
    pdf = _parcours_render(
        blank=False,
        today=today,
        first_name=data["first_name"],
        difficulty_themes=data["difficulty_themes"],
        difficulties=data["difficulties_text"],
        contacts=[selection.parcours_contact(service) for service in services],
        appointments=_parcours_appointments(formset),
        notes=data["notes"],
    )
    document_use_record(
        kind=DocumentKind.PARCOURS,
        sender_structure=request.user.structure,
        themes=data["difficulty_themes"],
    )
    return pdf_response(pdf, filename=f"fiche-parcours-{today.isoformat()}.pdf")


@sensitive_post_parameters()
@never_cache
def parcours_detail(request):
    if request.method == "POST":
        form = ParcoursForm(request.POST)
        formset = AppointmentFormSet(request.POST, prefix="rdv")
        action = request.POST.get("action", "pdf")
        if action == "pdf":
            if form.is_valid() and formset.is_valid():
                services = selection.parcours_services(request.session)
                return _parcours_pdf(request, form=form, formset=formset, services=services)
        else:
            _apply_selection_action(request.session, action)
            appointments = [_typed_values(item) for item in formset.forms]
            form = ParcoursForm(initial=_typed_values(form))
            formset = AppointmentFormSet(
                initial=[values for values in appointments if any(values.values())],
                prefix="rdv",
            )
    else:
        form = ParcoursForm()
        formset = AppointmentFormSet(prefix="rdv")
    services = selection.parcours_services(request.session)
    context = {"form": form, "formset": formset, "services": services}
    return render(request, "liaison/parcours.html", context)


@require_POST
def parcours_add(request, service_id):
    service = get_object_or_404(Service.objects.active(), pk=service_id)
    if selection.parcours_add(request.session, service_id=service.pk):
        messages.success(request, f"« {service.title} » est ajouté au parcours.")
    elif service.pk in selection.parcours_ids(request.session):
        messages.info(request, f"« {service.title} » est déjà dans le parcours.")
    else:
        messages.error(
            request,
            f"Le parcours compte déjà {selection.MAX_SERVICES} contacts : "
            "retirez-en un avant d'en ajouter un autre.",
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = service.get_absolute_url()
    return redirect(next_url)


@never_cache
def parcours_blank(request):
    pdf = _parcours_render(
        blank=True,
        today=None,
        first_name="",
        difficulty_themes=Theme.objects.all(),
        difficulties="",
        contacts=[None] * 3,
        appointments=[],
        notes="",
    )
    document_use_record(kind=DocumentKind.PARCOURS_BLANK, sender_structure=request.user.structure)
    return pdf_response(pdf, filename="fiche-parcours-vierge.pdf")
