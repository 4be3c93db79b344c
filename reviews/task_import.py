"""A unit's task register in Excel (issue #15, point 1): download the register of a pool (the
tasks already kept, or examples), fill it, upload it, preview, apply all or nothing.

A row names the person (by card number, else by name unique in the pool) or the collective (by
name), the task and its quarter; a task already in that register with the same title and
quarter is corrected, any other is added. Blank cells of a known task keep what it holds. The
changes are tried in a transaction that is rolled back, so the refusals of the register's
service (a finalized pool, a sent report, a decided level the shares no longer support) show as
row errors before anything is written, as for the rating sheet (`reviews.roundtrip`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from members.imports import (
    ADD,
    UNCHANGED,
    UPDATE,
    ApplyFailed,
    Change,
    ImportContext,
    ImportRefused,
    PlannedRow,
    Preview,
    batch_record,
    run_apply,
)
from members.imports.columns import DATE_FORMAT, NUMBER, TEXT_FORMAT, Column
from members.imports.context import RowReader
from members.imports.reader import opened, read_table
from members.imports.sheets import (
    EXAMPLE_FONT,
    add_list_validation,
    workbook_bytes,
    write_header,
    write_instructions,
    write_list,
    write_row,
    write_title,
)
from members.imports.templates import EXAMPLE, YES_NO, common_notes, in_vietnamese
from members.imports.values import (
    CellError,
    Choices,
    clean_text,
    fold,
    parse_bool,
    parse_card_number,
    parse_date,
    show,
)
from members.models import ImportBatch, ImportKind
from reviews.models import Pool, Rating, TaskItem, TaskQuality
from reviews.permissions import (
    Scope,
    locked_unit_paths,
    may_read_self_review,
    may_write_self_review,
)
from reviews.services.tasks import (
    TaskEntry,
    task_item_validated,
    task_pools_lock,
    task_register_import,
)

HEADER_ROW = 3
QUALITIES = Choices(
    TaskQuality.choices, aliases={"Đạt": TaskQuality.MEETS, "Chưa đạt": TaskQuality.FAILS}
)
TASK_COLUMNS = (
    NUMBER,
    Column(
        "subject",
        "Họ và tên",
        required=True,
        width=26,
        hint=gettext_lazy("Người được giao nhiệm vụ, hoặc tên tập thể (trang “Danh mục”)."),
        aliases=("Họ tên", "Tên tập thể", "Đối tượng", "Người thực hiện"),
    ),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        width=14,
        hint=gettext_lazy("Nên ghi: phân biệt hai người trùng tên. Bỏ trống với tập thể."),
        aliases=("Số thẻ",),
        number_format=TEXT_FORMAT,
    ),
    Column(
        "title",
        "Nhiệm vụ, sản phẩm",
        required=True,
        width=44,
        hint=gettext_lazy("Tên nhiệm vụ hoặc sản phẩm (tối đa 500 ký tự)."),
        aliases=("Nhiệm vụ", "Tên nhiệm vụ", "Sản phẩm"),
    ),
    Column(
        "quarter",
        "Quý",
        width=8,
        hint=gettext_lazy("1, 2, 3 hoặc 4; bỏ trống: nhiệm vụ của cả năm."),
        aliases=("Kỳ",),
    ),
    Column(
        "due_on",
        "Hạn hoàn thành",
        required=True,
        width=14,
        hint=gettext_lazy("dd/mm/yyyy."),
        aliases=("Hạn", "Thời hạn"),
        number_format=DATE_FORMAT,
    ),
    Column(
        "done_on",
        "Ngày hoàn thành",
        width=14,
        hint=gettext_lazy("dd/mm/yyyy; bỏ trống khi chưa hoàn thành."),
        number_format=DATE_FORMAT,
    ),
    Column(
        "quality",
        "Chất lượng",
        width=18,
        hint=gettext_lazy("Đạt yêu cầu hoặc Chưa đạt yêu cầu; chỉ ghi khi đã hoàn thành."),
    ),
    Column(
        "beyond_requirement",
        "Vượt yêu cầu",
        width=10,
        hint=gettext_lazy("Có hoặc Không; chỉ ghi khi đã hoàn thành."),
    ),
    Column(
        "evidence",
        "Minh chứng",
        width=30,
        hint=gettext_lazy("Số văn bản, tên sản phẩm hoặc nơi lưu (tối đa 500 ký tự)."),
    ),
)
LABELS = {column.key: column.label for column in TASK_COLUMNS}
#: The columns a row writes onto a task, in the order the preview lists changes.
WRITTEN = ("due_on", "done_on", "quality", "beyond_requirement", "evidence")


def register_ratings(pool: Pool, scope: Scope) -> list[Rating]:
    """The pool's ratings whose register the user reads (`may_read_self_review`, the readers
    of the register's page), in name order, with what the rights need."""
    ratings = []
    for rating in Rating.objects.filter(scope.subject_filter(), pool=pool).select_related(
        "member", "organization", "collective", "unit"
    ):
        rating.pool, rating.cycle = pool, pool.cycle
        if may_read_self_review(scope, rating):
            ratings.append(rating)
    ratings.sort(key=lambda rating: (fold(str(rating.subject)), rating.pk))
    return ratings


def _card(rating: Rating) -> str:
    return rating.member.card_number if rating.member_id is not None else ""


def _quarter_text(quarter: int | None) -> str:
    return "" if quarter is None else str(quarter)


def _quality_text(code: str) -> str:
    return str(TaskQuality(code).label) if code else ""


@in_vietnamese
def tasks_template(*, pool: Pool, scope: Scope) -> bytes:
    """The pool's task register as .xlsx bytes: its tasks (or two example rows), the people
    and collectives of the pool on "Danh mục", the instructions on "Hướng dẫn"."""
    columns = TASK_COLUMNS
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Sổ nhiệm vụ")
    write_title(
        ws,
        _("SỔ THEO DÕI NHIỆM VỤ NĂM %(year)s — %(unit)s")
        % {"year": pool.cycle.year, "unit": pool.owner.name.upper()},
        _("Xem hướng dẫn ở trang “Hướng dẫn”; tên và số thẻ ở trang “Danh mục”."),
        len(columns),
    )
    write_header(ws, HEADER_ROW, columns)
    ratings = register_ratings(pool, scope)
    items = list(TaskItem.objects.filter(rating__in=ratings).order_by("rating_id", "due_on", "pk"))
    subjects = {rating.pk: rating for rating in ratings}
    row = HEADER_ROW
    for number, item in enumerate(items, start=1):
        rating = subjects[item.rating_id]
        row += 1
        values = [
            number,
            str(rating.subject),
            _card(rating),
            item.title,
            _quarter_text(item.quarter),
            item.due_on,
            item.done_on,
            _quality_text(item.quality),
            (_("Có") if item.beyond_requirement else "") if item.done_on else "",
            item.evidence,
        ]
        write_row(ws, row, values, columns)
    if not items:
        first = ratings[0] if ratings else None
        name = str(first.subject) if first else "Nguyễn Văn An"
        card = _card(first) if first else "01234567"
        year = pool.cycle.year
        examples = [
            [EXAMPLE, name, card, "Báo cáo chuyên đề quý I", "1", datetime.date(year, 3, 31),
             datetime.date(year, 3, 25), "Đạt yêu cầu", "Không", "Báo cáo số 12-BC"],
            [EXAMPLE, name, card, "Đề án cải cách thủ tục", "", datetime.date(year, 11, 30),
             None, "", "", ""],
        ]  # fmt: skip
        for offset, values in enumerate(examples, start=1):
            write_row(ws, HEADER_ROW + offset, values, columns, font=EXAMPLE_FONT)
    notes = [
        *common_notes(_("nhiệm vụ")),
        _(
            "Nhiệm vụ đã có trong sổ (cùng người, cùng tên nhiệm vụ, cùng quý) được cập nhật; "
            "ô để trống giữ nguyên giá trị đang có. Nhiệm vụ khác được thêm vào sổ."
        ),
        _(
            "Khi sổ có nhiệm vụ, tỷ lệ hoàn thành, vượt yêu cầu và chậm tiến độ của người đó được "
            "tính từ sổ (QĐ 366-QĐ/TW, Điều 11)."
        ),
        _("Tệp đính kèm làm minh chứng được tải lên ở trang sổ nhiệm vụ của từng người."),
    ]
    write_instructions(
        workbook.create_sheet(_("Hướng dẫn")), _("HƯỚNG DẪN NHẬP SỔ NHIỆM VỤ"), notes, columns
    )
    lists = workbook.create_sheet(_("Danh mục"))
    index = {column.key: i for i, column in enumerate(columns, start=1)}
    first_row = HEADER_ROW + 1
    source = write_list(lists, 1, _("Họ và tên"), [str(r.subject) for r in ratings])
    write_list(lists, 2, _("Số thẻ đảng viên"), [_card(r) for r in ratings])
    add_list_validation(ws, source, index["subject"], first_row, strict=False)
    add_list_validation(
        ws, write_list(lists, 3, _("Chất lượng"), QUALITIES.labels), index["quality"], first_row
    )
    source = write_list(lists, 4, _("Có/Không"), YES_NO)
    add_list_validation(ws, source, index["beyond_requirement"], first_row)
    return workbook_bytes(workbook)


def parse_quarter(value) -> int | None:
    text = fold(value).removeprefix("quy").strip()
    if not text or text in ("ca nam", "nam"):
        return None
    if text in ("1", "2", "3", "4", "i", "ii", "iii", "iv"):
        return {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(text) or int(text)
    raise CellError(
        _("“%(value)s”: quý là 1, 2, 3 hoặc 4 (bỏ trống: cả năm).") % {"value": clean_text(value)},
        code="invalid_quarter",
    )


def _parse_text(value) -> str:
    return " ".join(clean_text(value).split())


@dataclass
class TaskRow:
    """A checked row: the rating, the task it corrects (None: a new one), the fields it
    writes, and its reader (for the cell of a refusal)."""

    rating: Rating
    item: TaskItem | None
    fields: dict
    reader: RowReader


class _People:
    """The pool's subjects by card number and by folded name."""

    def __init__(self, ratings: list[Rating]):
        self.by_card = {_card(r): r for r in ratings if _card(r)}
        self.by_name: dict[str, list[Rating]] = defaultdict(list)
        for rating in ratings:
            self.by_name[fold(str(rating.subject))].append(rating)

    def find(self, reader: RowReader, name: str, card: str) -> Rating | None:
        if card:
            rating = self.by_card.get(card)
            if rating is None:
                reader.fail(
                    "card_number",
                    "unknown_person",
                    _("Không có đảng viên số thẻ %(card)s trong nhóm xếp loại này.")
                    % {"card": card},
                )
            elif fold(str(rating.subject)) != fold(name):
                reader.fail(
                    "subject",
                    "name_mismatch",
                    _("Số thẻ %(card)s là của %(name)s, không phải “%(typed)s”.")
                    % {"card": card, "name": rating.subject, "typed": name},
                )
                return None
            return rating
        found = self.by_name.get(fold(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            reader.fail(
                "card_number",
                "ambiguous_name",
                _("Nhóm có %(n)s người tên “%(name)s”; hãy ghi số thẻ đảng viên.")
                % {"n": len(found), "name": name},
            )
        else:
            reader.fail(
                "subject",
                "unknown_person",
                _("“%(name)s” không có trong nhóm xếp loại này (hoặc ngoài phạm vi của bạn).")
                % {"name": name},
            )
        return None


def tasks_preview(*, data: bytes, pool: Pool, scope: Scope, user) -> Preview:
    """What the uploaded register would add and correct, and every row refused. The registers
    are read and tried under the pool's lock, so the plan is what the apply writes when it
    runs in the same transaction (`tasks_apply`)."""
    try:
        with opened(data) as workbook:
            table = read_table(workbook, TASK_COLUMNS)
    except ImportRefused as refusal:
        return Preview(kind=ImportKind.TASKS, refused=refusal)
    preview = Preview(kind=ImportKind.TASKS, sheet=table.sheet)
    with transaction.atomic():
        (locked,) = task_pools_lock(pool_ids=[pool.pk])
        if not locked.cycle.is_open:
            preview.refused = ImportRefused(
                _("Kỳ đánh giá không mở: không sửa được sổ nhiệm vụ."), code="cycle_not_open"
            )
            return preview
        _plan(preview, table, pool=pool, scope=scope)
        if preview.ok:
            _dry_run(preview, user=user)
    return preview


def _plan(preview: Preview, table, *, pool: Pool, scope: Scope) -> None:
    """Each row checked and matched to the register it writes: a new task or a correction."""
    ratings = register_ratings(pool, scope)
    people = _People(ratings)
    locked = locked_unit_paths(pool.cycle)
    writable: dict[int, bool] = {}
    known: dict[tuple[int, str, int | None], TaskItem] = {
        (item.rating_id, fold(item.title), item.quarter): item
        for item in TaskItem.objects.filter(rating__in=ratings)
    }
    seen: dict[tuple[int, str, int | None], int] = {}
    for number, values in table.rows:
        reader = RowReader(table, number, values, preview, TASK_COLUMNS)
        name = reader.read("subject", _parse_text, required=True)
        card = reader.read("card_number", parse_card_number) or ""
        title = reader.read("title", _parse_text, required=True)
        quarter = reader.read("quarter", parse_quarter)
        typed = {
            "due_on": reader.read("due_on", parse_date, required=True),
            "done_on": reader.read("done_on", parse_date),
            "quality": reader.read("quality", QUALITIES.parse) or None,
            "beyond_requirement": reader.read("beyond_requirement", parse_bool),
            "evidence": reader.read("evidence", _parse_text) or None,
        }
        if reader.failed:
            continue
        rating = people.find(reader, name, card)
        if rating is None or reader.failed:
            continue
        if rating.pk not in writable:
            writable[rating.pk] = rating.is_reviewed and may_write_self_review(
                scope, rating, locked_units=locked
            )
        if not writable[rating.pk]:
            reader.fail("subject", "no_right", _no_right_message(rating, locked))
            continue
        key = (rating.pk, fold(title), quarter)
        if key in seen:
            reader.fail(
                "title",
                "duplicate_in_file",
                _("Nhiệm vụ này lặp lại dòng %(row)s.") % {"row": seen[key]},
            )
            continue
        seen[key] = number
        item = known.get(key)
        plan = _planned(reader, rating, item, title, quarter, typed)
        if plan is not None:
            preview.rows.append(plan)


def _no_right_message(rating: Rating, locked: set[str]) -> str:
    if not rating.is_reviewed:
        return _("%(subject)s không kiểm điểm (%(reason)s): không có sổ nhiệm vụ.") % {
            "subject": rating.subject,
            "reason": rating.get_not_rated_reason_display(),
        }
    if any(rating.unit.path.startswith(path) for path in locked):
        return _("Báo cáo của đơn vị đã gửi hoặc đã được phê duyệt: sổ nhiệm vụ chỉ xem.")
    return _("Bạn không có quyền sửa sổ nhiệm vụ của %(subject)s.") % {"subject": rating.subject}


def _planned(
    reader: RowReader,
    rating: Rating,
    item: TaskItem | None,
    title: str,
    quarter: int | None,
    typed: dict,
) -> PlannedRow | None:
    """The row as a new task or a correction (blank cells keep what the task holds), checked
    by the model; None when refused."""
    fields = {key: value for key, value in typed.items() if value is not None}
    if item is None:
        fields = {"title": title, "quarter": quarter, **fields}
        fields.setdefault("evidence", "")
        fields.setdefault("quality", "")
        fields.setdefault("beyond_requirement", False)
    candidate = TaskItem(rating=rating)
    if item is not None:
        for name in ("title", "quarter", *WRITTEN):
            setattr(candidate, name, getattr(item, name))
    for name, value in fields.items():
        setattr(candidate, name, value)
    if candidate.done_on is None and (candidate.quality or candidate.beyond_requirement):
        key = "quality" if candidate.quality else "beyond_requirement"
        reader.fail(
            key, "not_done", _("Chỉ ghi chất lượng, vượt yêu cầu khi đã có ngày hoàn thành.")
        )
        return None
    try:
        task_item_validated(candidate)
    except ValidationError as error:
        reader.fail_model(error, field_to_key={}, first="title")
        return None
    label = f"{rating.subject} — {title}"
    if item is None:
        changes = [
            Change(key, LABELS[key], "", _shown(key, getattr(candidate, key)))
            for key in ("quarter", *WRITTEN)
            if getattr(candidate, key) not in (None, "", False)
        ]
        payload = TaskRow(rating, None, fields, reader)
        return PlannedRow(reader.number, reader.ref("title"), label, ADD, changes, payload)
    changed = {key: value for key, value in fields.items() if getattr(item, key) != value}
    changes = [
        Change(key, LABELS[key], _shown(key, getattr(item, key)), _shown(key, value))
        for key, value in changed.items()
    ]
    payload = TaskRow(rating, item, changed, reader)
    action = UPDATE if changed else UNCHANGED
    return PlannedRow(reader.number, reader.ref("title"), label, action, changes, payload)


def _shown(key: str, value) -> str:
    return _quality_text(value) if key == "quality" else show(value)


def _entries(plans: list[PlannedRow]) -> list[TaskEntry]:
    """The plan's rows as the service's entries, checked already (`_planned`)."""
    return [
        TaskEntry(
            rating=plan.payload.rating,
            fields=plan.payload.fields,
            item=plan.payload.item,
            checked=True,
        )
        for plan in plans
        if plan.action != UNCHANGED
    ]


def _dry_run(preview: Preview, *, user) -> None:
    """Try the file in a transaction that is rolled back; a refusal is shown on the first row
    of each register it concerns (tried one register at a time to find which)."""
    plans = [plan for plan in preview.rows if plan.action != UNCHANGED]
    if not plans:
        return
    with transaction.atomic():
        try:
            task_register_import(entries=_entries(plans), acting_user=user)
            whole: ValidationError | None = None
        except ValidationError as error:
            whole = error
        transaction.set_rollback(True)
    if whole is None:
        return
    by_rating: dict[int, list[PlannedRow]] = defaultdict(list)
    for plan in plans:
        by_rating[plan.payload.rating.pk].append(plan)
    refused: list[PlannedRow] = []
    with transaction.atomic():
        for rows in by_rating.values():
            try:
                with transaction.atomic():
                    task_register_import(entries=_entries(rows), acting_user=user)
            except ValidationError as error:
                _fail(preview, rows[0], error)
                refused.extend(rows)
        transaction.set_rollback(True)
    if not refused:
        _fail(preview, plans[0], whole)
        refused.extend(by_rating[plans[0].payload.rating.pk])
    preview.rows = [row for row in preview.rows if not any(row is plan for plan in refused)]


def _fail(preview: Preview, plan: PlannedRow, error: ValidationError) -> None:
    failure = ApplyFailed.from_validation(plan, error)
    preview.error(plan.payload.reader.ref("title"), plan.row, failure.code, failure.message)


def tasks_apply(
    *, data: bytes, pool: Pool, scope: Scope, user, batch: ImportBatch
) -> tuple[Preview, ImportBatch | None]:
    """Check the file again and write it, every task or none: the plan is made and written
    in one transaction under the pool's lock, so no task changes in between."""
    with transaction.atomic():
        preview = tasks_preview(data=data, pool=pool, scope=scope, user=user)
        return preview, _apply(preview, data=data, pool=pool, user=user, batch=batch)


def _apply(
    preview: Preview, *, data: bytes, pool: Pool, user, batch: ImportBatch
) -> ImportBatch | None:
    reason = _("Nhập sổ nhiệm vụ từ tệp Excel %(name)s") % {"name": batch.file_name}

    def apply() -> None:
        plans = [plan for plan in preview.rows if plan.action != UNCHANGED]
        try:
            task_register_import(entries=_entries(plans), acting_user=user, reason=reason)
        except ValidationError as error:
            raise ApplyFailed.from_validation(plans[0], error) from error

    ctx = ImportContext(user=user, scope=pool.owner, file_name=batch.file_name)

    def record(counts: dict) -> ImportBatch:
        written = {key: counts[key] for key in ("added", "updated", "unchanged")}
        return batch_record(batch=batch, kind=ImportKind.TASKS, data=data, ctx=ctx, counts=written)

    return run_apply(preview, apply, record=record)
