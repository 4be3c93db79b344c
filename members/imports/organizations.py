"""The hierarchy from a workbook: organizations added, edited or moved, identified by code.

Kinds are checked as the services check them (`Organization.may_hold`); the parent is found by
code in the database or in another row of the same file. Writes go through
`organizations.services` (organization_create / organization_update / organization_move).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members.imports.columns import ORGANIZATION_COLUMNS
from members.imports.context import ImportContext, RowReader
from members.imports.preview import (
    ADD,
    UNCHANGED,
    UPDATE,
    ApplyFailed,
    Change,
    PlannedRow,
    Preview,
)
from members.imports.reader import Table
from members.imports.values import Choices, clean_text, parse_date, show
from organizations.models import (
    ALLOWED_CHILD_KINDS,
    GRASSROOTS_KINDS,
    ROOT_KINDS,
    GrassrootsType,
    Organization,
    OrganizationKind,
)
from organizations.services import organization_create, organization_move, organization_update

KINDS = Choices(
    OrganizationKind.choices,
    aliases={
        "Đảng ủy Khối": OrganizationKind.BLOC,
        "Đảng ủy cơ sở": OrganizationKind.GRASSROOTS_COMMITTEE,
        "Chi bộ": OrganizationKind.CELL,
    },
)
GRASSROOTS_TYPES = Choices(
    GrassrootsType.choices, aliases={str(n): f"{n:02d}" for n in (1, 2, 3, 4, 5, 7, 8, 10, 11)}
)
LABELS = {column.key: column.label for column in ORGANIZATION_COLUMNS}


@dataclass
class OrganizationRow:
    number: int
    code: str
    kind: str
    parent_code: str
    values: dict[str, Any]
    existing: Organization | None = None
    parent: Organization | None = None
    parent_row: OrganizationRow | None = None
    move: bool = False
    changes: dict[str, Any] = field(default_factory=dict)
    depth: int = 0

    @property
    def key(self) -> str:
        return self.code.upper()


def _read_rows(table: Table, preview: Preview) -> list[tuple[RowReader, OrganizationRow]]:
    rows: list[tuple[RowReader, OrganizationRow]] = []
    seen: dict[str, int] = {}
    for number, values in table.rows:
        reader = RowReader(table, number, values, preview, ORGANIZATION_COLUMNS)
        code = reader.read("code", clean_text, required=True) or ""
        name = reader.read("name", clean_text, required=True) or ""
        kind = reader.read("kind", KINDS.parse, required=True) or ""
        row = OrganizationRow(
            number=number,
            code=code,
            kind=kind,
            parent_code=reader.read("parent", clean_text) or "",
            values={
                "name": name,
                "grassroots_type": reader.read("grassroots_type", GRASSROOTS_TYPES.parse) or "",
                "founded_on": reader.read("founded_on", parse_date),
                "dissolved_on": reader.read("dissolved_on", parse_date),
                "address": reader.read("address", clean_text) or "",
                "phone": reader.read("phone", clean_text) or "",
                "email": reader.read("email", clean_text) or "",
            },
        )
        if code and row.key in seen:
            reader.fail(
                "code",
                "duplicate_in_file",
                _("Mã tổ chức “%(code)s” trùng với dòng %(row)s.")
                % {"code": code, "row": seen[row.key]},
            )
        elif code:
            seen[row.key] = number
        rows.append((reader, row))
    return rows


def organizations_preview(table: Table, ctx: ImportContext) -> Preview:
    """Check every row and say what applying the file would do (one query for the tree)."""
    preview = Preview(kind="organizations", sheet=table.sheet)
    rows = _read_rows(table, preview)
    nodes = list(Organization.objects.all())
    by_code = {node.code.upper(): node for node in nodes}
    by_path = {node.path: node for node in nodes}
    in_file = {row.key: row for _reader, row in rows if row.code}
    readers = {row.key: reader for reader, row in rows if row.code}
    for reader, row in rows:
        if reader.failed:
            continue
        row.existing = by_code.get(row.key)
        _check_identity(reader, row, ctx)
        if reader.failed:
            continue
        _resolve_parent(reader, row, ctx, by_code=by_code, by_path=by_path, in_file=in_file)
        _check_fields(reader, row)
        if (
            row.existing is not None
            and (row.changes or row.move)
            and not ctx.may_change(row.existing)
        ):
            reader.fail(
                "code",
                "out_of_scope",
                _("Bạn không thể sửa thông tin của “%(code)s”: việc này do Ban Tổ chức thực hiện.")
                % {"code": row.code},
            )
    _fail_children_of_failed(rows, readers)
    for reader, row in rows:
        if not reader.failed and row.existing is None and row.parent_row is not None:
            _set_depth(reader, row)
    for reader, row in rows:
        if reader.failed:
            continue
        preview.rows.append(_planned(reader, row, by_path))
    return preview


def _fail_children_of_failed(rows, readers: dict[str, RowReader]) -> None:
    """A row placed under a refused row is refused too, with the reason pointing up."""
    changed = True
    while changed:
        changed = False
        for reader, row in rows:
            parent = row.parent_row
            if reader.failed or parent is None or parent.existing is not None:
                continue
            if readers[parent.key].failed:
                reader.fail(
                    "parent",
                    "parent_row_invalid",
                    _("Tổ chức cấp trên “%(code)s” (dòng %(row)s) có lỗi; hãy sửa dòng đó trước.")
                    % {"code": parent.code, "row": parent.number},
                )
                changed = True


def _check_identity(reader: RowReader, row: OrganizationRow, ctx: ImportContext) -> None:
    existing = row.existing
    if existing is None:
        return
    if not ctx.covers(existing):
        reader.fail(
            "code",
            "out_of_scope",
            _("Mã “%(code)s” đã được dùng cho một tổ chức ngoài phạm vi của bạn.")
            % {"code": row.code},
        )
    elif existing.kind != row.kind:
        reader.fail(
            "kind",
            "kind_change",
            _(
                "Không thể đổi loại của tổ chức “%(code)s” (đang là %(kind)s) bằng cách nhập tệp; "
                "hãy liên hệ quản trị hệ thống."
            )
            % {"code": row.code, "kind": existing.get_kind_display()},
        )


def _resolve_parent(reader, row, ctx, *, by_code, by_path, in_file) -> None:
    if not row.parent_code:
        if row.existing is not None:
            return
        if row.kind in ROOT_KINDS:
            if ctx.scope is not None:
                reader.fail(
                    "kind",
                    "out_of_scope",
                    _("Chỉ quản trị hệ thống mới tạo được Đảng bộ Khối mới."),
                )
            return
        reader.fail(
            "parent",
            "parent_required",
            _("Cột “%(column)s” bắt buộc với tổ chức không phải Đảng bộ Khối.")
            % {"column": LABELS["parent"]},
        )
        return
    key = row.parent_code.upper()
    if key == row.key:
        reader.fail("parent", "parent_self", _("Một tổ chức không thể trực thuộc chính nó."))
        return
    parent_row = in_file.get(key)
    parent = by_code.get(key)
    existing = row.existing
    current = None
    if existing is not None and existing.depth > 1:
        current = by_path.get(existing.path[: -existing.steplen])
    if parent is not None and parent == current:
        return  # an unchanged parent need not lie in the importer's scope
    if parent is not None:
        row.parent = parent
        parent_kind = parent.kind
        if not ctx.covers(parent):
            reader.fail(
                "parent",
                "out_of_scope",
                _("Tổ chức cấp trên “%(code)s” ngoài phạm vi của bạn.") % {"code": row.parent_code},
            )
            return
    elif parent_row is not None:
        row.parent_row = parent_row
        parent_kind = parent_row.kind
    else:
        reader.fail(
            "parent",
            "parent_not_found",
            _("Không tìm thấy tổ chức cấp trên có mã “%(code)s” (trong hệ thống hoặc trong tệp).")
            % {"code": row.parent_code},
        )
        return
    if row.kind not in ALLOWED_CHILD_KINDS.get(parent_kind, frozenset()):
        reader.fail(
            "kind",
            "kind_not_allowed",
            _("%(parent_kind)s không thể có %(kind)s trực thuộc.")
            % {"parent_kind": OrganizationKind(parent_kind).label, "kind": KINDS.label(row.kind)},
        )
        return
    if existing is None:
        return
    anchor = parent if parent is not None else _existing_anchor(parent_row)
    if anchor is not None and anchor.path.startswith(existing.path):
        reader.fail(
            "parent",
            "move_into_own_subtree",
            _("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó."),
        )
        return
    row.move = True


def _existing_anchor(row: OrganizationRow | None) -> Organization | None:
    """The first organization already in the database up a chain of new rows."""
    seen = set()
    while row is not None and row.key not in seen:
        seen.add(row.key)
        if row.existing is not None:
            return row.existing
        if row.parent is not None:
            return row.parent
        row = row.parent_row
    return None


def _set_depth(reader: RowReader, row: OrganizationRow) -> None:
    """How many new rows lie above this one: parents are created first. Refuses cycles."""
    seen = {row.key}
    current = row.parent_row
    depth = 0
    while current is not None and current.existing is None:
        depth += 1
        if current.key in seen:
            reader.fail(
                "parent",
                "parent_cycle",
                _("Các dòng trong tệp trực thuộc lẫn nhau thành vòng (mã “%(code)s”).")
                % {"code": current.code},
            )
            return
        seen.add(current.key)
        current = current.parent_row
    row.depth = depth


def _check_fields(reader: RowReader, row: OrganizationRow) -> None:
    if reader.failed:
        return
    values = row.values
    existing = row.existing
    if row.kind not in GRASSROOTS_KINDS and values["grassroots_type"]:
        reader.fail(
            "grassroots_type",
            "grassroots_type_forbidden",
            _("Chỉ tổ chức cơ sở đảng mới có loại hình cơ sở."),
        )
        return
    if existing is None:
        instance = Organization(kind=row.kind, code=row.code, **values)
    else:
        row.changes = {
            name: value
            for name, value in values.items()
            if value not in (None, "") and value != getattr(existing, name)
        }
        instance = Organization.objects.model(
            **{f.attname: getattr(existing, f.attname) for f in Organization._meta.concrete_fields}
        )
        for name, value in row.changes.items():
            setattr(instance, name, value)
    try:
        instance.clean_fields(exclude=["path", "depth", "numchild"])
        instance.clean()
    except ValidationError as error:
        reader.fail_model(error, field_to_key={}, first="code")


def _planned(reader: RowReader, row: OrganizationRow, by_path) -> PlannedRow:
    existing = row.existing
    label = f"{row.code} — {row.values['name'] or (existing.name if existing else '')}"
    if existing is None:
        return PlannedRow(reader.number, reader.ref("code"), label, ADD, payload=row)
    changes = [
        Change(
            name,
            LABELS[name],
            _display(name, getattr(existing, name)),
            _display(name, value),
        )
        for name, value in row.changes.items()
    ]
    if row.move:
        old = by_path.get(existing.path[: -existing.steplen])
        changes.append(
            Change(
                "parent",
                LABELS["parent"],
                f"{old.code} — {old.name}" if old else "",
                row.parent_code,
            )
        )
    action = UPDATE if changes else UNCHANGED
    return PlannedRow(reader.number, reader.ref("code"), label, action, changes, payload=row)


def _display(name: str, value) -> str:
    if name == "grassroots_type":
        return GRASSROOTS_TYPES.label(value) if value else ""
    return show(value)


def organizations_apply(preview: Preview, ctx: ImportContext) -> None:
    """Write a checked preview through the services; the caller holds the transaction."""
    planned = [row for row in preview.rows if row.action != UNCHANGED]
    created: dict[str, Organization] = {}
    note = _("Nhập từ tệp %(name)s") % {"name": ctx.file_name} if ctx.file_name else ""
    adds = sorted((p for p in planned if p.action == ADD), key=lambda p: p.payload.depth)
    for plan in adds:
        row: OrganizationRow = plan.payload
        parent = row.parent or (created[row.parent_row.key] if row.parent_row else None)
        try:
            created[row.key] = organization_create(
                parent=Organization.objects.get(pk=parent.pk) if parent else None,
                kind=row.kind,
                code=row.code,
                acting_user=ctx.user,
                **row.values,
            )
        except ValidationError as error:
            raise ApplyFailed.from_validation(plan, error) from error
    for plan in planned:
        row = plan.payload
        if plan.action != UPDATE:
            continue
        try:
            if row.changes:
                organization_update(organization=row.existing, acting_user=ctx.user, **row.changes)
            if row.move:
                target = row.parent or created[row.parent_row.key]
                organization_move(
                    organization=row.existing,
                    new_parent=target,
                    acting_user=ctx.user,
                    note=note,
                )
        except ValidationError as error:
            raise ApplyFailed.from_validation(plan, error) from error
