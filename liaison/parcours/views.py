"""The fiche parcours: the person's handout, rendered to PDF and forgotten.

The selection of services lives in the session (ids only, see selection.py); what is
typed about the person lives only for the request that renders the PDF.
"""

from datetime import time

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from structures.models import Service, Theme
from structures.text import positive_int

from ..models import DocumentKind
from ..pdf import pdf_render, pdf_response
from ..usage import document_use_record
from . import selection
from .forms import AppointmentFormSet, BlankParcoursForm, ParcoursForm
from .handout import handout_language


def _typed_values(form) -> dict:
    """What the user typed in a bound form, as the initial values of a fresh form."""
    return {name: form[name].value() for name in form.fields}


def _apply_selection_action(session, action: str) -> None:
    """Apply "clear", "remove:<id>", "up:<id>" or "down:<id>" to the selected services."""
    if action == "clear":
        selection.parcours_clear(session)
        return
    verb, _, raw_id = action.partition(":")
    service_id = positive_int(raw_id)
    if service_id is None:
        return
    if verb == "remove":
        selection.parcours_remove(session, service_id=service_id)
    elif verb in ("up", "down"):
        selection.parcours_move(session, service_id=service_id, offset=-1 if verb == "up" else 1)


def _parcours_appointments(formset) -> list[dict]:
    filled = [form.cleaned_data for form in formset if form.cleaned_data.get("date")]
    return sorted(filled, key=lambda item: (item["date"], item["time"] or time.min))


def _parcours_steps(contacts: list[dict]) -> list[dict]:
    """One "Contacter…" (and "Préparer mes papiers…") per structure, in the parcours' order."""
    steps = {}
    for contact in contacts:
        step = steps.setdefault(contact["structure_name"], {**contact, "documents": []})
        step["documents"] = step["documents"] or contact["documents"]
    return list(steps.values())


def _parcours_render(*, blank: bool, **context) -> bytes:
    context = {"blank": blank, "blank_rows": range(3 if blank else 2), **context}
    return pdf_render(template_name="liaison/parcours/pdf.html", context=context)


def _parcours_pdf(request, *, form, formset, services):
    data = form.cleaned_data
    today = timezone.localdate()
    language = handout_language(data["language"])
    contacts = [selection.parcours_contact(service) for service in services]
    pdf = _parcours_render(
        blank=False,
        language=language,
        today=today,
        first_name=data["first_name"],
        difficulty_themes=data["difficulty_themes"],
        difficulties=data["difficulties_text"],
        contacts=contacts,
        steps=_parcours_steps(contacts),
        appointments=_parcours_appointments(formset),
        notes=data["notes"],
    )
    document_use_record(
        kind=DocumentKind.PARCOURS,
        sender_structure=request.user.structure,
        themes=data["difficulty_themes"],
        language=data["language"],
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
    context = {
        "form": form,
        "formset": formset,
        "services": services,
        "blank_form": BlankParcoursForm(),
    }
    return render(request, "liaison/parcours/page.html", context)


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
    # Only a path of this site: a bare word would be taken for a URL name by redirect().
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = service.get_absolute_url()
    return HttpResponseRedirect(next_url)


@never_cache
def parcours_blank(request):
    """A fiche parcours to fill in by hand, in French or with a language beside it."""
    form = BlankParcoursForm(request.GET)
    code = form.cleaned_data["langue"] if form.is_valid() else ""
    pdf = _parcours_render(
        blank=True,
        language=handout_language(code),
        today=None,
        first_name="",
        difficulty_themes=Theme.objects.all(),
        difficulties="",
        contacts=[None] * 3,
        steps=[],
        appointments=[],
        notes="",
    )
    document_use_record(
        kind=DocumentKind.PARCOURS_BLANK, sender_structure=request.user.structure, language=code
    )
    return pdf_response(pdf, filename="fiche-parcours-vierge.pdf")
