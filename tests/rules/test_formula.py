"""Formulas: safe by construction, unit-checked, and clear when they fail."""

from __future__ import annotations

from typing import Any

import pytest

from tanzuji.errors import FormulaError, UnknownUnit
from tanzuji.rules.formula import Formula
from tanzuji.units import ureg


def q(amount: float, unit: str = "dimensionless") -> Any:
    return ureg.Quantity(amount, unit)


class TestEvaluate:
    def test_calcination_of_one_tonne_of_clinker(self) -> None:
        # IPCC 2006 Vol.3 Eq. 2.4 by oxide: CO2 = clinker x (CaO x 44.01/56.08 + MgO x 44.01/40.30)
        # 1 t x (0.65 x 0.784772 + 0.02 x 1.092060) = 0.510102 + 0.021841 = 0.531943 t
        formula = Formula.parse("clinker * (cao * 44.01 / 56.08 + mgo * 44.01 / 40.30)", "kg")
        result = formula.evaluate({"clinker": q(1, "t"), "cao": q(0.65), "mgo": q(0.02)})
        assert result == pytest.approx(1000 * (0.65 * 44.01 / 56.08 + 0.02 * 44.01 / 40.30))
        assert result == pytest.approx(531.943, rel=1e-5)

    def test_units_convert_to_the_stated_unit(self) -> None:
        formula = Formula.parse("power + imported", "kWh")
        assert formula.evaluate({"power": q(2, "MWh"), "imported": q(500, "kWh")}) == 2500.0

    def test_functions(self) -> None:
        formula = Formula.parse("max(0, sum(a, b, c) - min(a, b))", "kg")
        values = {"a": q(1, "kg"), "b": q(2, "kg"), "c": q(3, "kg")}
        assert formula.evaluate(values) == 5.0

    def test_names(self) -> None:
        assert Formula.parse("urea * n + max(x, y)", "kg").names == {"urea", "n", "x", "y"}


class TestRefused:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("__import__('os').system('true')", "only min, max, sum may be called"),
            ("urea.real", "Attribute is not allowed"),
            ("urea[0]", "Subscript is not allowed"),
            ("'text'", "only numbers may be written literally"),
            ("a if b else c", "IfExp is not allowed"),
            ("lambda: 1", "Lambda is not allowed"),
            ("a // b", "the operator FloorDiv is not allowed"),
            ("a @ b", "the operator MatMult is not allowed"),
            ("max(a, key=b)", "without keywords"),
            ("a +", "not a valid expression"),
            ("[a, b]", "List is not allowed"),
            ("a < b", "Compare is not allowed"),
        ],
    )
    def test_unsafe_or_unknown_syntax(self, text: str, message: str) -> None:
        with pytest.raises(FormulaError, match=message):
            Formula.parse(text, "kg", rule="tea-green@2026.1")

    def test_error_names_the_rule(self) -> None:
        with pytest.raises(FormulaError, match=r"rule tea-green@2026\.1, formula 'a // b'"):
            Formula.parse("a // b", "kg", rule="tea-green@2026.1")


class TestFailsOnData:
    def test_division_by_zero_names_formula_and_inputs(self) -> None:
        formula = Formula.parse("fuel / output", "kg", rule="coke@2026.1")
        with pytest.raises(
            FormulaError,
            match=r"rule coke@2026\.1, formula 'fuel / output' with fuel = 3 t, "
            r"output = 0: divides by zero",
        ):
            formula.evaluate({"fuel": q(3, "t"), "output": q(0)})

    def test_incompatible_units(self) -> None:
        formula = Formula.parse("power + coal", "kg")
        with pytest.raises(FormulaError, match="mixes units that do not fit"):
            formula.evaluate({"power": q(1, "kWh"), "coal": q(1, "kg")})

    def test_result_in_the_wrong_unit(self) -> None:
        with pytest.raises(FormulaError, match="the result must be in kg"):
            Formula.parse("power * 2", "kg").evaluate({"power": q(1, "kWh")})

    def test_negative_emission(self) -> None:
        formula = Formula.parse("drained - flared", "kg")
        with pytest.raises(FormulaError, match="gives -5 kg, which cannot be negative"):
            formula.evaluate({"drained": q(10, "kg"), "flared": q(15, "kg")})

    def test_negative_allowed_where_stated(self) -> None:
        formula = Formula.parse("uptake - release", "kg", may_be_negative=True)
        assert formula.evaluate({"uptake": q(1, "kg"), "release": q(3, "kg")}) == -2.0

    def test_huge_powers_fail_instead_of_hanging(self) -> None:
        with pytest.raises(FormulaError, match="formula '10 \\*\\* 10 \\*\\* 10'"):
            Formula.parse("10 ** 10 ** 10", "kg").evaluate({})

    def test_missing_value(self) -> None:
        with pytest.raises(FormulaError, match="no value for output"):
            Formula.parse("fuel / output", "kg").evaluate({"fuel": q(1, "kg")})


class TestLimits:
    def test_a_long_formula(self) -> None:
        with pytest.raises(FormulaError, match="longer than 500 characters"):
            Formula.parse("steel" + " + steel" * 100, "kg")

    def test_deep_nesting(self) -> None:
        with pytest.raises(FormulaError, match="nested more than 40 deep"):
            Formula.parse("(" * 60 + "a" + ")" * 60 + " + " + "-" * 60 + "a", "kg")

    def test_a_function_used_as_a_value(self) -> None:
        with pytest.raises(FormulaError, match="max is a function; call it"):
            Formula.parse("steel + max", "kg")

    def test_unknown_result_unit(self) -> None:
        with pytest.raises(UnknownUnit, match="unknown unit 'kg\\*\\*'"):
            Formula.parse("x", "kg**")

    def test_plain_numbers_in_messages(self) -> None:
        with pytest.raises(FormulaError, match="with a = 1, b = 0: divides by zero"):
            Formula.parse("a / b", "dimensionless").evaluate({"a": 1.0, "b": 0.0})
