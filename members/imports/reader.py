"""Opening an uploaded workbook safely and finding its data by the header row, not the name.

Refused before openpyxl sees it: an empty or too large file, a file that is not an Office Open
XML workbook (legacy .xls and password-protected files are OLE2 containers), and a zip whose
directory announces more than `UNCOMPRESSED_MAX_BYTES`, or a part that inflates more than
`MAX_COMPRESSION_RATIO` times (a zip bomb). Python's zipfile never
inflates past the sizes the directory announces, so the check holds for what openpyxl reads.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from members.imports.columns import Column
from members.imports.preview import ImportRefused
from members.imports.values import fold, header_key, is_blank

logger = logging.getLogger(__name__)
IMPORT_MAX_BYTES = 10 * 1024 * 1024
UNCOMPRESSED_MAX_BYTES = 100 * 1024 * 1024
#: A real workbook's parts compress 5–30 times; a part inflating more than this (past
#: RATIO_CHECKED_FROM bytes) is a bomb, such as one 240 MB cell in a 246 KB file.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM = 2 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000
MAX_DATA_ROWS = 20_000
MAX_COLUMNS = 60
HEADER_SCAN_ROWS = 30
BLANK_RUN_STOP = 1_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}\d+:[A-Z]{1,3}\d+)"')
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
#: The first column of example rows in the templates ("Ví dụ"); such rows are skipped.
EXAMPLE_MARK = "vi du"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def check_file(data: bytes) -> None:
    """Refuse what is not a reasonable .xlsx file, before any parser reads it."""
    if not data:
        raise ImportRefused(_("Tệp rỗng: không có dữ liệu để nhập."), code="empty_file")
    if len(data) > IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("Tệp dung lượng %(size)s MB, vượt giới hạn %(max)s MB. Hãy chia nhỏ tệp.")
            % {"size": megabytes(len(data)), "max": IMPORT_MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    if data.startswith(OLE2_MAGIC):
        raise ImportRefused(
            _(
                "Tệp ở định dạng Excel 97-2003 (.xls) hoặc đã đặt mật khẩu. Hãy mở tệp bằng "
                "Excel, bỏ mật khẩu và lưu lại dưới dạng “Excel Workbook (.xlsx)”."
            ),
            code="legacy_or_encrypted",
        )
    not_excel = ImportRefused(
        _("Tệp không phải là tệp Excel (.xlsx). Hãy dùng tệp mẫu tải từ trang này."),
        code="not_excel",
    )
    if not data.startswith(b"PK\x03\x04"):
        raise not_excel
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise not_excel from None
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or sum(entry.file_size for entry in entries) > UNCOMPRESSED_MAX_BYTES
        or any(
            entry.file_size > RATIO_CHECKED_FROM
            and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
            for entry in entries
        )
    ):
        raise ImportRefused(
            _("Tệp có nội dung giải nén quá lớn (trên %(max)s MB); hệ thống không đọc tệp này.")
            % {"max": UNCOMPRESSED_MAX_BYTES // (1024 * 1024)},
            code="zip_bomb",
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(n.endswith("workbook.xml") for n in names):
        raise not_excel


@contextmanager
def opened(data: bytes):
    """The workbook, read-only with cached formula values; closed on exit."""
    check_file(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # any parser failure on an untrusted file is a refusal, never a 500
        raise ImportRefused(
            _("Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx)."),
            code="corrupt_workbook",
        ) from None
    try:
        yield workbook
    except ImportRefused:
        raise
    except Exception:  # a sheet is parsed lazily: a broken one fails while it is read
        logger.warning("unreadable workbook", exc_info=True)
        raise ImportRefused(
            _("Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx)."),
            code="corrupt_workbook",
        ) from None
    finally:
        workbook.close()


def _rows(worksheet, *, max_row: int | None = None) -> Iterator[tuple]:
    # The dimension a writer records may be wrong; read what the sheet really holds.
    worksheet.reset_dimensions()
    return worksheet.iter_rows(
        min_row=1, min_col=1, max_col=MAX_COLUMNS, max_row=max_row, values_only=True
    )


def _merged_ranges(workbook, worksheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range; read-only mode skips them.

    Read from the sheet's XML with a pattern: cell text there is escaped, so it cannot match.
    """
    try:
        with workbook._archive.open(worksheet._worksheet_path) as source:
            xml = source.read()
    except (AttributeError, KeyError, OSError):
        return []
    return [range_boundaries(ref.decode()) for ref in _MERGE_REF.findall(xml)]


@dataclass
class Table:
    """The data rows of the sheet whose header row matched the expected columns."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, tuple]] = field(default_factory=list)

    def ref(self, key: str, row: int) -> str:
        index = self.columns.get(key, 0)
        return f"{self.sheet}!{get_column_letter(index + 1)}{row}"

    def get(self, values: tuple, key: str):
        index = self.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]


def _match_header(values: tuple, columns: Sequence[Column]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        key = header_key(value)
        if not key:
            continue
        for column in columns:
            if column.key not in found and key in column.header_keys:
                found[column.key] = index
                break
    return found


def read_table(workbook, columns: Sequence[Column]) -> Table:
    """Find the sheet and row holding the expected headers, then read the rows below it."""
    best: tuple[int, object, int, dict[str, int]] | None = None
    for worksheet in workbook.worksheets:
        for number, values in enumerate(_rows(worksheet, max_row=HEADER_SCAN_ROWS), start=1):
            found = _match_header(values, columns)
            if len(found) >= 2 and (best is None or len(found) > best[0]):
                best = (len(found), worksheet, number, found)
    if best is None:
        raise ImportRefused(
            _(
                "Không tìm thấy dòng tiêu đề cột (ví dụ “%(first)s”, “%(second)s”) trong tệp. "
                "Hãy dùng tệp mẫu và giữ nguyên dòng tiêu đề."
            )
            % {"first": columns[1].label, "second": columns[2].label},
            code="no_header",
        )
    _count, worksheet, header_row, found = best
    missing = [str(c.label) for c in columns if c.required and c.key not in found]
    if missing:
        raise ImportRefused(
            _("Trang “%(sheet)s”, dòng %(row)s thiếu cột bắt buộc: %(columns)s.")
            % {"sheet": worksheet.title, "row": header_row, "columns": ", ".join(missing)},
            code="missing_columns",
        )
    table = Table(sheet=worksheet.title, header_row=header_row, columns=found)
    _read_data(workbook, worksheet, table, columns)
    return table


def _is_repeated_header(values: list, table: Table, columns: Sequence[Column]) -> bool:
    """A header repeated below (printed pages) or the row numbering the columns "(1) (2) …"."""
    by_key = {column.key: column for column in columns}
    texts = [(key, values[index]) for key, index in table.columns.items()]
    matches = sum(1 for key, value in texts if header_key(value) in by_key[key].header_keys)
    if matches >= 2:
        return True
    filled = [value for _key, value in texts if not is_blank(value)]
    return len(filled) >= 3 and all(_NUMBERING.match(str(value).strip()) for value in filled)


def _read_data(workbook, worksheet, table: Table, columns: Sequence[Column]) -> None:
    merges: dict[int, list[tuple[int, int, int]]] = {}
    for min_col, min_row, max_col, max_row in _merged_ranges(workbook, worksheet):
        if min_row > table.header_row and (max_col > min_col or max_row > min_row):
            merges.setdefault(min_row, []).append((min_col, max_col, max_row))
    active: list[tuple[int, int, int, object]] = []
    first = table.columns.get("number")
    blank_run = 0
    for number, raw in enumerate(_rows(worksheet), start=1):
        values = list(raw) + [None] * (MAX_COLUMNS - len(raw))
        # A merged range shows its value in every cell it covers (a cell name merged down).
        for min_col, max_col, max_row in merges.get(number, ()):
            active.append((min_col, max_col, max_row, values[min_col - 1]))
        active = [merge for merge in active if merge[2] >= number]
        for min_col, max_col, _max_row, value in active:
            for column in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                values[column - 1] = value
        if number <= table.header_row:
            continue
        if all(is_blank(values[i]) for i in table.columns.values()):
            blank_run += 1
            if blank_run >= BLANK_RUN_STOP:
                break
            continue
        blank_run = 0
        if first is not None and fold(values[first]).startswith(EXAMPLE_MARK):
            continue
        if _is_repeated_header(values, table, columns):
            continue
        table.rows.append((number, tuple(values)))
        if len(table.rows) > MAX_DATA_ROWS:
            raise ImportRefused(
                _("Tệp có hơn %(max)s dòng dữ liệu; hãy chia thành nhiều tệp.")
                % {"max": f"{MAX_DATA_ROWS:,}".replace(",", ".")},
                code="too_many_rows",
            )
    if not table.rows:
        raise ImportRefused(
            _("Trang “%(sheet)s” không có dòng dữ liệu nào dưới dòng tiêu đề.")
            % {"sheet": table.sheet},
            code="no_rows",
        )


def find_labelled(workbook, label_key: str, *, scan_rows: int = 60) -> str | None:
    """The value written right of a label (matched by `header_key`) on any sheet."""
    for worksheet in workbook.worksheets:
        for values in _rows(worksheet, max_row=scan_rows):
            for index, value in enumerate(values[:6]):
                if header_key(value) == label_key:
                    rest = [v for v in values[index + 1 :] if not is_blank(v)]
                    return str(rest[0]).strip() if rest else ""
    return None
