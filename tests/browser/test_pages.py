"""The pages in a real browser: signing in, the dashboard, languages, phone and desktop
widths, the keyboard, and no serious accessibility violation (axe-core)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import screenshot, serious_violations, sign_in


@pytest.mark.parametrize("width", [375, 1440])
def test_the_sign_in_page_at_phone_and_desktop_widths(page: Page, server: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{server}/sign-in")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_label("邮箱").is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width  # nothing sticks out sideways
    assert serious_violations(page) == []
    screenshot(page, f"sign-in-{width}")


def test_the_form_works_with_the_keyboard(page: Page, server: str) -> None:
    page.goto(f"{server}/sign-in")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    page.keyboard.type("meitan-tea@tanzuji.example")
    page.keyboard.press("Tab")
    page.keyboard.type("tanzuji-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/")
    assert "湄潭" in page.content()


def test_an_enterprise_dashboard(page: Page, server: str) -> None:
    sign_in(page, server, "meitan-tea@tanzuji.example")
    assert page.get_by_role("heading", name="概览").is_visible()
    row = page.get_by_role("row").filter(has_text="贵州绿茶")
    assert "kgCO2e / 1 kg green tea" in row.inner_text()
    assert "已核查" in row.inner_text()
    assert serious_violations(page) == []
    screenshot(page, "enterprise-dashboard")


def test_switch_to_english_and_back(page: Page, server: str) -> None:
    sign_in(page, server, "regulator@tanzuji.example")
    page.select_option("#lang-choice", "en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    screenshot(page, "regulator-dashboard-en")
    page.goto(f"{server}/password")
    assert page.get_by_role("heading", name="Change password").is_visible()  # remembered
    page.select_option("#lang-choice", "zh")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="修改密码").is_visible()


def test_a_wrong_password_is_said_next_to_the_form(page: Page, server: str) -> None:
    page.goto(f"{server}/sign-in")
    page.fill("#email", "meitan-tea@tanzuji.example")
    page.fill("#password", "not the password")
    page.click("form[action='/sign-in'] button")
    assert page.get_by_role("alert").inner_text() == "邮箱或密码错误。"
    assert page.input_value("#email") == "meitan-tea@tanzuji.example"
    assert serious_violations(page) == []


def test_the_overview_regroups_in_place(page: Page, server: str) -> None:
    """htmx swaps the footprint figures without reloading the page, and the address follows."""
    sign_in(page, server, "regulator@tanzuji.example")
    page.goto(f"{server}/overview")
    page.evaluate("window.sameDocument = true")
    page.get_by_role("link", name="县（区）").click()
    page.wait_for_url(f"{server}/overview?by=county")
    assert page.get_by_role("heading", name="县（区）").count() == 1
    assert page.get_by_role("row").filter(has_text="湄潭县").count() == 1
    assert page.evaluate("window.sameDocument") is True  # no full reload
    assert page.locator("#figures-chart canvas").count() == 1
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/submissions", "/sharing", "/password"])
def test_enterprise_pages_fit_a_phone(page: Page, server: str, path: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, server, "meitan-tea@tanzuji.example")
    page.goto(f"{server}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    ("account", "path"),
    [
        ("regulator@tanzuji.example", "/audit"),
        ("regulator@tanzuji.example", "/factor-sets"),
        ("verifier@tanzuji.example", "/cases"),
        ("bank@tanzuji.example", "/shared"),
        ("buyer@tanzuji.example", "/registry"),
        ("meitan-tea@tanzuji.example", "/submissions"),
    ],
)
def test_every_role_page_passes_axe(page: Page, server: str, account: str, path: str) -> None:
    sign_in(page, server, account)
    page.goto(f"{server}{path}")
    assert serious_violations(page) == []


def test_the_product_page_and_the_entry_form_pass_axe(page: Page, server: str) -> None:
    sign_in(page, server, "meitan-tea@tanzuji.example")
    page.locator("a[href^='/products/']").first.click()
    page.wait_for_load_state()
    assert serious_violations(page) == []
    page.get_by_role("link", name="在线表单填报").click()
    page.wait_for_load_state()
    assert page.locator("label").count() >= 10  # a label for every field
    assert serious_violations(page) == []
    screenshot(page, "enterprise-entry-form")
