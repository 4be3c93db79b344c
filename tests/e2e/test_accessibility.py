"""An accessibility audit of every page each role reaches (issue "hardening", point 5).

axe-core (from the npm registry, in node_modules; never served to users) runs in Debian's
Chromium on each page of the demo bloc that a role reaches by following links from its home
page, one page per URL pattern. Any violation of WCAG 2.1 A or AA fails, listed with the page,
the rule and the elements.
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from demo.year_2021 import ACCOUNT_SPECS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Links that download a file, change the session or leave the application's own pages.
SKIPPED = re.compile(
    r"/(dang-xuat|i18n|quan-tri|static)/|/tai-ve/|/excel/|/mau/|/xlsx/?$|/pdf/?$|/docx/?$|/zip/?$|"
    r"/tep/|/bao-cao/\d+/(xlsx|pdf|docx|zip)"
)
PAGES_PER_ROLE = 40


def pattern(path: str) -> str:
    """One page per URL shape: /danh-gia/nhom/12/ and /danh-gia/nhom/13/ are the same page."""
    return re.sub(r"\d+", "N", path)


def audit(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target'][0]}"
        for violation in result["violations"]
        for node in violation["nodes"][:10]
    ]


def crawl(page, base: str) -> list[tuple[str, list[str]]]:
    """Follow same-site links breadth-first from the home page; audit each new URL shape."""
    seen: set[str] = set()
    queue = deque(["/"])
    found = []
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.popleft()
        if pattern(path) in seen:
            continue
        seen.add(pattern(path))
        response = page.goto(base + path)
        if response is None or response.status >= 400:
            continue
        found.append((path, audit(page)))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(base).netloc or SKIPPED.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if pattern(target) not in seen:
                queue.append(target)
    return found


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (make test runs npm ci)")
def test_every_page_each_role_reaches_passes_wcag_21_aa(browser: Browser, live_server, settings):
    settings.MEDIA_ROOT = settings.BASE_DIR / "artifacts" / "a11y-media"
    call_command("load_demo", scale=0.05, stdout=open("/dev/null", "w"))  # noqa: SIM115
    problems = []
    audited = 0
    for spec in ACCOUNT_SPECS:
        # The CSP forbids inline scripts; the audit's own script is added by the test only.
        context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/dang-nhap/")
        if spec.username == ACCOUNT_SPECS[0].username:
            problems += [f"/dang-nhap/ {v}" for v in audit(page)]
        page.get_by_label("Tên đăng nhập").fill(spec.username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        for path, violations in crawl(page, live_server.url):
            audited += 1
            problems += [f"{spec.username} {path} {v}" for v in violations]
        context.close()
    assert audited >= 3 * len(ACCOUNT_SPECS)
    assert problems == [], "\n".join(problems)
