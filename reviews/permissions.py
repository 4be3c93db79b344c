"""Who may see and change which ratings (issue "submission and approval", point 5).

A role held on a node covers its subtree. Clerks enter self-ratings, proposals, facts and, for
the pools their unit decides, decisions; a cell secretary records only his cell's proposals; the
Organization Board decides the pools the bloc owns. Nothing changes while the cycle is not open,
and a clerk changes nothing of a unit whose submission is sent or approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from organizations.models import Organization, Role, under_any
from organizations.permissions import active_assignments, assignments_on
from reviews.models import Pool, Rating, ReviewCycle, SubjectKind, Submission

EDITING_ROLES = frozenset({Role.CLERK, Role.CELL_SECRETARY, Role.ORGANIZATION_BOARD, Role.OFFICE})
LEADERSHIP_KINDS = frozenset({SubjectKind.COLLECTIVE, SubjectKind.LEADER})


@dataclass(frozen=True)
class RowRights:
    self_level: bool = False
    proposal: bool = False
    decision: bool = False
    facts: bool = False

    @property
    def any(self) -> bool:
        return self.self_level or self.proposal or self.decision or self.facts


class Scope:
    """A user's role paths, read once per request, answering "does my role cover this node?"."""

    def __init__(self, user, cycle: ReviewCycle | None = None):
        """`cycle`: roles count on the nodes that existed at its reference date (a past cycle
        is seen through the roles on the units of its time); today's nodes otherwise."""
        self.user = user
        self.is_superuser = bool(getattr(user, "is_superuser", False) and user.is_active)
        self.paths: dict[str, list[str]] = {}
        assignments = (
            assignments_on(user, cycle.reference_date)
            if cycle is not None
            else active_assignments(user)
        )
        for assignment in assignments:
            self.paths.setdefault(assignment.role, []).append(assignment.organization.path)

    def covers(self, path: str, roles=None) -> bool:
        if self.is_superuser:
            return True
        for role, prefixes in self.paths.items():
            if roles is not None and role not in roles:
                continue
            if any(path.startswith(prefix) for prefix in prefixes):
                return True
        return False

    def all_paths(self) -> list[str]:
        return [path for prefixes in self.paths.values() for path in prefixes]

    def within(self, field: str) -> Q:
        """Rows whose `field` (a path) lies in the user's subtrees; everything for a superuser."""
        return Q() if self.is_superuser else under_any(self.all_paths(), field)

    def subject_filter(self, prefix: str = "") -> Q:
        """Ratings whose subject sat in the user's subtrees in its cycle (`Rating.unit`)."""
        return self.within(f"{prefix}unit__path")

    def visible_ratings(self, cycle: ReviewCycle) -> QuerySet[Rating]:
        return Rating.objects.filter(self.subject_filter(), cycle=cycle)

    def visible_pools(self, cycle: ReviewCycle) -> QuerySet[Pool]:
        """Pools with at least one rating the user may see."""
        return Pool.objects.filter(
            cycle=cycle, pk__in=self.visible_ratings(cycle).values("pool_id")
        ).select_related("owner", "cycle")

    def can_edit_anything(self) -> bool:
        return self.is_superuser or bool(set(self.paths) & EDITING_ROLES)

    def can_decide(self, pool: Pool) -> bool:
        """The body that owns the pool decides: its clerk, or the Board for the bloc's pools;
        the Office records the Standing Board's own review (letter 897-CV/ĐUK, point 3)."""
        if pool.owner.depth > 1:
            return self.covers(pool.owner.path, {Role.CLERK})
        roles = {Role.ORGANIZATION_BOARD}
        if pool.subject_kind in LEADERSHIP_KINDS:
            roles.add(Role.OFFICE)
        return self.covers(pool.owner.path, roles)

    def can_grant_exception(self, pool: Pool) -> bool:
        """The competent body above a unit allows its pool the exception rate (QĐ 366: "cấp
        có thẩm quyền … đối với tập thể, cá nhân thuộc quyền quản lý"): the Board of the
        cycle's party committee; for the committee's own pools, only an administrator."""
        if self.is_superuser:
            return True
        if pool.owner.depth == 1:
            return False
        return self.covers(pool.cycle.organization.path, {Role.ORGANIZATION_BOARD})


def subject_path(rating: Rating) -> str:
    """Where the subject sat in the rating's cycle (`Rating.unit`)."""
    return rating.unit.path


def grassroots_path(path: str, hierarchy_paths: dict[str, Organization]) -> str | None:
    """The path of the grassroots unit at or above `path` (from an in-memory path map)."""
    step = Organization.steplen
    for end in range(len(path), 0, -step):
        node = hierarchy_paths.get(path[:end])
        if node is not None and node.is_grassroots:
            return node.path
    return None


def locked_unit_paths(cycle: ReviewCycle) -> set[str]:
    """Grassroots units whose submission is sent or approved: their clerks may not edit."""
    return set(
        Submission.objects.locked()
        .filter(cycle=cycle)
        .order_by()  # a set: the model's ordering would join the cycle
        .values_list("organization__path", flat=True)
    )


def may_decide_rows(scope: Scope, pool: Pool, *, locked_units: set[str]) -> bool:
    """The decision right `row_rights` gives every row of the pool (the rows of one pool share
    its owner, so they share that right): for counting what waits for a decision in SQL."""
    if not pool.cycle.is_open or pool.is_finalized:
        return False
    if scope.is_superuser:
        return True
    decides = scope.can_decide(pool)
    if pool.owner.depth > 1:
        decides = decides and pool.owner.path not in locked_units
    return decides


def row_rights(
    scope: Scope,
    rating: Rating,
    *,
    pool: Pool,
    unit_path: str | None,
    locked_units: set[str],
) -> RowRights:
    """What the user may change on one row of a pool screen."""
    cycle = pool.cycle
    if not cycle.is_open or pool.is_finalized:
        return RowRights()  # a finalized pool is read-only until reopened (DOMAIN.md §3)
    path = subject_path(rating)
    unit_locked = unit_path in locked_units if unit_path else False
    clerk = scope.covers(path, {Role.CLERK}) and not unit_locked
    if pool.owner.depth == 1 and pool.subject_kind in LEADERSHIP_KINDS:
        clerk = clerk or scope.covers(pool.owner.path, {Role.OFFICE})
    secretary = scope.covers(path, {Role.CELL_SECRETARY}) and rating.member is not None
    decides = scope.can_decide(pool)
    if pool.owner.depth > 1:
        decides = decides and not unit_locked
    if scope.is_superuser:
        clerk, decides = True, True
    return RowRights(
        self_level=clerk,
        proposal=clerk or (secretary and not unit_locked),
        decision=decides,
        facts=clerk or decides,
    )


def is_author(user, rating: Rating) -> bool:
    """The member the rating is about, logged in with his own account (`Member.account`)."""
    member = rating.member if rating.member_id is not None else None
    return (
        member is not None
        and getattr(user, "is_authenticated", False)
        and member.account_id == user.pk
    )


def unit_is_locked_path(cycle: ReviewCycle, path: str) -> bool:
    """The grassroots unit at or above `path` has sent its report (or had it approved): its
    ratings, forms and minutes are read-only."""
    step = Organization.steplen
    prefixes = [path[:end] for end in range(step, len(path) + 1, step)]
    return (
        Submission.objects.locked()
        .filter(cycle_id=cycle.pk, organization__path__in=prefixes)
        .exists()
    )


def unit_is_locked(rating: Rating) -> bool:
    """The subject's grassroots unit has sent its report (or had it approved): read-only."""
    return unit_is_locked_path(rating.cycle, rating.unit.path)


def may_read_self_review(scope: Scope, rating: Rating) -> bool:
    """Its author, his unit's clerk and cell secretary, the deciding body and the Board; nobody
    else (issue #14: another reader gets a 404)."""
    if scope.is_superuser or is_author(scope.user, rating):
        return True
    path = subject_path(rating)
    if scope.covers(path, {Role.CLERK, Role.CELL_SECRETARY, Role.ORGANIZATION_BOARD}):
        return True
    return scope.can_decide(rating.pool)


def may_read_any_self_review(scope: Scope, pool: Pool) -> bool:
    """Whether `may_read_self_review` holds for at least one of the pool's ratings (the same
    readers), in one query at most: the pool's task register is offered only to them."""
    if scope.is_superuser or scope.can_decide(pool):
        return True
    readers = [
        path
        for role in (Role.CLERK, Role.CELL_SECRETARY, Role.ORGANIZATION_BOARD)
        for path in scope.paths.get(role, [])
    ]
    condition = under_any(readers, "unit__path")
    if getattr(scope.user, "is_authenticated", False):
        condition |= Q(member__account_id=scope.user.pk)
    return Rating.objects.filter(condition, pool=pool).exists()


def may_write_self_review(
    scope: Scope, rating: Rating, *, locked_units: set[str] | None = None
) -> bool:
    """The author, or his unit's clerk on his behalf (the Office for the bloc's leaders), while
    the cycle is open and the unit's report is not sent (`locked_units`: the paths of
    `locked_unit_paths`, read once for many ratings)."""
    if not rating.cycle.is_open:
        return False
    if scope.is_superuser:
        return True
    writer = is_author(scope.user, rating) or scope.covers(subject_path(rating), {Role.CLERK})
    if rating.pool.owner.depth == 1 and rating.pool.subject_kind in LEADERSHIP_KINDS:
        writer = writer or scope.covers(rating.pool.owner.path, {Role.OFFICE})
    if not writer:
        return False
    if locked_units is None:
        return not unit_is_locked(rating)
    return not any(rating.unit.path.startswith(path) for path in locked_units)


def may_see_peer_groups(scope: Scope, pool: Pool) -> bool:
    """The page of a deciding body's peer groups: those whose roles cover the body, and the
    body that decides the pool (a unit's clerk does not see the groups of the level above)."""
    return scope.covers(pool.owner.path) or scope.can_decide(pool)


def may_read_meeting(scope: Scope, organization: Organization) -> bool:
    """The minutes of a body's meeting: its clerk and cell secretary, the Board, the Office for
    the bloc's own (issue #14, point 2)."""
    roles = {Role.CLERK, Role.CELL_SECRETARY, Role.ORGANIZATION_BOARD}
    if organization.depth == 1:
        roles.add(Role.OFFICE)
    return scope.is_superuser or scope.covers(organization.path, roles)


def may_write_meeting(scope: Scope, cycle: ReviewCycle, organization: Organization) -> bool:
    """Its clerk records the minutes (a cell's secretary those of his cell; the Office those of
    the bloc), while the cycle is open and the unit's report is not sent."""
    if not cycle.is_open:
        return False
    if organization.depth == 1:
        roles = {Role.OFFICE, Role.ORGANIZATION_BOARD}
    else:
        roles = {Role.CLERK, Role.CELL_SECRETARY}
    writer = scope.is_superuser or scope.covers(organization.path, roles)
    return writer and not unit_is_locked_path(cycle, organization.path)


def may_assess_quarter(scope: Scope, rating: Rating) -> bool:
    """Whoever manages the person directly assesses his quarter: for a member, his cell's
    secretary or his unit's clerk; for a leader, the body that decides his rating (QĐ 366;
    KL 198). While the cycle is open."""
    if not rating.cycle.is_open:
        return False
    if scope.is_superuser or scope.can_decide(rating.pool):
        return True
    return rating.subject_kind == SubjectKind.MEMBER and scope.covers(
        subject_path(rating), {Role.CELL_SECRETARY, Role.CLERK}
    )
