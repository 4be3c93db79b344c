"""The quota on "Hoàn thành xuất sắc nhiệm vụ": the only place it is computed (DOMAIN.md §3).

Letter 897-CV/ĐUK point 1 and HD 21-HD/BTCTW: within each deciding body's pool the number rated
HTXSNV may not exceed 20% of the number rated HTTNV. "Không vượt quá" means must not exceed, so the
allowed number is rounded down; with fewer than 5 rated good nobody may be excellent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from organizations.text import percent_text
from reviews.models import (
    Level,
    Pool,
    QuotaBasis,
    QuotaException,
    QuotaRounding,
    Rating,
    ReviewCycle,
)


def allowed_excellent(
    *, basis_count: int, rate: Decimal, rounding: str = QuotaRounding.FLOOR
) -> int:
    """`floor(rate × basis)` by default; exact decimal arithmetic, no float surprises."""
    product = Decimal(rate) * basis_count
    mode = ROUND_FLOOR if rounding == QuotaRounding.FLOOR else ROUND_HALF_UP
    return int(product.to_integral_value(rounding=mode))


@dataclass(frozen=True)
class QuotaStatus:
    """Counts of one pool against its quota, as shown on the quota panel and in reports."""

    excellent: int
    good: int
    completed: int
    not_completed: int
    undecided: int
    not_rated: int
    basis: int
    rate: Decimal
    allowed: int
    #: The rate in force is an exception granted by the competent body (QĐ 366).
    exception: bool = False

    @property
    def is_over(self) -> bool:
        return self.excellent > self.allowed

    @property
    def over_by(self) -> int:
        """How many HTXSNV decisions must be cut for the pool to be within its quota."""
        return max(self.excellent - self.allowed, 0)

    @property
    def rated(self) -> int:
        return self.excellent + self.good + self.completed + self.not_completed + self.undecided

    @property
    def rate_percent(self) -> str:
        return percent_text(self.rate)


def quota_exceeded_error(status: QuotaStatus, *, pool: Pool | None = None) -> ValidationError:
    """The one refusal for a pool over its quota (DOMAIN.md §3: it binds at finalization).

    Raised by finalization and listed by the submission checklist; code `quota_exceeded`, with
    the counts as params so logs and tests read numbers, not text.
    """
    params = {
        "excellent": status.excellent,
        "allowed": status.allowed,
        "rate": status.rate_percent,
        "basis": status.basis,
        "over": status.over_by,
        "pool": pool.label if pool is not None else "",
    }
    message = _(
        "Vượt tỷ lệ cho phép: %(excellent)s “Hoàn thành xuất sắc nhiệm vụ” / tối đa "
        "%(allowed)s (%(rate)s%% × %(basis)s “Hoàn thành tốt nhiệm vụ”); cần giảm %(over)s."
    )
    if pool is not None:
        message = _("%(pool)s: ") + message
    return ValidationError(message, code="quota_exceeded", params=params)


def quota_rule_text(cycle: ReviewCycle) -> str:
    """The quota rule as printed, from the cycle's own settings and regime: its source, rate,
    basis, scope (per body, or per peer group from QĐ 124), rounding and exception ceiling."""
    from reviews.rules import rule_set_for

    rules = rule_set_for(cycle.rule_set)
    basis = (
        _("“Hoàn thành tốt nhiệm vụ” trở lên")
        if cycle.quota_basis == QuotaBasis.GOOD_OR_BETTER
        else _("“Hoàn thành tốt nhiệm vụ”")
    )
    scope = (
        _(
            "trong từng nhóm đối tượng có vị trí, vai trò, chức năng, nhiệm vụ tương đồng của mỗi "
            "cấp quyết định"
        )
        if rules.uses_peer_groups
        else _("của từng cấp quyết định")
    )
    text = _(
        "%(source)s: số lượng xếp loại “Hoàn thành xuất sắc nhiệm vụ” không vượt quá %(rate)s%% "
        "số được xếp loại %(basis)s %(scope)s"
    ) % {
        "source": rules.quota_source,
        "rate": percent_text(cycle.quota_rate),
        "basis": basis,
        "scope": scope,
    }
    if cycle.quota_rounding == QuotaRounding.FLOOR:
        fewest = (
            next(
                n
                for n in range(1, 1001)
                if allowed_excellent(basis_count=n, rate=cycle.quota_rate) >= 1
            )
            if cycle.quota_rate > 0
            else 0
        )
        text += _(
            "; số tối đa được làm tròn xuống (dưới %(fewest)s trường hợp “Hoàn thành tốt” "
            "thì không có “Hoàn thành xuất sắc”)"
        ) % {"fewest": fewest}
    else:
        text += _("; số tối đa được làm tròn đến số gần nhất")
    if cycle.exception_ceiling is not None:
        text += _(
            "; đơn vị có thành tích nổi bật được cấp có thẩm quyền cho phép đến "
            "%(ceiling)s%% bằng quyết định"
        ) % {"ceiling": percent_text(cycle.exception_ceiling)}
    return text + "."


def basis_count(*, cycle: ReviewCycle, counts: dict[str, int]) -> int:
    if cycle.quota_basis == QuotaBasis.GOOD_OR_BETTER:
        return counts.get(Level.GOOD, 0) + counts.get(Level.EXCELLENT, 0)
    return counts.get(Level.GOOD, 0)


def quota_status_from_counts(
    *,
    cycle: ReviewCycle,
    counts: dict[str, int],
    undecided: int = 0,
    not_rated: int = 0,
    rate: Decimal | None = None,
) -> QuotaStatus:
    """`rate`: the rate in force for the pool (an exception's), the cycle's by default."""
    rate = cycle.quota_rate if rate is None else rate
    basis = basis_count(cycle=cycle, counts=counts)
    return QuotaStatus(
        excellent=counts.get(Level.EXCELLENT, 0),
        good=counts.get(Level.GOOD, 0),
        completed=counts.get(Level.COMPLETED, 0),
        not_completed=counts.get(Level.NOT_COMPLETED, 0),
        undecided=undecided,
        not_rated=not_rated,
        basis=basis,
        rate=rate,
        allowed=allowed_excellent(basis_count=basis, rate=rate, rounding=cycle.quota_rounding),
        exception=rate != cycle.quota_rate,
    )


def rates_in_force(pools: list[Pool]) -> dict[int, Decimal]:
    """The rate each pool runs under: a granted exception's, or its cycle's (one query)."""
    granted = dict(
        QuotaException.objects.in_force()
        .filter(pool__in=[pool.pk for pool in pools])
        .values_list("pool_id", "rate")
    )
    return {pool.pk: granted.get(pool.pk, pool.cycle.quota_rate) for pool in pools}


def _level_counts(pool_ids: list[int]) -> dict[int, dict]:
    """Per pool: its ratings counted by decided level, those rated but undecided, those not
    rated, and the rate of its exception in force, in one plain grouped query.

    Written in SQL on purpose: the quota is read on every save and every screen, and the ORM's
    building of the same query costs several times the query itself (issue #16, budget: the
    check within twice the bare aggregate). Table and column names come from the models.
    """
    rating, exception = Rating._meta, QuotaException._meta
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(pool_ids))
    sql = (
        f"SELECT r.{quote('pool_id')}, r.{quote('decision_level')}, "  # noqa: S608 - see above
        f"r.{quote('not_rated_reason')} = '', COUNT(*), "
        f"(SELECT e.{quote('rate')} FROM {quote(exception.db_table)} e "
        f"WHERE e.{quote('pool_id')} = r.{quote('pool_id')} AND e.{quote('revoked_at')} IS NULL "
        f"LIMIT 1) "
        f"FROM {quote(rating.db_table)} r WHERE r.{quote('pool_id')} IN ({marks}) "
        "GROUP BY 1, 2, 3"
    )
    rate_field = exception.get_field("rate")
    found: dict[int, dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, pool_ids)
        for pool_id, level, rated, count, granted in cursor.fetchall():
            row = found.setdefault(pool_id, {"undecided": 0, "not_rated": 0, "granted": None})
            if not rated:
                row["not_rated"] += count
            elif not level:
                row["undecided"] += count
            else:
                row[level] = row.get(level, 0) + count
            if granted is not None:
                row["granted"] = rate_field.to_python(str(granted))
    return found


def quotas_by_pool(pools: list[Pool]) -> dict[int, QuotaStatus]:
    """The quota status of many pools from the decided levels, in one grouped query that also
    reads each pool's granted exception (a second one only for pools with no rating)."""
    by_pool = _level_counts([pool.pk for pool in pools]) if pools else {}
    empty = [pool for pool in pools if pool.pk not in by_pool]
    rates = rates_in_force(empty) if empty else {}
    result = {}
    for pool in pools:
        row = by_pool.get(pool.pk)
        rate = row["granted"] if row else rates[pool.pk]
        row = row or {}
        result[pool.pk] = quota_status_from_counts(
            cycle=pool.cycle,
            counts={level: row.get(level, 0) for level in Level.values},
            undecided=row.get("undecided", 0),
            not_rated=row.get("not_rated", 0),
            rate=rate if rate is not None else pool.cycle.quota_rate,
        )
    return result


def pool_quota(pool: Pool) -> QuotaStatus:
    """The quota status of one pool."""
    return quotas_by_pool([pool])[pool.pk]


#: A candidate for HTXSNV: decided so, or proposed so with no decision yet.
CANDIDATE = Q(decision_level=Level.EXCELLENT) | Q(decision_level="", proposal_level=Level.EXCELLENT)
#: How many names of those kept and of those cut the quota panel prints (the rest are counted).
PANEL_NAMES = 10
_RANK_FIELDS = (
    "pk",
    "votes_for",
    "votes_against",
    "self_level",
    "member__admitted_on",
    "member__sort_key",
    "organization__founded_on",
    "organization__name",
    "collective__name",
)


@dataclass(frozen=True)
class QuotaProposal:
    """Whom to keep as HTXSNV when a pool has more candidates than its quota allows: rating
    ids, best ranked first; the panel's names are read for the first `PANEL_NAMES` only."""

    keep: list[int]
    cut: list[int]
    allowed: int

    @property
    def needs_cut(self) -> bool:
        return bool(self.cut)

    @property
    def candidates(self) -> int:
        return len(self.keep) + len(self.cut)

    @cached_property
    def _shown(self) -> dict[int, Rating]:
        wanted = self.keep[:PANEL_NAMES] + self.cut[:PANEL_NAMES]
        return Rating.objects.select_related("member", "organization", "collective").in_bulk(wanted)

    @property
    def shown_keep(self) -> list[Rating]:
        return [self._shown[pk] for pk in self.keep[:PANEL_NAMES]]

    @property
    def shown_cut(self) -> list[Rating]:
        return [self._shown[pk] for pk in self.cut[:PANEL_NAMES]]

    @property
    def more_keep(self) -> int:
        return max(len(self.keep) - PANEL_NAMES, 0)

    @property
    def more_cut(self) -> int:
        return max(len(self.cut) - PANEL_NAMES, 0)


def candidate_rank_key(row: tuple) -> tuple:
    """Ranking of HTXSNV candidates (issue "rating entry and the quota", DOMAIN.md §3), from a
    row of `_RANK_FIELDS`:

    1. the cell's vote share for its proposal, highest first (no vote counts as 0);
    2. the self-rating, best first (HTXSNV before anything else);
    3. tie-break, documented: longer party standing first (earlier admission date, or for an
       organization its earlier founding date), then the Vietnamese name order, then the record id.
    """
    from reviews.models import LEVEL_RANK

    pk, votes_for, votes_against, self_level, admitted, sort_key, founded, org_name, team = row
    total = (votes_for or 0) + (votes_against or 0)
    share = votes_for / total if votes_for is not None and total else 0.0
    self_rank = LEVEL_RANK.get(self_level, len(LEVEL_RANK))
    if admitted is not None:
        seniority, name = admitted.toordinal(), sort_key
    elif org_name is not None:
        seniority, name = (founded.toordinal() if founded else 0), org_name
    else:
        seniority, name = 0, team or ""
    return (-share, self_rank, seniority, name, pk)


def propose_keep(pool: Pool, *, rate: Decimal | None = None) -> QuotaProposal:
    """Rank the pool's HTXSNV candidates and keep as many as the quota allows.

    Those cut are meant to be decided HTTNV, which raises the basis; so keep the largest k with
    k ≤ allowed(basis + cut), where cut = candidates − k. Three queries whatever the pool's
    size: the others are counted in SQL (an undecided one as what its cell proposed, so the
    projection is realistic), only the candidates' ranking keys are read, and sorted once.
    `rate`: the rate in force when the caller has read it already (`QuotaStatus.rate`).
    """
    rated = Rating.objects.filter(pool=pool).rated()
    counts = rated.exclude(CANDIDATE).aggregate(
        **{
            level: Count(
                "pk", filter=Q(decision_level=level) | Q(decision_level="", proposal_level=level)
            )
            for level in Level.values
        }
    )
    candidates = sorted(
        rated.filter(CANDIDATE).values_list(*_RANK_FIELDS).order_by(), key=candidate_rank_key
    )
    cycle = pool.cycle
    if rate is None:
        rate = rates_in_force([pool])[pool.pk]

    def allowed_keeping(k: int) -> int:
        projected = {**counts, Level.EXCELLENT: k}
        projected[Level.GOOD] = counts[Level.GOOD] + len(candidates) - k
        return quota_status_from_counts(cycle=cycle, counts=projected, rate=rate).allowed

    keep_count = next(k for k in range(len(candidates), -1, -1) if k <= allowed_keeping(k))
    ids = [row[0] for row in candidates]
    return QuotaProposal(
        keep=ids[:keep_count], cut=ids[keep_count:], allowed=allowed_keeping(keep_count)
    )
