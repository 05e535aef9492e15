"""The bundled factor database: every factor sourced, every gap listed, never both."""

from __future__ import annotations

from pathlib import Path

import pytest

from tanzuji.errors import FactorSetError
from tanzuji.factors import BUNDLED_VERSION, bundled_factor_set, bundled_versions, factor_gaps
from tanzuji.rules import bundled_rules

DOCS = Path(__file__).parents[2] / "docs" / "factors.md"


def test_every_factor_carries_a_source_a_locator_and_a_confidence() -> None:
    for factor in bundled_factor_set():
        assert factor.source.document, factor.id
        assert factor.source.locator, factor.id
        assert factor.source.confidence in ("verified", "secondary"), factor.id
        assert factor.published, factor.id
        assert factor.uncertainty is not None, factor.id


def test_guizhou_grid_factor() -> None:
    match = bundled_factor_set().find("electricity.grid.co2", "CN-GZ", 2025)
    assert match.factor.id == "ELEC-GZ-2023"
    assert match.factor.gases == {"CO2": 0.5683}


def test_a_gap_is_never_a_factor_and_names_the_rules_that_need_it() -> None:
    factors = {factor.id for factor in bundled_factor_set()}
    rules = {rule.id for rule in bundled_rules()}
    for gap in factor_gaps():
        assert gap.id not in factors, gap.id
        assert set(gap.needed_by) <= rules, (gap.id, set(gap.needed_by) - rules)


def test_the_docs_list_every_gap() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert [gap.id for gap in factor_gaps() if gap.id not in text] == []


def test_versions() -> None:
    assert BUNDLED_VERSION in bundled_versions()
    assert bundled_factor_set(BUNDLED_VERSION) is bundled_factor_set()
    with pytest.raises(FactorSetError, match=r"no bundled factor set 'CN-1999\.1'; the bundled"):
        bundled_factor_set("CN-1999.1")
