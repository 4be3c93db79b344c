"""Review cycles: creation, status transitions, and preparing pools and ratings."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from members.models import LeadershipCollective, Member
from organizations.models import GRASSROOTS_KINDS, ROOT_KINDS, Organization, OrganizationKind
from reviews.models import (
    CYCLE_TRANSITIONS,
    CycleStatus,
    CycleTransition,
    Pool,
    Rating,
    ReviewCycle,
    SubjectKind,
    Submission,
)
from reviews.selectors import Hierarchy, eligibilities


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
