"""The CSV entry table: written from the rule, filled by an enterprise, read back."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml

from tanzuji.errors import ActivityDataError
from tanzuji.factors import bundled_factor_set
from tanzuji.rules import account, find_rule, load_activity_data
from tanzuji.rules.entry_csv import write_entry_csv
from tanzuji.uncertainty import Lognormal

EXAMPLE = Path(__file__).parents[2] / "examples" / "tea-green.yaml"
INFO = {
    "product": "gz-green-tea",
    "name_zh": "贵州绿茶",
    "name_en": "green tea",
    "geography": "CN-GZ",
    "start": "2025-01-01",
    "end": "2025-12-31",
}


def filled(tmp_path: Path, reasons: dict[str, str] | None = None, **overrides: Any) -> Path:
    """The green tea CSV table filled with the example's numbers (and ``overrides``)."""
    path = write_entry_csv(find_rule("tea-green"), tmp_path / "tea.csv")
    with path.open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    inputs = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["inputs"] | overrides
    for row in rows[1:]:
        part, name = row[0], row[1]
        if part == "info" and name in INFO:
            row[3] = INFO[name]
        elif part == "inputs" and name in inputs:
            given = inputs[name]
            if isinstance(given, dict):
                row[3], row[4] = str(given["amount"]), given.get("unit", row[4])
                row[5] = given.get("data_type", "primary")
                if "uncertainty" in given:
                    row[6] = f"lognormal gsd={given['uncertainty']['gsd']}"
            else:
                row[3] = str(given)
        elif part == "cut_off" and name in (reasons or {}):
            row[3] = (reasons or {})[name]
    with path.open("w", encoding="utf-8-sig", newline="") as stream:  # as Excel saves CSV
        csv.writer(stream).writerows(rows)
    return path


def test_the_table_lists_info_inputs_and_lines(tmp_path: Path) -> None:
    rule = find_rule("tea-green")
    with write_entry_csv(rule, tmp_path / "t.csv").open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:4] == ["部分 part", "编码 name", "项目 label", "数值 value"]
    assert rows[1][:4] == ["info", "rule", "核算规则 rule", "tea-green@2026.1"]
    assert [r[1] for r in rows if r[0] == "inputs"] == [spec.name for spec in rule.inputs]
    assert [r[1] for r in rows if r[0] == "cut_off"] == [line.id for line in rule.lines]
    electricity = next(r for r in rows if r[:2] == ["inputs", "electricity"])
    assert electricity[4] == "kWh"
    assert electricity[10] == "1–15 kWh /kg"


def test_a_filled_table_gives_the_examples_footprint(tmp_path: Path) -> None:
    data = load_activity_data(filled(tmp_path))
    footprint = account(find_rule("tea-green"), data, bundled_factor_set())
    assert footprint.total_kgco2e == pytest.approx(10.1331900984, rel=1e-9)
    assert data.value("electricity").uncertainty == Lognormal(gsd=1.02)  # type: ignore[union-attr]


def test_a_line_left_out_under_the_cut_off(tmp_path: Path) -> None:
    # the K2O line, 4.5 t x 660 kgCO2e/t / 50,000 kg = 0.0594 kgCO2e/kg, is below 1 %
    data = load_activity_data(filled(tmp_path, {"compound_k_manufacture": "below 1 %"}))
    assert data.excluded == {"compound_k_manufacture": "below 1 %"}
    footprint = account(find_rule("tea-green"), data, bundled_factor_set())
    assert footprint.total_kgco2e == pytest.approx(10.1331900984 - 0.0594, rel=1e-9)


def test_every_bad_cell_is_named_by_row_and_column(tmp_path: Path) -> None:
    path = filled(tmp_path, electricity="about 240 MWh", natural_gas="21000")
    rows = path.read_text(encoding="utf-8-sig").splitlines()
    gas = next(i for i, row in enumerate(rows, start=1) if row.startswith("inputs,natural_gas"))
    rows[gas - 1] = rows[gas - 1].replace("primary,", "primary,lognormal gsd=0.5", 1)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ActivityDataError) as caught:
        load_activity_data(path)
    (electricity, gas_problem) = caught.value.problems
    assert electricity[1].endswith(", column amount (electricity)")
    assert electricity[2] == "'about 240 MWh' is not a number"
    assert gas_problem[:2] == (gas, f"row {gas}, column uncertainty (natural_gas)")
    assert "gsd" in gas_problem[2]


def test_an_unknown_part_or_info_field(tmp_path: Path) -> None:
    path = filled(tmp_path)
    with path.open("a", encoding="utf-8") as stream:
        stream.write("notes,who,,me\ninfo,colour,,green\n")
    rows = len(path.read_text(encoding="utf-8-sig").splitlines())
    with pytest.raises(ActivityDataError) as caught:
        load_activity_data(path)
    assert [(row, field) for row, field, _ in caught.value.problems] == [
        (rows - 1, f"row {rows - 1}, column part"),
        (rows, f"row {rows}"),
    ]


def test_a_missing_field_names_its_row(tmp_path: Path) -> None:
    path = filled(tmp_path)
    path.write_text(path.read_text(encoding="utf-8-sig").replace("CN-GZ", ""), encoding="utf-8")
    with pytest.raises(ActivityDataError) as caught:
        load_activity_data(path)
    ((row, field, message),) = caught.value.problems
    assert (row, field) == (7, "row 7: geography")
    assert message.startswith("unknown geography ''")


def test_a_table_without_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "bare.csv"
    path.write_text("name,amount\nelectricity,5\n", encoding="utf-8")
    with pytest.raises(ActivityDataError) as caught:
        load_activity_data(path)
    assert [field for _, field, _ in caught.value.problems] == ["(header)", "(header)"]
    assert "'part'" in str(caught.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("部分 part,编码 name,数值 value\n".encode("gbk"))
    with pytest.raises(ActivityDataError, match="not UTF-8"):
        load_activity_data(path)
