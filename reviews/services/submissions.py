"""Submissions of grassroots units to the Organization Board, and their dossier.

Letter 897-CV/ĐUK: every grassroots unit sends its report and dossier to the Ban Thường vụ, through
the Ban Tổ chức, before 25/11. A submission moves along SUBMISSION_TRANSITIONS; every move is
recorded with who, when and the comment; the unit's clerks are told of a return or an approval.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Role, RoleAssignment
from reviews.models import (
    SUBMISSION_TRANSITIONS,
    DossierItem,
    DossierKind,
    Pool,
    Submission,
    SubmissionState,
    SubmissionTransition,
)
from reviews.quota import quota_exceeded_error, quotas_by_pool
from reviews.rules import rule_set_for
from reviews.services.notifications import notify
from reviews.services.suggestions import unanswered_suggestions
from reviews.services.transitions import state_move
from reviews.services.uploads import check_upload


def submission_problems(submission: Submission) -> list[ValidationError]:
    """What stops a unit from submitting, each with its code (issue point 2).

    Every pool the unit decides is finalized within quota (finalizing already required every
    eligible subject decided and every hard rule kept or overridden); every issued suggestion
    addressed to the unit has its explanations; the required dossier items are attached.
    """
    problems: list[ValidationError] = []
    pools = list(
        Pool.objects.filter(cycle=submission.cycle, owner=submission.organization).select_related(
            "cycle", "owner"
        )
    )
    quotas = quotas_by_pool(pools)
    for pool in pools:
        if not pool.is_finalized:
            problems.append(
                ValidationError(
                    _("Chưa chốt kết quả xếp loại: %(pool)s.") % {"pool": pool.label},
                    code="pool_not_finalized",
                )
            )
        elif quotas[pool.pk].is_over:
            problems.append(quota_exceeded_error(quotas[pool.pk], pool=pool))
    problems.extend(
        ValidationError(
            _("Chưa giải trình đủ các vấn đề của gợi ý kiểm điểm %(number)s (%(target)s).")
            % {"number": suggestion.document_number, "target": suggestion.target},
            code="suggestion_unanswered",
        )
        for suggestion in unanswered_suggestions(
            cycle=submission.cycle, unit=submission.organization
        ).select_related("collective", "member")
    )
    present = set(submission.dossier_items.present().values_list("kind", flat=True))
    problems.extend(
        ValidationError(
            _("Thiếu tài liệu: %(kind)s.") % {"kind": DossierKind(kind).label},
            code="dossier_missing",
        )
        for kind in rule_set_for(submission.cycle.rule_set).required_dossier_kinds
        if kind not in present
    )
    return problems


def unit_clerks(submission: Submission) -> list[User]:
    return [
        assignment.user
        for assignment in RoleAssignment.objects.active()
        .filter(organization=submission.organization, role=Role.CLERK)
        .select_related("user")
    ]


@transaction.atomic
def submission_change_state(
    *,
    submission: Submission,
    state: str,
    acting_user: User | None,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> Submission:
    """Move a submission along SUBMISSION_TRANSITIONS and record who, when and why.

    Returning (or reopening an approved one) needs a comment, and so does sending again after
    it (what was fixed). Sending checks
    `submission_problems` and marks a submission after the deadline as late.
    Raises ValidationError: transition_not_allowed, comment_required,
    resubmit_comment_required, or the list of
    problems.
    """
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("cycle", "organization")
        .get(pk=submission.pk)
    )
    SUBMISSION_TRANSITIONS.check(submission.state, state)
    if state in (SubmissionState.RETURNED, SubmissionState.REOPENED) and not comment.strip():
        raise ValidationError(
            _("Trả lại hoặc mở lại báo cáo cần ghi ý kiến."), code="comment_required"
        )
    resending = submission.state in (SubmissionState.RETURNED, SubmissionState.REOPENED)
    if state == SubmissionState.SUBMITTED and resending and not comment.strip():
        raise ValidationError(
            _("Gửi lại báo cáo cần ghi rõ đã sửa, bổ sung những gì theo ý kiến của Ban Tổ chức."),
            code="resubmit_comment_required",
        )
    if state == SubmissionState.SUBMITTED:
        problems = submission_problems(submission)
        if problems:
            raise ValidationError(problems)
    at = at or timezone.now()
    if state == SubmissionState.SUBMITTED:
        submission.submitted_at = at
        # Late is judged by the first sending: a unit that sent on time and was asked to
        # correct is not late for resending after the deadline.
        submission.first_submitted_at = submission.first_submitted_at or at
        submission.is_late = (
            timezone.localdate(submission.first_submitted_at) > submission.cycle.deadline
        )
        submission.approved_at = None
    elif state == SubmissionState.APPROVED:
        submission.approved_at = at
    elif state in (SubmissionState.RETURNED, SubmissionState.REOPENED):
        submission.approved_at = None
    state_move(
        submission,
        machine=SUBMISSION_TRANSITIONS,
        to=state,
        acting_user=acting_user,
        reason=comment.strip(),
        at=at,
        also=("submitted_at", "first_submitted_at", "is_late", "approved_at"),
        record=SubmissionTransition,
    )
    link = reverse("reviews:submission", args=[submission.pk])
    if state == SubmissionState.RETURNED:
        notify(
            users=unit_clerks(submission),
            message=_("Báo cáo của %(unit)s bị trả lại: %(comment)s")
            % {"unit": submission.organization, "comment": comment.strip()},
            link=link,
            cycle=submission.cycle,
        )
    elif state == SubmissionState.REOPENED:
        notify(
            users=unit_clerks(submission),
            message=_("Báo cáo đã phê duyệt của %(unit)s được mở lại: %(comment)s")
            % {"unit": submission.organization, "comment": comment.strip()},
            link=link,
            cycle=submission.cycle,
        )
    elif state == SubmissionState.APPROVED:
        notify(
            users=unit_clerks(submission),
            message=_("Báo cáo của %(unit)s đã được phê duyệt.")
            % {"unit": submission.organization},
            link=link,
            cycle=submission.cycle,
        )
    return submission


@transaction.atomic
def dossier_item_add(
    *,
    submission: Submission,
    kind: str,
    upload: UploadedFile,
    acting_user: User | None,
    title: str = "",
) -> DossierItem:
    """Attach a file to a submission that is still being prepared.

    The file is checked by content (its first bytes must match its extension), by size
    (UPLOAD_MAX_BYTES) and stored under a generated name outside the static root.
    """
    # With its cycle: the file's path is named by the cycle's year (`dossier_upload_path`).
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=submission.pk)
    )
    if submission.is_locked:
        raise ValidationError(
            _("Báo cáo đã gửi hoặc đã phê duyệt: không thể thay đổi hồ sơ."),
            code="submission_locked",
        )
    if kind not in DossierKind.values:
        raise ValidationError(_("Loại tài liệu không hợp lệ."), code="invalid_kind")
    checked = check_upload(upload)
    item = DossierItem(
        submission=submission,
        kind=kind,
        title=title.strip()[:255],
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=acting_user,
    )
    item.file.save(checked.name, upload, save=False)
    item.save()
    return item


@transaction.atomic
def dossier_item_remove(*, item: DossierItem, acting_user: User | None) -> DossierItem:
    """Take an item out of the dossier; the record stays (who removed it, when)."""
    submission = Submission.objects.select_for_update(of=("self",)).get(pk=item.submission_id)
    if submission.is_locked:
        raise ValidationError(
            _("Báo cáo đã gửi hoặc đã phê duyệt: không thể thay đổi hồ sơ."),
            code="submission_locked",
        )
    item.removed_at = timezone.now()
    item.removed_by = acting_user
    item.save(update_fields=["removed_at", "removed_by"])
    return item
