"""The order inside a cycle (DOMAIN.md §6, §13; docs/rules.md): a leader's decision waits for
the ratings that come before it. Pure checks on how far those ratings have come; the service
(`reviews.services.ratings._check_order`) gathers them. Each rule refuses with its own code,
`order_<rule>`, and the source the cycle's rule set gives it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members.models import SeatRole


class OrderRule(StrEnum):
    #: A leadership collective before its members.
    COLLECTIVE_FIRST = "collective_first"
    #: A unit before its head.
    UNIT_FIRST = "unit_first"
    #: A leader reviewed at his cell first, then as a leader.
    CELL_FIRST = "cell_first"
    #: The head of a collective before its deputies.
    HEAD_FIRST = "head_first"

    @property
    def code(self) -> str:
        """The refusal's code, as the log and docs/rules.md name it."""
        return f"order_{self.value}"


@dataclass(frozen=True)
class Progress:
    """How far one rating has come, and which body decides it."""

    owner_id: int
    is_rated: bool
    decided: bool
    proposed: bool = False
    self_rated: bool = False

    @classmethod
    def of(cls, rating: Any) -> Progress:
        """Read from a Rating with its pool loaded."""
        return cls(
            owner_id=rating.pool.owner_id,
            is_rated=rating.is_rated,
            decided=bool(rating.decision_level),
            proposed=bool(rating.proposal_level),
            self_rated=bool(rating.self_level),
        )


def settled_before(earlier: Progress | None, later_owner_id: int) -> bool:
    """Whether `earlier` is far enough along for a decision by `later_owner_id`.

    Decided by the same body: `earlier` must be decided first. Decided by another body (a
    grassroots unit's committee is rated by the bloc, its leaders by the unit): requiring that
    decision would block the unit until the bloc acts, so the collective's own review — its
    self-rating — must come first (interpretation of "kiểm điểm tập thể trước, cá nhân sau").
    A subject without a rating, or not rated, holds nothing up.
    """
    if earlier is None or not earlier.is_rated:
        return True
    if earlier.owner_id == later_owner_id:
        return earlier.decided
    return earlier.decided or earlier.self_rated


def reviewed_at_cell(as_member: Progress | None) -> bool:
    """Whether a leader's rating as a member has started at his cell (self-rated, proposed or
    decided), or needs none."""
    return (
        as_member is None
        or not as_member.is_rated
        or as_member.decided
        or as_member.proposed
        or as_member.self_rated
    )


@dataclass(frozen=True)
class SeatOrder:
    """One seat of the leader in the cycle: the collective, the unit it leads, and how far
    their ratings (and, for a deputy, the head's leader rating) have come."""

    collective: str
    unit: str
    role: str
    collective_rating: Progress | None = None
    unit_rating: Progress | None = None
    head_rating: Progress | None = None


@dataclass(frozen=True)
class LeaderOrder:
    """A leader's rating about to be decided by `owner_id`, with what comes before it."""

    leader: str
    owner_id: int
    as_member: Progress | None = None
    seats: tuple[SeatOrder, ...] = ()


def order_refusal(rules: Mapping[OrderRule, str], facts: LeaderOrder) -> ValidationError | None:
    """The first order rule of `rules` (rule → source, from the cycle's rule set) that the
    decision breaks, as a refusal with the rule's code and source; None when it breaks none."""

    def refusal(rule: OrderRule, message: str) -> ValidationError:
        return ValidationError(f"{message} ({rules[rule]})", code=rule.code)

    if OrderRule.CELL_FIRST in rules and not reviewed_at_cell(facts.as_member):
        return refusal(
            OrderRule.CELL_FIRST,
            _(
                "Cần kiểm điểm %(member)s ở chi bộ trước, rồi mới xếp loại với tư cách cán bộ "
                "lãnh đạo, quản lý."
            )
            % {"member": facts.leader},
        )
    for seat in facts.seats:
        # What the seat waits for: (rule, whether it binds this seat, the earlier rating).
        waits_for = (
            (OrderRule.COLLECTIVE_FIRST, True, seat.collective_rating),
            (OrderRule.UNIT_FIRST, seat.role == SeatRole.HEAD, seat.unit_rating),
            (OrderRule.HEAD_FIRST, seat.role == SeatRole.DEPUTY, seat.head_rating),
        )
        for rule, binds, earlier in waits_for:
            if rule in rules and binds and not settled_before(earlier, facts.owner_id):
                names = {"collective": seat.collective, "unit": seat.unit, "member": facts.leader}
                return refusal(rule, _seat_messages()[rule] % names)
    return None


def _seat_messages() -> dict[OrderRule, str]:
    """The refusal of each rule a seat waits for (translated when asked)."""
    return {
        OrderRule.COLLECTIVE_FIRST: _(
            "Cần xếp loại tập thể %(collective)s trước khi xếp loại %(member)s."
        ),
        OrderRule.UNIT_FIRST: _(
            "Cần xếp loại %(unit)s trước khi xếp loại người đứng đầu %(member)s."
        ),
        OrderRule.HEAD_FIRST: _(
            "Cần xếp loại người đứng đầu %(collective)s trước cấp phó %(member)s."
        ),
    }
