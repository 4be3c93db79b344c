"""Members from a workbook: added, edited or moved to another cell, identified by card number
(or, without one, by full name and date of birth).

A member's cell must lie in the importer's scope. New members go through `members_register`
(one batch), a change of cell through `member_transfer`, other fields through `member_update`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from members.imports.columns import MEMBER_COLUMNS
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
from members.imports.values import (
    Choices,
    clean_text,
    fold,
    parse_bool,
    parse_card_number,
    parse_date,
    show,
)
from members.models import Gender, ManagingLevel, Member
from members.names import normalize_name
from members.services import (
    RegistrationRefused,
    member_transfer,
    member_update,
    members_register,
)
from organizations.models import MEMBER_HOLDING_KINDS, Organization

GENDERS = Choices(Gender.choices, aliases={"Nu": Gender.FEMALE, "Nữ giới": Gender.FEMALE})
MANAGING_LEVELS = Choices(ManagingLevel.choices)
LABELS = {column.key: column.label for column in MEMBER_COLUMNS}
CHUNK = 500


@dataclass
class MemberRow:
    number: int
    values: dict[str, Any]
    cell: Organization | None = None
    transferred_in_on: datetime.date | None = None
    transferred_from: str = ""
    existing: Member | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    transfer: bool = False

    @property
    def identity(self) -> tuple[str, datetime.date | None]:
        return (normalize_name(self.values["full_name"] or "").casefold(), self.values["dob"])


def _read(reader: RowReader) -> MemberRow:
    return MemberRow(
        number=reader.number,
        values={
            "full_name": reader.read("full_name", clean_text, required=True) or "",
            "gender": reader.read("gender", GENDERS.parse, required=True) or "",
            "dob": reader.read("date_of_birth", parse_date, required=True),
            "card_number": reader.read("card_number", parse_card_number) or "",
            "admitted_on": reader.read("admitted_on", parse_date, required=True),
            "official_on": reader.read("official_on", parse_date),
            "cell": reader.read("cell", clean_text, required=True) or "",
            "is_civil_servant": reader.read("is_civil_servant", parse_bool),
            "leadership_post": reader.read("leadership_post", clean_text) or "",
            "managing_level": reader.read("managing_level", MANAGING_LEVELS.parse) or "",
        },
        transferred_in_on=reader.read("transferred_in_on", parse_date),
        transferred_from=reader.read("transferred_from", clean_text) or "",
    )


class Directory:
    """What the rows are checked against, read in a few queries for the whole file."""

    def __init__(self, ctx: ImportContext, cards: list[str]):
        nodes = list(Organization.objects.all())
        self.by_code = {node.code.upper(): node for node in nodes}
        cells = [n for n in nodes if n.kind in MEMBER_HOLDING_KINDS and ctx.covers(n)]
        names: dict[str, list[Organization]] = {}
        for cell in cells:
            names.setdefault(fold(cell.name), []).append(cell)
        self.cells_by_name = names
        scope = Member.objects.select_related("organization")
        if ctx.scope is not None:
            scope = scope.in_subtree(ctx.scope)
        self.members = list(scope)
        self.by_card = {m.card_number: m for m in self.members if m.card_number}
        self.by_identity: dict[tuple, list[Member]] = {}
        for member in self.members:
            key = (member.full_name.casefold(), member.date_of_birth)
            self.by_identity.setdefault(key, []).append(member)
        wanted = [card for card in cards if card not in self.by_card]
        self.cards_elsewhere: set[str] = set()
        for start in range(0, len(wanted), CHUNK):
            self.cards_elsewhere.update(
                Member.objects.filter(card_number__in=wanted[start : start + CHUNK]).values_list(
                    "card_number", flat=True
                )
            )


def members_preview(table: Table, ctx: ImportContext) -> Preview:
    """Check every row and say what applying the file would do (a fixed number of queries)."""
    preview = Preview(kind="members", sheet=table.sheet)
    rows: list[tuple[RowReader, MemberRow]] = []
    for number, values in table.rows:
        reader = RowReader(table, number, values, preview, MEMBER_COLUMNS)
        rows.append((reader, _read(reader)))
    directory = Directory(
        ctx, [r.values["card_number"] for _x, r in rows if r.values["card_number"]]
    )
    _check_duplicates(rows)
    for reader, row in rows:
        # Every cell that can be checked is, so that one pass over the file shows all errors.
        if row.values["cell"]:
            _resolve_cell(reader, row, directory, ctx)
        if not reader.failed:
            _match(reader, row, directory)
        if not reader.failed:
            _check_fields(reader, row)
        if not reader.failed:
            preview.rows.append(_planned(reader, row))
    return preview


def _check_duplicates(rows) -> None:
    cards: dict[str, int] = {}
    identities: dict[tuple, tuple[int, str]] = {}
    for reader, row in rows:
        card = row.values["card_number"]
        if card:
            if card in cards:
                reader.fail(
                    "card_number",
                    "duplicate_in_file",
                    _("Số thẻ đảng viên %(card)s trùng với dòng %(row)s.")
                    % {"card": card, "row": cards[card]},
                )
                continue
            cards[card] = row.number
        if not row.values["full_name"] or row.values["dob"] is None:
            continue
        earlier = identities.get(row.identity)
        if earlier and (not card or not earlier[1]):
            reader.fail(
                "full_name",
                "duplicate_in_file",
                _("Đảng viên “%(name)s” (sinh ngày %(dob)s) trùng với dòng %(row)s.")
                % {
                    "name": row.values["full_name"],
                    "dob": show(row.values["dob"]),
                    "row": earlier[0],
                },
            )
            continue
        identities.setdefault(row.identity, (row.number, card))


def _resolve_cell(reader: RowReader, row: MemberRow, directory: Directory, ctx) -> None:
    text = row.values["cell"]
    node = directory.by_code.get(text.upper())
    if node is None:
        named = directory.cells_by_name.get(fold(text), [])
        if len(named) == 1:
            node = named[0]
    if node is None:
        reader.fail(
            "cell",
            "cell_not_found",
            _("Không tìm thấy chi bộ có mã hoặc tên “%(cell)s”.") % {"cell": text},
        )
    elif not ctx.covers(node):
        reader.fail(
            "cell",
            "out_of_scope",
            _("Chi bộ “%(cell)s” không thuộc phạm vi của bạn.") % {"cell": text},
        )
    elif node.kind not in MEMBER_HOLDING_KINDS:
        reader.fail(
            "cell",
            "member_needs_cell",
            _("“%(cell)s” là %(kind)s: đảng viên phải sinh hoạt tại một chi bộ.")
            % {"cell": node.name, "kind": node.get_kind_display()},
        )
    elif not node.is_active_on(timezone.localdate()):
        reader.fail(
            "cell",
            "cell_dissolved",
            _("Chi bộ “%(cell)s” đã giải thể.") % {"cell": node.name},
        )
    else:
        row.cell = node


def _match(reader: RowReader, row: MemberRow, directory: Directory) -> None:
    card = row.values["card_number"]
    if card and card in directory.by_card:
        row.existing = directory.by_card[card]
        return
    if card and card in directory.cards_elsewhere:
        reader.fail(
            "card_number",
            "card_number_taken",
            _("Số thẻ đảng viên %(card)s đã được dùng cho một đảng viên ngoài phạm vi của bạn.")
            % {"card": card},
        )
        return
    candidates = [
        member
        for member in directory.by_identity.get(row.identity, [])
        if not card or not member.card_number
    ]
    if len(candidates) > 1:
        reader.fail(
            "full_name",
            "ambiguous_member",
            _("Có %(count)s đảng viên cùng họ tên và ngày sinh; hãy ghi số thẻ để phân biệt.")
            % {"count": len(candidates)},
        )
    elif candidates:
        row.existing = candidates[0]


def _target(row: MemberRow) -> dict[str, Any]:
    values = dict(row.values)
    values["date_of_birth"] = values.pop("dob")
    values.pop("cell")
    return values


def _check_fields(reader: RowReader, row: MemberRow) -> None:
    target = _target(row)
    existing = row.existing
    if existing is None:
        if target["is_civil_servant"] is None:
            target["is_civil_servant"] = False
        instance = Member(organization=row.cell, **target)
    else:
        if existing.left_on:
            reader.fail(
                "full_name",
                "member_left",
                _("Đảng viên “%(name)s” đã ra khỏi Đảng bộ (%(date)s).")
                % {"name": existing.full_name, "date": show(existing.left_on)},
            )
            return
        target["full_name"] = normalize_name(target["full_name"])
        row.changes = {
            name: value
            for name, value in target.items()
            if value not in (None, "") and value != getattr(existing, name)
        }
        row.transfer = row.cell.pk != existing.organization_id
        instance = Member(
            **{f.attname: getattr(existing, f.attname) for f in Member._meta.concrete_fields}
        )
        instance.organization = row.cell
        for name, value in row.changes.items():
            setattr(instance, name, value)
    try:
        instance.clean_fields(exclude=["sort_key", "organization"])
        instance.clean()
    except ValidationError as error:
        reader.fail_model(error, field_to_key={"organization": "cell"}, first="full_name")


def _planned(reader: RowReader, row: MemberRow) -> PlannedRow:
    name = normalize_name(row.values["full_name"])
    card = row.values["card_number"] or (row.existing.card_number if row.existing else "")
    label = f"{name} ({card})" if card else name
    ref = reader.ref("full_name")
    existing = row.existing
    if existing is None:
        return PlannedRow(reader.number, ref, f"{label} — {row.cell.name}", ADD, payload=row)
    changes = [
        Change(name, LABELS[name], _display(name, getattr(existing, name)), _display(name, value))
        for name, value in row.changes.items()
    ]
    if row.transfer:
        changes.append(Change("cell", LABELS["cell"], existing.organization.name, row.cell.name))
    action = UPDATE if changes else UNCHANGED
    return PlannedRow(reader.number, ref, label, action, changes, payload=row)


def _display(name: str, value) -> str:
    if name == "gender":
        return GENDERS.label(value)
    if name == "managing_level":
        return MANAGING_LEVELS.label(value) if value else ""
    return show(value)


def members_apply(preview: Preview, ctx: ImportContext) -> None:
    """Write a checked preview through the services; the caller holds the transaction."""
    today = timezone.localdate()
    note = _("Nhập từ tệp %(name)s") % {"name": ctx.file_name} if ctx.file_name else ""
    # Corrections first (one may free a card number a new row takes), then the new members in
    # one batch.
    for plan in preview.rows:
        if plan.action == UPDATE:
            try:
                _update(plan.payload, ctx=ctx, today=today, note=note)
            except ValidationError as error:
                raise ApplyFailed.from_validation(plan, error) from error
    additions = [plan for plan in preview.rows if plan.action == ADD]
    try:
        members_register(
            entries=[_registration(plan.payload) for plan in additions], acting_user=ctx.user
        )
    except RegistrationRefused as refused:
        raise ApplyFailed.from_validation(additions[refused.index], refused.error) from refused


def _registration(row: MemberRow) -> dict:
    target = _target(row)
    target["is_civil_servant"] = bool(target["is_civil_servant"])
    return {
        "organization": row.cell,
        "transferred_in_on": row.transferred_in_on,
        "transferred_from": row.transferred_from,
        **target,
    }


def _update(row: MemberRow, *, ctx: ImportContext, today: datetime.date, note: str) -> None:
    if row.changes:
        member_update(member=row.existing, acting_user=ctx.user, **row.changes)
    if row.transfer:
        member_transfer(
            member=row.existing, to_organization=row.cell, on=today, acting_user=ctx.user, note=note
        )
