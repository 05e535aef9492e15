"""One emission factor, with where it comes from and how good it is."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, field_validator, model_validator

from tanzuji.flows import Flow, Origin
from tanzuji.geography import GeographyCode
from tanzuji.gwp import DEFAULT, GwpSet, gwp_set
from tanzuji.records import Record
from tanzuji.uncertainty import Distribution
from tanzuji.units import UnitText

__all__ = ["Confidence", "DataQuality", "EmissionFactor", "Source", "direct_emission"]

Confidence = Literal["verified", "secondary", "estimate"]
"""How well a value is checked.

``verified``: seen in the issuer's or authors' own text; ``secondary``: seen
only in a restatement (news, code, mirror) and awaiting a check against the
original; ``estimate``: computed by tanzuji or an expert from stated
assumptions.
"""


class Source(Record):
    """The publication a value is taken from."""

    document: str = Field(min_length=1, description="issuer or authors, title")
    table: str = Field("", description="table, equation or page the number stands in")
    year: int | None = Field(None, ge=1900, le=2100, description="year of publication")
    locator: str = Field("", description="where the number was actually seen (URL, DOI)")
    confidence: Confidence = "secondary"

    def __str__(self) -> str:
        parts = [self.document, self.table, str(self.year) if self.year else ""]
        return ", ".join(part for part in parts if part)


class DataQuality(Record):
    """Data quality indicators on the 1 (very good) to 5 (very poor) scale.

    The three representativeness criteria of GB/T 24067-2024 / ISO
    14067:2018 data quality requirements (after the PEF data-quality rating, where the scale runs
    the same way). The data quality rating of one factor is their mean.
    """

    technological: int = Field(ge=1, le=5, description="how well the technology matches")
    temporal: int = Field(ge=1, le=5, description="how well the time period matches")
    geographical: int = Field(ge=1, le=5, description="how well the place matches")

    @property
    def rating(self) -> float:
        """The data quality rating (DQR): mean of the three indicators."""
        return (self.technological + self.temporal + self.geographical) / 3.0


class EmissionFactor(Record):
    """Greenhouse gases released per unit of an activity (e.g. kg CO2 per kWh).

    ``gases`` maps each flow (``"CO2"``, ``"CH4-biogenic"``, ``"CO2e"``…) to
    kilograms of that gas per one ``unit`` of the activity. A factor published
    only as CO2 equivalents uses the ``CO2e`` pseudo-gas (with an origin
    suffix when it is not fossil); one published per gas can be
    re-characterized with any GWP set.
    """

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="stable identifier")
    activity: str = Field(
        pattern=r"^[a-z0-9][a-z0-9._-]*$",
        description="what the factor is for, shared by every geography "
        "and year of it, e.g. 'electricity.grid'",
    )
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    unit: UnitText = Field(description="reference unit of the activity, e.g. kWh, t, t*km")
    gases: dict[str, float] = Field(min_length=1, description="kg of each gas per unit")
    geography: GeographyCode = Field(description="ISO 3166 code, grid region or GLO")
    reference_year: int | None = Field(None, ge=1900, le=2100)
    valid_from: int | None = Field(None, ge=1900, le=2100, description="first year of use")
    valid_to: int | None = Field(None, ge=1900, le=2100, description="last year of use")
    scope: str = Field("", description="boundary and caveats, e.g. 'combustion only'")
    published: str = Field(
        "",
        description="the value and unit exactly as the source prints "
        "them, e.g. '2.041 tCE/t N', before conversion",
    )
    source: Source
    data_quality: DataQuality
    uncertainty: Distribution | None = None

    @field_validator("gases")
    @classmethod
    def _canonical_gases(cls, value: dict[str, float]) -> dict[str, float]:
        canonical: dict[str, float] = {}
        for key, amount in value.items():
            flow = str(Flow.parse(key))
            if flow in canonical:
                raise ValueError(f"gas {flow} is listed twice")
            canonical[flow] = float(amount)
        return canonical

    @model_validator(mode="after")
    def _consistent(self) -> EmissionFactor:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError(f"valid_from {self.valid_from} is after valid_to {self.valid_to}")
        for key, amount in self.gases.items():
            if amount < 0 and Flow.parse(key).origin is not Origin.BIOGENIC:
                raise ValueError(
                    f"{key} is {amount} kg per {self.unit}: only biogenic flows (removals) "
                    "may be negative"
                )
        return self

    @property
    def flows(self) -> dict[Flow, float]:
        """``gases`` keyed by :class:`Flow`."""
        return {Flow.parse(key): amount for key, amount in self.gases.items()}

    def co2e(self, gwp: str | GwpSet = DEFAULT) -> float:
        """kgCO2e per ``unit`` with the GWP set ``gwp``."""
        chosen = gwp_set(gwp)
        return sum(amount * chosen.factor(flow) for flow, amount in self.flows.items())

    def valid_in(self, year: int) -> bool:
        """Whether the factor may be used for an activity in ``year``."""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )

    def scaled(self, k: float) -> EmissionFactor:
        """The same factor with every gas multiplied by ``k`` (for sensitivity work)."""
        return self.model_copy(update={"gases": {g: a * k for g, a in self.gases.items()}})

    def describe(self, language: Literal["zh", "en"] = "en") -> str:
        """``"<name> (<id>)"`` in the chosen language."""
        return f"{self.name_zh if language == 'zh' else self.name_en} ({self.id})"


@cache
def direct_emission(flow: Flow, unit: str = "kg") -> EmissionFactor:
    """The factor of a gas a process releases itself: 1 kg of ``flow`` per kg.

    Used for process emissions that a product rule computes from the plant's own
    data (calcination, coal-seam methane), so they carry the best data quality
    indicators; their uncertainty is that of the line's amount. With ``unit``
    ``kgCO2e`` (and ``flow`` CO2e) it takes a footprint given in CO2 equivalents,
    e.g. the footprint a supplier reported for what it delivered; tanzuji has not
    checked such a footprint, so its indicators are 2 ("very good"), not 1.
    """
    supplied = unit == "kgCO2e"
    level = 2 if supplied else 1
    return EmissionFactor(
        id=f"DIRECT-{flow}" + ("-SUPPLIED" if supplied else ""),
        activity=f"direct.{str(flow).lower()}" + (".supplied" if supplied else ""),
        name_zh=f"供应商提供的碳足迹 {flow}" if supplied else f"直接排放 {flow}",
        name_en=f"footprint reported by the supplier, {flow}"
        if supplied
        else f"direct emission of {flow}",
        unit=unit,
        gases={str(flow): 1.0},
        geography="GLO",
        source=Source(
            document="a footprint reported by the supplier (supplier-specific data)"
            if supplied
            else "the reporting enterprise's own data (process emission under its product rule)",
            confidence="estimate",
        ),
        data_quality=DataQuality(technological=level, temporal=level, geographical=level),
    )
