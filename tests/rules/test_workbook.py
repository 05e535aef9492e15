"""The Excel template: written from the rule, filled by an enterprise, read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from tanzuji.errors import ActivityDataError
from tanzuji.factors import bundled_factor_set
from tanzuji.rules import account, find_rule, load_activity_data
from tanzuji.rules.workbook import CUT_OFF, INFO, INPUTS, write_template
from tanzuji.uncertainty import Lognormal

EXAMPLE = Path(__file__).parents[2] / "examples" / "tea-green.yaml"
INFO_VALUES = {
    3: "gz-green-tea",  # product
    4: "贵州绿茶",
    5: "green tea",
    6: "示例茶业",
    7: "CN-GZ",
    8: "2025-01-01",
    9: "2025-12-31",
}


def filled(tmp_path: Path, **overrides: Any) -> Path:
    """The green tea template filled with the example's numbers (and ``overrides``)."""
    path = write_template(find_rule("tea-green"), tmp_path / "tea.xlsx")
    book = openpyxl.load_workbook(path)
    for row, value in INFO_VALUES.items():
        book[INFO].cell(row=row, column=2, value=value)
    inputs = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["inputs"] | overrides
    sheet = book[INPUTS]
    for row in range(2, sheet.max_row + 1):
        value = inputs.get(sheet.cell(row=row, column=1).value)
        if isinstance(value, dict):
            sheet.cell(row=row, column=4, value=value["amount"])
            sheet.cell(row=row, column=3, value=value.get("unit", sheet.cell(row, 3).value))
            sheet.cell(row=row, column=5, value=value.get("data_type", "primary"))
        elif value is not None:
            sheet.cell(row=row, column=4, value=value)
    book.save(path)
    return path


def test_the_template_lists_every_input_in_chinese_with_units_and_ranges(tmp_path: Path) -> None:
    rule = find_rule("tea-green")
    book = openpyxl.load_workbook(write_template(rule, tmp_path / "t.xlsx"))
    rows = list(book[INPUTS].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [spec.name for spec in rule.inputs]
    electricity = next(row for row in rows if row[0] == "electricity")
    assert electricity[1] == "加工用电量 electricity for processing"
    assert electricity[2] == "kWh"
    assert electricity[7] == "1–15 kWh /kg"
    assert book[INFO]["B2"].value == "tea-green@2026.1"


def test_a_filled_template_gives_the_examples_footprint(tmp_path: Path) -> None:
    data = load_activity_data(filled(tmp_path))
    footprint = account(find_rule("tea-green"), data, bundled_factor_set())
    assert footprint.total_kgco2e == pytest.approx(10.1331900984, rel=1e-9)


def test_a_word_where_a_number_belongs(tmp_path: Path) -> None:
    with pytest.raises(ActivityDataError) as caught:
        load_activity_data(filled(tmp_path, electricity="about 240 MWh"))
    ((row, field, message),) = caught.value.problems
    assert field == f"{INPUTS}: D{row} (electricity)"
    assert message == "'about 240 MWh' is not a number"


def test_missing_product_id_names_the_info_row(tmp_path: Path) -> None:
    path = filled(tmp_path)
    book = openpyxl.load_workbook(path)
    book[INFO]["B3"] = None
    book.save(path)
    with pytest.raises(ActivityDataError) as caught:
        load_activity_data(path)
    assert (
        3,
        f"{INFO}: product",
        "String should match pattern '^[A-Za-z0-9][A-Za-z0-9._:/-]*$'",
    ) in caught.value.problems


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(ActivityDataError, match=r"cannot be opened as \.xlsx"):
        load_activity_data(path)


def test_a_decimal_comma_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ActivityDataError, match="'1,5' is not a number"):
        load_activity_data(filled(tmp_path, made_tea="1,5"))


def test_thousands_separators_are_read(tmp_path: Path) -> None:
    data = load_activity_data(filled(tmp_path, made_tea="50,000"))
    assert data.value("made_tea") is not None
    assert data.value("made_tea").amount == 50000.0  # type: ignore[union-attr]


def test_uncertainty_and_a_line_left_out(tmp_path: Path) -> None:
    path = filled(tmp_path)
    book = openpyxl.load_workbook(path)
    inputs, cut_off = book[INPUTS], book[CUT_OFF]
    electricity = next(
        r for r in range(2, inputs.max_row + 1) if inputs.cell(r, 1).value == "electricity"
    )
    inputs.cell(row=electricity, column=11, value="lognormal gsd=1.02")
    k2o = next(
        r
        for r in range(2, cut_off.max_row + 1)
        if cut_off.cell(r, 1).value == "compound_k_manufacture"
    )
    cut_off.cell(row=k2o, column=4, value="below 1 %")
    book.save(path)
    data = load_activity_data(path)
    assert data.value("electricity").uncertainty == Lognormal(gsd=1.02)  # type: ignore[union-attr]
    assert data.excluded == {"compound_k_manufacture": "below 1 %"}
    footprint = account(find_rule("tea-green"), data, bundled_factor_set())
    assert footprint.total_kgco2e == pytest.approx(10.1331900984 - 0.0594, rel=1e-9)


def test_a_bad_uncertainty_names_its_cell(tmp_path: Path) -> None:
    path = filled(tmp_path)
    book = openpyxl.load_workbook(path)
    book[INPUTS].cell(row=2, column=11, value="about 5 %")
    book.save(path)
    with pytest.raises(ActivityDataError) as caught:
        load_activity_data(path)
    ((row, field, message),) = caught.value.problems
    assert (row, field) == (2, f"{INPUTS}: K2 (made_tea)")
    assert message.startswith("'about 5 %': write e.g. 'lognormal gsd=1.1'")


def test_a_workbook_without_the_cut_off_sheet_still_reads(tmp_path: Path) -> None:
    path = filled(tmp_path)
    book = openpyxl.load_workbook(path)
    del book[CUT_OFF]
    book.save(path)
    assert load_activity_data(path).excluded == {}
