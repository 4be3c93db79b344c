"""Exports as background jobs (issue #16, point 2): queued by the button, built by the
worker with its progress shown, the requester told when the file is ready, retried on a
failure, the file kept for its requester only."""

from pathlib import Path

import pytest
from django.urls import reverse

from organizations.models import Role
from reports import jobs
from reports.models import ExportJob, ExportState
from reviews.models import Notification
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def queue(client, node, fmt, capture):
    with capture(execute=True):
        return client.post(reverse("reports:download", args=[node.pk, fmt]))


def test_the_button_queues_a_job_and_its_page_shows_the_progress(
    client, report_bloc, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY  # no worker: the job waits
    client.force_login(report_bloc["clerk"])
    unit = report_bloc["a"]["unit"]
    response = queue(client, unit, "xlsx", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.url == reverse("reports:export-job", args=[job.pk])
    assert (job.state, job.requested_by) == (ExportState.QUEUED, report_bloc["clerk"])
    page = client.get(response.url)
    assert 'hx-trigger="every 2s"' in page.text
    assert "0%" in page.text
    # The worker reports as it goes; the poll shows it, and only the job's part of the page.
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING, progress=40)
    poll = client.get(response.url, HTTP_HX_REQUEST="true")
    assert "40%" in poll.text
    assert "<html" not in poll.text
    # Asked again while it runs: the same job, not a second one.
    queue(client, unit, "xlsx", django_capture_on_commit_callbacks)
    assert ExportJob.objects.count() == 1


def test_a_finished_job_tells_its_requester_and_serves_him_the_file(
    client, report_bloc, export_file
):
    clerk = report_bloc["clerk"]
    client.force_login(clerk)
    response = export_file(client, report_bloc["a"]["unit"], "pdf")
    assert response.content.startswith(b"%PDF")
    job = ExportJob.objects.get()
    assert (job.state, job.progress, job.attempts) == (ExportState.DONE, 100, 1)
    assert job.size == len(response.content)
    notice = Notification.objects.get(user=clerk)
    assert job.file_name in notice.message
    assert reverse("reports:export-job", args=[job.pk]) in notice.link
    # Another user, even one who may read that report, neither sees the job nor its file.
    other = UserFactory()
    RoleAssignmentFactory(user=other, organization=report_bloc["bloc"], role=Role.VIEWER)
    client.force_login(other)
    assert client.get(reverse("reports:export-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:export-file", args=[job.pk])).status_code == 404
    # The requester who has lost the right to that report loses the file too.
    clerk.role_assignments.update(is_active=False)
    client.force_login(clerk)
    assert client.get(reverse("reports:export-file", args=[job.pk])).status_code == 404


def test_a_failing_build_is_retried_then_reported_and_made_again_on_request(
    client, report_bloc, monkeypatch, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise OSError("disk full")

    real = jobs.export
    monkeypatch.setattr(jobs, "export", broken)
    client.force_login(report_bloc["clerk"])
    unit = report_bloc["a"]["unit"]
    queue(client, unit, "xlsx", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert len(calls) == jobs.MAX_ATTEMPTS
    assert (job.state, job.attempts) == (ExportState.FAILED, jobs.MAX_ATTEMPTS)
    assert "disk full" in job.error
    assert "Không tạo được tệp" in Notification.objects.get().message
    page = client.get(reverse("reports:export-job", args=[job.pk]))
    assert "Tạo lại" in page.text
    monkeypatch.setattr(jobs, "export", real)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export-job", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (ExportState.DONE, 1, "")
    # Only a failed job is made again.
    with pytest.raises(Exception, match="bị lỗi"):
        jobs.export_job_retry(job=job, acting_user=report_bloc["clerk"])


def test_the_list_page_offers_a_new_file_and_lists_the_users_own(client, report_bloc, export_file):
    client.force_login(report_bloc["clerk"])
    unit = report_bloc["a"]["unit"]
    page = client.get(reverse("reports:download", args=[unit.pk, "xlsx"]))
    assert "Chưa tạo tệp nào." in page.text
    export_file(client, unit, "xlsx")
    page = client.get(reverse("reports:download", args=[unit.pk, "xlsx"]))
    job = ExportJob.objects.get()
    assert reverse("reports:export-file", args=[job.pk]) in page.text


def test_files_past_their_keeping_time_are_pruned_with_their_jobs(
    client, report_bloc, export_file, settings
):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(report_bloc["clerk"])
    export_file(client, report_bloc["a"]["unit"], "xlsx")
    old = ExportJob.objects.get()
    path = old.file.path
    ExportJob.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS + 1)
    )
    waiting = ExportJob.objects.create(
        cycle=old.cycle,
        organization=old.organization,
        fmt="pdf",
        requested_by=old.requested_by,
        requested_at=timezone.now() - datetime.timedelta(days=30),
    )
    call_command("prune_exports")
    assert list(ExportJob.objects.all()) == [waiting]
    assert not Path(path).exists()
