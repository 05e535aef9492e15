"""The command line, end to end: tables, JSON, factor library, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanzuji.cli import app, main
from tanzuji.factors import bundled_factor_set, write_factors

EXAMPLE = str(Path(__file__).parents[1] / "examples" / "green_tea.yaml")
runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TANZUJI_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that rich never abbreviates an id
    return tmp_path


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


class TestCalc:
    def test_json_carries_the_agreed_fields(self) -> None:
        data = json.loads(run("calc", EXAMPLE, "--json", "--monte-carlo", "200"))
        for key in (
            "product", "declared_unit", "total_kgco2e", "fossil_kgco2e", "biogenic_kgco2e",
            "by_stage", "by_gas", "hotspots", "data_quality", "provenance", "uncertainty",
        ):  # fmt: skip
            assert key in data
        assert data["declared_unit"] == "1 kg green tea"
        assert data["total_kgco2e"] == pytest.approx(10.1331900984, rel=1e-9)
        assert set(data["uncertainty"]) >= {"mean", "median", "p2_5", "p97_5"}
        assert data["units"]["kgco2e"] == "kgCO2e per 1 kg green tea"
        assert len(data["hotspots"]) == 10

    def test_ar5(self) -> None:
        ar6 = json.loads(run("calc", EXAMPLE, "--json"))["total_kgco2e"]
        ar5 = json.loads(run("calc", EXAMPLE, "--json", "--gwp", "AR5"))["total_kgco2e"]
        assert ar5 < ar6

    def test_table(self) -> None:
        output = run("calc", EXAMPLE)
        assert "碳足迹 total: 10.13 kgCO2e" in output
        assert "原材料获取 raw material acquisition" in output
        assert "fell back to CN (ELEC-LCA-CN-2024)" in output

    def test_demo(self) -> None:
        output = run("demo", "--monte-carlo", "100")
        assert "Guizhou green tea" in output
        assert "碳足迹 total: 10.13 kgCO2e per 1 kg green tea" in output
        assert "95 % interval" in output


class TestFactors:
    def test_list_search_show(self) -> None:
        assert "ELEC-GZ-2023" in run("factors", "list", "--activity", "electricity.grid.co2")
        assert "FERT-UREA-MFG" in run("factors", "search", "尿素")
        shown = json.loads(run("factors", "show", "ELEC-GZ-2023"))
        assert shown["gases"] == {"CO2": 0.5683}
        assert shown["source"]["confidence"] == "secondary"

    def test_import_export_and_use(self, data_dir: Path) -> None:
        table = write_factors(bundled_factor_set(), data_dir / "gz.xlsx")
        assert f"imported {len(bundled_factor_set())} factors as GZ-2026.1" in run(
            "factors", "import", str(table), "--version", "GZ-2026.1"
        )
        exported = data_dir / "out.csv"
        run("factors", "export", str(exported), "--factors", "GZ-2026.1")
        assert exported.exists()
        data = json.loads(run("calc", EXAMPLE, "--json", "--factors", "GZ-2026.1"))
        assert data["provenance"]["factor_set"] == "GZ-2026.1"


class TestErrors:
    """tanzuji's errors become a message and exit status 2, never a traceback."""

    def exit_of(self, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
        monkey = pytest.MonkeyPatch()
        monkey.setattr("sys.argv", ["tanzuji", *args])
        with pytest.raises(SystemExit) as caught:
            main()
        monkey.undo()
        return int(caught.value.code or 0), capsys.readouterr().err

    def test_bad_model_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        bad = tmp_path / "bad.yaml"
        bad.write_text(Path(EXAMPLE).read_text().replace("unit: kWh", "unit: kWhh"))
        code, err = self.exit_of(capsys, "calc", str(bad))
        assert code == 2
        assert "unknown unit 'kWhh'" in err
        assert "Traceback" not in err

    def test_unknown_factor_set(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, err = self.exit_of(capsys, "factors", "list", "--factors", "GZ-1999")
        assert code == 2
        assert "no factor set 'GZ-1999'" in err

    def test_versions_are_immutable(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        table = write_factors(bundled_factor_set(), tmp_path / "gz.csv")
        assert self.exit_of(capsys, "factors", "import", str(table), "--version", "V1")[0] == 0
        code, err = self.exit_of(capsys, "factors", "import", str(table), "--version", "V1")
        assert code == 2
        assert "published versions never change" in err

    def test_unknown_product(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, err = self.exit_of(capsys, "calc", EXAMPLE, "--product", "black-tea")
        assert code == 2
        assert "no product 'black-tea'" in err


class TestRules:
    TEA = str(Path(__file__).parents[1] / "examples" / "tea-green.yaml")

    def test_list_and_show(self) -> None:
        assert "tea-green@2026.1" in run("rules", "list")
        shown = run("rules", "show", "cement")
        assert "熟料煅烧" in shown
        assert "clinker" in shown
        assert json.loads(run("rules", "show", "tea-green", "--json"))["id"] == "tea-green"
        assert "副产品 co-products: 焦炉煤气 coke oven gas (cog_exported)" in run(
            "rules", "show", "coke"
        )

    def test_check(self) -> None:
        assert "0 error(s), 0 warning(s)" in run("rules", "check", "tea-green", self.TEA)

    def test_check_reports_errors_with_exit_status_1(self, tmp_path: Path) -> None:
        bad = tmp_path / "tea.yaml"
        bad.write_text(Path(self.TEA).read_text().replace("made_tea: 50000", "made_tea: -5"))
        result = runner.invoke(app, ["rules", "check", "tea-green", str(bad)])
        assert result.exit_code == 1
        assert "made_tea: 数值不能为负 / must not be negative" in result.output

    def test_calc_with_rule(self) -> None:
        data = json.loads(run("calc", "--rule", "tea-green", self.TEA, "--json"))
        assert data["provenance"]["rule"] == "tea-green@2026.1"
        assert data["total_kgco2e"] == pytest.approx(10.1331900984, rel=1e-9)

    def test_rule_schema(self) -> None:
        assert '"title": "tanzuji product category rule"' in run("schema", "--of", "rule")


class TestOutputIsLiteral:
    def test_brackets_in_names_are_printed_not_interpreted(self, tmp_path: Path) -> None:
        model = tmp_path / "tea.yaml"
        model.write_text(
            Path(EXAMPLE)
            .read_text(encoding="utf-8")
            .replace("Guizhou green tea (illustrative)", "Tea [/premium] [bold]"),
            encoding="utf-8",
        )
        assert "Tea [/premium] [bold]" in run("calc", str(model))

    def test_json_has_null_where_nothing_can_be_rated(self, tmp_path: Path) -> None:
        model = tmp_path / "nothing.yaml"
        model.write_text(
            "id: empty\nname_zh: 空\nname_en: empty\ndeclared_unit: 1 kg\n"
            "reference_output: {amount: 1, unit: kg}\n"
            "reference_period: {start: 2025-01-01, end: 2025-12-31}\n"
            "boundary: cradle-to-gate\ngeography: CN-GZ\n",
            encoding="utf-8",
        )
        data = json.loads(run("calc", str(model), "--json"))
        assert data["total_kgco2e"] == 0.0
        assert data["data_quality_rating"] is None


class TestFileErrors:
    def test_unwritable_export(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, err = TestErrors().exit_of(capsys, "factors", "export", "/nonexistent/dir/x.csv")
        assert code == 2
        assert "No such file or directory" in err

    def test_version_cannot_leave_the_library(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        table = write_factors(bundled_factor_set(), tmp_path / "gz.csv")
        code, err = TestErrors().exit_of(
            capsys, "factors", "import", str(table), "--version", "../../escape"
        )
        assert code == 2
        assert "must start with a letter or digit" in err


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_rules_template(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"tea{suffix}"
    assert "wrote" in run("rules", "template", "tea-green", "-o", str(target))
    assert target.exists()


def test_rules_template_of_another_kind(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = TestErrors().exit_of(
        capsys, "rules", "template", "tea-green", "-o", str(tmp_path / "tea.ods")
    )
    assert code == 2
    assert "a .xlsx workbook or a .csv table" in err


class TestBundledDatabase:
    def test_a_bundled_version_is_chosen_by_name(self) -> None:
        assert "ELEC-GZ-2023" in run("factors", "list", "--factors", "CN-2026.1")

    def test_gaps_are_listed_not_filled(self) -> None:
        listed = run("factors", "gaps")
        assert "COAL-UNDERGROUND-CH4" in listed
        assert "COAL-UNDERGROUND-CH4" not in run("factors", "list")

    def test_a_bundled_version_cannot_be_imported_over(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        table = write_factors(bundled_factor_set(), tmp_path / "copy.csv")
        code, err = TestErrors().exit_of(
            capsys, "factors", "import", str(table), "--version", "CN-2026.1"
        )
        assert code == 2
        assert "published versions never change" in err
