"""The tasks that build the editions, run by `manage.py db_worker`, never by a web request.

Each task may run on any worker of any server, more than once, and late: it builds only
what is stale when it runs, as the only holder of its job (structures/background/jobs.py).
"""

from django_tasks import task

from structures.background.jobs import job_perform

from ..models import EditionKind
from .editions import PRIORITIES, SHEETS_JOB, edition_build
from .sheets import sheets_build


def _priority(key: str) -> int:
    kinds = {"repertoire": EditionKind.DIRECTORY, "thematique": EditionKind.THEME}
    return PRIORITIES[kinds.get(key.split("-", 1)[0], EditionKind.SELECTION)]


@task()
def edition_build_task(key: str) -> dict | None:
    """Build the booklet edition `key` (editions.py) if it is stale."""
    return job_perform(
        key=f"edition-{key}",
        task=edition_build_task,
        args=[key],
        priority=_priority(key),
        work=lambda run: edition_build(key=key, run=run),
    )


@task()
def sheets_build_task() -> dict | None:
    """Bring every structure's sheet up to date (sheets.py)."""
    return job_perform(
        key=SHEETS_JOB,
        task=sheets_build_task,
        priority=PRIORITIES[EditionKind.STRUCTURE],
        work=lambda run: sheets_build(run=run),
    )
