"""Certification through HTTP: apply, decide, review, the public certificate and its signed
credential, the status lists, the JSON-LD context and the deployment's DID document."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tanzuji.canonical import canonical_json, sha256_hex
from tanzuji.credentials.multikey import did_key
from tanzuji.credentials.pcf import Check, verify_credential
from tanzuji.credentials.verification import CredentialReport
from tanzuji.store.models import Submission
from tests.platform.api import bearer, client_for
from tests.platform.factories import World
from tests.platform.test_certification import verified

PUBLIC_URL = "https://pcf.example.cn"


@pytest.fixture
def client(world: World) -> TestClient:
    return client_for(world, public_url=PUBLIC_URL)


@pytest.fixture
def submission(world: World) -> Submission:
    return verified(world)


def apply(client: TestClient, world: World, submission: Submission) -> dict[str, Any]:
    response = client.post(
        "/api/v1/certificates",
        json={"submission_id": str(submission.id), "body_id": str(world.organizations["body"].id)},
        headers=bearer(world, "tea_admin"),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def certify(client: TestClient, world: World, submission: Submission) -> dict[str, Any]:
    applied = apply(client, world, submission)
    response = client.post(
        f"/api/v1/certificates/{applied['id']}/decision",
        json={"action": "certify"},
        headers=bearer(world, "certifier"),
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def report(client: TestClient, world: World, number: str) -> CredentialReport:
    """The credential checked with the deployment's key and its published status lists."""
    credential = client.get(f"/api/v1/certificates/{number}/credential").json()
    lists = {
        f"{PUBLIC_URL}/credentials/status/{purpose}": client.get(
            f"/credentials/status/{purpose}"
        ).json()
        for purpose in ("revocation", "suspension")
    }
    key = client.app.state.keys.issuer.public_key()  # type: ignore[attr-defined]
    return verify_credential(credential, public_key=key, at=world.clock.now, status_lists=lists)


def test_apply_certify_and_read_in_public(
    world: World, client: TestClient, submission: Submission
) -> None:
    issued = certify(client, world, submission)
    number = issued["number"]
    assert issued["status"] == "issued"
    assert issued["links"]["credential"] == f"/api/v1/certificates/{number}/credential"

    public = client.get(f"/api/v1/certificates/{number}")  # nobody signed in
    assert public.status_code == 200
    shown = public.json()
    assert shown["standing"] == "valid"
    assert shown["footprint"]["unit"] == "kg CO2e"
    assert shown["standard"] == "GB/T 24067-2024"
    assert shown["certification_body"]["name_zh"] == "示例认证中心"

    download = client.get(f"/api/v1/certificates/{number}/credential")
    assert download.headers["content-disposition"] == f'attachment; filename="{number}.json"'
    assert download.json()["id"] == f"{PUBLIC_URL}/v/{number}"
    assert report(client, world, number).valid

    listed = client.get("/api/v1/certificates", headers=bearer(world, "tea_user")).json()
    assert [item["number"] for item in listed["items"]] == [number]


def test_withdrawn_is_revoked_and_suspended_is_suspended(
    world: World, client: TestClient, submission: Submission
) -> None:
    issued = certify(client, world, submission)
    certifier = bearer(world, "certifier")
    world.clock.advance(days=1)
    response = client.post(
        f"/api/v1/certificates/{issued['id']}/reviews",
        json={"action": "suspend", "reason": "监督抽查不合格"},
        headers=certifier,
    )
    assert response.status_code == 201, response.text
    review = response.json()
    assert review["action"] == "suspend"
    entry = client.get(f"/api/v1/ledger/entries/{review['ledger_index']}").json()
    assert entry["body"]["reason_commitment"] == review["ledger"]["reason_commitment"]
    committed = {"salt": review["ledger"]["salt"], "reason": "监督抽查不合格"}
    assert review["ledger"]["reason_commitment"] == sha256_hex(canonical_json(committed))
    suspended = report(client, world, issued["number"])
    assert suspended.check(Check.SUSPENSION).passed is False  # type: ignore[union-attr]
    assert client.get(f"/api/v1/certificates/{issued['number']}").json()["standing"] == (
        "suspended"
    )

    world.clock.advance(days=1)
    client.post(
        f"/api/v1/certificates/{issued['id']}/reviews",
        json={"action": "withdraw", "reason": "整改未完成"},
        headers=certifier,
    )
    withdrawn = report(client, world, issued["number"])
    assert withdrawn.check(Check.REVOCATION).passed is False  # type: ignore[union-attr]
    assert withdrawn.check(Check.PROOF).passed is True  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("who", "status"),
    [("tea_user", 403), ("coal_admin", 404), ("certifier", 403), ("officer", 403), (None, 401)],
)
def test_only_the_enterprise_admin_applies(
    world: World, client: TestClient, submission: Submission, who: str | None, status: int
) -> None:
    response = client.post(
        "/api/v1/certificates",
        json={"submission_id": str(submission.id), "body_id": str(world.organizations["body"].id)},
        headers=bearer(world, who) if who else {},
    )
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("who", "status"), [("tea_admin", 403), ("auditor", 403), ("officer", 403), (None, 401)]
)
def test_only_the_certifier_decides_and_reviews(
    world: World, client: TestClient, submission: Submission, who: str | None, status: int
) -> None:
    applied = apply(client, world, submission)
    headers = bearer(world, who) if who else {}
    decision = client.post(
        f"/api/v1/certificates/{applied['id']}/decision",
        json={"action": "certify"},
        headers=headers,
    )
    assert decision.status_code == status
    review = client.post(
        f"/api/v1/certificates/{applied['id']}/reviews",
        json={"action": "withdraw", "reason": "理由"},
        headers=headers,
    )
    assert review.status_code == status


def test_refusals_name_their_field(
    world: World, client: TestClient, submission: Submission
) -> None:
    applied = apply(client, world, submission)
    certifier = bearer(world, "certifier")
    refused = client.post(
        f"/api/v1/certificates/{applied['id']}/decision",
        json={"action": "refuse", "reason": ""},
        headers=certifier,
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "reason"
    wrong = client.post(
        f"/api/v1/certificates/{applied['id']}/decision",
        json={"action": "withdraw"},
        headers=certifier,
    )
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "action"
    again = client.post(
        "/api/v1/certificates",
        json={"submission_id": str(submission.id), "body_id": str(world.organizations["body"].id)},
        headers=bearer(world, "tea_admin"),
    )
    assert again.status_code == 409
    assert again.json()["field"] == "submission_id"
    assert client.get("/api/v1/certificates/GZ-PCF-2026-000404").status_code == 404


def test_the_status_list_is_public_and_stable(
    world: World, client: TestClient, submission: Submission
) -> None:
    assert client.get("/credentials/status/revocation").status_code == 404  # nothing issued
    certify(client, world, submission)
    first = client.get("/credentials/status/revocation")
    world.clock.advance(hours=1)
    assert client.get("/credentials/status/revocation").content == first.content
    listed = first.json()
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"
    assert client.get("/credentials/status/other").status_code == 404


def test_the_did_document_and_the_context(client: TestClient) -> None:
    document = client.get("/.well-known/did.json").json()
    key = client.app.state.keys.issuer.public_key()  # type: ignore[attr-defined]
    assert document["id"] == "did:web:pcf.example.cn"
    assert document["alsoKnownAs"] == [did_key(key)]
    context = client.get("/credentials/v1").json()
    assert context["@context"]["ledgerIndex"] == f"{PUBLIC_URL}/credentials/v1#ledgerIndex"
