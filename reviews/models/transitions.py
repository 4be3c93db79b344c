"""One way to move a state (issue #18): a `StateMachine` next to each state enum says which
moves are allowed; `reviews.services.transitions.state_move` checks a move against it, makes it,
and records it. Views ask the machine what is allowed instead of restating it.

History rows share one vocabulary: `changed_at` and `changed_by`; a state move (a
`TransitionRecord`) also `from_state`, `to_state` and `reason`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import acting_user_field


class StateMachine:
    """The allowed moves of one state field: {from state: the states it may move to}.

    `noun` names the thing in the refusal ("kỳ", "báo cáo"…); `field` is the model field that
    holds the state.
    """

    def __init__(
        self,
        states: type[models.TextChoices],
        moves: Mapping[str, Iterable[str]],
        *,
        noun: Any,
        field: str = "state",
    ) -> None:
        unknown = {*moves, *(target for targets in moves.values() for target in targets)} - set(
            states.values
        )
        if unknown:
            raise ValueError(f"unknown states {sorted(unknown)} for {states.__name__}")
        self.states = states
        self.moves = {str(state): frozenset(map(str, targets)) for state, targets in moves.items()}
        self.noun = noun
        self.field = field

    def targets(self, current: str) -> frozenset[str]:
        """Where a thing in `current` may go."""
        return self.moves.get(str(current), frozenset())

    def allows(self, current: str, target: str) -> bool:
        return str(target) in self.targets(current)

    def label(self, state: str) -> str:
        return str(self.states(state).label)

    def check(self, current: str, target: str) -> None:
        """Raises ValidationError(code="transition_not_allowed") naming both states."""
        if not self.allows(current, target):
            raise ValidationError(
                _('Không thể chuyển %(noun)s từ "%(old)s" sang "%(new)s".')
                % {"noun": self.noun, "old": self.label(current), "new": self.label(target)},
                code="transition_not_allowed",
            )


class TransitionRecord(models.Model):
    """One move of a state: from, to, who, when and why (the base of every `…Transition`)."""

    from_state = models.CharField(gettext_lazy("từ"), max_length=16)
    to_state = models.CharField(gettext_lazy("sang"), max_length=16)
    changed_at = models.DateTimeField(gettext_lazy("thời điểm"), default=timezone.now)
    changed_by = acting_user_field(gettext_lazy("người thực hiện"))
    reason = models.TextField(gettext_lazy("lý do, ý kiến"), blank=True)

    #: The machine whose moves this model records (set by each subclass).
    machine: StateMachine

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-pk"]

    def get_from_state_display(self) -> str:
        return self.machine.label(self.from_state)

    def get_to_state_display(self) -> str:
        return self.machine.label(self.to_state)
