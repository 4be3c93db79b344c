"""The task facts the level conditions read (QĐ 366-QĐ/TW, Điều 11: share of tasks done, beyond
what was required, late), computed from a register of tasks (issue #15, point 1). Pure.

A task counts as done when it was done to quality; as late when it was done after its due date
or is still not done once the date has passed.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from reviews.models.tasks import TaskItem


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def task_shares(items: Sequence[TaskItem], *, as_of: datetime.date) -> dict[str, Decimal]:
    """{tasks_done_percent, tasks_beyond_percent, tasks_late_percent} of the items as of a day;
    {} for an empty register (the shares stay as typed)."""
    if not items:
        return {}
    total = len(items)
    done = sum(1 for item in items if item.is_done)
    beyond = sum(1 for item in items if item.is_done and item.beyond_requirement)
    late = sum(
        1 for item in items if item.is_late or (item.done_on is None and item.due_on < as_of)
    )
    return {
        "tasks_done_percent": _percent(done, total),
        "tasks_beyond_percent": _percent(beyond, total),
        "tasks_late_percent": _percent(late, total),
    }
