"""Units: conversions PCF work needs and errors that name both units."""

from __future__ import annotations

import pytest

from tanzuji.errors import UnitMismatch, UnknownUnit
from tanzuji.units import DeclaredUnit, conversion_factor, convert, is_compatible


class TestConversion:
    @pytest.mark.parametrize(
        ("amount", "source", "target", "expected"),
        [
            (1.0, "MWh", "kWh", 1000.0),
            (1.0, "GJ", "MJ", 1000.0),
            (1.0, "kWh", "MJ", 3.6),
            (2.5, "t", "kg", 2500.0),
            (1.0, "t·km", "kg*km", 1000.0),
            (1.0, "tkm", "t*km", 1.0),
            (1500.0, "L", "m3", 1.5),
            (1.0, "tCO2e", "kgCO2e", 1000.0),
            (3.0, "吨", "kg", 3000.0),
            (2.0, "度", "kWh", 2.0),
            (1.0, "万元", "CNY", 10000.0),
            (1.0, "m³", "L", 1000.0),
            (1.0, "ton", "kg", 1000.0),  # a tonne, never the US short ton
            (1.0, "kt", "t", 1000.0),  # a kilotonne, not a knot
            (2.0, "万吨", "t", 20000.0),
            (1.0, "吨标准煤", "GJ", 29.3076),  # GB/T 2589-2020: 1 kgce = 29.3076 MJ
            (1.0, "万千瓦时", "MWh", 10.0),
        ],
    )
    def test_converts(self, amount: float, source: str, target: str, expected: float) -> None:
        assert convert(amount, source, target) == pytest.approx(expected, rel=1e-12)

    def test_normal_cubic_metre_is_not_a_cubic_metre(self) -> None:
        assert not is_compatible("Nm3", "m3")
        with pytest.raises(UnitMismatch, match="cannot convert Nm3 to m3"):
            conversion_factor("Nm3", "m3")

    def test_co2e_is_not_a_mass_of_product(self) -> None:
        assert not is_compatible("kgCO2e", "kg")

    def test_mismatch_names_both_units_and_the_line(self) -> None:
        with pytest.raises(
            UnitMismatch,
            match=r"cannot convert kWh to kg on line 4 \(electricity\): kWh measures .*"
            r"give the amount in kg .* or choose a factor per kWh",
        ):
            convert(12.0, "kWh", "kg", where="line 4 (electricity)")

    def test_unknown_unit(self) -> None:
        with pytest.raises(UnknownUnit, match="unknown unit 'kilowatthour-ish'"):
            convert(1.0, "kilowatthour-ish", "kWh")

    def test_empty_unit(self) -> None:
        with pytest.raises(UnknownUnit, match="the unit is empty"):
            convert(1.0, " ", "kWh")


class TestDeclaredUnit:
    @pytest.mark.parametrize(
        ("text", "amount", "unit", "description"),
        [
            ("1 t cement", 1.0, "t", "cement"),
            ("1 kg tea", 1.0, "kg", "tea"),
            ("1 kWh battery capacity", 1.0, "kWh", "battery capacity"),
            ("1000 piece", 1000.0, "piece", ""),
        ],
    )
    def test_parse(self, text: str, amount: float, unit: str, description: str) -> None:
        declared = DeclaredUnit.parse(text)
        assert (declared.amount, declared.unit, declared.description) == (amount, unit, description)
        assert str(declared) == text

    def test_in_unit(self) -> None:
        assert DeclaredUnit.parse("1 t cement").in_unit("kg") == 1000.0

    def test_bad_text(self) -> None:
        with pytest.raises(UnknownUnit, match="must read '<amount> <unit> \\[what\\]'"):
            DeclaredUnit.parse("a tonne of cement")

    def test_unknown_unit_in_declared_unit(self) -> None:
        with pytest.raises(ValueError, match="unknown unit 'widgets'"):
            DeclaredUnit.parse("1 widgets cement")
