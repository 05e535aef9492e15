"""The certification pages: the enterprise applies on its submission page, the certification
body certifies or refuses from its queue and reviews its certificates; other roles get 403."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tanzuji.certification import CertificateStatus
from tanzuji.services.certification import CertificationService
from tanzuji.store.models import Submission
from tests.platform.api import client_for
from tests.platform.factories import World
from tests.platform.test_certification import verified
from tests.platform.test_pages import csrf_of, sign_in


@pytest.fixture
def client(world: World) -> TestClient:
    return client_for(world, public_url="https://pcf.example.cn")


@pytest.fixture
def submission(world: World) -> Submission:
    return verified(world)


def apply_on_the_page(client: TestClient, world: World, submission: Submission) -> None:
    sign_in(client, "tea_admin")
    shown = client.get(f"/submissions/{submission.id}")
    assert "申请认证" in shown.text
    assert "示例认证中心" in shown.text
    response = client.post(
        f"/submissions/{submission.id}/certification",
        data={"body_id": str(world.organizations["body"].id), "csrf_token": csrf_of(shown.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def test_apply_certify_and_see_the_certificate(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    assert "已申请，待认证机构决定" in client.get(f"/submissions/{submission.id}").text

    body = client_for(world)
    sign_in(body, "certifier")
    assert "1 项认证申请待您决定" in body.get("/").text
    queue = body.get("/certification")
    assert queue.status_code == 200
    assert "kg CO2e / 1 kg green tea" in queue.text
    assert "示例核查机构" in queue.text  # the verifier
    (application,) = CertificationService(world.session, world.context("certifier")).applications()
    decided = body.post(
        f"/certification/{application.id}",
        data={"action": "certify", "reason": "", "csrf_token": csrf_of(queue.text)},
        follow_redirects=False,
    )
    assert decided.status_code == 303, decided.text
    assert application.status is CertificateStatus.ISSUED

    page = client.get(f"/submissions/{submission.id}").text
    assert "GZ-PCF-2026-000001" in page
    assert "/api/v1/certificates/GZ-PCF-2026-000001/credential" in page
    assert "申请认证" not in page  # no second application while one is open


def test_refusing_without_a_reason_shows_the_error_beside_the_form(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    body = client_for(world)
    sign_in(body, "certifier")
    queue = body.get("/certification")
    (application,) = CertificationService(world.session, world.context("certifier")).applications()
    refused = body.post(
        f"/certification/{application.id}",
        data={"action": "refuse", "reason": "", "csrf_token": csrf_of(queue.text)},
    )
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert "give the reason" in refused.text
    assert application.status is CertificateStatus.APPLIED


def test_surveillance_from_the_issued_certificates_page(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    body = client_for(world)
    sign_in(body, "certifier")
    queue = body.get("/certification")
    (application,) = CertificationService(world.session, world.context("certifier")).applications()
    body.post(
        f"/certification/{application.id}",
        data={"action": "certify", "csrf_token": csrf_of(queue.text)},
    )
    issued = body.get("/certificates")
    assert "GZ-PCF-2026-000001" in issued.text
    assert 'value="suspend"' in issued.text
    response = body.post(
        f"/certificates/{application.id}/review",
        data={"action": "suspend", "reason": "监督抽查", "csrf_token": csrf_of(issued.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    after = body.get("/certificates").text
    assert "已暂停" in after
    assert 'value="reinstate"' in after
    assert "已暂停" in client.get(f"/submissions/{submission.id}").text


@pytest.mark.parametrize("who", ["tea_admin", "auditor", "officer", "banker"])
def test_the_certifier_pages_are_refused_to_other_roles(world: World, who: str) -> None:
    client = client_for(world)
    sign_in(client, who)
    assert client.get("/certification").status_code == 403
    assert client.get("/certificates").status_code == 403


def test_the_certifier_navigation(world: World) -> None:
    client = client_for(world)
    sign_in(client, "certifier")
    home = client.get("/").text
    assert 'href="/certification"' in home
    assert 'href="/certificates"' in home
    assert "认证人员" in home
