"""At 390 px (a phone) no page scrolls sideways and the rating screen is one card per person
with the decision control on screen (issue "hardening", point 4)."""

import pytest
from playwright.sync_api import Page, expect

from reviews.models import Pool
from tests.e2e.test_review_flow import log_in, unit_in_review  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_phone_layout_of_the_clerks_and_the_boards_pages(
    page: Page,
    live_server,
    unit_in_review,  # noqa: F811
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "canbo")
    pool = Pool.objects.get(owner=unit_in_review["unit"], subject_kind="member")
    for path in ("/", "/danh-gia/", f"/danh-gia/nhom/{pool.pk}/", "/dang-vien/", "/hoi-dap/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.goto(f"{live_server.url}/danh-gia/nhom/{pool.pk}/")
    decision = page.get_by_label("Cấp ủy quyết định: Nguyễn Văn Thử 01")
    decision.scroll_into_view_if_needed()
    expect(decision).to_be_visible()
    box = decision.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    page.context.clear_cookies()
    log_in(page, live_server.url, "btc")
    page.goto(f"{live_server.url}/danh-gia/tong-hop/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    name = page.get_by_role("link", name="Đảng bộ Sở Tài chính").first
    height = name.bounding_box()["height"]
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    assert height < 2.5 * line  # the unit's name is not printed one word per line
