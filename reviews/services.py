"""Writes to cycles, pools, ratings and submissions. Every change leaves a record."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import LeadershipCollective, Member
from organizations.models import GRASSROOTS_KINDS, ROOT_KINDS, Organization, OrganizationKind
from reviews.models import (
    CYCLE_TRANSITIONS,
    SUBMISSION_TRANSITIONS,
    CycleStatus,
    CycleTransition,
    Level,
    Pool,
    PoolState,
    PoolTransition,
    Rating,
    RatingChange,
    ReviewCycle,
    SubjectKind,
    Submission,
    SubmissionState,
    SubmissionTransition,
)
from reviews.quota import pool_quota
from reviews.selectors import Hierarchy, eligibilities

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


def cycle_create(
    *,
    organization: Organization,
    year: int,
    title: str,
    rule_set: str,
    deadline: datetime.date,
    reference_date: datetime.date,
    acting_user: User | None = None,
    **settings: Any,
) -> ReviewCycle:
    """Create a bloc's cycle in draft; its quota settings stay with it (DOMAIN.md §3)."""
    if organization.kind not in ROOT_KINDS:
        raise ValidationError(_("Kỳ đánh giá do Đảng bộ Khối tổ chức."), code="cycle_needs_bloc")
    cycle = ReviewCycle(
        organization=organization,
        year=year,
        title=title,
        rule_set=rule_set,
        deadline=deadline,
        reference_date=reference_date,
        **settings,
    )
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def cycle_change_status(
    *,
    cycle: ReviewCycle,
    status: str,
    acting_user: User | None = None,
    reason: str = "",
) -> ReviewCycle:
    """Move a cycle along its transition table (draft → open → closed, closed → open)."""
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    if status not in CYCLE_TRANSITIONS[cycle.status]:
        raise ValidationError(
            _('Không thể chuyển kỳ từ "%(old)s" sang "%(new)s".')
            % {"old": cycle.get_status_display(), "new": CycleStatus(status).label},
            code="cycle_transition_not_allowed",
        )
    if cycle.status == CycleStatus.CLOSED and not reason.strip():
        raise ValidationError(_("Mở lại kỳ đánh giá cần nêu lý do."), code="reason_required")
    old = cycle.status
    cycle.status = status
    cycle.save(update_fields=["status"])
    CycleTransition.objects.create(
        cycle=cycle, from_status=old, to_status=status, changed_by=acting_user, reason=reason
    )
    if status == CycleStatus.OPEN:
        cycle_prepare(cycle=cycle)
    return cycle


@transaction.atomic
def cycle_prepare(*, cycle: ReviewCycle) -> int:
    """Create the pools and the rating record of every subject of the cycle that lacks one.

    Pools are derived from the hierarchy (DOMAIN.md §6, §12); not-rated reasons come from the
    cycle's rule set (§4). Idempotent: returns the number of ratings created.
    """
    hierarchy = Hierarchy(cycle.organization)
    reference = cycle.reference_date
    active = [node for node in hierarchy.nodes if node.is_active_on(reference)]
    pools: dict[tuple[int, str], Pool] = {
        (pool.owner_id, pool.subject_kind): pool for pool in Pool.objects.filter(cycle=cycle)
    }
    wanted: list[tuple[str, Any]] = []
    members = Member.objects.filter(organization__in=[n.pk for n in active]).on_roll(reference)
    wanted += [(SubjectKind.MEMBER, member) for member in members]
    wanted += [(SubjectKind.LEADER, member) for member in members if member.is_leader]
    wanted += [
        (SubjectKind.ORGANIZATION, node) for node in active if node.kind != OrganizationKind.BLOC
    ]
    collectives = LeadershipCollective.objects.filter(
        organization__in=[n.pk for n in active]
    ).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=reference))
    wanted += [(SubjectKind.COLLECTIVE, collective) for collective in collectives]

    existing = set(
        Rating.objects.filter(cycle=cycle).values_list(
            "subject_kind", "member_id", "organization_id", "collective_id"
        )
    )
    new_ratings = []
    for kind, subject in wanted:
        key = (
            kind,
            subject.pk if kind in (SubjectKind.MEMBER, SubjectKind.LEADER) else None,
            subject.pk if kind == SubjectKind.ORGANIZATION else None,
            subject.pk if kind == SubjectKind.COLLECTIVE else None,
        )
        if key in existing:
            continue
        owner = hierarchy.deciding_body(subject_kind=kind, subject=subject)
        pool = pools.get((owner.pk, kind))
        if pool is None:
            pool = Pool.objects.create(cycle=cycle, owner=owner, subject_kind=kind)
            pools[(owner.pk, kind)] = pool
        new_ratings.append(
            Rating(
                cycle=cycle,
                pool=pool,
                subject_kind=kind,
                member=subject if kind in (SubjectKind.MEMBER, SubjectKind.LEADER) else None,
                organization=subject if kind == SubjectKind.ORGANIZATION else None,
                collective=subject if kind == SubjectKind.COLLECTIVE else None,
            )
        )
    for rating, verdict in zip(new_ratings, eligibilities(new_ratings, cycle=cycle), strict=True):
        rating.not_rated_reason = verdict.not_rated_reason
    Rating.objects.bulk_create(new_ratings, batch_size=1000)
    for unit in (node for node in active if node.kind in GRASSROOTS_KINDS):
        Submission.objects.get_or_create(cycle=cycle, organization=unit)
    return len(new_ratings)


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
) -> list[Rating]:
    """Write self-ratings, proposals, decisions and facts for many ratings at once.

    The one write path for ratings (screens, imports, the demo). Rules (HD 21, DOMAIN.md §4–5):
    a subject not rated takes no level; a decision outside what the rules allow needs an
    override with reason and decision reference; a finalized pool is read-only; a decision that
    raises the number of HTXSNV in a pool above its quota is refused. The pools are locked
    (in primary-key order) before anything is counted, so concurrent writers cannot both pass.

    Raises ValidationError with codes: unknown_field, stale_rating, not_rated_subject,
    pool_finalized, rule_violation, override_incomplete, quota_exceeded.
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
    now = timezone.now()
    history: list[RatingChange] = []
    raised_excellent: set[int] = set()
    touched: list[Rating] = []
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
        if "decision_level" in changed:
            rating.decided_at = now if rating.decision_level else None
            rating.decided_by = acting_user if rating.decision_level else None
            if rating.decision_level == Level.EXCELLENT:
                raised_excellent.add(rating.pool_id)
        if "override_reason" in changed:
            rating.override_at = now if rating.override_reason else None
            rating.override_by = acting_user if rating.override_reason else None
        rating.version += 1
        touched.append(rating)

    for rating, verdict in zip(touched, eligibilities(touched, cycle=cycle), strict=True):
        # The rules, not the stored reason, are the authority: facts may have changed since.
        rating.not_rated_reason = verdict.not_rated_reason
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

    Rating.objects.bulk_update(
        touched,
        [
            *RATING_FIELDS,
            "decided_at",
            "decided_by",
            "override_at",
            "override_by",
            "version",
            "updated_at",
        ],
        batch_size=500,
    )
    RatingChange.objects.bulk_create(history, batch_size=1000)
    for pool_id in sorted(raised_excellent):
        status = pool_quota(pools[pool_id])
        if status.is_over:
            raise ValidationError(
                _(
                    'Vượt tỷ lệ cho phép: %(excellent)s "Hoàn thành xuất sắc nhiệm vụ" / tối đa '
                    '%(allowed)s (%(rate)s%% × %(basis)s "Hoàn thành tốt nhiệm vụ").'
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

    Returning and reopening need a comment. A submission after the deadline is marked late.
    """
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=submission.pk)
    )
    if state not in SUBMISSION_TRANSITIONS[submission.state]:
        raise ValidationError(
            _('Không thể chuyển báo cáo từ "%(old)s" sang "%(new)s".')
            % {"old": submission.get_state_display(), "new": SubmissionState(state).label},
            code="submission_transition_not_allowed",
        )
    if state == SubmissionState.RETURNED and not comment.strip():
        raise ValidationError(_("Trả lại báo cáo cần ghi ý kiến."), code="comment_required")
    at = at or timezone.now()
    old = submission.state
    submission.state = state
    if state == SubmissionState.SUBMITTED:
        submission.submitted_at = at
        submission.is_late = timezone.localdate(at) > submission.cycle.deadline
        submission.approved_at = None
    elif state == SubmissionState.APPROVED:
        submission.approved_at = at
    elif state == SubmissionState.RETURNED:
        submission.approved_at = None
    submission.save()
    SubmissionTransition.objects.create(
        submission=submission,
        from_state=old,
        to_state=state,
        changed_at=at,
        changed_by=acting_user,
        comment=comment,
    )
    return submission


def pool_problems(pool: Pool) -> list[ValidationError]:
    """Everything that stops a pool from being finalized, each with its code (HD 21; §3, §5).

    Over quota; a rated subject with no decision; a decision the rules do not allow and no
    override records; an organization decided HTXSNV whose own members or subordinate
    organizations do not meet the conditions for it.
    """
    problems: list[ValidationError] = []
    cycle = pool.cycle
    status = pool_quota(pool)
    if status.is_over:
        problems.append(
            ValidationError(
                _(
                    'Vượt tỷ lệ cho phép: %(excellent)s "Hoàn thành xuất sắc nhiệm vụ" / tối đa '
                    '%(allowed)s (%(rate)s%% × %(basis)s "Hoàn thành tốt nhiệm vụ").'
                )
                % {
                    "excellent": status.excellent,
                    "allowed": status.allowed,
                    "rate": status.rate_percent,
                    "basis": status.basis,
                },
                code="quota_exceeded",
            )
        )
    ratings = list(
        Rating.objects.filter(pool=pool).select_related("member", "organization", "collective")
    )
    undecided = [r for r in ratings if not r.not_rated_reason and not r.decision_level]
    if undecided:
        names = ", ".join(str(r.subject) for r in undecided[:5])
        more = len(undecided) - 5
        problems.append(
            ValidationError(
                _("%(count)s đối tượng chưa có quyết định xếp loại: %(names)s%(more)s.")
                % {
                    "count": len(undecided),
                    "names": names,
                    "more": _(" và %(n)s người khác") % {"n": more} if more > 0 else "",
                },
                code="undecided",
            )
        )
    for rating, verdict in zip(ratings, eligibilities(ratings, cycle=cycle), strict=True):
        if verdict.not_rated_reason != rating.not_rated_reason:
            problems.append(
                ValidationError(
                    _("Điều kiện xếp loại của %(subject)s đã thay đổi; hãy xem lại.")
                    % {"subject": rating.subject},
                    code="eligibility_changed",
                )
            )
        elif (
            rating.decision_level
            and not verdict.allows(rating.decision_level)
            and not rating.has_override
        ):
            problems.append(
                ValidationError(
                    _("Quyết định cho %(subject)s vượt mức quy định: %(why)s")
                    % {
                        "subject": rating.subject,
                        "why": " ".join(limit.message for limit in verdict.limits),
                    },
                    code="rule_violation",
                )
            )
    if pool.subject_kind == SubjectKind.ORGANIZATION:
        problems += _organization_excellence_problems(pool, ratings)
    return problems


def _organization_excellence_problems(pool: Pool, ratings: list[Rating]) -> list[ValidationError]:
    """HD 21: a chi bộ is HTXSNV only if 100% of its rated members are HTNV or better and at
    least 80% HTTNV or better; a đảng bộ likewise over its subordinate organizations."""
    from reviews.rules import rule_set_for

    rules = rule_set_for(pool.cycle.rule_set)
    problems = []
    for rating in ratings:
        organization = rating.organization
        if rating.decision_level != Level.EXCELLENT or organization is None:
            continue
        if rating.has_override:
            continue
        if organization.holds_members:
            below = Rating.objects.filter(
                cycle=pool.cycle,
                subject_kind=SubjectKind.MEMBER,
                member__organization=organization,
                not_rated_reason="",
            )
        else:
            below = Rating.objects.filter(
                cycle=pool.cycle,
                subject_kind=SubjectKind.ORGANIZATION,
                organization__path__startswith=organization.path,
                organization__depth=organization.depth + 1,
                not_rated_reason="",
            )
        levels = list(below.values_list("decision_level", flat=True))
        completed = sum(
            1 for level in levels if level in (Level.EXCELLENT, Level.GOOD, Level.COMPLETED)
        )
        good = sum(1 for level in levels if level in (Level.EXCELLENT, Level.GOOD))
        if not rules.organization_may_be_excellent(
            rated=len(levels), completed_or_better=completed, good_or_better=good
        ):
            problems.append(
                ValidationError(
                    _(
                        '%(organization)s chưa đủ điều kiện "Hoàn thành xuất sắc nhiệm vụ": cần '
                        '100%% đối tượng được xếp loại từ "Hoàn thành nhiệm vụ" trở lên và ít nhất '
                        '80%% từ "Hoàn thành tốt nhiệm vụ" trở lên (hiện %(good)s/%(rated)s tốt '
                        "trở lên, %(completed)s/%(rated)s hoàn thành trở lên; HD 21-HD/BTCTW)."
                    )
                    % {
                        "organization": organization,
                        "good": good,
                        "completed": completed,
                        "rated": len(levels),
                    },
                    code="organization_not_eligible_for_excellent",
                )
            )
    return problems


@transaction.atomic
def pool_finalize(*, pool: Pool, acting_user: User | None) -> Pool:
    """The committee approves its results ("Chốt kết quả"); refused, listing every problem,
    while `pool_problems` finds any. The pool row is locked first, so no decision can slip in
    between the check and the write."""
    pool = Pool.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=pool.pk)
    if pool.is_finalized:
        return pool
    problems = pool_problems(pool)
    if problems:
        raise ValidationError(problems)
    pool.state = PoolState.FINALIZED
    pool.finalized_at = timezone.now()
    pool.finalized_by = acting_user
    pool.save(update_fields=["state", "finalized_at", "finalized_by"])
    PoolTransition.objects.create(
        pool=pool, from_state=PoolState.OPEN, to_state=PoolState.FINALIZED, changed_by=acting_user
    )
    return pool


@transaction.atomic
def pool_reopen(*, pool: Pool, acting_user: User | None, reason: str) -> Pool:
    """Reopen a finalized pool ("Mở lại"), with a reason kept in its history."""
    if not reason.strip():
        raise ValidationError(_("Mở lại kết quả cần nêu lý do."), code="reason_required")
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    if not pool.is_finalized:
        return pool
    pool.state = PoolState.OPEN
    pool.finalized_at = None
    pool.finalized_by = None
    pool.save(update_fields=["state", "finalized_at", "finalized_by"])
    PoolTransition.objects.create(
        pool=pool,
        from_state=PoolState.FINALIZED,
        to_state=PoolState.OPEN,
        changed_by=acting_user,
        reason=reason.strip(),
    )
    return pool
