"""The whole review of one unit in a real browser (issue "prove it like a user", point 1):
a clerk decides, sees the quota turn red, cuts to the quota, finalizes, attaches the dossier
and submits; the Organization Board returns it; the clerk corrects and resubmits; the Board
approves and downloads the workbook, the PDF and the Word file."""

import datetime
import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from members.models import Member
from organizations.models import Role
from reviews.models import Level, Rating, Submission, SubmissionState
from reviews.services import cycle_change_status, ratings_record
from tests.factories import (
    BlocFactory,
    CellFactory,
    GrassrootsCommitteeFactory,
    MemberFactory,
    ReviewCycleFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-thu-nghiem"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def unit_in_review(tmp_path, settings):
    """Sở Tài chính with two cells of 8 members; the cells proposed 3 HTXSNV for 13 HTTNV."""
    settings.MEDIA_ROOT = tmp_path / "media"
    bloc = BlocFactory(name="Đảng bộ Khối các cơ quan tỉnh Đồng Nai", code="DUK")
    unit = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở Tài chính", code="STC")
    cells = [
        CellFactory(parent=unit, name="Chi bộ Văn phòng Sở"),
        CellFactory(parent=unit, name="Chi bộ Phòng Ngân sách"),
    ]
    for index in range(16):
        MemberFactory(organization=cells[index % 2], full_name=f"Nguyễn Văn Thử {index + 1:02d}")
    clerk = UserFactory(username="canbo", first_name="Ngân", last_name="Võ Thị Kim")
    RoleAssignmentFactory(user=clerk, organization=unit, role=Role.CLERK)
    board = UserFactory(username="btc", first_name="Hương", last_name="Trần Thị Thu")
    RoleAssignmentFactory(user=board, organization=bloc, role=Role.ORGANIZATION_BOARD)
    cycle = cycle_change_status(
        cycle=ReviewCycleFactory(organization=bloc, deadline=datetime.date(2030, 11, 25)),
        status="open",
    )
    members = list(Member.objects.order_by("pk"))
    ratings = {r.member_id: r for r in Rating.objects.filter(subject_kind="member")}
    proposals = {}
    for index, member in enumerate(members):
        level = Level.EXCELLENT if index < 3 else Level.GOOD
        proposals[ratings[member.pk].pk] = {
            "self_level": level,
            "proposal_level": level,
            "votes_for": 7 - index % 3,  # at most the 8 members of a cell
            "votes_against": index % 3,
        }
    for organization_rating in Rating.objects.filter(subject_kind="organization", pool__owner=unit):
        proposals[organization_rating.pk] = {"proposal_level": Level.GOOD}
    ratings_record(cycle=cycle, changes=proposals, acting_user=None)
    return {"unit": unit, "cycle": cycle, "clerk": clerk, "board": board}


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def open_pool(page: Page, subject: str) -> None:
    """The pool of the clerk's own unit for `subject` (the bloc's pools are listed too)."""
    page.get_by_role("link", name="Xếp loại", exact=True).click()
    page.get_by_role("row", name=re.compile(f"^Đảng bộ Sở Tài chính {subject}")).get_by_role(
        "link"
    ).click()


def test_unit_goes_from_proposals_to_an_approved_report(
    live_server, page: Page, browser, unit_in_review, tmp_path
):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "canbo")

    # Members: take the cells' proposals, see the quota turn red, cut to the quota.
    open_pool(page, "Đảng viên")
    panel = page.get_by_test_id("quota-figure")
    expect(panel).to_contain_text("0 / tối đa 0")
    take = page.get_by_role("button", name=re.compile("đề xuất của chi bộ"))
    expect(take).to_have_count(2)  # one per cell
    take.first.click()
    expect(take).to_have_count(1)
    take.first.click()
    expect(take).to_have_count(0)
    expect(panel).to_contain_text("Vượt tỷ lệ cho phép")
    expect(panel).to_contain_text("3 / tối đa 2")
    page.get_by_role("button", name="Chốt kết quả").click()
    expect(page.get_by_role("alert").first).to_contain_text("Vượt tỷ lệ cho phép")
    page.get_by_role("button", name="Áp dụng đề xuất").click()
    expect(panel).to_contain_text("2 / tối đa 2")
    expect(panel).not_to_contain_text("Vượt")

    # An inline edit (htmx): one member decided "Hoàn thành" instead; the panel follows.
    row = page.get_by_role("row", name=re.compile("Nguyễn Văn Thử 16"))
    row.get_by_label(re.compile("Cấp ủy quyết định")).select_option(Level.COMPLETED)
    expect(page.get_by_test_id("quota-figure")).to_contain_text("2 / tối đa 2 (20% × 13")
    # The row came back still editable, and its cell's counts in the header followed.
    decision = page.get_by_role("row", name=re.compile("Nguyễn Văn Thử 16")).get_by_label(
        re.compile("Cấp ủy quyết định")
    )
    expect(decision.locator("option")).to_have_count(5)
    expect(decision).to_have_value(Level.COMPLETED)
    expect(page.get_by_text(re.compile(r"Hoàn thành 1\b")).first).to_be_visible()
    page.get_by_role("button", name="Chốt kết quả").click()
    expect(page.get_by_text("Đã chốt kết quả xếp loại.")).to_be_visible()

    # Cells: take the proposals and finalize.
    open_pool(page, "Tổ chức đảng")
    page.get_by_role("button", name=re.compile("đề xuất của chi bộ")).first.click()
    page.get_by_role("button", name="Chốt kết quả").click()
    expect(page.get_by_text("Đã chốt kết quả xếp loại.")).to_be_visible()

    # Dossier and submission.
    page.get_by_role("link", name="Trang chủ").click()
    page.get_by_role("link", name=re.compile("Báo cáo, hồ sơ")).click()
    for kind in (
        "Biên bản hội nghị kiểm điểm",
        "Quyết định công nhận kết quả xếp loại",
        "Báo cáo kiểm điểm tập thể",
    ):
        page.get_by_label("Loại tài liệu").select_option(label=kind)
        page.get_by_label("Tệp (tối đa 20 MB)").set_input_files(
            files=[{"name": "tai-lieu.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Đính kèm").click()
        expect(page.get_by_text("Đã đính kèm tài liệu.")).to_be_visible()
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("submission-state")).to_have_text("Đã gửi")

    # The Organization Board returns it with a comment.
    board_page = browser.new_context(locale="vi-VN").new_page()
    board_page.on("dialog", lambda dialog: dialog.accept())
    log_in(board_page, base, "btc")
    board_page.get_by_role("link", name="Tổng hợp", exact=True).click()
    board_page.get_by_role("link", name="Đảng bộ Sở Tài chính").click()
    board_page.get_by_label("Ý kiến khi trả lại").fill("Biên bản thiếu chữ ký thư ký hội nghị.")
    board_page.get_by_role("button", name="Trả lại").click()
    expect(board_page.get_by_test_id("submission-state")).to_have_text("Bị trả lại")

    # The clerk is told, corrects and sends again.
    page.get_by_role("link", name="Trang chủ").click()
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_role("link", name=re.compile("Thông báo")).click()
    page.get_by_role("link", name=re.compile("bị trả lại")).click()
    page.get_by_role("listitem").filter(has_text="Biên bản hội nghị kiểm điểm").get_by_role(
        "button", name="Gỡ bỏ"
    ).click()
    expect(page.get_by_test_id("submission-problems")).to_contain_text("Thiếu tài liệu")
    page.get_by_label("Loại tài liệu").select_option(label="Biên bản hội nghị kiểm điểm")
    page.get_by_label("Tệp (tối đa 20 MB)").set_input_files(
        files=[{"name": "bien-ban-ky.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Đính kèm").click()
    page.get_by_label("Đã sửa, bổ sung những gì").fill("Đã thay biên bản có đủ chữ ký.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("submission-state")).to_have_text("Đã gửi")

    # The Board approves and downloads the workbook and the report as PDF and as Word.
    board_page.reload()
    board_page.get_by_role("button", name="Phê duyệt").click()
    expect(board_page.get_by_test_id("submission-state")).to_have_text("Đã phê duyệt")
    # Each button queues the file; its page shows the progress, then the file to download.
    submission_url = board_page.url
    for label, signature in (("Xuất Excel", b"PK"), ("Xuất PDF", b"%PDF"), ("Xuất Word", b"PK")):
        board_page.goto(submission_url)
        board_page.get_by_role("button", name=label).first.click()
        expect(board_page.get_by_test_id("export-job")).to_have_attribute("data-state", "done")
        with board_page.expect_download() as download:
            board_page.get_by_test_id("export-file").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.read_bytes().startswith(signature)
        if path.suffix == ".docx":
            assert "BÁO CÁO" in [p.text for p in Document(path).paragraphs]

    submission = Submission.objects.get(organization=unit_in_review["unit"])
    assert submission.state == SubmissionState.APPROVED
    assert list(submission.transitions.order_by("pk").values_list("to_state", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
