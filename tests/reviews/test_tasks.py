"""The task register (issue #15, point 1): the shares the level conditions read are computed
from it and recorded on the rating with their history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organizations.models import Role
from reviews.models import (
    CycleStatus,
    Level,
    Pool,
    PoolState,
    Rating,
    ReviewCycle,
    SubjectKind,
    Submission,
    SubmissionState,
    TaskEvidence,
    TaskItem,
    TaskQuality,
)
from reviews.rules.tasks import task_shares
from reviews.services import cycle_change_status, cycle_create
from reviews.services.tasks import (
    TaskEntry,
    task_evidence_attach,
    task_evidence_remove,
    task_item_add,
    task_item_remove,
    task_item_update,
    task_register_import,
)
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 30)


def item(due, done=None, quality="", beyond=False):
    return TaskItem(title="x", due_on=due, done_on=done, quality=quality, beyond_requirement=beyond)


def test_shares_count_done_to_quality_beyond_and_late():
    items = [
        item(DAY, DAY, TaskQuality.MEETS, beyond=True),
        item(DAY, DAY + datetime.timedelta(days=3), TaskQuality.MEETS),  # late
        item(DAY, DAY, TaskQuality.FAILS),  # done but not to quality
        item(DAY),  # not done, due passed: late
        item(DAY + datetime.timedelta(days=90)),  # not done, not yet due
    ]
    shares = task_shares(items, as_of=DAY + datetime.timedelta(days=10))
    assert shares == {
        "tasks_done_percent": Decimal("40.0"),
        "tasks_beyond_percent": Decimal("20.0"),
        "tasks_late_percent": Decimal("40.0"),
    }
    assert task_shares([], as_of=DAY) == {}


@pytest.fixture
def rating(small_bloc):
    cycle = cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ 2026")
    cycle = cycle_change_status(cycle=cycle, status="open")
    return Rating.objects.get(
        cycle=cycle, member=small_bloc["members"][2], subject_kind=SubjectKind.MEMBER
    )


def test_the_register_sets_the_ratings_shares_with_their_history(rating):
    first = task_item_add(
        rating=rating, acting_user=None, title="Báo cáo quý", due_on=datetime.date(2026, 3, 31)
    )
    task_item_add(
        rating=rating,
        acting_user=None,
        title="Đề án",
        due_on=datetime.date(2026, 9, 30),
        done_on=datetime.date(2026, 9, 1),
        quality=TaskQuality.MEETS,
        beyond_requirement=True,
    )
    rating.refresh_from_db()
    assert (rating.tasks_done_percent, rating.tasks_beyond_percent) == (Decimal(50), Decimal(50))
    assert rating.tasks_late_percent == Decimal(50)  # the first, past its date, not done
    task_item_update(
        item=first, acting_user=None, done_on=datetime.date(2026, 3, 30), quality="meets"
    )
    rating.refresh_from_db()
    assert (rating.tasks_done_percent, rating.tasks_late_percent) == (Decimal(100), Decimal(0))
    change = rating.changes.filter(field="tasks_done_percent").first()
    assert change.reason == "Tính từ sổ theo dõi nhiệm vụ"
    task_item_remove(item=first, acting_user=None)
    assert TaskItem.objects.filter(rating=rating).count() == 1


def test_quality_needs_a_completion_date_and_a_title_is_required(rating):
    with pytest.raises(ValidationError):
        task_item_add(rating=rating, acting_user=None, title="", due_on=DAY)
    saved = task_item_add(
        rating=rating, acting_user=None, title="Việc", due_on=DAY, quality="meets"
    )
    assert saved.quality == ""  # not done: no quality yet


def test_the_clerk_keeps_the_register_and_a_viewer_cannot_see_it(client, rating, small_bloc):
    url = reverse("reviews:tasks", args=[rating.pk])
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    client.force_login(clerk)
    response = client.post(
        url, {"action": "add", "title": "Tham mưu đề án", "due_on": "30/09/2026", "quarter": "3"}
    )
    assert response.status_code == 302
    added = TaskItem.objects.get(rating=rating)
    assert (added.quarter, added.due_on) == (3, datetime.date(2026, 9, 30))
    done = client.post(
        url,
        {
            "action": "done",
            "item": str(added.pk),
            "title": added.title,
            "due_on": "30/09/2026",
            "quarter": "3",
            "done_on": "15/09/2026",
            "quality": "meets",
            "evidence": "Tờ trình số 12",
        },
    )
    assert done.status_code == 302
    assert "100%" in client.get(url).text
    viewer = UserFactory()
    RoleAssignmentFactory(user=viewer, organization=small_bloc["bloc"], role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(url).status_code == 404


def test_a_task_the_rating_cannot_take_is_refused_with_the_reason(rating):
    """A register whose shares no longer support the decided level (under 50% done forces
    KHTNV, QĐ 366) is not written, and the clerk is told why."""
    from reviews.services import ratings_record

    ratings_record(
        cycle=rating.cycle,
        changes={rating.pk: {"tasks_done_percent": 100, "decision_level": Level.GOOD}},
        acting_user=None,
    )
    with pytest.raises(ValidationError) as refused:
        task_item_add(rating=rating, acting_user=None, title="Việc dở dang", due_on=DAY)
    assert refused.value.error_list[0].code == "register_refused"
    assert refused.value.messages[0].startswith("Sổ nhiệm vụ chưa được ghi:")
    assert not TaskItem.objects.filter(rating=rating).exists()


# --- A register that can no longer change (#15 review, point 2) -----------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _attach(task, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return task_evidence_attach(
        item=task, upload=SimpleUploadedFile("bao-cao.pdf", PDF), acting_user=user
    )


WRITES = {
    "add": lambda r, t, e, u: task_item_add(rating=r, acting_user=u, title="Mới", due_on=DAY),
    "title": lambda r, t, e, u: task_item_update(item=t, acting_user=u, title="Tên khác"),
    "evidence_text": lambda r, t, e, u: task_item_update(item=t, acting_user=u, evidence="Số 9"),
    "remove": lambda r, t, e, u: task_item_remove(item=t, acting_user=u),
    "attach": lambda r, t, e, u: _attach(t, u),
    "detach": lambda r, t, e, u: task_evidence_remove(evidence=e, acting_user=u),
    "import": lambda r, t, e, u: task_register_import(
        entries=[TaskEntry(rating=r, fields={"evidence": "Số 10"}, item=t)], acting_user=u
    ),
}


@pytest.fixture
def kept(rating, settings, tmp_path):
    """A register with one task (done, so that its text changes leave the shares as they are)
    and one file."""
    settings.MEDIA_ROOT = tmp_path
    task = task_item_add(
        rating=rating,
        acting_user=None,
        title="Báo cáo chuyên đề",
        due_on=DAY,
        done_on=DAY,
        quality=TaskQuality.MEETS,
    )
    return task, _attach(task, None)


def _finalize(rating):
    Pool.objects.filter(pk=rating.pool_id).update(
        state=PoolState.FINALIZED, finalized_at=timezone.now()
    )


def _send(rating):
    Submission.objects.filter(cycle=rating.cycle, organization=rating.pool.owner).update(
        state=SubmissionState.SUBMITTED
    )


def _close(rating):
    ReviewCycle.objects.filter(pk=rating.cycle_id).update(status=CycleStatus.CLOSED)


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize(
    ("lock", "code"),
    [(_finalize, "pool_finalized"), (_send, "submission_locked"), (_close, "cycle_not_open")],
)
def test_every_write_to_a_register_is_refused_once_it_is_read_only(rating, kept, write, lock, code):
    """Title, evidence text, files and imports that leave the shares unchanged are refused
    like those that change them: a finalized pool, a sent report, a closed cycle."""
    task, evidence = kept
    lock(rating)
    before = (
        list(TaskItem.objects.values_list("title", "evidence")),
        list(TaskEvidence.objects.values_list("pk", "removed_at")),
    )
    with pytest.raises(ValidationError) as refused:
        WRITES[write](Rating.objects.get(pk=rating.pk), task, evidence, None)
    assert refused.value.error_list[0].code == code
    assert before == (
        list(TaskItem.objects.values_list("title", "evidence")),
        list(TaskEvidence.objects.values_list("pk", "removed_at")),
    )


@pytest.mark.parametrize("write", list(WRITES))
def test_a_superuser_still_corrects_the_register_of_a_sent_report(rating, kept, write):
    task, evidence = kept
    _send(rating)
    WRITES[write](rating, task, evidence, UserFactory(is_superuser=True))


# --- Removal keeps the record; every change leaves its history (#15 review, point 3) --------


def test_a_removed_task_keeps_its_row_files_and_history_and_counts_nowhere(
    client, rating, kept, small_bloc
):
    from django.db.models import ProtectedError

    task, evidence = kept
    other = task_item_add(rating=rating, acting_user=None, title="Đề án", due_on=DAY)
    rating.refresh_from_db()
    assert rating.tasks_done_percent == Decimal(50)
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    task_item_remove(item=task, acting_user=clerk)
    removed = TaskItem.all_objects.get(pk=task.pk)
    assert removed.removed_by == clerk
    assert removed.removed_at is not None
    assert TaskEvidence.objects.get(pk=evidence.pk).removed_at is None  # the file stays
    assert list(TaskItem.objects.filter(rating=rating)) == [other]
    rating.refresh_from_db()
    assert rating.tasks_done_percent == Decimal(0)  # computed without the removed task
    client.force_login(clerk)
    page = client.get(reverse("reviews:tasks", args=[rating.pk])).text
    assert "Báo cáo chuyên đề" not in page
    assert "bao-cao.pdf" not in page
    download = reverse("reviews:task-evidence", args=[rating.pk, evidence.pk])
    assert client.get(download).status_code == 404
    url = reverse("reviews:tasks", args=[rating.pk])
    assert client.post(url, {"action": "remove", "item": task.pk}).status_code == 404
    with pytest.raises(ValidationError) as gone:
        task_item_update(item=task, acting_user=None, title="Lại")
    assert gone.value.error_list[0].code == "task_not_found"
    with pytest.raises(ProtectedError):
        TaskItem.all_objects.filter(pk=task.pk).delete()  # the audit trail cannot be lost


def test_removing_the_last_task_gives_the_shares_back_to_the_rating_screen(
    client, rating, small_bloc
):
    task = task_item_add(rating=rating, acting_user=None, title="Đề án", due_on=DAY)
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    client.force_login(clerk)
    pool_url = reverse("reviews:pool", args=[rating.pool_id])
    assert 'data-testid="register-shares"' in client.get(pool_url).text
    task_item_remove(item=task, acting_user=clerk)
    assert 'data-testid="register-shares"' not in client.get(pool_url).text
    from reviews.services import ratings_record

    ratings_record(
        cycle=rating.cycle, changes={rating.pk: {"tasks_done_percent": 80}}, acting_user=clerk
    )


def test_every_change_of_a_task_is_recorded_old_to_new(rating, small_bloc):
    clerk = UserFactory()
    task = task_item_add(rating=rating, acting_user=clerk, title="Báo cáo", due_on=DAY, quarter=2)
    added = {(c.field, c.old_value, c.new_value) for c in task.changes.all()}
    assert added == {("title", "", "Báo cáo"), ("due_on", "", "30/06/2026"), ("quarter", "", "2")}
    task_item_update(
        item=task,
        acting_user=clerk,
        title="Báo cáo sơ kết",
        done_on=DAY,
        quality=TaskQuality.MEETS,
        evidence="Số 12",
    )
    changed = task.changes.exclude(pk__in=[c.pk for c in task.changes.filter(old_value="")])
    assert {(c.field, c.old_value, c.new_value) for c in changed} == {
        ("title", "Báo cáo", "Báo cáo sơ kết"),
    }
    assert {
        (c.field, c.new_value)
        for c in task.changes.filter(field__in=["done_on", "quality", "evidence"])
    } == {("done_on", "30/06/2026"), ("quality", "meets"), ("evidence", "Số 12")}
    task_item_update(item=task, acting_user=clerk, evidence="Số 12")  # no change, no row
    assert task.changes.count() == 7
    task_item_remove(item=task, acting_user=clerk)
    last = task.changes.first()
    assert (last.field, last.old_value, last.changed_by) == ("removed_at", "", clerk)
    assert all(change.changed_by == clerk for change in task.changes.all())
    assert str(last).startswith("gỡ khỏi sổ lúc: ")


def test_an_import_records_each_changed_field_with_the_file(rating):
    task = task_item_add(rating=rating, acting_user=None, title="Báo cáo", due_on=DAY)
    task_register_import(
        entries=[
            TaskEntry(rating=rating, fields={"evidence": "Số 3"}, item=task),
            TaskEntry(rating=rating, fields={"title": "Mới", "due_on": DAY}),
        ],
        acting_user=None,
        reason="Nhập sổ nhiệm vụ từ tệp Excel so.xlsx",
    )
    corrected = task.changes.get(field="evidence")
    assert (corrected.old_value, corrected.new_value) == ("", "Số 3")
    assert corrected.reason == "Nhập sổ nhiệm vụ từ tệp Excel so.xlsx"
    new = TaskItem.objects.get(title="Mới")
    assert set(new.changes.values_list("field", flat=True)) == {"title", "due_on"}
