"""Writes to the task register (issue #15, point 1): each change recomputes the rating's task
facts from the register and records them through `ratings_record`, with its history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.services import refuse_unknown_fields
from reviews.models import Pool, Rating, TaskEvidence, TaskItem, TaskItemChange
from reviews.rules.tasks import task_shares
from reviews.services.ratings import check_pools_writable, history_value, ratings_record
from reviews.services.uploads import check_upload

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


def task_pools_lock(*, pool_ids: Iterable[int] | QuerySet) -> list[Pool]:
    """Lock pools whose registers are read to be written, in primary-key order, until the
    caller's transaction ends: every write to a register takes it first, and an import reads
    the registers for its plan under it (`reviews.task_import`)."""
    return list(
        Pool.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .filter(pk__in=pool_ids)
        .order_by("pk")
    )


def _lock_writable(rating_ids: Iterable[int], acting_user: User | None) -> list[Pool]:
    """Lock the pools of the ratings whose registers a write touches (primary-key order, as
    `ratings_record` does, which finds them held) and refuse unless each can still change: its
    cycle open, the pool not finalized, its unit's report not sent or approved (a superuser
    may still correct it: `check_pools_writable`). Every change to a register, its shares or
    not, is refused alike. Raises ValidationError: cycle_not_open, pool_finalized,
    submission_locked."""
    pools = task_pools_lock(
        pool_ids=Rating.objects.filter(pk__in=set(rating_ids)).values("pool_id")
    )
    for pool in pools:
        if not pool.cycle.is_open:
            raise ValidationError(
                _("Kỳ đánh giá không mở: không sửa được sổ nhiệm vụ."), code="cycle_not_open"
            )
        if pool.is_finalized:
            raise ValidationError(
                _("Kết quả của nhóm này đã chốt; cần mở lại (nêu lý do) trước khi sửa."),
                code="pool_finalized",
            )
    if pools:
        check_pools_writable(cycle=pools[0].cycle, pools=pools, acting_user=acting_user)
    return pools


def _record_shares(
    ratings: list[Rating], acting_user: User | None, *, reason: str = HISTORY_REASON
) -> None:
    """The registers' shares onto their ratings in one call of the one write path (the rules
    are checked). An empty register leaves the shares as they were."""
    if not ratings:
        return
    by_rating: dict[int, list[TaskItem]] = {rating.pk: [] for rating in ratings}
    for item in TaskItem.objects.filter(rating__in=list(by_rating)):
        by_rating[item.rating_id].append(item)
    cycle = ratings[0].cycle
    as_of = min(timezone.localdate(), cycle.reference_date)
    changes = {
        rating_id: shares
        for rating_id, items in by_rating.items()
        if (shares := task_shares(items, as_of=as_of))
    }
    if not changes:
        return
    try:
        ratings_record(
            cycle=cycle,
            changes=changes,
            acting_user=acting_user,
            reason=reason,
            shares_from_register=True,
        )
    except ValidationError as error:
        # A share that no longer supports the decided level: the register is not changed
        # either, and the clerk is told why.
        raise ValidationError(
            _("Sổ nhiệm vụ chưa được ghi: %(why)s") % {"why": " ".join(error.messages)},
            code="register_refused",
        ) from error


def _locked_task(pk: int) -> TaskItem:
    """The task, locked, while it is in the register. Raises ValidationError(code=
    "task_not_found") for one removed meanwhile."""
    item = (
        TaskItem.objects.select_for_update(of=("self",))
        .select_related("rating__cycle")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise ValidationError(
            _("Nhiệm vụ này không còn trong sổ; hãy tải lại trang."), code="task_not_found"
        )
    return item


def _history_value(value: Any) -> str:
    """How a task's value shows in its history: dates as dd/mm/yyyy."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return history_value(value)


def _changes(
    item: TaskItem,
    before: dict[str, Any] | None,
    acting_user: User | None,
    reason: str = "",
) -> list[TaskItemChange]:
    """One history row per field of the task that differs from `before`; for a new task
    (`before` None), per field it was given."""
    if before is None:
        names = [name for name in TASK_FIELDS if getattr(item, name) not in (None, "", False)]
    else:
        names = [name for name in TASK_FIELDS if before[name] != getattr(item, name)]
    return [
        TaskItemChange(
            task=item,
            field=name,
            old_value=_history_value(before[name]) if before is not None else "",
            new_value=_history_value(getattr(item, name)),
            reason=reason,
            changed_by=acting_user,
        )
        for name in names
    ]


def _values(item: TaskItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in TASK_FIELDS}


def task_item_validated(item: TaskItem) -> TaskItem:
    """A task as it will be stored: no quality while not done, the model's checks passed.
    Raises the model's ValidationError (by field).

    The two constraints (a quarter 1–4, a quality only when done) are held here in Python
    (the field's validators, the line above) and by the database, so they are not asked of
    the database again (a query and a savepoint each, for every row of an import)."""
    if item.done_on is None:
        item.quality, item.beyond_requirement = "", False
    item.full_clean(exclude=["rating", "updated_by", "removed_by"], validate_constraints=False)
    return item


@transaction.atomic
def task_item_add(*, rating: Rating, acting_user: User | None, **fields: Any) -> TaskItem:
    """Add a task to the rating's register. Raises ValidationError: unknown_field, those of
    `_lock_writable`, the model's own, register_refused (what `ratings_record` refused)."""
    refuse_unknown_fields(fields, TASK_FIELDS)
    _lock_writable([rating.pk], acting_user)
    item = task_item_validated(TaskItem(rating=rating, updated_by=acting_user, **fields))
    item.save()
    TaskItemChange.objects.bulk_create(_changes(item, None, acting_user))
    _record_shares([rating], acting_user)
    return item


@transaction.atomic
def task_item_update(*, item: TaskItem, acting_user: User | None, **fields: Any) -> TaskItem:
    """Correct a task (mark it done, its quality, its evidence), each changed field recorded
    old → new. Raises ValidationError as `task_item_add`, task_not_found."""
    refuse_unknown_fields(fields, TASK_FIELDS)
    _lock_writable([item.rating_id], acting_user)
    item = _locked_task(item.pk)
    before = _values(item)
    for name, value in fields.items():
        setattr(item, name, value)
    item.updated_by = acting_user
    task_item_validated(item).save()
    TaskItemChange.objects.bulk_create(_changes(item, before, acting_user))
    _record_shares([item.rating], acting_user)
    return item


@transaction.atomic
def task_item_remove(*, item: TaskItem, acting_user: User | None) -> None:
    """Take a task entered by mistake off the register; the shares follow (the last task
    removed leaves them as they were, to be typed again). The task keeps its row, its files
    and its history, with who removed it and when. Raises ValidationError as
    `_lock_writable`, task_not_found, register_refused."""
    _lock_writable([item.rating_id], acting_user)
    item = _locked_task(item.pk)
    item.removed_at = timezone.now()
    item.removed_by = acting_user
    item.save(update_fields=["removed_at", "removed_by"])
    TaskItemChange.objects.create(
        task=item,
        field="removed_at",
        new_value=_history_value(item.removed_at),
        changed_by=acting_user,
    )
    _record_shares([item.rating], acting_user)


@dataclass(frozen=True)
class TaskEntry:
    """One task to write from a file: a new one (`item` None) or a correction of `item`.
    `checked`: the caller already passed the task as it will be stored through
    `task_item_validated`, reading `item` under the pools' lock (the import's plan)."""

    rating: Rating
    fields: dict[str, Any]
    item: TaskItem | None = None
    checked: bool = False


@transaction.atomic
def task_register_import(
    *, entries: list[TaskEntry], acting_user: User | None, reason: str = HISTORY_REASON
) -> None:
    """Write many tasks of one cycle at once (the Excel import, issue #15): all or none, the
    shares of every register touched recorded in one call of `ratings_record`. The pools are
    locked first; a task to correct that has left the register meanwhile is refused. Raises
    ValidationError: unknown_field, those of `_lock_writable`, task_not_found, the model's
    own, register_refused."""
    if not entries:
        return
    _lock_writable({entry.rating.pk for entry in entries}, acting_user)
    ratings: dict[int, Rating] = {}
    existing = {
        item.pk: item
        for item in TaskItem.objects.select_for_update(of=("self",)).filter(
            pk__in=[entry.item.pk for entry in entries if entry.item is not None]
        )
    }
    for entry in entries:
        if entry.item is not None and entry.item.pk not in existing:
            raise ValidationError(
                _("Nhiệm vụ “%(title)s” không còn trong sổ; hãy tải lại tệp.")
                % {"title": entry.item.title},
                code="task_not_found",
            )
    added, corrected = [], []
    before: dict[int, dict[str, Any]] = {}
    for entry in entries:
        refuse_unknown_fields(entry.fields, TASK_FIELDS)
        ratings.setdefault(entry.rating.pk, entry.rating)
        if entry.item is None:
            item = TaskItem(rating=entry.rating)
            added.append(item)
        else:
            item = existing[entry.item.pk]
            before[item.pk] = _values(item)
            corrected.append(item)
        for name, value in entry.fields.items():
            setattr(item, name, value)
        item.updated_by = acting_user
        if not entry.checked:
            task_item_validated(item)
    TaskItem.objects.bulk_create(added, batch_size=1000)
    task_reason = "" if reason == HISTORY_REASON else reason  # the file it came from
    TaskItem.objects.bulk_update(corrected, [*TASK_FIELDS, "updated_by"], batch_size=1000)
    TaskItemChange.objects.bulk_create(
        [
            change
            for item in [*added, *corrected]
            for change in _changes(item, before.get(item.pk), acting_user, task_reason)
        ],
        batch_size=1000,
    )
    _record_shares(list(ratings.values()), acting_user, reason=reason)


#: Files kept as evidence of one task.
EVIDENCE_FILES_MAX = 10


@transaction.atomic
def task_evidence_attach(
    *, item: TaskItem, upload: UploadedFile, acting_user: User | None
) -> TaskEvidence:
    """Keep a file as evidence of a task, checked like every upload (`check_upload`).
    Raises ValidationError: those of `_lock_writable`, task_not_found, too_many_files and
    those of `check_upload`."""
    _lock_writable([item.rating_id], acting_user)
    item = _locked_task(item.pk)
    if TaskEvidence.objects.present().filter(task=item).count() >= EVIDENCE_FILES_MAX:
        raise ValidationError(
            _("Mỗi nhiệm vụ có tối đa %(n)s tệp minh chứng.") % {"n": EVIDENCE_FILES_MAX},
            code="too_many_files",
        )
    checked = check_upload(upload)
    evidence = TaskEvidence(
        task=item,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=acting_user,
    )
    evidence.file.save(checked.name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def task_evidence_remove(*, evidence: TaskEvidence, acting_user: User | None) -> None:
    """Take a file off the register; the record of it (who, when) stays. Raises
    ValidationError as `_lock_writable`."""
    _lock_writable([evidence.task.rating_id], acting_user)
    evidence = (
        TaskEvidence.objects.select_for_update(of=("self",))
        .select_related("task__rating__cycle")
        .get(pk=evidence.pk)
    )
    if evidence.removed_at is None:
        evidence.removed_at = timezone.now()
        evidence.removed_by = acting_user
        evidence.save(update_fields=["removed_at", "removed_by"])
