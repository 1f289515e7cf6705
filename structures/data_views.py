"""The coordinator's import and export page in the admin (hooked in StructureAdmin.get_urls)."""

import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .csvimport import Encoding, csv_records_read, json_records_read
from .datainclusion import datainclusion_files, datainclusion_records_read
from .exports import directory_csv_files, directory_json_files, files_zip
from .imports import ImportReport, records_import
from .permissions import is_coordinator

UPLOADS = Path(tempfile.gettempdir()) / "repertoire-imports"
SESSION_KEY = "directory_import_token"
REPORTED_PROBLEMS = 500
KEPT_SECONDS = 24 * 3600


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
        choices=[
            ("csv", "CSV du répertoire"),
            ("json", "JSON du répertoire"),
            ("data-inclusion", "data·inclusion v1 (JSON)"),
        ],
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
        "certains). JSON : repertoire.json. data·inclusion : structures.json et/ou "
        "services.json.",
    )


def coordinator_check(request):
    if not is_coordinator(request.user):
        raise PermissionDenied


def page_render(request, *, form, report=None, token=None, expired=False):
    problems = report.problems if report else []
    context = {
        **admin.site.each_context(request),
        "title": "Importer et exporter le répertoire",
        "form": form,
        "report": report,
        "problems": problems[:REPORTED_PROBLEMS],
        "hidden_problems": max(0, len(problems) - REPORTED_PROBLEMS),
        "token": token,
        "expired": expired,
    }
    return TemplateResponse(request, "admin/structures/directory_data.html", context)


def records_read(*, format: str, encoding: str, files: dict[str, bytes], report: ImportReport):
    if format == "csv":
        return csv_records_read(files=files, report=report, encoding=encoding)
    readers = {"json": json_records_read, "data-inclusion": datainclusion_records_read}
    return readers[format](files=files, report=report)


@require_http_methods(["GET", "POST"])
def directory_data(request):
    """Export buttons; import upload: a dry run first, then apply what was checked."""
    coordinator_check(request)
    report, token = None, None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        choices = {name: form.cleaned_data[name] for name in ("format", "encoding")}
        files = {upload.name: upload.read() for upload in form.cleaned_data["files"]}
        report = ImportReport()
        records = records_read(**choices, files=files, report=report)
        records_import(records=records, apply=False, report=report)
        if report.ok:
            token = upload_keep(request, choices=choices, files=files)
    return page_render(request, form=form, report=report, token=token)


def upload_keep(request, *, choices: dict[str, str], files: dict[str, bytes]) -> str:
    """Keep the checked files and the format and encoding they were read with until the
    coordinator applies them (same session only)."""
    if UPLOADS.is_dir():  # forget simulations that were never applied
        for old in UPLOADS.iterdir():
            if old.stat().st_mtime < time.time() - KEPT_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
    token = secrets.token_urlsafe(16)
    folder = UPLOADS / token
    (folder / "files").mkdir(parents=True)
    (folder / "choices.json").write_text(json.dumps(choices))
    for name, content in files.items():
        (folder / "files" / Path(name).name).write_bytes(content)
    request.session[SESSION_KEY] = token
    return token


@require_http_methods(["POST"])
def directory_import_apply(request):
    coordinator_check(request)
    token = request.POST.get("token", "")
    folder = UPLOADS / token
    if not token or token != request.session.get(SESSION_KEY) or not folder.is_dir():
        return page_render(request, form=ImportForm(), expired=True)
    choices = json.loads((folder / "choices.json").read_text())
    files = {path.name: path.read_bytes() for path in (folder / "files").iterdir()}
    report = ImportReport()
    records = records_read(**choices, files=files, report=report)
    reason = f"Import {choices['format']} depuis l'administration"
    records_import(records=records, apply=True, report=report, user=request.user, reason=reason)
    shutil.rmtree(folder, ignore_errors=True)
    del request.session[SESSION_KEY]
    return page_render(request, form=ImportForm(), report=report)


@require_GET
def directory_export(request, format):
    coordinator_check(request)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    if format == "json":
        content = directory_json_files()["repertoire.json"]
        name, content_type = f"repertoire-{stamp}.json", "application/json"
    elif format in ("csv", "csv-excel"):
        files = directory_csv_files(delimiter=";" if format == "csv-excel" else ",")
        content = files_zip(files=files)
        name, content_type = f"repertoire-csv-{stamp}.zip", "application/zip"
    elif format == "data-inclusion":
        files, problems = datainclusion_files()
        if problems:
            files["ecartes.txt"] = ("\n".join(problems) + "\n").encode("utf-8")
        content = files_zip(files=files)
        name, content_type = f"repertoire-data-inclusion-{stamp}.zip", "application/zip"
    else:
        return redirect("admin:structures_directory_data")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
