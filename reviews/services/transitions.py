"""The one way a state moves (issue #18): checked against the model's `StateMachine`, made,
and recorded. Cycles, pools, submissions, suggestions, their issues and questions all move here;
their services add what each move means (a reason required, dates set, notices sent)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import models

from reviews.models.transitions import StateMachine, TransitionRecord


def state_move(
    instance: models.Model,
    *,
    machine: StateMachine,
    to: str,
    acting_user: User | None,
    reason: str = "",
    at: datetime.datetime | None = None,
    also: tuple[str, ...] = (),
    record: type[TransitionRecord] | None = None,
) -> str:
    """Move `instance` to state `to` if `machine` allows it, save the state (and the fields
    named in `also`, set by the caller), and write a `record` row (from, to, who, when, why)
    when the model keeps one. Returns the state it left.

    The caller holds the row locked (select_for_update) inside its transaction. Raises
    ValidationError(code="transition_not_allowed").
    """
    old = getattr(instance, machine.field)
    machine.check(old, to)
    setattr(instance, machine.field, to)
    instance.save(update_fields=[machine.field, *also])
    if record is not None:
        owner = next(f for f in record._meta.fields if f.related_model is type(instance))
        fields: dict[str, Any] = {
            owner.name: instance,
            "from_state": old,
            "to_state": to,
            "changed_by": acting_user,
            "reason": reason,
        }
        if at is not None:
            fields["changed_at"] = at
        record._default_manager.create(**fields)
    return old
