"""The demo's 2026 cycle under QĐ 366 in a real browser (issue #13, "done means"): the clerk
sees Sở Tài chính's member peer group over its quota and scores a member per criterion (a score
above its maximum is refused); the Board grants the 25% exception; the clerk cuts to the quota in
force, finalizes every pool, attaches the dossier and submits; the Board approves and exports."""

import re
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from reviews.models import Criterion, Pool, Rating, Submission, SubmissionState

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "kiemdiem2021"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNIT = "STC-25"


@pytest.fixture
def demo(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", scale=0.05, stdout=StringIO())
    pools = Pool.objects.filter(cycle__year=2026, owner__code=UNIT)
    return {"members": pools.get(subject_kind="member"), "pools": list(pools.order_by("pk"))}


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def test_a_unit_scores_cuts_to_its_peer_group_quota_and_is_approved(
    live_server, page: Page, browser, demo, tmp_path
):
    base = live_server.url
    members = demo["members"]
    pool_url = f"{base}/danh-gia/nhom/{members.pk}/"

    # The clerk scores one member per criterion; a score above its maximum is refused.
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "canbo.stc")
    page.goto(pool_url)
    expect(page.get_by_test_id("quota-figure")).to_contain_text("Vượt tỷ lệ cho phép")
    rating = (
        Rating.objects.filter(pool=members, not_rated_reason="", decision_level="HTTNV")
        .select_related("member")
        .order_by("pk")
        .first()
    )
    first = Criterion.objects.get(cycle=members.cycle, framework="pl4", code="1")
    # The screen is paged: the clerk finds the member by name.
    page.get_by_label("Tìm theo tên").fill(rating.member.full_name)
    page.get_by_role("button", name="Lọc").click()
    row = page.locator(f"#rating-{rating.pk}")
    row.get_by_text(re.compile("Chấm điểm 5 tiêu chí")).click()
    decided = row.get_by_label(re.compile(f"Cấp có thẩm quyền chấm 1: {rating.member.full_name}"))
    decided.fill("10,5")
    decided.press("Tab")
    expect(page.locator(f"#rating-{rating.pk}")).to_contain_text("vượt điểm tối đa 10")
    # The row came back with its scores open, to be corrected at once; the total follows.
    old_points = rating.scores.get(criterion=first).decided_points
    total = rating.decided_score - old_points + 7
    row = page.locator(f"#rating-{rating.pk}")
    decided = row.get_by_label(re.compile(f"Cấp có thẩm quyền chấm 1: {rating.member.full_name}"))
    decided.fill("7")
    decided.press("Tab")
    shown = f"{total.normalize():f}".replace(".", ",")
    expect(page.locator(f"#rating-{rating.pk}").get_by_test_id("score-totals")).to_contain_text(
        f"Cấp có thẩm quyền: {shown}"
    )
    assert rating.scores.get(criterion=first).decided_points == 7

    # The Board of the Đảng bộ UBND tỉnh allows Sở Tài chính's members up to 25%: the rate in
    # force on the counter follows.
    board = browser.new_context(locale="vi-VN").new_page()
    board.on("dialog", lambda dialog: dialog.accept())
    log_in(board, base, "bantochuc")
    expect(board.get_by_role("heading", name=re.compile("năm 2026"))).to_be_visible()
    board.goto(pool_url)
    exception = board.get_by_test_id("quota-exception")
    exception.get_by_label("Lý do").fill("Đơn vị tiêu biểu, hoàn thành vượt mức kế hoạch năm 2026.")
    exception.get_by_label("Số văn bản cho phép").fill("231-QĐ/ĐU")
    exception.get_by_role("button", name="Cho phép vượt tỷ lệ").click()
    expect(board.get_by_text("Đã ghi nhận quyết định cho phép vượt tỷ lệ.")).to_be_visible()
    expect(board.get_by_test_id("quota-figure")).to_contain_text("(25% ×")

    # Cut the peer group to its quota, then finalize every pool of the unit.
    page.reload()
    expect(page.get_by_test_id("quota-figure")).to_contain_text("(25% ×")
    if page.get_by_role("button", name="Áp dụng đề xuất").count():
        page.get_by_role("button", name="Áp dụng đề xuất").click()
    expect(page.get_by_test_id("quota-figure")).not_to_contain_text("Vượt")
    for pool in demo["pools"]:
        page.goto(f"{base}/danh-gia/nhom/{pool.pk}/")
        for name in ("Áp dụng đề xuất", re.compile("Lấy .* đề xuất của tất cả chi bộ")):
            button = page.get_by_role("button", name=name)
            if button.count():
                button.first.click()
        page.get_by_role("button", name="Chốt kết quả").click()
        expect(page.get_by_text("Đã chốt kết quả xếp loại.")).to_be_visible()

    # Dossier and submission.
    submission = Submission.objects.get(cycle=members.cycle, organization__code=UNIT)
    page.goto(f"{base}/danh-gia/bao-cao/{submission.pk}/")
    # The 9 items of QĐ 366 Điều 17 (Mẫu 04): the six always made are required.
    expect(page.get_by_test_id("dossier-checklist").locator("li")).to_have_count(9)
    for kind in (
        "Báo cáo kiểm điểm tập thể",
        "Bản kiểm điểm, tự đánh giá của cá nhân",
        "Nhận xét của chi ủy, chi bộ nơi cư trú",
        "Biên bản hội nghị kiểm điểm",
        "Tổng hợp kết quả thẩm định, đánh giá, xếp loại",
        "Quyết định công nhận kết quả xếp loại",
    ):
        page.get_by_label("Loại tài liệu").select_option(label=kind)
        page.get_by_label("Tệp (tối đa 20 MB)").set_input_files(
            files=[{"name": "tai-lieu.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Đính kèm").click()
        expect(page.get_by_text("Đã đính kèm tài liệu.")).to_be_visible()
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("submission-state")).to_have_text("Đã gửi")

    # The Board approves and exports: the workbook gives each member's total score.
    board.goto(f"{base}/danh-gia/bao-cao/{submission.pk}/")
    board.get_by_role("button", name="Phê duyệt").click()
    expect(board.get_by_test_id("submission-state")).to_have_text("Đã phê duyệt")
    submission_url = board.url

    def export(label: str):
        """The button queues the file; its page shows it made, then it downloads."""
        board.goto(submission_url)
        board.get_by_role("button", name=label).first.click()
        expect(board.get_by_test_id("export-job")).to_have_attribute("data-state", "done")
        with board.expect_download() as download:
            board.get_by_test_id("export-file").click()
        return download

    download = export("Xuất Excel")
    workbook = load_workbook(BytesIO(download.value.path().read_bytes()))
    headers = [
        cell.value
        for row in workbook["Danh sách đảng viên"].iter_rows()
        if row[0].value == "TT"
        for cell in row
    ]
    assert "Tổng điểm (/100)" in headers
    download = export("Xuất PDF")
    assert download.value.path().read_bytes().startswith(b"%PDF")
    submission.refresh_from_db()
    assert submission.state == SubmissionState.APPROVED
