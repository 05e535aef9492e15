"""Submitting activity data: whole, month by month or as the rule's table; checked, calculated,
submitted; refused uploads change nothing; concurrent edits conflict."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from sqlalchemy import func, select

from tanzuji.errors import Conflict, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from tanzuji.rules.workbook import INFO
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.models import Product, Revision, Submission
from tanzuji.workflow import Status
from tests.platform.factories import World
from tests.rules.test_workbook import filled

EXAMPLE = Path(__file__).parents[2] / "examples" / "tea-green.yaml"
TEA_TOTAL = 10.1331900984  # kgCO2e per kg, the example's footprint (tests/rules)


def tea_data(**inputs: Any) -> dict[str, Any]:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data: dict[str, Any] = {
        "rule": "tea-green",
        "geography": raw["geography"],
        "reference_period": {"start": "2025-01-01", "end": "2025-12-31"},
        "inputs": {**raw["inputs"], **inputs},
    }
    return copy.deepcopy(data)


@pytest.fixture
def tea(world: World) -> Product:
    return world.product("tea", "gz-green-tea", "tea-green")


def service(world: World, who: str) -> SubmissionService:
    return SubmissionService(world.session, world.context(who))


class TestEntering:
    def test_json_is_checked_stored_and_calculated(self, world: World, tea: Product) -> None:
        submissions = service(world, "tea_user")
        submission = submissions.create(tea.id, tea_data())
        assert (submission.status, submission.revision) == (Status.DRAFT, 1)
        assert submission.rule_key == "tea-green@2026.1"
        footprint = submissions.calculate(submission.id)
        assert footprint.total_kgco2e == pytest.approx(TEA_TOTAL, rel=1e-9)
        assert footprint.factor_set_version == "CN-2026.1"
        assert footprint.result["units"]["kgco2e"] == "kgCO2e per 1 kg green tea"
        assert submission.status is Status.CALCULATED

    def test_every_problem_at_once_and_nothing_stored(self, world: World, tea: Product) -> None:
        data = tea_data(electricity=-5, natural_gas="lots")
        del data["inputs"]["made_tea"]
        with pytest.raises(InvalidInput) as caught:
            service(world, "tea_user").create(tea.id, data)
        fields = {problem["field"] for problem in caught.value.problems}
        assert "inputs.natural_gas.amount" in fields  # a word where a number belongs
        assert world.session.scalar(select(func.count()).select_from(Submission)) == 0

    def test_rule_problems_are_listed_in_both_languages(self, world: World, tea: Product) -> None:
        data = tea_data(electricity=-5)
        del data["inputs"]["made_tea"]
        with pytest.raises(InvalidInput) as caught:
            service(world, "tea_user").create(tea.id, data)
        by_field = {p["field"]: p for p in caught.value.problems}
        assert by_field["made_tea"]["message_en"] == "required input 'made tea produced' is missing"
        assert by_field["electricity"]["message_zh"] == "数值不能为负"
        assert "nothing was stored" in str(caught.value)

    def test_a_warning_needs_a_justification(self, world: World, tea: Product) -> None:
        data = tea_data(electricity=1_000_000)  # 20 kWh per kg, above the 1–15 range
        with pytest.raises(InvalidInput, match="does not meet rule") as caught:
            service(world, "tea_user").create(tea.id, data)
        (problem,) = caught.value.problems
        assert problem["field"] == "electricity"
        assert problem["message_en"].endswith("(a justification is needed)")
        data["justifications"] = {"electricity": "a new cold store ran all year"}
        submission = service(world, "tea_user").create(tea.id, data)
        revision = world.session.scalars(select(Revision)).one()
        assert revision.warnings[0]["justification"] == "a new cold store ran all year"
        assert submission.status is Status.DRAFT

    def test_monthly_entries_add_up(self, world: World, tea: Product) -> None:
        data = tea_data()
        del data["inputs"]["electricity"]
        # 12 months of 20,000 kWh = 240,000 kWh, the example's year
        monthly = [
            {"month": f"2025-{m:02d}", "inputs": {"electricity": 20_000}} for m in range(1, 13)
        ]
        submissions = service(world, "tea_user")
        submission = submissions.create(tea.id, data, monthly=monthly)
        assert submissions.calculate(submission.id).total_kgco2e == pytest.approx(
            TEA_TOTAL, rel=1e-9
        )
        revision = world.session.scalars(select(Revision)).one()
        assert revision.data["inputs"]["electricity"]["amount"] == 240_000
        assert len(revision.monthly or []) == 12

    def test_monthly_entries_that_do_not_cover_the_period(self, world: World, tea: Product) -> None:
        data = tea_data()
        del data["inputs"]["electricity"]
        monthly = [{"month": f"2025-{m:02d}", "inputs": {"electricity": 20_000}} for m in (1, 1, 2)]
        monthly.append({"month": "2025-03", "inputs": {"ldpe_packaging_share": 0.5}})
        with pytest.raises(InvalidInput) as caught:
            service(world, "tea_user").create(tea.id, data, monthly=monthly)
        fields = [p["field"] for p in caught.value.problems]
        assert "monthly.2025-01" in fields  # given twice
        assert "monthly.2025-12" in fields  # missing
        assert "monthly.2025-03.ldpe_packaging_share" in fields  # not an input of the rule

    def test_the_rules_excel_table(self, world: World, tea: Product, tmp_path: Path) -> None:
        path = filled(tmp_path)
        submissions = service(world, "tea_user")
        submission = submissions.create_from_table(tea.id, "tea.xlsx", path.read_bytes())
        footprint = submissions.calculate(submission.id)
        assert footprint.total_kgco2e == pytest.approx(TEA_TOTAL, rel=1e-9)

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("tea.pdf", b"%PDF-1.7", "as .xlsx or .csv"),
            ("tea.xlsx", b"not a zip at all", "not an Excel workbook"),
            ("tea.xlsx", b"PK\x03\x04 broken zip", "cannot be opened as .xlsx"),
            ("tea.csv", b"name,amount\n", "column 'part' is missing"),
        ],
    )
    def test_malformed_uploads(
        self, world: World, tea: Product, name: str, content: bytes, message: str
    ) -> None:
        with pytest.raises(InvalidInput) as caught:
            service(world, "tea_user").create_from_table(tea.id, name, content)
        text = str(caught.value) + " ".join(p["message_en"] for p in caught.value.problems)
        assert message in text
        assert world.session.scalar(select(func.count()).select_from(Submission)) == 0

    def test_a_template_of_another_rule_version(
        self, world: World, tea: Product, tmp_path: Path
    ) -> None:
        path = filled(tmp_path)
        book = openpyxl.load_workbook(path)
        book[INFO].cell(row=2, column=2, value="tea-green@2025.9")  # a version never shipped
        book.save(path)
        with pytest.raises(InvalidInput, match="no such rule") as caught:
            service(world, "tea_user").create_from_table(tea.id, "tea.xlsx", path.read_bytes())
        assert caught.value.field == "rule"

    def test_an_oversized_upload(self, world: World, tea: Product) -> None:
        from tanzuji.errors import TooLarge

        with pytest.raises(TooLarge, match="at most 5,242,880"):
            service(world, "tea_user").create_from_table(tea.id, "t.csv", b"x" * 6_000_000)

    def test_one_submission_per_product_and_period(self, world: World, tea: Product) -> None:
        service(world, "tea_user").create(tea.id, tea_data())
        with pytest.raises(Conflict, match="has a submission for 2025-01-01…2025-12-31"):
            service(world, "tea_user").create(tea.id, tea_data())

    def test_data_for_another_rule_or_product(self, world: World, tea: Product) -> None:
        with pytest.raises(InvalidInput, match="accounted under rule tea-green, not cement"):
            service(world, "tea_user").create(tea.id, {**tea_data(), "rule": "cement"})
        with pytest.raises(InvalidInput, match="not 'gz-green-tea'") as caught:
            service(world, "tea_user").create(tea.id, {**tea_data(), "product": "other"})
        assert caught.value.field == "product"


class TestWorkflow:
    def test_submit_needs_a_calculation(self, world: World, tea: Product) -> None:
        submissions = service(world, "tea_user")
        submission = submissions.create(tea.id, tea_data())
        with pytest.raises(IllegalTransition, match="cannot submit a submission that is draft"):
            submissions.submit(submission.id)
        submissions.calculate(submission.id)
        assert submissions.submit(submission.id).status is Status.SUBMITTED
        with pytest.raises(IllegalTransition, match="cannot edit a submission that is submitted"):
            submissions.revise(submission.id, submission.version, tea_data())

    def test_revising_keeps_the_history(self, world: World, tea: Product) -> None:
        submissions = service(world, "tea_user")
        submission = submissions.create(tea.id, tea_data())
        submissions.calculate(submission.id)
        revised = submissions.revise(submission.id, submission.version, tea_data(natural_gas=0))
        assert (revised.revision, revised.status) == (2, Status.DRAFT)
        assert [r.number for r in submissions.revisions(submission.id)] == [1, 2]
        assert [f.revision for f in submissions.footprints(submission.id)] == [1]

    def test_an_edit_from_a_stale_copy_conflicts(self, world: World, tea: Product) -> None:
        submissions = service(world, "tea_user")
        submission = submissions.create(tea.id, tea_data())
        seen = submission.version
        submissions.revise(submission.id, seen, tea_data(natural_gas=20_000))  # one editor wins
        with pytest.raises(Conflict, match="changed meanwhile"):
            submissions.revise(submission.id, seen, tea_data(natural_gas=19_000))
        assert [r.number for r in submissions.revisions(submission.id)] == [1, 2]


class TestAccess:
    def test_another_enterprise_cannot_see_or_touch_it(self, world: World, tea: Product) -> None:
        submission = service(world, "tea_user").create(tea.id, tea_data())
        other = service(world, "coal_admin")
        with pytest.raises(NotFound):
            other.get(submission.id)
        with pytest.raises(NotFound):
            other.calculate(submission.id)
        with pytest.raises(NotFound):
            other.create(tea.id, tea_data())
        assert other.submissions().total == 0

    def test_only_an_enterprise_enters_data(self, world: World, tea: Product) -> None:
        with pytest.raises(PermissionDenied):
            service(world, "auditor").create(tea.id, tea_data())
        with pytest.raises(PermissionDenied):
            service(world, "officer").create(tea.id, tea_data())

    def test_the_regulator_reads_every_submission(self, world: World, tea: Product) -> None:
        submission = service(world, "tea_user").create(tea.id, tea_data())
        assert service(world, "officer").get(submission.id).id == submission.id
        assert service(world, "officer").submissions().total == 1
