"""The enterprise's pages through HTTP: submissions with their footprint, the product page with
the Excel template and its upload, data entry by form, and data sharing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tanzuji.rules.workbook import INFO
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.models import Product, Submission
from tests.platform.api import client_for
from tests.platform.factories import World
from tests.platform.test_pages import csrf_of, sign_in
from tests.platform.test_submissions import tea_data
from tests.rules.test_workbook import filled


@pytest.fixture
def client(world: World) -> TestClient:
    return client_for(world)


@pytest.fixture
def tea(world: World) -> Product:
    return world.product("tea", "gz-green-tea", "tea-green")


@pytest.fixture
def calculated(world: World, tea: Product) -> Submission:
    submissions = SubmissionService(world.session, world.context("tea_user"))
    made = submissions.create(tea.id, tea_data())
    submissions.calculate(made.id)
    return made


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TestSubmissions:
    def test_the_list_links_each_submission(
        self, client: TestClient, calculated: Submission
    ) -> None:
        sign_in(client, "tea_user")
        page = client.get("/submissions")
        assert page.status_code == 200
        assert f'href="/submissions/{calculated.id}"' in page.text
        assert "2025-01-01 – 2025-12-31" in page.text
        assert "已计算" in page.text

    def test_the_footprint_breakdown_with_units(
        self, client: TestClient, calculated: Submission
    ) -> None:
        sign_in(client, "tea_user")
        page = client.get(f"/submissions/{calculated.id}")
        assert page.status_code == 200
        text = page.text
        assert "10.13 kgCO2e / 1 kg green tea" in text
        assert "原材料获取" in text  # a stage, in Chinese by default
        assert "N2O" in text
        assert "加工用电 / electricity for processing" in text  # the top hot spot
        assert "CN-2026.1" in text
        assert "tea-green@2026.1" in text
        assert "/static/vendor/echarts.min.js" in text
        assert f'action="/submissions/{calculated.id}/submit"' in text
        assert "加工用电量" in text  # the input's label, with its unit

    def test_calculate_then_submit_with_the_csrf_token(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        made = SubmissionService(world.session, world.context("tea_user")).create(
            tea.id, tea_data()
        )
        sign_in(client, "tea_user")
        page = client.get(f"/submissions/{made.id}").text
        assert "/static/vendor/echarts.min.js" not in page  # no chart, no ECharts
        token = csrf_of(page)
        refused = client.post(f"/submissions/{made.id}/calculate", data={})
        assert refused.status_code == 403
        done = client.post(
            f"/submissions/{made.id}/calculate", data={"csrf_token": token}, follow_redirects=False
        )
        assert done.status_code == 303
        assert "10.13 kgCO2e / 1 kg green tea" in client.get(f"/submissions/{made.id}").text
        client.post(f"/submissions/{made.id}/submit", data={"csrf_token": token})
        assert "已提交" in client.get(f"/submissions/{made.id}").text

    def test_another_enterprise_gets_not_found(
        self, client: TestClient, tea: Product, calculated: Submission
    ) -> None:
        sign_in(client, "coal_admin")
        assert client.get(f"/submissions/{calculated.id}").status_code == 404
        assert client.get(f"/products/{tea.id}").status_code == 404
        assert client.get(f"/products/{tea.id}/enter").status_code == 404
        assert client.get(f"/products/{tea.id}/template.xlsx").status_code == 404
        assert client.get("/submissions/not-an-id").status_code == 404

    def test_other_roles_are_refused(self, client: TestClient) -> None:
        sign_in(client, "banker")
        assert client.get("/submissions").status_code == 403
        assert client.get("/sharing").status_code == 403


class TestExcel:
    def test_the_template_is_filled_with_the_product(
        self, client: TestClient, tea: Product, tmp_path: Path
    ) -> None:
        sign_in(client, "tea_user")
        response = client.get(f"/products/{tea.id}/template.xlsx")
        assert response.status_code == 200
        assert response.headers["content-type"] == XLSX
        path = tmp_path / "t.xlsx"
        path.write_bytes(response.content)
        info = openpyxl.load_workbook(path)[INFO]
        assert info["B2"].value == "tea-green@2026.1"
        assert info["B3"].value == "gz-green-tea"
        assert info["B6"].value == "示例茶业"

    def test_an_upload_makes_a_submission(
        self, client: TestClient, tea: Product, tmp_path: Path
    ) -> None:
        sign_in(client, "tea_user")
        page = client.get(f"/products/{tea.id}")
        assert page.status_code == 200
        book = filled(tmp_path)
        response = client.post(
            f"/products/{tea.id}/upload",
            data={"csrf_token": csrf_of(page.text)},
            files={"file": ("tea.xlsx", book.read_bytes(), XLSX)},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        assert "草稿" in client.get(response.headers["location"]).text

    def test_a_bad_cell_is_named_by_sheet_row_and_column(
        self, world: World, client: TestClient, tea: Product, tmp_path: Path
    ) -> None:
        sign_in(client, "tea_user")
        token = csrf_of(client.get(f"/products/{tea.id}").text)
        book = filled(tmp_path, electricity="about 240 MWh")
        response = client.post(
            f"/products/{tea.id}/upload",
            data={"csrf_token": token},
            files={"file": ("tea.xlsx", book.read_bytes(), XLSX)},
        )
        assert response.status_code == 422
        assert "<td>活动数据 inputs</td><td>11</td><td>D</td>" in response.text
        assert "&#39;about 240 MWh&#39; is not a number" in response.text
        assert not SubmissionService(world.session, world.context("tea_user")).submissions().items


class TestForm:
    def test_inputs_grouped_by_stage_with_units_and_ranges(
        self, client: TestClient, tea: Product
    ) -> None:
        sign_in(client, "tea_user")
        page = client.get(f"/products/{tea.id}/enter")
        assert page.status_code == 200
        assert "<legend>生产</legend>" in page.text
        assert '<label for="amount-electricity">加工用电量 (kWh)' in page.text
        assert "1–15 kWh / kg" in page.text

    def test_errors_stand_next_to_their_field_and_typed_values_stay(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        sign_in(client, "tea_user")
        token = csrf_of(client.get(f"/products/{tea.id}/enter").text)
        form = {"csrf_token": token, "start": "2025-01-01", "end": "2025-12-31",
                "geography": "CN-GZ", "amount-made_tea": "50000",
                "amount-natural_gas": "lots", "amount-electricity": "240000"}  # fmt: skip
        response = client.post(f"/products/{tea.id}/enter", data=form)
        assert response.status_code == 422
        assert 'id="amount-natural_gas-error"' in response.text
        assert 'value="lots"' in response.text
        assert 'value="240000"' in response.text
        assert not SubmissionService(world.session, world.context("tea_user")).submissions().items

    def test_a_good_form_makes_a_submission(self, client: TestClient, tea: Product) -> None:
        sign_in(client, "tea_user")
        token = csrf_of(client.get(f"/products/{tea.id}/enter").text)
        form: dict[str, str] = {"csrf_token": token, "start": "2025-01-01", "end": "2025-12-31",
                                "geography": "CN-GZ"}  # fmt: skip
        for name, value in tea_data()["inputs"].items():
            given = value if isinstance(value, dict) else {"amount": value}
            form[f"unit-{name}"] = given.get("unit") or ""
            form[f"amount-{name}"] = str(given["amount"])
            form[f"data_type-{name}"] = given.get("data_type", "primary")
        response = client.post(f"/products/{tea.id}/enter", data=form, follow_redirects=False)
        assert response.status_code == 303, response.text


class TestSharing:
    def test_grant_then_revoke(self, world: World, client: TestClient, tea: Product) -> None:
        sign_in(client, "tea_admin")
        page = client.get("/sharing")
        assert page.status_code == 200
        assert "示例银行" in page.text
        token = csrf_of(page.text)
        bank = world.organizations["bank"].id
        made = client.post(
            "/sharing/grants",
            data={"csrf_token": token, "partner_id": str(bank), "products": [str(tea.id)],
                  "valid_from": "2026-03-01", "valid_until": "2027-03-01"},
            follow_redirects=False,
        )  # fmt: skip
        assert made.status_code == 303, made.text
        page = client.get("/sharing").text
        assert "生效中" in page
        start = page.index('action="/sharing/grants/') + len('action="/sharing/grants/')
        grant_id = page[start : page.index("/revoke", start)]
        client.post(f"/sharing/grants/{grant_id}/revoke", data={"csrf_token": token})
        assert "已撤销" in client.get("/sharing").text

    def test_a_past_end_date_is_shown_next_to_its_field(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        sign_in(client, "tea_admin")
        token = csrf_of(client.get("/sharing").text)
        response = client.post(
            "/sharing/grants",
            data={"csrf_token": token, "partner_id": str(world.organizations["bank"].id),
                  "products": [str(tea.id)], "valid_from": "2020-01-01",
                  "valid_until": "2021-01-01"},
        )  # fmt: skip
        assert response.status_code == 422
        assert 'id="valid_until-error"' in response.text
        assert 'value="2020-01-01"' in response.text

    def test_an_enterprise_user_may_not_manage_grants(self, client: TestClient) -> None:
        sign_in(client, "tea_user")
        assert client.get("/sharing").status_code == 403
