"""The offline round trip of a unit's rating sheet: download, fill in Excel, upload, apply.

The sheet lists the pool's members by cell with what the rules say about each (not rated and
why, the highest level allowed), the self-rating, the cell's proposal and its votes, and the
committee's decision; hidden columns carry each rating's id and version. A second sheet holds
the cycle, the unit and a signature (django.core.signing) over both, so that a sheet from
another cycle or unit is refused. Uploading it back shows per member what will change
(old → new); the changes are tried in a transaction that is rolled back, so that the
refusals of `reviews.services.ratings_record` (caps, quota, finalized pools, a submitted unit,
stale versions) show as row errors before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import PatternFill, Protection
from openpyxl.utils import get_column_letter

from members.imports import (
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
from members.imports.reader import find_labelled, opened, read_table
from members.imports.sheets import (
    EXAMPLE_FONT,
    inline_list_validation,
    protect,
    whole_number_validation,
    workbook_bytes,
    write_header,
    write_key_values,
    write_row,
    write_title,
)
from members.imports.values import Choices, header_key, parse_count, show
from members.models import ImportBatch, ImportKind
from organizations.templatetags.people import person_name
from reviews.forms import MAX_VOTES
from reviews.models import Level, Pool
from reviews.permissions import Scope, locked_unit_paths
from reviews.selectors import PoolRow, pool_rows
from reviews.services import ratings_record

SALT = "reviews.roundtrip.rating-sheet"
SIGNATURE_LABEL = "Mã xác thực (không sửa)"
HEADER_ROW = 3
LOCKED_FILL = PatternFill("solid", fgColor="EFEFEF")
LEVELS = Choices(
    Level.choices,
    aliases={
        "Xuất sắc": Level.EXCELLENT,
        "Tốt": Level.GOOD,
        "Hoàn thành": Level.COMPLETED,
        "Không hoàn thành": Level.NOT_COMPLETED,
    },
)
COLUMNS = (
    NUMBER,
    Column("full_name", "Họ và tên", width=26),
    Column("date_of_birth", "Ngày sinh", width=11, number_format=DATE_FORMAT),
    Column("card_number", "Số thẻ đảng viên", width=12, number_format=TEXT_FORMAT),
    Column("cell", "Chi bộ", width=26),
    Column("eligibility", "Điều kiện theo quy định", width=34),
    Column("self_level", "Tự đánh giá, xếp loại", width=24, aliases=("Tự đánh giá",)),
    Column("proposal_level", "Chi bộ đề xuất", width=24),
    Column("votes_for", "Tán thành", width=9),
    Column("votes_against", "Không tán thành", width=10),
    Column("decision_level", "Cấp ủy quyết định", width=24),
    Column("rating_id", "Mã kết quả", required=True, width=8),
    Column("version", "Phiên bản", required=True, width=8),
)
LABELS = {column.key: column.label for column in COLUMNS}
LEVEL_FIELDS = ("self_level", "proposal_level", "decision_level")
VOTE_FIELDS = ("votes_for", "votes_against")
EDITABLE = ("self_level", "proposal_level", "votes_for", "votes_against", "decision_level")
RIGHT_OF = {
    "self_level": "self_level",
    "proposal_level": "proposal",
    "votes_for": "proposal",
    "votes_against": "proposal",
    "decision_level": "decision",
}


def sheet_rows(pool: Pool, scope: Scope) -> list[PoolRow]:
    return [row for row in pool_rows(pool, scope) if row.rating.member is not None]


def _eligibility_text(row: PoolRow) -> str:
    verdict = row.eligibility
    if not verdict.is_rated:
        return _("Không xếp loại (lý do: %(reason)s)") % {
            "reason": row.rating.get_not_rated_reason_display()
        }
    if not verdict.limits:
        return ""
    head = _("Tối đa: %(level)s.") % {"level": Level(verdict.max_level).label}
    return " ".join([head, *(limit.message for limit in verdict.limits)])


def rating_sheet(*, pool: Pool, scope: Scope, user) -> bytes:
    """The unit's rating sheet as .xlsx bytes; cells the user may not change are locked."""
    with override("vi"):
        return _rating_sheet(pool, scope, user)


def _rating_sheet(pool: Pool, scope: Scope, user) -> bytes:
    cycle = pool.cycle
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Xếp loại đảng viên")
    write_title(
        ws,
        _("KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN NĂM %(year)s — %(unit)s")
        % {"year": cycle.year, "unit": pool.owner.name.upper()},
        _(
            "Chỉ sửa các ô trắng (mức xếp loại chọn trong danh sách, số phiếu là số nguyên). "
            "Không sửa các cột ẩn và trang “Thông tin”."
        ),
        len(COLUMNS),
    )
    write_header(ws, HEADER_ROW, COLUMNS)
    rows = sheet_rows(pool, scope)
    for index, row in enumerate(rows, start=1):
        rating, member = row.rating, row.rating.member
        values = [
            index,
            member.full_name,
            member.date_of_birth,
            member.card_number,
            row.group.name,
            _eligibility_text(row),
            _show_level(rating.self_level),
            _show_level(rating.proposal_level),
            rating.votes_for,
            rating.votes_against,
            _show_level(rating.decision_level),
            rating.pk,
            rating.version,
        ]
        number = HEADER_ROW + index
        write_row(ws, number, values, COLUMNS)
        for key in EDITABLE:
            cell = ws.cell(row=number, column=_column(key))
            if row.eligibility.is_rated and getattr(row.rights, RIGHT_OF[key]):
                cell.protection = Protection(locked=False)
            else:
                cell.font = EXAMPLE_FONT
                cell.fill = LOCKED_FILL
    last = HEADER_ROW + max(len(rows), 1)
    _validations(ws, last)
    for key in ("rating_id", "version"):
        ws.column_dimensions[get_column_letter(_column(key))].hidden = True
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
    protect(ws)
    _metadata_sheet(workbook, pool, user, count=len(rows))
    return workbook_bytes(workbook)


def _column(key: str) -> int:
    return next(i for i, column in enumerate(COLUMNS, start=1) if column.key == key)


def _validations(ws, last: int) -> None:
    def ranges(keys):
        letters = [get_column_letter(_column(key)) for key in keys]
        return [f"{x}{HEADER_ROW + 1}:{x}{max(last, HEADER_ROW + 1)}" for x in letters]

    inline_list_validation(
        ws,
        LEVELS.labels,
        ranges(LEVEL_FIELDS),
        error=_("Hãy chọn một mức xếp loại trong danh sách."),
    )
    whole_number_validation(
        ws, MAX_VOTES, ranges(VOTE_FIELDS), error=_("Số phiếu là số nguyên không âm.")
    )


def signature_for(pool: Pool) -> str:
    payload = {
        "v": 1,
        "cycle": pool.cycle_id,
        "year": pool.cycle.year,
        "pool": pool.pk,
        "unit": pool.owner.code,
    }
    return signing.dumps(payload, salt=SALT)


def _metadata_sheet(workbook: Workbook, pool: Pool, user, *, count: int) -> None:
    ws = workbook.create_sheet(_("Thông tin"))
    write_key_values(
        ws,
        [
            (_("Kỳ đánh giá"), str(pool.cycle.title)),
            (_("Năm"), pool.cycle.year),
            (_("Mã đơn vị"), pool.owner.code),
            (_("Tên đơn vị"), pool.owner.name),
            (_("Số đảng viên trong bảng"), count),
            (_("Người tải bảng"), person_name(user) if user else ""),
            (_("Thời điểm tải"), timezone.localtime().strftime("%H:%M %d/%m/%Y")),
            (SIGNATURE_LABEL, signature_for(pool)),
        ],
    )
    ws.protection.sheet = True


def _check_signature(value: str | None, pool: Pool) -> None:
    if not value:
        raise ImportRefused(
            _(
                "Không tìm thấy mã xác thực của bảng (trang “Thông tin”). Hãy tải bảng xếp loại "
                "từ hệ thống, điền vào bảng đó rồi tải lên."
            ),
            code="metadata_missing",
        )
    try:
        payload = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        raise ImportRefused(
            _("Mã xác thực của bảng không hợp lệ: bảng không do hệ thống tạo ra hoặc đã bị sửa."),
            code="signature_invalid",
        ) from None
    if payload.get("cycle") != pool.cycle_id:
        raise ImportRefused(
            _("Bảng này thuộc kỳ đánh giá năm %(year)s, không phải kỳ năm %(current)s.")
            % {"year": payload.get("year"), "current": pool.cycle.year},
            code="wrong_cycle",
        )
    if payload.get("pool") != pool.pk:
        raise ImportRefused(
            _("Bảng này của đơn vị có mã %(unit)s, không phải của %(current)s.")
            % {"unit": payload.get("unit"), "current": pool.owner.name},
            code="wrong_unit",
        )


def _show_level(code: str) -> str:
    return str(Level(code).label) if code else ""


def _show(key: str, value) -> str:
    return _show_level(value) if key in LEVEL_FIELDS else show(value)


@dataclass
class SheetRow:
    """A checked row: its rating, the changes it asks for and the version it was read at."""

    row: PoolRow
    changes: dict
    version: int
    reader: RowReader

    @property
    def rating_id(self) -> int:
        return self.row.rating.pk


def rating_preview(*, data: bytes, pool: Pool, scope: Scope, user) -> Preview:
    """What the uploaded sheet would change, and every row the rules or rights refuse."""
    try:
        with opened(data) as workbook:
            _check_signature(find_labelled(workbook, header_key(SIGNATURE_LABEL)), pool)
            table = read_table(workbook, COLUMNS)
    except ImportRefused as refusal:
        return Preview(kind=ImportKind.RATINGS, refused=refusal)
    preview = Preview(kind=ImportKind.RATINGS, sheet=table.sheet)
    visible = {row.rating.pk: row for row in sheet_rows(pool, scope)}
    unit_locked = pool.owner.path in locked_unit_paths(pool.cycle)
    seen: dict[int, int] = {}
    for number, values in table.rows:
        reader = RowReader(table, number, values, preview, COLUMNS)
        rating_id = reader.read("rating_id", lambda v: parse_count(v, maximum=2**62), required=True)
        version = reader.read("version", lambda v: parse_count(v, maximum=2**31), required=True)
        new = {key: reader.read(key, LEVELS.parse) or "" for key in LEVEL_FIELDS}
        new.update({key: reader.read(key, parse_count) for key in VOTE_FIELDS})
        if reader.failed:
            continue
        row = visible.get(rating_id)
        if row is None or rating_id in seen:
            reader.fail(
                "rating_id",
                "duplicate_in_file" if row else "out_of_scope",
                _("Dòng này lặp lại dòng %(row)s.") % {"row": seen.get(rating_id)}
                if row
                else _(
                    "Dòng này không thuộc bảng xếp loại của đơn vị (hoặc ngoài phạm vi của bạn)."
                ),
            )
            continue
        seen[rating_id] = number
        changes = {key: value for key, value in new.items() if getattr(row.rating, key) != value}
        _check_row(reader, row, changes, version, unit_locked=unit_locked)
        if not reader.failed:
            preview.rows.append(_planned(reader, SheetRow(row, changes, version, reader)))
    if preview.ok:
        _dry_run(preview, pool=pool, user=user)
    return preview


def _check_row(
    reader: RowReader, row: PoolRow, changes: dict, version: int, *, unit_locked: bool
) -> None:
    rating = row.rating
    if not changes:
        return
    if version != rating.version:
        reader.fail(
            "version",
            "stale_rating",
            _(
                "Kết quả của %(name)s đã được thay đổi sau khi tải bảng (phiên bản trong tệp "
                "%(old)s, hiện tại %(new)s); hãy tải bảng mới."
            )
            % {"name": rating.member.full_name, "old": version, "new": rating.version},
        )
        return
    pool = rating.pool
    for key in changes:
        if getattr(row.rights, RIGHT_OF[key]):
            continue
        if not pool.cycle.is_open:
            code, message = "cycle_closed", _("Kỳ đánh giá không mở: kết quả chỉ xem.")
        elif key == "decision_level" and pool.is_finalized:
            code = "pool_finalized"
            message = _("Kết quả của nhóm này đã chốt; cần mở lại trước khi sửa quyết định.")
        elif unit_locked:
            code = "submission_locked"
            message = _("Báo cáo của đơn vị đã gửi hoặc đã được phê duyệt: kết quả chỉ xem.")
        else:
            code = "no_right"
            message = _("Bạn không có quyền sửa cột “%(column)s”.") % {"column": LABELS[key]}
        reader.fail(key, code, message)
    votes_for = changes.get("votes_for", rating.votes_for)
    votes_against = changes.get("votes_against", rating.votes_against)
    if votes_against is not None and votes_for is None:
        reader.fail(
            "votes_for", "votes_incomplete", _("Nhập số tán thành trước số không tán thành.")
        )


def _planned(reader: RowReader, sheet_row: SheetRow) -> PlannedRow:
    rating = sheet_row.row.rating
    member = rating.member
    label = f"{member.full_name} ({member.card_number})" if member.card_number else member.full_name
    changes = [
        Change(key, LABELS[key], _show(key, getattr(rating, key)), _show(key, value))
        for key, value in sheet_row.changes.items()
    ]
    action = UPDATE if changes else UNCHANGED
    return PlannedRow(reader.number, reader.ref("full_name"), label, action, changes, sheet_row)


def _lowering_first(plan: PlannedRow) -> bool:
    """Rows that raise a decision to HTXSNV go last, so the quota never counts those lowered
    in the same sheet as still excellent."""
    return plan.payload.changes.get("decision_level") == Level.EXCELLENT


def _record_call(plans: list[PlannedRow], *, pool: Pool, user, reason: str = "") -> None:
    ratings_record(
        cycle=pool.cycle,
        changes={plan.payload.rating_id: plan.payload.changes for plan in plans},
        acting_user=user,
        reason=reason,
        expected_versions={plan.payload.rating_id: plan.payload.version for plan in plans},
    )


def _fail(preview: Preview, plan: PlannedRow, error: ValidationError) -> None:
    failure = ApplyFailed.from_validation(plan, error)
    keys = list(plan.payload.changes)
    key = "decision_level" if "decision_level" in keys else keys[0]
    if failure.code == "stale_rating":
        key = "version"
    preview.error(plan.payload.reader.ref(key), plan.row, failure.code, failure.message)


def _dry_run(preview: Preview, *, pool: Pool, user) -> None:
    """Try the changes in a transaction that is rolled back; keep the service's refusals."""
    plans = preview.of(UPDATE)
    if not plans:
        return
    with transaction.atomic():
        try:
            _record_call(plans, pool=pool, user=user)
            whole: ValidationError | None = None
        except ValidationError as error:
            whole = error
        transaction.set_rollback(True)
    if whole is None:
        return
    refused: list[PlannedRow] = []
    with transaction.atomic():
        for plan in sorted(plans, key=_lowering_first):
            try:
                with transaction.atomic():
                    _record_call([plan], pool=pool, user=user)
            except ValidationError as error:
                _fail(preview, plan, error)
                refused.append(plan)
        transaction.set_rollback(True)
    if not refused:
        _fail(preview, plans[0], whole)
        refused.append(plans[0])
    # A refused row is an error, not an update.
    preview.rows = [row for row in preview.rows if not any(row is plan for plan in refused)]


def rating_apply(
    *, data: bytes, pool: Pool, scope: Scope, user, batch: ImportBatch
) -> tuple[Preview, ImportBatch | None]:
    """Check the sheet again and write its changes in one call of `ratings_record`."""
    preview = rating_preview(data=data, pool=pool, scope=scope, user=user)
    plans = sorted(preview.of(UPDATE), key=_lowering_first)
    reason = _("Nhập từ tệp Excel %(name)s") % {"name": batch.file_name}

    def apply() -> None:
        if not plans:
            return
        try:
            _record_call(plans, pool=pool, user=user, reason=reason)
        except ValidationError as error:
            raise ApplyFailed.from_validation(plans[0], error) from error

    ctx = ImportContext(user=user, scope=pool.owner, file_name=batch.file_name)

    def record(counts: dict) -> ImportBatch:
        written = {key: counts[key] for key in ("added", "updated", "unchanged")}
        return batch_record(
            batch=batch, kind=ImportKind.RATINGS, data=data, ctx=ctx, counts=written
        )

    return preview, run_apply(preview, apply, record=record)
