"""Graded management pages: the regulator's page (distribution, benchmarks, preview and publish
form) and the grade on the enterprise's submission page; other roles get 403."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.platform.api import client_for
from tests.platform.factories import World
from tests.platform.test_grading import Made, publish_percentile, verified
from tests.platform.test_grading import ten as ten  # the fixture
from tests.platform.test_pages import csrf_of, sign_in


def signed_in(world: World, who: str) -> TestClient:
    client = client_for(world)
    sign_in(client, who)
    return client


@pytest.mark.usefixtures("ten")
def test_the_regulator_sees_the_distribution(world: World) -> None:
    publish_percentile(world)
    page = signed_in(world, "officer").get("/grading").text
    assert "<h1>分级管理</h1>" in page
    assert "GZ-BM-2026.1" in page
    assert "已核查碳足迹的分位数" in page  # the basis of the tea benchmark
    assert 'id="by-category-chart"' in page
    # the tea row: 2 products in each of grades 1 to 5, none ungraded, 10 in all
    row = page[page.index("绿茶") : page.index("</tr>", page.index("绿茶"))]
    cells = [part.split("<")[0] for part in row.split('class="number">')[1:]]
    assert cells == ["2", "2", "2", "2", "2", "0", "10"]
    english = client_for(world)
    sign_in(english, "officer")
    assert "<h1>Graded management</h1>" in english.get("/grading?lang=en").text


@pytest.mark.usefixtures("ten")
def test_an_enterprise_without_a_county(world: World) -> None:
    world.organizations["tea"].county = ""
    world.session.flush()
    chinese = signed_in(world, "officer").get("/grading").text
    assert '<th scope="row">未登记所在县（市、区）</th>' in chinese
    english = signed_in(world, "officer").get("/grading?lang=en").text
    assert '<th scope="row">County not registered</th>' in english


@pytest.mark.usefixtures("ten")
def test_preview_then_publish_from_the_form(world: World) -> None:
    client = signed_in(world, "officer")
    token = csrf_of(client.get("/grading").text)
    form = {"csrf_token": token, "category": "tea-green", "basis": "sector_percentile"}
    preview = client.post("/grading/benchmarks", data={**form, "action": "preview"})
    assert preview.status_code == 200
    assert (
        "computed from 10 verified footprints of 3 enterprises on 2026-03-01, "
        "rounded to 3 significant digits"
    ) in preview.text
    published = client.post(
        "/grading/benchmarks",
        data={**form, "action": "publish", "version": "GZ-BM-2026.1", "title": "绿茶"},
        follow_redirects=False,
    )
    assert published.status_code == 303
    assert "GZ-BM-2026.1" in client.get("/grading").text


def test_a_preview_from_too_few_products_says_what_is_missing(world: World) -> None:
    for k in range(4):
        verified(world, "tea", f"tea-{k}", 100_000 + 50_000 * k)
    client = signed_in(world, "officer")
    token = csrf_of(client.get("/grading").text)
    form = {"csrf_token": token, "category": "tea-green", "basis": "sector_percentile",
            "action": "preview"}  # fmt: skip
    refused = client.post("/grading/benchmarks", data=form)
    assert refused.status_code == 422
    error = refused.text[refused.text.index('id="category-error"') :]
    error = error[: error.index("</span>")]
    assert "has 4 verified footprint(s) of 1 enterprise(s)" in error
    assert "6 more product(s) and 2 more enterprise(s) needed" in error


def test_form_errors_are_shown_by_their_field(world: World) -> None:
    client = signed_in(world, "officer")
    token = csrf_of(client.get("/grading").text)
    limits = {"csrf_token": token, "category": "cement", "basis": "limit_value", "t1": "600",
              "t2": "700", "t3": "abc", "t4": "", "source": "s", "action": "preview"}  # fmt: skip
    refused = client.post("/grading/benchmarks", data=limits)
    assert refused.status_code == 422
    assert 'id="thresholds-error"' in refused.text
    average = {**limits, "basis": "national_average", "average": "735", "source": ""}
    refused = client.post("/grading/benchmarks", data=average)
    assert refused.status_code == 422
    assert 'id="source-error"' in refused.text
    taken = {**average, "source": "GB/T 51366-2019", "action": "publish", "version": "v1",
             "title": "t"}  # fmt: skip
    assert client.post("/grading/benchmarks", data=taken, follow_redirects=False).status_code == 303
    world.clock.advance(minutes=1)  # within the sign-in's 12 hours
    again = client.post("/grading/benchmarks", data=taken)
    assert again.status_code == 409
    assert 'id="version-error"' in again.text


@pytest.mark.parametrize("who", ["tea_admin", "auditor", "banker", "purchaser"])
def test_other_roles_are_refused(world: World, who: str) -> None:
    client = signed_in(world, who)
    assert client.get("/grading").status_code == 403
    token = csrf_of(client.get("/").text)
    form = {"csrf_token": token, "category": "cement", "basis": "sector_percentile"}
    assert client.post("/grading/benchmarks", data=form).status_code == 403


def test_the_enterprise_sees_its_grade(world: World, ten: list[Made]) -> None:
    client = signed_in(world, "tea_user")
    before = client.get(f"/submissions/{ten[4].submission.id}").text
    assert "尚未发布基准，该碳足迹暂无等级" in before
    publish_percentile(world)
    page = client.get(f"/submissions/{ten[4].submission.id}").text
    assert "第3级（共5级）" in page
    assert "要达到2级" in page
    # thresholds and cuts carry the unit as the rest of the page writes it
    standing = page[
        page.index('id="grade-heading"') : page.index(
            "</section>", page.index('id="grade-heading"')
        )
    ]
    assert "kgCO2e / 1 kg green tea" in standing
    assert " per " not in standing
    best = client.get(f"/submissions/{ten[0].submission.id}").text
    assert "该碳足迹已处于最优等级" in best
