"""The papers kiemdiem writes, in a real browser (issue #14, "done means"): a member fills his
2B form himself (last year's shortcomings pre-filled, saved as he types), finishes it and
downloads it as PDF and Word; the clerk records the cell's review meeting and downloads its
minutes in both formats."""

import re
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from docx import Document
from playwright.sync_api import Page, expect

from reviews.models import MeetingAttendance, ReviewMeeting, SelfReview

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "kiemdiem2021"


@pytest.fixture
def demo(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", scale=0.05, stdout=StringIO())


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def download(page: Page, link, tmp_path):
    with page.expect_download() as started:
        link.click()
    path = tmp_path / started.value.suggested_filename
    started.value.save_as(path)
    return path


def pdf_words(path) -> str:
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(text.split())


def test_a_member_writes_his_2b_and_the_clerk_minutes_the_meeting(
    live_server, page: Page, browser, demo, tmp_path
):
    base = live_server.url

    # The member opens his 2026 form from the home page: last year's shortcomings are there.
    log_in(page, base, "dangvien")
    page.get_by_test_id("own-self-reviews").get_by_role(
        "link", name="Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2026", exact=True
    ).click()
    expect(page.get_by_role("heading", name=re.compile("Mẫu 2B"))).to_be_visible()
    expect(page.get_by_test_id("last-shortcomings")).to_contain_text("Có lúc chưa chủ động")
    remedies = page.get_by_role("textbox", name=re.compile("^VI\\. Phương hướng"))
    remedies.fill("Lập kế hoạch công việc hằng tuần; báo cáo đúng hạn.")
    expect(page.get_by_role("status")).to_contain_text("Đã tự động lưu lúc", timeout=10_000)
    form = SelfReview.objects.get(
        rating__member__account__username="dangvien", rating__cycle__year=2026
    )
    assert form.remedies == "Lập kế hoạch công việc hằng tuần; báo cáo đúng hạn."
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.get_by_label("Tự xếp loại").select_option(label="Hoàn thành tốt nhiệm vụ")
    # The test database is SQLite in memory, whose locks do not wait: let the autosaves end.
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Hoàn thành bản kiểm điểm").click()
    expect(page.get_by_text("Đã hoàn thành bản kiểm điểm.")).to_be_visible()
    expect(page.get_by_test_id("self-review-state")).to_contain_text("Đã hoàn thành")
    pdf = download(page, page.get_by_role("link", name="PDF", exact=True), tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    words = pdf_words(pdf)
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in words
    assert "Tự xếp loại: Hoàn thành tốt nhiệm vụ" in words
    word = download(page, page.get_by_role("link", name="Word", exact=True), tmp_path)
    paragraphs = [p.text for p in Document(word).paragraphs]
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in paragraphs
    assert any("Lập kế hoạch công việc hằng tuần" in p for p in paragraphs)

    # The clerk records the cell's meeting from the unit's report page.
    clerk = browser.new_context(locale="vi-VN").new_page()
    log_in(clerk, base, "canbo.stc")
    clerk.get_by_role("link", name=re.compile("Báo cáo, hồ sơ của Đảng bộ Sở Tài chính")).click()
    clerk.get_by_test_id("meeting-bodies").get_by_role(
        "link", name="Chi bộ Phòng Quản lý ngân sách"
    ).click()
    expect(clerk.get_by_test_id("draft-warning")).to_contain_text("chưa đủ 3 ngày làm việc")
    clerk.get_by_label("Ngày gửi dự thảo báo cáo kiểm điểm (dd/mm/yyyy)").fill("20/11/2026")
    rows = clerk.get_by_test_id("attendance").locator("tbody tr")
    second = rows.nth(2)
    name = second.locator("th").inner_text()
    second.get_by_role("checkbox").uncheck()
    second.get_by_role("textbox").fill("Nghỉ ốm")
    clerk.get_by_role("button", name="Ghi biên bản").click()
    expect(clerk.get_by_text("Đã ghi biên bản hội nghị.")).to_be_visible()
    expect(clerk.get_by_test_id("draft-warning")).to_have_count(0)
    meeting = ReviewMeeting.objects.get(cycle__year=2026, organization__name__endswith="ngân sách")
    assert MeetingAttendance.objects.get(
        meeting=meeting, member__full_name=name
    ).absence_reason == ("Nghỉ ốm")
    minutes = download(clerk, clerk.get_by_role("link", name="PDF", exact=True), tmp_path)
    words = pdf_words(minutes)
    assert "BIÊN BẢN" in words
    assert f"{name}: Nghỉ ốm" in words
    minutes_word = download(clerk, clerk.get_by_role("link", name="Word", exact=True), tmp_path)
    assert "BIÊN BẢN" in [p.text for p in Document(minutes_word).paragraphs]
