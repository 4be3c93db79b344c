"""Writing a self-review in the browser (HD 43-HD/BTCTW, Mẫu 01/2A/2B/2C; HD 21-HD/BTCTW).

A form is opened once per rating, with the last review's shortcomings copied from the previous
cycle's form; it is saved as one types (each save names the version it was read at, so two tabs
never overwrite each other silently), finished by its author, and reopened to correct. Part B is
the rating's own self-scores and self-rating, written through `ratings_record`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.services import refuse_unknown_fields
from organizations.text import field_label, thousands_text
from reviews.models import (
    FORM_OF_FRAMEWORK,
    SECTION_FIELDS,
    SECTION_MAX_LENGTH,
    Rating,
    SelfReview,
    SelfReviewChange,
    SelfReviewForm,
    SubjectKind,
)
from reviews.permissions import unit_is_locked
from reviews.rules.peer_groups import framework_of

#: The rating field that names the subject, by kind (a leader's rating names the member).
SUBJECT_FIELDS = {
    SubjectKind.MEMBER: "member",
    SubjectKind.LEADER: "member",
    SubjectKind.ORGANIZATION: "organization",
    SubjectKind.COLLECTIVE: "collective",
}
SECTION_NAMES = tuple(field for field, _numeral in SECTION_FIELDS)
#: Sections a finished form cannot leave empty: what was achieved, what fell short, and how it
#: will be fixed (the other three are "nếu có" in the forms).
REQUIRED_SECTIONS = ("strengths", "shortcomings", "remedies")
#: One author's saves within this time are one entry of the form's history.
SAVES_MERGED_WITHIN = datetime.timedelta(minutes=10)


def form_for(rating: Rating) -> str:
    """The form the subject fills: a scored form of HD 43 by framework, else the unscored
    individual or collective form of the cycle's regime."""
    if rating.cycle.uses_scores:
        return FORM_OF_FRAMEWORK[
            framework_of(subject_kind=rating.subject_kind, subject=rating.subject)
        ]
    if rating.subject_kind in (SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE):
        return SelfReviewForm.UNSCORED_COLLECTIVE
    return SelfReviewForm.UNSCORED_INDIVIDUAL


def previous_self_review(rating: Rating) -> SelfReview | None:
    """The same subject's form in the latest earlier cycle, if one was written."""
    subject_field = SUBJECT_FIELDS[SubjectKind(rating.subject_kind)]
    return (
        SelfReview.objects.filter(
            **{f"rating__{subject_field}": getattr(rating, f"{subject_field}_id")},
            rating__subject_kind=rating.subject_kind,
            rating__cycle__year__lt=rating.cycle.year,
        )
        .order_by("-rating__cycle__year", "-pk")
        .first()
    )


def self_review_new(rating: Rating) -> SelfReview:
    """An unsaved form for the rating, with the last review's shortcomings (the previous
    cycle's section II) copied in, as what section III answers. Nothing is stored until the
    first save."""
    previous = previous_self_review(rating)
    last = previous.shortcomings if previous is not None else ""
    return SelfReview(
        rating=rating, form=form_for(rating), last_shortcomings=last, previous_shortcomings=last
    )


def self_review_open(*, rating: Rating, acting_user: User | None) -> SelfReview:
    """The rating's stored form, stored now (as `self_review_new` fills it) if it was not."""
    found = SelfReview.objects.filter(rating=rating).first()
    if found is not None:
        return found
    _refuse_unreviewed(rating)
    self_review = self_review_new(rating)
    self_review.updated_by = acting_user
    try:
        with transaction.atomic():
            self_review.save()
    except IntegrityError:  # opened at the same moment in another tab
        return SelfReview.objects.get(rating=rating)
    return self_review


def _refuse_unreviewed(rating: Rating) -> None:
    if not rating.is_reviewed:
        raise ValidationError(
            _("%(subject)s không kiểm điểm (%(reason)s): không viết bản kiểm điểm.")
            % {"subject": rating.subject, "reason": rating.get_not_rated_reason_display()},
            code="not_reviewed",
        )


def _refuse_unless_editable(self_review: SelfReview) -> None:
    rating = self_review.rating
    _refuse_unreviewed(rating)
    if not rating.cycle.is_open:
        raise ValidationError(
            _("Kỳ đánh giá không mở: không sửa được bản kiểm điểm."), code="cycle_not_open"
        )
    if unit_is_locked(rating):
        raise ValidationError(
            _("Báo cáo của đơn vị đã gửi hoặc đã được phê duyệt: không sửa được bản kiểm điểm."),
            code="submission_locked",
        )


def _clean_text(value: str) -> str:
    """Line ends as typed on any system, no trailing blanks; markup stays text (escaped when
    printed)."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _record(self_review: SelfReview, action: str, sections, acting_user: User | None, now) -> None:
    if action == SelfReviewChange.Action.SAVED:
        last = self_review.changes.order_by("-changed_at", "-pk").first()
        if (
            last is not None
            and last.action == SelfReviewChange.Action.SAVED
            and last.changed_by_id == getattr(acting_user, "pk", None)
            and now - last.changed_at <= SAVES_MERGED_WITHIN
        ):
            last.sections = [name for name in SECTION_NAMES if name in {*last.sections, *sections}]
            last.changed_at = now
            last.save(update_fields=["sections", "changed_at"])
            return
    SelfReviewChange.objects.create(
        self_review=self_review,
        action=action,
        sections=list(sections),
        changed_at=now,
        changed_by=acting_user,
    )


def _stamp(self_review: SelfReview, acting_user: User | None, at) -> None:
    self_review.version += 1
    self_review.updated_by = acting_user
    self_review.updated_at = at or timezone.now()


@transaction.atomic
def self_review_save(
    *,
    self_review: SelfReview,
    sections: Mapping[str, str],
    expected_version: int | None,
    acting_user: User | None,
    at: datetime.datetime | None = None,
) -> SelfReview:
    """Save part A's sections as typed (a draft; the form saves itself as one types).

    Raises ValidationError: unknown_field, cycle_not_open, submission_locked,
    self_review_finished (reopen first),
    stale_self_review (saved meanwhile elsewhere), section_too_long (with the limit).
    """
    refuse_unknown_fields(sections, SECTION_NAMES)
    self_review = (
        SelfReview.objects.select_for_update(of=("self",))
        .select_related("rating__cycle")
        .get(pk=self_review.pk)
    )
    _refuse_unless_editable(self_review)
    if self_review.is_finished:
        raise ValidationError(
            _("Bản kiểm điểm đã hoàn thành; mở lại để sửa."), code="self_review_finished"
        )
    cleaned = {name: _clean_text(value) for name, value in sections.items()}
    changed = [
        name
        for name in SECTION_NAMES
        if name in cleaned and cleaned[name] != getattr(self_review, name)
    ]
    if not changed:
        return self_review  # the same text again (a second tab, a repeated save): nothing lost
    if expected_version is not None and expected_version != self_review.version:
        raise ValidationError(
            _(
                "Bản kiểm điểm vừa được lưu ở nơi khác (lúc %(time)s). Tải lại trang để xem "
                "bản mới nhất trước khi sửa tiếp."
            )
            % {"time": timezone.localtime(self_review.updated_at).strftime("%H:%M %d/%m/%Y")},
            code="stale_self_review",
        )
    too_long = {
        name: len(cleaned[name]) for name in changed if len(cleaned[name]) > SECTION_MAX_LENGTH
    }
    if too_long:
        raise ValidationError(
            {
                name: ValidationError(
                    _(
                        "Mục %(section)s dài %(length)s ký tự, vượt giới hạn %(limit)s ký tự "
                        "của một mục trong bản kiểm điểm."
                    ),
                    code="section_too_long",
                    params={
                        "section": dict(SECTION_FIELDS)[name],
                        "length": thousands_text(length),
                        "limit": thousands_text(SECTION_MAX_LENGTH),
                    },
                )
                for name, length in too_long.items()
            }
        )
    for name in changed:
        setattr(self_review, name, cleaned[name])
    _stamp(self_review, acting_user, at)
    self_review.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    _record(
        self_review, SelfReviewChange.Action.SAVED, changed, acting_user, self_review.updated_at
    )
    return self_review


@transaction.atomic
def self_review_finish(
    *, self_review: SelfReview, acting_user: User | None, at: datetime.datetime | None = None
) -> SelfReview:
    """The author marks the form finished: it goes into the unit's dossier and is no longer a
    draft. Raises ValidationError: cycle_not_open, self_review_incomplete (naming the empty
    sections), self_review_finished."""
    self_review = (
        SelfReview.objects.select_for_update(of=("self",))
        .select_related("rating__cycle")
        .get(pk=self_review.pk)
    )
    _refuse_unless_editable(self_review)
    if self_review.is_finished:
        raise ValidationError(_("Bản kiểm điểm đã hoàn thành."), code="self_review_finished")
    missing = [name for name in REQUIRED_SECTIONS if not getattr(self_review, name)]
    if missing:
        labels = ", ".join(
            f"{numeral}. {field_label(SelfReview, name)}"
            for name, numeral in SECTION_FIELDS
            if name in missing
        )
        raise ValidationError(
            _("Chưa viết: %(sections)s.") % {"sections": labels}, code="self_review_incomplete"
        )
    _stamp(self_review, acting_user, at)
    self_review.finished_at = self_review.updated_at
    self_review.save(update_fields=["finished_at", "version", "updated_by", "updated_at"])
    _record(self_review, SelfReviewChange.Action.FINISHED, (), acting_user, self_review.updated_at)
    return self_review


@transaction.atomic
def self_review_reopen(
    *, self_review: SelfReview, acting_user: User | None, at: datetime.datetime | None = None
) -> SelfReview:
    """Back to a draft, to correct a finished form while the cycle is open."""
    self_review = (
        SelfReview.objects.select_for_update(of=("self",))
        .select_related("rating__cycle")
        .get(pk=self_review.pk)
    )
    _refuse_unless_editable(self_review)
    if not self_review.is_finished:
        return self_review
    self_review.finished_at = None
    _stamp(self_review, acting_user, at)
    self_review.save(update_fields=["finished_at", "version", "updated_by", "updated_at"])
    _record(self_review, SelfReviewChange.Action.REOPENED, (), acting_user, self_review.updated_at)
    return self_review
