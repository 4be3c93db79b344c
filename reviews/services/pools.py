"""Finalizing a pool (the committee approves its results) and reopening it."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.models import (
    POOL_TRANSITIONS,
    Level,
    Pool,
    PoolFlag,
    PoolFlagKind,
    PoolState,
    PoolTransition,
    Rating,
)
from reviews.quota import QuotaProposal, propose_keep, quota_exceeded_error, quotas_by_pool
from reviews.rules.base import limits_text, rule_violation
from reviews.selectors import eligibilities
from reviews.services.ratings import check_pools_writable, ratings_record
from reviews.services.roster import pool_flags_apply
from reviews.services.transitions import state_move


def pool_problems(pool: Pool) -> list[ValidationError]:
    """Everything that stops a pool from being finalized, each with its code (HD 21; §3, §5).

    Over quota; a rated subject with no decision; a decision whose basis went and that the
    deciding body has not yet confirmed or changed (`decision_basis_watch`); a decision the
    rules do not allow (including an organization decided HTXSNV whose members or subordinates
    do not qualify) and no override records.
    """
    return pools_problems([pool])[pool.pk]


def pools_problems(pools: list[Pool]) -> dict[int, list[ValidationError]]:
    """`pool_problems` of many pools of one cycle, by pool id, in a fixed number of queries:
    their quotas, ratings, unconfirmed flags and rules each read once for all."""
    if not pools:
        return {}
    cycle = pools[0].cycle
    if any(pool.cycle_id != cycle.pk for pool in pools):
        raise ValueError("pools of one cycle")
    ids = [pool.pk for pool in pools]
    problems: dict[int, list[ValidationError]] = {pk: [] for pk in ids}
    for pool_id, status in quotas_by_pool(pools).items():
        if status.is_over:
            problems[pool_id].append(quota_exceeded_error(status))
    # In id order, as the model's ordering has it within one pool, without its joins.
    ratings = list(
        Rating.objects.filter(pool__in=ids)
        .select_related("member", "organization", "collective")
        .order_by("pk")
    )
    by_pool: dict[int, list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_pool[rating.pool_id].append(rating)
    for pool_id, pool_ratings in by_pool.items():
        undecided = [r for r in pool_ratings if not r.not_rated_reason and not r.decision_level]
        if undecided:
            names = ", ".join(str(r.subject) for r in undecided[:5])
            more = len(undecided) - 5
            problems[pool_id].append(
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
    unconfirmed: dict[int, list[PoolFlag]] = defaultdict(list)
    for flag in (
        PoolFlag.objects.unresolved()
        .filter(pool__in=ids, kind=PoolFlagKind.BASIS_REMOVED)
        .select_related("member")
        .order_by("pk")
    ):
        unconfirmed[flag.pool_id].append(flag)
    for pool_id, flags in unconfirmed.items():
        problems[pool_id].append(
            ValidationError(
                _(
                    "Căn cứ quyết định của %(names)s không còn: hãy giữ nguyên hoặc sửa từng "
                    "quyết định trước khi chốt."
                )
                % {"names": ", ".join(str(flag.member) for flag in flags)},
                code="decision_basis_removed",
            )
        )
    for rating, verdict in zip(ratings, eligibilities(ratings, cycle=cycle), strict=True):
        if verdict.not_rated_reason != rating.not_rated_reason:
            problems[rating.pool_id].append(
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
            problems[rating.pool_id].append(
                rule_violation(
                    _("Quyết định cho %(subject)s vượt mức quy định: %(why)s")
                    % {"subject": rating.subject, "why": limits_text(verdict)},
                    verdict,
                )
            )
    return problems


def pool_finalize(*, pool: Pool, acting_user: User | None) -> Pool:
    """The committee approves its results ("Chốt kết quả"); refused, listing every problem,
    while `pool_problems` finds any (`pools_finalize` of the one pool)."""
    return pools_finalize(pools=[pool], acting_user=acting_user)[0]


@transaction.atomic
def pools_finalize(*, pools: list[Pool], acting_user: User | None) -> list[Pool]:
    """Finalize pools of one cycle together (a unit's pools, approved at one meeting), or none:
    refused, listing every problem of every pool (named by its pool when there are several),
    while `pools_problems` finds any. The pool rows are locked first, in id order, so no
    decision can slip in between the check and the write. Returns the pools, in id order."""
    locked = list(
        Pool.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .filter(pk__in=[pool.pk for pool in pools])
        .order_by("pk")
    )
    still_open = [pool for pool in locked if not pool.is_finalized]
    if not still_open:
        return locked
    check_pools_writable(cycle=still_open[0].cycle, pools=still_open, acting_user=acting_user)
    problems = pools_problems(still_open)
    found = [
        problem if len(still_open) == 1 else _named(pool, problem)
        for pool in still_open
        for problem in problems[pool.pk]
    ]
    if found:
        raise ValidationError(found)
    now = timezone.now()
    for pool in still_open:
        pool.finalized_at = now
        pool.finalized_by = acting_user
        state_move(
            pool,
            machine=POOL_TRANSITIONS,
            to=PoolState.FINALIZED,
            acting_user=acting_user,
            also=("finalized_at", "finalized_by"),
            record=PoolTransition,
        )
    return locked


def _named(pool: Pool, problem: ValidationError) -> ValidationError:
    """A pool's problem among several pools' problems: led by the pool's name, same code (its
    text is final: no params, which would format it again)."""
    return ValidationError(f"{pool.label}: {' '.join(problem.messages)}", code=problem.code)


@transaction.atomic
def pool_reopen(*, pool: Pool, acting_user: User | None, reason: str) -> Pool:
    """Reopen a finalized pool ("Mở lại"), with a reason kept in its history."""
    if not reason.strip():
        raise ValidationError(_("Mở lại kết quả cần nêu lý do."), code="reason_required")
    pool = Pool.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=pool.pk)
    if not pool.is_finalized:
        return pool
    check_pools_writable(cycle=pool.cycle, pools=[pool], acting_user=acting_user)
    pool.finalized_at = None
    pool.finalized_by = None
    state_move(
        pool,
        machine=POOL_TRANSITIONS,
        to=PoolState.OPEN,
        acting_user=acting_user,
        reason=reason.strip(),
        also=("finalized_at", "finalized_by"),
        record=PoolTransition,
    )
    # Changes to its people that waited for the pool to reopen are applied now.
    pool_flags_apply(pool=pool, acting_user=acting_user)
    return pool


@transaction.atomic
def pool_apply_quota_proposal(*, pool: Pool, acting_user: User | None) -> QuotaProposal:
    """Decide the ranked candidates the quota allows HTXSNV and the others HTTNV, in one
    transaction under the pool's lock (the ranking is read under the same lock; DOMAIN.md §3).

    Raises ValidationError(code="no_candidates"), or what `ratings_record` raises.
    """
    pool = Pool.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=pool.pk)
    proposal = propose_keep(pool)
    if not proposal.candidates:
        raise ValidationError(
            _("Không có ứng viên “Hoàn thành xuất sắc nhiệm vụ”."), code="no_candidates"
        )
    changes = {pk: {"decision_level": Level.GOOD} for pk in proposal.cut}
    changes.update({pk: {"decision_level": Level.EXCELLENT} for pk in proposal.keep})
    ratings_record(
        cycle=pool.cycle,
        changes=changes,
        acting_user=acting_user,
        reason=_("Áp dụng đề xuất theo tỷ lệ"),
    )
    return proposal
