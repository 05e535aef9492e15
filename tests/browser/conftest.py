"""Browser tests: Debian's Chromium driven by Playwright, against a live server holding the
demo province in its own SQLite database.

The browser is ``/usr/bin/chromium`` (installed by ``make test`` from Debian's packages; a
browser is never downloaded). Screenshots of each step go to ``test-artifacts/``; a failed test
also leaves the page's HTML and its console log there.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tanzuji.services.context import Context
from tanzuji.services.demo import load_demo
from tanzuji.services.keys import DeploymentKeys
from tanzuji.services.ledger import LedgerService
from tanzuji.settings import Settings
from tanzuji.store import Database, upgrade
from tanzuji.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
AXE = Path(__file__).parents[2] / "src" / "tanzuji" / "web" / "static" / "vendor" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo province, its certificates issued for this server's address, served on a free
    local port; its base URL."""
    data = tmp_path_factory.mktemp("browser-data")
    port = _free_port()
    settings = Settings(data_dir=data, public_url=f"http://127.0.0.1:{port}")
    keys = DeploymentKeys.of(settings)
    database = Database(settings.url)
    upgrade(database)
    with database.transaction() as session:
        context = Context.command_line()
        load_demo(session, context, issuer_key=keys.issuer, public_url=settings.public_url)
        LedgerService(session, context).sign_tree_head(keys.log)
    database.dispose()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: 'make test' installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """Keep each phase's report on the test, so the page fixture knows whether it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser tab (1440 px wide, Chinese); on failure its HTML and console are kept."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    console: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        console.append(f"{message.type}: {message.text}")

    tab.on("console", keep)
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_")
        (ARTIFACTS / f"{name}.html").write_text(tab.content(), encoding="utf-8")
        (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(console), encoding="utf-8")
    context.close()


def screenshot(tab: Page, name: str) -> None:
    """Keep a picture of the step in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def serious_violations(tab: Page) -> list[str]:
    """axe-core's serious and critical accessibility violations on the page."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: 'make test' installs axe-core from the npm registry")
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => await axe.run()")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(tab: Page, server: str, email: str) -> None:
    tab.goto(f"{server}/sign-in")
    tab.fill("#email", email)
    tab.fill("#password", "tanzuji-demo-2026")
    tab.click("form[action='/sign-in'] button")
    tab.wait_for_url(f"{server}/")
