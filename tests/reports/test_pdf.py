import datetime
import re
import shutil
import subprocess

import pytest
from django.utils import timezone

from reports.documents import build_report, render_report_html
from reports.selectors import report_data
from reviews.models import Rating, SubjectKind, Suggestion

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(content: bytes, tmp_path, *, layout: bool = False) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout  # noqa: S603


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def bloc_pdf(report_bloc):
    return build_report(report_bloc["cycle"], report_bloc["bloc"], number="12")


@needs_poppler
def test_the_report_reads_like_a_party_document(bloc_pdf, report_bloc, tmp_path):
    assert bloc_pdf.startswith(b"%PDF")
    text = squeeze(pdf_text(bloc_pdf, tmp_path))
    for heading in (
        "ĐẢNG BỘ TỈNH ĐỒNG NAI",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BÁO CÁO",
        "Kết quả kiểm điểm, đánh giá, xếp loại chất lượng",
        "I. Công tác lãnh đạo, chỉ đạo, tổ chức thực hiện",
        "II. Kết quả kiểm điểm, đánh giá, xếp loại",
        "III. Việc thực hiện tỷ lệ “Hoàn thành xuất sắc nhiệm vụ”",
        "IV. Giải trình những vấn đề được gợi ý kiểm điểm",
        "V. Khó khăn, vướng mắc và kiến nghị",
        "VI. Đề xuất, kiến nghị",
        "Nơi nhận:",
        "- Lưu VP, BTC.",
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Biểu số 6F-BTCTW",
        "Quy định số 132-QĐ/TW ngày 08/3/2018 của Bộ Chính trị",
    ):
        assert heading in text, heading
    assert "Số 12-BC/ĐUK" in text
    # Without a date given, the document is dated the day it is exported.
    today = timezone.localdate()
    assert f"Đồng Nai, ngày {today:%d} tháng {today.month} năm {today.year}" in text


@needs_poppler
def test_the_report_gives_the_database_figures(bloc_pdf, report_bloc, tmp_path):
    cycle = report_bloc["cycle"]
    text = squeeze(pdf_text(bloc_pdf, tmp_path))
    members = Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.MEMBER)
    rated = members.filter(not_rated_reason="").count()
    assert f"tổng số đảng viên phải kiểm điểm: {members.count()}" in text
    assert f"đã kiểm điểm: {rated}" in text
    assert f"Đảng viên: tổng số {members.count()}, được xếp loại {rated}" in text
    excellent = members.filter(decision_level="HTXSNV").count()
    assert f"Hoàn thành xuất sắc nhiệm vụ {excellent} (" in text
    # The explanations of the issued suggestions, not the draft.
    assert "Do ảnh hưởng của dịch COVID-19" in text
    assert "Văn bản số 15-CV/ĐUK ngày 01/11/2021" in text
    assert "Dự thảo." not in text
    assert "(chưa giải trình)" in text


@needs_poppler
def test_the_number_is_left_blank_and_the_date_can_be_given(report_bloc, tmp_path):
    content = build_report(
        report_bloc["cycle"],
        report_bloc["a"]["unit"],
        issued_on=datetime.date(2021, 2, 5),
    )
    text = pdf_text(content, tmp_path)
    assert re.search(r"Số\s+-BC/ĐU\b", text)
    flat = squeeze(text)
    assert "Đồng Nai, ngày 05 tháng 02 năm 2021" in flat
    assert "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH" in flat
    assert "ĐẢNG ỦY SỞ TÀI CHÍNH" in flat
    assert "T/M ĐẢNG ỦY" in flat
    assert "- Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (b/c)," in flat
    assert "- Lưu VP." in flat


@needs_poppler
def test_no_suggestion_reads_khong_co(report_bloc, tmp_path):
    Suggestion.objects.all().delete()
    content = build_report(report_bloc["cycle"], report_bloc["b_unit"])
    text = squeeze(pdf_text(content, tmp_path))
    section = text.split("IV. Giải trình những vấn đề được gợi ý kiểm điểm", 1)[1]
    assert section.strip().startswith("Không có.")
    assert "T/M CHI BỘ" in text
    assert "CHI BỘ BỆNH VIỆN PHỔI" in text


@needs_poppler
def test_fonts_are_embedded_times_metrics(bloc_pdf, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(bloc_pdf)
    fonts = subprocess.run(  # noqa: S603
        ["pdffonts", str(path)],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Liberation-Serif" in fonts or "TimesNewRoman" in fonts
    assert " yes yes yes " in fonts  # embedded, subset, with a Unicode map (searchable)


def test_the_document_names_no_external_resource(report_bloc):
    html = render_report_html(report_data(report_bloc["cycle"], report_bloc["bloc"]))
    assert not re.search(r"(href|src)\s*=|url\(", html)
    # A hostile name typed into the data is printed as text, escaped, never as markup.
    assert "HYPERLINK(&quot;http://" in html


def test_every_override_is_printed_with_who_why_and_the_reference(report_bloc):
    html = render_report_html(report_data(report_bloc["cycle"], report_bloc["bloc"]))
    section = html[html.index("Các trường hợp điều chỉnh ngoài quy định") :]
    for text in ("Người dùng", "Theo kết luận của Ủy ban Kiểm tra.", "12-QĐ/UBKT"):
        assert text in section


def test_all_pools_within_the_quota_is_said_only_when_every_pool_is_decided(open_cycle, small_bloc):
    html = render_report_html(report_data(open_cycle, small_bloc["bloc"]))
    assert "đều thực hiện đúng tỷ lệ quy định" not in html
    assert "chưa thể kết luận" in html


def test_the_issue_date_is_the_one_given(report_bloc):
    html = render_report_html(
        report_data(report_bloc["cycle"], report_bloc["bloc"]),
        issued_on=datetime.date(2021, 11, 24),
    )
    assert "ngày 24 tháng 11 năm 2021" in html


def test_a_2026_report_names_its_party_committee_and_prints_the_rule_of_its_regime(
    small_bloc, tmp_path
):
    """QĐ 366: the committee of 2025 (ĐU, not ĐUK), the quota per peer group with its 25%
    exception, the total score beside the level in the workbook (issue #13)."""
    from io import BytesIO

    from openpyxl import load_workbook

    from organizations.services import organization_update
    from reports.excel import build_workbook
    from reviews.services import cycle_change_status, cycle_create

    root = small_bloc["bloc"]
    organization_update(organization=root, name="Đảng bộ Ủy ban nhân dân tỉnh Đồng Nai")
    cycle = cycle_change_status(
        cycle=cycle_create(organization=root, year=2026, title="Kỳ đánh giá 2026"), status="open"
    )
    flat = squeeze(pdf_text(build_report(cycle, root), tmp_path))
    assert re.search(r"Số\s+-BC/ĐU\b", flat)
    assert "Ban Thường vụ Đảng ủy Ủy ban nhân dân tỉnh đã ban hành" in flat
    assert "QĐ 366-QĐ/TW; HD 43-HD/BTCTW: số lượng xếp loại" in flat
    assert "nhóm đối tượng có vị trí, vai trò, chức năng, nhiệm vụ tương đồng" in flat
    assert "cho phép đến 25% bằng quyết định" in flat
    sheet = load_workbook(BytesIO(build_workbook(cycle, root)))["Danh sách đảng viên"]
    headers = [cell.value for cell in next(r for r in sheet.iter_rows() if r[0].value == "TT")]
    assert headers.index("Tổng điểm (/100)") == headers.index("Cấp ủy quyết định") + 1
