"""Geography codes and the fallback order of factor lookups."""

from __future__ import annotations

import pytest

from tanzuji.errors import UnknownGeography
from tanzuji.geography import GRID_REGIONS, fallback_chain, grid_region_of, validate


def test_guizhou_falls_back_through_the_southern_grid() -> None:
    assert fallback_chain("CN-GZ") == ("CN-GZ", "CN-SOUTH-GRID", "CN", "GLO")


def test_codes_are_made_canonical() -> None:
    assert validate(" cn-gz") == "CN-GZ"
    assert fallback_chain("cn-gz") == ("CN-GZ", "CN-SOUTH-GRID", "CN", "GLO")
    assert validate("cn-south-grid") == "CN-SOUTH-GRID"


def test_grid_region_falls_back_to_china() -> None:
    assert fallback_chain("CN-SOUTH-GRID") == ("CN-SOUTH-GRID", "CN", "GLO")


def test_other_country_subdivision() -> None:
    assert fallback_chain("DE-BY") == ("DE-BY", "DE", "GLO")


def test_every_mainland_province_but_tibet_has_a_grid_region() -> None:
    members = [p for _, _, provinces in GRID_REGIONS.values() for p in provinces]
    assert len(members) == len(set(members)) == 30
    assert grid_region_of("CN-XZ") is None


@pytest.mark.parametrize("code", ["CN-ZZ", "XX", "guizhou", ""])
def test_unknown(code: str) -> None:
    with pytest.raises(UnknownGeography, match=f"unknown geography {code!r}"):
        validate(code)
