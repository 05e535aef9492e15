"""GWP sets and characterization of a gas inventory."""

from __future__ import annotations

import pytest

from tanzuji.errors import UnknownGas
from tanzuji.flows import Flow, Origin
from tanzuji.gwp import AR5, AR6, characterize, gwp_set


class TestValues:
    @pytest.mark.parametrize(
        ("flow", "ar6", "ar5"),
        [
            ("CO2", 1.0, 1.0),
            ("CH4", 29.8, 30.0),
            ("CH4-biogenic", 27.0, 28.0),
            ("CH4-luc", 27.0, 28.0),
            ("N2O", 273.0, 265.0),
            ("SF6", 25200.0, 23500.0),
            ("NF3", 17400.0, 16100.0),
            ("HFC-134a", 1530.0, 1300.0),
            ("CF4", 7380.0, 6630.0),
            ("CO2-biogenic", 1.0, 1.0),
            ("CO2e", 1.0, 1.0),
        ],
    )
    def test_value(self, flow: str, ar6: float, ar5: float) -> None:
        assert AR6.factor(Flow.parse(flow)) == ar6
        assert AR5.factor(Flow.parse(flow)) == ar5

    def test_every_value_names_its_table(self) -> None:
        assert AR6.source_of(Flow("N2O")).endswith("Table 7.15")
        assert AR6.source_of(Flow("SF6")).endswith("Table 7.SM.7")
        assert "Table 8.A.1" in AR5.source_of(Flow("N2O"))

    def test_unknown_set(self) -> None:
        with pytest.raises(UnknownGas, match="unknown GWP set 'AR4': choose one of AR6, AR5"):
            gwp_set("AR4")

    def test_set_by_name_any_case(self) -> None:
        assert gwp_set("ar5") is AR5


class TestCharacterize:
    def test_worked_example(self) -> None:
        # 10 kg CO2 + 0.5 kg fossil CH4 + 0.2 kg biogenic CH4 + 0.01 kg N2O (AR6):
        # 10 + 0.5 x 29.8 + 0.2 x 27.0 + 0.01 x 273 = 10 + 14.9 + 5.4 + 2.73 = 33.03
        result = characterize({"CO2": 10.0, "CH4": 0.5, "CH4-biogenic": 0.2, "N2O": 0.01})
        assert result.total == pytest.approx(33.03, rel=1e-12)
        assert result.by_origin[Origin.FOSSIL] == pytest.approx(27.63, rel=1e-12)
        assert result.by_origin[Origin.BIOGENIC] == pytest.approx(5.4, rel=1e-12)

    def test_switching_the_set_is_one_argument(self) -> None:
        # AR5: 10 + 0.5 x 30 = 25
        assert characterize({"CO2": 10.0, "CH4": 0.5}, "AR5").total == pytest.approx(25.0)

    def test_unknown_gas(self) -> None:
        with pytest.raises(UnknownGas, match="unknown gas 'CO3'"):
            characterize({"CO3": 1.0})


class TestFlow:
    def test_round_trip(self) -> None:
        for text in ("CO2", "CH4-biogenic", "CO2-luc", "c-C4F8", "CO2e-biogenic"):
            assert str(Flow.parse(text)) == text

    def test_aliases(self) -> None:
        assert Flow.parse("PFC-14") == Flow("CF4")
        assert Flow.parse("ch4-fossil") == Flow("CH4", Origin.FOSSIL)
