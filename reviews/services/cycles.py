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
from organizations.rows import rows_insert
from organizations.text import field_label
from reviews.models import (
    CYCLE_SETTING_FIELDS,
    CYCLE_TRANSITIONS,
    CycleChange,
    CycleStatus,
    CycleTransition,
    Pool,
    Rating,
    ReviewCycle,
    SubjectKind,
    Submission,
    unit_id_of,
)
from reviews.rules import rule_set_for, rule_set_for_year
from reviews.rules.peer_groups import default_peer_group
from reviews.selectors import Hierarchy, eligibilities
from reviews.services.scores import criteria_copy_template
from reviews.services.transitions import state_move

#: What an open cycle may no longer change: the rules its decisions were made under.
CYCLE_RULE_FIELDS = tuple(
    field
    for field in ("rule_set", "reference_date", *CYCLE_SETTING_FIELDS)
    if field not in ("finish_by", "special_finish_by")
)


def cycle_create(
    *,
    organization: Organization,
    year: int,
    title: str,
    rule_set: str = "",
    deadline: datetime.date | None = None,
    reference_date: datetime.date | None = None,
    acting_user: User | None = None,
    **settings: Any,
) -> ReviewCycle:
    """Create a bloc's cycle in draft under a regime (by default the one in force for the year).

    The regime's defaults (quota, exception ceiling, score bands, deadlines) are copied into the
    cycle, then the given settings override them: the cycle keeps what it ran under, whatever
    later becomes of the rule set's code (issue #13, point 1; DOMAIN.md §3, §10).
    """
    if organization.kind not in ROOT_KINDS:
        raise ValidationError(_("Kỳ đánh giá do Đảng bộ Khối tổ chức."), code="cycle_needs_bloc")
    rule_set = rule_set or rule_set_for_year(year)
    values = {**rule_set_for(rule_set).defaults(year), **settings}
    if deadline is not None:
        values["deadline"] = deadline
    if reference_date is not None:
        values["reference_date"] = reference_date
    if values.get("deadline") is None:
        raise ValidationError(
            {
                "deadline": ValidationError(
                    _("Bộ quy định này không có hạn nộp mặc định: cần nhập hạn nộp."),
                    code="deadline_required",
                )
            }
        )
    cycle = ReviewCycle(
        organization=organization, year=year, title=title, rule_set=rule_set, **values
    )
    cycle.full_clean()
    cycle.save()
    return cycle


@transaction.atomic
def cycle_update(*, cycle: ReviewCycle, acting_user: User | None, **changes: Any) -> ReviewCycle:
    """Edit a cycle's title, deadlines or (in draft) its settings, with a history row.

    Once a cycle is open its rule settings are fixed: what was decided under them stays
    explainable (issue #13, point 1).
    """
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    fixed = set(CYCLE_RULE_FIELDS) if cycle.status != CycleStatus.DRAFT else set()
    refused = sorted(field for field in changes if field in fixed)
    if refused:
        raise ValidationError(
            _("Kỳ đã mở: không thể sửa quy định áp dụng (%(fields)s).")
            % {"fields": ", ".join(field_label(ReviewCycle, name) for name in refused)},
            code="cycle_rules_fixed",
        )
    old, new = {}, {}
    for field, value in changes.items():
        if getattr(cycle, field) != value:
            old[field] = _json_value(getattr(cycle, field))
            new[field] = _json_value(value)
            setattr(cycle, field, value)
    if not new:
        return cycle
    cycle.full_clean()
    cycle.save(update_fields=list(new))
    CycleChange.objects.create(cycle=cycle, changed_by=acting_user, old_values=old, new_values=new)
    return cycle


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


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
    CYCLE_TRANSITIONS.check(cycle.status, status)
    if cycle.status == CycleStatus.CLOSED and not reason.strip():
        raise ValidationError(_("Mở lại kỳ đánh giá cần nêu lý do."), code="reason_required")
    state_move(
        cycle,
        machine=CYCLE_TRANSITIONS,
        to=status,
        acting_user=acting_user,
        reason=reason.strip(),
        record=CycleTransition,
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
    rules = rule_set_for(cycle.rule_set)
    pools: dict[tuple[int, str, str], Pool] = {
        (pool.owner_id, pool.subject_kind, pool.peer_group): pool
        for pool in Pool.objects.filter(cycle=cycle).order_by()
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
        Rating.objects.filter(cycle=cycle)
        .order_by()
        .values_list("subject_kind", "member_id", "organization_id", "collective_id")
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
        group, group_name = default_peer_group(
            uses_peer_groups=rules.uses_peer_groups, subject_kind=kind, subject=subject
        )
        pool = pools.get((owner.pk, kind, group))
        if pool is None:
            pool = Pool.objects.create(
                cycle=cycle,
                owner=owner,
                subject_kind=kind,
                peer_group=group,
                peer_group_name=group_name,
            )
            pools[(owner.pk, kind, group)] = pool
        new_ratings.append(
            Rating(
                cycle=cycle,
                pool=pool,
                subject_kind=kind,
                unit_id=unit_id_of(kind, subject),
                member=subject if kind in (SubjectKind.MEMBER, SubjectKind.LEADER) else None,
                organization=subject if kind == SubjectKind.ORGANIZATION else None,
                collective=subject if kind == SubjectKind.COLLECTIVE else None,
            )
        )
    for rating, verdict in zip(new_ratings, eligibilities(new_ratings, cycle=cycle), strict=True):
        rating.not_rated_reason = verdict.not_rated_reason
    rows_insert(Rating, new_ratings)
    for unit in (node for node in active if node.kind in GRASSROOTS_KINDS):
        Submission.objects.get_or_create(cycle=cycle, organization=unit)
    criteria_copy_template(cycle=cycle)
    return len(new_ratings)
