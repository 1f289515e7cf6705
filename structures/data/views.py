"""The coordinator's import and export page in the admin (hooked in StructureAdmin.get_urls)."""

import json
import mimetypes
import secrets
import shutil
import tempfile
import time
from pathlib import Path, PurePath

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ..permissions import is_coordinator
from .exports import files_zip
from .formats import directory_write, records_read
from .forms import ImportForm
from .planning import records_import
from .records import ImportReport

UPLOADS = Path(tempfile.gettempdir()) / "repertoire-imports"
SESSION_KEY = "directory_import_token"
REPORTED_PROBLEMS = 500
KEPT_SECONDS = 24 * 3600


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
    return TemplateResponse(request, "structures/data/directory_data.html", context)


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


# The admin's download buttons: (name in the file name, options of directory_write).
EXPORTS = {
    "xlsx": ("xlsx", {"format": "xlsx"}),
    "csv": ("csv", {"format": "csv"}),
    "csv-excel": ("csv", {"format": "csv", "delimiter": ";"}),
    "json": ("json", {"format": "json"}),
    "data-inclusion": ("data-inclusion", {"format": "data-inclusion"}),
}


@require_GET
def directory_export(request, format):
    coordinator_check(request)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    if format not in EXPORTS:
        return redirect("admin:structures_directory_data")
    name, options = EXPORTS[format]
    files, problems = directory_write(**options)
    if problems:
        files["ecartes.txt"] = ("\n".join(problems) + "\n").encode("utf-8")
    if len(files) == 1:
        [(file_name, content)] = files.items()
        name = f"repertoire-{stamp}{PurePath(file_name).suffix}"
        content_type = mimetypes.guess_type(file_name)[0]
    else:
        content = files_zip(files=files)
        name, content_type = f"repertoire-{name}-{stamp}.zip", "application/zip"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
