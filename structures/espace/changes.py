"""/mon-espace/changements/: an éditeur announces its structure's temporary changes
(closures, other hours for a period, « complet – liste d'attente », a message).

The changes that have ended are left out of the form (they stay in the database and in the
history); the posted ids are checked as the contacts' are, by views._refuse_foreign_ids.
"""

from django import forms
from django.shortcuts import redirect, render
from django.utils import timezone

from ..models import Structure, TemporaryChange
from .forms import StructureRowsFormSet
from .views import _refuse_foreign_ids, _save_if_changed, editor_required


class TemporaryChangeForm(forms.ModelForm):
    class Meta:
        model = TemporaryChange
        fields = ["kind", "service", "starts_on", "ends_on", "reason", "weekly_hours"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class BaseChangeFormSet(StructureRowsFormSet):
    def get_queryset(self):
        today = timezone.localdate()
        return super().get_queryset().exclude(ends_on__lt=today).order_by("starts_on", "pk")


MAX_CHANGES = 50  # current and future ones at once; a bound on what a POST makes us build

ChangeFormSet = forms.inlineformset_factory(
    Structure,
    TemporaryChange,
    form=TemporaryChangeForm,
    formset=BaseChangeFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_CHANGES,
    absolute_max=MAX_CHANGES,
    validate_max=True,
)


@editor_required
def changes_edit(request, structure):
    if request.method == "POST":
        refusal = "Ce changement n'appartient pas à votre structure."
        rows = structure.temporary_changes
        _refuse_foreign_ids(request.POST, structure, prefix="changes", rows=rows, refusal=refusal)
    formset = ChangeFormSet(request.POST or None, instance=structure, prefix="changes")
    if request.method == "POST" and formset.is_valid():
        saved = "Les changements temporaires sont enregistrés."
        _save_if_changed(request, formset, structure=structure, saved=saved)
        return redirect("structures:espace")
    context = {"structure": structure, "formset": formset}
    return render(request, "structures/espace/changes_form.html", context)
