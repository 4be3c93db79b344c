"""Writing the workbooks people fill in: header styles, list validations, instruction sheets."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from members.imports.columns import Column

FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
EXAMPLE_FONT = Font(name=FONT_NAME, italic=True, color="7F7F7F")
BODY_FONT = Font(name=FONT_NAME)
BOLD = Font(name=FONT_NAME, bold=True)
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
#: Rows prepared with lists and formats below the header (more rows may be typed).
PREPARED_ROWS = 5_000


#: A text starting with one of these would be read by Excel as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def set_value(cell: Cell, value) -> Cell:
    """Put a value in a cell the one safe way, for every workbook the application writes.

    Text loses the characters XML cannot hold; text that looks like a formula is stored as
    text, with the quote prefix so that Excel keeps it literal even after the cell is edited.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def put_value(ws, row: int, column: int, value) -> Cell:
    return set_value(ws.cell(row=row, column=column), value)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_title(ws, title: str, note: str, width: int) -> None:
    put_value(ws, 1, 1, title).font = TITLE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put_value(ws, 2, 1, note).font = EXAMPLE_FONT
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def write_header(ws, row: int, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = put_value(ws, row, index, column.title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        cell.border = BORDER
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.number_format:
            ws.column_dimensions[letter].number_format = column.number_format
    ws.row_dimensions[row].height = 36
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def write_row(ws, row: int, values: Sequence, columns: Sequence[Column], *, font=BODY_FONT):
    for index, (value, column) in enumerate(zip(values, columns, strict=True), start=1):
        cell = put_value(ws, row, index, value)
        cell.font = font
        cell.border = BORDER
        if column.number_format:
            cell.number_format = column.number_format


def write_list(ws, column: int, heading: str, values: Sequence[str]) -> str:
    """Write a list on the lists sheet; return the absolute range a validation refers to."""
    put_value(ws, 1, column, heading).font = BOLD
    for offset, value in enumerate(values, start=2):
        put_value(ws, offset, column, value).font = BODY_FONT
    letter = get_column_letter(column)
    ws.column_dimensions[letter].width = max([len(heading), *(len(v) for v in values)]) + 2
    last = max(len(values) + 1, 2)
    return f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${last}"


def add_list_validation(
    ws, source: str, column: int, first_row: int, *, strict: bool = True, prompt: str = ""
) -> None:
    letter = get_column_letter(column)
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        errorStyle="stop" if strict else "warning",
        error="Giá trị không có trong danh sách."
        if strict
        else "Giá trị không có trong danh sách; hệ thống sẽ kiểm tra khi nhập.",
        errorTitle="Kiểm tra dữ liệu",
        prompt=prompt or None,
        showErrorMessage=True,
        showInputMessage=bool(prompt),
    )
    validation.add(f"{letter}{first_row}:{letter}{first_row + PREPARED_ROWS}")
    ws.add_data_validation(validation)


def write_instructions(ws, title: str, notes: Sequence[str], columns: Sequence[Column]) -> None:
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 90
    put_value(ws, 1, 1, title).font = TITLE_FONT
    row = 3
    for note in notes:
        cell = put_value(ws, row, 1, f"• {note}")
        cell.font = BODY_FONT
        cell.alignment = TOP_WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 15 * (1 + len(note) // 120)
        row += 1
    row += 1
    for index, heading in enumerate((_("Cột"), _("Bắt buộc"), _("Cách nhập")), start=1):
        cell = put_value(ws, row, index, heading)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BORDER
    for column in columns:
        row += 1
        values = (column.label, _("Có") if column.required else "", str(column.hint))
        for index, value in enumerate(values, start=1):
            cell = put_value(ws, row, index, value)
            cell.font = BODY_FONT
            cell.border = BORDER
            cell.alignment = TOP_WRAP


def inline_list_validation(ws, values: Sequence[str], ranges: Sequence[str], *, error: str):
    """A drop-down of a few values written in the rule itself (under 255 characters)."""
    validation = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(values)),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Kiểm tra dữ liệu"),
        error=error,
    )
    for cells in ranges:
        validation.add(cells)
    ws.add_data_validation(validation)


def whole_number_validation(ws, maximum: int, ranges: Sequence[str], *, error: str):
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(maximum),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Kiểm tra dữ liệu"),
        error=error,
    )
    for cells in ranges:
        validation.add(cells)
    ws.add_data_validation(validation)


def write_key_values(ws, lines: Sequence[tuple[str, object]]) -> None:
    """Label in column A, value in column B, one per row (a metadata sheet)."""
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 70
    for number, (label, value) in enumerate(lines, start=1):
        put_value(ws, number, 1, label).font = BOLD
        put_value(ws, number, 2, value).font = BODY_FONT


def protect(ws) -> None:
    """Locked cells stay read-only; sorting, filtering and column widths stay free."""
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
