"""Exports as background jobs (issue #16, point 2): asked for in a request, built by the
worker (`manage.py db_worker`, started by `make run` beside the server), their progress shown
while they run, the user notified when the file is ready, retried on failure.

The queue is django-tasks' database backend: the same database as the app, SQLite or
PostgreSQL, so one machine needs nothing more, and several app servers share its workers.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from organizations.models import Organization
from organizations.replica import replica_reads
from reports.exports import export, file_name
from reports.models import ExportJob, ExportState
from reviews.models import ReviewCycle
from reviews.services.notifications import notify

log = logging.getLogger("kiemdiem.exports")

#: Runs of a job before it is given up as failed (the first and two retries).
MAX_ATTEMPTS = 3
#: Seconds before a retry, times the number of the attempt that failed.
RETRY_DELAY = 15


def export_job_request(
    *, cycle: ReviewCycle, node: Organization, fmt: str, acting_user: User | None
) -> ExportJob:
    """Queue the building of the node's report in `fmt` for `acting_user` (who may export it:
    the view checks, `reports.permissions.allowed_formats`). A job of the same file still
    queued or running for the same user is returned instead of a second one."""
    pending = (
        ExportJob.objects.filter(
            cycle=cycle,
            organization=node,
            fmt=fmt,
            requested_by=acting_user,
            state__in=(ExportState.QUEUED, ExportState.RUNNING),
        )
        .order_by("-pk")
        .first()
    )
    if pending is not None:
        return pending
    job = ExportJob.objects.create(
        cycle=cycle,
        organization=node,
        fmt=fmt,
        requested_by=acting_user,
        step=_("Đang chờ máy chủ xử lý"),
    )
    _enqueue(job)
    return job


def export_job_retry(*, job: ExportJob, acting_user: User | None) -> ExportJob:
    """Queue a failed job again, from its first attempt. Raises ValidationError
    (code `export_not_failed`) for a job that has not failed."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        if job.state != ExportState.FAILED:
            raise ValidationError(_("Chỉ tạo lại được tệp đã bị lỗi."), code="export_not_failed")
        job.state, job.attempts, job.progress, job.error = ExportState.QUEUED, 0, 0, ""
        job.step = _("Đang chờ máy chủ xử lý")
        job.save(update_fields=["state", "attempts", "progress", "error", "step"])
    _enqueue(job)
    return job


def _enqueue(job: ExportJob, *, delay: int = 0) -> None:
    """Hand the job to the queue once its row is committed (the worker must find it); a
    retry waits `delay` seconds where the backend can defer."""
    runner = export_build
    if delay and runner.get_backend().supports_defer:
        runner = runner.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    transaction.on_commit(lambda: runner.enqueue(job.pk))


@task()
def export_build(job_id: int) -> None:
    """Build the job's file, reporting progress; on an error, queue a retry after a delay
    until `MAX_ATTEMPTS`, then record the failure and tell the user."""
    job = (
        ExportJob.objects.select_related("cycle__organization", "organization", "requested_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None or job.state in (ExportState.DONE, ExportState.FAILED):
        return
    job.state, job.attempts, job.started_at = ExportState.RUNNING, job.attempts + 1, timezone.now()
    job.save(update_fields=["state", "attempts", "started_at"])

    def progress(percent: int, step: str) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=min(percent, 99), step=step[:200])

    try:
        # The data from the replica when there is one; the job's progress on the primary.
        with translation.override(settings.LANGUAGE_CODE), replica_reads():
            content = export(job.cycle, job.organization, job.fmt, progress=progress)
    except Exception as error:  # any failure of the build: retried, then reported
        log.exception("export %s failed (attempt %s)", job.pk, job.attempts)
        _failed(job, error)
        return
    name = file_name(job.cycle, job.organization, job.fmt)
    job.file.save(name, ContentFile(content), save=False)
    job.file_name, job.size = name, len(content)
    job.state, job.progress, job.step = ExportState.DONE, 100, _("Đã xong")
    job.finished_at = timezone.now()
    job.save()
    if job.requested_by is not None:
        notify(
            users=[job.requested_by],
            message=_("Tệp %(name)s đã sẵn sàng để tải về.") % {"name": name},
            link=reverse("reports:export-job", args=[job.pk]),
            cycle=job.cycle,
        )


def _failed(job: ExportJob, error: Exception) -> None:
    job.error = f"{type(error).__name__}: {error}"[:500]
    if job.attempts < MAX_ATTEMPTS:
        job.state = ExportState.QUEUED
        job.step = _("Gặp lỗi, sẽ thử lại (lần %(next)s/%(most)s)") % {
            "next": job.attempts + 1,
            "most": MAX_ATTEMPTS,
        }
        job.save(update_fields=["state", "step", "error"])
        _enqueue(job, delay=RETRY_DELAY * job.attempts)
        return
    job.state, job.step = ExportState.FAILED, _("Không tạo được tệp")
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "step", "error", "finished_at"])
    if job.requested_by is not None:
        notify(
            users=[job.requested_by],
            message=_(
                "Không tạo được tệp %(name)s sau %(n)s lần thử; bấm “Tạo lại” để thử lần nữa."
            )
            % {"name": file_name(job.cycle, job.organization, job.fmt), "n": job.attempts},
            link=reverse("reports:export-job", args=[job.pk]),
            cycle=job.cycle,
        )


def exports_prune(*, days: int) -> int:
    """Delete the finished or failed jobs asked for more than `days` days ago, and their
    files (a job still waiting or running is left alone). Returns how many were removed."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = ExportJob.objects.filter(
        requested_at__lt=cutoff, state__in=(ExportState.DONE, ExportState.FAILED)
    )
    removed = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
