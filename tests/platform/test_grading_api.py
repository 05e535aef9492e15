"""Graded management through the JSON API: versions are public, previewing and publishing are
the regulator's, the distribution is the regulator's, a standing is its enterprise's."""

from __future__ import annotations

import pytest

from tests.platform.api import bearer, client_for
from tests.platform.factories import World
from tests.platform.test_grading import THRESHOLDS, Made, publish_percentile, tea_total
from tests.platform.test_grading import ten as ten  # the fixture

LIMITS = {
    "category": "cement",
    "basis": "limit_value",
    "thresholds": [600, 700, 800, 900],
    "source": "a provincial limit table, 2026",
}


def test_publish_then_read_back(world: World) -> None:
    client = client_for(world)
    officer = bearer(world, "officer")
    made = client.post(
        "/api/v1/benchmarks",
        json={"version": "GZ-BM-2026.1", "title": "水泥限值", "benchmarks": [LIMITS]},
        headers=officer,
    )
    assert made.status_code == 201, made.text
    assert made.json()["categories"] == 1
    listed = client.get("/api/v1/benchmarks").json()  # public: no sign-in
    assert [v["version"] for v in listed["items"]] == ["GZ-BM-2026.1"]
    (cement,) = client.get("/api/v1/benchmarks/GZ-BM-2026.1").json()["benchmarks"]
    assert cement["thresholds"] == {
        "values": [600, 700, 800, 900],
        "unit": "kgCO2e per 1 t cement",
    }
    assert cement["basis"] == "limit_value"
    assert client.get("/api/v1/benchmarks/nope").status_code == 404


def test_a_bad_row_names_its_field(world: World) -> None:
    response = client_for(world).post(
        "/api/v1/benchmarks",
        json={"version": "v1", "title": "t", "benchmarks": [{**LIMITS, "thresholds": [1, 2]}]},
        headers=bearer(world, "officer"),
    )
    assert response.status_code == 422
    assert response.json()["field"] == "benchmarks[0].thresholds"


@pytest.mark.usefixtures("ten")
def test_preview_and_distribution(world: World) -> None:
    client = client_for(world)
    officer = bearer(world, "officer")
    preview = client.post(
        "/api/v1/benchmarks/preview", json={"category": "tea-green"}, headers=officer
    ).json()
    assert preview["thresholds"]["values"] == list(THRESHOLDS)  # rounded: no footprint
    assert preview["thresholds"]["unit"] == "kgCO2e per 1 kg green tea"
    assert (preview["parameters"]["sample"], preview["parameters"]["enterprises"]) == (10, 3)
    publish_percentile(world)
    shown = client.get("/api/v1/grading/distribution", headers=officer).json()
    assert shown["benchmark_version"] == "GZ-BM-2026.1"
    assert shown["by_category"][0]["products_per_grade"] == {
        "1": 2, "2": 2, "3": 2, "4": 2, "5": 2,
    }  # fmt: skip
    assert shown["by_county"][0]["group"] == "仁怀市"


def test_standing_of_an_enterprise(world: World, ten: list[Made]) -> None:
    publish_percentile(world)
    client = client_for(world)
    url = f"/api/v1/submissions/{ten[4].submission.id}/standing"
    body = client.get(url, headers=bearer(world, "tea_user")).json()
    assert body["grade"]["grade"] == 3
    cut = body["grade"]["reduction_to_next_grade"]
    assert cut["next_grade"] == 2
    # x4 = 10.8264 down to t2 = 10.6 as published
    assert cut["target"]["value"] == 10.6
    assert cut["absolute"]["value"] == pytest.approx(tea_total(300_000) - 10.6, rel=1e-9)
    assert cut["absolute"]["unit"] == "kgCO2e per 1 kg green tea"
    assert cut["percent"]["unit"] == "% of the footprint"
    assert body["category_counts"]["products"] == 10
    assert client.get(url, headers=bearer(world, "coal_admin")).status_code == 404
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("who", ["tea_admin", "auditor", "banker", "purchaser"])
def test_other_roles_are_refused(world: World, who: str) -> None:
    client = client_for(world)
    headers = bearer(world, who)
    publish = {"version": "v1", "title": "t", "benchmarks": [LIMITS]}
    assert client.post("/api/v1/benchmarks", json=publish, headers=headers).status_code == 403
    preview = client.post(
        "/api/v1/benchmarks/preview", json={"category": "cement"}, headers=headers
    )
    assert preview.status_code == 403
    assert client.get("/api/v1/grading/distribution", headers=headers).status_code == 403
