"""The pages through HTTP: Chinese first, English by a remembered switch, sign-in and out with
CSRF on every form, the dashboard, error pages; and a catalogue that translates every string."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from fastapi.testclient import TestClient

from tanzuji.services.submissions import SubmissionService
from tanzuji.web.i18n import LANGUAGE_COOKIE, Locale
from tests.platform.api import client_for
from tests.platform.factories import PASSWORD, World
from tests.platform.test_submissions import tea_data

WEB = Path(__file__).parents[2] / "src" / "tanzuji" / "web"


@pytest.fixture
def client(world: World) -> TestClient:
    return client_for(world)


def sign_in(client: TestClient, who: str) -> None:
    response = client.post(
        "/sign-in", data={"email": f"{who}@example.cn", "password": PASSWORD, "next": "/"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/"


def csrf_of(page: str) -> str:
    start = page.index('name="csrf_token" value="') + len('name="csrf_token" value="')
    return page[start : page.index('"', start)]


def test_chinese_first_english_remembered(client: TestClient) -> None:
    page = client.get("/sign-in").text
    assert '<html lang="zh-Hans">' in page
    assert "登录" in page
    english = client.post("/lang", data={"lang": "en", "next": "/sign-in"}, follow_redirects=False)
    assert english.cookies[LANGUAGE_COOKIE] == "en"
    page = client.get("/sign-in").text
    assert '<html lang="en">' in page
    assert ">Sign in<" in page
    client.post("/lang", data={"lang": "zh", "next": "/sign-in"})
    assert "登录" in client.get("/sign-in").text


def test_the_dashboard_of_an_enterprise(world: World, client: TestClient) -> None:
    product = world.product("tea", "gz-green-tea", "tea-green")
    submissions = SubmissionService(world.session, world.context("tea_user"))
    made = submissions.create(product.id, tea_data())
    submissions.calculate(made.id)
    assert client.get("/", follow_redirects=False).headers["location"] == "/sign-in?next=/"
    sign_in(client, "tea_user")
    page = client.get("/").text
    assert "10.13 kgCO2e / 1 kg green tea" in page  # 10.1331900984, four significant digits
    assert "已计算" in page
    assert "gz-green-tea：已计算，尚未提交" in page
    assert 'aria-current="page"' in page


def test_a_wrong_password_on_the_form(client: TestClient) -> None:
    response = client.post(
        "/sign-in", data={"email": "tea_user@example.cn", "password": "nope", "next": "/"}
    )
    assert response.status_code == 401
    assert "邮箱或密码错误。" in response.text
    assert 'value="tea_user@example.cn"' in response.text  # what was typed is kept


def test_every_form_carries_its_csrf_token(client: TestClient) -> None:
    sign_in(client, "tea_user")
    page = client.get("/password").text
    token = csrf_of(page)
    refused = client.post(
        "/password", data={"old_password": PASSWORD, "new_password": "a brand new password"}
    )
    assert refused.status_code == 403
    kept = client.post(
        "/password",
        data={"old_password": "wrong one!", "new_password": "a brand new password",
              "csrf_token": token},
    )  # fmt: skip
    assert kept.status_code == 422
    assert 'aria-invalid="true"' in kept.text  # the error stands next to its field
    done = client.post(
        "/password",
        data={"old_password": PASSWORD, "new_password": "a brand new password",
              "csrf_token": token},
    )  # fmt: skip
    assert done.status_code == 200
    assert "密码已修改" in done.text


def test_sign_out(client: TestClient) -> None:
    sign_in(client, "officer")
    token = csrf_of(client.get("/").text)
    response = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert response.headers["location"] == "/sign-in"
    assert client.get("/", follow_redirects=False).status_code == 303


def test_an_unknown_page(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "未找到" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_no_open_redirect_after_sign_in(client: TestClient) -> None:
    response = client.post(
        "/sign-in",
        data={"email": "tea_user@example.cn", "password": PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (0.40439, "0.4044", "0.4044"),  # four significant digits, not Babel's three decimals
        (10.1331900984, "10.13", "10.13"),
        (12345.678, "12,346", "12,346"),
        (0.5, "0.5", "0.5"),
        (None, "—", "—"),
    ],
)
def test_numbers_keep_four_significant_digits(value: float | None, zh: str, en: str) -> None:
    assert Locale("zh").number(value) == zh
    assert Locale("en").number(value) == en


def test_the_catalogue_translates_every_string() -> None:
    extracted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            WEB,
            method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
            keywords={"N_": None, "gettext": None, "_": None},
        )
        if isinstance(message, str)
    }
    zh = Locale("zh")
    assert sorted(m for m in extracted if zh.gettext(m) == m) == []
    assert extracted  # the extraction found the pages' strings


ROLES = ("tea_admin", "tea_user", "auditor", "certifier", "officer", "banker", "purchaser")


def nav_links(page: str) -> list[str]:
    """The hrefs of the page's main navigation."""
    nav = page[page.index("<nav") : page.index("</nav>")]
    return [part.split('"')[0] for part in nav.split('href="')[1:]]


def test_every_role_reaches_its_pages_and_no_other(world: World) -> None:
    """Crawled from each role's navigation: its pages answer 200; the pages only other roles
    have answer 403."""
    reachable: dict[str, list[str]] = {}
    for who in ROLES:
        client = client_for(world)
        sign_in(client, who)
        reachable[who] = nav_links(client.get("/").text)
        for href in reachable[who]:
            assert client.get(href).status_code == 200, (who, href)
    every = {href for hrefs in reachable.values() for href in hrefs}
    for who in ROLES:
        client = client_for(world)
        sign_in(client, who)
        for href in sorted(every - set(reachable[who])):
            assert client.get(href).status_code == 403, (who, href)
