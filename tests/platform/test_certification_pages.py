"""The certification pages: the enterprise applies on its submission page, the certification
body certifies or refuses from its queue and reviews its certificates; other roles get 403."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tanzuji.certification import CertificateStatus
from tanzuji.services.certification import CertificationService
from tanzuji.store.models import Certificate, Submission
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


@dataclass
class Queue:
    """The certifier signed in on its queue, with the one application waiting."""

    client: TestClient
    page: str
    application: Certificate

    def post(self, path: str, action: str, reason: str = "") -> Response:
        """The form of ``path`` posted with the page's CSRF token."""
        data = {"action": action, "reason": reason, "csrf_token": csrf_of(self.page)}
        return self.client.post(path.format(id=self.application.id), data=data)


def certifier_queue(world: World) -> Queue:
    client = client_for(world)
    sign_in(client, "certifier")
    page = client.get("/certification")
    assert page.status_code == 200
    (application,) = CertificationService(world.session, world.context("certifier")).applications()
    return Queue(client, page.text, application)


def test_apply_certify_and_see_the_certificate(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    assert "已申请，待认证机构决定" in client.get(f"/submissions/{submission.id}").text

    queue = certifier_queue(world)
    assert "1 项认证申请待您决定" in queue.client.get("/").text
    assert "kg CO2e / 1 kg green tea" in queue.page
    assert "示例核查机构" in queue.page  # the verifier
    decided = queue.client.post(
        f"/certification/{queue.application.id}",
        data={"action": "certify", "reason": "", "csrf_token": csrf_of(queue.page)},
        follow_redirects=False,
    )
    assert decided.status_code == 303, decided.text
    assert queue.application.status is CertificateStatus.ISSUED

    page = client.get(f"/submissions/{submission.id}").text
    assert "GZ-PCF-2026-000001" in page
    assert "/api/v1/certificates/GZ-PCF-2026-000001/credential" in page
    assert "申请认证" not in page  # no second application while one is open


def test_refusing_without_a_reason_shows_the_error_beside_the_form(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    queue = certifier_queue(world)
    refused = queue.post("/certification/{id}", "refuse")
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    assert "请填写本项决定的理由" in refused.text
    assert "give the reason" in refused.text  # the technical detail, folded away
    assert queue.application.status is CertificateStatus.APPLIED


def test_surveillance_from_the_issued_certificates_page(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    queue = certifier_queue(world)
    body, application = queue.client, queue.application
    queue.post("/certification/{id}", "certify")
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


def test_the_queue_shows_the_data_quality_level_in_the_visitor_s_language(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    queue = certifier_queue(world)
    quality = re.search(r"数据质量评分[^<]*</dt><dd>([^<]*)</dd>", queue.page)
    assert quality is not None
    assert re.fullmatch(r"[0-9.]+ \((优秀|很好|良好|一般|较差)\)", quality.group(1))
    english = queue.client.get("/certification?lang=en").text
    assert re.search(r"</dt><dd>[0-9.]+ \((excellent|very good|good|fair|poor)\)</dd>", english)


@pytest.mark.parametrize(
    ("path", "action"),
    [("/certification/{id}", "withdraw"), ("/certificates/{id}/review", "certify")],
)
def test_a_decision_of_the_other_page_is_refused_beside_the_form(
    world: World, client: TestClient, submission: Submission, path: str, action: str
) -> None:
    apply_on_the_page(client, world, submission)
    queue = certifier_queue(world)
    response = queue.post(path, action, "原因")
    assert response.status_code == 422
    assert "请选择" in response.text
    assert queue.application.status is CertificateStatus.APPLIED


def test_a_decision_without_the_form_s_csrf_token_is_refused(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    queue = certifier_queue(world)
    response = queue.client.post(
        f"/certification/{queue.application.id}", data={"action": "certify", "reason": ""}
    )
    assert response.status_code == 403
    assert queue.application.status is CertificateStatus.APPLIED


def test_an_address_that_names_no_certificate_is_not_found(world: World) -> None:
    client = client_for(world)
    sign_in(client, "certifier")
    token = csrf_of(client.get("/certification").text)
    response = client.post(
        "/certification/not-an-id", data={"action": "certify", "csrf_token": token}
    )
    assert response.status_code == 404
    assert "no certificate &#39;not-an-id&#39;" in response.text


def test_a_decision_taken_twice_says_so_in_the_visitor_s_language(
    world: World, client: TestClient, submission: Submission
) -> None:
    apply_on_the_page(client, world, submission)
    queue = certifier_queue(world)
    assert queue.post("/certification/{id}", "certify").status_code == 200
    again = queue.post("/certification/{id}", "refuse", "重复提交")
    assert again.status_code == 409
    assert "可能已有其他决定" in again.text
    assert queue.application.status is CertificateStatus.ISSUED
