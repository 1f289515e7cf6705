"""The coordinator's import and export page in the admin (hooked in StructureAdmin.get_urls).

An import runs as a background task (jobs.py): the upload is kept in storage and
simulated, the progress page refreshes itself until the report is ready, and
« Appliquer » queues the same files again, this time for good.
"""

import mimetypes
from pathlib import PurePath

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..permissions import is_coordinator
from ..text import number_text
from .exports import files_zip
from .formats import directory_write
from .forms import ImportForm
from .jobs import Status, job_create, job_read, job_start, jobs_purge
from .records import ImportReport

SESSION_KEY = "directory_import_token"
REPORTED_PROBLEMS = 500
REFRESH_SECONDS = 2


def coordinator_check(request):
    if not is_coordinator(request.user):
        raise PermissionDenied


def page_render(request, *, form, job=None, token=None, expired=False):
    report = ImportReport.from_dict(job["report"]) if job and job.get("report") else None
    problems = report.problems if report else []
    context = {
        **admin.site.each_context(request),
        "title": "Importer et exporter le répertoire",
        "form": form,
        "job": job,
        "report": report,
        "problems": problems[:REPORTED_PROBLEMS],
        "hidden_problems": max(0, len(problems) - REPORTED_PROBLEMS),
        "token": token,
        "can_apply": bool(report and report.ok and not report.applied),
        "expired": expired,
        "running": bool(job and job["status"] in {Status.WAITING, Status.RUNNING}),
        "refresh_seconds": REFRESH_SECONDS,
        "done": number_text(job.get("done", 0) if job else 0),
        "total": number_text(job.get("total", 0) if job else 0),
    }
    return TemplateResponse(request, "structures/data/directory_data.html", context)


@require_http_methods(["GET", "POST"])
def directory_data(request):
    """Export buttons, and the upload of an import: kept, then simulated in the background."""
    coordinator_check(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        choices = {name: form.cleaned_data[name] for name in ("format", "encoding")}
        files = {upload.name: upload.read() for upload in form.cleaned_data["files"]}
        token = job_create(files=files, choices=choices, user=request.user)
        request.session[SESSION_KEY] = token
        job_start(token, apply=False)
        return redirect("admin:structures_directory_import", token=token)
    if request.method == "GET":
        jobs_purge()
    return page_render(request, form=form)


def own_job(request, token: str) -> dict | None:
    """The job of this session (a token from another session is as good as none)."""
    if token != request.session.get(SESSION_KEY):
        return None
    return job_read(token)


@require_GET
def directory_import(request, token):
    """The progress of an import, then its report; refreshes itself while it runs."""
    coordinator_check(request)
    job = own_job(request, token)
    if job is None:
        return page_render(request, form=ImportForm(), expired=True)
    return page_render(request, form=ImportForm(), job=job, token=token)


@require_POST
def directory_import_apply(request):
    coordinator_check(request)
    token = request.POST.get("token", "")
    job = own_job(request, token)
    report = ImportReport.from_dict(job["report"]) if job and job.get("report") else None
    if job is None or job["status"] != Status.DONE or job["apply"] or not (report and report.ok):
        return page_render(request, form=ImportForm(), expired=True)
    job_start(token, apply=True)
    return redirect("admin:structures_directory_import", token=token)


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
