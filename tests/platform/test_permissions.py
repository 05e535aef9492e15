"""The permission matrix: every role against every use case, through HTTP.

Each cell is what the role gets: 2xx where it may act, 401 when nobody is signed in, 403 when
its role lacks the permission, 404 when it may act but not on this thing (another
enterprise's product, a case assigned to another verifier): guessing ids finds nothing.
Roles not named in a row get 403 (401 for the public).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tests.platform.api import bearer, client_for
from tests.platform.factories import PASSWORD, World, uscc
from tests.platform.test_submissions import tea_data

ROLES = (
    "public", "tea_admin", "tea_user", "coal_admin", "auditor", "auditor2", "certifier",
    "officer", "banker", "purchaser",
)  # fmt: skip


@dataclass
class State:
    """What the operations act on: a draft and a submission under verification of the tea
    enterprise, the case of the latter (assigned to ``verifier``)."""

    world: World
    product: str
    draft: str
    assigned: str
    case: str


@pytest.fixture
def state(world: World) -> State:
    tea = world.context("tea_user")
    product = world.product("tea", "gz-green-tea", "tea-green")
    other = world.product("tea", "gz-green-tea-2", "tea-green")
    submissions = SubmissionService(world.session, tea)
    draft = submissions.create(product.id, tea_data())
    assigned = submissions.create(other.id, tea_data())
    submissions.calculate(assigned.id)
    submissions.submit(assigned.id)
    case = VerificationService(world.session, world.context("officer")).assign(
        assigned.id, world.organizations["verifier"].id
    )
    return State(world, str(product.id), str(draft.id), str(assigned.id), str(case.id))


Call = Callable[[TestClient, dict[str, str], State], Response]

OPERATIONS: dict[str, tuple[Call, dict[str, int]]] = {
    "create a product": (
        lambda c, h, _s: c.post(
            "/api/v1/products", json={"code": "x", "name_zh": "新品", "rule_id": "tea-green"},
            headers=h,
        ),
        {"tea_admin": 201, "coal_admin": 201},
    ),
    "list products": (
        lambda c, h, _s: c.get("/api/v1/products", headers=h),
        {"tea_admin": 200, "tea_user": 200, "coal_admin": 200, "officer": 200},
    ),
    "read a product": (
        lambda c, h, s: c.get(f"/api/v1/products/{s.product}", headers=h),
        {"tea_admin": 200, "tea_user": 200, "coal_admin": 404, "officer": 200},
    ),
    "enter activity data": (
        lambda c, h, s: c.post(
            "/api/v1/submissions",
            json={"product_id": s.product, "data": {**tea_data(),
                  "reference_period": {"start": "2024-01-01", "end": "2024-12-31"}}},
            headers=h,
        ),
        {"tea_admin": 201, "tea_user": 201, "coal_admin": 404},
    ),
    "read a submission": (
        lambda c, h, s: c.get(f"/api/v1/submissions/{s.assigned}", headers=h),
        {"tea_admin": 200, "tea_user": 200, "coal_admin": 404, "auditor": 200,
         "auditor2": 404, "officer": 200, "banker": 404, "purchaser": 404, "certifier": 404},
    ),
    "list submissions": (
        lambda c, h, _s: c.get("/api/v1/submissions", headers=h),
        {"tea_admin": 200, "tea_user": 200, "coal_admin": 200, "auditor": 200,
         "auditor2": 200, "officer": 200},
    ),
    "calculate": (
        lambda c, h, s: c.post(f"/api/v1/submissions/{s.draft}/calculate", json={}, headers=h),
        {"tea_admin": 200, "tea_user": 200, "coal_admin": 404},
    ),
    "assign a verifier": (
        lambda c, h, s: c.post(
            f"/api/v1/submissions/{s.assigned}/assign",
            json={"verifier_id": str(s.world.organizations["verifier2"].id)},
            headers=h,
        ),
        {"officer": 201},
    ),
    "decide a case": (
        lambda c, h, s: c.post(
            f"/api/v1/cases/{s.case}/decision", json={"decision": "accept"}, headers=h
        ),
        {"auditor": 200, "auditor2": 404},
    ),
    "comment": (
        lambda c, h, s: c.post(
            f"/api/v1/submissions/{s.assigned}/comments", json={"body": "请补充"}, headers=h
        ),
        {"tea_admin": 201, "tea_user": 201, "coal_admin": 404, "auditor": 201,
         "auditor2": 404, "officer": 403, "banker": 404, "purchaser": 404, "certifier": 404},
    ),
    "declare a conflict": (
        lambda c, h, s: c.post(
            "/api/v1/conflicts",
            json={"enterprise_id": str(s.world.organizations["coal"].id), "reason": "亲属"},
            headers=h,
        ),
        {"auditor": 201, "auditor2": 201},
    ),
    "register an organization": (
        lambda c, h, _s: c.post(
            "/api/v1/organizations",
            json={"kind": "enterprise", "name_zh": "新企业", "uscc": uscc(77)},
            headers=h,
        ),
        {"officer": 201},
    ),
    "add a user to the tea enterprise": (
        lambda c, h, s: c.post(
            "/api/v1/users",
            json={"email": "new@example.cn", "display_name": "新人", "password": "long enough pw",
                  "organization_id": str(s.world.organizations["tea"].id),
                  "role": "enterprise_user"},
            headers=h,
        ),
        {"tea_admin": 201, "officer": 201},
    ),
    "make an API token": (
        lambda c, h, _s: c.post(
            "/api/v1/tokens", json={"name": "erp", "scopes": ["public:read"]}, headers=h
        ),
        {role: 201 for role in ROLES if role != "public"},
    ),
    "read the rules": (
        lambda c, h, _s: c.get("/api/v1/rules", headers=h),
        dict.fromkeys(ROLES, 200),
    ),
    "list certificates": (
        lambda c, h, _s: c.get("/api/v1/certificates", headers=h),
        {"tea_admin": 200, "tea_user": 200, "coal_admin": 200, "certifier": 200, "officer": 200},
    ),
    "apply for certification": (
        lambda c, h, s: c.post(
            "/api/v1/certificates",
            json={"submission_id": s.assigned,
                  "body_id": str(s.world.organizations["body"].id)},
            headers=h,
        ),
        {"tea_admin": 409, "coal_admin": 404},
    ),
    "publish a benchmark": (
        lambda c, h, _s: c.post(
            "/api/v1/benchmarks",
            json={"version": "v1", "title": "t", "benchmarks": [
                {"category": "cement", "basis": "limit_value", "thresholds": [1, 2, 3, 4],
                 "source": "s"}]},
            headers=h,
        ),
        {"officer": 201},
    ),
    "see the distribution of grades": (
        lambda c, h, _s: c.get("/api/v1/grading/distribution", headers=h),
        {"officer": 200},
    ),
    "see a submission's standing": (
        lambda c, h, s: c.get(f"/api/v1/submissions/{s.assigned}/standing", headers=h),
        {"tea_admin": 200, "tea_user": 200, "coal_admin": 404, "auditor": 200,
         "auditor2": 404, "officer": 200, "banker": 404, "purchaser": 404, "certifier": 404},
    ),
}  # fmt: skip


SIGNED_IN = {"make an API token"}
"""Operations done in a browser session (a token cannot make tokens); the rest use tokens."""


def signed_in(client: TestClient, who: str) -> dict[str, str]:
    """Sign ``who`` in: the client keeps the cookie; the headers carry the CSRF token."""
    response = client.post(
        "/api/v1/auth/sign-in", json={"email": f"{who}@example.cn", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"X-CSRF-Token": response.json()["csrf_token"]}


def expected(operation: str, role: str) -> int:
    allowed = OPERATIONS[operation][1]
    return allowed.get(role, 401 if role == "public" else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_the_matrix(state: State, operation: str, role: str) -> None:
    client = client_for(state.world)
    if role == "public":
        headers: dict[str, str] = {}
    elif operation in SIGNED_IN:
        headers = signed_in(client, role)
    else:
        headers = bearer(state.world, role)
    call, _ = OPERATIONS[operation]
    response = call(client, headers, state)
    assert response.status_code == expected(operation, role), response.text
    if response.status_code >= 400:
        body: dict[str, Any] = response.json()
        assert set(body) >= {"code", "message", "field"}
