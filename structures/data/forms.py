"""The admin import form: several files, their format and their encoding."""

from django import forms

from .formats import FORMATS
from .readers import Encoding

UPLOAD_MAX_BYTES = 50 * 1024 * 1024  # every file of one import, together


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern of Django's file uploads documentation)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple) and data:
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)]


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label="Format des fichiers",
        choices=[(name, format.label) for name, format in FORMATS.items()],
        widget=forms.RadioSelect,
        initial="csv",
    )
    encoding = forms.ChoiceField(
        label="Encodage des fichiers CSV",
        choices=Encoding.choices,
        initial=Encoding.UTF8,
        help_text="UTF-8 : « CSV UTF-8 » d'Excel et exports du répertoire. Windows-1252 : "
        "« CSV (séparateur : point-virgule) » d'Excel sous Windows. Les fichiers JSON sont "
        "toujours en UTF-8.",
    )
    files = MultipleFileField(
        label="Fichiers",
        help_text="CSV : thematiques.csv, structures.csv, services.csv, contacts.csv (tous ou "
        "certains). Classeur Excel : un .xlsx avec ces feuilles. JSON : repertoire.json. "
        "data·inclusion : structures.json et/ou services.json, ou le tableur .xlsx "
        "(feuilles « Structures », « Services », « Services - Thématiques »). "
        f"{UPLOAD_MAX_BYTES // 1024 // 1024}\u202fMo au plus en tout.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        size = sum(upload.size for upload in files)
        if size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"Les fichiers pèsent {size / 1024 / 1024:.0f}\u202fMo ; au plus "
                f"{UPLOAD_MAX_BYTES // 1024 // 1024}\u202fMo sont acceptés en une fois : "
                "importez-les en plusieurs fois."
            )
        return files
