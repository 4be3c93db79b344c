"""What every rule set returns: an eligibility with the limits it applies and their sources."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol

from reviews.models import LEVEL_RANK, NOT_REVIEWED_REASONS, Level


@dataclass(frozen=True)
class Limit:
    """One rule that forces or caps a level, explained in Vietnamese with its source."""

    code: str
    message: str
    source: str
    forced_level: str = ""
    max_level: str = ""


@dataclass(frozen=True)
class Eligibility:
    not_rated_reason: str = ""
    limits: tuple[Limit, ...] = field(default_factory=tuple)
    #: Attends another cell temporarily during the year: rated at his own cell with the host
    #: cell's comments (DOMAIN.md §4).
    needs_host_comments: bool = False

    @property
    def is_rated(self) -> bool:
        return not self.not_rated_reason

    @property
    def is_reviewed(self) -> bool:
        return self.not_rated_reason not in NOT_REVIEWED_REASONS

    @property
    def forced_level(self) -> str:
        """The worst level any limit forces, or '' when none does."""
        forced = [limit.forced_level for limit in self.limits if limit.forced_level]
        return max(forced, key=LEVEL_RANK.__getitem__) if forced else ""

    @property
    def max_level(self) -> str:
        """The best level the rules allow."""
        if self.forced_level:
            return self.forced_level
        caps = [limit.max_level for limit in self.limits if limit.max_level]
        return max(caps, key=LEVEL_RANK.__getitem__) if caps else Level.EXCELLENT

    def allows(self, level: str) -> bool:
        """Whether `level` may be decided without an override."""
        if not self.is_rated:
            return level == ""
        if self.forced_level:
            return level == self.forced_level
        return LEVEL_RANK[level] >= LEVEL_RANK[self.max_level]


@dataclass(frozen=True)
class MemberFacts:
    """Everything the member rules read, gathered once per member (no queries in the rules)."""

    admitted_on: datetime.date
    is_civil_servant: bool
    status_periods: tuple  # of members.StatusPeriod
    disciplines_in_year: tuple  # of members.DisciplineRecord counted in the cycle's year
    civil_service_level: str = ""
    targets_under_half: bool = False
    degradation_concluded: bool = False


@dataclass(frozen=True)
class OrganizationFacts:
    founded_on: datetime.date | None
    #: Decided levels of what lies directly below: a cell's rated members, a committee's rated
    #: subordinate organizations (undecided ones count as rated but at no level yet).
    below_rated: int = 0
    below_completed_or_better: int = 0
    below_good_or_better: int = 0
    below_kind: str = "members"  # or "organizations"


@dataclass(frozen=True)
class CollectiveFacts:
    formed_on: datetime.date | None
    collective_disciplined: bool = False
    member_disciplined_warning_or_heavier: bool = False
    targets_under_half: bool = False
    degradation_concluded: bool = False


class RuleSet(Protocol):
    code: str

    def member_eligibility(
        self, facts: MemberFacts, *, year: int, reference_date: datetime.date
    ) -> Eligibility: ...

    def organization_eligibility(
        self, facts: OrganizationFacts, *, reference_date: datetime.date
    ) -> Eligibility: ...

    def collective_eligibility(
        self, facts: CollectiveFacts, *, reference_date: datetime.date
    ) -> Eligibility: ...

    def organization_may_be_excellent(
        self, *, rated: int, completed_or_better: int, good_or_better: int
    ) -> bool: ...

    def previous_cell_comments_required(
        self, *, arrived_on: datetime.date, left_on: datetime.date
    ) -> bool: ...
