import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import ImportBatch, ManagingLevel, StatusPeriod
from members.services import member_create, status_period_record
from organizations.models import Organization, OrganizationKind, Role
from organizations.services import organization_create
from reviews.models import (
    REQUIRED_DOSSIER_KINDS,
    CycleStatus,
    Level,
    Pool,
    Rating,
    SubjectKind,
    Submission,
    SubmissionState,
)
from reviews.services import (
    cycle_change_status,
    dossier_item_add,
    guiding_document_publish,
    pool_finalize,
    question_ask,
    ratings_record,
    submission_change_state,
    suggestion_draft,
)
from reviews.services.tasks import task_item_add, task_item_update
from tests.admin_support import MEMBER_NAME
from tests.factories import (
    BlocFactory,
    CellFactory,
    CollectiveMembershipFactory,
    DisciplineRecordFactory,
    GrassrootsCellFactory,
    GrassrootsCommitteeFactory,
    LeadershipCollectiveFactory,
    MemberFactory,
    ReviewCycleFactory,
    RoleAssignmentFactory,
    SubCommitteeFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_and_local(settings):
    """Tests hash passwords fast, keep mail in memory, use plain static storage and run each
    background job at once, in the test's own transaction (`export_file` below)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def export_file(django_capture_on_commit_callbacks, settings, tmp_path):
    """Ask for a report's file as a user does (the button's POST), let the job run, and
    return the response of its download: `export_file(client, node, fmt)`."""
    from django.http import HttpResponse
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path / "media"

    def fetch(client, node, fmt):
        with django_capture_on_commit_callbacks(execute=True):
            queued = client.post(reverse("reports:download", args=[node.pk, fmt]))
        if queued.status_code != 302:
            return queued
        job = client.get(queued.url)
        assert job.status_code == 200, job.status_code
        assert job.context["job"].state == "done", job.context["job"].error
        file = client.get(reverse("reports:export-file", args=[job.context["job"].pk]))
        # The file streams; the tests read it whole, headers and all.
        read = HttpResponse(b"".join(file.streaming_content), status=file.status_code)
        for header, value in file.items():
            read[header] = value
        return read

    return fetch


@pytest.fixture
def bloc(db):
    from tests.factories import BlocFactory

    return BlocFactory()


@pytest.fixture
def small_bloc(db):
    """A bloc with one đảng bộ cơ sở (a cell, a sub-committee with a cell) and a chi bộ cơ sở."""
    bloc = BlocFactory()
    unit = GrassrootsCommitteeFactory(parent=bloc)
    cell = CellFactory(parent=unit)
    sub = SubCommitteeFactory(parent=unit)
    sub_cell = CellFactory(parent=sub)
    cell_unit = GrassrootsCellFactory(parent=bloc)
    members = [MemberFactory(organization=cell) for _ in range(6)]
    members += [MemberFactory(organization=sub_cell) for _ in range(6)]
    direct = [MemberFactory(organization=cell_unit) for _ in range(3)]
    leader = members[0]
    leader.leadership_post = "Giám đốc Sở"
    leader.managing_level = ManagingLevel.PROVINCE
    leader.save()
    collective = LeadershipCollectiveFactory(organization=unit)
    return {
        "bloc": bloc,
        "unit": unit,
        "cell": cell,
        "sub": sub,
        "sub_cell": sub_cell,
        "cell_unit": cell_unit,
        "members": members,
        "direct": direct,
        "leader": leader,
        "collective": collective,
    }


@pytest.fixture
def board(small_bloc):
    """A Ban Tổ chức user over the small bloc."""
    user = UserFactory(username="bantochuc")
    RoleAssignmentFactory(user=user, organization=small_bloc["bloc"], role=Role.ORGANIZATION_BOARD)
    return user


@pytest.fixture
def clerk(small_bloc):
    """The clerk of the small bloc's đảng bộ cơ sở."""
    user = UserFactory(username="canbo")
    RoleAssignmentFactory(user=user, organization=small_bloc["unit"], role=Role.CLERK)
    return user


@pytest.fixture
def open_cycle(small_bloc):
    cycle = ReviewCycleFactory(
        organization=small_bloc["bloc"], reference_date=datetime.date(2021, 11, 15)
    )
    return cycle_change_status(cycle=cycle, status="open")


# --- The admin tests (tests/<app>/test_admin.py) ---------------------------------------------


@pytest.fixture
def tree(db):
    """A bloc with two grassroots committees, each with one cell (the admin tests' tree)."""
    bloc = BlocFactory()
    committee = GrassrootsCommitteeFactory(parent=bloc)
    other_committee = GrassrootsCommitteeFactory(parent=Organization.objects.get(pk=bloc.pk))
    cell = CellFactory(parent=committee)
    other_cell = CellFactory(parent=other_committee)
    return {
        "bloc": Organization.objects.get(pk=bloc.pk),
        "committee": Organization.objects.get(pk=committee.pk),
        "other_committee": Organization.objects.get(pk=other_committee.pk),
        "cell": Organization.objects.get(pk=cell.pk),
        "other_cell": Organization.objects.get(pk=other_cell.pk),
    }


@pytest.fixture
def tree_cycle(tree):
    """An open cycle of the `tree` bloc."""
    cycle = ReviewCycleFactory(organization=tree["bloc"])
    return cycle_change_status(cycle=cycle, status=CycleStatus.OPEN)


@pytest.fixture
def every_model(tree, admin_user, settings, tmp_path):
    """At least one row of every model the admin shows, made the way the application makes it."""
    settings.MEDIA_ROOT = tmp_path
    organization_create(
        parent=tree["committee"],
        kind=OrganizationKind.CELL,
        name="Chi bộ Văn phòng",
        code="CBVP",
        acting_user=admin_user,
    )
    member = member_create(
        organization=tree["cell"],
        full_name=MEMBER_NAME,
        gender="F",
        date_of_birth=datetime.date(1985, 4, 2),
        card_number="79001234",
        admitted_on=datetime.date(2012, 5, 19),
        official_on=datetime.date(2013, 5, 19),
    )
    disciplined = MemberFactory(organization=tree["other_cell"])
    # Through the service: the period and its history (a members.FactChange row).
    status_period_record(
        member=member,
        acting_user=admin_user,
        kind=StatusPeriod.Kind.SICK_LEAVE,
        starts_on=datetime.date(2021, 2, 1),
    )
    DisciplineRecordFactory(member=disciplined)
    collective = LeadershipCollectiveFactory(organization=tree["committee"])
    CollectiveMembershipFactory(collective=collective, member=member)
    RoleAssignmentFactory(organization=tree["bloc"], role=Role.VIEWER)
    Group.objects.create(name="Ban Tổ chức")

    cycle = cycle_change_status(
        cycle=ReviewCycleFactory(organization=tree["bloc"]),
        status=CycleStatus.OPEN,
        acting_user=admin_user,
    )
    rating = Rating.objects.get(cycle=cycle, member=member, subject_kind=SubjectKind.MEMBER)
    ratings_record(
        cycle=cycle,
        changes={rating.pk: {"self_level": Level.GOOD}},
        acting_user=admin_user,
    )
    # A task kept, corrected and its history (a reviews.TaskItemChange row).
    task = task_item_add(
        rating=rating, acting_user=admin_user, title="Tham mưu đề án", due_on=cycle.reference_date
    )
    task_item_update(item=task, acting_user=admin_user, evidence="Tờ trình số 12")
    collective_rating = Rating.objects.get(cycle=cycle, collective=collective)
    ratings_record(
        cycle=cycle,
        changes={collective_rating.pk: {"decision_level": Level.GOOD}},
        acting_user=admin_user,
    )
    pool_finalize(pool=collective_rating.pool, acting_user=admin_user)
    # The other unit decides, finalizes, attaches its dossier, sends it and has it returned.
    unit = tree["other_committee"]
    RoleAssignmentFactory(organization=unit, role=Role.CLERK)
    for pool in Pool.objects.filter(cycle=cycle, owner=unit):
        rated = Rating.objects.filter(pool=pool, not_rated_reason="")
        ratings_record(
            cycle=cycle,
            changes={r.pk: {"decision_level": Level.NOT_COMPLETED} for r in rated},
            acting_user=admin_user,
        )
        pool_finalize(pool=pool, acting_user=admin_user)
    submission = Submission.objects.get(cycle=cycle, organization=unit)
    for kind in REQUIRED_DOSSIER_KINDS:
        dossier_item_add(
            submission=submission,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 ...", "application/pdf"),
            acting_user=admin_user,
        )
    submission_change_state(
        submission=submission, state=SubmissionState.SUBMITTED, acting_user=admin_user
    )
    submission_change_state(
        submission=submission,
        state=SubmissionState.RETURNED,
        acting_user=admin_user,
        comment="Bổ sung biên bản hội nghị.",
    )
    suggestion_draft(
        cycle=cycle,
        collective=collective,
        title="Gợi ý kiểm điểm Ban Chấp hành",
        issues=["Chậm triển khai nghị quyết."],
        acting_user=admin_user,
    )
    guiding_document_publish(
        cycle=cycle,
        title="Công văn 897-CV/ĐUK",
        upload=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 ...", "application/pdf"),
        acting_user=admin_user,
    )
    question_ask(
        cycle=cycle, unit=unit, title="Nghỉ ốm dài ngày", text="Hỏi", acting_user=admin_user
    )
    ImportBatch.objects.create(
        kind="members", file_name="dang-vien.xlsx", sha256="0" * 64, uploaded_by=admin_user
    )
    # A member registered into the returned unit's finalized pool: flagged for its committee.
    member_create(
        organization=Rating.objects.filter(pool__owner=unit, member__isnull=False)
        .first()
        .member.organization,
        full_name="Lê Văn Đến",
        gender="M",
        date_of_birth=datetime.date(1985, 1, 1),
        admitted_on=datetime.date(2012, 1, 1),
        acting_user=admin_user,
    )
    return {"member": member, "cycle": cycle, "rating": rating}
