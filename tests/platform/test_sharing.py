"""Data-sharing grants (数据共享授权): an enterprise lets a bank read chosen products' verified
footprints for a period; every read is logged and the enterprise sees the log; nothing is
read outside the grant, before it starts, after it ends or once it is revoked; activity data
only when the grant includes it."""

from __future__ import annotations

import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tanzuji.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tanzuji.services.sharing import SharingService, grant_state
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import AuditEvent, Grant, GrantRead, Product, Submission
from tests.platform.api import bearer, client_for
from tests.platform.factories import NOW, World, unknown_id
from tests.platform.test_submissions import TEA_TOTAL, tea_data

DAY = datetime.timedelta(days=1)
YEAR = datetime.timedelta(days=365)


def verified(world: World, product: Product, **inputs: object) -> Submission:
    """A submission of ``product`` taken through calculation and verification."""
    submissions = SubmissionService(world.session, world.context("tea_user"))
    submission = submissions.create(product.id, tea_data(**inputs))
    submissions.calculate(submission.id)
    submissions.submit(submission.id)
    case = VerificationService(world.session, world.context("officer")).assign(
        submission.id, world.organizations["verifier"].id
    )
    VerificationService(world.session, world.context("auditor")).decide(case.id, "accept")
    return submission


def sharing(world: World, who: str) -> SharingService:
    return SharingService(world.session, world.context(who))


@pytest.fixture
def tea(world: World) -> Product:
    product = world.product("tea", "gz-green-tea", "tea-green")
    verified(world, product)
    return product


@pytest.fixture
def other_tea(world: World) -> Product:
    """A second verified product of the same enterprise, never granted."""
    product = world.product("tea", "gz-green-tea-2", "tea-green")
    verified(world, product)
    return product


def grant_to(
    world: World,
    partner: str,
    *products: Product,
    valid_from: datetime.datetime = NOW,
    valid_until: datetime.datetime = NOW + YEAR,
    include_activity_data: bool = False,
) -> Grant:
    """The tea enterprise's admin grants ``partner`` its ``products`` (a year from now)."""
    return sharing(world, "tea_admin").grant(
        world.organizations[partner].id,
        [p.id for p in products],
        valid_from,
        valid_until,
        include_activity_data,
    )


class TestReading:
    def test_a_bank_reads_a_granted_footprint_and_the_enterprise_sees_the_read(
        self, world: World, tea: Product
    ) -> None:
        grant = grant_to(world, "bank", tea)
        world.clock.advance(hours=2)
        page = sharing(world, "banker").shared_footprints()
        (shared,) = page.items
        assert (page.total, shared.grant.id, shared.product.code) == (1, grant.id, "gz-green-tea")
        assert shared.enterprise.name_zh == "示例茶业"
        assert shared.footprint is not None
        assert shared.figures is not None
        assert shared.footprint.total_kgco2e == pytest.approx(TEA_TOTAL, rel=1e-9)
        assert shared.figures["units"]["kgco2e"] == "kgCO2e per 1 kg green tea"
        assert sum(shared.figures["by_stage"].values()) == pytest.approx(TEA_TOTAL, rel=1e-9)
        # line-by-line contributions would give the activity amounts back: not shared
        assert not {"lines", "hotspots", "upstream"} & set(shared.figures)

        log = sharing(world, "tea_admin").read_log()
        (entry,) = log.items
        assert (entry.reader.display_name, entry.partner.name_zh) == ("banker", "示例银行")
        assert (entry.product.code, entry.read.what) == ("gz-green-tea", "footprint")
        assert entry.read.read_at == NOW + datetime.timedelta(hours=2)
        assert sharing(world, "coal_admin").read_log().total == 0

    def test_one_product_by_id(self, world: World, tea: Product, other_tea: Product) -> None:
        grant_to(world, "bank", tea, other_tea)
        page = sharing(world, "banker").shared_footprints(other_tea.id)
        assert [s.product.code for s in page.items] == ["gz-green-tea-2"]
        assert world.session.scalar(select(func.count()).select_from(GrantRead)) == 1

    def test_only_verified_footprints_are_shared(self, world: World) -> None:
        calculated = world.product("tea", "gz-black-tea", "tea-green")
        submissions = SubmissionService(world.session, world.context("tea_user"))
        submissions.calculate(submissions.create(calculated.id, tea_data()).id)
        grant_to(world, "bank", calculated)
        (shared,) = sharing(world, "banker").shared_footprints().items
        assert (shared.product.code, shared.footprint, shared.figures) == ("gz-black-tea",
                                                                           None, None)  # fmt: skip

    def test_the_latest_verified_period(self, world: World, tea: Product) -> None:
        later = tea_data(electricity=250_000)
        later["reference_period"] = {"start": "2026-01-01", "end": "2026-12-31"}
        submissions = SubmissionService(world.session, world.context("tea_user"))
        newer = submissions.create(tea.id, later)
        submissions.calculate(newer.id)  # calculated, not verified: the 2025 footprint stays
        grant_to(world, "bank", tea)
        (shared,) = sharing(world, "banker").shared_footprints().items
        assert shared.submission is not None
        assert shared.submission.period_end == datetime.date(2025, 12, 31)
        assert shared.footprint is not None
        assert shared.footprint.total_kgco2e == pytest.approx(TEA_TOTAL, rel=1e-9)


class TestBounds:
    def test_nothing_outside_the_grant(
        self, world: World, tea: Product, other_tea: Product
    ) -> None:
        grant_to(world, "bank", tea)
        banker = sharing(world, "banker")
        assert [s.product.code for s in banker.shared_footprints().items] == ["gz-green-tea"]
        for product_id in (other_tea.id, unknown_id()):
            with pytest.raises(NotFound, match="shared with you"):
                banker.shared_footprints(product_id)
            with pytest.raises(NotFound):
                banker.shared_activity_data(product_id)
        # a grant to the bank is nothing to the research institute
        assert sharing(world, "researcher").shared_footprints().total == 0

    def test_not_before_it_starts_nor_after_it_ends(self, world: World, tea: Product) -> None:
        grant = grant_to(world, "bank", tea, valid_from=NOW + DAY, valid_until=NOW + 3 * DAY)
        banker = sharing(world, "banker")
        assert (grant_state(grant, world.clock()), banker.shared_footprints().total) == (
            "pending", 0)  # fmt: skip
        world.clock.advance(days=1)  # valid_from is inclusive
        assert (grant_state(grant, world.clock()), banker.shared_footprints().total) == (
            "active", 1)  # fmt: skip
        world.clock.advance(days=2)  # valid_until is exclusive
        assert (grant_state(grant, world.clock()), banker.shared_footprints().total) == (
            "expired", 0)  # fmt: skip
        assert world.session.scalar(select(func.count()).select_from(GrantRead)) == 1

    def test_not_after_revocation(self, world: World, tea: Product) -> None:
        grant = grant_to(world, "bank", tea, include_activity_data=True)
        assert sharing(world, "banker").shared_footprints().total == 1
        sharing(world, "tea_admin").revoke(grant.id)
        assert grant_state(grant, world.clock()) == "revoked"
        assert sharing(world, "banker").shared_footprints().total == 0
        with pytest.raises(NotFound):
            sharing(world, "banker").shared_activity_data(tea.id)
        with pytest.raises(Conflict, match="revoked already"):
            sharing(world, "tea_admin").revoke(grant.id)
        actions = world.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_id == str(grant.id))
        ).all()
        assert sorted(actions) == ["grant.create", "grant.revoke"]

    def test_only_its_enterprise_revokes(self, world: World, tea: Product) -> None:
        grant = grant_to(world, "bank", tea)
        for who, error in (("coal_admin", NotFound), ("banker", PermissionDenied),
                           ("tea_user", PermissionDenied)):  # fmt: skip
            with pytest.raises(error):
                sharing(world, who).revoke(grant.id)
        assert grant.revoked_at is None


class TestActivityData:
    def test_only_when_the_grant_includes_it(self, world: World, tea: Product) -> None:
        grant_to(world, "bank", tea)
        with pytest.raises(PermissionDenied, match="not its activity data"):
            sharing(world, "banker").shared_activity_data(tea.id)
        assert world.session.scalar(select(func.count()).select_from(GrantRead)) == 0

        grant_to(world, "bank", tea, include_activity_data=True)
        shared = sharing(world, "banker").shared_activity_data(tea.id)
        assert shared.revision.data["inputs"]["made_tea"]["amount"] == 50_000
        assert shared.grant.include_activity_data
        (entry,) = sharing(world, "tea_admin").read_log().items
        assert (entry.read.what, entry.read.grant_id) == ("activity_data", shared.grant.id)


class TestGranting:
    def test_another_enterprises_products_cannot_be_granted(
        self, world: World, tea: Product
    ) -> None:
        coal = world.product("coal", "gz-coal", "coal-raw")
        with pytest.raises(NotFound, match=f"no product {coal.id}") as caught:
            grant_to(world, "bank", tea, coal)
        assert caught.value.field == "product_ids"
        assert world.session.scalar(select(func.count()).select_from(Grant)) == 0

    @pytest.mark.parametrize(
        ("partner", "kind"),
        [("buyer", "buyer"), ("verifier", "verifier"), ("coal", "enterprise"),
         ("regulator", "regulator")],
    )  # fmt: skip
    def test_a_non_partner_cannot_be_a_grantee(
        self, world: World, tea: Product, partner: str, kind: str
    ) -> None:
        with pytest.raises(InvalidInput, match=f"is a {kind}, not a data partner") as caught:
            grant_to(world, partner, tea)
        assert caught.value.field == "partner_id"
        assert world.session.scalar(select(func.count()).select_from(Grant)) == 0

    def test_every_data_partner_kind_may_be_one(self, world: World, tea: Product) -> None:
        grant = grant_to(world, "institute", tea)
        assert grant.partner_id == world.organizations["institute"].id
        assert sharing(world, "researcher").shared_footprints().total == 1

    def test_an_unknown_partner(self, world: World, tea: Product) -> None:
        with pytest.raises(NotFound, match="no organization") as caught:
            sharing(world, "tea_admin").grant(unknown_id(), [tea.id], NOW, NOW + YEAR)
        assert caught.value.field == "partner_id"

    @pytest.mark.parametrize(
        ("valid_from", "valid_until", "field", "message"),
        [
            (NOW, NOW, "valid_until", "must come after valid_from"),
            (NOW, NOW - DAY, "valid_until", "must come after valid_from"),
            (NOW - 2 * YEAR, NOW - YEAR, "valid_until", "in the past"),
            (NOW.replace(tzinfo=None), NOW + YEAR, "valid_from", "with a timezone"),
        ],
    )
    def test_the_period(
        self,
        world: World,
        tea: Product,
        valid_from: datetime.datetime,
        valid_until: datetime.datetime,
        field: str,
        message: str,
    ) -> None:
        with pytest.raises(InvalidInput, match=message) as caught:
            grant_to(world, "bank", tea, valid_from=valid_from, valid_until=valid_until)
        assert caught.value.field == field

    def test_at_least_one_product(self, world: World) -> None:
        with pytest.raises(InvalidInput, match="at least one product") as caught:
            grant_to(world, "bank")
        assert caught.value.field == "product_ids"

    def test_only_the_enterprise_admin_grants(self, world: World, tea: Product) -> None:
        bank = world.organizations["bank"].id
        for who in ("tea_user", "banker", "officer"):
            with pytest.raises(PermissionDenied, match="grant:manage"):
                sharing(world, who).grant(bank, [tea.id], NOW, NOW + YEAR)

    def test_each_side_sees_its_grants(self, world: World, tea: Product) -> None:
        grant = grant_to(world, "bank", tea)
        assert [g.id for g in sharing(world, "tea_admin").grants().items] == [grant.id]
        assert [g.id for g in sharing(world, "banker").grants().items] == [grant.id]
        assert sharing(world, "researcher").grants().total == 0
        assert sharing(world, "coal_admin").grants().total == 0
        with pytest.raises(PermissionDenied, match=r"\(grant:manage or shared:read\)"):
            sharing(world, "tea_user").grants()
        with pytest.raises(PermissionDenied, match="grant:manage"):
            sharing(world, "banker").read_log()


class TestHTTP:
    @pytest.fixture
    def client(self, world: World) -> TestClient:
        return client_for(world)

    def test_grant_read_log_revoke(self, world: World, client: TestClient, tea: Product) -> None:
        enterprise, bank = bearer(world, "tea_admin"), bearer(world, "banker")
        body = {
            "partner_id": str(world.organizations["bank"].id),
            "product_ids": [str(tea.id)],
            "valid_from": "2026-03-01T08:00:00+08:00",
            "valid_until": "2027-03-01T00:00:00+08:00",
            "include_activity_data": True,
        }
        made = client.post("/api/v1/grants", json=body, headers=enterprise)
        assert made.status_code == 201, made.text
        grant = made.json()
        assert (grant["state"], grant["product_ids"]) == ("active", [str(tea.id)])
        assert grant["valid_from"] == "2026-03-01T00:00:00+00:00"

        listed = client.get("/api/v1/grants", headers=bank).json()
        assert [g["id"] for g in listed["items"]] == [grant["id"]]

        shared = client.get("/api/v1/shared/footprints", headers=bank).json()
        (item,) = shared["items"]
        assert item["footprint"]["total"]["value"] == pytest.approx(TEA_TOTAL, rel=1e-9)
        assert item["footprint"]["total"]["unit"] == "kgCO2e per 1 kg green tea"
        assert item["footprint"]["status"] == "verified"
        world.clock.advance(minutes=10)
        data = client.get(f"/api/v1/shared/products/{tea.id}/activity-data", headers=bank)
        assert data.json()["data"]["inputs"]["made_tea"]["amount"] == 50_000

        log = client.get("/api/v1/grants/reads", headers=enterprise).json()
        assert [(r["what"], r["partner"]["name_zh"]) for r in log["items"]] == [
            ("activity_data", "示例银行"), ("footprint", "示例银行")]  # newest first  # fmt: skip
        assert log["total"] == 2
        assert client.get("/api/v1/grants/reads", headers=bank).status_code == 403

        revoked = client.delete(f"/api/v1/grants/{grant['id']}", headers=enterprise)
        assert revoked.json()["state"] == "revoked"
        assert client.get("/api/v1/shared/footprints", headers=bank).json()["total"] == 0

    def test_refusals(self, world: World, client: TestClient, tea: Product) -> None:
        enterprise = bearer(world, "tea_admin")
        body = {
            "partner_id": str(world.organizations["buyer"].id),
            "product_ids": [str(tea.id)],
            "valid_from": "2026-03-01T00:00:00Z",
            "valid_until": "2027-03-01T00:00:00Z",
        }
        buyer = client.post("/api/v1/grants", json=body, headers=enterprise)
        assert (buyer.status_code, buyer.json()["field"]) == (422, "partner_id")
        naive = client.post(
            "/api/v1/grants",
            json={**body, "partner_id": str(world.organizations["bank"].id),
                  "valid_from": "2026-03-01T00:00:00"},
            headers=enterprise,
        )  # fmt: skip
        assert (naive.status_code, naive.json()["field"]) == (422, "valid_from")
        ask = client.get(
            f"/api/v1/shared/products/{tea.id}/activity-data", headers=bearer(world, "banker")
        )
        assert (ask.status_code, ask.json()["field"]) == (404, "product_id")
