"""Peer groups and the quota exception (DOMAIN.md §13; QĐ 124-QĐ/TW, QĐ 366-QĐ/TW).

A deciding body defines its peer groups for the cycle ("theo đối tượng có vị trí, vai trò, chức
năng, nhiệm vụ tương đồng"); each is a pool, and every subject is in exactly one. For
outstanding units the competent body may allow a pool a higher rate, up to the cycle's ceiling
(25% under QĐ 366), by a recorded decision.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.rows import rows_insert
from organizations.text import percent_text
from reviews.models import Pool, QuotaException, Rating, RatingChange, ReviewCycle
from reviews.rules import rule_set_for
from reviews.services.ratings import check_pools_writable, history_row


def _check_peer_groups_allowed(cycle: ReviewCycle) -> None:
    if not rule_set_for(cycle.rule_set).uses_peer_groups:
        raise ValidationError(
            _(
                "Quy định của kỳ này (%(regime)s) tính tỷ lệ theo cả loại đối tượng, "
                "không chia nhóm."
            )
            % {"regime": rule_set_for(cycle.rule_set).regime},
            code="peer_groups_not_in_regime",
        )


@transaction.atomic
def peer_group_create(
    *,
    cycle: ReviewCycle,
    owner: Organization,
    subject_kind: str,
    name: str,
    acting_user: User | None,
) -> Pool:
    """A new, empty peer group of a deciding body; subjects are moved in by
    `peer_groups_assign`."""
    _check_peer_groups_allowed(cycle)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Cần đặt tên nhóm."), code="peer_group_name_required")
    siblings = Pool.objects.filter(cycle=cycle, owner=owner, subject_kind=subject_kind)
    if any(pool.label.casefold() == name.casefold() for pool in siblings):
        raise ValidationError(
            _("Đã có nhóm “%(name)s”.") % {"name": name}, code="peer_group_name_taken"
        )
    code = (slugify(name) or "nhom")[:32]
    taken = set(siblings.values_list("peer_group", flat=True))
    unique, index = code, 2
    while unique in taken:
        unique, index = f"{code}-{index}", index + 1
    return Pool.objects.create(
        cycle=cycle, owner=owner, subject_kind=subject_kind, peer_group=unique, peer_group_name=name
    )


@transaction.atomic
def peer_groups_assign(
    *,
    cycle: ReviewCycle,
    owner: Organization,
    subject_kind: str,
    assignment: list[tuple[int, int]],
    acting_user: User | None,
) -> int:
    """Put each subject of a deciding body in one peer group: `assignment` lists (rating id,
    pool id) for every subject the body decides of that kind, once each. Refused, with nothing
    saved, when it leaves one out, names one twice, or names a group of another body. Returns
    how many subjects moved; each move is in the rating's history.
    """
    _check_peer_groups_allowed(cycle)
    pools = {
        pool.pk: pool
        for pool in Pool.objects.select_for_update()
        .filter(cycle=cycle, owner=owner, subject_kind=subject_kind)
        .order_by("pk")
    }
    ratings = {
        rating.pk: rating
        for rating in Rating.objects.filter(pool__in=list(pools)).select_related(
            "member", "organization", "collective"
        )
    }
    counts = Counter(rating_id for rating_id, _pool in assignment)
    twice = [ratings[r] for r, n in counts.items() if n > 1 and r in ratings]
    unknown = [r for r in counts if r not in ratings]
    missing = [rating for pk, rating in ratings.items() if pk not in counts]
    foreign = sorted({pool_id for _rating, pool_id in assignment if pool_id not in pools})
    errors = []
    if twice:
        errors.append(
            ValidationError(
                _("Một đối tượng chỉ thuộc một nhóm; được xếp vào nhiều nhóm: %(names)s.")
                % {"names": ", ".join(str(r.subject) for r in twice[:5])},
                code="peer_group_twice",
            )
        )
    if missing:
        errors.append(
            ValidationError(
                _("Chưa xếp vào nhóm nào: %(names)s%(more)s.")
                % {
                    "names": ", ".join(str(r.subject) for r in missing[:5]),
                    "more": _(" và %(n)s đối tượng khác") % {"n": len(missing) - 5}
                    if len(missing) > 5
                    else "",
                },
                code="peer_group_missing",
            )
        )
    if unknown or foreign:
        errors.append(
            ValidationError(
                _("Có đối tượng hoặc nhóm không thuộc cấp quyết định này."),
                code="peer_group_foreign",
            )
        )
    if errors:
        raise ValidationError(errors)
    moves = [
        (ratings[rating_id], pools[pool_id])
        for rating_id, pool_id in assignment
        if ratings[rating_id].pool_id != pool_id
    ]
    touched = {pools[rating.pool_id] for rating, _pool in moves} | {pool for _r, pool in moves}
    check_pools_writable(cycle=cycle, pools=list(touched), acting_user=acting_user)
    finalized = [pool for pool in touched if pool.is_finalized]
    if finalized:
        raise ValidationError(
            _("Nhóm “%(pool)s” đã chốt kết quả: cần mở lại trước khi chuyển đối tượng.")
            % {"pool": finalized[0].label},
            code="pool_finalized",
        )
    history = []
    for rating, pool in moves:
        history.append(
            history_row(
                rating,
                "pool",
                pools[rating.pool_id].label,
                pool.label,
                reason=_("Xếp nhóm đối tượng tương đồng"),
                acting_user=acting_user,
            )
        )
        rating.pool = pool
        rating.version += 1
    Rating.objects.bulk_update([rating for rating, _pool in moves], ["pool", "version"])
    rows_insert(RatingChange, history)
    return len(moves)


@transaction.atomic
def quota_exception_grant(
    *,
    pool: Pool,
    rate: Decimal,
    reason: str,
    reference: str,
    acting_user: User | None,
) -> QuotaException:
    """Allow an outstanding unit's pool a higher rate, up to the cycle's exception ceiling, by
    the competent body's decision (QĐ 366-QĐ/TW; DOMAIN.md §3, §13). Replaces an exception in
    force; refused on a finalized pool."""
    pool = Pool.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=pool.pk)
    cycle = pool.cycle
    if cycle.exception_ceiling is None:
        raise ValidationError(
            _("Quy định của kỳ này (%(regime)s) không cho phép vượt tỷ lệ.")
            % {"regime": rule_set_for(cycle.rule_set).regime},
            code="no_exception_in_regime",
        )
    if not cycle.quota_rate < rate <= cycle.exception_ceiling:
        raise ValidationError(
            _("Tỷ lệ ngoại lệ phải trên %(rate)s%% và không quá %(ceiling)s%%.")
            % {
                "rate": percent_text(cycle.quota_rate),
                "ceiling": percent_text(cycle.exception_ceiling),
            },
            code="exception_above_ceiling",
        )
    if not reason.strip() or not reference.strip():
        raise ValidationError(
            _("Cho phép vượt tỷ lệ cần nêu lý do và số văn bản cho phép."),
            code="exception_needs_reason",
        )
    if acting_user is None:
        raise ValidationError(
            _("Cho phép vượt tỷ lệ cần ghi rõ người quyết định."), code="override_needs_user"
        )
    if pool.is_finalized:
        raise ValidationError(_("Nhóm đã chốt kết quả: cần mở lại trước."), code="pool_finalized")
    now = timezone.now()
    QuotaException.objects.in_force().filter(pool=pool).update(
        revoked_at=now, revoked_by=acting_user, revoke_reason=_("Thay bằng quyết định mới")
    )
    return QuotaException.objects.create(
        pool=pool,
        rate=rate,
        reason=reason.strip(),
        reference=reference.strip(),
        granted_by=acting_user,
    )


@transaction.atomic
def quota_exception_revoke(*, pool: Pool, reason: str, acting_user: User | None) -> int:
    """Withdraw the exception in force; the pool is back at the cycle's rate. Refused on a
    finalized pool (its results were approved under the exception)."""
    pool = Pool.objects.select_for_update(of=("self",)).get(pk=pool.pk)
    if not reason.strip():
        raise ValidationError(_("Thu hồi cần nêu lý do."), code="reason_required")
    if pool.is_finalized:
        raise ValidationError(_("Nhóm đã chốt kết quả: cần mở lại trước."), code="pool_finalized")
    return (
        QuotaException.objects.in_force()
        .filter(pool=pool)
        .update(revoked_at=timezone.now(), revoked_by=acting_user, revoke_reason=reason.strip())
    )
