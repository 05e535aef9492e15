"""The regulator's overview and the audit log."""

from __future__ import annotations

import pytest

from tanzuji.errors import InvalidInput, PermissionDenied
from tanzuji.services.oversight import OversightService
from tanzuji.services.submissions import SubmissionService
from tests.platform.api import bearer, client_for
from tests.platform.factories import World
from tests.platform.test_submissions import TEA_TOTAL, tea_data


@pytest.fixture
def calculated(world: World) -> None:
    """Two tea products calculated (one with 10 % less electricity), one left as a draft."""
    submissions = SubmissionService(world.session, world.context("tea_user"))
    for code, electricity in (("a", 240_000), ("b", 216_000)):
        product = world.product("tea", code, "tea-green")
        made = submissions.create(product.id, tea_data(electricity=electricity))
        submissions.calculate(made.id)
    submissions.create(world.product("tea", "c", "tea-green").id, tea_data())


@pytest.mark.usefixtures("calculated")
def test_status_counts(world: World) -> None:
    counts = OversightService(world.session, world.context("officer")).status_counts()
    assert counts["calculated"] == 2
    assert counts["draft"] == 1
    assert counts["verified"] == 0


@pytest.mark.usefixtures("calculated")
def test_footprints_by_product_category(world: World) -> None:
    (tea,) = OversightService(world.session, world.context("officer")).footprints_by("rule")
    # b uses 24,000 kWh less: 24,000 x 0.5777 / 50,000 = 0.277296 kgCO2e/kg lower
    lower = TEA_TOTAL - 24_000 * 0.5777 / 50_000
    assert (tea.group, tea.products, tea.footprints) == ("tea-green", 2, 2)
    assert tea.minimum == pytest.approx(lower, rel=1e-9)
    assert tea.maximum == pytest.approx(TEA_TOTAL, rel=1e-9)
    assert tea.median == pytest.approx((lower + TEA_TOTAL) / 2, rel=1e-9)
    assert tea.unit == "kgCO2e per 1 kg green tea"


@pytest.mark.usefixtures("calculated")
def test_by_county_does_not_mix_declared_units(world: World) -> None:
    (county,) = OversightService(world.session, world.context("officer")).footprints_by("county")
    assert (county.group, county.footprints) == ("仁怀市", 2)


def test_an_unknown_grouping(world: World) -> None:
    with pytest.raises(InvalidInput, match="group by one of rule, industry, county"):
        OversightService(world.session, world.context("officer")).footprints_by("colour")


@pytest.mark.usefixtures("calculated")
def test_the_audit_log_filters(world: World) -> None:
    log = OversightService(world.session, world.context("officer"))
    computed = log.audit_log(action="footprint.")
    assert computed.total == 2
    assert {event.detail["factor_set"] for event in computed.items} == {"CN-2026.1"}
    assert log.audit_log(action="submission.create", limit=1).total == 3
    assert len(log.audit_log(action="submission.create", limit=1).items) == 1


def test_only_the_regulator_oversees(world: World) -> None:
    with pytest.raises(PermissionDenied):
        OversightService(world.session, world.context("tea_admin")).status_counts()
    with pytest.raises(PermissionDenied):
        OversightService(world.session, world.context("banker")).audit_log()


@pytest.mark.usefixtures("calculated")
def test_through_http(world: World) -> None:
    client = client_for(world)
    overview = client.get("/api/v1/oversight/overview", headers=bearer(world, "officer")).json()
    assert overview["status_counts"]["calculated"] == 2
    page = client.get("/api/v1/audit?action=footprint.", headers=bearer(world, "officer")).json()
    assert page["total"] == 2
    refused = client.get("/api/v1/audit", headers=bearer(world, "tea_admin"))
    assert refused.status_code == 403
