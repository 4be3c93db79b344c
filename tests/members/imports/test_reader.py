"""Real files: refused ones (each with its code, nothing written) and messy ones read right."""

import datetime
import io
import unicodedata
import zipfile

import pytest

from members.imports import file_preview
from members.imports import reader as reader_module
from members.imports.columns import MEMBER_COLUMNS
from members.imports.reader import IMPORT_MAX_BYTES, check_file, opened, read_table
from members.imports.values import parse_card_number, parse_count, parse_date
from members.models import Member
from tests.members.imports.conftest import MEMBER_HEADERS, member_row, xlsx

pytestmark = pytest.mark.django_db


def refused_code(data: bytes, ctx) -> str:
    count = Member.objects.count()
    preview = file_preview(kind="members", data=data, ctx=ctx)
    assert preview.refused is not None
    assert not preview.rows
    assert Member.objects.count() == count
    return preview.refused.code


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_empty_file_is_refused(unit_ctx):
    assert refused_code(b"", unit_ctx) == "empty_file"


def test_file_over_the_size_limit_is_refused(unit_ctx):
    data = b"PK\x03\x04" + b"\0" * IMPORT_MAX_BYTES
    assert refused_code(data, unit_ctx) == "file_too_large"


def test_legacy_xls_or_password_protected_file_is_refused(unit_ctx):
    data = reader_module.OLE2_MAGIC + b"\0" * 2000
    assert refused_code(data, unit_ctx) == "legacy_or_encrypted"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4 not a workbook",
        "Họ và tên;Ngày sinh\nNguyễn Văn A;01/01/1980\n".encode(),
        b"PK\x03\x04 truncated zip",
        zip_bytes({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}),
    ],
    ids=["pdf", "csv", "broken-zip", "docx"],
)
def test_what_is_not_an_excel_workbook_is_refused(unit_ctx, data):
    assert refused_code(data, unit_ctx) == "not_excel"


def test_zip_bomb_is_refused_from_the_zip_directory(unit_ctx, monkeypatch):
    monkeypatch.setattr(reader_module, "UNCOMPRESSED_MAX_BYTES", 100_000)
    data = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"0" * 1_000_000,
        }
    )
    assert len(data) < 10_000
    assert refused_code(data, unit_ctx) == "zip_bomb"


def test_zip_with_too_many_entries_is_refused(unit_ctx, monkeypatch):
    monkeypatch.setattr(reader_module, "MAX_ZIP_ENTRIES", 10)
    entries = {f"xl/part{n}.xml": b"<x/>" for n in range(12)}
    entries |= {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    assert refused_code(zip_bytes(entries), unit_ctx) == "zip_bomb"


def test_corrupt_workbook_is_refused(unit_ctx):
    data = zip_bytes({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"garbage"})
    assert refused_code(data, unit_ctx) == "corrupt_workbook"


def test_workbook_with_a_broken_sheet_is_refused(unit_ctx):
    source = zipfile.ZipFile(io.BytesIO(xlsx([["1"]])))
    entries = {name: source.read(name) for name in source.namelist()}
    entries["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row r='1'><c r='A1'"
    assert refused_code(zip_bytes(entries), unit_ctx) == "corrupt_workbook"


def test_sheet_without_the_header_row_is_refused(unit_ctx):
    data = xlsx([["a", "b", "c"]], headers=["Cột 1", "Cột 2", "Cột 3"])
    assert refused_code(data, unit_ctx) == "no_header"


def test_header_without_a_required_column_is_refused(unit_ctx):
    headers = [h for h in MEMBER_HEADERS if not h.startswith("Ngày vào Đảng")]
    assert refused_code(xlsx([["1", "A"]], headers=headers), unit_ctx) == "missing_columns"


def test_header_without_rows_is_refused(unit_ctx):
    assert refused_code(xlsx([]), unit_ctx) == "no_rows"


def test_too_many_rows_are_refused(unit_ctx, small_bloc, monkeypatch):
    monkeypatch.setattr(reader_module, "MAX_DATA_ROWS", 3)
    cell = small_bloc["cell"].code
    rows = [member_row(f"Người Số {n}", cell=cell, number=n) for n in range(5)]
    assert refused_code(xlsx(rows), unit_ctx) == "too_many_rows"


def test_renamed_sheet_title_lines_blank_rows_and_example_rows(unit_ctx, small_bloc):
    cell = small_bloc["cell"].code
    rows = [
        member_row("Ví Dụ Mẫu", cell=cell, number="Ví dụ"),
        [None] * len(MEMBER_HEADERS),
        member_row("  Trần   Văn   Ba  ", cell=f"  {cell}  ", number=1),
        [],
        [],
        member_row("Lê Thị Tư", cell=cell, number=2, gender=" nữ "),
    ]
    data = xlsx(
        rows,
        title="Danh sách tháng 11",
        before=[["DANH SÁCH ĐẢNG VIÊN"], ["(kèm theo công văn số 12)"]],
    )
    preview = file_preview(kind="members", data=data, ctx=unit_ctx)
    assert preview.ok, preview.errors
    assert preview.sheet == "Danh sách tháng 11"
    assert [row.row for row in preview.rows] == [6, 9]
    assert preview.rows[0].label.startswith("Trần Văn Ba — ")


def test_data_sheet_is_found_by_its_header_not_its_position(unit_ctx, small_bloc):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Ghi chú"
    workbook.active.append(["Tệp gửi Ban Tổ chức"])
    data_sheet = workbook.create_sheet("Trang 2")
    data_sheet.append(MEMBER_HEADERS)
    data_sheet.append(member_row(cell=small_bloc["cell"].code))
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = file_preview(kind="members", data=buffer.getvalue(), ctx=unit_ctx)
    assert preview.ok
    assert preview.rows[0].ref == "Trang 2!B2"


def test_merged_cell_name_applies_to_every_row_it_covers(unit_ctx, small_bloc):
    cell = small_bloc["sub_cell"].code
    rows = [
        member_row("Người Một", cell=cell, number=1),
        member_row("Người Hai", cell=None, number=2),
        member_row("Người Ba", cell=None, number=3),
    ]

    def merge(ws):
        ws.merge_cells("H2:H4")

    preview = file_preview(kind="members", data=xlsx(rows, setup=merge), ctx=unit_ctx)
    assert preview.ok, preview.errors
    assert {row.payload.cell.code for row in preview.rows} == {cell}


def test_nfd_text_and_headers_without_diacritics_are_read(unit_ctx, small_bloc):
    headers = [unicodedata.normalize("NFD", h) for h in MEMBER_HEADERS]
    headers[1] = "HO VA TEN"
    name = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    row = member_row(name, cell=small_bloc["cell"].code, gender=unicodedata.normalize("NFD", "Nữ"))
    preview = file_preview(kind="members", data=xlsx([row], headers=headers), ctx=unit_ctx)
    assert preview.ok, preview.errors
    assert preview.rows[0].payload.values["full_name"] == unicodedata.normalize("NFC", name)
    assert preview.rows[0].payload.values["gender"] == "F"


def test_numbers_stored_as_text_and_dates_in_every_form():
    assert parse_count(" 12 ") == 12
    assert parse_count("12.0") == 12
    assert parse_count(7.0) == 7
    assert parse_card_number(12345678.0) == "12345678"
    assert parse_card_number(" 0123 4567 ") == "01234567"
    assert parse_date("5/3/2021") == datetime.date(2021, 3, 5)
    assert parse_date("05-03-2021") == datetime.date(2021, 3, 5)
    assert parse_date("2021-03-05") == datetime.date(2021, 3, 5)
    midnight = datetime.datetime.fromisoformat("2021-03-05T00:00")
    assert parse_date(midnight) == datetime.date(2021, 3, 5)
    assert parse_date(44260) == datetime.date(2021, 3, 5)
    assert parse_date("") is None


def test_read_table_from_the_generated_template_finds_its_header(small_bloc):
    from members.imports import members_template

    data = members_template(small_bloc["unit"])
    with opened(data) as workbook, pytest.raises(reader_module.ImportRefused) as refusal:
        read_table(workbook, MEMBER_COLUMNS)
    # The template's only rows are examples, which are skipped.
    assert refusal.value.code == "no_rows"


def test_check_file_accepts_a_real_workbook():
    check_file(xlsx([["1"]]))
