import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reports.excel import build_workbook
from reviews.models import Level, Pool, Rating, SubjectKind
from reviews.quota import quotas_by_pool
from tests.reports.conftest import HOSTILE_NAME, HOSTILE_NOTE

pytestmark = pytest.mark.django_db

SHEETS = [
    "Biểu 6F",
    "Thống kê xếp loại",
    "Danh sách đảng viên",
    "Tổ chức đảng",
    "Xuất sắc",
    "Tỷ lệ theo nhóm",
    "Điều chỉnh ngoài quy định",
    "Gợi ý kiểm điểm",
    "Khó khăn, vướng mắc",
]


def reopen(content: bytes):
    return load_workbook(io.BytesIO(content))


def rows_of(ws):
    """Each row's non-empty values, with the row's cells for the type checks."""
    for row in ws.iter_rows():
        values = [cell.value for cell in row]
        if any(value is not None for value in values):
            yield values, row


def table_row(ws, first_value, *, column=1):
    for values, _cells in rows_of(ws):
        if values[column - 1] == first_value:
            return values
    raise AssertionError(f"no row starting with {first_value!r}")


@pytest.fixture
def bloc_workbook(report_bloc):
    return reopen(build_workbook(report_bloc["cycle"], report_bloc["bloc"]))


def test_sheets_and_official_headers(bloc_workbook):
    assert bloc_workbook.sheetnames == SHEETS
    for ws in bloc_workbook.worksheets:
        texts = [v for values, _ in rows_of(ws) for v in values if isinstance(v, str)]
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in texts
        assert "ĐẢNG BỘ TỈNH ĐỒNG NAI" in texts  # derived default for a bloc with no province
        assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" in texts
        assert "Năm 2021" in texts
        assert "NGƯỜI LẬP BIỂU" in texts
        assert "TRƯỞNG BAN" in texts
        assert "(Ký, ghi rõ họ tên, số điện thoại)" in texts
        assert "(Ký tên, đóng dấu)" in texts
        assert any(t.startswith("Đồng Nai, ngày") for t in texts)
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1
        assert ws.freeze_panes is not None
        assert ws.print_title_rows
    ws = bloc_workbook["Biểu 6F"]
    texts = [v for values, _ in rows_of(ws) for v in values if isinstance(v, str)]
    assert "THỐNG KÊ KẾT QUẢ KIỂM ĐIỂM TỰ PHÊ BÌNH VÀ PHÊ BÌNH" in texts
    assert "Biểu số 6F-BTCTW" in texts
    assert table_row(ws, "TT")[:5] == ["TT", "Nội dung", "Tập thể", "Đảng viên", "Ghi chú"]
    assert bloc_workbook["Danh sách đảng viên"].page_setup.orientation == "landscape"
    assert ws.page_setup.orientation == "portrait"


def test_times_new_roman_everywhere(bloc_workbook):
    assert {font.name for font in bloc_workbook._fonts} == {"Times New Roman"}
    for ws in bloc_workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Times New Roman", cell.coordinate


def test_6f_totals_equal_the_database(bloc_workbook, report_bloc):
    ws = bloc_workbook["Biểu 6F"]
    cycle = report_bloc["cycle"]
    members = Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.MEMBER)
    collectives = Rating.objects.filter(
        cycle=cycle, subject_kind__in=[SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE]
    )
    assert table_row(ws, "1")[2:4] == [collectives.count(), members.count()]
    assert table_row(ws, "2")[2:4] == [
        collectives.filter(not_rated_reason="").count(),
        members.filter(not_rated_reason="").count(),
    ]
    assert table_row(ws, "3")[2:4] == [
        collectives.exclude(not_rated_reason="").count(),
        members.exclude(not_rated_reason="").count(),
    ]
    assert table_row(ws, "4")[2:4] == [2, 1]


def test_rating_statistics_equal_the_database(bloc_workbook, report_bloc):
    ws = bloc_workbook["Thống kê xếp loại"]
    cycle = report_bloc["cycle"]
    for label, kind in (
        ("Đảng viên", SubjectKind.MEMBER),
        ("Tập thể lãnh đạo, quản lý", SubjectKind.COLLECTIVE),
        ("Cá nhân cán bộ lãnh đạo, quản lý", SubjectKind.LEADER),
    ):
        row = table_row(ws, label, column=2)
        ratings = Rating.objects.filter(cycle=cycle, subject_kind=kind)
        rated = ratings.filter(not_rated_reason="")
        assert row[2:4] == [ratings.count(), rated.count()]
        for index, level in enumerate(Level.values):
            count, of_rated, of_total = row[4 + 3 * index : 7 + 3 * index]
            expected = rated.filter(decision_level=level).count()
            assert count == expected
            assert of_rated == pytest.approx(expected / rated.count())
            assert of_total == pytest.approx(expected / ratings.count())
        assert row[16] == ratings.exclude(not_rated_reason="").count()
        assert row[-1] == rated.filter(decision_level="").count()
    grassroots = table_row(ws, "Tổ chức cơ sở đảng", column=2)
    units = Rating.objects.filter(
        cycle=cycle, subject_kind=SubjectKind.ORGANIZATION, organization__depth=2
    )
    assert grassroots[2] == units.count()


def test_percentages_show_one_decimal(bloc_workbook):
    ws = bloc_workbook["Thống kê xếp loại"]
    _values, cells = next(
        (values, cells) for values, cells in rows_of(ws) if values[1] == "Đảng viên"
    )
    assert cells[5].number_format == "0.0%"
    assert cells[4].number_format == "#,##0"


def test_member_list_counts_every_member(bloc_workbook, report_bloc):
    ws = bloc_workbook["Danh sách đảng viên"]
    numbered = [values for values, _ in rows_of(ws) if isinstance(values[0], int)]
    assert len(numbered) == Rating.objects.filter(subject_kind=SubjectKind.MEMBER).count()
    decided = [values[10] for values in numbered if values[10]]
    assert all(values[4] for values in numbered)  # every member with his cell
    assert decided.count("HTXSNV") == 2


def test_formula_looking_text_stays_text(report_bloc):
    content = build_workbook(report_bloc["cycle"], report_bloc["b_unit"])
    ws = reopen(content)["Danh sách đảng viên"]
    name = next(cells[1] for values, cells in rows_of(ws) if values[1] == HOSTILE_NAME)
    assert name.value == HOSTILE_NAME
    assert name.data_type == "s"
    assert name.quotePrefix
    note = next(cells[12] for values, cells in rows_of(ws) if values[12] == HOSTILE_NOTE)
    assert note.data_type == "s"
    assert b"<f>" not in content  # no formula anywhere in the package
    assert ws.auto_filter.ref.startswith("A")  # the list can be filtered by cell, level …


def test_quota_sheet_matches_the_quota_service(bloc_workbook, report_bloc):
    ws = bloc_workbook["Tỷ lệ theo nhóm"]
    pools = list(Pool.objects.filter(cycle=report_bloc["cycle"]).select_related("cycle"))
    statuses = quotas_by_pool(pools)
    numbered = [values for values, _ in rows_of(ws) if isinstance(values[0], int)]
    assert len(numbered) == len(pools)
    assert sum(row[5] for row in numbered) == sum(s.excellent for s in statuses.values())
    assert sum(row[6] for row in numbered) == sum(s.good for s in statuses.values())
    assert sum(row[11] for row in numbered) == sum(s.allowed for s in statuses.values())


def test_suggestions_sheet_lists_every_issue_of_issued_suggestions(bloc_workbook):
    ws = bloc_workbook["Gợi ý kiểm điểm"]
    issues = [values[7] for values, _ in rows_of(ws) if isinstance(values[6], int)]
    assert "Việc lãnh đạo thực hiện chỉ tiêu thu ngân sách." in issues
    assert "Dự thảo." not in issues
    assert len(issues) == 4


def test_unit_workbook_is_signed_by_its_committee(report_bloc):
    ws = reopen(build_workbook(report_bloc["cycle"], report_bloc["a"]["unit"]))["Biểu 6F"]
    texts = [v for values, _ in rows_of(ws) for v in values if isinstance(v, str)]
    assert "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH" in texts
    assert "ĐẢNG ỦY SỞ TÀI CHÍNH" in texts
    assert "T/M ĐẢNG ỦY" in texts


def test_questions_sheet_lists_exactly_the_cycles_questions(db, tmp_path):
    """Issue "guidance and difficulties": the sheet lists exactly the cycle's questions."""
    import io

    from openpyxl import load_workbook

    from reports.excel import build_workbook
    from reviews.services import cycle_change_status, question_act, question_ask
    from tests.factories import (
        BlocFactory,
        CellFactory,
        GrassrootsCommitteeFactory,
        ReviewCycleFactory,
    )

    bloc = BlocFactory()
    unit = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở Y tế")
    CellFactory(parent=unit)
    cycle = cycle_change_status(cycle=ReviewCycleFactory(organization=bloc), status="open")
    answered = question_ask(cycle=cycle, unit=unit, title="Nghỉ ốm", text="Hỏi A", acting_user=None)
    question_act(question=answered, action="answer", text="Trả lời A", share=True, acting_user=None)
    question_ask(cycle=cycle, unit=unit, title="=Chưa trả lời", text="Hỏi B", acting_user=None)
    sheet = load_workbook(io.BytesIO(build_workbook(cycle, bloc)))["Khó khăn, vướng mắc"]
    titles = [
        row[2]
        for row in sheet.iter_rows(values_only=True)
        if row and row[2] in ("Nghỉ ốm", "=Chưa trả lời")
    ]
    assert titles == ["Nghỉ ốm", "=Chưa trả lời"]


def test_every_override_is_listed_with_who_why_and_the_reference(bloc_workbook):
    ws = bloc_workbook["Điều chỉnh ngoài quy định"]
    values = table_row(ws, 1)
    assert "KHTNV" in values
    assert "Người dùng" in values  # the clerk who decided it
    assert "Theo kết luận của Ủy ban Kiểm tra." in values
    assert "12-QĐ/UBKT" in values


def test_the_party_name_block_is_never_squeezed_into_one_narrow_column(bloc_workbook):
    """The letterhead's right block ("ĐẢNG CỘNG SẢN VIỆT NAM") spans at least a third of the
    table's width on every sheet."""
    for ws in bloc_workbook.worksheets:
        merged = next(
            rng
            for rng in ws.merged_cells.ranges
            if ws.cell(rng.min_row, rng.min_col).value == "ĐẢNG CỘNG SẢN VIỆT NAM"
        )
        width = sum(
            ws.column_dimensions[get_column_letter(column)].width
            for column in range(merged.min_col, merged.max_col + 1)
        )
        total = sum(
            ws.column_dimensions[get_column_letter(column)].width
            for column in range(1, ws.max_column + 1)
        )
        assert width >= total / 3, ws.title
