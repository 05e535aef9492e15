"""A footprint stays reproducible after its rule or its factor set gets a new version.

A footprint records the rule (``coke@2026.1``) and the factor set (``CN-2026.1``) it used.
Neither is ever edited: a change is a new version beside the old one, so computing again with
the recorded versions gives the same number, whatever has shipped since.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanzuji.cli import app
from tanzuji.factors import bundled_factor_set, load_factor_set, write_factors
from tanzuji.rules import account, find_rule, load_activity_data, rule_for

EXAMPLES = Path(__file__).parents[1] / "examples"
runner = CliRunner()

# examples/coke.yaml as it was entered under coke@2026.1 (gate-to-gate): the same plant
# without the coal's footprint and transport, which that version did not ask for.
# carbon balance 108,360 t C x 44.01/12.011 = 397,051,794 kg CO2, electricity 23,108,000 kg;
# 0.8547009 (coke's revenue share) x 420,159,794 kg / 1,000,000 t = 359.1063 kgCO2e/t
PROCESS = 108_360 * 44.01 / 12.011 * 1000
COKE_2026_1 = (2.0e9 / 2.34e9) * (PROCESS + 40e6 * 0.5777) / 1e6


def coke_as_entered_in_2026_1(path: Path) -> Path:
    text = (EXAMPLES / "coke.yaml").read_text(encoding="utf-8")
    kept = [
        line
        for line in text.splitlines()
        if not line.lstrip().startswith(("coal_pcf", "coal_rail", "coal_road"))
    ]
    path.write_text("\n".join(kept).replace("rule: coke@2026.2", "rule: coke@2026.1"), "utf-8")
    return path


class TestRuleVersions:
    def test_the_old_version_still_gives_the_old_footprint(self, tmp_path: Path) -> None:
        data = load_activity_data(coke_as_entered_in_2026_1(tmp_path / "coke.yaml"))
        assert find_rule("coke").key == "coke@2026.2"  # the newest ships beside the old
        rule = rule_for("coke", data.rule)
        assert rule.key == "coke@2026.1"
        footprint = account(rule, data, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(COKE_2026_1, rel=1e-9)
        assert footprint.provenance.rule == "coke@2026.1"

    def test_the_new_version_gate_to_gate_agrees_with_the_old(self, tmp_path: Path) -> None:
        data = load_activity_data(coke_as_entered_in_2026_1(tmp_path / "coke.yaml"))
        renewed = data.model_copy(update={"rule": "coke@2026.2"})
        renewed = type(data).model_validate({**renewed.model_dump(), "boundary": "gate-to-gate"})
        footprint = account(find_rule("coke@2026.2"), renewed, bundled_factor_set())
        assert footprint.total_kgco2e == pytest.approx(COKE_2026_1, rel=1e-9)

    def test_the_command_line_keeps_the_version_the_data_names(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("COLUMNS", "200")
        path = coke_as_entered_in_2026_1(tmp_path / "coke.yaml")
        result = runner.invoke(app, ["calc", "--rule", "coke", str(path), "--json"])
        assert result.exit_code == 0, result.output
        assert '"rule": "coke@2026.1"' in result.output


class TestFactorSetVersions:
    def test_a_new_version_changes_new_footprints_only(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TANZUJI_DATA_DIR", str(tmp_path / "var"))
        data = load_activity_data(EXAMPLES / "cement.yaml")
        before = account(find_rule("cement"), data, bundled_factor_set())
        assert before.provenance.factor_set == "CN-2026.1"

        # a province publishes GZ-2027.1: the 2024 life-cycle electricity factor revised
        table = write_factors(bundled_factor_set(), tmp_path / "gz.csv")
        with table.open(encoding="utf-8-sig") as stream:  # Excel-friendly CSV starts with a BOM
            rows = list(csv.DictReader(stream))
        for row in rows:
            if row["id"] == "ELEC-LCA-CN-2024":
                row["CO2e"] = "0.5"
        with table.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        imported = runner.invoke(app, ["factors", "import", str(table), "--version", "GZ-2027.1"])
        assert imported.exit_code == 0, imported.output

        stored = tmp_path / "var" / "factors" / "GZ-2027.1.csv"
        after = account(find_rule("cement"), data, load_factor_set(stored, "GZ-2027.1"))
        # 85,000,000 kWh x (0.5 - 0.5777) kgCO2e/kWh / 1,000,000 t = -6.6045 kgCO2e/t
        assert after.total_kgco2e - before.total_kgco2e == pytest.approx(-6.6045, rel=1e-9)

        again = account(find_rule("cement"), data, bundled_factor_set(before.provenance.factor_set))
        assert again.total_kgco2e == before.total_kgco2e
        refused = runner.invoke(app, ["factors", "import", str(table), "--version", "GZ-2027.1"])
        assert "published versions never change" in str(refused.exception)
