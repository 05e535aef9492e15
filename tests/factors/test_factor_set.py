"""FactorSet: lookup by id and by activity with geographic and yearly fallback."""

from __future__ import annotations

import pytest

from tanzuji.errors import FactorNotFound
from tanzuji.factors import FactorSet
from tests.conftest import make_factor


@pytest.fixture
def grid() -> FactorSet:
    """Grid factors for Guizhou (2021, 2023), the southern grid (2023) and China (2022)."""
    return FactorSet(
        "GZ-test",
        [
            make_factor("GZ-2021", geography="CN-GZ", reference_year=2021, valid_from=2021),
            make_factor("GZ-2023", geography="CN-GZ", reference_year=2023, valid_from=2023),
            make_factor("SOUTH-2023", geography="CN-SOUTH-GRID", reference_year=2023),
            make_factor("CN-2022", geography="CN", reference_year=2022),
            make_factor(
                "DIESEL", activity="diesel.combustion", geography="GLO", unit="t", name_zh="柴油"
            ),
        ],
    )


class TestById:
    def test_get(self, grid: FactorSet) -> None:
        assert grid["GZ-2023"].reference_year == 2023
        assert "GZ-2021" in grid
        assert len(grid) == 5

    def test_missing_id(self, grid: FactorSet) -> None:
        with pytest.raises(FactorNotFound, match="no factor 'GZ-2099' in factor set GZ-test"):
            grid["GZ-2099"]

    def test_ambiguous_factors_are_refused(self) -> None:
        with pytest.raises(ValueError, match=r"'A' and 'B' are both for 'electricity\.grid' in CN"):
            FactorSet("v", [make_factor("A"), make_factor("B")])

    def test_duplicate_ids_are_refused(self) -> None:
        with pytest.raises(ValueError, match="'A' appears twice"):
            FactorSet("v", [make_factor("A"), make_factor("A")])


class TestFind:
    def test_exact_geography_latest_year_not_after(self, grid: FactorSet) -> None:
        match = grid.find("electricity.grid", "CN-GZ", 2024)
        assert match.factor.id == "GZ-2023"
        assert not match.fell_back

    def test_year_before_a_newer_factor(self, grid: FactorSet) -> None:
        assert grid.find("electricity.grid", "CN-GZ", 2022).factor.id == "GZ-2021"

    def test_not_valid_yet_falls_back_to_the_grid_region(self, grid: FactorSet) -> None:
        match = grid.find("electricity.grid", "CN-GZ", 2020)
        assert match.factor.id == "SOUTH-2023"
        assert match.fell_back
        assert match.tried == ("CN-GZ",)
        assert "fell back to CN-SOUTH-GRID (SOUTH-2023)" in match.explain()

    def test_other_province_of_the_grid(self, grid: FactorSet) -> None:
        assert grid.find("electricity.grid", "CN-YN", 2025).matched_geography == "CN-SOUTH-GRID"

    def test_other_grid_falls_back_to_china(self, grid: FactorSet) -> None:
        match = grid.find("electricity.grid", "CN-BJ", 2025)
        assert match.factor.id == "CN-2022"
        assert match.tried == ("CN-BJ", "CN-NORTH-GRID")

    def test_global_factor_serves_everywhere(self, grid: FactorSet) -> None:
        assert grid.find("diesel.combustion", "CN-GZ").matched_geography == "GLO"

    def test_unknown_activity_suggests(self, grid: FactorSet) -> None:
        with pytest.raises(
            FactorNotFound,
            match=r"no factor for activity 'diesel' in CN-GZ → CN-SOUTH-GRID → CN → GLO "
            r"\(factor set GZ-test\); did you mean diesel.combustion\?",
        ):
            grid.find("diesel", "CN-GZ")

    def test_search(self, grid: FactorSet) -> None:
        assert [f.id for f in grid.search("DIESEL")] == ["DIESEL"]
        assert len(grid.search("电力")) == 4
