"""The task register beyond one task at a time (issue #15, point 1): shares typed on the rating
screen give way to the register, files as evidence, and a unit's task list imported from Excel
with a preview and an all-or-nothing apply."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from members.models import ImportBatch
from organizations.models import Role
from reviews.models import Pool, Rating, SubjectKind, TaskEvidence, TaskItem, TaskQuality
from reviews.permissions import Scope
from reviews.services import cycle_change_status, cycle_create, ratings_record
from reviews.services.tasks import task_item_add, task_item_remove
from reviews.task_import import TASK_COLUMNS, tasks_preview, tasks_template
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 3, 31)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cycle(small_bloc):
    cycle = cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ 2026")
    return cycle_change_status(cycle=cycle, status="open")


@pytest.fixture
def pool(cycle, small_bloc):
    return Pool.objects.get(cycle=cycle, owner=small_bloc["unit"], subject_kind=SubjectKind.MEMBER)


def rating_of(cycle, member) -> Rating:
    return Rating.objects.get(cycle=cycle, member=member, subject_kind=SubjectKind.MEMBER)


@pytest.fixture
def clerk_user(small_bloc):
    user = UserFactory()
    RoleAssignmentFactory(user=user, organization=small_bloc["unit"], role=Role.CLERK)
    return user


# --- Typed shares give way to the register ----------------------------------------------------


def test_typed_shares_are_refused_while_the_register_holds_tasks(cycle, small_bloc):
    rating = rating_of(cycle, small_bloc["members"][2])
    ratings_record(cycle=cycle, changes={rating.pk: {"tasks_done_percent": 90}}, acting_user=None)
    item = task_item_add(rating=rating, acting_user=None, title="Đề án", due_on=DUE)
    with pytest.raises(ValidationError) as refused:
        ratings_record(
            cycle=cycle, changes={rating.pk: {"tasks_done_percent": 100}}, acting_user=None
        )
    assert refused.value.error_list[0].code == "shares_from_register"
    assert "sổ theo dõi nhiệm vụ" in refused.value.messages[0]
    # The same values again are no change, so a row saved as shown is not refused.
    rating.refresh_from_db()
    ratings_record(
        cycle=cycle,
        changes={rating.pk: {"tasks_done_percent": rating.tasks_done_percent, "note": "x"}},
        acting_user=None,
    )
    task_item_remove(item=item, acting_user=None)
    ratings_record(cycle=cycle, changes={rating.pk: {"tasks_done_percent": 80}}, acting_user=None)
    rating.refresh_from_db()
    assert rating.tasks_done_percent == Decimal(80)


def test_the_rating_screen_shows_the_registers_shares_read_only(
    client, cycle, pool, small_bloc, clerk_user
):
    kept = rating_of(cycle, small_bloc["members"][2])
    typed = rating_of(cycle, small_bloc["members"][3])
    task_item_add(rating=kept, acting_user=None, title="Đề án", due_on=DUE)
    client.force_login(clerk_user)
    page = client.get(reverse("reviews:pool", args=[pool.pk])).text
    assert reverse("reviews:tasks", args=[kept.pk]) in page
    assert 'data-testid="register-shares"' in page
    assert 'name="tasks_done_percent"' in page  # the others still type theirs
    # A save of the register-kept row carries no share: nothing typed over the register.
    response = client.post(
        reverse("reviews:rating-update", args=[kept.pk]),
        {"version": kept.version, "tasks_done_percent": "100", "self_level": "good"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    kept.refresh_from_db()
    assert kept.tasks_done_percent == Decimal(0)
    response = client.post(
        reverse("reviews:rating-update", args=[typed.pk]),
        {"version": typed.version, "tasks_done_percent": "75"},
        HTTP_HX_REQUEST="true",
    )
    typed.refresh_from_db()
    assert typed.tasks_done_percent == Decimal(75)


# --- Files as evidence ------------------------------------------------------------------------


def test_a_file_is_kept_as_evidence_and_served_only_to_the_papers_readers(
    client, cycle, small_bloc, clerk_user
):
    rating = rating_of(cycle, small_bloc["members"][2])
    item = task_item_add(rating=rating, acting_user=None, title="Đề án", due_on=DUE)
    url = reverse("reviews:tasks", args=[rating.pk])
    client.force_login(clerk_user)
    wrong = client.post(
        url,
        {
            "action": "attach",
            "item": item.pk,
            "file": SimpleUploadedFile("to-trinh.pdf", b"not a pdf"),
        },
    )
    assert "không khớp" in wrong.text
    response = client.post(
        url, {"action": "attach", "item": item.pk, "file": SimpleUploadedFile("to-trinh.pdf", PDF)}
    )
    assert response.status_code == 302
    evidence = TaskEvidence.objects.get(task=item)
    download = reverse("reviews:task-evidence", args=[rating.pk, evidence.pk])
    assert download in client.get(url).text
    served = client.get(download)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert "attachment" in served["Content-Disposition"]
    other = UserFactory()
    RoleAssignmentFactory(user=other, organization=small_bloc["cell_unit"], role=Role.CLERK)
    client.force_login(other)
    assert client.get(download).status_code == 404
    client.force_login(clerk_user)
    client.post(url, {"action": "detach", "file": evidence.pk})
    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert evidence.removed_by == clerk_user
    assert client.get(download).status_code == 404
    assert "to-trinh.pdf" not in client.get(url).text


# --- The Excel import ------------------------------------------------------------------------


def sheet(rows, *, header=None) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.append(header or [column.label for column in TASK_COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(member, title, quarter="", due=DUE, done=None, quality="", beyond="", evidence=""):
    return [None, member.full_name, member.card_number, title, quarter, due, done, quality, beyond,
            evidence]  # fmt: skip


def preview_of(data, pool, user):
    return tasks_preview(data=data, pool=pool, scope=Scope(user, pool.cycle), user=user)


def test_the_template_lists_the_registers_tasks_and_the_pools_people(
    cycle, pool, small_bloc, clerk_user
):
    member = small_bloc["members"][2]
    task_item_add(
        rating=rating_of(cycle, member), acting_user=None, title="Báo cáo quý", due_on=DUE
    )
    workbook = load_workbook(io.BytesIO(tasks_template(pool=pool, scope=Scope(clerk_user, cycle))))
    assert workbook.sheetnames == ["Sổ nhiệm vụ", "Hướng dẫn", "Danh mục"]
    data = workbook["Sổ nhiệm vụ"]
    headers = ["STT", "Họ và tên (*)", "Số thẻ đảng viên", "Nhiệm vụ, sản phẩm (*)"]
    assert [c.value for c in data[3]][:4] == headers
    assert [c.value for c in data[4]][1:4] == [member.full_name, member.card_number, "Báo cáo quý"]
    names = [c.value for c in workbook["Danh mục"]["A"]][1:]
    assert member.full_name in names
    assert len(names) == pool.ratings.count()


def test_who_reads_no_register_gets_no_sheet_and_no_link(client, cycle, pool, small_bloc):
    """A viewer or the inspection committee sees the pool but no one's register (404 on
    `reviews:tasks`): the sheet is a 404 and its link is not offered."""
    task_item_add(
        rating=rating_of(cycle, small_bloc["members"][2]),
        acting_user=None,
        title="Đề án",
        due_on=DUE,
    )
    for role in (Role.VIEWER, Role.INSPECTION_COMMITTEE):
        user = UserFactory()
        RoleAssignmentFactory(user=user, organization=small_bloc["bloc"], role=role)
        client.force_login(user)
        page = client.get(reverse("reviews:pool", args=[pool.pk]))
        assert page.status_code == 200
        assert 'data-testid="task-register-link"' not in page.text
        sheet_url = reverse("reviews:task-register-sheet", args=[pool.pk])
        assert client.get(sheet_url).status_code == 404


def test_the_sheet_holds_only_the_rows_whose_register_the_user_reads(
    client, cycle, pool, small_bloc
):
    """A cell's secretary who also views the whole unit reads his cell's registers only."""
    mine, other = small_bloc["members"][2], small_bloc["members"][8]  # cell, sub-cell
    for member in (mine, other):
        task_item_add(rating=rating_of(cycle, member), acting_user=None, title="Đề án", due_on=DUE)
    user = UserFactory()
    RoleAssignmentFactory(user=user, organization=small_bloc["cell"], role=Role.CELL_SECRETARY)
    RoleAssignmentFactory(user=user, organization=small_bloc["unit"], role=Role.VIEWER)
    client.force_login(user)
    assert (
        'data-testid="task-register-link"'
        in client.get(reverse("reviews:pool", args=[pool.pk])).text
    )
    response = client.get(reverse("reviews:task-register-sheet", args=[pool.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data = workbook["Sổ nhiệm vụ"]
    names = [data.cell(row=r, column=2).value for r in range(4, data.max_row + 1)]
    assert names == [mine.full_name]
    listed = {c.value for c in workbook["Danh mục"]["A"]} - {"Họ và tên", None}
    cell = {m.full_name for m in small_bloc["members"][:6]}
    assert mine.full_name in listed
    assert listed <= cell
    assert other.full_name not in listed


def test_a_file_adds_and_corrects_tasks_and_the_shares_follow(cycle, pool, small_bloc, clerk_user):
    first, second = small_bloc["members"][2], small_bloc["members"][3]
    existing = task_item_add(
        rating=rating_of(cycle, first), acting_user=None, title="Báo cáo quý", due_on=DUE, quarter=1
    )
    data = sheet(
        [
            row(first, "báo cáo  quý", quarter="Quý 1", done="30/03/2026", quality="Đạt"),
            row(first, "Đề án chuyển đổi số", due=datetime.date(2026, 11, 30)),
            row(second, "Tham mưu nghị quyết", quarter="2", due="30/06/2026",
                done="01/07/2026", quality="Đạt yêu cầu", beyond="Có", evidence="NQ số 5"),
        ]
    )  # fmt: skip
    preview = preview_of(data, pool, clerk_user)
    assert preview.ok, preview.errors
    assert preview.counts == {"added": 2, "updated": 1, "unchanged": 0, "errors": 0}
    corrected = preview.of("update")[0]
    assert {c.field: (c.old, c.new) for c in corrected.changes} == {
        "done_on": ("", "30/03/2026"),
        "quality": ("", "Đạt yêu cầu"),
    }
    assert not TaskItem.objects.filter(rating__member=second).exists()  # nothing written yet
    from reviews.task_import import tasks_apply

    batch = ImportBatch.objects.create(
        kind="tasks", file_name="so.xlsx", size=len(data), sha256="x", organization=pool.owner,
        uploaded_by=clerk_user,
    )  # fmt: skip
    preview, applied = tasks_apply(
        data=data, pool=pool, scope=Scope(clerk_user, cycle), user=clerk_user, batch=batch
    )
    assert applied is not None
    assert applied.counts == {"added": 2, "updated": 1, "unchanged": 0}
    existing.refresh_from_db()
    assert (existing.done_on, existing.quality) == (datetime.date(2026, 3, 30), TaskQuality.MEETS)
    done = TaskItem.objects.get(rating__member=second)
    assert (done.quarter, done.beyond_requirement, done.evidence) == (2, True, "NQ số 5")
    assert done.is_late
    one, two = rating_of(cycle, first), rating_of(cycle, second)
    assert (one.tasks_done_percent, two.tasks_done_percent) == (Decimal(50), Decimal(100))
    assert (two.tasks_beyond_percent, two.tasks_late_percent) == (Decimal(100), Decimal(100))
    assert (
        two.changes.filter(field="tasks_done_percent")
        .get()
        .reason.startswith("Nhập sổ nhiệm vụ từ tệp Excel so.xlsx")
    )
    again = preview_of(data, pool, clerk_user)
    assert again.counts["unchanged"] == 3
    assert again.counts["added"] == 0


def test_a_removed_task_is_not_in_the_sheet_and_a_row_of_its_title_adds_a_new_one(
    cycle, pool, small_bloc, clerk_user
):
    member = small_bloc["members"][2]
    removed = task_item_add(
        rating=rating_of(cycle, member), acting_user=None, title="Báo cáo quý", due_on=DUE
    )
    task_item_remove(item=removed, acting_user=None)
    workbook = load_workbook(io.BytesIO(tasks_template(pool=pool, scope=Scope(clerk_user, cycle))))
    assert "Báo cáo quý" not in [c.value for c in workbook["Sổ nhiệm vụ"]["D"]]
    preview = preview_of(sheet([row(member, "Báo cáo quý")]), pool, clerk_user)
    assert preview.counts["added"] == 1
    assert preview.counts["updated"] == 0


def test_the_preview_costs_the_same_queries_for_one_row_and_for_ten(
    cycle, small_bloc, clerk_user, django_assert_num_queries
):
    """No query per row: the model's constraints are held in Python and by the database, not
    asked of it for each row, in the plan and in the dry run."""
    pool = Pool.objects.select_related("owner", "cycle").get(
        cycle=cycle, owner=small_bloc["unit"], subject_kind=SubjectKind.MEMBER
    )
    people = small_bloc["members"][1:11]

    def rows(n):
        return sheet([row(member, "Đề án", evidence="Tờ trình") for member in people[:n]])

    with CaptureQueriesContext(connection) as one:
        assert preview_of(rows(1), pool, clerk_user).counts["added"] == 1
    with django_assert_num_queries(len(one)):
        ten = preview_of(rows(10), pool, clerk_user)
    assert ten.counts == {"added": 10, "updated": 0, "unchanged": 0, "errors": 0}


def test_every_bad_row_is_shown_at_its_cell_and_nothing_is_written(
    cycle, pool, small_bloc, clerk_user
):
    member, other = small_bloc["members"][2], small_bloc["members"][4]
    stranger = small_bloc["direct"][0]  # a member of another unit
    data = sheet(
        [
            row(member, "Việc A"),
            row(member, "Việc A"),  # the same task twice
            row(member, "Việc B", done=None, quality="Đạt"),  # quality without a date
            row(member, "Việc C", quarter="5"),
            [None, other.full_name, "99999999", "Việc D", "", DUE, None, "", "", ""],
            [None, stranger.full_name, "", "Việc E", "", DUE, None, "", "", ""],
            [None, member.full_name, "", "Việc F", "", "31/02/2026", None, "", "", ""],
            [None, "", "", "Việc G", "", DUE, None, "", "", ""],
        ]
    )
    preview = preview_of(data, pool, clerk_user)
    codes = {(error.ref, error.code) for error in preview.errors}
    assert codes == {
        ("Sheet!D3", "duplicate_in_file"),
        ("Sheet!H4", "not_done"),
        ("Sheet!E5", "invalid_quarter"),
        ("Sheet!C6", "unknown_person"),
        ("Sheet!B7", "unknown_person"),
        ("Sheet!F8", "invalid_date"),
        ("Sheet!B9", "required"),
    }
    assert not preview.ok


def test_a_finalized_pool_refuses_every_row_even_one_that_only_changes_evidence(
    cycle, pool, small_bloc, clerk_user
):
    """A finalized pool is read-only: the rows are refused before any write, with the reason
    (the dry run), whether or not the shares would change."""
    from reviews.models import PoolState

    member, other = small_bloc["members"][2], small_bloc["members"][3]
    task_item_add(
        rating=rating_of(cycle, member),
        acting_user=None,
        title="Việc A",
        due_on=DUE,
        done_on=DUE,
        quality=TaskQuality.MEETS,
    )
    Pool.objects.filter(pk=pool.pk).update(state=PoolState.FINALIZED, finalized_at=timezone.now())
    data = sheet([row(member, "Việc A", evidence="Báo cáo số 3"), row(other, "Việc B")])
    preview = preview_of(data, pool, clerk_user)
    assert [e.code for e in preview.errors] == ["pool_finalized", "pool_finalized"]
    assert TaskItem.objects.get().evidence == ""
    assert not TaskItem.objects.filter(rating__member=other).exists()


def test_a_sent_report_and_another_units_person_are_refused(cycle, pool, small_bloc, clerk_user):
    from reviews.models import Submission, SubmissionState

    Submission.objects.filter(cycle=cycle, organization=small_bloc["unit"]).update(
        state=SubmissionState.SUBMITTED
    )
    preview = preview_of(sheet([row(small_bloc["members"][2], "Việc A")]), pool, clerk_user)
    assert [e.code for e in preview.errors] == ["no_right"]
    assert "đã gửi" in preview.errors[0].message


def test_the_clerk_uploads_previews_and_applies_through_the_screens(
    client, cycle, pool, small_bloc, clerk_user
):
    member = small_bloc["members"][2]
    client.force_login(clerk_user)
    page = client.get(reverse("reviews:pool", args=[pool.pk])).text
    assert reverse("reviews:task-register-upload", args=[pool.pk]) in page
    template = client.get(reverse("reviews:task-register-sheet", args=[pool.pk]))
    assert template.status_code == 200
    upload = client.post(
        reverse("reviews:task-register-upload", args=[pool.pk]),
        {"file": SimpleUploadedFile("so.xlsx", sheet([row(member, "Đề án")]))},
    )
    assert upload.status_code == 302
    batch = ImportBatch.objects.get(kind="tasks")
    preview = client.get(upload["Location"])
    assert "Đề án" in preview.text
    assert "Sổ theo dõi nhiệm vụ" in preview.text
    applied = client.post(reverse("reviews:task-import-apply", args=[pool.pk, batch.pk]))
    assert applied.status_code == 302
    assert TaskItem.objects.get(rating__member=member).title == "Đề án"
    # Another clerk cannot open this upload, even with its number.
    other = UserFactory()
    RoleAssignmentFactory(user=other, organization=small_bloc["unit"], role=Role.CLERK)
    client.force_login(other)
    assert client.get(upload["Location"]).status_code == 404


def test_a_forged_task_or_file_number_is_a_404(client, cycle, small_bloc, clerk_user):
    rating = rating_of(cycle, small_bloc["members"][2])
    url = reverse("reviews:tasks", args=[rating.pk])
    client.force_login(clerk_user)
    for action, key in (
        ("done", "item"),
        ("remove", "item"),
        ("attach", "item"),
        ("detach", "file"),
    ):
        for value in ("abc", "", "-1", "99999999999999999999999"):
            assert client.post(url, {"action": action, key: value}).status_code == 404


# --- The plan and the apply under one lock (#15 review, point 5) -----------------------------


def _batch(data, pool, user) -> ImportBatch:
    return ImportBatch.objects.create(
        kind="tasks", file_name="so.xlsx", size=len(data), sha256="x", organization=pool.owner,
        uploaded_by=user,
    )  # fmt: skip


def test_a_task_removed_since_the_file_was_read_is_refused_not_a_server_error(cycle, small_bloc):
    from reviews.services.tasks import TaskEntry, task_register_import

    rating = rating_of(cycle, small_bloc["members"][2])
    item = task_item_add(rating=rating, acting_user=None, title="Việc A", due_on=DUE)
    entry = TaskEntry(rating=rating, fields={"evidence": "Số 3"}, item=item)
    task_item_remove(item=item, acting_user=None)
    with pytest.raises(ValidationError) as refused:
        task_register_import(entries=[entry], acting_user=None)
    assert refused.value.error_list[0].code == "task_not_found"


def test_the_apply_plans_again_what_changed_since_the_preview(cycle, pool, small_bloc, clerk_user):
    from reviews.task_import import tasks_apply

    member = small_bloc["members"][2]
    item = task_item_add(
        rating=rating_of(cycle, member), acting_user=None, title="Việc A", due_on=DUE
    )
    data = sheet([row(member, "Việc A", evidence="Số 3")])
    assert preview_of(data, pool, clerk_user).counts["updated"] == 1
    task_item_remove(item=item, acting_user=None)  # meanwhile, on the register's page
    scope = Scope(clerk_user, cycle)
    preview, applied = tasks_apply(
        data=data, pool=pool, scope=scope, user=clerk_user, batch=_batch(data, pool, clerk_user)
    )
    assert applied is not None, preview.errors
    assert applied.counts == {"added": 1, "updated": 0, "unchanged": 0}
    assert TaskItem.objects.get(rating__member=member).evidence == "Số 3"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="select_for_update is a no-op on SQLite; row locks are proven on PostgreSQL",
)
def test_an_apply_waits_for_a_write_to_the_register_and_plans_after_it(small_bloc):
    """A task removed while the apply waits for the pool's lock is not corrected from a plan
    read before: the plan is read under the lock (real threads, PostgreSQL)."""
    import threading
    import time

    from django.db import connections, transaction

    from reviews.task_import import tasks_apply

    cycle = cycle_change_status(
        cycle=cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ 2026"),
        status="open",
    )
    pool = Pool.objects.get(cycle=cycle, owner=small_bloc["unit"], subject_kind=SubjectKind.MEMBER)
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    member = small_bloc["members"][2]
    item = task_item_add(
        rating=rating_of(cycle, member), acting_user=None, title="Việc A", due_on=DUE
    )
    data = sheet([row(member, "Việc A", evidence="Số 3")])
    batch = _batch(data, pool, clerk)
    holding, outcome = threading.Event(), {}

    def remove():
        try:
            with transaction.atomic():
                task_item_remove(item=item, acting_user=None)  # holds the pool's lock
                holding.set()
                time.sleep(0.5)  # the apply starts and waits meanwhile
        finally:
            connections.close_all()

    def apply():
        try:
            holding.wait()
            outcome["result"] = tasks_apply(
                data=data, pool=pool, scope=Scope(clerk, cycle), user=clerk, batch=batch
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=remove), threading.Thread(target=apply)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    preview, applied = outcome["result"]
    assert applied is not None, preview.errors
    assert applied.counts == {"added": 1, "updated": 0, "unchanged": 0}
    assert TaskItem.all_objects.get(pk=item.pk).removed_at is not None
    assert TaskItem.objects.get(rating__member=member).evidence == "Số 3"
