"""One worksheet laid out as an official table: letterhead, title, bordered table, signatures.

Times New Roman everywhere, A4 (orientation per sheet), title rows repeated on every printed
page, panes frozen under the header, widths per column. Table cells take one of a few named
styles, registered once per workbook and copied onto each cell from a prototype.

Workbooks are written streamed (openpyxl's write-only mode): each row goes to the file as soon
as the writer moves past it, merges are recorded as ranges (one per band, not a merged cell
object per cell), so memory stays flat however many rows a province's workbook holds
(issue #16: a bloc's workbook took 7.8× a bare write-only loop over the same cells).
"""

from __future__ import annotations

import io
import math
from copy import copy
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from members.imports.sheets import set_value
from reports.selectors import ReportData

FONT_NAME = "Times New Roman"
CM = 1 / 2.54  # openpyxl margins are in inches

_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="center")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
RIGHT = Alignment(horizontal="right", vertical="center")
PERCENT_FORMAT = "0.0%"
NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
TABLE_FONT_SIZE = 11


def font(*, size: float = 12, bold: bool = False, italic: bool = False, underline=None) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, underline=underline)


def new_workbook() -> Workbook:
    """A streamed workbook whose default font (empty cells, row heights) is Times New Roman."""
    workbook = Workbook(write_only=True)
    base = Font(name=FONT_NAME, size=12, family=1)
    workbook._fonts = IndexedList([base])
    workbook._named_styles["Normal"].font = base
    workbook._kd_writers = []  # the sheets' writers, closed by `save_workbook`
    return workbook


def save_workbook(workbook: Workbook) -> bytes:
    """The workbook's bytes, each sheet's last rows written out first."""
    for writer in workbook._kd_writers:
        writer.close()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def text_lines(value, width: float) -> int:
    """How many lines a wrapped value takes in a column `width` characters wide (Times New
    Roman 11 fits about 1.15 characters per width unit). Rows get their height from this,
    since spreadsheet programs do not grow rows for wrapped text on opening a file."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = _per_line(width)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))


def _per_line(width: float) -> float:
    return max(width * 1.15 - 1.5, 3)


def row_height(lines: int) -> float:
    return 14.5 * lines + 2


def fraction(percent_value: float | None) -> float | None:
    return None if percent_value is None else percent_value / 100


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text, number, percent, date, center


_ALIGNMENTS = {
    "number": RIGHT,
    "percent": RIGHT,
    "date": CENTER,
    "center": CENTER,
}
_FORMATS = {"number": NUMBER_FORMAT, "percent": PERCENT_FORMAT, "date": DATE_FORMAT}


def table_style(workbook: Workbook, kind: str, *, bold=False, italic=False, indent=0) -> str:
    """The name of the bordered table style for a column kind, registered on first use."""
    name = f"kd-{kind}-{int(bold)}{int(italic)}{indent}"
    known = workbook.__dict__.setdefault("_kd_styles", set())
    if name not in known and name not in workbook.named_styles:
        alignment = _ALIGNMENTS.get(kind) or Alignment(
            horizontal="left", wrap_text=True, vertical="center", indent=indent
        )
        workbook.add_named_style(
            NamedStyle(
                name=name,
                font=font(size=TABLE_FONT_SIZE, bold=bold, italic=italic),
                border=BORDER,
                alignment=alignment,
                number_format=_FORMATS.get(kind, "General"),
            )
        )
    known.add(name)
    return name


def _placed_cells(cells, row_index):
    """The cells of one row as openpyxl's write-only sheet writes them: each given its
    place (a row appended by `SheetWriter` holds only its own cells, or None for a gap)."""
    for column_index, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column = column_index
            cell.row = row_index
            yield cell


class SheetWriter:
    """Writes one sheet top to bottom; `row` is the next row to write.

    Cells are gathered for the rows not yet written (the current one, and the second row of a
    two-row header) and appended to the streamed sheet once the writer has moved past them.
    """

    def __init__(
        self,
        workbook: Workbook,
        data: ReportData,
        *,
        name: str,
        title: str,
        columns: list[Column],
        landscape: bool,
        form_code: str = "",
    ):
        self.workbook = workbook
        self.ws = workbook.create_sheet(title=name)
        # Every row appended is a list of this writer's own cells (or None): placed as they
        # are, instead of openpyxl first trying each one as a value and failing.
        self.ws._values_to_row = _placed_cells
        workbook._kd_writers.append(self)
        self.data = data
        self.columns = columns
        self.width = len(columns)
        self._row = 1
        self.header_end = 0
        #: Row number → column → cell, for the rows not yet written.
        self._pending: dict[int, dict[int, WriteOnlyCell]] = {}
        self._written = 0  # the last row appended to the sheet
        self._prototypes: dict[str, WriteOnlyCell] = {}
        #: (bold, italic, indent, centered) → the shared style array of each column of a `line`.
        self._line_styles: dict[tuple, list] = {}
        self._widths = [column.width for column in columns]
        #: The longest text that surely fits on one line of each column, whatever its indent.
        self._one_line = [int(_per_line(column.width - 4)) - 1 for column in columns]
        self._merged: set[tuple[int, int]] = set()
        # The sheet's top (widths, frozen panes) is written with its first row: rows wait
        # until the header has frozen the panes under it.
        self._holding = True
        self._setup_page(landscape)
        for index, column in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        # The letterhead's two blocks split the width as evenly as the columns allow (a wide
        # column must not leave "ĐẢNG CỘNG SẢN VIỆT NAM" one narrow column on the right).
        total = sum(column.width for column in columns)
        lefts = [sum(column.width for column in columns[:k]) for k in range(1, self.width)]
        self.split = 1 + min(range(len(lefts)), key=lambda k: abs(2 * lefts[k] - total))
        self._letterhead(title, form_code)

    def _setup_page(self, landscape: bool) -> None:
        ws = self.ws
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins = PageMargins(
            left=(2 if landscape else 3) * CM,
            right=(2 if landscape else 1.5) * CM,
            top=2 * CM,
            bottom=2 * CM,
            header=0.8 * CM,
            footer=0.8 * CM,
        )
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = _("Trang &P/&N")
        ws.oddFooter.center.font = FONT_NAME
        ws.oddFooter.center.size = 10

    def cell(self, row: int, column: int, value=None, *, style: str | None = None, **attributes):
        """The cell at (row, column) of a row not yet written, with its value and a named
        style. The style's array is shared with a prototype cell (looking a style up by name
        per cell is slow) and copied only when `attributes` change it for this cell: change a
        cell's style through `attributes`, never on the cell returned."""
        pending = self._pending_row(row)
        cell = pending.get(column)
        if cell is None:
            cell = pending[column] = WriteOnlyCell(self.ws)
        if style is not None:
            cell._style = self._prototype(style)._style
            if attributes:
                cell._style = copy(cell._style)
        if value is not None:
            set_value(cell, value)
        for key, setting in attributes.items():
            setattr(cell, key, setting)
        return cell

    def _pending_row(self, row: int) -> dict[int, WriteOnlyCell]:
        """The cells gathered for a row not yet written, by column."""
        if row <= self._written:
            raise ValueError(f"row {row} of {self.ws.title} is already written")
        pending = self._pending.get(row)
        if pending is None:
            pending = self._pending[row] = {}
        return pending

    def _prototype(self, style: str) -> WriteOnlyCell:
        """The cell holding a named style, its array shared by the cells of that style."""
        prototype = self._prototypes.get(style)
        if prototype is None:
            prototype = self._prototypes[style] = WriteOnlyCell(self.ws)
            prototype.style = style
        return prototype

    def _flush(self, before: int) -> None:
        """Append every row before `before` to the sheet, in order (empty ones too)."""
        for number in range(self._written + 1, before):
            cells = self._pending.pop(number, {})
            self.ws.append([cells.get(column) for column in range(1, self.width + 1)])
            # The row is in the file now: its height need not be kept for a province's rows.
            self.ws.row_dimensions.pop(number, None)
            self._written = number

    @property
    def row(self) -> int:
        return self._row

    @row.setter
    def row(self, value: int) -> None:
        self._row = value
        if not self._holding and value - 1 > self._written:
            self._flush(value)

    def close(self) -> None:
        """Write the rows still gathered (called by `save_workbook`)."""
        if self._pending:
            self._flush(max(self._pending) + 1)

    def merged(self, row: int, first: int, last: int, value, **attributes):
        """One value across columns `first`..`last` of a row: a merge range, its other cells
        taking the same named style (so that the borders run along the whole band)."""
        cell = self.cell(row, first, value, **attributes)
        if last > first:
            self._merge(row, first, row, last)
            if attributes.get("style"):
                for column in range(first + 1, last + 1):
                    self.cell(row, column, style=attributes["style"])
        return cell

    def _merge(self, first_row: int, first: int, last_row: int, last: int) -> None:
        self.ws.merged_cells.add(
            f"{get_column_letter(first)}{first_row}:{get_column_letter(last)}{last_row}"
        )
        self._merged.update(
            (r, c) for r in range(first_row, last_row + 1) for c in range(first, last + 1)
        )

    def _left_right(self, left, right, *, left_style=None, right_style=None, height=None):
        if left is not None:
            self.merged(self.row, 1, self.split, left, **(left_style or {}))
        if right is not None:
            self.merged(self.row, self.split + 1, self.width, right, **(right_style or {}))
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def _letterhead(self, title: str, form_code: str) -> None:
        head = self.data.letterhead
        center = {"alignment": CENTER}
        self._left_right(
            head.superior_body,
            _("ĐẢNG CỘNG SẢN VIỆT NAM"),
            left_style={"font": font(size=13), **center},
            right_style={"font": font(size=13, bold=True, underline="single"), **center},
            height=20,
        )
        self._left_right(
            head.issuing_body,
            form_code or None,
            left_style={"font": font(size=13, bold=True), **center},
            right_style={"font": font(size=11, italic=True), **center},
            height=34 if len(head.issuing_body) > 40 else 20,
        )
        self._left_right("*", None, left_style={"font": font(size=13), **center})
        self.row += 1
        self.merged(self.row, 1, self.width, title.upper(), font=font(size=14, bold=True), **center)
        self.ws.row_dimensions[self.row].height = 22
        self.row += 1
        self.merged(
            self.row,
            1,
            self.width,
            _("Năm %(year)s") % {"year": self.data.cycle.year},
            font=font(size=13, bold=True),
            **center,
        )
        self.row += 1
        self.merged(
            self.row,
            1,
            self.width,
            _("(Số liệu lập lúc %(time)s)")
            % {"time": timezone.localtime().strftime("%H:%M %d/%m/%Y")},
            font=font(size=10, italic=True),
            **center,
        )
        self.row += 2

    def header(self, groups: list[tuple[str, int]] | None = None) -> None:
        """The table header: an optional first row of groups (label, span; span 1 merges the
        column's two rows), then the column headers. Title rows repeat, panes freeze below."""
        start = self.row
        style = table_style(self.workbook, "center", bold=True)
        end = start + 1 if groups else start
        for row in range(start, end + 1):
            for column in range(1, self.width + 1):
                self.cell(row, column, style=style)
        if groups:
            column = 1
            for label, span in groups:
                if span == 1:
                    self._merge(start, column, start + 1, column)
                    self.cell(start, column, self.columns[column - 1].header)
                else:
                    self.merged(start, column, column + span - 1, label)
                column += span
            for column, spec in enumerate(self.columns, start=1):
                if (start + 1, column) not in self._merged:
                    self.cell(start + 1, column, spec.header)
        else:
            for column, spec in enumerate(self.columns, start=1):
                self.cell(start, column, spec.header)
        lines = max(text_lines(spec.header, spec.width - 1) for spec in self.columns)
        if groups:
            self.ws.row_dimensions[start].height = row_height(2)
            lines = max(lines - 1, 1)
        self.ws.row_dimensions[end].height = row_height(lines)
        self._row = end + 1
        self.ws.print_title_rows = f"{start}:{end}"
        self.ws.freeze_panes = f"A{end + 1}"
        self.header_end = end
        self._holding = False
        self._flush(self.row)

    def line(
        self,
        values: list,
        *,
        bold: bool = False,
        italic: bool = False,
        indent: int = 0,
        centered: bool = False,
    ):
        """One bordered table row; numbers right, percentages as 0.0%, dates dd/mm/yyyy
        (`centered`: every cell centered, as the row of column numbers under a header)."""
        key = (bold, italic, indent, centered)
        styles = self._line_styles.get(key)
        if styles is None:
            styles = self._line_styles[key] = [
                self._prototype(
                    table_style(
                        self.workbook,
                        "center" if centered else spec.kind,
                        bold=bold,
                        italic=italic,
                        indent=indent if index == 1 and spec.kind == "text" and not centered else 0,
                    )
                )._style
                for index, spec in enumerate(self.columns)
            ]
        row, lines = self.row, 1
        pending = self._pending_row(row)
        for column, (style, value) in enumerate(zip(styles, values, strict=True), start=1):
            cell = pending[column] = WriteOnlyCell(self.ws)
            cell._style = style
            if value is not None:
                set_value(cell, value)
                # A short text on one line fits its column: no need to count its lines.
                if isinstance(value, str) and (
                    len(value) > self._one_line[column - 1] or "\n" in value
                ):
                    width = self._widths[column - 1] - (indent if column == 2 else 0)
                    lines = max(lines, text_lines(value, width))
        if lines > 1:
            self.ws.row_dimensions[row].height = row_height(lines)
        self.row += 1

    def filter(self) -> None:
        """An autofilter over the header and the rows written so far (call before notes)."""
        last = get_column_letter(self.width)
        self.ws.auto_filter.ref = f"A{self.header_end}:{last}{max(self.row - 1, self.header_end)}"

    def band(self, text: str) -> None:
        """A group heading across the whole table (a cell, a kind of subject)."""
        style = table_style(self.workbook, "text", bold=True)
        self.merged(self.row, 1, self.width, text, style=style)
        lines = text_lines(text, sum(spec.width for spec in self.columns))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = row_height(lines)
        self.row += 1

    def note(self, text: str) -> None:
        self.merged(
            self.row, 1, self.width, text, font=font(size=11, italic=True), alignment=WRAP_TOP
        )
        self.ws.row_dimensions[self.row].height = 15 * max(1, len(text) // 150 + 1)
        self.row += 1

    def footer(self) -> None:
        """Place and date; the compiler (name, phone) left; the head (seal) right."""
        head = self.data.letterhead
        self.row += 1
        center = {"alignment": CENTER}
        self._left_right(
            None,
            head.place_and_date(None),
            right_style={"font": font(size=12, italic=True), **center},
        )
        self._left_right(
            _("NGƯỜI LẬP BIỂU"),
            head.table_signer,
            left_style={"font": font(size=12, bold=True), **center},
            right_style={"font": font(size=12, bold=True), **center},
        )
        if head.table_signer_position:
            self._left_right(
                None,
                head.table_signer_position,
                right_style={"font": font(size=12, bold=True), **center},
            )
        self._left_right(
            _("(Ký, ghi rõ họ tên, số điện thoại)"),
            _("(Ký tên, đóng dấu)"),
            left_style={"font": font(size=11, italic=True), **center},
            right_style={"font": font(size=11, italic=True), **center},
        )
