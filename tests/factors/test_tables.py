"""Factor tables: CSV and Excel round trips, and every bad cell named by row and column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tanzuji.errors import FactorFileError
from tanzuji.factors import bundled_factor_set, load_factor_set, read_factors, write_factors
from tanzuji.factors.tables import COLUMNS
from tanzuji.uncertainty import Lognormal
from tests.conftest import make_factor

HEADER = ",".join([*COLUMNS, "CO2", "N2O"])


def good_row(factor_id: str = "E1", **cells: str) -> str:
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        id=factor_id,
        activity="electricity.grid",
        name_zh="电力",
        name_en="electricity",
        unit="kWh",
        geography="CN-GZ",
        reference_year="2023",
        source="test fixture",
        dq_technological="1",
        dq_temporal="2",
        dq_geographical="1",
        uncertainty="lognormal gsd=1.1",
    )
    values.update(cells)
    gases = [cells.get("CO2", "0.5"), cells.get("N2O", "")]
    return ",".join([*(values[c] for c in COLUMNS), *gases])


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "factors.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


class TestRead:
    def test_a_good_table(self, tmp_path: Path) -> None:
        (factor,) = read_factors(write(tmp_path, good_row(N2O="0.001")))
        assert factor.gases == {"CO2": 0.5, "N2O": 0.001}
        assert factor.uncertainty == Lognormal(gsd=1.1)

    def test_amounts_in_tonnes_are_kept_in_kg(self, tmp_path: Path) -> None:
        (factor,) = read_factors(write(tmp_path, good_row(amount_unit="t", CO2="3.145")))
        assert factor.gases["CO2"] == pytest.approx(3145.0)

    def test_every_bad_cell_is_reported_with_row_and_column(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            good_row("E1"),
            good_row("E2", unit="kWhh", dq_temporal="seven"),
            good_row("E3", geography="CN-XX", CO2="lots"),
            good_row("E1", reference_year="2022"),
            good_row("E5", uncertainty="lognormal gsd = 0.5", confidence="maybe"),
        )
        with pytest.raises(FactorFileError) as caught:
            read_factors(path)
        problems = {(row, column) for row, column, _ in caught.value.problems}
        assert problems == {
            (3, "unit"),
            (3, "dq_temporal"),
            (4, "CO2"),
            (4, "geography"),
            (5, "id"),
            (6, "uncertainty"),
            (6, "confidence"),
        }
        message = str(caught.value)
        assert "row 3, column 'unit': 'kWhh' is not valid: unknown unit 'kWhh'" in message
        assert "row 5, column 'id': 'E1' already used on row 2" in message

    def test_missing_required_column(self, tmp_path: Path) -> None:
        header = HEADER.replace("dq_temporal,", "")
        with pytest.raises(FactorFileError, match="column 'dq_temporal': required column"):
            read_factors(write(tmp_path, header=header))

    def test_unknown_column(self, tmp_path: Path) -> None:
        with pytest.raises(FactorFileError, match="column 'colour': unknown column"):
            read_factors(write(tmp_path, header=HEADER + ",colour"))

    def test_a_row_without_gases(self, tmp_path: Path) -> None:
        with pytest.raises(FactorFileError, match="row 2, column 'CO2e': no gas amount given"):
            read_factors(write(tmp_path, good_row(CO2="")))

    def test_rows_count_as_a_spreadsheet_does_despite_newlines(self, tmp_path: Path) -> None:
        path = write(tmp_path, good_row(scope='"two\nlines"'), good_row("E2", unit="bad"))
        with pytest.raises(FactorFileError, match="row 3, column 'unit'"):
            read_factors(path)

    def test_not_a_table(self, tmp_path: Path) -> None:
        with pytest.raises(FactorFileError, match=r"use a \.csv or \.xlsx file"):
            read_factors(tmp_path / "factors.txt")
        with pytest.raises(FactorFileError, match="does not exist"):
            read_factors(tmp_path / "missing.csv")


class TestRoundTrip:
    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_write_then_read_gives_the_same_factors(self, tmp_path: Path, suffix: str) -> None:
        factors = [
            make_factor(
                "A", gases={"CO2": 0.1, "CH4-biogenic": 1e-5}, uncertainty=Lognormal(gsd=2)
            ),
            make_factor("B", activity="diesel.combustion", unit="t", gases={"CO2e": 3016.63}),
        ]
        path = write_factors(factors, tmp_path / f"set{suffix}")
        assert read_factors(path) == factors

    def test_the_bundled_database_survives_excel(self, tmp_path: Path) -> None:
        bundled = bundled_factor_set()
        path = write_factors(bundled, tmp_path / "bundled.xlsx")
        assert list(load_factor_set(path, version=bundled.version)) == list(bundled)

    def test_excel_errors_name_row_and_column(self, tmp_path: Path) -> None:
        path = write_factors([make_factor("A")], tmp_path / "bad.xlsx")
        book = openpyxl.load_workbook(path)
        sheet = book["factors"]
        header = [cell.value for cell in sheet[1]]
        sheet.cell(row=2, column=header.index("unit") + 1, value="parsec-ish")
        book.save(path)
        with pytest.raises(FactorFileError, match="row 2, column 'unit'"):
            read_factors(path)
