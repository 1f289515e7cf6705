"""The background jobs in the admin: what runs, how far it has got, and why it failed.

django-tasks-db's own list of task results is replaced by this one: its labels are in
English, and a job says in French what the coordination needs to know (the failed
task's traceback is kept in « détails techniques de l'erreur »).
"""

from django.contrib import admin
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult

from ..models import Job

admin.site.unregister(DBTaskResult)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["label", "state", "started_at", "finished_at", "error"]
    search_fields = ["label", "key"]
    readonly_fields = ["state", "formatted_details"]
    exclude = ["error_details"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="état")
    def state(self, job):
        return job.state

    @admin.display(description="détails techniques de l'erreur")
    def formatted_details(self, job):
        return format_html("<pre>{}</pre>", job.error_details) if job.error_details else "—"
