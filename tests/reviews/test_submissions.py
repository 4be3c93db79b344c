import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from organizations.models import Role
from reviews.models import (
    REQUIRED_DOSSIER_KINDS,
    Level,
    Notification,
    Rating,
    Submission,
    SubmissionState,
)
from reviews.services import (
    dossier_item_add,
    pool_finalize,
    pool_reopen,
    ratings_record,
    submission_change_state,
)
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def clerk(small_bloc):
    user = UserFactory(username="canbo", email="canbo@example.vn")
    RoleAssignmentFactory(user=user, organization=small_bloc["unit"], role=Role.CLERK)
    return user


@pytest.fixture
def board(small_bloc):
    user = UserFactory(username="btc")
    RoleAssignmentFactory(user=user, organization=small_bloc["bloc"], role=Role.ORGANIZATION_BOARD)
    return user


@pytest.fixture
def submission(open_cycle, small_bloc):
    return Submission.objects.get(cycle=open_cycle, organization=small_bloc["unit"])


def pdf(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete_unit(cycle, submission, clerk):
    """Decide, finalize every pool of the unit and attach the required dossier."""
    for pool in cycle.pools.filter(owner=submission.organization):
        ratings_record(
            cycle=cycle,
            changes={
                r.pk: {"decision_level": Level.GOOD}
                for r in pool.ratings.filter(not_rated_reason="")
            },
            acting_user=clerk,
        )
        pool_finalize(pool=pool, acting_user=clerk)
    for kind in REQUIRED_DOSSIER_KINDS:
        dossier_item_add(submission=submission, kind=kind, upload=pdf(), acting_user=clerk)


def test_submitting_an_incomplete_unit_lists_what_is_missing(submission, clerk):
    with pytest.raises(ValidationError) as error:
        submission_change_state(submission=submission, state="submitted", acting_user=clerk)
    codes = {e.code for e in error.value.error_list}
    assert codes == {"pool_not_finalized", "dossier_missing"}
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT


def test_full_flow_submit_return_resubmit_approve(
    open_cycle, submission, clerk, board, django_capture_on_commit_callbacks
):
    complete_unit(open_cycle, submission, clerk)
    submission_change_state(submission=submission, state="submitted", acting_user=clerk)
    with pytest.raises(ValidationError) as error:
        submission_change_state(submission=submission, state="returned", acting_user=board)
    assert error.value.code == "comment_required"
    with django_capture_on_commit_callbacks(execute=True):
        submission_change_state(
            submission=submission, state="returned", acting_user=board, comment="Thiếu chữ ký."
        )
    assert Notification.objects.filter(user=clerk, message__contains="Thiếu chữ ký").exists()
    with pytest.raises(ValidationError) as error:
        submission_change_state(submission=submission, state="submitted", acting_user=clerk)
    assert error.value.code == "resubmit_comment_required"
    submission_change_state(
        submission=submission, state="submitted", acting_user=clerk, comment="Đã bổ sung chữ ký."
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission_change_state(submission=submission, state="approved", acting_user=board)
    states = list(submission.transitions.order_by("pk").values_list("to_state", flat=True))
    assert states == ["submitted", "returned", "submitted", "approved"]
    assert len(mail.outbox) == 2  # returned, approved


def test_ratings_are_read_only_once_submitted(open_cycle, submission, clerk):
    complete_unit(open_cycle, submission, clerk)
    submission_change_state(submission=submission, state="submitted", acting_user=clerk)
    rating = Rating.objects.filter(pool__owner=submission.organization).first()
    with pytest.raises(ValidationError) as error:
        ratings_record(cycle=open_cycle, changes={rating.pk: {"note": "sửa"}}, acting_user=clerk)
    assert error.value.code == "submission_locked"


def test_late_submission_is_accepted_and_marked(open_cycle, submission, clerk):
    complete_unit(open_cycle, submission, clerk)
    late = datetime.datetime(2021, 11, 27, 9, 0, tzinfo=datetime.UTC)
    submission_change_state(submission=submission, state="submitted", acting_user=clerk, at=late)
    submission.refresh_from_db()
    assert submission.is_late


def test_transitions_outside_the_table_are_refused(submission, board):
    with pytest.raises(ValidationError) as error:
        submission_change_state(submission=submission, state="approved", acting_user=board)
    assert error.value.code == "transition_not_allowed"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", b"MZ\x90\x00", "invalid_extension"),
        ("fake.pdf", b"<html>not a pdf</html>", "content_mismatch"),
        ("empty.pdf", b"", "empty_file"),
    ],
)
def test_uploads_are_checked_by_content(submission, clerk, name, content, code):
    with pytest.raises(ValidationError) as error:
        dossier_item_add(
            submission=submission, kind="minutes", upload=pdf(name, content), acting_user=clerk
        )
    assert error.value.code == code


def test_dossier_downloads_only_inside_the_scope(
    client, submission, clerk, small_bloc, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = dossier_item_add(submission=submission, kind="minutes", upload=pdf(), acting_user=clerk)
    assert not item.file.name.endswith("bien-ban.pdf")  # generated name
    client.force_login(clerk)
    response = client.get(reverse("reviews:dossier-download", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    other = UserFactory(username="khac")
    RoleAssignmentFactory(user=other, organization=small_bloc["cell_unit"], role=Role.CLERK)
    client.force_login(other)
    assert client.get(reverse("reviews:dossier-download", args=[item.pk])).status_code == 404


def test_reminders_go_only_to_units_not_submitted(open_cycle, submission, clerk, small_bloc):
    other_clerk = UserFactory(username="canbo2", email="canbo2@example.vn")
    RoleAssignmentFactory(user=other_clerk, organization=small_bloc["cell_unit"], role=Role.CLERK)
    complete_unit(open_cycle, submission, clerk)
    submission_change_state(submission=submission, state="submitted", acting_user=clerk)
    mail.outbox.clear()
    call_command("send_reminders", "--cycle", "2021")
    assert [m.to for m in mail.outbox] == [["canbo2@example.vn"]]


def test_dashboard_shows_every_unit_to_the_board_only(client, open_cycle, board, clerk):
    client.force_login(board)
    response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 200
    assert response.context["total_units"] == 2
    client.force_login(clerk)
    assert client.get(reverse("reviews:dashboard")).status_code == 403


def test_dashboard_marks_units_overdue_after_the_deadline(client, open_cycle, board):
    client.force_login(board)
    response = client.get(reverse("reviews:dashboard"), {"qua_han": "1"})
    # the fixture's deadline is 25/11/2021: every unit still drafting is overdue now
    assert response.context["overdue_count"] == 2
    assert len(response.context["rows"]) == 2


ON_TIME = datetime.datetime(2021, 11, 20, 9, 0, tzinfo=datetime.UTC)
AFTER_DEADLINE = datetime.datetime(2021, 11, 28, 9, 0, tzinfo=datetime.UTC)


def test_a_unit_that_sent_on_time_is_never_overdue_nor_late(
    client, open_cycle, submission, clerk, board
):
    complete_unit(open_cycle, submission, clerk)
    submission_change_state(submission=submission, state="submitted", acting_user=clerk, at=ON_TIME)
    submission_change_state(
        submission=submission,
        state="returned",
        acting_user=board,
        comment="Bổ sung biên bản.",
        at=AFTER_DEADLINE,
    )
    client.force_login(board)
    response = client.get(reverse("reviews:dashboard"), {"qua_han": "1"})
    overdue = [row.unit for row in response.context["rows"]]
    assert submission.organization not in overdue
    submission = submission_change_state(
        submission=submission,
        state="submitted",
        acting_user=clerk,
        at=AFTER_DEADLINE + datetime.timedelta(days=1),
        comment="Đã bổ sung biên bản.",
    )
    assert not submission.is_late


def test_reopening_an_approved_report_is_recorded_as_reopened(open_cycle, submission, clerk, board):
    complete_unit(open_cycle, submission, clerk)
    submission_change_state(submission=submission, state="submitted", acting_user=clerk)
    submission_change_state(submission=submission, state="approved", acting_user=board)
    with pytest.raises(ValidationError) as error:
        submission_change_state(submission=submission, state="returned", acting_user=board)
    assert error.value.code == "transition_not_allowed"
    submission = submission_change_state(
        submission=submission,
        state=SubmissionState.REOPENED,
        acting_user=board,
        comment="Bổ sung quyết định kỷ luật.",
    )
    assert submission.state == SubmissionState.REOPENED
    assert submission.transitions.first().to_state == SubmissionState.REOPENED
    assert not submission.is_locked
    submission = submission_change_state(
        submission=submission, state="submitted", acting_user=clerk, comment="Đã sửa."
    )
    assert submission.state == SubmissionState.SUBMITTED


def test_a_clerk_cannot_reopen_or_finalize_the_pools_of_a_sent_unit(open_cycle, submission, clerk):
    complete_unit(open_cycle, submission, clerk)
    submission_change_state(submission=submission, state="submitted", acting_user=clerk)
    pool = open_cycle.pools.filter(owner=submission.organization).first()
    with pytest.raises(ValidationError) as error:
        pool_reopen(pool=pool, acting_user=clerk, reason="Sửa")
    assert error.value.code == "submission_locked"
    pool.refresh_from_db()
    assert pool.is_finalized


def _bring_to(submission, state, *, cycle, clerk, board):
    """Walk a complete unit's report to `state` along the transition table."""
    complete_unit(cycle, submission, clerk)
    steps = {
        "draft": [],
        "submitted": ["submitted"],
        "returned": ["submitted", "returned"],
        "approved": ["submitted", "approved"],
        "reopened": ["submitted", "approved", "reopened"],
    }[state]
    for step in steps:
        user = clerk if step == "submitted" else board
        submission = submission_change_state(
            submission=submission, state=step, acting_user=user, comment="Ý kiến."
        )
    return submission


@pytest.mark.parametrize(
    ("state", "locked"),
    [
        ("draft", False),
        ("submitted", True),
        ("returned", False),
        ("approved", True),
        ("reopened", False),
    ],
)
def test_a_units_pools_are_read_only_exactly_while_its_report_is_sent_or_approved(
    open_cycle, submission, clerk, board, state, locked
):
    submission = _bring_to(submission, state, cycle=open_cycle, clerk=clerk, board=board)
    assert submission.state == state
    pool = open_cycle.pools.filter(owner=submission.organization).first()
    if locked:
        with pytest.raises(ValidationError) as error:
            pool_reopen(pool=pool, acting_user=clerk, reason="Sửa")
        assert error.value.code == "submission_locked"
        pool.refresh_from_db()
        assert pool.is_finalized
    else:
        pool = pool_reopen(pool=pool, acting_user=clerk, reason="Sửa")
        assert not pool.is_finalized
    rating = pool.ratings.filter(not_rated_reason="").first()
    attempt = {"self_level": Level.COMPLETED}
    if locked:
        with pytest.raises(ValidationError) as error:
            ratings_record(cycle=open_cycle, changes={rating.pk: attempt}, acting_user=clerk)
        assert error.value.code == "submission_locked"
    else:
        ratings_record(cycle=open_cycle, changes={rating.pk: attempt}, acting_user=clerk)
        rating.refresh_from_db()
        assert rating.self_level == Level.COMPLETED


def test_dashboard_pages_its_units_and_counts_them_all(client, open_cycle, board, monkeypatch):
    from reviews.views import dashboard

    monkeypatch.setattr(dashboard, "UNITS_PER_PAGE", 1)
    client.force_login(board)
    first = client.get(reverse("reviews:dashboard"))
    units = first.context["total_units"]
    assert units >= 2
    assert len(first.context["rows"]) == 1
    assert first.context["page_obj"].paginator.num_pages == units
    second = client.get(reverse("reviews:dashboard"), {"page": 2, "sap_xep": "ten"})
    assert second.context["rows"][0].unit != first.context["rows"][0].unit
    assert "sap_xep=ten" in second.context["querystring"]
    assert second.context["total_units"] == units
