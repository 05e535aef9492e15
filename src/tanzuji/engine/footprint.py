"""The result of a calculation for one product: a product carbon footprint.

Every number is in kgCO2e per declared unit unless its name says otherwise;
:meth:`Footprint.to_dict` writes the unit beside each figure group so that
numbers never cross an interface without it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "Contribution",
    "CutOffLine",
    "Footprint",
    "GasResult",
    "Provenance",
    "UncertaintyResult",
]


@dataclass(frozen=True)
class Contribution:
    """A share of a footprint: one activity line, or one product of the supply chain.

    ``kgco2e`` is per declared unit of the footprint's product; ``share`` is
    ``kgco2e`` over the footprint's total.
    """

    kind: str  # "line" or "product"
    product: str
    name: str
    stage: str | None
    kgco2e: float
    share: float


@dataclass(frozen=True)
class GasResult:
    """One flow (gas and origin) of a footprint, in kg and in kgCO2e per declared unit."""

    kg: float
    kgco2e: float


@dataclass(frozen=True)
class CutOffLine:
    """A line left out of the footprint and what it would have added."""

    name: str
    reason: str
    kgco2e: float
    share: float


@dataclass(frozen=True)
class UncertaintyResult:
    """Monte Carlo statistics of the total, kgCO2e per declared unit."""

    iterations: int
    seed: int
    mean: float
    median: float
    sd: float
    p2_5: float
    p97_5: float
    contribution_to_variance: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Provenance:
    """What a footprint was computed from, so it can be computed again."""

    factor_set: str
    gwp: str
    factors: tuple[str, ...]
    fallbacks: tuple[str, ...]
    solver: str
    rule: str | None = None


@dataclass(frozen=True)
class Footprint:
    """The carbon footprint of one product per declared unit (GB/T 24067-2024)."""

    product: str
    name_zh: str
    name_en: str
    declared_unit: str
    boundary: str
    total_kgco2e: float
    fossil_kgco2e: float
    biogenic_kgco2e: float
    luc_kgco2e: float
    by_stage: dict[str, float]
    by_gas: dict[str, GasResult]
    lines: tuple[Contribution, ...]
    hotspots: tuple[Contribution, ...]
    upstream: tuple[Contribution, ...]
    primary_data_share: float
    data_quality_rating: float
    allocation_factor: float
    cut_off: tuple[CutOffLine, ...]
    provenance: Provenance
    uncertainty: UncertaintyResult | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        """A JSON-ready dictionary; ``top`` limits the hot-spot lists."""
        data = asdict(self)
        for key in ("hotspots", "upstream"):
            data[key] = data[key][:top] if top is not None else data[key]
        data["units"] = {
            "kgco2e": f"kgCO2e per {self.declared_unit}",
            "by_stage": f"kgCO2e per {self.declared_unit}",
            "by_gas.kg": f"kg of gas per {self.declared_unit}",
            "by_gas.kgco2e": f"kgCO2e per {self.declared_unit}",
            "primary_data_share": "fraction 0–1 of the absolute GHG flows",
            "data_quality_rating": "1 (very good) – 5 (very poor)",
        }
        data["data_quality"] = {
            "rating": self.data_quality_rating,
            "level": quality_level(self.data_quality_rating),
        }
        cleaned: dict[str, Any] = _without_nan(data)
        return cleaned


def _without_nan(value: Any) -> Any:
    """``value`` with every NaN float (e.g. the rating of a product that emits nothing) as None,
    so it can be written as standard JSON."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nan(item) for item in value]
    return value


def quality_level(rating: float) -> str:
    """The data quality level of a rating: ≤1.5 excellent … >4 poor.

    Levels as in the PEF method, Recommendation (EU) 2021/2279, Annex I
    (overall data quality level by achieved DQR).
    """
    if rating != rating:  # NaN: nothing to rate
        return "n/a"
    for limit, level in ((1.5, "excellent"), (2.0, "very good"), (3.0, "good"), (4.0, "fair")):
        if rating <= limit:
            return level
    return "poor"
