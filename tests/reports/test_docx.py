"""Every printed document also as an editable Word file (issue #14): reopened with python-docx,
its header, title, signature block and figures read back; LibreOffice opens it."""

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.documents import DOCX, build_report
from reviews.models import Rating, SubjectKind, SuggestionIssue
from tests.factories import UserFactory
from tests.reports.test_pdf import needs_poppler, pdf_text, squeeze

pytestmark = pytest.mark.django_db


def read(content: bytes):
    return Document(io.BytesIO(content))


def body_text(document) -> str:
    return squeeze(" ".join(p.text for p in document.paragraphs))


def table_text(table) -> str:
    return squeeze(" ".join(cell.text for row in table.rows for cell in row.cells))


@pytest.fixture
def bloc_docx(report_bloc):
    return read(build_report(report_bloc["cycle"], report_bloc["bloc"], DOCX, number="12"))


def test_the_page_and_the_font_are_a_party_documents(bloc_docx):
    section = bloc_docx.sections[0]

    def mm(length):
        return round(length.mm)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 20)
    assert mm(section.top_margin) == mm(section.bottom_margin) == 20
    normal = bloc_docx.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    # Page numbers at the foot from the second page, as the PDF prints them.
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.footer._element.xml


def test_the_header_title_and_signature_read_back(bloc_docx):
    header, *_, signature = bloc_docx.tables
    left, right = (squeeze(cell.text) for cell in header.rows[0].cells)
    assert left == "ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH * Số 12-BC/ĐUK"
    assert right.startswith("ĐẢNG CỘNG SẢN VIỆT NAM Đồng Nai, ngày ")
    assert all(not border for border in _borders(header))
    title = [p.text for p in bloc_docx.paragraphs if p.text.strip()][:2]
    assert title[0] == "BÁO CÁO"
    assert title[1].startswith("Kết quả kiểm điểm, đánh giá, xếp loại chất lượng")
    recipients, signer = (squeeze(cell.text) for cell in signature.rows[0].cells)
    assert recipients.startswith("Nơi nhận: - Ban Thường vụ Tỉnh ủy (b/c),")
    assert recipients.endswith("- Lưu VP, BTC.")
    assert signer == "T/M BAN THƯỜNG VỤ BÍ THƯ"
    # The signature block never splits across pages, and nothing after it fills a page.
    assert signature.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    last = bloc_docx.paragraphs[-1]
    assert not last.text
    assert last.paragraph_format.line_spacing == Pt(1)
    language = bloc_docx.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert language.get(qn("w:val")) == "vi-VN"
    text = body_text(bloc_docx)
    for heading in (
        "I. Công tác lãnh đạo, chỉ đạo, tổ chức thực hiện",
        "III. Việc thực hiện tỷ lệ “Hoàn thành xuất sắc nhiệm vụ”",
        "VI. Đề xuất, kiến nghị",
    ):
        assert heading in text


def _borders(table):
    borders = table._tbl.tblPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders"
    )
    return [
        edge
        for edge in borders
        if edge.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") != "nil"
    ]


def test_the_figures_are_the_databases(bloc_docx, report_bloc):
    cycle = report_bloc["cycle"]
    members = Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.MEMBER)
    rated = members.filter(not_rated_reason="").count()
    text = body_text(bloc_docx)
    assert f"tổng số đảng viên phải kiểm điểm: {members.count()}" in text
    assert f"Đảng viên: tổng số {members.count()}, được xếp loại {rated}" in text
    table_6f = next(t for t in bloc_docx.tables if t.rows[0].cells[1].text == "Nội dung")
    first = [cell.text for cell in table_6f.rows[1].cells]
    assert first[0] == "1"
    assert first[3] == str(members.count())
    statistics = next(t for t in bloc_docx.tables if "Đối tượng" in t.rows[0].cells[1].text)
    # Two header rows, merged: the level codes span their count and share columns.
    assert statistics.rows[0].cells[4].text == statistics.rows[0].cells[5].text == "HTXSNV"
    assert [statistics.rows[1].cells[4].text, statistics.rows[1].cells[5].text] == ["SL", "%"]
    member_row = next(r for r in statistics.rows if r.cells[1].text == "Đảng viên")
    excellent = members.filter(decision_level="HTXSNV").count()
    assert member_row.cells[2].text == str(members.count())
    assert member_row.cells[4].text == str(excellent)


def test_typed_markup_prints_as_text(report_bloc, tmp_path):
    issue = SuggestionIssue.objects.filter(explanation__gt="").first()
    issue.explanation = '<script>alert("x")</script><b>đậm</b> & chữ'
    issue.save()
    document = read(build_report(report_bloc["cycle"], report_bloc["bloc"], DOCX))
    assert '<script>alert("x")</script><b>đậm</b> & chữ' in body_text(document)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@needs_poppler
def test_libreoffice_opens_the_word_file_of_the_same_report(report_bloc, tmp_path):
    for fmt in ("pdf", "docx"):
        call_command(
            "export_report",
            "--cycle=2021",
            "--organization=STC",
            f"--format={fmt}",
            f"--output={tmp_path / f'stc.{fmt}'}",
            "--number=7",
            "--date=01/12/2021",
            stdout=io.StringIO(),
        )
    converted = tmp_path / "converted"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(converted),
            str(tmp_path / "stc.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    from_word = squeeze(pdf_text((converted / "stc.pdf").read_bytes(), tmp_path))
    from_pdf = squeeze(pdf_text((tmp_path / "stc.pdf").read_bytes(), tmp_path))
    for line in (
        "ĐẢNG ỦY SỞ TÀI CHÍNH",
        "Số 7-BC/ĐU",
        "Đồng Nai, ngày 01 tháng 12 năm 2021",
        "II. Kết quả kiểm điểm, đánh giá, xếp loại",
        "T/M ĐẢNG ỦY",
    ):
        assert line in from_word
        assert line in from_pdf
    members = Rating.objects.filter(
        cycle=report_bloc["cycle"],
        subject_kind=SubjectKind.MEMBER,
        pool__owner=report_bloc["a"]["unit"],
    ).count()
    assert f"Đảng viên: tổng số {members}," in from_word


def test_those_who_download_the_pdf_get_the_word_file(client, report_bloc, export_file):
    from organizations.models import Role
    from tests.factories import RoleAssignmentFactory

    unit = report_bloc["a"]["unit"]
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=unit, role=Role.CLERK)
    client.force_login(clerk)
    response = export_file(client, unit, "docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert 'filename="bao-cao-2021-' in response["Content-Disposition"]
    assert "ĐẢNG ỦY SỞ TÀI CHÍNH" in table_text(read(response.content).tables[0])
    other = report_bloc["b_unit"]
    assert client.get(reverse("reports:download", args=[other.pk, "docx"])).status_code == 404
