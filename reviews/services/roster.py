"""An open cycle follows its people: registrations, transfers and new facts reach the ratings.

`members.services` announces each change (`members.signals.member_changed`); `reviews.receivers`
calls `member_ratings_follow` inside the same transaction. While a cycle is open:

- a member registered gets a rating row in the pool of the body that decides for him;
- a transfer moves his rating to the receiving unit's pool, which decides and counts him; the
  old bodies' proposal and decision are cleared (they no longer decide for him) and the rating
  notes the old cell, whose comments HD 21 asks for when he was there 6 months or more;
- a status period, discipline or post updates the stored not-rated reason at once, so table 6F
  and the statistics are right before anyone touches the row.

A change that touches a finalized pool or a unit whose report is sent or approved is not applied
silently: the pool gets a `PoolFlag` for the body that decides it (the Board sees it on the
dashboard), and the change is applied when that pool is reopened (`pool_flags_apply`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member, MembershipEvent
from organizations.models import Organization
from organizations.rows import rows_insert
from reviews.models import (
    Pool,
    PoolFlag,
    PoolFlagKind,
    Rating,
    RatingChange,
    ReviewCycle,
    SubjectKind,
    Submission,
)
from reviews.rules import rule_set_for
from reviews.rules.base import Eligibility, Limit
from reviews.rules.peer_groups import default_peer_group
from reviews.selectors import Hierarchy, eligibilities
from reviews.services.ratings import LEVEL_FIELDS, history_row

#: What a body that no longer decides for the member leaves behind when he moves away.
DECIDING_FIELDS = (*LEVEL_FIELDS[1:], "votes_for", "votes_against", "override_reason")
PERSON_KINDS = (SubjectKind.MEMBER, SubjectKind.LEADER)


@dataclass
class _Cycle:
    """One open cycle's view of one member: who decides for him and which pools are closed."""

    cycle: ReviewCycle
    hierarchy: Hierarchy
    acting_user: User | None

    def blocked(self, pool: Pool) -> bool:
        """Finalized, or its unit's report is sent or approved: a change must be reviewed."""
        if pool.is_finalized:
            return True
        return (
            Submission.objects.locked()
            .filter(cycle=self.cycle, organization=pool.owner_id)
            .exists()
        )

    def flag(self, pool: Pool, member: Member, kind: str, message: str) -> None:
        pool_flag_raise(
            pool=pool, member=member, kind=kind, message=message, acting_user=self.acting_user
        )


def pool_flag_raise(
    *, pool: Pool, member: Member, kind: str, message: str, acting_user: User | None
) -> None:
    """Put a change before the deciding body, once while it is unresolved."""
    already = PoolFlag.objects.unresolved().filter(pool=pool, member=member, kind=kind).exists()
    if not already:
        PoolFlag.objects.create(
            pool=pool, member=member, kind=kind, message=message, created_by=acting_user
        )


def open_cycles_over(organization: Organization) -> list[ReviewCycle]:
    """The open cycles whose tree holds `organization`. Their ids first: a fact or a transfer
    recorded while no cycle is open over the member (most of a year, and the reorganization of
    the demo's 1,200 changes) costs one light query, not the cycle's and organization's rows."""
    paths = [*organization.ancestor_paths(), organization.path]
    ids = list(
        ReviewCycle.objects.open()
        .filter(organization__path__in=paths)
        .order_by()
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    return list(
        ReviewCycle.objects.filter(pk__in=ids).select_related("organization").order_by("pk")
    )


@transaction.atomic
def member_ratings_follow(
    *,
    member: Member,
    acting_user: User | None,
    from_organization: Organization | None = None,
    on: datetime.date | None = None,
) -> None:
    """Bring the member's ratings in every open cycle in line with who he is now (see module).

    Idempotent: called again with nothing changed, it changes nothing.
    """
    cycles = open_cycles_over(member.organization)
    if not cycles:
        return  # one query when no cycle is open (members registered before a cycle opens)
    member = Member.objects.select_related("organization").get(pk=member.pk)
    for cycle in cycles:
        nodes = [member.organization, *([from_organization] if from_organization else [])]
        context = _Cycle(
            cycle=cycle,
            hierarchy=Hierarchy.along(cycle.organization, nodes),
            acting_user=acting_user,
        )
        _follow(context, member, from_organization=from_organization, on=on)


@transaction.atomic
def members_ratings_register(*, members: Sequence[Member], acting_user: User | None) -> int:
    """Give members just registered (in any cells) their ratings in every open cycle over it:
    what `member_ratings_follow` does for a newcomer (the ratings his deciding bodies hold,
    his not-rated reason from the rules, a flag where the pool is closed), for the whole batch
    in a fixed number of queries per cycle. Returns the number of ratings created.

    An import of 5,000 members otherwise costs a dozen queries per member (issue #16).
    """
    if not members:
        return 0
    cells = list(Organization.objects.filter(pk__in={m.organization_id for m in members}))
    paths = {path for cell in cells for path in (*cell.ancestor_paths(), cell.path)}
    cycles = list(
        ReviewCycle.objects.open()
        .filter(organization__path__in=paths)
        .select_related("organization")
        .order_by("pk")
    )
    if not cycles:
        return 0
    members = list(
        Member.objects.filter(pk__in=[member.pk for member in members])
        .select_related("organization")
        .order_by("pk")
    )
    taken = set(
        Rating.objects.filter(
            cycle__in=cycles, member__in=members, subject_kind__in=PERSON_KINDS
        ).values_list("cycle_id", "member_id", "subject_kind")
    )
    created = 0
    for cycle in cycles:
        under = [cell for cell in cells if cell.path.startswith(cycle.organization.path)]
        context = _Cycle(
            cycle=cycle,
            hierarchy=Hierarchy.along(cycle.organization, under),
            acting_user=acting_user,
        )
        of_cycle = {cell.pk for cell in under}
        uses_peer_groups = rule_set_for(cycle.rule_set).uses_peer_groups
        wanted: list[tuple[Member, str, tuple[int, str, str], str]] = []
        for member in members:
            if member.organization_id not in of_cycle or not _on_roll(member, cycle):
                continue
            for kind in (SubjectKind.MEMBER, *([SubjectKind.LEADER] if member.is_leader else [])):
                if (cycle.pk, member.pk, kind) in taken:
                    continue
                owner = context.hierarchy.deciding_body(subject_kind=kind, subject=member)
                group, group_name = default_peer_group(
                    uses_peer_groups=uses_peer_groups, subject_kind=kind, subject=member
                )
                wanted.append((member, kind, (owner.pk, kind, group), group_name))
        if not wanted:
            continue
        pools = {}
        for key, group_name in {key: name for _m, _k, key, name in wanted}.items():
            owner_id, pool_kind, group = key
            pools[key], _created = Pool.objects.get_or_create(
                cycle=cycle,
                owner_id=owner_id,
                subject_kind=pool_kind,
                peer_group=group,
                defaults={"peer_group_name": group_name},
            )
        # Lock the pools in primary-key order, as ratings_record does.
        locked = {
            pool.pk: pool
            for pool in Pool.objects.select_for_update()
            .filter(pk__in=[pool.pk for pool in pools.values()])
            .select_related("owner")
            .order_by("pk")
        }
        closed = set(
            Submission.objects.locked()
            .filter(cycle=cycle, organization_id__in={p.owner_id for p in locked.values()})
            .values_list("organization_id", flat=True)
        )
        ratings = [
            Rating(
                cycle=cycle,
                pool=locked[pools[key].pk],
                subject_kind=kind,
                member=member,
                unit_id=member.organization_id,
            )
            for member, kind, key, _name in wanted
        ]
        for rating, verdict in zip(ratings, eligibilities(ratings, cycle=cycle), strict=True):
            rating.not_rated_reason = verdict.not_rated_reason
        rows_insert(Rating, ratings)
        created += len(ratings)
        for rating, (member, _kind, _key, _name) in zip(ratings, wanted, strict=True):
            pool = rating.pool
            if pool.is_finalized or pool.owner_id in closed:
                context.flag(
                    pool,
                    member,
                    PoolFlagKind.REGISTERED,
                    _("%(member)s mới được đăng ký vào %(cell)s: nhóm cần mở lại để xếp loại.")
                    % {"member": member, "cell": member.organization},
                )
    return created


def _on_roll(member: Member, cycle: ReviewCycle) -> bool:
    """As `cycle_prepare` counts: admitted by the reference date, not gone before it."""
    reference = cycle.reference_date
    return (
        member.admitted_on <= reference
        and (member.left_on is None or member.left_on > reference)
        and member.organization.is_active_on(reference)
    )


def _follow(
    context: _Cycle,
    member: Member,
    *,
    from_organization: Organization | None,
    on: datetime.date | None,
) -> None:
    cycle = context.cycle
    existing = {
        rating.subject_kind: rating
        for rating in Rating.objects.filter(
            cycle=cycle, member=member, subject_kind__in=PERSON_KINDS
        ).select_related("pool__owner", "member__organization")
    }
    wanted = [SubjectKind.MEMBER, *([SubjectKind.LEADER] if member.is_leader else [])]
    if not _on_roll(member, cycle):
        wanted = []
    followed: list[Rating] = []
    uses_peer_groups = rule_set_for(cycle.rule_set).uses_peer_groups
    for kind in wanted:
        owner = context.hierarchy.deciding_body(subject_kind=kind, subject=member)
        current = existing.get(kind)
        if current is not None and current.pool.owner_id == owner.pk:
            # Same deciding body: the member stays in the peer group it put him in.
            pool = current.pool
        else:
            group, group_name = default_peer_group(
                uses_peer_groups=uses_peer_groups, subject_kind=kind, subject=member
            )
            pool, _created = Pool.objects.get_or_create(
                cycle=cycle,
                owner=owner,
                subject_kind=kind,
                peer_group=group,
                defaults={"peer_group_name": group_name},
            )
        # Lock what is about to change, in primary-key order (as ratings_record does).
        pool_ids = sorted({pool.pk, *([existing[kind].pool_id] if kind in existing else [])})
        locked = {p.pk: p for p in Pool.objects.select_for_update().filter(pk__in=pool_ids)}
        pool = locked[pool.pk]
        rating = existing.get(kind)
        if rating is None:
            rating = Rating.objects.create(
                cycle=cycle,
                pool=pool,
                subject_kind=kind,
                member=member,
                unit_id=member.organization_id,
            )
            if context.blocked(pool):
                context.flag(
                    pool,
                    member,
                    PoolFlagKind.REGISTERED,
                    _("%(member)s mới được đăng ký vào %(cell)s: nhóm cần mở lại để xếp loại.")
                    % {"member": member, "cell": member.organization},
                )
        elif rating.pool_id != pool.pk:
            source = locked[rating.pool_id]
            blocked = [p for p in (source, pool) if context.blocked(p)]
            if blocked:
                for flagged in blocked:
                    context.flag(
                        flagged,
                        member,
                        PoolFlagKind.TRANSFERRED,
                        _(
                            "%(member)s đã chuyển sinh hoạt đến %(cell)s: kết quả chưa được "
                            "chuyển vì nhóm đã chốt hoặc báo cáo đã gửi."
                        )
                        % {"member": member, "cell": member.organization},
                    )
                continue
            _move(context, rating, member, to_pool=pool, from_organization=from_organization, on=on)
        elif from_organization is not None and kind == SubjectKind.MEMBER:
            _note_transfer(context, rating, member, from_organization=from_organization, on=on)
        if rating.unit_id != member.organization_id and not context.blocked(pool):
            # He is rated where he now sits (the cell he moved to within the same body).
            rating.unit_id = member.organization_id
            Rating.objects.filter(pk=rating.pk).update(unit_id=member.organization_id)
        followed.append(rating)
    _refresh_eligibility(context, member, followed)


def _previous_cell(member: Member) -> Organization | None:
    """The cell he came from, from the membership history (when not given by the caller)."""
    event = (
        MembershipEvent.objects.filter(member=member, kind=MembershipEvent.Kind.TRANSFER_INTERNAL)
        .select_related("from_organization")
        .order_by("-occurred_on", "-pk")
        .first()
    )
    return event.from_organization if event else None


def _arrived_on(member: Member, cell: Organization, before: datetime.date) -> datetime.date:
    """When the member joined `cell`: his last arrival there before `before`, else admission."""
    event = (
        MembershipEvent.objects.filter(member=member, to_organization=cell, occurred_on__lte=before)
        .order_by("-occurred_on", "-pk")
        .first()
    )
    return event.occurred_on if event else member.admitted_on


def _note_transfer(
    context: _Cycle,
    rating: Rating,
    member: Member,
    *,
    from_organization: Organization | None,
    on: datetime.date | None,
) -> dict[str, object]:
    """Record on the rating the cell he left and whether its comments are required."""
    previous = from_organization or _previous_cell(member)
    if previous is None:
        return {}
    left_on = on or timezone.localdate()
    required = rule_set_for(context.cycle.rule_set).previous_cell_comments_required(
        arrived_on=_arrived_on(member, previous, left_on), left_on=left_on
    )
    values: dict[str, object] = {
        "transferred_from": previous,
        "previous_cell_comments_required": required,
    }
    _write(context, rating, values, reason=_("Chuyển sinh hoạt từ %(cell)s") % {"cell": previous})
    return values


def _move(
    context: _Cycle,
    rating: Rating,
    member: Member,
    *,
    to_pool: Pool,
    from_organization: Organization | None,
    on: datetime.date | None,
) -> None:
    """Move the rating to the receiving body's pool, clearing what the old bodies decided."""
    cleared: dict[str, object] = {
        name: None if name in ("votes_for", "votes_against") else ""
        for name in DECIDING_FIELDS
        if getattr(rating, name) not in ("", None)
    }
    if rating.override_reason:
        cleared.update(override_reference="", override_at=None, override_by=None)
    if rating.decision_level:
        cleared.update(decided_at=None, decided_by=None)
    reason = _("Chuyển sinh hoạt đến %(cell)s") % {"cell": member.organization}
    old_pool = rating.pool
    _write(context, rating, {"pool": to_pool, **cleared}, reason=reason, old_pool=old_pool)
    if rating.subject_kind == SubjectKind.MEMBER:
        _note_transfer(context, rating, member, from_organization=from_organization, on=on)


def _write(
    context: _Cycle,
    rating: Rating,
    values: dict[str, object],
    *,
    reason: str,
    old_pool: Pool | None = None,
) -> None:
    """Apply `values` to the rating with one history row per visible field changed."""
    history = []
    for name, value in values.items():
        old = getattr(rating, name)
        if old == value:
            continue
        if name in ("decided_at", "decided_by", "override_at", "override_by"):
            setattr(rating, name, value)
            continue
        history.append(
            history_row(
                rating,
                name,
                old_pool if name == "pool" else old,
                value,
                reason=reason,
                acting_user=context.acting_user,
            )
        )
        setattr(rating, name, value)
    if not history:
        return
    rating.version += 1
    rating.save()
    rows_insert(RatingChange, history)


def _refresh_eligibility(context: _Cycle, member: Member, ratings: list[Rating]) -> None:
    """Store the not-rated reason the rules now give; flag a closed pool instead of changing it,
    and flag one whose decision the rules no longer allow."""
    for rating, verdict in zip(ratings, eligibilities(ratings, cycle=context.cycle), strict=True):
        pool = rating.pool
        if rating.not_rated_reason != verdict.not_rated_reason:
            if context.blocked(pool):
                context.flag(
                    pool,
                    member,
                    PoolFlagKind.ELIGIBILITY,
                    _("Điều kiện xếp loại của %(member)s đã thay đổi: nhóm cần mở lại để xem xét.")
                    % {"member": member},
                )
                continue
            values: dict[str, object] = {"not_rated_reason": verdict.not_rated_reason}
            if not verdict.is_rated:
                values.update({name: "" for name in LEVEL_FIELDS if getattr(rating, name)})
                values.update(votes_for=None, votes_against=None)
                if rating.decision_level:
                    values.update(decided_at=None, decided_by=None)
            _write(context, rating, values, reason=_("Điều kiện xếp loại thay đổi"))
        elif (
            rating.decision_level
            and not verdict.allows(rating.decision_level)
            and not rating.has_override
            and context.blocked(pool)
        ):
            context.flag(
                pool,
                member,
                PoolFlagKind.RULES,
                _("Quyết định cho %(member)s không còn phù hợp quy định: %(why)s")
                % {"member": member, "why": " ".join(limit.message for limit in verdict.limits)},
            )


def _binding_limits(rating: Rating, verdict: Eligibility) -> list[Limit]:
    """The limits the decision rests on: those that force its level or cap at it."""
    level = rating.decision_level
    return [
        limit
        for limit in verdict.limits
        if level and level in (limit.forced_level, limit.max_level)
    ]


def _decided_person_ratings(member: Member, cycles: list[ReviewCycle]) -> list[Rating]:
    return list(
        Rating.objects.filter(cycle__in=cycles, member=member, subject_kind__in=PERSON_KINDS)
        .exclude(decision_level="")
        .filter(override_reason="")
        .select_related("cycle", "pool__owner", "member__organization")
        .order_by("pk")
    )


def _binding_by_rating(ratings: list[Rating]) -> dict[int, tuple[str, list[Limit]]]:
    """Rating id → (its decided level, the limits that decision rests on), cycle by cycle."""
    result: dict[int, tuple[str, list[Limit]]] = {}
    for cycle_id in {rating.cycle_id for rating in ratings}:
        of_cycle = [rating for rating in ratings if rating.cycle_id == cycle_id]
        verdicts = eligibilities(of_cycle, cycle=of_cycle[0].cycle)
        for rating, verdict in zip(of_cycle, verdicts, strict=True):
            result[rating.pk] = (rating.decision_level, _binding_limits(rating, verdict))
    return result


def decision_basis_watch(*, member: Member, acting_user: User | None) -> Callable[[], None] | None:
    """Before one of the member's facts changes: note what each of his decisions in an open
    cycle rests on (a discipline forcing KHTNV, a period capping at HTNV…). The callable
    returned, run after the change, flags every decision one of whose limits went, whether or
    not its pool is closed: the decision stays, and the deciding body confirms or changes it
    (issue #18: deleting a fact a decision rests on never goes silently)."""
    cycles = open_cycles_over(member.organization)
    if not cycles:
        return None
    before = {
        pk: found
        for pk, found in _binding_by_rating(_decided_person_ratings(member, cycles)).items()
        if found[1]
    }
    if not before:
        return None

    def flag_decisions_without_basis() -> None:
        ratings = [r for r in _decided_person_ratings(member, cycles) if r.pk in before]
        now = _binding_by_rating(ratings)
        for rating in ratings:
            level, limits = before[rating.pk]
            if rating.decision_level != level:
                continue  # the follow-up already changed the decision
            still = {limit.code for limit in now[rating.pk][1]}
            gone = [limit for limit in limits if limit.code not in still]
            if not gone:
                continue
            message = _(
                "Căn cứ của quyết định “%(level)s” cho %(member)s không còn (%(why)s): cấp "
                "quyết định cần xem xét lại."
            ) % {
                "level": rating.get_decision_level_display(),
                "member": rating.member,
                "why": "; ".join(limit.message.rstrip(".") for limit in gone),
            }
            pool_flag_raise(
                pool=rating.pool,
                member=member,
                kind=PoolFlagKind.BASIS_REMOVED,
                message=message,
                acting_user=acting_user,
            )

    return flag_decisions_without_basis


@transaction.atomic
def pool_flags_apply(*, pool: Pool, acting_user: User | None) -> int:
    """Apply the changes waiting on a pool that has just been reopened, and mark them resolved.

    Returns the number of flags resolved. A change still blocked by another closed pool is
    flagged there again.
    """
    flags = list(
        PoolFlag.objects.unresolved()
        .filter(pool=pool)
        .exclude(kind=PoolFlagKind.BASIS_REMOVED)  # resolved by the body's decision, not here
        .select_related("member")
    )
    for member in {flag.member_id: flag.member for flag in flags}.values():
        member_ratings_follow(member=member, acting_user=acting_user)
    PoolFlag.objects.filter(pk__in=[flag.pk for flag in flags]).update(
        resolved_at=timezone.now(), resolved_by=acting_user
    )
    return len(flags)


@transaction.atomic
def decision_basis_confirm(*, flag: PoolFlag, acting_user: User | None) -> PoolFlag:
    """The deciding body keeps a decision whose basis went ("Giữ nguyên quyết định"); a
    changed decision resolves the flag by itself (`ratings_record`)."""
    flag = PoolFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.kind != PoolFlagKind.BASIS_REMOVED or flag.resolved_at is not None:
        return flag
    flag.resolved_at = timezone.now()
    flag.resolved_by = acting_user
    flag.save(update_fields=["resolved_at", "resolved_by"])
    return flag
