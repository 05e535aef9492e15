"""Product models: stages within the boundary, one target per line, allocation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tanzuji.errors import UnknownProduct
from tanzuji.model import Boundary, Network, Stage
from tests.conftest import line, make_model


class TestLines:
    def test_lines_come_in_stage_order(self) -> None:
        model = make_model(
            stages={
                "production": [line("power", 10, "kWh", factor="F-ELEC")],
                "raw_material_acquisition": [line("ore", 1, "t", factor="F-ORE")],
            }
        )
        assert [(stage, item.name) for stage, item in model.lines()] == [
            (Stage.RAW_MATERIAL_ACQUISITION, "ore"),
            (Stage.PRODUCTION, "power"),
        ]

    @pytest.mark.parametrize(
        ("target", "message"),
        [
            ({}, "exactly one of factor, activity, product or emission \\(it names none\\)"),
            ({"factor": "A", "product": "b"}, "it names factor, product"),
        ],
    )
    def test_exactly_one_target(self, target: dict[str, str], message: str) -> None:
        with pytest.raises(ValidationError, match=message):
            make_model(stages={"production": [line("x", 1, "kg", **target)]})

    def test_negative_amount(self) -> None:
        with pytest.raises(ValidationError, match="greater than or equal to 0") as caught:
            make_model(stages={"production": [line("x", -1, "kg", factor="A")]})
        assert caught.value.errors()[0]["loc"] == ("stages", "production", 0, "amount")

    def test_stage_outside_the_boundary(self) -> None:
        with pytest.raises(
            ValidationError, match="stage\\(s\\) use lie outside the cradle-to-gate"
        ):
            make_model(stages={"use": [line("x", 1, "kWh", factor="A")]})

    def test_unknown_stage(self) -> None:
        with pytest.raises(ValidationError, match="Input should be 'raw_material_acquisition'"):
            make_model(stages={"packing": []})

    def test_boundaries(self) -> None:
        assert Boundary.GATE_TO_GATE.stages == {Stage.PRODUCTION}
        assert Boundary.CRADLE_TO_GRAVE.stages == set(Stage)

    def test_declared_unit_must_fit_the_output(self) -> None:
        with pytest.raises(ValidationError, match="cannot convert kWh to kg"):
            make_model(declared_unit="1 kWh battery capacity")


class TestAllocation:
    def coke_plant(self, **allocation: object) -> object:
        """1,000 t coke with 450,000 Nm3... here simplified to masses: 1,000 t coke, 40 t tar."""
        return make_model(
            "coke",
            reference_output={"amount": 1000, "unit": "t"},
            declared_unit="1 t coke",
            co_products=[{"id": "tar", "name": "coal tar", "amount": 40, "unit": "t"}],
            allocation=allocation,
        )

    def test_mass(self) -> None:
        model = self.coke_plant(method="mass")
        # 1,000 t / 1,040 t and 40 t / 1,040 t
        assert model.allocation_factors() == pytest.approx({"coke": 1000 / 1040, "tar": 40 / 1040})

    def test_economic_with_prices_in_other_units(self) -> None:
        model = self.coke_plant(
            method="economic", basis={"coke": 2.0, "tar": 3000.0}, basis_unit="CNY/kg"
        )
        # revenue: coke 1,000,000 kg x 2 = 2,000,000; tar 40 t x 3,000 CNY/kg ... per kg
        coke, tar = 1_000_000 * 2.0, 40_000 * 3000.0
        assert model.allocation_factors() == pytest.approx(
            {"coke": coke / (coke + tar), "tar": tar / (coke + tar)}
        )

    def test_missing_basis(self) -> None:
        with pytest.raises(ValidationError, match="no basis for output 'tar'"):
            self.coke_plant(method="economic", basis={"coke": 2.0}, basis_unit="CNY/kg")

    def test_basis_per_unit_of_each_output_as_stated(self) -> None:
        # 28 GJ per t of coke x 1,000 t and 37 GJ per t of tar x 40 t: no conversion
        model = self.coke_plant(method="physical", basis={"coke": 28, "tar": 37}, basis_unit="GJ")
        coke, tar = 28 * 1000, 37 * 40
        assert model.allocation_factors() == pytest.approx(
            {"coke": coke / (coke + tar), "tar": tar / (coke + tar)}
        )

    def test_unknown_basis_unit(self) -> None:
        with pytest.raises(ValidationError, match="unknown unit 'megajoules-ish'"):
            self.coke_plant(
                method="physical", basis={"coke": 1, "tar": 1}, basis_unit="megajoules-ish"
            )

    def test_basis_for_an_output_that_does_not_exist(self) -> None:
        with pytest.raises(ValidationError, match="allocation basis names taar, which are not"):
            self.coke_plant(
                method="economic", basis={"coke": 2.0, "taar": 3.0}, basis_unit="CNY/kg"
            )

    def test_mass_allocation_takes_no_basis(self) -> None:
        with pytest.raises(ValidationError, match="give no basis"):
            self.coke_plant(method="mass", basis={"coke": 1.0, "tar": 1.0})

    def test_co_products_need_an_allocation(self) -> None:
        with pytest.raises(ValidationError, match="needs an allocation"):
            make_model(co_products=[{"id": "b", "name": "b", "amount": 1, "unit": "kg"}])


class TestNetwork:
    def test_unknown_product(self) -> None:
        model = make_model(stages={"production": [line("steel", 1, "t", product="steel")]})
        with pytest.raises(UnknownProduct, match="line 'steel' needs product 'steel'"):
            Network([model])

    def test_ids_are_unique(self) -> None:
        with pytest.raises(ValueError, match="product id 'widget' is used by both"):
            Network([make_model(), make_model()])
