"""The verifier's and the regulator's pages, and the partner's shared footprints: each for its
role, refused to the others; a return with a comment on an input; a conflict on assignment;
the CSV export."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import Product, Submission, VerificationCase
from tanzuji.workflow import Status
from tests.platform.api import client_for
from tests.platform.factories import World
from tests.platform.test_factor_sets import propose_electricity
from tests.platform.test_pages import csrf_of, sign_in
from tests.platform.test_sharing import grant_to, verified
from tests.platform.test_submissions import tea_data


@pytest.fixture
def client(world: World) -> TestClient:
    return client_for(world)


@pytest.fixture
def tea(world: World) -> Product:
    return world.product("tea", "gz-green-tea", "tea-green")


def submitted(world: World, product: Product, **inputs: object) -> Submission:
    submissions = SubmissionService(world.session, world.context("tea_user"))
    submission = submissions.create(product.id, tea_data(**inputs))
    submissions.calculate(submission.id)
    return submissions.submit(submission.id)


def assigned(world: World, submission: Submission) -> VerificationCase:
    return VerificationService(world.session, world.context("officer")).assign(
        submission.id, world.organizations["verifier"].id
    )


class TestCases:
    def test_the_verifier_sees_its_cases_and_the_review(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        case = assigned(world, submitted(world, tea))
        sign_in(client, "auditor")
        listing = client.get("/cases")
        assert listing.status_code == 200
        assert f"/cases/{case.id}" in listing.text
        assert "gz-green-tea" in listing.text
        review_page = client.get(f"/cases/{case.id}")
        assert review_page.status_code == 200, review_page.text
        assert "kgCO2e / 1 kg green tea" in review_page.text
        assert "合理范围" in review_page.text
        assert 'name="comment_electricity"' in review_page.text
        assert '<label for="comment_electricity"' in review_page.text

    def test_a_return_with_a_comment_on_an_input_is_stored_and_shown(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        submission = submitted(world, tea)
        case = assigned(world, submission)
        sign_in(client, "auditor")
        token = csrf_of(client.get(f"/cases/{case.id}").text)
        refused = client.post(f"/cases/{case.id}", data={"decision": "return", "csrf_token": token})
        assert refused.status_code == 422
        assert 'aria-describedby="comment_general-error"' in refused.text
        assert "退回原因" in refused.text  # the error, in Chinese, beside the general comment
        assert submission.status is Status.UNDER_VERIFICATION  # nothing decided
        done = client.post(
            f"/cases/{case.id}",
            data={"decision": "return", "comment_electricity": "电表读数与发票不符",
                  "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        assert done.status_code == 303, done.text
        assert submission.status is Status.RETURNED
        (comment,) = VerificationService(world.session, world.context("tea_user")).comments(
            submission.id
        )
        assert (comment.input_name, comment.body) == ("electricity", "电表读数与发票不符")
        page = client.get(f"/cases/{case.id}").text
        assert "电表读数与发票不符" in page
        assert "已退回" in page
        assert 'name="decision"' not in page  # decided: no more form

    @pytest.mark.parametrize("checked_before", [True, False])
    def test_last_periods_value_stands_beside_this_one(
        self, world: World, client: TestClient, tea: Product, checked_before: bool
    ) -> None:
        """Whether or not this verifier checked last year's data, it sees last year's values."""
        first = submitted(world, tea, electricity=111_111)  # 2025
        if checked_before:
            case = assigned(world, first)
            VerificationService(world.session, world.context("auditor")).decide(case.id, "accept")
        data = tea_data()
        data["reference_period"] = {"start": "2026-01-01", "end": "2026-12-31"}
        submissions = SubmissionService(world.session, world.context("tea_user"))
        second = submissions.create(tea.id, data)
        submissions.calculate(second.id)
        submissions.submit(second.id)
        later = assigned(world, second)
        sign_in(client, "auditor")
        page = client.get(f"/cases/{later.id}").text
        assert "111,111 kWh" in page
        assert "2025-01-01 – 2025-12-31" in page

    @pytest.mark.parametrize("who", ["officer", "tea_admin", "banker", "purchaser", "auditor2"])
    def test_refused_to_others(
        self, world: World, client: TestClient, tea: Product, who: str
    ) -> None:
        case = assigned(world, submitted(world, tea))
        sign_in(client, who)
        assert client.get(f"/cases/{case.id}").status_code in (403, 404)
        if who != "auditor2":
            assert client.get("/cases").status_code == 403


class TestOverview:
    def test_the_officer_sees_the_province(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        submitted(world, tea)
        sign_in(client, "officer")
        for by in ("rule", "industry", "county"):
            response = client.get(f"/overview?by={by}")
            assert response.status_code == 200, response.text
        page = client.get("/overview?by=rule").text
        assert "/static/vendor/echarts.min.js" in page
        assert "kgCO2e per 1 kg green tea" in page
        assert "已提交" in page
        assert 'name="verifier_id"' in page

    def test_an_assignment_and_a_declared_conflict(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        submission = submitted(world, tea)
        VerificationService(world.session, world.context("auditor2")).declare_conflict(
            world.organizations["tea"].id, "同一集团"
        )
        sign_in(client, "officer")
        token = csrf_of(client.get("/overview").text)
        refused = client.post(
            f"/overview/assign/{submission.id}",
            data={"verifier_id": str(world.organizations["verifier2"].id),
                  "version": str(submission.version), "csrf_token": token},
        )  # fmt: skip
        assert refused.status_code == 409
        assert "同一集团" in refused.text
        assert f'aria-describedby="verifier-{submission.id}-error"' in refused.text
        assert submission.status is Status.SUBMITTED
        done = client.post(
            f"/overview/assign/{submission.id}",
            data={"verifier_id": str(world.organizations["verifier"].id),
                  "version": str(submission.version), "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        assert done.status_code == 303
        assert submission.status is Status.UNDER_VERIFICATION

    def test_the_audit_log_with_filters(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        submission = submitted(world, tea)
        sign_in(client, "officer")
        page = client.get(f"/audit?action=submission.&subject={submission.id}")
        assert page.status_code == 200
        assert "submission.submit" in page.text
        assert "factor_set.register" not in page.text
        assert client.get("/audit?since=2026-03-01&until=2026-03-01").status_code == 200
        bad = client.get("/audit?since=yesterday")
        assert bad.status_code == 422
        assert 'aria-describedby="since-error"' in bad.text

    def test_the_factor_sets_and_an_impact_report(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        submitted(world, tea)
        proposal = propose_electricity(world)
        sign_in(client, "officer")
        page = client.get("/factor-sets")
        assert page.status_code == 200
        assert "CN-2026.1" in page.text
        assert str(proposal.id) in page.text
        token = csrf_of(page.text)
        report = client.post(
            "/factor-sets/impact", data={"proposal_ids": str(proposal.id), "csrf_token": token}
        )
        assert report.status_code == 200, report.text
        assert "kgCO2e per 1 kg green tea" in report.text
        assert "gz-green-tea" in report.text
        nothing = client.post("/factor-sets/impact", data={"csrf_token": token})
        assert nothing.status_code == 422
        assert 'id="proposal_ids-error"' in nothing.text
        bad = client.post(
            "/factor-sets/publish",
            data={"proposal_ids": str(proposal.id), "version": "CN-2026.1", "title": "x",
                  "csrf_token": token},
        )  # fmt: skip
        assert bad.status_code == 409
        assert 'aria-describedby="version-error"' in bad.text
        world.clock.advance(hours=1)
        done = client.post(
            "/factor-sets/publish",
            data={"proposal_ids": str(proposal.id), "version": "GZ-2026.2",
                  "title": "复核电力因子", "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        assert done.status_code == 303
        assert "GZ-2026.2" in client.get("/factor-sets").text

    @pytest.mark.parametrize("who", ["auditor", "tea_admin", "banker", "purchaser"])
    def test_refused_to_others(self, client: TestClient, who: str) -> None:
        sign_in(client, who)
        for path in ("/overview", "/audit", "/factor-sets"):
            assert client.get(path).status_code == 403, path


class TestShared:
    def test_the_bank_sees_and_exports_what_is_shared(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        verified(world, tea)
        world.product("tea", "gz-black-tea", "tea-green")
        grant_to(world, "bank", tea)
        sign_in(client, "banker")
        page = client.get("/shared")
        assert page.status_code == 200
        assert "gz-green-tea" in page.text
        assert "kgCO2e / 1 kg green tea" in page.text
        assert "gz-green-tea" not in client.get("/shared?name=black").text
        exported = client.get("/shared.csv")
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert exported.content.startswith("\ufeff".encode())
        lines = exported.content.decode("utf-8-sig").splitlines()
        assert "kgCO2e" in lines[0]
        assert lines[1].startswith("gz-green-tea,")
        assert len(lines) == 2

    def test_the_export_never_starts_a_spreadsheet_formula(
        self, world: World, client: TestClient, tea: Product
    ) -> None:
        tea.name_zh = "=1+2"
        verified(world, tea)
        grant_to(world, "bank", tea)
        sign_in(client, "banker")
        lines = client.get("/shared.csv").content.decode("utf-8-sig").splitlines()
        assert lines[1].startswith("gz-green-tea,'=1+2,")

    def test_a_buyer_reads_public_footprints_in_the_registry(self, client: TestClient) -> None:
        sign_in(client, "purchaser")
        page = client.get("/")
        assert 'href="/registry"' in page.text
        assert client.get("/shared").status_code == 403
        assert client.get("/shared.csv").status_code == 403

    @pytest.mark.parametrize("who", ["officer", "tea_admin", "auditor"])
    def test_refused_to_others(self, client: TestClient, who: str) -> None:
        sign_in(client, who)
        assert client.get("/shared").status_code == 403
        assert client.get("/shared.csv").status_code == 403
