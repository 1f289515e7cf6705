"""The coordination's tasks, run by `manage.py db_worker`, never by a web request."""

from datetime import date

from django_tasks import task

from ..background.jobs import job_perform
from .periods import Period
from .report import activity_report_store, report_key


@task()
def activity_report_task(kind: str, start: str, end: str) -> str | None:
    """Render the activity report of a period and keep it for the day (report.py)."""
    period = Period(date.fromisoformat(start), date.fromisoformat(end), kind)
    return job_perform(
        key=report_key(period),
        task=activity_report_task,
        args=[kind, start, end],
        work=lambda run: activity_report_store(period=period),
    )
