"""Quarterly evaluation (QĐ 366-QĐ/TW; KL 198-KL/TW; DOMAIN.md §14): each of Q1–Q3 the person
self-assesses (Mẫu 05) and whoever manages him directly assesses; the year-end review reads them
(`reviews.rules.quarters`)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.text import thousands_text
from reviews.models import (
    QUARTER_TEXT_MAX_LENGTH,
    QUARTERS,
    Level,
    QuarterAssessment,
    Rating,
)
from reviews.selectors.quarters import INDIVIDUAL_KINDS


def _refuse_unless_open(rating: Rating, quarter: int) -> None:
    if quarter not in QUARTERS:
        raise ValidationError(
            _("Chỉ đánh giá quý I, II, III; quý IV gộp vào kiểm điểm cuối năm."),
            code="quarter_invalid",
        )
    if rating.subject_kind not in INDIVIDUAL_KINDS or not rating.is_reviewed:
        raise ValidationError(
            _("Chỉ cá nhân được kiểm điểm mới đánh giá hằng quý."), code="quarter_not_individual"
        )
    if not rating.cycle.is_open:
        raise ValidationError(
            _("Kỳ đánh giá không mở: không ghi được đánh giá quý."), code="cycle_not_open"
        )


def _locked(rating: Rating, quarter: int, acting_user: User | None) -> QuarterAssessment:
    """The quarter's row, created on first write, locked for this transaction."""
    try:
        with transaction.atomic():
            QuarterAssessment.objects.get_or_create(
                rating=rating, quarter=quarter, defaults={"updated_by": acting_user}
            )
    except IntegrityError:  # created at the same moment elsewhere
        pass
    return QuarterAssessment.objects.select_for_update(of=("self",)).get(
        rating=rating, quarter=quarter
    )


def _check_version(row: QuarterAssessment, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != row.version:
        raise ValidationError(
            _("Đánh giá quý vừa được sửa ở nơi khác. Tải lại trang trước khi sửa tiếp."),
            code="stale_quarter",
        )


def _level(value: str, *, required: bool) -> str:
    if value and value not in Level.values:
        raise ValidationError(_("Mức xếp loại không hợp lệ."), code="level_invalid")
    if required and not value:
        raise ValidationError(_("Cần chọn mức xếp loại."), code="level_required")
    return value


@transaction.atomic
def quarter_self_assess(
    *,
    rating: Rating,
    quarter: int,
    tasks: str,
    results: str,
    self_level: str,
    acting_user: User | None,
    expected_version: int | None = None,
    at=None,
) -> QuarterAssessment:
    """The person's own assessment of a quarter (Mẫu 05): tasks, results, proposed level.

    Raises ValidationError: quarter_invalid, quarter_not_individual, cycle_not_open,
    stale_quarter, quarter_text_too_long, level_invalid, quarter_assessed (after the manager's
    assessment the self-assessment stands as it was assessed).
    """
    _refuse_unless_open(rating, quarter)
    row = _locked(rating, quarter, acting_user)
    _check_version(row, expected_version)
    if row.manager_level:
        raise ValidationError(
            _("Quý đã được cấp quản lý đánh giá: không sửa được phần tự đánh giá."),
            code="quarter_assessed",
        )
    texts = {
        "tasks": tasks.replace("\r\n", "\n").strip(),
        "results": results.replace("\r\n", "\n").strip(),
    }
    for text in texts.values():
        if len(text) > QUARTER_TEXT_MAX_LENGTH:
            raise ValidationError(
                _("Nội dung dài %(length)s ký tự, vượt giới hạn %(limit)s ký tự.")
                % {
                    "length": thousands_text(len(text)),
                    "limit": thousands_text(QUARTER_TEXT_MAX_LENGTH),
                },
                code="quarter_text_too_long",
            )
    row.tasks, row.results = texts["tasks"], texts["results"]
    row.self_level = _level(self_level, required=False)
    now = at or timezone.now()  # an import or the demo gives the time it happened
    if row.self_level and row.self_submitted_at is None:
        row.self_submitted_at = now
    row.version += 1
    row.updated_at, row.updated_by = now, acting_user
    row.save()
    return row


@transaction.atomic
def quarter_assess(
    *,
    rating: Rating,
    quarter: int,
    level: str,
    comment: str,
    acting_user: User | None,
    expected_version: int | None = None,
    at=None,
) -> QuarterAssessment:
    """Whoever manages the person directly assesses the quarter: a level and a comment; an
    empty level withdraws the assessment (so the self-assessment may be corrected).

    Raises ValidationError: quarter_invalid, quarter_not_individual, cycle_not_open,
    stale_quarter, level_invalid, comment_too_long.
    """
    _refuse_unless_open(rating, quarter)
    row = _locked(rating, quarter, acting_user)
    _check_version(row, expected_version)
    comment = comment.replace("\r\n", "\n").strip()
    if len(comment) > 4000:
        raise ValidationError(
            _("Nhận xét dài quá %(limit)s ký tự.") % {"limit": "4.000"}, code="comment_too_long"
        )
    row.manager_level = _level(level, required=False)
    row.manager_comment = comment
    now = at or timezone.now()  # an import or the demo gives the time it happened
    row.assessed_at = now if row.manager_level else None
    row.assessed_by = acting_user if row.manager_level else None
    row.version += 1
    row.updated_at, row.updated_by = now, acting_user
    row.save()
    return row
