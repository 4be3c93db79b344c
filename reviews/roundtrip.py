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

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

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
from members.imports.values import CellError, Choices, header_key, parse_count, show
from members.models import ImportBatch, ImportKind
from organizations.templatetags.people import person_name
from organizations.text import decimal_text
from reviews.forms import MAX_VOTES
from reviews.models import Criterion, Framework, Level, Pool
from reviews.permissions import Scope, locked_unit_paths
from reviews.selectors import PoolRow, pool_rows
from reviews.services import ratings_record
from reviews.services.scores import parse_points

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
SELF_PREFIX, DECIDED_PREFIX = "self_", "decided_"


def columns_for(pool: Pool) -> tuple[Column, ...]:
    """The sheet's columns: under QĐ 366 each criterion's self-score and decided score (by
    its number in the member's framework) and the totals come after the decision."""
    if not pool.cycle.uses_scores:
        return COLUMNS
    counts = Counter(
        Criterion.objects.filter(
            cycle=pool.cycle, framework__in=[Framework.MEMBER, Framework.OUTSIDE]
        ).values_list("framework", flat=True)
    )
    criteria = max(counts.values(), default=0)
    scores = [
        Column(f"{prefix}{number}", label % {"n": number}, width=9)
        for number in range(1, criteria + 1)
        for prefix, label in (
            (SELF_PREFIX, _("Tự chấm tiêu chí %(n)s")),
            (DECIDED_PREFIX, _("Cấp ủy chấm tiêu chí %(n)s")),
        )
    ]
    totals = [
        Column("self_score", _("Tổng điểm tự chấm"), width=9),
        Column("decided_score", _("Tổng điểm cấp ủy"), width=9),
    ]
    return (*COLUMNS[:-2], *scores, *totals, *COLUMNS[-2:])


def _score_key(key: str) -> tuple[str, int] | None:
    """("self_points" | "decided_points", criterion number) for a score column's key."""
    for prefix, name in ((SELF_PREFIX, "self_points"), (DECIDED_PREFIX, "decided_points")):
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            return name, int(key[len(prefix) :])
    return None


def _right_of(key: str) -> str:
    score = _score_key(key)
    if score is not None:
        return "self_level" if score[0] == "self_points" else "decision"
    return RIGHT_OF[key]


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
    columns = columns_for(pool)
    write_title(
        ws,
        _("KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN NĂM %(year)s — %(unit)s")
        % {"year": cycle.year, "unit": pool.owner.name.upper()},
        _(
            "Chỉ sửa các ô trắng (mức xếp loại chọn trong danh sách, số phiếu là số nguyên, "
            "điểm từng tiêu chí đến một chữ số thập phân). Không sửa các cột ẩn và trang "
            "“Thông tin”."
        ),
        len(columns),
    )
    write_header(ws, HEADER_ROW, columns)
    rows = sheet_rows(pool, scope)
    editable = EDITABLE + tuple(c.key for c in columns if _score_key(c.key))
    for index, row in enumerate(rows, start=1):
        rating, member = row.rating, row.rating.member
        scores = []
        if len(columns) != len(COLUMNS):
            lines = dict(enumerate(row.scores, start=1))
            for column in columns:
                score = _score_key(column.key)
                if score is not None:
                    line = lines.get(score[1])
                    scores.append(getattr(line, score[0]) if line else None)
            scores += [rating.self_score, rating.decided_score]
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
            *scores,
            rating.pk,
            rating.version,
        ]
        number = HEADER_ROW + index
        write_row(ws, number, values, columns)
        for key in editable:
            cell = ws.cell(row=number, column=_column(key, columns))
            if row.eligibility.is_rated and getattr(row.rights, _right_of(key)):
                cell.protection = Protection(locked=False)
            else:
                cell.font = EXAMPLE_FONT
                cell.fill = LOCKED_FILL
    last = HEADER_ROW + max(len(rows), 1)
    _validations(ws, last)
    for key in ("rating_id", "version"):
        ws.column_dimensions[get_column_letter(_column(key, columns))].hidden = True
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last}"
    protect(ws)
    _metadata_sheet(workbook, pool, user, count=len(rows))
    return workbook_bytes(workbook)


def _column(key: str, columns: tuple[Column, ...] = COLUMNS) -> int:
    return next(i for i, column in enumerate(columns, start=1) if column.key == key)


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
    """A checked row: its rating, the changes it asks for and the version it was read at;
    `scores`: criterion id → {self_points | decided_points: new value}."""

    row: PoolRow
    changes: dict
    version: int
    reader: RowReader
    scores: dict = field(default_factory=dict)

    @property
    def rating_id(self) -> int:
        return self.row.rating.pk


def rating_preview(*, data: bytes, pool: Pool, scope: Scope, user) -> Preview:
    """What the uploaded sheet would change, and every row the rules or rights refuse."""
    try:
        with opened(data) as workbook:
            _check_signature(find_labelled(workbook, header_key(SIGNATURE_LABEL)), pool)
            columns = columns_for(pool)
            table = read_table(workbook, columns)
    except ImportRefused as refusal:
        return Preview(kind=ImportKind.RATINGS, refused=refusal)
    preview = Preview(kind=ImportKind.RATINGS, sheet=table.sheet)
    visible = {row.rating.pk: row for row in sheet_rows(pool, scope)}
    unit_locked = pool.owner.path in locked_unit_paths(pool.cycle)
    seen: dict[int, int] = {}
    for number, values in table.rows:
        reader = RowReader(table, number, values, preview, columns)
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
        scores, score_keys = _read_scores(reader, row, columns)
        if reader.failed:
            continue
        _check_row(reader, row, {**changes, **score_keys}, version, unit_locked=unit_locked)
        if not reader.failed:
            sheet_row = SheetRow(row, changes, version, reader, scores)
            preview.rows.append(_planned(reader, sheet_row, score_keys))
    if preview.ok:
        _dry_run(preview, pool=pool, user=user)
    return preview


def _parse_points(value) -> Decimal | None:
    try:
        return parse_points(value)
    except ValidationError as error:
        raise CellError(" ".join(error.messages), code=error.code or "invalid") from None


def _points_text(value: Decimal | None) -> str:
    return "" if value is None else decimal_text(value)


def _read_scores(reader: RowReader, row: PoolRow, columns) -> tuple[dict, dict]:
    """The criterion scores the row changes: (criterion id → {field: value}, column key →
    (old, new)) for the preview."""
    lines = dict(enumerate(row.scores, start=1))
    scores: dict[int, dict[str, Decimal | None]] = {}
    changed: dict[str, tuple] = {}
    for column in columns:
        score = _score_key(column.key)
        if score is None or score[1] not in lines:
            continue
        field_name, number = score
        line = lines[number]
        value = reader.read(column.key, _parse_points)
        old = getattr(line, field_name)
        if reader.failed or value == old:
            continue
        scores.setdefault(line.criterion.pk, {})[field_name] = value
        changed[column.key] = (old, value)
    return scores, changed


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
        if getattr(row.rights, _right_of(key)):
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
            message = _("Bạn không có quyền sửa cột “%(column)s”.") % {
                "column": reader.labels.get(key, key)
            }
        reader.fail(key, code, message)
    votes_for = changes.get("votes_for", rating.votes_for)
    votes_against = changes.get("votes_against", rating.votes_against)
    if votes_against is not None and votes_for is None:
        reader.fail(
            "votes_for", "votes_incomplete", _("Nhập số tán thành trước số không tán thành.")
        )


def _planned(reader: RowReader, sheet_row: SheetRow, score_keys: dict) -> PlannedRow:
    rating = sheet_row.row.rating
    member = rating.member
    label = f"{member.full_name} ({member.card_number})" if member.card_number else member.full_name
    changes = [
        Change(key, LABELS[key], _show(key, getattr(rating, key)), _show(key, value))
        for key, value in sheet_row.changes.items()
    ]
    changes += [
        Change(key, reader.labels.get(key, key), _points_text(old), _points_text(new))
        for key, (old, new) in score_keys.items()
    ]
    action = UPDATE if changes else UNCHANGED
    return PlannedRow(reader.number, reader.ref("full_name"), label, action, changes, sheet_row)


def _lowering_first(plan: PlannedRow) -> bool:
    """Rows that raise a decision to HTXSNV go last, so the quota never counts those lowered
    in the same sheet as still excellent."""
    return plan.payload.changes.get("decision_level") == Level.EXCELLENT


def _record_call(plans: list[PlannedRow], *, pool: Pool, user, reason: str = "") -> None:
    scores = {plan.payload.rating_id: plan.payload.scores for plan in plans if plan.payload.scores}
    ratings_record(
        cycle=pool.cycle,
        changes={plan.payload.rating_id: plan.payload.changes for plan in plans},
        acting_user=user,
        reason=reason,
        expected_versions={plan.payload.rating_id: plan.payload.version for plan in plans},
        scores=scores or None,
    )


def _fail(preview: Preview, plan: PlannedRow, error: ValidationError) -> None:
    failure = ApplyFailed.from_validation(plan, error)
    keys = list(plan.payload.changes) or [change.field for change in plan.changes]
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
