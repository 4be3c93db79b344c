"""What every rule set reads and returns: facts in, an eligibility with its limits and their
sources out. Rules are pure functions of these values (no queries), so they test without screens.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError

from reviews.models import LEVEL_RANK, NOT_REVIEWED_REASONS, Level
from reviews.rules.order import OrderRule


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
    #: The not-rated reasons that also mean "not reviewed" under the cycle's rule set.
    not_reviewed_reasons: frozenset[str] = NOT_REVIEWED_REASONS
    #: What the score and the task conditions allow, explained (QĐ 366, Điều 11); '' otherwise.
    score_explanation: str = ""

    @property
    def is_rated(self) -> bool:
        return not self.not_rated_reason

    @property
    def is_reviewed(self) -> bool:
        return self.not_rated_reason not in self.not_reviewed_reasons

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


def limits_text(verdict: Eligibility) -> str:
    """Each limit's explanation followed by its source, as refusals print them."""
    return " ".join(f"{limit.message} ({limit.source})" for limit in verdict.limits)


def rule_violation(message: str, verdict: Eligibility) -> ValidationError:
    """The one refusal of a level the rules do not allow (code `rule_violation`); the codes of
    the limits that refuse it ride along as `limit_codes`, and the views log them."""
    error = ValidationError(message, code="rule_violation")
    error.limit_codes = tuple(limit.code for limit in verdict.limits)  # type: ignore[attr-defined]
    return error


@dataclass(frozen=True)
class RuleContext:
    """The cycle's year, reference date and settings, as the rules read them."""

    year: int
    reference_date: datetime.date
    score_bands: tuple[tuple[Decimal, str], ...] = ()
    tasks_beyond_min_percent: Decimal | None = None
    tasks_late_max_percent: Decimal | None = None
    unit_tasks_trigger_percent: Decimal | None = None

    @classmethod
    def of(cls, cycle: Any) -> RuleContext:
        from reviews.models import SCORE_BAND_FIELDS

        bands = tuple(
            (getattr(cycle, name), level)
            for name, level in SCORE_BAND_FIELDS
            if getattr(cycle, name) is not None
        )
        return cls(
            year=cycle.year,
            reference_date=cycle.reference_date,
            score_bands=bands,
            tasks_beyond_min_percent=cycle.tasks_beyond_min_percent,
            tasks_late_max_percent=cycle.tasks_late_max_percent,
            unit_tasks_trigger_percent=cycle.unit_tasks_trigger_percent,
        )


@dataclass(frozen=True)
class TaskFacts:
    """A subject's score and task results (QĐ 366-QĐ/TW, Điều 10–11); for a collective or a
    leader, the task results are those of the unit it leads. None: not recorded yet."""

    score: Decimal | None = None
    done_percent: Decimal | None = None
    beyond_percent: Decimal | None = None
    late_percent: Decimal | None = None
    shortcomings_fixed: str = ""


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
    #: The record is the member's rating as a leader (QĐ 366: Mẫu 2A and the leader triggers).
    as_leader: bool = False
    tasks: TaskFacts = TaskFacts()
    broke_prohibitions: bool = False
    corruption_in_scope: bool = False
    confidence_low_percent: Decimal | None = None
    overseen_not_completed_percent: Decimal | None = None


@dataclass(frozen=True)
class OrganizationFacts:
    founded_on: datetime.date | None
    #: Decided levels of what lies directly below: a cell's rated members, a committee's rated
    #: subordinate organizations (undecided ones count as rated but at no level yet).
    below_rated: int = 0
    below_completed_or_better: int = 0
    below_good_or_better: int = 0
    below_kind: str = "members"  # or "organizations"
    tasks: TaskFacts = TaskFacts()
    #: A member below it disciplined in the year for a duty-related violation (QĐ 366).
    below_disciplined: bool = False
    targets_under_half: bool = False
    degradation_concluded: bool = False
    personnel_wrongdoing: bool = False
    collective_disciplined: bool = False


@dataclass(frozen=True)
class CollectiveFacts:
    formed_on: datetime.date | None
    collective_disciplined: bool = False
    member_disciplined_warning_or_heavier: bool = False
    targets_under_half: bool = False
    degradation_concluded: bool = False
    tasks: TaskFacts = TaskFacts()
    #: A member of the collective disciplined in the year for a duty-related violation.
    member_disciplined_duty: bool = False
    personnel_wrongdoing: bool = False
    #: Seats held on the reference date; None: unknown.
    member_count: int | None = None


class RuleSet(Protocol):
    # The attributes are read-only members: a rule set's plain class attributes satisfy them
    # with narrower types (a `RuleSetCode` code, tuples of `DossierKind`), which a mutable
    # protocol attribute, being invariant, would refuse.
    @property
    def code(self) -> str: ...

    @property
    def regime(self) -> str:
        """The regime's short name, as cited on screens and in print ("QĐ 366-QĐ/TW")."""
        ...

    @property
    def quota_source(self) -> str:
        """Where the quota comes from, cited by the counter and the printed rule."""
        ...

    @property
    def uses_peer_groups(self) -> bool:
        """From QĐ 124 the quota is counted per peer group (DOMAIN.md §10, §13)."""
        ...

    @property
    def order_rules(self) -> Mapping[OrderRule, str]:
        """The order rules that apply (`reviews.rules.order.OrderRule`), each with its source."""
        ...

    @property
    def not_reviewed_reasons(self) -> frozenset[str]: ...

    @property
    def dossier_kinds(self) -> tuple[str, ...]:
        """The dossier's items in order (the checklist)."""
        ...

    @property
    def required_dossier_kinds(self) -> tuple[str, ...]:
        """The dossier's items a unit cannot submit without."""
        ...

    def defaults(self, year: int) -> dict[str, Any]:
        """The cycle settings this regime prescribes, copied into a new cycle."""
        ...

    def member_eligibility(self, facts: MemberFacts, *, context: RuleContext) -> Eligibility: ...

    def organization_eligibility(
        self, facts: OrganizationFacts, *, context: RuleContext
    ) -> Eligibility: ...

    def collective_eligibility(
        self, facts: CollectiveFacts, *, context: RuleContext
    ) -> Eligibility: ...

    def organization_may_be_excellent(
        self, *, rated: int, completed_or_better: int, good_or_better: int
    ) -> bool: ...

    def previous_cell_comments_required(
        self, *, arrived_on: datetime.date, left_on: datetime.date
    ) -> bool: ...
