"""The whole story in a browser, as issue 7 tells it: an enterprise downloads the green tea
template, fills it, uploads it and sees its footprint chart; the regulator assigns a verifier,
who returns it with a comment; the enterprise corrects and resubmits; the verifier accepts;
the regulator sees it verified in the overview. Every step is a screenshot."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import yaml
from playwright.sync_api import Browser, Page

from tanzuji.rules.workbook import INFO, INPUTS
from tests.browser.conftest import screenshot, serious_violations, sign_in

EXAMPLE = Path(__file__).parents[2] / "examples" / "tea-green.yaml"


def fill(path: Path, electricity_kwh: float) -> Path:
    """The downloaded template filled with the example plant's year 2024."""
    book = openpyxl.load_workbook(path)
    info = book[INFO]
    info.cell(row=7, column=2, value="CN-GZ")
    info.cell(row=8, column=2, value="2024-01-01")
    info.cell(row=9, column=2, value="2024-12-31")
    inputs = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["inputs"]
    inputs["electricity"] = {"amount": electricity_kwh, "unit": "kWh"}
    sheet = book[INPUTS]
    for row in range(2, sheet.max_row + 1):
        value = inputs.get(sheet.cell(row=row, column=1).value)
        if isinstance(value, dict):
            sheet.cell(row=row, column=4, value=value["amount"])
            sheet.cell(row=row, column=3, value=value.get("unit", sheet.cell(row, 3).value))
        elif value is not None:
            sheet.cell(row=row, column=4, value=value)
    book.save(path)
    return path


def as_user(browser: Browser, server: str, email: str) -> Page:
    tab = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    sign_in(tab, server, email)
    return tab


def upload(tab: Page, server: str, product_url: str, workbook: Path) -> str:
    tab.goto(product_url)
    tab.set_input_files("#file", str(workbook))
    tab.get_by_role("button", name="上传").click()
    tab.wait_for_url(f"{server}/submissions/*")
    return tab.url


def calculate_and_submit(tab: Page, step: str) -> None:
    tab.get_by_role("button", name="计算碳足迹").click()
    tab.wait_for_load_state()
    assert tab.locator("#stage-chart canvas").count() == 1  # ECharts drew the stages
    screenshot(tab, f"{step}-footprint")
    assert serious_violations(tab) == []
    tab.get_by_role("button", name="提交核查").click()
    tab.wait_for_load_state()
    assert "已提交" in tab.content()


def assign(browser: Browser, server: str, submission: str, step: str) -> None:
    officer = as_user(browser, server, "regulator@tanzuji.example")
    officer.goto(f"{server}/overview")
    form = officer.locator(f"form[action='/overview/assign/{submission}']")
    form.locator("select").select_option(label="贵州演示碳核查有限公司")
    form.get_by_role("button").click()
    officer.wait_for_load_state()
    screenshot(officer, f"{step}-assigned")
    officer.context.close()


def open_case(browser: Browser, server: str) -> Page:
    auditor = as_user(browser, server, "verifier@tanzuji.example")
    auditor.goto(f"{server}/cases")
    auditor.locator("a[href^='/cases/']").filter(has_text="贵州绿茶").first.click()
    auditor.wait_for_load_state()
    return auditor


def test_the_green_tea_story(browser: Browser, server: str, tmp_path: Path) -> None:
    enterprise = as_user(browser, server, "meitan-tea@tanzuji.example")
    enterprise.locator("a[href^='/products/']").first.click()
    enterprise.wait_for_load_state()
    product_url = enterprise.url
    with enterprise.expect_download() as download:
        enterprise.get_by_role("link", name="下载 Excel 填报模板").click()
    workbook = tmp_path / "tea.xlsx"
    download.value.save_as(workbook)
    submission_url = upload(enterprise, server, product_url, fill(workbook, 240_000))
    submission = submission_url.rsplit("/", 1)[1]
    calculate_and_submit(enterprise, "1-enterprise")

    assign(browser, server, submission, "2-regulator")
    auditor = open_case(browser, server)
    auditor.fill("textarea[name$='electricity']", "电表读数与电费发票不符，请更正")
    auditor.get_by_role("button", name="退回并附意见").click()
    auditor.wait_for_load_state()
    screenshot(auditor, "3-verifier-returned")
    assert serious_violations(auditor) == []

    enterprise.goto(submission_url)
    assert "已退回" in enterprise.content()
    assert "电表读数与电费发票不符" in enterprise.content()
    upload(enterprise, server, product_url, fill(workbook, 235_000))
    calculate_and_submit(enterprise, "4-enterprise-corrected")

    assign(browser, server, submission, "5-regulator")
    auditor = open_case(browser, server)
    auditor.get_by_role("button", name="通过").click()
    auditor.wait_for_load_state()
    screenshot(auditor, "6-verifier-accepted")

    officer = as_user(browser, server, "regulator@tanzuji.example")
    officer.goto(f"{server}/overview")
    screenshot(officer, "7-regulator-overview")
    assert serious_violations(officer) == []
    enterprise.goto(submission_url)
    assert "已核查" in enterprise.content()
