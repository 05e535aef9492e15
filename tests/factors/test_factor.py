"""EmissionFactor: gases per unit, characterization, validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tanzuji.factors import DataQuality
from tanzuji.flows import Flow, Origin
from tests.conftest import make_factor


class TestEmissionFactor:
    def test_co2e_per_gas_and_set(self) -> None:
        diesel = make_factor(unit="t", gases={"CO2": 3000.0, "CH4": 0.1, "N2O": 0.05})
        # AR6: 3000 + 0.1 x 29.8 + 0.05 x 273 = 3000 + 2.98 + 13.65 = 3016.63
        assert diesel.co2e() == pytest.approx(3016.63, rel=1e-12)
        # AR5: 3000 + 0.1 x 30 + 0.05 x 265 = 3016.25
        assert diesel.co2e("AR5") == pytest.approx(3016.25, rel=1e-12)

    def test_gas_keys_are_made_canonical(self) -> None:
        factor = make_factor(gases={"co2": 1.0, "ch4-biogenic": 0.5})
        assert factor.gases == {"CO2": 1.0, "CH4-biogenic": 0.5}
        assert factor.flows[Flow("CH4", Origin.BIOGENIC)] == 0.5

    def test_only_biogenic_flows_may_be_negative(self) -> None:
        assert make_factor(gases={"CO2-biogenic": -1.5}).co2e() == -1.5
        with pytest.raises(ValidationError, match="only biogenic flows"):
            make_factor(gases={"CO2": -1.0})

    def test_validity(self) -> None:
        factor = make_factor(valid_from=2021, valid_to=2023)
        assert factor.valid_in(2022)
        assert not factor.valid_in(2024)
        with pytest.raises(ValidationError, match="valid_from 2024 is after valid_to 2023"):
            make_factor(valid_from=2024, valid_to=2023)

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("unit", "kWhh", "unknown unit 'kWhh'"),
            ("geography", "CN-XX", "unknown geography 'CN-XX'"),
            ("gases", {"XO2": 1.0}, "unknown gas 'XO2'"),
            ("gases", {}, "at least 1 item"),
            ("id", "bad id", "should match pattern"),
            ("data_quality", {"technological": 0, "temporal": 1, "geographical": 1}, "greater"),
        ],
    )
    def test_bad_field_names_the_problem(self, field: str, value: object, message: str) -> None:
        with pytest.raises(ValidationError, match=message) as caught:
            make_factor(**{field: value})
        assert caught.value.errors()[0]["loc"][0] == field

    def test_scaled(self) -> None:
        assert make_factor(gases={"CO2": 2.0, "N2O": 1.0}).scaled(3.0).gases == {
            "CO2": 6.0,
            "N2O": 3.0,
        }


def test_data_quality_rating_is_the_mean() -> None:
    assert DataQuality(technological=1, temporal=2, geographical=4).rating == pytest.approx(7 / 3)
