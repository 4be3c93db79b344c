"""Writes to the task register (issue #15, point 1): each change recomputes the rating's task
facts from the register and records them through `ratings_record`, with its history."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.services import refuse_unknown_fields
from reviews.models import Rating, TaskItem
from reviews.rules.tasks import task_shares
from reviews.services.ratings import ratings_record

TASK_FIELDS = (
    "quarter",
    "title",
    "due_on",
    "done_on",
    "quality",
    "beyond_requirement",
    "evidence",
)
HISTORY_REASON = "Tính từ sổ theo dõi nhiệm vụ"


def _refuse_unless_open(rating: Rating) -> None:
    if not rating.cycle.is_open:
        raise ValidationError(
            _("Kỳ đánh giá không mở: không sửa được sổ nhiệm vụ."), code="cycle_not_open"
        )


def _record_shares(rating: Rating, acting_user: User | None) -> None:
    """The register's shares onto the rating (its one write path: the pool's lock, a finalized
    pool or a sent report refuse, the rules are checked)."""
    items = list(TaskItem.objects.filter(rating=rating))
    as_of = min(timezone.localdate(), rating.cycle.reference_date)
    shares = task_shares(items, as_of=as_of)
    if not shares:
        return
    try:
        ratings_record(
            cycle=rating.cycle,
            changes={rating.pk: shares},
            acting_user=acting_user,
            reason=HISTORY_REASON,
        )
    except ValidationError as error:
        # A share that no longer supports the decided level, a finalized pool, a sent report:
        # the register is not changed either, and the clerk is told why.
        raise ValidationError(
            _("Sổ nhiệm vụ chưa được ghi: %(why)s") % {"why": " ".join(error.messages)},
            code="register_refused",
        ) from error


def _validated(item: TaskItem) -> TaskItem:
    if item.done_on is None:
        item.quality, item.beyond_requirement = "", False
    item.full_clean(exclude=["rating", "updated_by"])
    return item


@transaction.atomic
def task_item_add(*, rating: Rating, acting_user: User | None, **fields: Any) -> TaskItem:
    """Add a task to the rating's register. Raises ValidationError: unknown_field,
    cycle_not_open, the model's own, register_refused (what `ratings_record` refused)."""
    refuse_unknown_fields(fields, TASK_FIELDS)
    _refuse_unless_open(rating)
    item = _validated(TaskItem(rating=rating, updated_by=acting_user, **fields))
    item.save()
    _record_shares(rating, acting_user)
    return item


@transaction.atomic
def task_item_update(*, item: TaskItem, acting_user: User | None, **fields: Any) -> TaskItem:
    """Correct a task (mark it done, its quality, its evidence)."""
    refuse_unknown_fields(fields, TASK_FIELDS)
    item = (
        TaskItem.objects.select_for_update(of=("self",))
        .select_related("rating__cycle")
        .get(pk=item.pk)
    )
    _refuse_unless_open(item.rating)
    for name, value in fields.items():
        setattr(item, name, value)
    item.updated_by = acting_user
    _validated(item).save()
    _record_shares(item.rating, acting_user)
    return item


@transaction.atomic
def task_item_remove(*, item: TaskItem, acting_user: User | None) -> None:
    """Remove a task entered by mistake; the shares follow (the last task removed leaves them
    as they were, to be typed again)."""
    item = TaskItem.objects.select_related("rating__cycle").get(pk=item.pk)
    _refuse_unless_open(item.rating)
    rating = item.rating
    item.delete()
    _record_shares(rating, acting_user)
