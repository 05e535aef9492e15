"""The public ledger page on a phone: the demo's signed head and entries, accessible."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browser.conftest import screenshot, serious_violations


def test_the_ledger_page_on_a_phone(browser: Browser, server: str) -> None:
    phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    tab = phone.new_page()
    tab.goto(f"{server}/ledger")
    head = tab.request.get(f"{server}/api/v1/ledger/tree-head").json()
    assert tab.locator("dd").first.inner_text() == str(head["tree_size"])
    assert tab.locator("tbody tr").count() == min(50, head["tree_size"])
    # the page is no wider than the phone: long hashes wrap
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_violations(tab) == []
    screenshot(tab, "public-ledger-phone")
    phone.close()
