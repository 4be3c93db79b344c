"""The one write path for ratings: self-ratings, proposals, decisions, facts, overrides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import CollectiveMembership, Member, SeatRole
from organizations.rows import prepare_once, rows_insert
from organizations.services import refuse_unknown_fields
from organizations.text import decimal_text, field_label
from reviews.models import (
    NotRatedReason,
    Pool,
    PoolFlag,
    PoolFlagKind,
    Rating,
    RatingChange,
    ReviewCycle,
    SubjectKind,
    Submission,
    TaskItem,
)
from reviews.rules import rule_set_for
from reviews.rules.base import limits_text, rule_violation
from reviews.rules.order import LeaderOrder, OrderRule, Progress, SeatOrder, order_refusal
from reviews.selectors import eligibilities
from reviews.services.scores import scores_apply

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
    "previous_cell_comments",
    "host_cell_comments",
    # QĐ 366-QĐ/TW, Điều 11: the task results and the facts that force KHTNV.
    "tasks_done_percent",
    "tasks_beyond_percent",
    "tasks_late_percent",
    "shortcomings_fixed",
    "broke_prohibitions",
    "personnel_wrongdoing",
    "corruption_in_scope",
    "confidence_low_percent",
    "overseen_not_completed_percent",
)
#: Percentages: 0 to 100 with at most one decimal.
PERCENT_FIELDS = frozenset(
    {
        "tasks_done_percent",
        "tasks_beyond_percent",
        "tasks_late_percent",
        "confidence_low_percent",
        "overseen_not_completed_percent",
    }
)
#: The task shares: computed from the rating's task register when it has one (issue #15).
SHARE_FIELDS = frozenset({"tasks_done_percent", "tasks_beyond_percent", "tasks_late_percent"})
#: Computed from the criterion scores (`reviews.services.scores`), never typed.
COMPUTED_FIELDS = frozenset({"self_score", "decided_score"})
LEVEL_FIELDS = ("self_level", "proposal_level", "decision_level")


def history_value(value: Any) -> str:
    """How a value shows in a rating's history."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def history_row(
    rating: Rating, field: str, old: Any, new: Any, *, reason: str, acting_user: User | None
) -> dict[str, Any]:
    """One line of a rating's history (`RatingChange`), as `rows_insert` writes it: the one
    shape for every service that changes a rating."""
    return {
        "rating_id": rating.pk,
        "field": field,
        "old_value": history_value(old),
        "new_value": history_value(new),
        "reason": reason,
        "changed_by_id": acting_user.pk if acting_user else None,
    }


@transaction.atomic
def ratings_record(
    *,
    cycle: ReviewCycle,
    changes: Mapping[int, Mapping[str, Any]],
    acting_user: User | None,
    reason: str = "",
    expected_versions: Mapping[int, int] | None = None,
    scores: Mapping[int, Mapping[int, Mapping[str, Any]]] | None = None,
    shares_from_register: bool = False,
) -> list[Rating]:
    """Write self-ratings, proposals, decisions, facts and comments for many ratings at once.

    The one write path for ratings (screens, imports, the demo). Rules (HD 21, DOMAIN.md §3–5):
    a subject not rated takes no level; a decision outside what the rules allow needs an
    override with reason and decision reference, made by a known user; a finalized pool and the
    pools of a unit whose report is sent or approved are read-only; a cell's vote tally cannot
    count more people than the cell has.

    The quota never refuses an entry (DOMAIN.md §3, revised): decisions are typed in any order
    as the minutes are read, the panel shows how many to cut, and `pool_finalize` refuses while
    the pool is over. The rules are checked after the batch is written, inside the same
    transaction, so an organization is judged by the decisions on its members or subordinates
    written in the same call. The pools are locked (in primary-key order) first.

    `scores` (rating id → criterion id → {self_points, decided_points}) writes criterion
    scores under QĐ 366; the totals follow and are checked by the rules like any other change.
    The task shares of a rating whose register holds tasks are the register's: only the
    register writes them (`shares_from_register`, `reviews.services.tasks`).

    Raises ValidationError with codes: unknown_field, score_total_computed, rating_not_found,
    stale_rating, pool_finalized, submission_locked, votes_exceed_members, override_needs_user,
    not_rated_subject, override_incomplete, rule_violation, order_collective_first,
    order_unit_first, percent_out_of_range, shares_from_register, and those of `scores_apply`.
    """
    scores = scores or {}
    changes = {**{rating_id: {} for rating_id in scores}, **changes}
    for fields in changes.values():
        if set(fields) & COMPUTED_FIELDS:
            raise ValidationError(
                _("Tổng điểm được tính từ điểm của từng tiêu chí, không nhập trực tiếp."),
                code="score_total_computed",
            )
        _check_percents(fields)
        refuse_unknown_fields(fields, RATING_FIELDS)
    pool_ids = sorted(
        set(
            Rating.objects.filter(cycle=cycle, pk__in=list(changes))
            .order_by()  # a set: the model's ordering would only join the cycle and the pool
            .values_list("pool_id", flat=True)
        )
    )
    pools = {
        pool.pk: pool
        for pool in Pool.objects.select_for_update().filter(pk__in=pool_ids).order_by("pk")
    }
    # Read under the lock: what was read before it may be stale.
    locked = {
        rating.pk: rating
        for rating in Rating.objects.select_for_update(of=("self",))
        .filter(cycle=cycle, pk__in=list(changes))
        .select_related("member", "organization", "collective")
        .order_by("pk")
    }
    if len(locked) != len(changes) or any(r.pool_id not in pools for r in locked.values()):
        raise ValidationError(_("Không tìm thấy kết quả xếp loại."), code="rating_not_found")
    check_pools_writable(cycle=cycle, pools=list(pools.values()), acting_user=acting_user)
    for rating_id in scores:
        if pools[locked[rating_id].pool_id].is_finalized:
            raise ValidationError(
                _("Kết quả của nhóm này đã chốt; cần mở lại (nêu lý do) trước khi sửa."),
                code="pool_finalized",
            )
    totals = scores_apply(cycle=cycle, ratings=locked, scores=scores, acting_user=acting_user)
    changes = {
        rating_id: {**fields, **totals.get(rating_id, {})} for rating_id, fields in changes.items()
    }
    registered = (
        set()
        if shares_from_register
        else _with_register([pk for pk, fields in changes.items() if SHARE_FIELDS & set(fields)])
    )
    now = timezone.now()
    history: list[dict[str, Any]] = []
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
        if rating_id in registered and SHARE_FIELDS & set(changed):
            raise ValidationError(
                _(
                    "Tỷ lệ nhiệm vụ của %(subject)s được tính từ sổ theo dõi nhiệm vụ; "
                    "hãy sửa trong sổ."
                )
                % {"subject": rating.subject},
                code="shares_from_register",
            )
        if rating.pool.is_finalized:
            raise ValidationError(
                _("Kết quả của nhóm này đã chốt; cần mở lại (nêu lý do) trước khi sửa."),
                code="pool_finalized",
            )
        if rating.not_rated_reason and any(changed.get(f) for f in LEVEL_FIELDS):
            raise ValidationError(
                _("%(subject)s không xếp loại (%(reason)s).")
                % {
                    "subject": rating.subject,
                    "reason": NotRatedReason(rating.not_rated_reason).label,
                },
                code="not_rated_subject",
            )
        for field, value in changed.items():
            history.append(
                history_row(
                    rating,
                    field,
                    getattr(rating, field),
                    value,
                    reason=reason,
                    acting_user=acting_user,
                )
            )
            setattr(rating, field, value)
        dirty[rating.pk] = {*changed, "version"}
        if "decision_level" in changed:
            dirty[rating.pk] |= {"decided_at", "decided_by"}
            rating.decided_at = now if rating.decision_level else None
            rating.decided_by = acting_user if rating.decision_level else None
        if "override_reason" in changed:
            if rating.override_reason and acting_user is None:
                raise ValidationError(
                    _("Điều chỉnh ngoài quy định phải ghi rõ người quyết định."),
                    code="override_needs_user",
                )
            dirty[rating.pk] |= {"override_at", "override_by"}
            rating.override_at = now if rating.override_reason else None
            rating.override_by = acting_user if rating.override_reason else None
        if bool(rating.override_reason.strip()) != bool(rating.override_reference.strip()):
            raise ValidationError(
                _("Điều chỉnh ngoài quy định cần cả lý do và số văn bản."),
                code="override_incomplete",
            )
        rating.version += 1
        touched.append(rating)
    _check_votes(cycle, [r for r in touched if {"votes_for", "votes_against"} & dirty[r.pk]])

    _write_changed(touched, dirty, now)
    # After the write: the rules read the levels this batch wrote (a sub-committee and the
    # cells below it decided in one call). An error rolls the whole batch back.
    for rating, verdict in zip(touched, eligibilities(touched, cycle=cycle), strict=True):
        # The rules, not the stored reason, are the authority: facts may have changed since.
        if rating.not_rated_reason != verdict.not_rated_reason:
            if not verdict.is_rated and any(getattr(rating, f) for f in LEVEL_FIELDS):
                raise ValidationError(
                    _("%(subject)s không xếp loại (%(reason)s).")
                    % {
                        "subject": rating.subject,
                        "reason": NotRatedReason(verdict.not_rated_reason).label,
                    },
                    code="not_rated_subject",
                )
            rating.not_rated_reason = verdict.not_rated_reason
            Rating.objects.filter(pk=rating.pk).update(not_rated_reason=rating.not_rated_reason)
        if (
            rating.decision_level
            and not verdict.allows(rating.decision_level)
            and not rating.override_reason
        ):
            raise rule_violation(
                _('Quyết định "%(level)s" cho %(subject)s vượt quá mức quy định cho phép: %(why)s')
                % {
                    "level": rating.get_decision_level_display(),
                    "subject": rating.subject,
                    "why": limits_text(verdict),
                },
                verdict,
            )
    rows_insert(RatingChange, history)
    _resolve_basis_flags([r for r in touched if "decision_level" in dirty[r.pk]], acting_user, now)
    # After the write, so that a collective decided in the same call counts as decided.
    _check_order(cycle, [r for r in touched if r.subject_kind == SubjectKind.LEADER])
    return touched


def _resolve_basis_flags(decided: list[Rating], acting_user: User | None, now) -> None:
    """A decision changed after its basis went answers the flag (roster.decision_basis_watch)."""
    members = [r.member_id for r in decided if r.member_id]
    if members:
        PoolFlag.objects.unresolved().filter(
            kind=PoolFlagKind.BASIS_REMOVED,
            pool_id__in={r.pool_id for r in decided},
            member_id__in=members,
        ).update(resolved_at=now, resolved_by=acting_user)


def _with_register(rating_ids: list[int]) -> set[int]:
    """Those of the ratings whose task register holds tasks (one query, none for no ids)."""
    if not rating_ids:
        return set()
    return set(
        TaskItem.objects.filter(rating_id__in=rating_ids)
        .order_by()  # else the ordering's columns join in and DISTINCT is over them too
        .values_list("rating_id", flat=True)
        .distinct()
    )


def _check_percents(fields: Mapping[str, Any]) -> None:
    for name in PERCENT_FIELDS & set(fields):
        value = fields[name]
        if value is None:
            continue
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        exponent = value.normalize().as_tuple().exponent
        if not Decimal(0) <= value <= Decimal(100) or (isinstance(exponent, int) and exponent < -1):
            raise ValidationError(
                _("%(field)s: cần một số từ 0 đến 100, tối đa một chữ số thập phân (%(value)s).")
                % {"field": field_label(Rating, name), "value": value},
                code="percent_out_of_range",
            )


def _concrete_field(name: str) -> models.Field:
    field = Rating._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(name)
    return field


def _write_changed(touched: list[Rating], dirty: dict[int, set[str]], now) -> None:
    """Write each rating's changed columns, with one prepared UPDATE per set of columns run for
    every rating that changed those (`executemany`). The demo's 12,000 ratings took 5.0 s with
    one ORM update per rating (mostly building the query) and 15.7 s with bulk_update's
    CASE/WHEN over every column."""
    by_columns: dict[tuple[str, ...], list[Rating]] = defaultdict(list)
    for rating in touched:
        by_columns[tuple(sorted(dirty[rating.pk] - {"version"}))].append(rating)
    meta, quote = Rating._meta, connection.ops.quote_name
    version = quote(_concrete_field("version").column)
    # Each distinct value prepared once per column (`prepare_once`): the decimal fields'
    # preparation per rating was 1.3 s of the demo's load.
    known: dict[str, dict[Any, Any]] = defaultdict(dict)
    with connection.cursor() as cursor:
        for names, ratings in by_columns.items():
            fields = [_concrete_field(name) for name in (*names, "updated_at")]
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
            # Identifiers from the model's own metadata, quoted; every value is a parameter.
            cursor.executemany(
                f"UPDATE {quote(meta.db_table)} SET {assignments}, {version} = {version} + 1 "  # noqa: S608
                f"WHERE {quote(meta.pk.column)} = %s",
                [
                    [
                        *(
                            prepare_once(
                                field,
                                now
                                if field.name == "updated_at"
                                else getattr(rating, field.attname),
                                known[field.name],
                            )
                            for field in fields
                        ),
                        rating.pk,
                    ]
                    for rating in ratings
                ],
            )


def check_pools_writable(
    *, cycle: ReviewCycle, pools: list[Pool], acting_user: User | None
) -> None:
    """A unit's own pools are read-only once its report is sent or approved; only a superuser
    may still correct them, and the history records it."""
    if getattr(acting_user, "is_superuser", False):
        return
    if (
        Submission.objects.locked()
        .filter(cycle=cycle, organization_id__in={pool.owner_id for pool in pools})
        .exists()
    ):
        raise ValidationError(
            _("Báo cáo của đơn vị đã gửi hoặc đã được phê duyệt: kết quả chỉ xem."),
            code="submission_locked",
        )


def _check_votes(cycle: ReviewCycle, ratings: list[Rating]) -> None:
    """The cell's tally (tán thành + không tán thành) counts at most the cell's members on the
    roll at the cycle's reference date. Raises ValidationError(code="votes_exceed_members")."""
    member_ratings = [
        (rating, rating.member)
        for rating in ratings
        if rating.subject_kind == SubjectKind.MEMBER and rating.member is not None
    ]
    if not member_ratings:
        return
    cells = {member.organization_id for _rating, member in member_ratings}
    sizes = dict(
        Member.objects.filter(organization_id__in=cells)
        .on_roll(cycle.reference_date)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    for rating, member in member_ratings:
        votes = (rating.votes_for or 0) + (rating.votes_against or 0)
        size = sizes.get(member.organization_id, 0)
        if votes > size:
            raise ValidationError(
                _(
                    "Kết quả biểu quyết về %(subject)s có %(votes)s phiếu, nhiều hơn số đảng viên "
                    "của chi bộ (%(size)s)."
                )
                % {"subject": rating.subject, "votes": votes, "size": size},
                code="votes_exceed_members",
            )


def _check_order(cycle: ReviewCycle, leader_ratings: list[Rating]) -> None:
    """The order rules of the cycle's rule set (`reviews.rules.order`) for the leader ratings
    being decided: their seats in the cycle, the collectives, units and heads they wait for,
    and their ratings as members, read in a fixed number of queries.

    Raises ValidationError(code="order_collective_first" / "order_unit_first" /
    "order_cell_first" / "order_head_first").
    """
    deciding = [r for r in leader_ratings if r.decision_level]
    if not deciding:
        return
    rules = rule_set_for(cycle.rule_set).order_rules
    seats = list(
        _seats_held(cycle)
        .filter(member_id__in=[r.member_id for r in deciding])
        .select_related("collective__organization")
    )
    heads: dict[int, int] = {}
    if OrderRule.HEAD_FIRST in rules:
        heads = dict(
            _seats_held(cycle)
            .filter(
                collective_id__in=[s.collective_id for s in seats if s.role == SeatRole.DEPUTY],
                role=SeatRole.HEAD,
            )
            .values_list("collective_id", "member_id")
        )
    progress = _progress(
        cycle,
        Q(collective_id__in=[seat.collective_id for seat in seats])
        | Q(organization_id__in=[seat.collective.organization_id for seat in seats])
        | Q(subject_kind=SubjectKind.LEADER, member_id__in=list(heads.values()))
        | Q(subject_kind=SubjectKind.MEMBER, member_id__in=[r.member_id for r in deciding]),
    )
    for leader in deciding:
        refusal = order_refusal(
            rules,
            LeaderOrder(
                leader=str(leader.subject),
                owner_id=leader.pool.owner_id,
                as_member=progress.get((SubjectKind.MEMBER, leader.member_id)),
                seats=tuple(
                    SeatOrder(
                        collective=str(seat.collective),
                        unit=str(seat.collective.organization),
                        role=seat.role,
                        collective_rating=progress.get(
                            (SubjectKind.COLLECTIVE, seat.collective_id)
                        ),
                        unit_rating=progress.get(
                            (SubjectKind.ORGANIZATION, seat.collective.organization_id)
                        ),
                        head_rating=progress.get(
                            (SubjectKind.LEADER, heads.get(seat.collective_id))
                        ),
                    )
                    for seat in seats
                    if seat.member_id == leader.member_id
                ),
            ),
        )
        if refusal is not None:
            raise refusal


def _seats_held(cycle: ReviewCycle):
    """Seats held on the cycle's reference date, in collectives not yet dissolved then."""
    day = cycle.reference_date
    return CollectiveMembership.objects.held_on(day).filter(
        Q(collective__dissolved_on__isnull=True) | Q(collective__dissolved_on__gt=day)
    )


def _progress(cycle: ReviewCycle, subjects: Q) -> dict[tuple[str, int | None], Progress]:
    """How far the cycle's ratings of `subjects` have come, by (subject kind, the id of the
    member, organization or collective: a rating has exactly one)."""
    return {
        (r.subject_kind, r.member_id or r.organization_id or r.collective_id): Progress.of(r)
        for r in Rating.objects.filter(subjects, cycle=cycle).select_related("pool")
    }
