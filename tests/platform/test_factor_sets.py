"""The factor database: changes proposed with their sources, an impact report that recomputes
every stored footprint in one engine batch, and versions published once and never changed.

The worked example throughout is the green tea of examples/tea-green.yaml (50,000 kg made with
240,000 kWh, CN-GZ, 2025), whose electricity falls back to the national 2024 life-cycle factor
ELEC-LCA-CN-2024 = 0.5777 kgCO2e/kWh. Replacing it with 0.5 kgCO2e/kWh changes the footprint by

    240,000 kWh × (0.5 − 0.5777) kgCO2e/kWh / 50,000 kg = −0.37296 kgCO2e per kg.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tanzuji.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tanzuji.factors import bundled_factor_set, factor_csv
from tanzuji.services import factor_impact
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.models import (
    AuditEvent,
    FactorProposal,
    FactorSetVersion,
    Footprint,
    Product,
)
from tests.platform.api import bearer, client_for
from tests.platform.factories import NOW, World
from tests.platform.test_submissions import TEA_TOTAL, tea_data

MADE_TEA = 50_000  # kg of green tea made in 2025
ELECTRICITY = 240_000  # kWh used to make it
OLD_FACTOR, NEW_FACTOR = 0.5777, 0.5  # kgCO2e/kWh, ELEC-LCA-CN-2024 now and as proposed
TEA_CHANGE = ELECTRICITY * (NEW_FACTOR - OLD_FACTOR) / MADE_TEA  # −0.37296 kgCO2e per kg
PER_KG_TEA = "kgCO2e per 1 kg green tea"


@pytest.fixture(autouse=True)
def installed_earlier(world: World) -> None:
    """The bundled version as registered when the platform was installed, a month before the
    test's day, so that a version published on the test's day is the latest."""
    for stored in world.session.scalars(select(FactorSetVersion)):
        stored.published_at = NOW - datetime.timedelta(days=30)
    world.session.flush()


@pytest.fixture
def institute(world: World) -> World:
    """The world with the research institute authorized by the regulator."""
    world.organizations["institute"].may_propose_factors = True
    world.session.flush()
    return world


@pytest.fixture
def tea(world: World) -> Product:
    return world.product("tea", "gz-green-tea", "tea-green")


def factor_sets(world: World, who: str) -> FactorSetService:
    return FactorSetService(world.session, world.context(who))


def calculated(world: World, product: Product, data: dict[str, Any]) -> Footprint:
    """A submission of ``data``, calculated (the clock then moves on an hour)."""
    submissions = SubmissionService(world.session, world.context("tea_user"))
    submission = submissions.create(product.id, data)
    footprint = submissions.calculate(submission.id)
    world.clock.advance(hours=1)
    return footprint


def tea_2023(**inputs: Any) -> dict[str, Any]:
    """The same plant's 2023: its electricity falls back to ELEC-LCA-CN-2023 (0.6205)."""
    data = tea_data(**inputs)
    data["reference_period"] = {"start": "2023-01-01", "end": "2023-12-31"}
    return data


def row_of(factor_id: str, **cells: str) -> dict[str, str]:
    """The CN-2026.1 table row of ``factor_id`` (column → text), with ``cells`` changed."""
    (row,) = csv.DictReader(io.StringIO(factor_csv([bundled_factor_set()[factor_id]])))
    return {**{k: v for k, v in row.items() if v}, **cells}


def electricity_row(co2e: float = NEW_FACTOR) -> dict[str, str]:
    return row_of(
        "ELEC-LCA-CN-2024",
        CO2e=str(co2e),
        published=f"{co2e} kgCO2e/kWh",
        source="示例研究院, 贵州电网全生命周期排放因子复核 (illustrative)",
        confidence="estimate",
    )


def propose_electricity(world: World, who: str = "officer") -> FactorProposal:
    return factor_sets(world, who).propose(
        "replace", "ELEC-LCA-CN-2024", electricity_row(), "复核后的2024年电力碳足迹因子"
    )


def proposal_count(world: World) -> int:
    return world.session.scalar(select(func.count()).select_from(FactorProposal)) or 0


def audit_actions(world: World) -> list[str]:
    return list(world.session.scalars(select(AuditEvent.action).order_by(AuditEvent.at)))


class TestProposing:
    def test_the_regulator_proposes_a_replacement_with_its_source(self, world: World) -> None:
        proposal = propose_electricity(world)
        assert (proposal.change, proposal.factor_id, proposal.status) == (
            "replace",
            "ELEC-LCA-CN-2024",
            "open",
        )
        assert proposal.factor is not None
        assert proposal.factor["CO2e"] == "0.5"
        assert proposal.factor["source"].startswith("示例研究院")
        assert proposal.organization_id == world.organizations["regulator"].id
        assert "factor.propose" in audit_actions(world)

    def test_an_institute_proposes_only_when_authorized(self, world: World) -> None:
        with pytest.raises(PermissionDenied, match="research institute it authorized"):
            propose_electricity(world, "researcher")
        assert proposal_count(world) == 0
        world.organizations["institute"].may_propose_factors = True
        proposal = propose_electricity(world, "researcher")
        assert proposal.organization_id == world.organizations["institute"].id

    @pytest.mark.parametrize("who", ["banker", "tea_admin", "auditor", "purchaser"])
    def test_nobody_else_proposes(self, institute: World, who: str) -> None:
        with pytest.raises(PermissionDenied):
            propose_electricity(institute, who)

    def test_every_bad_cell_is_named_by_its_column(self, world: World) -> None:
        row = {**electricity_row(), "CO2e": "lots", "dq_temporal": "7"}
        with pytest.raises(InvalidInput) as caught:
            factor_sets(world, "officer").propose("replace", "ELEC-LCA-CN-2024", row, "复核")
        fields = {p["field"]: p["message"] for p in caught.value.problems}
        assert fields["factor.CO2e"] == (
            "'lots' is not valid: could not convert string to float: 'lots'"
        )
        assert "factor.dq_temporal" in fields
        assert caught.value.field == "factor.CO2e"
        assert proposal_count(world) == 0

    def test_a_row_carries_its_source(self, world: World) -> None:
        row = electricity_row()
        del row["source"]
        with pytest.raises(InvalidInput, match="required column is missing") as caught:
            factor_sets(world, "officer").propose("replace", "ELEC-LCA-CN-2024", row, "复核")
        assert caught.value.field == "factor.source"
        with pytest.raises(InvalidInput, match="is empty but required") as caught:
            factor_sets(world, "officer").propose(
                "replace", "ELEC-LCA-CN-2024", {**row, "source": " "}, "复核"
            )
        assert caught.value.field == "factor.source"

    def test_an_unknown_column_is_named(self, world: World) -> None:
        row = {**electricity_row(), "colour": "green"}
        with pytest.raises(InvalidInput, match="unknown column") as caught:
            factor_sets(world, "officer").propose("replace", "ELEC-LCA-CN-2024", row, "复核")
        assert caught.value.field == "factor.colour"

    def test_add_needs_a_new_id_replace_and_retire_an_existing_one(self, world: World) -> None:
        service = factor_sets(world, "officer")
        with pytest.raises(InvalidInput, match="has ELEC-LCA-CN-2024 already") as caught:
            service.propose("add", "ELEC-LCA-CN-2024", electricity_row(), "复核")
        assert caught.value.field == "factor_id"
        with pytest.raises(InvalidInput, match="has no ELEC-LCA-GZ-2024") as caught:
            service.propose("retire", "ELEC-LCA-GZ-2024", None, "不再适用")
        assert caught.value.field == "factor_id"
        assert proposal_count(world) == 0

    def test_an_added_factor_gets_its_id_from_the_proposal(self, world: World) -> None:
        row = electricity_row()
        del row["id"]
        row |= {"geography": "CN-GZ", "name_en": "Guizhou grid life-cycle factor 2024"}
        proposal = factor_sets(world, "officer").propose("add", "ELEC-LCA-GZ-2024", row, "省级因子")
        assert proposal.factor is not None
        assert proposal.factor["id"] == "ELEC-LCA-GZ-2024"

    def test_the_row_and_the_proposal_name_the_same_factor(self, world: World) -> None:
        with pytest.raises(InvalidInput, match="the row is for factor") as caught:
            factor_sets(world, "officer").propose(
                "replace", "ELEC-LCA-CN-2023", electricity_row(), "复核"
            )
        assert caught.value.field == "factor.id"

    def test_an_addition_a_lookup_could_not_tell_apart_is_refused(self, world: World) -> None:
        twin = {**electricity_row(), "id": "ELEC-LCA-CN-2024B"}  # same activity, place and year
        with pytest.raises(InvalidInput, match="a lookup could not choose") as caught:
            factor_sets(world, "officer").propose("add", "ELEC-LCA-CN-2024B", twin, "复核")
        assert caught.value.field == "factor"

    @pytest.mark.parametrize(
        ("change", "factor", "reason", "field"),
        [
            ("edit", None, "复核", "change"),
            ("retire", {"CO2e": "1"}, "不再适用", "factor"),
            ("replace", None, "复核", "factor"),
            ("retire", None, "  ", "reason"),
        ],
    )
    def test_what_a_proposal_needs(
        self, world: World, change: str, factor: dict[str, str] | None, reason: str, field: str
    ) -> None:
        with pytest.raises(InvalidInput) as caught:
            factor_sets(world, "officer").propose(change, "ELEC-LCA-CN-2024", factor, reason)
        assert caught.value.field == field
        assert proposal_count(world) == 0


class TestReviewing:
    def test_proposals_by_status_and_an_institute_sees_its_own(self, institute: World) -> None:
        mine = propose_electricity(institute, "researcher")
        theirs = factor_sets(institute, "officer").propose(
            "retire", "ELEC-LCA-CN-2023", None, "已被2024年因子取代"
        )
        everything = factor_sets(institute, "officer").proposals()
        assert {p.id for p in everything.items} == {mine.id, theirs.id}
        assert [p.id for p in factor_sets(institute, "researcher").proposals().items] == [mine.id]
        assert factor_sets(institute, "officer").proposals("rejected").total == 0
        with pytest.raises(InvalidInput, match="status is one of") as caught:
            factor_sets(institute, "officer").proposals("pending")
        assert caught.value.field == "status"
        with pytest.raises(PermissionDenied):
            factor_sets(institute, "banker").proposals()

    def test_the_regulator_rejects_with_a_reason(self, institute: World) -> None:
        proposal = propose_electricity(institute, "researcher")
        with pytest.raises(PermissionDenied):
            factor_sets(institute, "researcher").reject(proposal.id, "撤回")
        with pytest.raises(InvalidInput) as caught:
            factor_sets(institute, "officer").reject(proposal.id, "")
        assert caught.value.field == "reason"
        factor_sets(institute, "officer").reject(proposal.id, "来源未公开")
        institute.session.refresh(proposal)
        assert proposal.status == "rejected"
        assert proposal.decision_reason == "来源未公开"
        assert proposal.decided_by == institute.users["officer"].id
        with pytest.raises(Conflict, match="rejected already"):
            factor_sets(institute, "officer").reject(proposal.id, "来源未公开")
        with pytest.raises(NotFound):
            factor_sets(institute, "officer").reject(uuid.uuid4(), "来源未公开")
        event = institute.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "factor.reject")
        )
        assert event is not None
        assert event.detail["reason"] == "来源未公开"


class TestImpact:
    def test_the_report_shows_the_tea_footprint_change(self, world: World, tea: Product) -> None:
        footprint = calculated(world, tea, tea_data())
        unchanged = calculated(world, tea, tea_2023())  # uses ELEC-LCA-CN-2023, not 2024
        proposal = propose_electricity(world)
        report = factor_sets(world, "officer").impact([proposal.id])

        assert report.base_version == "CN-2026.1"
        assert report.summary() == {
            "footprints": 2,
            "recomputed": 2,
            "changed": 1,
            "unchanged": 1,
            "not_recomputable": 0,
            "increase": 0,
            "decrease": 1,
        }
        first, second = report.rows  # largest change first
        assert (first.footprint_id, second.footprint_id) == (footprint.id, unchanged.id)
        assert first.product_code == "gz-green-tea"
        assert first.enterprise == "示例茶业"
        assert first.unit == PER_KG_TEA
        assert first.old_total == pytest.approx(TEA_TOTAL, rel=1e-12)
        # 240,000 kWh × (0.5 − 0.5777) kgCO2e/kWh / 50,000 kg = −0.37296 kgCO2e per kg
        assert round(TEA_CHANGE, 12) == -0.37296
        assert first.change == pytest.approx(TEA_CHANGE, rel=1e-9)
        assert first.new_total == pytest.approx(10.1331900984 - 0.37296, rel=1e-9)
        assert first.relative_change == pytest.approx(-0.37296 / 10.1331900984, rel=1e-9)
        assert not second.changed
        assert second.change == pytest.approx(0.0, abs=1e-9)

    def test_the_report_changes_nothing(self, world: World, tea: Product) -> None:
        footprint = calculated(world, tea, tea_data())
        proposal = propose_electricity(world)
        factor_sets(world, "officer").impact([proposal.id])
        assert world.session.scalar(select(func.count()).select_from(Footprint)) == 1
        assert footprint.total_kgco2e == pytest.approx(TEA_TOTAL, rel=1e-12)
        assert proposal.status == "open"
        assert FactorSetService(world.session, world.context("officer")).latest().version == (
            "CN-2026.1"
        )
        assert "factor_set.impact" in audit_actions(world)  # it read every enterprise's data

    def test_one_engine_batch_with_product_ids_made_unique(
        self, world: World, tea: Product, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = calculated(world, tea, tea_data())
        second = calculated(world, tea, tea_2023())  # the same product code, another period
        proposal = propose_electricity(world)
        batches: list[list[str]] = []
        engine = factor_impact.calculate

        def counting(models: Any, *args: Any, **kwargs: Any) -> Any:
            models = list(models)
            batches.append([model.id for model in models])
            return engine(models, *args, **kwargs)

        monkeypatch.setattr(factor_impact, "calculate", counting)
        factor_sets(world, "officer").impact([proposal.id])
        (batch,) = batches  # one call of the engine for every footprint
        assert sorted(batch) == sorted(
            [f"{first.submission_id}:gz-green-tea", f"{second.submission_id}:gz-green-tea"]
        )

    def test_only_the_newest_footprint_of_the_current_revision(
        self, world: World, tea: Product
    ) -> None:
        footprint = calculated(world, tea, tea_data())
        again = SubmissionService(world.session, world.context("tea_user")).calculate(
            footprint.submission_id
        )
        proposal = propose_electricity(world)
        (row,) = factor_sets(world, "officer").impact([proposal.id]).rows
        assert row.footprint_id == again.id

    def test_a_retired_factor_leaves_footprints_not_recomputable(
        self, world: World, tea: Product
    ) -> None:
        packed = calculated(world, tea, tea_data())  # 1,600 kg of LDPE packaging
        data = tea_2023()
        del data["inputs"]["ldpe_packaging"]
        unpacked = calculated(world, tea, data)
        proposal = factor_sets(world, "officer").propose(
            "retire", "PKG-LDPE", None, "来源过旧，待补充国内数据"
        )
        report = factor_sets(world, "officer").impact([proposal.id])
        (refused,) = report.not_recomputable
        assert refused.footprint_id == packed.id
        assert "no factor 'PKG-LDPE'" in refused.reason
        (row,) = report.rows
        assert (row.footprint_id, row.changed) == (unpacked.id, False)

    def test_a_left_out_line_above_the_cut_off_fails_the_rule_check(
        self, world: World, tea: Product
    ) -> None:
        # fresh-leaf transport left out: 2,700 t·km × 0.179 kgCO2e/(t·km) = 483.3 kg, 0.1 % of
        # the 506,660 kg total, within the 1 % single-line cut-off; at 20 kgCO2e/(t·km) it
        # would be 54,000 kg, about 10 %.
        data = tea_data()
        data["excluded"] = {"leaf_transport": "鲜叶由合作社自行运送，排放甚小"}
        calculated(world, tea, data)
        proposal = factor_sets(world, "officer").propose(
            "replace",
            "FRT-ROAD-DSL-8T",
            row_of("FRT-ROAD-DSL-8T", CO2e="20", source="示例研究院, 山区短途运输实测"),
            "山区道路油耗远高于平原",
        )
        (refused,) = factor_sets(world, "officer").impact([proposal.id]).not_recomputable
        assert refused.reason.startswith("the rule check fails: ")
        assert "excluded.leaf_transport" in refused.reason  # the line left out, by its id
        assert "above the single-flow cut-off of 1%" in refused.reason

    def test_only_the_regulator_sees_the_impact(self, institute: World) -> None:
        proposal = propose_electricity(institute, "researcher")
        for who in ("researcher", "tea_admin", "banker"):
            with pytest.raises(PermissionDenied):
                factor_sets(institute, who).impact([proposal.id])

    def test_which_proposals(self, world: World) -> None:
        service = factor_sets(world, "officer")
        proposal = propose_electricity(world)
        twin = propose_electricity(world)
        with pytest.raises(InvalidInput, match="both change ELEC-LCA-CN-2024") as caught:
            service.impact([proposal.id, twin.id])
        assert caught.value.field == "proposal_ids"
        with pytest.raises(InvalidInput, match="at least one"):
            service.impact([])
        with pytest.raises(InvalidInput, match="named twice"):
            service.impact([proposal.id, proposal.id])
        with pytest.raises(NotFound):
            service.impact([uuid.uuid4()])
        service.reject(twin.id, "重复")
        with pytest.raises(Conflict, match="is rejected"):
            service.impact([twin.id])


class TestPublishing:
    def test_footprints_keep_their_version_and_new_ones_use_the_new_one(
        self, world: World, tea: Product
    ) -> None:
        footprint = calculated(world, tea, tea_data())
        proposal = propose_electricity(world)
        published = factor_sets(world, "officer").publish(
            "GZ-2026.2", "贵州因子库 2026.2（复核电力因子）", [proposal.id]
        )
        assert published.based_on == "CN-2026.1"
        assert published.factor_count == len(bundled_factor_set())
        assert published.sha256 == hashlib.sha256(published.table.encode()).hexdigest()
        assert published.published_by == world.users["officer"].id
        assert (proposal.status, proposal.published_in) == ("published", "GZ-2026.2")

        world.session.expire_all()
        old = world.session.get(Footprint, footprint.id)
        assert old is not None
        assert (old.factor_set_version, old.total_kgco2e) == ("CN-2026.1", TEA_TOTAL)

        assert FactorSetService(world.session, world.context("tea_user")).latest().version == (
            "GZ-2026.2"
        )
        new = SubmissionService(world.session, world.context("tea_user")).calculate(
            footprint.submission_id
        )
        assert new.factor_set_version == "GZ-2026.2"
        # 10.1331900984 − 0.37296 = 9.7602300984 kgCO2e per kg
        assert new.total_kgco2e == pytest.approx(9.7602300984, rel=1e-9)
        event = world.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "factor_set.publish")
        )
        assert event is not None
        assert event.detail["sha256"] == published.sha256
        assert event.detail["factors"] == published.factor_count

    def test_a_published_version_never_changes(self, world: World) -> None:
        service = factor_sets(world, "officer")
        service.publish("GZ-2026.2", "贵州因子库 2026.2", [propose_electricity(world).id])
        before = service.get("GZ-2026.2").sha256
        bundled_before = service.get("CN-2026.1").sha256
        world.clock.advance(days=1)
        again = service.propose("retire", "ELEC-LCA-CN-2023", None, "已被取代")
        for taken in ("GZ-2026.2", "gz-2026.2", "CN-2026.1"):
            with pytest.raises(Conflict, match="exists already") as caught:
                service.publish(taken, "再发布", [again.id])
            assert caught.value.field == "version"
        assert again.status == "open"

        world.session.expire_all()
        stored = service.get("GZ-2026.2")
        assert stored.sha256 == before == hashlib.sha256(stored.table.encode()).hexdigest()
        assert service.get("CN-2026.1").sha256 == bundled_before
        assert service.factor_set("GZ-2026.2")["ELEC-LCA-CN-2024"].gases == {"CO2e": 0.5}
        assert "ELEC-LCA-CN-2023" in service.factor_set("GZ-2026.2")

    def test_the_next_version_builds_on_the_last(self, world: World) -> None:
        service = factor_sets(world, "officer")
        service.publish("GZ-2026.2", "电力因子复核", [propose_electricity(world).id])
        world.clock.advance(days=1)
        retired = service.propose("retire", "ELEC-LCA-CN-2023", None, "已被取代")
        third = service.publish("GZ-2026.3", "退役2023年因子", [retired.id])
        assert third.based_on == "GZ-2026.2"
        assert third.factor_count == len(bundled_factor_set()) - 1
        assert service.factor_set("GZ-2026.3")["ELEC-LCA-CN-2024"].gases == {"CO2e": 0.5}

    def test_a_proposal_decided_meanwhile_is_not_published(self, world: World) -> None:
        proposal = propose_electricity(world)
        # another officer rejects it in a transaction this session has not seen yet
        world.session.execute(
            update(FactorProposal)
            .where(FactorProposal.id == proposal.id)
            .values(status="rejected")
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(Conflict, match="decided by someone else meanwhile"):
            factor_sets(world, "officer").publish("GZ-2026.2", "电力因子复核", [proposal.id])
        assert world.session.get(FactorSetVersion, "GZ-2026.2") is None
        assert proposal.status == "rejected"  # expired by the refusal, read again

    @pytest.mark.parametrize(
        ("version", "title", "field"),
        [("GZ 2026.2", "标题", "version"), ("-GZ", "标题", "version"), ("GZ-2026.2", " ", "title")],
    )
    def test_names_and_titles(self, world: World, version: str, title: str, field: str) -> None:
        proposal = propose_electricity(world)
        with pytest.raises(InvalidInput) as caught:
            factor_sets(world, "officer").publish(version, title, [proposal.id])
        assert caught.value.field == field
        assert world.session.get(FactorSetVersion, version) is None

    def test_only_the_regulator_publishes(self, institute: World) -> None:
        proposal = propose_electricity(institute, "researcher")
        with pytest.raises(PermissionDenied):
            factor_sets(institute, "researcher").publish("GZ-2026.2", "标题", [proposal.id])
        assert proposal.status == "open"


class TestApi:
    @pytest.fixture
    def client(self, world: World) -> TestClient:
        return client_for(world)

    def test_a_published_version_and_its_table(self, world: World, client: TestClient) -> None:
        page = client.get("/api/v1/factor-sets/CN-2026.1", params={"limit": 2, "offset": 1})
        assert page.status_code == 200, page.text
        body = page.json()
        assert (body["version"], body["total"], len(body["items"])) == (
            "CN-2026.1",
            len(bundled_factor_set()),
            2,
        )
        assert "source" in body["items"][0]
        table = client.get("/api/v1/factor-sets/CN-2026.1/table.csv")
        stored = factor_sets(world, "officer").get("CN-2026.1")
        assert table.text == stored.table
        assert table.headers["x-content-sha256"] == stored.sha256
        assert table.headers["content-type"].startswith("text/csv")
        missing = client.get("/api/v1/factor-sets/XX-1/table.csv")
        assert (missing.status_code, missing.json()["code"]) == (404, "not_found")

    def test_propose_review_and_publish(
        self, world: World, tea: Product, client: TestClient
    ) -> None:
        calculated(world, tea, tea_data())
        officer = bearer(world, "officer")
        bad = client.post(
            "/api/v1/factor-proposals",
            json={
                "change": "replace",
                "factor_id": "ELEC-LCA-CN-2024",
                "factor": {**electricity_row(), "CO2e": "lots"},
                "reason": "复核",
            },
            headers=officer,
        )
        assert (bad.status_code, bad.json()["field"]) == (422, "factor.CO2e")
        made = client.post(
            "/api/v1/factor-proposals",
            json={
                "change": "replace",
                "factor_id": "ELEC-LCA-CN-2024",
                "factor": {**electricity_row(), "CO2e": 0.5},
                "reason": "复核",
            },
            headers=officer,
        )
        assert made.status_code == 201, made.text
        proposal_id = made.json()["id"]
        listed = client.get("/api/v1/factor-proposals", params={"status": "open"}, headers=officer)
        assert [p["id"] for p in listed.json()["items"]] == [proposal_id]

        impact = client.post(
            "/api/v1/factor-sets/impact", json={"proposal_ids": [proposal_id]}, headers=officer
        )
        assert impact.status_code == 200, impact.text
        (row,) = impact.json()["items"]
        assert row["change"]["unit"] == PER_KG_TEA
        assert row["change"]["value"] == pytest.approx(-0.37296, rel=1e-9)
        assert impact.json()["summary"]["changed"] == 1

        body = {"version": "GZ-2026.2", "title": "复核电力因子", "proposal_ids": [proposal_id]}
        published = client.post("/api/v1/factor-sets", json=body, headers=officer)
        assert published.status_code == 201, published.text
        assert published.json()["based_on"] == "CN-2026.1"
        again = client.post("/api/v1/factor-sets", json=body, headers=officer)
        assert (again.status_code, again.json()["code"]) == (409, "conflict")

    def test_rejecting_and_who_may(self, institute: World, client: TestClient) -> None:
        proposal = propose_electricity(institute, "researcher")
        # a token cannot carry factor:propose for a research institute: it proposes signed in
        refused = client.post(
            "/api/v1/factor-proposals",
            json={"change": "retire", "factor_id": "ELEC-LCA-CN-2023", "reason": "已被取代"},
            headers=bearer(institute, "researcher"),
        )
        assert refused.status_code == 403
        rejected = client.post(
            f"/api/v1/factor-proposals/{proposal.id}/reject",
            json={"reason": "来源未公开"},
            headers=bearer(institute, "officer"),
        )
        assert rejected.json()["status"] == "rejected"
        impact = client.post(
            "/api/v1/factor-sets/impact",
            json={"proposal_ids": [str(proposal.id)]},
            headers=bearer(institute, "tea_admin"),
        )
        assert impact.status_code == 403
