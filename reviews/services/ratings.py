"""The one write path for ratings: self-ratings, proposals, decisions, facts, overrides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import CollectiveMembership
from reviews.models import (
    Level,
    Pool,
    Rating,
    RatingChange,
    ReviewCycle,
    SubjectKind,
    Submission,
    SubmissionState,
)
from reviews.quota import pool_quota
from reviews.selectors import eligibilities

#: Fields a rating write may change, and how each shows in the history.
RATING_FIELDS = (
    "self_level",
    "proposal_level",
    "votes_for",
    "votes_against",
    "decision_level",
    "civil_service_level",
    "targets_under_half",
    "degradation_concluded",
    "collective_disciplined",
    "override_reason",
    "override_reference",
    "note",
)
LEVEL_FIELDS = ("self_level", "proposal_level", "decision_level")


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return str(value)


@transaction.atomic
def ratings_record(
    *,
    cycle: ReviewCycle,
    changes: Mapping[int, Mapping[str, Any]],
    acting_user: User | None,
    reason: str = "",
    expected_versions: Mapping[int, int] | None = None,
    allow_over_quota: bool = False,
) -> list[Rating]:
    """Write self-ratings, proposals, decisions and facts for many ratings at once.

    The one write path for ratings (screens, imports, the demo). Rules (HD 21, DOMAIN.md §4–5):
    a subject not rated takes no level; a decision outside what the rules allow needs an
    override with reason and decision reference; a finalized pool is read-only; a decision that
    raises the number of HTXSNV in a pool above its quota is refused. The pools are locked
    (in primary-key order) before anything is counted, so concurrent writers cannot both pass.

    The quota binds when the committee finalizes (DOMAIN.md §3: a cell may propose more, the
    committee cuts before finalizing): `allow_over_quota` lets a bulk "take the cells' proposals"
    leave the pool over quota, shown red, and `pool_finalize` refuses until it is cut. Lowering
    HTTNV decisions likewise may leave a pool over quota; only raising HTXSNV is refused here.

    Raises ValidationError with codes: unknown_field, stale_rating, not_rated_subject,
    pool_finalized, submission_locked, rule_violation, override_incomplete, quota_exceeded.
    """
    for fields in changes.values():
        unknown = set(fields) - set(RATING_FIELDS)
        if unknown:
            raise ValidationError(
                _("Không thể thay đổi: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
                code="unknown_field",
            )
    ratings = list(
        Rating.objects.filter(cycle=cycle, pk__in=list(changes)).select_related(
            "member", "organization", "collective", "pool"
        )
    )
    if len(ratings) != len(changes):
        raise ValidationError(_("Không tìm thấy kết quả xếp loại."), code="rating_not_found")
    pool_ids = sorted({rating.pool_id for rating in ratings})
    pools = {
        pool.pk: pool
        for pool in Pool.objects.select_for_update().filter(pk__in=pool_ids).order_by("pk")
    }
    # Re-read under the lock: what was read before it may be stale.
    locked = {
        rating.pk: rating
        for rating in Rating.objects.select_for_update(of=("self",))
        .filter(pk__in=list(changes))
        .select_related("member", "organization", "collective")
        .order_by("pk")
    }
    # A unit's own pools are read-only once its submission is sent or approved; only a
    # superuser may still correct them, and the history records it.
    if not getattr(acting_user, "is_superuser", False):
        locked_owners = set(
            Submission.objects.filter(
                cycle=cycle,
                organization_id__in={pool.owner_id for pool in pools.values()},
                state__in=[SubmissionState.SUBMITTED, SubmissionState.APPROVED],
            ).values_list("organization_id", flat=True)
        )
        if locked_owners:
            raise ValidationError(
                _("Báo cáo của đơn vị đã gửi hoặc đã được phê duyệt: kết quả chỉ xem."),
                code="submission_locked",
            )
    now = timezone.now()
    history: list[RatingChange] = []
    raised_excellent: set[int] = set()
    touched: list[Rating] = []
    dirty: dict[int, set[str]] = {}
    for rating_id, fields in changes.items():
        rating = locked[rating_id]
        rating.pool = pools[rating.pool_id]
        if expected_versions and expected_versions.get(rating_id, rating.version) != rating.version:
            raise ValidationError(
                _("Kết quả của %(subject)s vừa được người khác thay đổi; hãy tải lại trang.")
                % {"subject": rating.subject},
                code="stale_rating",
            )
        changed = {f: v for f, v in fields.items() if getattr(rating, f) != v}
        if not changed:
            continue
        if rating.pool.is_finalized and ({"decision_level", "override_reason"} & set(changed)):
            raise ValidationError(
                _("Kết quả của nhóm này đã chốt; cần mở lại trước khi sửa quyết định."),
                code="pool_finalized",
            )
        for field, value in changed.items():
            history.append(
                RatingChange(
                    rating=rating,
                    field=field,
                    old_value=_display(getattr(rating, field)),
                    new_value=_display(value),
                    reason=reason,
                    changed_by=acting_user,
                )
            )
            setattr(rating, field, value)
        dirty[rating.pk] = {*changed, "version"}
        if "decision_level" in changed:
            dirty[rating.pk] |= {"decided_at", "decided_by"}
            rating.decided_at = now if rating.decision_level else None
            rating.decided_by = acting_user if rating.decision_level else None
            if rating.decision_level == Level.EXCELLENT:
                raised_excellent.add(rating.pool_id)
        if "override_reason" in changed:
            dirty[rating.pk] |= {"override_at", "override_by"}
            rating.override_at = now if rating.override_reason else None
            rating.override_by = acting_user if rating.override_reason else None
        rating.version += 1
        touched.append(rating)

    for rating, verdict in zip(touched, eligibilities(touched, cycle=cycle), strict=True):
        # The rules, not the stored reason, are the authority: facts may have changed since.
        if rating.not_rated_reason != verdict.not_rated_reason:
            rating.not_rated_reason = verdict.not_rated_reason
            dirty[rating.pk].add("not_rated_reason")
        if not verdict.is_rated and any(getattr(rating, f) for f in LEVEL_FIELDS):
            raise ValidationError(
                _("%(subject)s không xếp loại (%(reason)s).")
                % {"subject": rating.subject, "reason": rating.get_not_rated_reason_display()},
                code="not_rated_subject",
            )
        if bool(rating.override_reason.strip()) != bool(rating.override_reference.strip()):
            raise ValidationError(
                _("Điều chỉnh ngoài quy định cần cả lý do và số văn bản."),
                code="override_incomplete",
            )
        if (
            rating.decision_level
            and not verdict.allows(rating.decision_level)
            and not rating.override_reason
        ):
            raise ValidationError(
                _('Quyết định "%(level)s" cho %(subject)s vượt quá mức quy định cho phép: %(why)s')
                % {
                    "level": rating.get_decision_level_display(),
                    "subject": rating.subject,
                    "why": " ".join(limit.message for limit in verdict.limits),
                },
                code="rule_violation",
            )

    # One UPDATE of the changed columns per rating: much cheaper than bulk_update's CASE/WHEN
    # over every column (measured 15.7 s → 5.0 s for the demo's 6,000 ratings).
    for rating in touched:
        Rating.objects.filter(pk=rating.pk).update(
            updated_at=now, **{name: getattr(rating, name) for name in dirty[rating.pk]}
        )
    RatingChange.objects.bulk_create(history, batch_size=1000)
    # After the write, so that a collective decided in the same call counts as decided.
    _check_order(cycle, [r for r in touched if r.subject_kind == SubjectKind.LEADER])
    for pool_id in [] if allow_over_quota else sorted(raised_excellent):
        status = pool_quota(pools[pool_id])
        if status.is_over:
            raise ValidationError(
                _(
                    "Vượt tỷ lệ cho phép: %(excellent)s “Hoàn thành xuất sắc nhiệm vụ” / tối đa "
                    "%(allowed)s (%(rate)s%% × %(basis)s “Hoàn thành tốt nhiệm vụ”)."
                ),
                code="quota_exceeded",
                params={
                    "excellent": status.excellent,
                    "allowed": status.allowed,
                    "rate": status.rate_percent,
                    "basis": status.basis,
                },
            )
    return touched


HEAD_POSITIONS = ("bí thư",)


def _settled_before(earlier: Rating | None, later: Rating) -> bool:
    """Whether `earlier` is far enough along for `later` to be decided.

    Decided by the same body: `earlier` must be decided first. Decided by another body (a
    grassroots unit's committee is rated by the bloc, its leaders by the unit): requiring that
    decision would block the unit until the bloc acts, so the collective's own review — its
    self-rating — must come first (interpretation of "kiểm điểm tập thể trước, cá nhân sau").
    """
    if earlier is None or not earlier.is_rated:
        return True
    if earlier.pool_id == later.pool_id or earlier.pool.owner_id == later.pool.owner_id:
        return bool(earlier.decision_level)
    return bool(earlier.decision_level or earlier.self_level)


def _check_order(cycle: ReviewCycle, leader_ratings: list[Rating]) -> None:
    """Order inside a cycle (DOMAIN.md §6): a leadership collective before its members, and a
    unit before its head (the secretary of its committee); see `_settled_before`.

    Raises ValidationError(code="order_collective_first" / "order_unit_first").
    """
    deciding = [r for r in leader_ratings if r.decision_level]
    if not deciding:
        return
    by_member = {r.member_id: r for r in deciding}
    seats = list(
        CollectiveMembership.objects.filter(
            member_id__in=list(by_member),
            starts_on__lte=cycle.reference_date,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=cycle.reference_date))
        .select_related("collective__organization", "member")
    )
    collective_ratings = {
        r.collective_id: r
        for r in Rating.objects.filter(
            cycle=cycle, collective_id__in=[seat.collective_id for seat in seats]
        ).select_related("pool")
    }
    unit_ratings = {
        r.organization_id: r
        for r in Rating.objects.filter(
            cycle=cycle, organization_id__in=[seat.collective.organization_id for seat in seats]
        ).select_related("pool")
    }
    for seat in seats:
        leader = by_member[seat.member_id]
        if not _settled_before(collective_ratings.get(seat.collective_id), leader):
            raise ValidationError(
                _("Cần xếp loại tập thể %(collective)s trước khi xếp loại %(member)s.")
                % {"collective": seat.collective, "member": seat.member},
                code="order_collective_first",
            )
        is_head = seat.position.strip().lower() in HEAD_POSITIONS
        unit_rating = unit_ratings.get(seat.collective.organization_id)
        if is_head and not _settled_before(unit_rating, leader):
            raise ValidationError(
                _("Cần xếp loại %(unit)s trước khi xếp loại người đứng đầu %(member)s.")
                % {"unit": seat.collective.organization, "member": seat.member},
                code="order_unit_first",
            )
