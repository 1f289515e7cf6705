"""The fiche liaison: a form rendered to PDF and forgotten.

Nothing typed about the person is saved, logged or put in the session: the views render
the PDF from the submitted data and keep only an anonymous DocumentUse line. POST data is
marked sensitive so that error reports never show it, and responses are never cached.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from structures.models import Service, Structure, Territory, Theme
from structures.text import positive_int, text_lines

from ..models import DocumentKind
from ..pdf import pdf_render, pdf_response
from ..usage import document_use_record
from .forms import CONSENT_LABEL, VIA_SENDER_LABEL, LiaisonForm, Urgency


def _recipient_or_404(query) -> tuple[Structure | None, Service | None]:
    """The recipient named by ?service=<id> or ?structure=<slug>; (None, None) if neither."""
    raw_id = query.get("service", "")
    if raw_id:
        service_id = positive_int(raw_id)
        if service_id is None:
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
    return {
        "recipient_structure": str(structure),
        "recipient_service": service.title if service else "",
        "recipient_contact": contact,
        "recipient_address": structure.full_address,
    }


def _sender_initial(user) -> dict:
    structure = user.structure
    return {
        "sender_name": user.get_full_name() or user.username,
        "sender_structure": str(structure) if structure else "",
        "sender_phone": structure.phone if structure else "",
        "sender_email": (structure.email if structure else "") or user.email,
    }


def _reach(data) -> list[str]:
    """How the recipient can reach the person: phone, e-mail, and/or through the sender."""
    ways = [data["phone"], data["email"]]
    if data["via_sender"]:
        sender = ", ".join(filter(None, [data["sender_name"], data["sender_phone"]]))
        ways.append(f"{VIA_SENDER_LABEL.lower()} ({sender})")
    return [way for way in ways if way]


def _liaison_filename(structure, day, *, blank=False) -> str:
    parts = ["fiche-liaison", structure.slug if structure else ""]
    parts.append("vierge" if blank else day.isoformat())
    return "-".join(part for part in parts if part) + ".pdf"


def _liaison_pdf(request, *, context, kind, recipient, filename, themes=()):
    """The fiche liaison's PDF, filled or blank; only its anonymous use is kept."""
    context = {
        **context,
        "territory": Territory.load(),
        "urgency_choices": Urgency.labels,
        "consent_label": CONSENT_LABEL,
    }
    pdf = pdf_render(template_name="liaison/referral/pdf.html", context=context)
    structure, service = recipient
    document_use_record(
        kind=kind,
        sender_structure=request.user.structure,
        recipient_structure=structure,
        recipient_service=service,
        themes=themes,
    )
    return pdf_response(pdf, filename=filename)


@sensitive_post_parameters()
@never_cache
def liaison_new(request):
    structure, service = _recipient_or_404(request.GET)
    if structure is None:
        structures = Structure.objects.order_by("name")
        return render(request, "liaison/referral/choose.html", {"structures": structures})
    themes = _recipient_themes(structure, service)
    if request.method == "POST":
        form = LiaisonForm(request.POST, themes=themes)
        if form.is_valid():
            data = form.cleaned_data
            context = {
                "blank": False,
                "data": data,
                "documents": text_lines(data["documents"]),
                "urgency": Urgency(data["urgency"]).label,
                "themes": data["request_themes"],
                "reach": _reach(data),
            }
            return _liaison_pdf(
                request,
                context=context,
                kind=DocumentKind.LIAISON,
                recipient=(structure, service),
                themes=data["request_themes"],
                filename=_liaison_filename(structure, data["date"]),
            )
    else:
        initial = {
            "date": timezone.localdate(),
            **_sender_initial(request.user),
            **_recipient_initial(structure, service),
        }
        form = LiaisonForm(initial=initial, themes=themes)
    context = {"form": form, "structure": structure, "service": service}
    return render(request, "liaison/referral/form.html", context)


@never_cache
def liaison_blank(request):
    """A fiche liaison to fill in by hand, optionally addressed to one structure or service."""
    structure, service = _recipient_or_404(request.GET)
    data = dict.fromkeys(LiaisonForm.base_fields, "")
    data.update(_recipient_initial(structure, service))
    context = {
        "blank": True,
        "data": data,
        "documents": [],
        "urgency": "",
        "blank_lines": {"request": range(6), "situation": range(16), "documents": range(4)},
        "themes": _recipient_themes(structure, service),
        "via_sender_label": VIA_SENDER_LABEL,
    }
    return _liaison_pdf(
        request,
        context=context,
        kind=DocumentKind.LIAISON_BLANK,
        recipient=(structure, service),
        filename=_liaison_filename(structure, None, blank=True),
    )
