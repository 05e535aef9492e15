"""Product models: what one product needs, per stage, over a reference period.

A :class:`ProductModel` records a year (or any period) of a plant's activity
data for making ``reference_output`` of a product, grouped by life-cycle
stage. Each :class:`ActivityLine` points either to an emission factor (by id,
or by activity to be looked up for the model's geography and year) or to
another product, possibly made by another enterprise, so that product models
form a supply-chain network in which cycles are allowed.

Co-products share the burdens by :class:`Allocation` (GB/T 24067-2024 /
ISO 14067:2018): the allocation factor of each output is recorded and
the factors sum to 1. Lines left out under a cut-off rule keep their data
and a stated reason, so the share they represent can be computed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from tanzuji import units
from tanzuji.errors import AllocationError
from tanzuji.factors.factor import DataQuality
from tanzuji.flows import CO2E, Flow
from tanzuji.geography import GeographyCode
from tanzuji.model.stages import Boundary, DataType, Stage
from tanzuji.records import Record
from tanzuji.uncertainty import Distribution
from tanzuji.units import DeclaredUnit, UnitText, coerce_declared_unit

__all__ = [
    "ActivityLine",
    "Allocation",
    "Amount",
    "CoProduct",
    "CutOff",
    "ProductModel",
    "ReferencePeriod",
]

_ID = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"


class Amount(Record):
    """A quantity with its unit, e.g. 12,000 kg."""

    amount: float = Field(gt=0, description="how much (> 0)")
    unit: UnitText = Field(description="unit symbol, e.g. kg, t, kWh")

    def __str__(self) -> str:
        return f"{self.amount:g} {self.unit}"


class ReferencePeriod(Record):
    """The period the activity data cover (GB/T 24067-2024 asks for at least a year where
    data allow)."""

    start: datetime.date
    end: datetime.date

    @model_validator(mode="after")
    def _ordered(self) -> ReferencePeriod:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @property
    def year(self) -> int:
        """The year used to look up year-specific factors: the year the period starts."""
        return self.start.year


class CutOff(Record):
    """Why a line is left out of the footprint (a cut-off criterion, GB/T 24067-2024)."""

    reason: str = Field(min_length=1, description="e.g. 'below 1 % of mass, not hazardous'")


class ActivityLine(Record):
    """One input or emission of the reference period, e.g. 41,000 kWh of electricity.

    Exactly one of ``factor`` (a factor id), ``activity`` (looked up by
    activity, geography and year), ``product`` (another product model's or
    co-product's id) or ``emission`` (a gas released by the process itself,
    the amount being its mass) says what the amount is multiplied by.
    """

    name: str = Field(min_length=1, description="what the line is, e.g. 'electricity'")
    amount: float = Field(ge=0, description="amount over the reference period")
    unit: UnitText = Field(description="unit of the amount; converted to the factor's unit")
    factor: str | None = Field(None, description="emission factor id")
    activity: str | None = Field(None, description="factor activity to look up")
    geography: GeographyCode | None = Field(
        None, description="where the activity happens, for the lookup (default: the model's)"
    )
    product: str | None = Field(None, description="id of the product (model) supplied")
    emission: str | None = Field(
        None,
        description="a gas the process releases itself, e.g. CO2 from calcination or CH4 "
        "from a coal seam (amount: mass of the gas)",
    )
    data_type: DataType = Field(DataType.SECONDARY, description="primary: measured on site")
    uncertainty: Distribution | None = Field(None, description="of the amount, relative")
    data_quality: DataQuality | None = Field(None, description="overrides the factor's")
    cut_off: CutOff | None = Field(None, description="set to leave the line out")
    note: str = ""

    @model_validator(mode="after")
    def _one_target(self) -> ActivityLine:
        if self.geography and not self.activity:
            raise ValueError(f"line {self.name!r}: geography only applies to an activity lookup")
        check_target(repr(self.name), self.target(), self.unit)
        return self

    def target(self) -> dict[str, str]:
        """What the amount is multiplied by, e.g. ``{"factor": "FUEL-DIESEL"}``."""
        return {key: value for key in TARGETS if (value := getattr(self, key)) is not None}


TARGETS = ("factor", "activity", "product", "emission")
"""The fields of which an activity line names exactly one."""


def check_target(line: str, target: dict[str, str], unit: str) -> None:
    """Raise ``ValueError`` unless ``target`` names exactly one of :data:`TARGETS`, and an
    emitted gas is known and measured by mass (shared by model lines and rule lines)."""
    if len(target) != 1:
        raise ValueError(
            f"line {line} must name exactly one of factor, activity, product or emission "
            f"(it names {', '.join(target) or 'none'})"
        )
    if "emission" in target:
        flow = Flow.parse(target["emission"])
        if flow.gas == CO2E and units.is_compatible(unit, "kgCO2e"):
            return  # a footprint given in CO2 equivalents, e.g. by a supplier
        if not units.is_compatible(unit, "kg"):
            raise ValueError(
                f"line {line} emits {target['emission']}: give its amount as a mass "
                f"(kg, t){' or, for CO2e, in kgCO2e' if flow.gas == CO2E else ''}, not {unit}"
            )


class CoProduct(Record):
    """Another output of the same process, e.g. coke oven gas beside coke."""

    id: str = Field(pattern=_ID, description="product id other models can point to")
    name: str = Field(min_length=1)
    amount: float = Field(gt=0, description="made over the reference period")
    unit: UnitText


class Allocation(Record):
    """How the burdens are split between the main product and its co-products.

    * ``mass``: by the mass of each output (all outputs in mass units);
    * ``physical``: by another physical property, ``basis`` giving it per unit
      of each output in ``basis_unit`` (e.g. lower heating value, MJ/kg; or just ``MJ``,
      per unit of each output as its amount is stated);
    * ``economic``: by revenue, ``basis`` giving the price per unit of each
      output in ``basis_unit`` (e.g. CNY/kg).

    ``basis`` is keyed by output id: the model's id for the main product.
    """

    method: Literal["mass", "physical", "economic"]
    basis: dict[str, float] = Field(default_factory=dict)
    basis_unit: str = ""

    @model_validator(mode="after")
    def _basis_given(self) -> Allocation:
        if self.method != "mass" and not (self.basis and self.basis_unit):
            raise ValueError(f"{self.method} allocation needs basis (per output) and basis_unit")
        if self.method == "mass" and self.basis:
            raise ValueError("mass allocation takes the outputs' masses: give no basis")
        if any(value < 0 for value in self.basis.values()):
            raise ValueError("allocation basis values must not be negative")
        return self


class ProductModel(Record):
    """A product's activity data over a reference period, by life-cycle stage."""

    id: str = Field(pattern=_ID, description="product id, unique in a network")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    organization: str = Field("", description="who makes it (name or credit code)")
    declared_unit: Annotated[
        DeclaredUnit,
        BeforeValidator(coerce_declared_unit, json_schema_input_type=str | DeclaredUnit),
    ] = Field(description="what the footprint is per, e.g. '1 kg green tea'")
    reference_output: Amount = Field(description="how much was made in the reference period")
    reference_period: ReferencePeriod
    boundary: Boundary
    geography: GeographyCode = Field(description="where it is made, e.g. CN-GZ")
    stages: dict[Stage, list[ActivityLine]] = Field(default_factory=dict)
    co_products: list[CoProduct] = Field(default_factory=list)
    allocation: Allocation | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ProductModel:
        outside = [
            stage
            for stage, lines in self.stages.items()
            if lines and stage not in self.boundary.stages
        ]
        if outside:
            raise ValueError(
                f"stage(s) {', '.join(outside)} lie outside the {self.boundary} boundary, "
                f"which covers {', '.join(s for s in Stage if s in self.boundary.stages)}"
            )
        units.conversion_factor(
            self.declared_unit.unit,
            self.reference_output.unit,
            where="declared unit vs reference output",
        )
        ids = [self.id] + [c.id for c in self.co_products]
        if len(set(ids)) != len(ids):
            raise ValueError(f"output ids repeat: {ids}")
        if self.co_products and self.allocation is None:
            raise ValueError("a model with co-products needs an allocation")
        if self.allocation is not None:
            unknown = sorted(set(self.allocation.basis) - set(ids))
            if unknown:
                raise ValueError(
                    f"allocation basis names {', '.join(unknown)}, which are not outputs of "
                    f"{self.id} ({', '.join(ids)})"
                )
            self.allocation_factors()
        return self

    def lines(self) -> Iterator[tuple[Stage, ActivityLine]]:
        """Every line with its stage, in stage order."""
        for stage in Stage:
            for line in self.stages.get(stage, []):
                yield stage, line

    def outputs(self) -> list[tuple[str, float, str]]:
        """``(id, amount, unit)`` of the main product and each co-product."""
        main = (self.id, self.reference_output.amount, self.reference_output.unit)
        return [main] + [(c.id, c.amount, c.unit) for c in self.co_products]

    def allocation_factors(self) -> dict[str, float]:
        """The share of the burdens each output carries; they sum to 1."""
        outputs = self.outputs()
        if self.allocation is None:
            return {self.id: 1.0}
        allocation = self.allocation
        weights: dict[str, float] = {}
        for output_id, amount, unit in outputs:
            if allocation.method == "mass":
                weights[output_id] = units.convert(
                    amount, unit, "kg", where=f"mass allocation of {output_id}"
                )
                continue
            if output_id not in allocation.basis:
                raise AllocationError(
                    f"{allocation.method} allocation of {self.id}: no basis for output "
                    f"{output_id!r} (give one for each of {', '.join(o[0] for o in outputs)})"
                )
            per_unit = allocation.basis[output_id]
            # basis_unit is "<property> per <output unit>", e.g. CNY/kg: amount x basis.
            weights[output_id] = (
                per_unit * amount * _per_output_unit(allocation.basis_unit, unit, output_id)
            )
        total = sum(weights.values())
        if total <= 0:
            raise AllocationError(f"allocation of {self.id}: the bases add up to zero")
        return {output_id: weight / total for output_id, weight in weights.items()}


def _per_output_unit(basis_unit: str, output_unit: str, output_id: str) -> float:
    """How many ``output_unit`` the denominator of ``basis_unit`` is, e.g. CNY/t vs kg → 1e-3.

    A ``basis_unit`` without a denominator (``CNY``) means the basis is per unit of each
    output as its amount is stated (CNY per t of coke, CNY per Nm3 of gas): factor 1.
    """
    numerator, _, denominator = basis_unit.partition("/")
    units.dimensionality(numerator)
    if not denominator:
        return 1.0
    return units.conversion_factor(
        output_unit, denominator, where=f"allocation basis of output {output_id}"
    )
