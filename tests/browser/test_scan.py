"""The scan flow, in Debian's Chromium on a 375 px phone: take a certified demo product's
label, read the URL its QR code holds (decoded from the PNG with zbarimg), open it: the
certificate shows valid; the certification body withdraws it; the same page now shows it
withdrawn (revoked). The public pages pass axe-core's checks."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, ViewportSize

from tests.browser.conftest import screenshot, serious_violations, sign_in
from tests.labels.tools import decode_qr

PHONE: ViewportSize = {"width": 375, "height": 812}


def a_valid_certificate(page: Page, server: str) -> str:
    """The number of a certificate the public registry lists as valid."""
    registry = page.request.get(f"{server}/api/v1/registry?standing=valid")
    assert registry.ok, registry.text()
    items: list[dict[str, Any]] = registry.json()["items"]
    assert items, "the demo has valid certificates"
    number: str = items[0]["number"]
    return number


def withdraw(page: Page, server: str, number: str) -> None:
    """The certifier of the demo body withdraws certificate ``number`` through the API, with
    the session of its browser sign-in (and the session's CSRF token)."""
    sign_in(page, server, "certifier@tanzuji.example")
    csrf = page.locator("input[name='csrf_token']").first.input_value()
    listed = page.request.get(f"{server}/api/v1/certificates").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    certificate = next(item for item in items if item["number"] == number)
    response = page.request.post(
        f"{server}/api/v1/certificates/{certificate['id']}/reviews",
        data={"action": "withdraw", "reason": "监督检查发现数据问题（测试）"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status == 201, response.text()


def test_scan_a_label_then_see_its_withdrawal(page: Page, browser: Browser, server: str) -> None:
    number = a_valid_certificate(page, server)
    label = page.request.get(f"{server}/v/{number}/label.png")
    assert label.ok
    assert label.headers["content-type"] == "image/png"
    (url,) = decode_qr(label.body())
    assert url == f"{server}/v/{number}"

    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    scan = phone.new_page()
    scan.goto(url)
    assert scan.locator(".standing").inner_text().startswith("有效")
    assert scan.locator(".pass").count() >= 4  # the ledger and credential checks
    assert scan.locator(".fail").count() == 0
    assert scan.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(scan) == []
    screenshot(scan, "public-certificate-valid-phone")

    withdraw(page, server, number)
    scan.reload()
    assert scan.locator(".standing").inner_text().startswith("已撤销")
    assert scan.locator(".standing-withdrawn").count() == 1
    assert "label.png" not in scan.content()
    screenshot(scan, "public-certificate-withdrawn-phone")
    assert page.request.get(f"{server}/v/{number}/label.png").status == 410
    phone.close()


def test_the_registry_and_a_disclosure_report_on_a_phone(browser: Browser, server: str) -> None:
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    tab = phone.new_page()
    tab.goto(f"{server}/registry")
    assert tab.locator("tbody tr").count() >= 1
    assert serious_violations(tab) == []
    screenshot(tab, "public-registry-phone")
    tab.locator("tbody tr td a[href^='/disclosure/']").first.click()
    tab.wait_for_load_state()
    assert "产品碳足迹信息披露报告" in tab.title()
    assert serious_violations(tab) == []
    phone.close()
