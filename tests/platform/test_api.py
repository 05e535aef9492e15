"""The JSON API end to end: sign-in, CSRF, the workflow through HTTP, errors as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.platform.api import bearer, client_for
from tests.platform.factories import PASSWORD, World
from tests.platform.test_submissions import TEA_TOTAL, tea_data
from tests.rules.test_workbook import filled


@pytest.fixture
def client(world: World) -> TestClient:
    return client_for(world)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_health_and_openapi(client: TestClient) -> None:
    health = ok(client.get("/api/v1/health"))
    assert health["status"] == "ok"
    assert health["database"] in ("sqlite", "postgresql")
    assert "/api/v1/submissions" in ok(client.get("/openapi.json"))["paths"]


class TestSignIn:
    def test_a_cookie_session_with_csrf(self, client: TestClient) -> None:
        signed = ok(
            client.post(
                "/api/v1/auth/sign-in",
                json={"email": "tea_admin@example.cn", "password": PASSWORD},
            )
        )
        cookie = client.cookies.get("tanzuji_session")
        assert cookie
        me = ok(client.get("/api/v1/auth/me"))
        assert me["role"] == "enterprise_admin"
        product = {"code": "gz-tea", "name_zh": "绿茶", "rule_id": "tea-green"}
        refused = client.post("/api/v1/products", json=product)
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
        assert "CSRF" in refused.json()["message"]
        headers = {"X-CSRF-Token": signed["csrf_token"]}
        ok(client.post("/api/v1/products", json=product, headers=headers), 201)
        ok(client.post("/api/v1/auth/sign-out", headers=headers), 204)
        client.cookies.set("tanzuji_session", cookie)
        assert client.get("/api/v1/auth/me").status_code == 401

    def test_the_cookie_is_http_only_and_secure(self, client: TestClient) -> None:
        response = client.post(
            "/api/v1/auth/sign-in", json={"email": "tea_user@example.cn", "password": PASSWORD}
        )
        header = response.headers["set-cookie"].lower()
        assert "httponly" in header
        assert "secure" in header
        assert "samesite=lax" in header

    def test_wrong_password(self, client: TestClient) -> None:
        response = client.post(
            "/api/v1/auth/sign-in", json={"email": "tea_user@example.cn", "password": "nope nope"}
        )
        assert response.status_code == 401
        assert response.json() == {
            "code": "not_authenticated",
            "message": "wrong e-mail address or password",
            "field": None,
        }

    def test_a_bad_bearer_header(self, client: TestClient) -> None:
        response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense"})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


def test_the_workflow_through_http(world: World, client: TestClient, tmp_path: Path) -> None:
    enterprise, officer, auditor = (bearer(world, w) for w in ("tea_admin", "officer", "auditor"))
    product = ok(
        client.post(
            "/api/v1/products",
            json={"code": "gz-green-tea", "name_zh": "贵州绿茶", "rule_id": "tea-green"},
            headers=enterprise,
        ),
        201,
    )
    made = ok(
        client.post(
            "/api/v1/submissions/upload",
            data={"product_id": product["id"]},
            files={
                "file": (
                    "tea.xlsx",
                    filled(tmp_path).read_bytes(),
                    "application/octet-stream",
                )
            },
            headers=enterprise,
        ),
        201,
    )
    assert (made["status"], made["status_zh"]) == ("draft", "草稿")
    url = f"/api/v1/submissions/{made['id']}"
    footprint = ok(client.post(f"{url}/calculate", json={}, headers=enterprise))
    assert footprint["total"]["value"] == pytest.approx(TEA_TOTAL, rel=1e-9)
    assert footprint["total"]["unit"] == "kgCO2e per 1 kg green tea"
    ok(client.post(f"{url}/submit", json={}, headers=enterprise))
    verifier = world.organizations["verifier"].id
    case = ok(
        client.post(f"{url}/assign", json={"verifier_id": str(verifier)}, headers=officer), 201
    )
    ok(
        client.post(
            f"/api/v1/cases/{case['id']}/decision",
            json={
                "decision": "return",
                "comments": [{"body": "请附电费发票", "input_name": "electricity"}],
            },
            headers=auditor,
        )
    )
    current = ok(client.get(url, headers=enterprise))
    assert current["status"] == "returned"
    revised = ok(
        client.put(
            url, json={"version": current["version"], "data": tea_data()}, headers=enterprise
        )
    )
    assert (revised["status"], revised["revision"]) == ("draft", 2)
    ok(client.post(f"{url}/calculate", json={}, headers=enterprise))
    ok(client.post(f"{url}/submit", json={}, headers=enterprise))
    case = ok(
        client.post(f"{url}/assign", json={"verifier_id": str(verifier)}, headers=officer), 201
    )
    ok(client.post(f"/api/v1/cases/{case['id']}/decision", json={"decision": "accept"},
                   headers=auditor))  # fmt: skip
    final = ok(client.get(url, headers=officer))
    assert (final["status"], final["revision"]) == ("verified", 2)
    assert len(ok(client.get(f"{url}/revisions", headers=enterprise))["items"]) == 2
    (comment,) = ok(client.get(f"{url}/comments", headers=enterprise))["items"]
    assert (comment["revision"], comment["input_name"]) == (1, "electricity")


class TestErrors:
    @pytest.fixture
    def enterprise(self, world: World) -> dict[str, str]:
        return bearer(world, "tea_admin")

    @pytest.fixture
    def product_id(self, world: World) -> str:
        return str(world.product("tea", "gz-green-tea", "tea-green").id)

    def test_unauthenticated(self, client: TestClient) -> None:
        response = client.get("/api/v1/submissions")
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")

    def test_a_guessed_id_is_not_found(
        self, world: World, client: TestClient, product_id: str
    ) -> None:
        made = ok(
            client.post(
                "/api/v1/submissions",
                json={"product_id": product_id, "data": tea_data()},
                headers=bearer(world, "tea_user"),
            ),
            201,
        )
        response = client.get(
            f"/api/v1/submissions/{made['id']}", headers=bearer(world, "coal_admin")
        )
        assert (response.status_code, response.json()["field"]) == (404, "submission_id")

    def test_every_problem_with_its_field(
        self, client: TestClient, enterprise: dict[str, str], product_id: str
    ) -> None:
        data = tea_data(electricity=-1)
        del data["inputs"]["made_tea"]
        response = client.post(
            "/api/v1/submissions", json={"product_id": product_id, "data": data}, headers=enterprise
        )
        body = response.json()
        assert (response.status_code, body["code"]) == (422, "invalid")
        assert {p["field"] for p in body["problems"]} >= {"made_tea", "electricity"}
        assert ok(client.get("/api/v1/submissions", headers=enterprise))["total"] == 0

    def test_missing_and_mistyped_fields(
        self, client: TestClient, enterprise: dict[str, str]
    ) -> None:
        response = client.post("/api/v1/submissions", json={"data": {}}, headers=enterprise)
        assert (response.status_code, response.json()["field"]) == (422, "product_id")
        response = client.post(
            "/api/v1/submissions", json={"product_id": "not-a-uuid", "data": {}}, headers=enterprise
        )
        assert response.json()["field"] == "product_id"

    def test_malformed_json(self, client: TestClient, enterprise: dict[str, str]) -> None:
        response = client.post(
            "/api/v1/submissions",
            content=b'{"product_id": ',
            headers={**enterprise, "Content-Type": "application/json"},
        )
        assert (response.status_code, response.json()["code"]) == (400, "malformed")

    @pytest.fixture
    def made(self, client: TestClient, enterprise: dict[str, str], product_id: str) -> Any:
        """A draft submission of the tea example, as the API returned it."""
        response = client.post(
            "/api/v1/submissions",
            json={"product_id": product_id, "data": tea_data()},
            headers=enterprise,
        )
        return ok(response, 201)

    def test_a_stale_version(
        self, client: TestClient, enterprise: dict[str, str], made: Any
    ) -> None:
        url = f"/api/v1/submissions/{made['id']}"
        edit = {"version": made["version"], "data": tea_data()}
        ok(client.put(url, json=edit, headers=enterprise))
        response = client.put(url, json=edit, headers=enterprise)  # the same version again
        assert (response.status_code, response.json()["field"]) == (409, "version")

    def test_an_illegal_transition(
        self, client: TestClient, enterprise: dict[str, str], made: Any
    ) -> None:
        response = client.post(
            f"/api/v1/submissions/{made['id']}/submit", json={}, headers=enterprise
        )
        assert (response.status_code, response.json()["code"]) == (409, "illegal_transition")

    def test_an_oversized_upload(self, world: World, product_id: str) -> None:
        small = client_for(world, max_upload_bytes=1000)
        response = small.post(
            "/api/v1/submissions/upload",
            data={"product_id": product_id},
            files={"file": ("tea.xlsx", b"PK" + b"x" * 2000, "application/octet-stream")},
            headers=bearer(world, "tea_admin"),
        )
        assert (response.status_code, response.json()["code"]) == (413, "too_large")

    def test_pages(self, world: World, client: TestClient) -> None:
        response = client.get("/api/v1/submissions?limit=0", headers=bearer(world, "officer"))
        assert (response.status_code, response.json()["field"]) == (422, "limit")
        page = ok(
            client.get("/api/v1/submissions?limit=5&offset=0", headers=bearer(world, "officer"))
        )
        assert page == {"items": [], "total": 0, "limit": 5, "offset": 0}

    def test_an_unknown_path(self, client: TestClient) -> None:
        response = client.get("/api/v1/nothing-here")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
